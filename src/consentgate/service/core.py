"""What the pages and the JSON API share: a member's view of their setting, a change, a
receipt. Every function takes the member id from the caller's verified identity."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from consentgate.contract.schema import ERASURE_SETTING
from consentgate.eligibility.reference import PreferenceEvent
from consentgate.ledger.chain import StoredEvent
from consentgate.ledger.errors import EventRejected
from consentgate.ledger.group_commit import GroupCommitter
from consentgate.ledger.objections import Objection, Objections, objection_setting
from consentgate.ledger.proofs import log_proof
from consentgate.ledger.receipts import receipt_27560, receipt_kantara
from consentgate.ledger.store import Ledger, NewEvent, SettingState, derive_state
from consentgate.policy.model import Setting
from consentgate.service.config import ServiceConfig
from consentgate.service.log_signer import HeadSigner
from consentgate.service.members import MemberDirectory, MemberProfile

if TYPE_CHECKING:
    from consentgate.service.usage import UsageAnswer, UsageSource

ReceiptFormat = Literal["iso27560", "kantara"]

# How long the committer waits for more changes before it commits a batch (milliseconds):
# a few changes more per transaction for a little latency (see ledger.group_commit).
COMMIT_DELAY_ENV = "CONSENTGATE_COMMIT_DELAY_MS"
GPC_SOURCE = "gpc"
GPC_CACHE_SIZE = 100_000
DEFAULT_COMMIT_DELAY_MS = 2.0


@dataclass(frozen=True)
class SettingView:
    member_id: str
    state: SettingState
    profile: MemberProfile
    history: list[StoredEvent]  # the setting's events and erasure requests, newest first
    setting: Setting | None = None  # None: the policy's primary setting

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
        self.objections = Objections(self.ledger, self.policy)
        # (member, setting) whose GPC opt-out is in the ledger: later requests skip the check
        # (bounded: the oldest are forgotten, and asked of the ledger again if they return)
        self._gpc_recorded: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._gpc_lock = threading.Lock()

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

    def history(self, member_id: str, key: str | None = None) -> list[StoredEvent]:
        """The member's events of this setting (the primary one unless ``key`` names
        another) and their erasure requests, newest first (the ledger may hold other
        settings of other policies: they are left out)."""
        key = key or self.key
        return [e for e in self.ledger.history(member_id)
                if e.setting in (key, ERASURE_SETTING)]

    def view(self, member_id: str, key: str | None = None) -> SettingView:
        now = self.config.clock()
        setting = self.policy.setting_for(key)
        history = self.history(member_id, setting.key)
        events = [
            PreferenceEvent(e.member_id, e.setting, e.value, e.effective_at, e.source)
            for e in history if e.setting in (self.key, ERASURE_SETTING)
        ]
        profile = self.directory.profile(member_id, events, now)
        state = derive_state(history, setting.key,
                             self.directory.default_for(profile, setting))
        return SettingView(member_id, state, profile, history,
                           None if setting.key == self.key else setting)

    def shown_settings(self, profile: MemberProfile) -> list[Setting]:
        """The settings the member sees: those the policy shows in their region (only the
        primary one for a member the source does not know, whose region is unknown)."""
        region = self.policy.region_for(profile.country) if profile.known else None
        if region is None:
            return [self.policy.setting]
        return [s for s in self.policy.settings if self.policy.shown_in(s, region)]

    def switchable(self, member_id: str, key: str) -> Setting:
        """The consent setting ``key`` as the member may switch it (EventRejected when it
        is an objection, or not shown in the member's region)."""
        setting = self.policy.setting_for(key)
        if setting.mechanism != "consent":
            raise EventRejected(f"{key!r} is not switched on or off: one objects to it "
                                "(POST /api/v1/me/objections)")
        if setting is not self.policy.setting:
            profile = self.directory.profile(member_id, [], self.config.clock())
            if setting not in self.shown_settings(profile):
                raise EventRejected(f"{key!r} does not apply in your region")
        return setting

    # -- Global Privacy Control ------------------------------------------------------------
    def gpc_settings(self, profile: MemberProfile) -> list[Setting]:
        """The settings a Global Privacy Control signal opts the member out of, by region."""
        region = self.policy.region_for(profile.country) if profile.known else None
        if region is None:
            return []
        return [s for s in self.shown_settings(profile)
                if s.gpc_opts_out and region.id in s.gpc_regions]

    def honour_gpc(self, member_id: str, language: str | None) -> list[StoredEvent]:
        """Record, once per setting, the opt-out a ``Sec-GPC: 1`` request means for this
        member (source ``gpc``). Returns the events recorded now (none when every one was
        already in the ledger)."""
        profile = self.directory.profile(member_id, [], self.config.clock())
        recorded: list[StoredEvent] = []
        for setting in self.gpc_settings(profile):
            if self._gpc_known(member_id, setting.key):
                continue
            event, already = self.ledger.record_once(
                self._event(member_id, setting.key, False, GPC_SOURCE, language, profile))
            with self._gpc_lock:
                self._gpc_recorded[(member_id, setting.key)] = None
                while len(self._gpc_recorded) > GPC_CACHE_SIZE:
                    self._gpc_recorded.popitem(last=False)
            if not already:
                recorded.append(event)
        return recorded

    def _gpc_known(self, member_id: str, key: str) -> bool:
        with self._gpc_lock:
            if (member_id, key) in self._gpc_recorded:
                self._gpc_recorded.move_to_end((member_id, key))
                return True
        return False

    def gpc_event(self, view: SettingView) -> StoredEvent | None:
        """The member's GPC opt-out of the view's setting, if one was recorded."""
        return min((e for e in view.history if e.source == GPC_SOURCE), default=None,
                   key=lambda e: e.seq)

    # -- objections (GDPR Art. 21) ---------------------------------------------------------
    def file_objection(
        self, member_id: str, key: str, text: str, source: str, language: str | None
    ) -> tuple[Objection, bool]:
        setting = objection_setting(self.policy, key)
        profile = self.directory.profile(member_id, [], self.config.clock())
        if setting not in self.shown_settings(profile):
            raise EventRejected(f"{key!r} does not apply in your region")
        return self.objections.file(member_id, key, text, source=source, language=language,
                                    jurisdiction=profile.country)

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

    def _event(self, member_id: str, key: str, value: bool, source: str,
               language: str | None, profile: MemberProfile) -> NewEvent:
        policy = self.policy.policy
        return NewEvent(
            member_id=member_id, setting=key, value=value, source=source,
            policy_id=policy.id, policy_version=policy.version,
            notice_version=policy.notice_version, language=language,
            jurisdiction=profile.country,
        )

    def new_change(
        self, member_id: str, value: bool, source: str, language: str | None,
        key: str | None = None,
    ) -> tuple[NewEvent, MemberProfile]:
        """The event a member's change records, and the member's profile (its country is
        the event's jurisdiction)."""
        key = self.switchable(member_id, key).key if key else self.key
        profile = self.directory.profile(member_id, [], self.config.clock())
        return self._event(member_id, key, value, source, language, profile), profile

    def change(
        self, member_id: str, value: bool, source: str, language: str | None,
        key: str | None = None,
    ) -> tuple[StoredEvent, SettingState, MemberProfile]:
        """Record a change; returns the event and the state it creates (a live change is
        always the member's latest event, so the state is the event's value). Blocks the
        calling thread until the change's batch is committed."""
        event, profile = self.new_change(member_id, value, source, language, key)
        stored = self.committer.record_change(event)
        return stored, SettingState(event.setting, stored.value, False, stored), profile

    async def change_async(
        self, member_id: str, value: bool, source: str, language: str | None,
        key: str | None = None,
    ) -> tuple[StoredEvent, SettingState, MemberProfile]:
        """``change`` for an async endpoint: waits for the commit without holding a thread."""
        event, profile = self.new_change(member_id, value, source, language, key)
        stored = await self.committer.record(event)
        return stored, SettingState(event.setting, stored.value, False, stored), profile

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
