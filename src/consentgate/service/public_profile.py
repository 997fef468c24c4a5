"""What a member's public profile page shows: their public name, headline and latest public
posts and articles, read from the platform's ``records`` table (``--source``).

Only records that are public now are read: visibility exactly ``public``, outside any
group, created at or before now and not deleted by then, with a text, and of one of the
kinds listed here. Everything else the source holds about a member (messages, salary,
applications, group activity, records of other visibilities) is never read, so it cannot
reach the page. Whether the page is served at all is decided by the caller.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path

from consentgate.contract.source import Source, open_source

NAME_KIND = "profile_name"
HEADLINE_KIND = "profile_headline"
POST_KINDS = ("post", "article")
SHOWN_KINDS = (NAME_KIND, HEADLINE_KIND, *POST_KINDS)
MAX_POSTS = 5


@dataclass(frozen=True)
class PublicPost:
    kind: str
    created_at: dt.datetime
    text: str


@dataclass(frozen=True)
class PublicProfile:
    member_id: str
    name: str | None
    headline: str | None
    posts: tuple[PublicPost, ...]


class PublicContent:
    """The public records of a source's members; without a source, nobody has any.

    The records table is opened (and checked against the contract) on first use; each
    lookup is one filtered scan on its own DuckDB connection, so lookups from several
    threads never share one."""

    def __init__(self, source_path: Path | None) -> None:
        self.source_path = source_path
        self._source: Source | None = None
        self._lock = threading.Lock()

    def _records(self) -> Source:
        with self._lock:
            if self._source is None:
                assert self.source_path is not None
                self._source = open_source(self.source_path, tables=("records",))
            return self._source

    def profile(self, member_id: str, at: dt.datetime) -> PublicProfile:
        """The member's public name, headline and up to MAX_POSTS newest public posts and
        articles as of ``at``."""
        if self.source_path is None:
            return PublicProfile(member_id, None, None, ())
        source = self._records()
        kinds = ", ".join(f"'{k}'" for k in SHOWN_KINDS)
        sql = (
            f"SELECT kind, created_at, text FROM {source.scan('records')} "
            "WHERE member_id = $member AND visibility = 'public' AND group_id IS NULL "
            f"AND kind IN ({kinds}) AND text IS NOT NULL AND created_at IS NOT NULL "
            "AND created_at <= $at AND (deleted_at IS NULL OR deleted_at > $at) "
            "ORDER BY created_at DESC, record_id"
        )
        con = source.connect()
        try:
            rows = con.execute(sql, {"member": member_id, "at": at}).fetchall()
        finally:
            con.close()
        name = next((text for kind, _, text in rows if kind == NAME_KIND), None)
        headline = next((text for kind, _, text in rows if kind == HEADLINE_KIND), None)
        posts = tuple(
            PublicPost(kind, created.astimezone(dt.UTC), text)
            for kind, created, text in rows if kind in POST_KINDS
        )[:MAX_POSTS]
        return PublicProfile(member_id, name, headline, posts)


__all__ = ["MAX_POSTS", "SHOWN_KINDS", "PublicContent", "PublicPost", "PublicProfile"]
