"""The engine plan: the policy's rules as Ibis expressions, run on DuckDB or Spark."""

from consentgate.engine.backends import ENGINES, Engine, bind_inputs, connect
from consentgate.engine.plan import Inputs, member_decisions, record_decisions

__all__ = [
    "ENGINES",
    "Engine",
    "Inputs",
    "bind_inputs",
    "connect",
    "member_decisions",
    "record_decisions",
]
