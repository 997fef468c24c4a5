"""Eligibility: who and what may be used, as of an instant T.

``reference`` is the specification (plain Python, one row at a time); the engine plan in
``consentgate.engine`` must agree with it.
"""

from consentgate.eligibility.reasons import DESCRIPTIONS, PRECEDENCE, Reason
from consentgate.eligibility.reference import (
    Education,
    Group,
    Member,
    MemberDecision,
    Notification,
    PreferenceEvent,
    Record,
    RecordDecision,
    ReferenceEvaluator,
    decide_member,
    decide_record,
)

__all__ = [
    "DESCRIPTIONS",
    "PRECEDENCE",
    "Education",
    "Group",
    "Member",
    "MemberDecision",
    "Notification",
    "PreferenceEvent",
    "Reason",
    "Record",
    "RecordDecision",
    "ReferenceEvaluator",
    "decide_member",
    "decide_record",
]
