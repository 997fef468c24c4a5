"""Why a member or a record is in or out. The order of each tuple is the precedence used
when several reasons apply: the first one that applies is *the* reason reported."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    USED = "used"
    # member reasons
    NOT_JOINED = "not_joined"
    DELETED = "deleted"
    ERASURE = "erasure"
    REGION_UNKNOWN = "region_unknown"
    REGION_NOT_STARTED = "region_not_started"
    NOT_OFFERED = "not_offered"
    MINOR_AGE = "minor_age"
    MINOR_SECONDARY_SCHOOL = "minor_secondary_school"
    AGE_UNKNOWN = "age_unknown"
    CONSENT_UNREADABLE = "consent_unreadable"
    CONSENT_CONFLICT = "consent_conflict"
    OPTED_OUT = "opted_out"
    NOT_NOTIFIED = "not_notified"
    # record reasons
    MEMBER_UNKNOWN = "member_unknown"
    RECORD_INCOMPLETE = "record_incomplete"
    CREATED_AFTER_AS_OF = "created_after_as_of"
    RECORD_DELETED = "record_deleted"
    KIND_UNKNOWN = "kind_unknown"
    KIND_NEVER_USED = "kind_never_used"
    VISIBILITY = "visibility"
    SENSITIVE_GROUP = "sensitive_group"
    GROUP_UNKNOWN = "group_unknown"
    BEFORE_LOOKBACK = "before_lookback"


MEMBER_REASONS: tuple[Reason, ...] = (
    Reason.NOT_JOINED,
    Reason.DELETED,
    Reason.ERASURE,
    Reason.REGION_UNKNOWN,
    Reason.REGION_NOT_STARTED,
    Reason.NOT_OFFERED,
    Reason.MINOR_AGE,
    Reason.MINOR_SECONDARY_SCHOOL,
    Reason.AGE_UNKNOWN,
    Reason.CONSENT_UNREADABLE,
    Reason.CONSENT_CONFLICT,
    Reason.OPTED_OUT,
    Reason.NOT_NOTIFIED,
)

# A record of an excluded member is out for its member's reason; then these, in order.
RECORD_REASONS: tuple[Reason, ...] = (
    Reason.MEMBER_UNKNOWN,
    Reason.RECORD_INCOMPLETE,
    Reason.CREATED_AFTER_AS_OF,
    Reason.RECORD_DELETED,
    Reason.KIND_UNKNOWN,
    Reason.KIND_NEVER_USED,
    Reason.VISIBILITY,
    Reason.GROUP_UNKNOWN,
    Reason.SENSITIVE_GROUP,
    Reason.BEFORE_LOOKBACK,
)

PRECEDENCE: tuple[Reason, ...] = MEMBER_REASONS + RECORD_REASONS

DESCRIPTIONS: dict[Reason, str] = {
    Reason.USED: "used for training",
    Reason.NOT_JOINED: "had not joined yet at the as-of time",
    Reason.DELETED: "account deleted at the as-of time",
    Reason.ERASURE: "the member asked for erasure (GDPR Art. 17) at or before the as-of time",
    Reason.REGION_UNKNOWN: "country missing or not a known ISO code (fail closed)",
    Reason.REGION_NOT_STARTED: "training had not started in the member's region",
    Reason.MINOR_AGE: "under the adult age by birth date",
    Reason.MINOR_SECONDARY_SCHOOL: "currently in secondary school, so believed to be a minor",
    Reason.AGE_UNKNOWN: "no birth date and no school information, and the policy excludes "
    "members of unknown age",
    Reason.CONSENT_UNREADABLE: "a preference event could not be read (fail closed)",
    Reason.CONSENT_CONFLICT: "several latest preference events disagree (fail closed)",
    Reason.NOT_OFFERED: "the setting (and its purpose) is not offered in the member's region",
    Reason.OPTED_OUT: "the member's setting was off",
    Reason.NOT_NOTIFIED: "not told of the setting at least the policy's notice period before "
    "the as-of time, or never",
    Reason.MEMBER_UNKNOWN: "the record's member is not in the members table",
    Reason.RECORD_INCOMPLETE: "the record has no text or no creation time (fail closed)",
    Reason.CREATED_AFTER_AS_OF: "created after the as-of time",
    Reason.RECORD_DELETED: "deleted at the as-of time",
    Reason.KIND_UNKNOWN: "kind not known to the policy (fail closed)",
    Reason.KIND_NEVER_USED: "kind never used, whatever the setting",
    Reason.VISIBILITY: "visibility not allowed for this kind",
    Reason.GROUP_UNKNOWN: "names a group missing from the groups table, or one whose sensitivity "
    "is unknown (treated as sensitive)",
    Reason.SENSITIVE_GROUP: "in a sensitive group",
    Reason.BEFORE_LOOKBACK: "older than the policy's look-back limit",
}
