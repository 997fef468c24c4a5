"""What the pages and the JSON API share: a member's view of their setting, a change, a
receipt. Every function takes the member id from the caller's verified identity."""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from consentgate.contract.schema import ERASURE_SETTING
from consentgate.eligibility.reference import PreferenceEvent
from consentgate.ledger.chain import StoredEvent
from consentgate.ledger.group_commit import GroupCommitter
from consentgate.ledger.proofs import log_proof
from consentgate.ledger.receipts import receipt_27560, receipt_kantara
from consentgate.ledger.store import Ledger, NewEvent, SettingState, derive_state
from consentgate.service.config import ServiceConfig
from consentgate.service.log_signer import HeadSigner
from consentgate.service.members import MemberDirectory, MemberProfile

if TYPE_CHECKING:
    from consentgate.service.usage import UsageAnswer, UsageSource

ReceiptFormat = Literal["iso27560", "kantara"]

# How long the committer waits for more changes before it commits a batch (milliseconds):
# a few changes more per transaction for a little latency (see ledger.group_commit).
COMMIT_DELAY_ENV = "CONSENTGATE_COMMIT_DELAY_MS"
DEFAULT_COMMIT_DELAY_MS = 2.0


@dataclass(frozen=True)
class SettingView:
    member_id: str
    state: SettingState
    profile: MemberProfile
    history: list[StoredEvent]  # the setting's events and erasure requests, newest first

    @property
    def erasure(self) -> StoredEvent | None:
        """The member's first erasure request (the one in force), if any."""
        requests = [e for e in self.history if e.setting == ERASURE_SETTING and e.value]
        return min(requests, key=lambda e: (e.effective_at, e.seq)) if requests else None

    def preference_events(self) -> list[PreferenceEvent]:
        return [PreferenceEvent(e.member_id, e.setting, e.value, e.effective_at, e.source)
                for e in self.history]


class SettingsService:
    def __init__(self, config: ServiceConfig, ledger: Ledger | None = None) -> None:
        self.config = config
        self.policy = config.policy
        self.key = config.policy.setting.key
        self.ledger = ledger if ledger is not None else Ledger(config.db, clock=config.clock)
        self.directory = MemberDirectory(config.policy, config.source)
        self._usage: UsageSource | None = None
        self._signer: HeadSigner | None = None
        if config.signing_key is not None:
            self._signer = HeadSigner(self.ledger, config.signing_key, config.sign_interval_s)
            self._signer.start()
        self._committer: GroupCommitter | None = None
        self._committer_lock = threading.Lock()

    # -- life cycle (the app's lifespan calls these) -----------------------------------------
    def start(self) -> None:
        """Build the member index (if there is a source) and start the ledger's committer."""
        self.directory.prepare()
        _ = self.committer

    def stop(self) -> None:
        """Commit the changes still queued and stop the committer (new changes are refused)."""
        with self._committer_lock:
            committer = self._committer
            if committer is None:  # never started: later changes must not start one
                self._committer = committer = self._new_committer()
        committer.close()

    @property
    def committer(self) -> GroupCommitter:
        """The group committer live changes go through (started on first use)."""
        committer = self._committer
        if committer is None:
            with self._committer_lock:
                if self._committer is None:
                    self._committer = self._new_committer().start()
                committer = self._committer
        return committer

    def _new_committer(self) -> GroupCommitter:
        delay_ms = float(os.environ.get(COMMIT_DELAY_ENV, DEFAULT_COMMIT_DELAY_MS))
        return GroupCommitter(self.ledger, max_delay_s=max(delay_ms, 0.0) / 1000)

    def close(self) -> None:
        if self._signer is not None:
            self._signer.stop()
        self.stop()
        self.ledger.close()
        self.directory.close()
        if self._usage is not None:
            self._usage.close()

    def history(self, member_id: str) -> list[StoredEvent]:
        """The member's events of this setting and their erasure requests, newest first
        (the ledger may hold other settings of other policies: they are left out)."""
        return [e for e in self.ledger.history(member_id)
                if e.setting in (self.key, ERASURE_SETTING)]

    def view(self, member_id: str) -> SettingView:
        now = self.config.clock()
        history = self.history(member_id)
        events = [
            PreferenceEvent(e.member_id, e.setting, e.value, e.effective_at, e.source)
            for e in history
        ]
        profile = self.directory.profile(member_id, events, now)
        state = derive_state(history, self.key, self.directory.default_for(profile))
        return SettingView(member_id, state, profile, history)

    # -- "was my data used?" ---------------------------------------------------------------
    @property
    def usage_source(self) -> UsageSource:
        if self._usage is None:
            from consentgate.service.usage import UsageSource

            self._usage = UsageSource(self)
        return self._usage

    def usage(self, view: SettingView) -> UsageAnswer:
        """The member's usage answer (never raises for a missing or unreadable registry:
        the answer says it is unavailable)."""
        return self.usage_source.answer(view)

    # -- erasure ---------------------------------------------------------------------------
    def request_erasure(
        self, member_id: str, source: str, language: str | None
    ) -> tuple[StoredEvent, bool]:
        """Record the member's erasure request; a second request records nothing and
        returns the first. Returns (the request in force, whether it was already there)."""
        # once only, even across processes: the ledger checks inside its write transaction
        profile = self.directory.profile(member_id, [], self.config.clock())
        return self.ledger.request_erasure(
            member_id, self.policy, source=source, language=language,
            jurisdiction=profile.country,
        )

    def new_change(
        self, member_id: str, value: bool, source: str, language: str | None
    ) -> tuple[NewEvent, MemberProfile]:
        """The event a member's change records, and the member's profile (its country is
        the event's jurisdiction)."""
        profile = self.directory.profile(member_id, [], self.config.clock())
        policy = self.policy.policy
        event = NewEvent(
            member_id=member_id, setting=self.key, value=value, source=source,
            policy_id=policy.id, policy_version=policy.version,
            notice_version=policy.notice_version, language=language,
            jurisdiction=profile.country,
        )
        return event, profile

    def change(
        self, member_id: str, value: bool, source: str, language: str | None
    ) -> tuple[StoredEvent, SettingState, MemberProfile]:
        """Record a change; returns the event and the state it creates (a live change is
        always the member's latest event, so the state is the event's value). Blocks the
        calling thread until the change's batch is committed."""
        event, profile = self.new_change(member_id, value, source, language)
        stored = self.committer.record_change(event)
        return stored, SettingState(self.key, stored.value, False, stored), profile

    async def change_async(
        self, member_id: str, value: bool, source: str, language: str | None
    ) -> tuple[StoredEvent, SettingState, MemberProfile]:
        """``change`` for an async endpoint: waits for the commit without holding a thread."""
        event, profile = self.new_change(member_id, value, source, language)
        stored = await self.committer.record(event)
        return stored, SettingState(self.key, stored.value, False, stored), profile

    def own_event(self, member_id: str, receipt_id: str) -> StoredEvent | None:
        """The event behind a receipt, only if it is the member's own (None otherwise, so
        that another member's receipt looks exactly like one that does not exist)."""
        event = self.ledger.find(receipt_id)
        return event if event is not None and event.member_id == member_id else None

    def receipt(self, event: StoredEvent, fmt: ReceiptFormat = "iso27560") -> dict[str, Any]:
        """The receipt, with the proof that the event is in the log (signed now, when no
        signed head covers the event yet and the service holds the key)."""
        build = receipt_kantara if fmt == "kantara" else receipt_27560
        log = log_proof(self.ledger, event, self.config.signing_key)
        return build(event, self.policy, self.config.controller, log)

    def now(self) -> dt.datetime:
        return self.config.clock()
