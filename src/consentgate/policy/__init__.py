"""The policy: format (TOML), model, loader, taxonomy check and diff."""

from consentgate.policy.loader import (
    DEFAULT_POLICY,
    PolicyError,
    Problem,
    load_policy,
    parse_policy,
    shipped_policies,
)
from consentgate.policy.model import REDACTION_CLASSES, KindRule, Policy, Region

__all__ = [
    "DEFAULT_POLICY",
    "REDACTION_CLASSES",
    "KindRule",
    "Policy",
    "PolicyError",
    "Problem",
    "Region",
    "load_policy",
    "parse_policy",
    "shipped_policies",
]
