"""Tables and columns of the data contract (docs/design.md, "Data contract").

Types are the logical ones; ``source`` accepts any physical type of the same family
(large strings, other integer widths, tz-aware or naive timestamps) and normalises them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pyarrow as pa

LogicalType = Literal["string", "date", "timestamp", "bool"]

ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
    "bool": pa.bool_(),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: LogicalType
    nullable: bool = False
    primary_key: bool = False
    # the value of every row when a source's table lacks the column (data written before
    # the column existed); None: the column is required
    default: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    # a source may leave out an optional table: it reads as an empty table
    optional: bool = False

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def arrow_schema(self) -> pa.Schema:
        return pa.schema(
            [pa.field(c.name, ARROW_TYPES[c.type], nullable=c.nullable) for c in self.columns]
        )


SETTING_KEY = "data_for_genai_improvement"
# A preference event with this setting and value true is an erasure request (GDPR Art. 17):
# from its effective time the member is out, as if deleted; no later event undoes it.
ERASURE_SETTING = "erasure"

VISIBILITIES = ("public", "connections", "group", "private")
EDUCATION_LEVELS = ("secondary", "higher", "other")

RECORD_KINDS = (
    "profile_name",
    "profile_photo",
    "profile_headline",
    "profile_summary",
    "profile_experience",
    "profile_education",
    "profile_skills",
    "profile_location",
    "profile_certification",
    "profile_volunteering",
    "profile_publication",
    "profile_patent",
    "profile_endorsement",
    "profile_recommendation",
    "post",
    "article",
    "comment",
    "poll_response",
    "group_post",
    "group_comment",
    "group_message",
    "ai_prompt",
    "ai_output",
    "resume",
    "screening_answer",
    "job_application",
    "salary",
    "private_message",
    "inmail",
    "search_query",
    "feedback",
    "login_credential",
    "payment_method",
)

MEMBERS = Table(
    "members",
    (
        Column("member_id", "string", primary_key=True),
        Column("country", "string", nullable=True),
        Column("birth_date", "date", nullable=True),
        Column("joined_at", "timestamp"),
        Column("deleted_at", "timestamp", nullable=True),
        Column("language", "string", nullable=True),
    ),
)
EDUCATION = Table(
    "education",
    (
        Column("member_id", "string"),
        Column("school", "string"),
        Column("level", "string"),
        Column("start_date", "date"),
        Column("end_date", "date", nullable=True),
    ),
)
GROUPS = Table(
    "groups",
    (
        Column("group_id", "string", primary_key=True),
        Column("name", "string"),
        Column("sensitive", "bool"),
    ),
)
RECORDS = Table(
    "records",
    (
        Column("record_id", "string", primary_key=True),
        Column("member_id", "string"),
        Column("kind", "string"),
        Column("visibility", "string"),
        Column("group_id", "string", nullable=True),
        Column("created_at", "timestamp"),
        Column("deleted_at", "timestamp", nullable=True),
        Column("text", "string"),
    ),
)
PREFERENCE_EVENTS = Table(
    "preference_events",
    (
        Column("member_id", "string"),
        # events written before several settings existed carry no setting: they are the
        # primary setting's (the one consentgate started with)
        Column("setting", "string", default=SETTING_KEY),
        Column("value", "bool"),
        Column("effective_at", "timestamp"),
        Column("source", "string"),
    ),
)

# When the platform told a member about a setting (the notice before their data is used for
# its purpose). A source without this table has told nobody anything.
NOTIFICATIONS = Table(
    "notifications",
    (
        Column("member_id", "string"),
        Column("setting", "string", default=SETTING_KEY),
        Column("notified_at", "timestamp"),
    ),
    optional=True,
)

TABLES: dict[str, Table] = {
    t.name: t for t in (MEMBERS, EDUCATION, GROUPS, RECORDS, PREFERENCE_EVENTS, NOTIFICATIONS)
}
