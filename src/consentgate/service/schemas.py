"""The JSON API's request and response bodies (they make the OpenAPI schema).

Inputs are strict: unknown fields, strings for booleans, control characters, text that is not
valid Unicode, NaN and infinities, and instants outside 1970–2999 are refused with 422, before
the ledger sees them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool

from consentgate.ledger.chain import StoredEvent

EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2999, 12, 31, tzinfo=dt.UTC)


def _unicode(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("not valid Unicode text") from exc
    return value


def _utc(value: dt.datetime) -> dt.datetime:
    """Naive means UTC, as in the data contract; offsets are converted."""
    try:
        value = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    except (OverflowError, ValueError) as exc:
        raise ValueError("instant out of range") from exc
    if not EARLIEST <= value <= LATEST:
        raise ValueError("instant must be between 1970 and 2999")
    return value


MemberId = Annotated[
    str,
    Field(min_length=1, max_length=128, pattern=r"^[^\x00-\x1f\x7f]+$",
          description="The platform's member id."),
    AfterValidator(_unicode),
]
SettingKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
SourceName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$",
                                  description="Where the event came from: web, api, import, "
                                  "objection_form, gpc, …")]
UtcInstant = Annotated[dt.datetime, AfterValidator(_utc)]
Language = Literal["en", "fr"]


class _Strict(BaseModel):
    # NaN and infinities are refused when the body is decoded (strict_json); a number field
    # added later refuses them here too, whatever decoded it
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ChangeIn(_Strict):
    """A member's change of their own setting; it takes effect when recorded."""

    value: StrictBool = Field(description="true: on (data may be used); false: off")
    language: Language | None = Field(None, description="Language the member saw the setting in")
    source: Literal["api", "mobile", "web"] = Field("api", description="The app making the change")


class EventOut(BaseModel):
    seq: int
    receipt_id: str
    setting: str
    value: bool
    effective_at: dt.datetime
    recorded_at: dt.datetime
    source: str
    language: str | None
    policy_id: str
    policy_version: str
    notice_version: str | None

    @classmethod
    def of(cls, e: StoredEvent) -> EventOut:
        return cls(
            seq=e.seq, receipt_id=e.receipt_id, setting=e.setting, value=e.value,
            effective_at=e.effective_at, recorded_at=e.recorded_at, source=e.source,
            language=e.language, policy_id=e.policy_id, policy_version=e.policy_version,
            notice_version=e.notice_version,
        )


class SettingOut(BaseModel):
    setting: str
    purpose: str = Field(description="The purpose, a fideslang data use")
    recipient: str | None = Field(description="Who receives the data for this purpose")
    mechanism: Literal["consent", "objection"] = Field(
        description="consent: a switch the member turns on or off; objection: the "
        "processing runs until an objection the member files is upheld")
    name: str = Field(description="The setting's name in the requested language")
    toggle: str = Field(description="The switch's label in the requested language")
    value: bool | None = Field(description="On or off now; null if records conflict "
                               "(then the data is not used)")
    is_default: bool = Field(description="No change recorded: the policy's default applies")
    effective_since: dt.datetime | None
    last_receipt_id: str | None
    never_used: bool = Field(description="The member's data is never used whatever the "
                             "setting says (the policy treats them as a minor)")
    never_used_reason: str | None = Field(description="minor_age or minor_secondary_school")
    retroactive: bool = Field(description="false: turning it off works from then on; "
                              "training already done stays")
    language: Language


class SettingsOut(BaseModel):
    settings: list[SettingOut] = Field(description="Every setting shown in my region, the "
                                       "primary one first")


class ObjectionIn(_Strict):
    """A member's objection to a purpose (GDPR Art. 21), with their grounds."""

    setting: SettingKey = Field(description="The objection setting, e.g. other_ai_uses")
    text: str = Field(min_length=1, max_length=5000,
                      description="Your grounds, in your own words")
    language: Language | None = None
    source: Literal["api", "mobile", "web"] = "api"


class ObjectionOut(BaseModel):
    objection_id: str
    setting: str
    setting_name: str
    text: str
    status: Literal["pending", "upheld", "rejected"]
    filed_at: dt.datetime
    answer_due_by: dt.datetime = Field(description="One month after filing (GDPR Art. 12(3))")
    overdue: bool
    decided_at: dt.datetime | None
    reason: str | None = Field(description="The platform's reason for its answer")
    event_receipt_id: str | None = Field(description="Upheld: the receipt of the opt-out "
                                         "event recorded in the log")
    receipt_url: str = Field(description="This objection's receipt (JSON)")


class ObjectionFiledOut(BaseModel):
    already_pending: bool
    objection: ObjectionOut
    message: str


class ObjectionsOut(BaseModel):
    objections: list[ObjectionOut] = Field(description="Newest first")


class AdminObjectionOut(ObjectionOut):
    member_id: str
    jurisdiction: str | None
    decided_by: str | None


class AdminObjectionsOut(BaseModel):
    objections: list[AdminObjectionOut]


class DecisionIn(_Strict):
    decision: Literal["uphold", "reject"]
    reason: str = Field(min_length=1, max_length=2000,
                        description="Why; shown to the member")
    decided_by: str = Field("admin", min_length=1, max_length=128,
                            pattern=r"^[^\x00-\x1f\x7f]+$")


class ChangeOut(BaseModel):
    state: SettingOut
    event: EventOut
    receipt_url: str


class HistoryOut(BaseModel):
    setting: str
    events: list[EventOut] = Field(description="Newest first")


class UsageSnapshotOut(BaseModel):
    snapshot_id: str
    as_of: dt.datetime = Field(description="The instant the dataset's data is as of")
    state: str = Field(description="published, superseded or data_deleted")
    records: int = Field(description="How many of your records it holds")
    records_by_kind: dict[str, int]
    categories: list[str] = Field(description="fideslang data categories of those records")
    first_created_at: dt.datetime | None
    last_created_at: dt.datetime | None
    used_by_runs: list[str] = Field(description="Training runs (not failed) that used it")


class UsageRunOut(BaseModel):
    run_id: str
    model: str
    model_version: str | None
    state: str = Field(description="running, finished or failed")
    started_at: dt.datetime
    finished_at: dt.datetime | None
    snapshots: list[str] = Field(description="Which of your datasets it used")


class UsageModelOut(BaseModel):
    name: str
    version: str | None
    state: Literal["trained", "training"]
    trained_at: dt.datetime | None = Field(description="When its last finished run ended")
    runs: list[str]
    snapshots: list[str]


class NotIncludedOut(BaseModel):
    snapshot_id: str
    as_of: dt.datetime
    state: str
    reason: str = Field(description="Why it does not hold your data: a member reason "
                        "(opted_out, minor_age, erasure, …), no_usable_records or not_included")


class DeletedSnapshotOut(BaseModel):
    snapshot_id: str
    as_of: dt.datetime
    deleted_at: dt.datetime


class FirstAfterOptOutOut(BaseModel):
    snapshot_id: str
    as_of: dt.datetime
    includes_you: bool | None = Field(
        description="false, as it must be; null when that dataset could not be checked")


class UsageEventOut(BaseModel):
    event: Literal["turned_on", "turned_off", "erasure_requested"]
    setting: str
    value: bool
    effective_at: dt.datetime
    recorded_at: dt.datetime
    source: str
    receipt_id: str


class ErasureStatusOut(BaseModel):
    requested: bool
    requested_at: dt.datetime | None
    receipt_id: str | None
    receipt_url: str | None


class UsageOut(BaseModel):
    """Was my data used to train AI models? Only the caller's own data."""

    checked_at: dt.datetime
    language: Language
    used: bool = Field(description="Some training dataset holds your records")
    complete: bool = Field(description="Every dataset with lineage could be searched")
    snapshots: list[UsageSnapshotOut] = Field(description="The datasets holding your records")
    runs: list[UsageRunOut] = Field(description="The training runs that used them")
    models: list[UsageModelOut] = Field(description="The models trained (or training) on them")
    not_included: list[NotIncludedOut] = Field(description="Datasets searched that do not "
                                               "hold your data, and why")
    deleted_snapshots: list[DeletedSnapshotOut] = Field(description="Deleted entirely, so not "
                                                        "searched")
    why_not_used: str | None = Field(description="When no dataset holds your data: why "
                                     "(minor_age, minor_secondary_school, region_not_started, "
                                     "opted_out, erasure, not_yet_in_any_dataset, "
                                     "no_usable_records, …)")
    setting_value: bool | None = Field(description="The setting now; null if records conflict")
    setting_is_default: bool
    opted_out_at: dt.datetime | None = Field(description="When the opt-out in force began")
    first_snapshot_after_opt_out: FirstAfterOptOutOut | None
    erasure: ErasureStatusOut
    history: list[UsageEventOut] = Field(description="Oldest first")
    summary: list[str] = Field(description="The answer in plain words, in the language asked")


class ErasureIn(_Strict):
    language: Language | None = Field(None, description="Language the member saw the request in")
    source: Literal["api", "mobile", "web"] = Field("api", description="The app making it")


class ErasureOut(BaseModel):
    already_requested: bool = Field(description="true: the request was already recorded; "
                                    "nothing new was recorded")
    requested_at: dt.datetime
    receipt_id: str
    receipt_url: str
    event: EventOut
    message: str


class ImportEventIn(_Strict):
    member_id: MemberId
    setting: SettingKey
    value: StrictBool
    effective_at: UtcInstant = Field(description="UTC (naive is read as UTC); not in the future")
    source: SourceName = "import"


class ImportIn(_Strict):
    events: list[ImportEventIn] = Field(max_length=50_000)


class ImportOut(BaseModel):
    added: int
    skipped: int = Field(description="Events the ledger already held")
    head_seq: int
    head_hash: str


class ContractEvent(BaseModel):
    member_id: str
    setting: str
    value: bool
    effective_at: dt.datetime
    source: str


class ExportOut(BaseModel):
    as_of: dt.datetime
    head_seq: int
    head_hash: str
    events: list[ContractEvent]


class ProblemOut(BaseModel):
    seq: int | None
    receipt_id: str | None
    kind: str
    message: str


class VerifyOut(BaseModel):
    ok: bool
    events: int
    head_seq: int
    head_hash: str
    problems: list[ProblemOut]


class ErrorOut(BaseModel):
    detail: Any


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "No token, or a token that is forged, expired or "
          "for another audience"},
    413: {"model": ErrorOut, "description": "Body too large"},
}
