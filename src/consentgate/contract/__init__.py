"""The data contract: the tables a platform hands to consentgate, and how to read them."""

from consentgate.contract.schema import (
    EDUCATION_LEVELS,
    ERASURE_SETTING,
    RECORD_KINDS,
    SETTING_KEY,
    TABLES,
    VISIBILITIES,
    Column,
    Table,
)
from consentgate.contract.source import ContractError, Source, open_source

__all__ = [
    "EDUCATION_LEVELS",
    "ERASURE_SETTING",
    "RECORD_KINDS",
    "SETTING_KEY",
    "TABLES",
    "VISIBILITIES",
    "Column",
    "ContractError",
    "Source",
    "Table",
    "open_source",
]
