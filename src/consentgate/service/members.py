"""What the service knows about a member from the platform's data (``--source``): country,
language, and whether the policy treats them as a minor, decided by the reference evaluator
with the member's events from the ledger, exactly as a snapshot built now would decide."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from consentgate.contract.source import Source, open_source
from consentgate.eligibility.reasons import Reason
from consentgate.eligibility.reference import (
    Education,
    Member,
    MemberDecision,
    PreferenceEvent,
    decide_member,
)
from consentgate.policy.model import Policy

MINOR_REASONS = (Reason.MINOR_AGE, Reason.MINOR_SECONDARY_SCHOOL)


@dataclass(frozen=True)
class MemberProfile:
    member_id: str
    known: bool  # found in the source
    country: str | None = None
    language: str | None = None
    minor_reason: Reason | None = None  # set: the data is never used, whatever the switch
    # every reason the reference evaluator gives now, in precedence order (empty: eligible)
    reasons: tuple[Reason, ...] = ()

    @property
    def is_minor(self) -> bool:
        return self.minor_reason is not None


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class MemberDirectory:
    """Members and education rows from a checked source; none when there is no source."""

    def __init__(self, policy: Policy, source_path: Path | None) -> None:
        self.policy = policy
        self.source: Source | None = (
            open_source(source_path, tables=("members", "education"))
            if source_path is not None
            else None
        )
        # The source does not change while the service runs: remember recent answers.
        self._rows: OrderedDict[str, tuple[Member | None, list[Education]]] = OrderedDict()
        self._lock = threading.Lock()
        self._sample: tuple[dt.date, list[tuple[str, str | None, bool]]] | None = None

    def _load(self, member_id: str) -> tuple[Member | None, list[Education]]:
        with self._lock:
            if member_id in self._rows:
                self._rows.move_to_end(member_id)
                return self._rows[member_id]
        assert self.source is not None
        where = f"member_id = {_quote(member_id)}"
        members = [Member(**r) for b in self.source.iter_batches("members", where=where)
                   for r in b.to_pylist()]
        education = [Education(**r) for b in self.source.iter_batches("education", where=where)
                     for r in b.to_pylist()]
        found = (members[0] if members else None, education)
        with self._lock:
            self._rows[member_id] = found
            while len(self._rows) > 10_000:
                self._rows.popitem(last=False)
        return found

    def profile(
        self, member_id: str, events: list[PreferenceEvent], at: dt.datetime
    ) -> MemberProfile:
        if self.source is None:
            return MemberProfile(member_id, known=False)
        member, education = self._load(member_id)
        if member is None:
            return MemberProfile(member_id, known=False)
        decision = decide_member(self.policy, member, education, events, at)
        minor = next((r for r in decision.reasons if r in MINOR_REASONS), None)
        return MemberProfile(member_id, True, member.country, member.language, minor,
                             decision.reasons)

    def decide(
        self, member_id: str, events: list[PreferenceEvent], at: dt.datetime
    ) -> MemberDecision | None:
        """The reference evaluator's decision on the member as of ``at`` (events after it
        are ignored, as in a build); None without a source or for a member not in it."""
        if self.source is None:
            return None
        member, education = self._load(member_id)
        if member is None:
            return None
        return decide_member(self.policy, member, education, events, at)

    def default_for(self, profile: MemberProfile) -> bool:
        """The setting's default for this member (a region may have its own)."""
        region = self.policy.region_for(profile.country) if profile.known else None
        if region is None:
            return self.policy.setting.default
        return self.policy.region_default(region)

    def sample(self, at: dt.datetime, limit: int = 12) -> list[tuple[str, str | None, bool]]:
        """A few members to sign in as in demo mode, minors included when there are any:
        (member id, country, minor)."""
        if self.source is None:
            return []
        if self._sample is not None and self._sample[0] == at.date():
            return self._sample[1]
        ids = [
            row[0]
            for row in self.source.connect().sql(
                f"SELECT member_id FROM {self.source.scan('members')} "
                "WHERE deleted_at IS NULL ORDER BY member_id LIMIT 400"
            ).fetchall()
        ]
        if not ids:
            return []
        where = f"member_id IN ({', '.join(_quote(i) for i in ids)})"
        members = {r["member_id"]: Member(**r)
                   for b in self.source.iter_batches("members", where=where) for r in b.to_pylist()}
        education: dict[str, list[Education]] = {}
        for b in self.source.iter_batches("education", where=where):
            for r in b.to_pylist():
                education.setdefault(r["member_id"], []).append(Education(**r))
        adults: list[tuple[str, str | None, bool]] = []
        minors: list[tuple[str, str | None, bool]] = []
        for member_id in ids:
            member = members[member_id]
            decision = decide_member(self.policy, member, education.get(member_id, []), [], at)
            minor = any(r in MINOR_REASONS for r in decision.reasons)
            (minors if minor else adults).append((member_id, member.country, minor))
        minors = minors[:3]
        chosen = adults[: limit - len(minors)] + minors
        self._sample = (at.date(), chosen)
        return chosen
