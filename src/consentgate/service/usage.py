"""The member's answer to "was my data used?": the registry's usage answer
(``consentgate.registry.member_usage``) joined with what the service knows about the member
(the reference evaluator's decision, as of each dataset that does not hold them), told in
plain words in the member's language, and the access report (GDPR Art. 15 style).

Every function takes the member from the caller's verified identity (the ``SettingView``).
Nothing here logs a member id, a path or an exception message.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from babel.dates import format_date
from babel.lists import format_list

from consentgate import __version__
from consentgate.eligibility.reference import PreferenceEvent, erasure_at, setting_at
from consentgate.ledger.db import normalise_url
from consentgate.ledger.receipts import PURPOSE
from consentgate.service.i18n import KIND_LABELS, N_, locale, translations

if TYPE_CHECKING:
    from consentgate.registry import MemberUsage, Registry, SnapshotEntry
    from consentgate.service.core import SettingsService, SettingView

UTC = dt.UTC
log = logging.getLogger("consentgate.service.usage")

# Why a member is in no dataset, beyond the evaluator's member reasons.
NOT_YET = "not_yet_in_any_dataset"  # no dataset built since they could be in one
NO_USABLE_RECORDS = "no_usable_records"  # eligible then, but none of their records qualified
NOT_INCLUDED = "not_included"  # not in it; without platform data the service cannot say why

# Short words for the table of datasets that do not hold the member.
REASON_LABELS: dict[str, str] = {
    "not_joined": N_("before you joined"),
    "deleted": N_("account deleted"),
    "erasure": N_("you asked for erasure"),
    "region_unknown": N_("region not known"),
    "region_not_started": N_("training had not started in your region"),
    "minor_age": N_("treated as a minor"),
    "minor_secondary_school": N_("treated as a minor (secondary school)"),
    "age_unknown": N_("age not known"),
    "consent_unreadable": N_("setting records unclear"),
    "consent_conflict": N_("setting records unclear"),
    "opted_out": N_("the setting was off"),
    NO_USABLE_RECORDS: N_("none of your content qualified"),
    NOT_INCLUDED: N_("not included"),
}
STATE_LABELS: dict[str, str] = {
    "superseded": N_("since replaced by a newer version"),
    "data_deleted": N_("its data has since been deleted"),
}
NOT_YET_REASONS = (NOT_YET, "not_joined")


class UsageUnavailable(Exception):
    """No usage answer: no registry configured, or it cannot be read now."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem  # "no_registry" or "registry_unavailable"


@dataclass(frozen=True)
class NotIncluded:
    """A dataset that was searched and does not hold the member, and why."""

    snapshot_id: str
    as_of: dt.datetime
    state: str
    reason: str


@dataclass
class UsageAnswer:
    checked_at: dt.datetime
    problem: str | None = None  # None: available; "no_registry", "registry_unavailable"
    usage: MemberUsage | None = None
    not_included: list[NotIncluded] = field(default_factory=list)
    why_not_used: str | None = None  # a reason code when no dataset holds the member
    datasets_built: int = 0  # datasets registered (any state)

    @property
    def available(self) -> bool:
        return self.problem is None and self.usage is not None

    @property
    def used(self) -> bool:
        return self.usage is not None and bool(self.usage.snapshots)

    @property
    def complete(self) -> bool:
        return self.usage is not None and self.usage.complete

    def trained_runs(self) -> list[Any]:
        """The runs that used the member's datasets and did not fail."""
        return [r for r in self.usage.runs if r.state != "failed"] if self.usage else []

    def models(self) -> list[dict[str, Any]]:
        """One entry per model (name, version) trained (or training) on the member's data."""
        found: dict[tuple[str, str | None], dict[str, Any]] = {}
        for run in self.trained_runs():
            entry = found.setdefault((run.model, run.model_version), {
                "name": run.model, "version": run.model_version, "state": "training",
                "trained_at": None, "started_at": run.started_at, "runs": [], "snapshots": [],
            })
            entry["runs"].append(run.run_id)
            entry["snapshots"] = sorted(set(entry["snapshots"]) | set(run.snapshots))
            entry["started_at"] = min(entry["started_at"], run.started_at)
            if run.state == "finished" and run.finished_at is not None:
                entry["state"] = "trained"
                if entry["trained_at"] is None or run.finished_at > entry["trained_at"]:
                    entry["trained_at"] = run.finished_at
        return [found[k] for k in sorted(found, key=lambda k: (k[0], k[1] or ""))]


class UsageSource:
    """The registry, opened read-only on first use and kept; opened again after a failure."""

    def __init__(self, service: SettingsService) -> None:
        self.service = service
        self.config = service.config
        self._registry: Registry | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            if self._registry is not None:
                self._registry.close()
                self._registry = None

    def _open(self) -> Registry:
        from consentgate.registry import Registry

        with self._lock:
            if self._registry is None:
                self._registry = Registry.open_existing(self.config.registry)  # type: ignore[arg-type]
            return self._registry

    def _forget(self) -> None:
        with self._lock:
            if self._registry is not None:
                self._registry.close()
            self._registry = None

    def answer(self, view: SettingView) -> UsageAnswer:
        now = self.config.clock()
        if not self.config.registry:
            return UsageAnswer(now, problem="no_registry")
        from sqlalchemy.exc import SQLAlchemyError

        from consentgate.registry import RegistryError, member_usage

        try:
            registry = self._open()
            usage = member_usage(registry, view.member_id, consent=normalise_url(self.config.db),
                                 setting=self.service.key, now=now)
            entries = registry.snapshots()
        except (RegistryError, SQLAlchemyError, OSError) as exc:
            # the type only: messages may name files, URLs or (SQL parameters) members
            log.warning("usage answer unavailable: %s", type(exc).__name__)
            self._forget()
            return UsageAnswer(now, problem="registry_unavailable")
        answer = UsageAnswer(now, usage=usage, datasets_built=len(entries))
        self._explain(answer, view, entries, now)
        return answer

    def _explain(self, answer: UsageAnswer, view: SettingView, entries: list[SnapshotEntry],
                 now: dt.datetime) -> None:
        usage = answer.usage
        assert usage is not None
        events = view.preference_events()
        held = {s.snapshot_id for s in usage.snapshots}
        searched = set(usage.searched)
        for entry in entries:
            if entry.snapshot_id in searched and entry.snapshot_id not in held:
                reason = self.reason_at(view, events, entry.as_of)
                answer.not_included.append(NotIncluded(
                    entry.snapshot_id, entry.as_of, entry.state, reason or NO_USABLE_RECORDS))
        if held:
            return
        if not answer.not_included:
            reason = self.reason_at(view, events, now)
            answer.why_not_used = (
                NOT_YET if reason in (None, NOT_INCLUDED, "not_joined") else reason
            )
            return
        reasons = [n.reason for n in answer.not_included]
        if NO_USABLE_RECORDS in reasons:
            answer.why_not_used = NO_USABLE_RECORDS
            return
        latest = max(answer.not_included, key=lambda n: (n.as_of, n.snapshot_id)).reason
        answer.why_not_used = NOT_YET if latest == NOT_INCLUDED else latest

    def reason_at(self, view: SettingView, events: list[PreferenceEvent],
                  at: dt.datetime) -> str | None:
        """The first reason the member was out as of ``at`` (None: eligible then). Without
        platform data only the ledger speaks: erasure, the setting, else NOT_INCLUDED."""
        service = self.service
        decision = service.directory.decide(view.member_id, events, at)
        if decision is not None:
            return str(decision.reasons[0]) if decision.reasons else None
        if erasure_at(events, at):
            return "erasure"
        value, _, problem = setting_at(service.policy, events, at)
        if problem is not None:
            return str(problem)
        if value is None:
            value = service.directory.default_for(view.profile)
        return "opted_out" if value is False else NOT_INCLUDED


# -- in words --------------------------------------------------------------------------------
def day(instant: dt.datetime | dt.date, lang: str) -> str:
    """A date in the member's language (UTC), as babel writes it: 15 janvier 2026; in
    French the first of the month is written 1er (1er mars 2026), which babel does not do."""
    if isinstance(instant, dt.datetime):
        instant = instant.astimezone(UTC).date()
    words = format_date(instant, "long", locale=locale(lang))
    if lang == "fr" and instant.day == 1 and words.startswith("1 "):
        words = "1er" + words[1:]
    return words


def instant(text: str) -> dt.datetime:
    """An instant as the registry's answer writes it (ISO 8601, ``Z`` for UTC)."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def model_name(name: str, version: str | None) -> str:
    return f"{name} {version}" if version else name


@dataclass
class UsageWords:
    """What the page shows: paragraphs, and the rows of the two tables."""

    paragraphs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    datasets: list[dict[str, Any]] = field(default_factory=list)
    not_included: list[dict[str, Any]] = field(default_factory=list)


def describe(service: SettingsService, view: SettingView, answer: UsageAnswer,
             lang: str) -> UsageWords:
    t = translations(lang)
    _: Callable[[str], str] = t.gettext
    ngettext = t.ngettext
    words = UsageWords()
    policy = service.policy
    if answer.problem == "no_registry":
        words.paragraphs.append(_("Information on whether your data was used to train AI models "
                                  "is not available here."))
        return words
    if not answer.available:
        words.paragraphs.append(_("Information on whether your data was used to train AI models "
                                  "cannot be read right now. Please try again later."))
        return words
    usage = answer.usage
    assert usage is not None
    erasure = view.erasure
    models = answer.models()
    used_ids = {s for r in answer.trained_runs() for s in r.snapshots}

    if usage.snapshots:
        n = len(usage.snapshots)
        first, last = usage.snapshots[0].as_of, usage.snapshots[-1].as_of
        if n == 1:
            words.paragraphs.append(_("Your data was included in one training dataset, dated "
                                      "%(first)s.") % {"first": day(first, lang)})
        else:
            words.paragraphs.append(ngettext(
                "Your data was included in %(num)d training dataset, dated between %(first)s "
                "and %(last)s.",
                "Your data was included in %(num)d training datasets, dated between %(first)s "
                "and %(last)s.", n) % {"num": n, "first": day(first, lang),
                                       "last": day(last, lang)})
        k = sum(1 for s in usage.snapshots if s.snapshot_id in used_ids)
        listed = format_list([_model_words(m, lang) for m in models], locale=locale(lang)) \
            if models else ""
        if k == 0:
            words.paragraphs.append(_("None of them has been used to train a model so far."))
        elif n == 1:
            words.paragraphs.append(_("It was used to train %(models)s.") % {"models": listed})
        else:
            words.paragraphs.append(ngettext(
                "%(num)d of them was used to train %(models)s.",
                "%(num)d of them were used to train %(models)s.", k) % {"num": k,
                                                                        "models": listed})
    else:
        reason = answer.why_not_used or NOT_YET
        if reason in NOT_YET_REASONS:
            words.paragraphs.append(_("Your data is not yet in any training dataset, so it has "
                                      "not been used to train AI models."))
        else:
            words.paragraphs.append(_("None of our training datasets includes your data, so it "
                                      "has not been used to train AI models."))
        why = _why_words(service, view, reason, answer, lang)
        if why:
            words.paragraphs.append(why)

    if usage.opted_out_at is not None:
        off = day(usage.opted_out_at, lang)
        after = usage.first_snapshot_after_opt_out
        if after is None:
            words.paragraphs.append(_("Since you turned the setting off on %(date)s, no new "
                                      "dataset includes your data; none has been prepared "
                                      "since.") % {"date": off})
        elif after["holds_member"] is None:
            words.paragraphs.append(_("You turned the setting off on %(date)s. The first "
                                      "dataset prepared after that, dated %(first)s, could "
                                      "not be checked just now.")
                                    % {"date": off, "first": day(instant(after["as_of"]), lang)})
        elif not after["holds_member"]:
            words.paragraphs.append(_("Since you turned the setting off on %(date)s, no new "
                                      "dataset includes your data (the first one prepared "
                                      "after that is dated %(first)s).")
                                    % {"date": off, "first": day(instant(after["as_of"]), lang)})
        else:
            words.warnings.append(_("You turned the setting off on %(date)s, yet the dataset "
                                    "dated %(first)s, prepared after that, includes your data. "
                                    "This should not happen: please contact us.")
                                  % {"date": off, "first": day(instant(after["as_of"]), lang)})
        if usage.snapshots and not policy.setting.retroactive:
            words.paragraphs.append(_("Models trained before that stay as they were."))
    elif (usage.snapshots and view.state.value and erasure is None
          and not view.profile.reasons):
        words.paragraphs.append(_("While the setting is on, datasets prepared from now on may "
                                  "include your data."))

    if erasure is not None:
        words.paragraphs.append(_("You asked for your data to be erased on %(date)s (receipt "
                                  "%(receipt)s). No dataset prepared after that includes your "
                                  "data, whatever the switch shows, and the request cannot be "
                                  "undone.") % {"date": day(erasure.effective_at, lang),
                                                "receipt": erasure.receipt_id[:8]})
        if usage.snapshots:
            words.paragraphs.append(_("Datasets prepared before your request, and models "
                                      "already trained on them, are not changed by it."))

    if not usage.complete:
        words.warnings.append(_("Some datasets could not be checked just now, so this answer "
                                "may be incomplete."))
    if usage.deleted_snapshots:
        d = len(usage.deleted_snapshots)
        words.paragraphs.append(ngettext(
            "%(num)d older dataset has been deleted entirely and could not be checked.",
            "%(num)d older datasets have been deleted entirely and could not be checked.", d)
            % {"num": d})

    by_snapshot: dict[str, list[str]] = {}
    for m in models:
        for s in m["snapshots"]:
            by_snapshot.setdefault(s, []).append(model_name(m["name"], m["version"]))
    order = {kind: i for i, kind in enumerate(KIND_LABELS)}
    for s in usage.snapshots:
        kinds = sorted(s.records_by_kind.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99)))
        words.datasets.append({
            "date": day(s.as_of, lang),
            "snapshot_id": s.snapshot_id,
            "records": s.records,
            "what": _kinds_words(kinds, lang),
            "models": ", ".join(by_snapshot.get(s.snapshot_id, [])) or _("not used so far"),
            "state": _(STATE_LABELS[s.state]) if s.state in STATE_LABELS else "",
        })
    for n in answer.not_included:
        label = REASON_LABELS.get(n.reason, REASON_LABELS[NOT_INCLUDED])
        words.not_included.append({"date": day(n.as_of, lang), "snapshot_id": n.snapshot_id,
                                   "why": _(label)})
    return words


SHOWN_KINDS = 6  # the page lists the kinds with most records; the access report has them all


def _kinds_words(kinds: list[tuple[str, int]], lang: str) -> str:
    t = translations(lang)
    shown = [f"{t.gettext(KIND_LABELS[k]) if k in KIND_LABELS else k} ({n})"
             for k, n in kinds[:SHOWN_KINDS]]
    rest = len(kinds) - SHOWN_KINDS
    if rest > 0:
        shown.append(t.ngettext("and %(num)d other kind", "and %(num)d other kinds", rest)
                     % {"num": rest})
    return ", ".join(shown)


def _model_words(model: dict[str, Any], lang: str) -> str:
    _ = translations(lang).gettext
    name = model_name(model["name"], model["version"])
    if model["state"] == "trained":
        return _("%(model)s (trained %(date)s)") % {"model": name,
                                                   "date": day(model["trained_at"], lang)}
    return _("%(model)s (training started %(date)s, not finished yet)") % {
        "model": name, "date": day(model["started_at"], lang)}


def _why_words(service: SettingsService, view: SettingView, reason: str, answer: UsageAnswer,
               lang: str) -> str | None:
    _ = translations(lang).gettext
    policy = service.policy
    age = policy.minors.adult_age
    if reason == "minor_age":
        return _("Our records show that you are under %(age)s, and we never use the data of "
                 "members under %(age)s.") % {"age": age}
    if reason == "minor_secondary_school":
        return _("Our records show that you are in secondary school, so we treat you as under "
                 "%(age)s and never use your data.") % {"age": age}
    if reason == "region_not_started":
        region = policy.region_for(view.profile.country) if view.profile.known else None
        if region is not None:
            return _("Training with the data of members in your region (%(region)s) starts on "
                     "%(date)s; the datasets prepared so far are from before that.") % {
                "region": region.name, "date": day(region.training_start, lang)}
        return _("Training had not started in your region when the datasets were prepared.")
    if reason == "region_unknown":
        return _("We do not know which region you are in, and we never use the data of members "
                 "we cannot place.")
    if reason == "opted_out":
        return _("Your setting was off when the datasets were prepared.") \
            if answer.not_included else _("Your setting is off.")
    if reason == "erasure":
        return _("You asked for your data to be erased.")
    if reason == "deleted":
        return _("Your account was deleted.")
    if reason in ("consent_conflict", "consent_unreadable"):
        return _("Our records of your setting disagreed or could not be read, and in that case "
                 "we leave your data out.")
    if reason == "age_unknown":
        return _("We could not tell whether you are an adult, and in that case we leave your "
                 "data out.")
    if reason == NO_USABLE_RECORDS:
        return _("You could have been included, but none of your content was of a kind, or "
                 "had a visibility, that we use (for example, only private messages, or posts "
                 "visible to your connections only).")
    if reason == "not_notified":
        days = policy.setting.notice_days
        return _("We had not told you about this setting at least %(days)s days before the "
                 "datasets were prepared, and we do not use the data of members who were not "
                 "told in time.") % {"days": days}
    if reason == "not_joined":
        return _("The datasets prepared so far are from before you joined.")
    if reason == NOT_YET and answer.datasets_built == 0:
        return _("No training dataset has been prepared yet.")
    return None


# -- the access report (GDPR Art. 15 style) -----------------------------------------------------
REPORT_FORMAT = "consentgate-access-report/1"


def access_report(service: SettingsService, view: SettingView, answer: UsageAnswer,
                  lang: str) -> dict[str, Any]:
    """Everything the member may ask under Art. 15 about this processing, as one JSON
    object: who, why, on what basis, which data, which datasets and models, their choices
    with receipts, and their rights."""
    from consentgate.registry.times import utc_z as format_time

    t = translations(lang)
    _ = t.gettext
    policy = service.policy
    controller = service.config.controller
    info = policy.policy
    usage = answer.usage
    region = policy.region_for(view.profile.country) if view.profile.known else None
    words = describe(service, view, answer, lang)

    def when(value: dt.datetime | None) -> str | None:
        return format_time(value) if value is not None else None

    found_categories = sorted({c for s in (usage.snapshots if usage else []) for c in s.categories})
    report: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "generated_at": format_time(answer.checked_at),
        "generated_by": f"consentgate {__version__}",
        "language": lang,
        "data_subject": {
            "member_id": view.member_id,
            "country": view.profile.country,
            "region": region.id if region is not None else None,
        },
        "controller": {
            "name": controller.name if controller else None,
            "url": controller.url if controller else None,
            "contact": controller.contact if controller else None,
            "address": controller.address if controller else None,
        },
        "processing": {
            "purpose": PURPOSE,
            "purpose_type": info.data_use,
            "legal_basis": info.legal_basis,
            "setting": {
                "key": policy.setting.key,
                "name": policy.setting.name.get(lang, policy.setting.name["en"]),
                "default": policy.setting.default,
                "retroactive": policy.setting.retroactive,
            },
            "policy": {"id": info.id, "version": info.version, "title": info.title},
            "privacy_notice": {"url": info.notice_url, "version": info.notice_version},
            "source_of_the_data": _("What you gave the platform and the content you created "
                                    "on it."),
            "safeguards": _("Contact details, account and card numbers, national identity "
                            "numbers and salary figures found in text are removed before "
                            "training, and you appear under a pseudonym.")
            if policy.redaction.classes and policy.redaction.pseudonymize_author else None,
            "not_stated_in_this_report": {
                "recipients": _("Not stated in the policy: ask the controller."),
                "retention_period": _("Not stated in the policy: ask the controller."),
            },
        },
        "categories_of_data": {
            "by_policy": [
                {"kind": kind, "category": rule.category, "used": rule.used,
                 "visibility": list(rule.visibility)}
                for kind, rule in sorted(policy.kinds.items())
            ],
            "found_in_your_datasets": found_categories,
        },
        "usage_available": answer.available,
        "summary": words.paragraphs + words.warnings,
        "datasets": [
            {"snapshot_id": s.snapshot_id, "as_of": when(s.as_of), "state": s.state,
             "records": s.records, "records_by_kind": dict(s.records_by_kind),
             "categories": list(s.categories),
             "first_record_created_at": when(s.first_created_at),
             "last_record_created_at": when(s.last_created_at)}
            for s in (usage.snapshots if usage else [])
        ],
        "datasets_without_your_data": [
            {"snapshot_id": n.snapshot_id, "as_of": when(n.as_of), "reason": n.reason}
            for n in answer.not_included
        ],
        "models": [
            {"name": m["name"], "version": m["version"], "state": m["state"],
             "trained_at": when(m["trained_at"]), "snapshots": m["snapshots"]}
            for m in answer.models()
        ],
        "training_runs": [
            {"run_id": r.run_id, "model": r.model, "model_version": r.model_version,
             "state": r.state, "started_at": when(r.started_at),
             "finished_at": when(r.finished_at), "snapshots": list(r.snapshots)}
            for r in (usage.runs if usage else [])
        ],
        "why_not_used": answer.why_not_used,
        "setting": {
            "value_now": view.state.value,
            "is_default": view.state.from_default,
            "opted_out_at": when(usage.opted_out_at) if usage else None,
            "first_snapshot_after_opt_out": usage.first_snapshot_after_opt_out if usage else None,
            "history": [
                {"event": event_kind(e.setting, e.value, service.key), "setting": e.setting,
                 "value": e.value, "effective_at": when(e.effective_at),
                 "recorded_at": when(e.recorded_at), "source": e.source,
                 "receipt_id": e.receipt_id,
                 "receipt_url": f"/api/v1/me/receipts/{e.receipt_id}"}
                for e in sorted(view.history, key=lambda e: e.seq)
            ],
        },
        "erasure": _erasure_json(view),
        "rights": _rights(service, lang),
    }
    return report


def event_kind(setting: str, value: bool | None, key: str) -> str:
    if setting != key:
        return "erasure_requested"
    return "turned_on" if value else "turned_off"


def _erasure_json(view: SettingView) -> dict[str, Any]:
    from consentgate.registry.times import utc_z as format_time

    e = view.erasure
    if e is None:
        return {"requested": False, "requested_at": None, "receipt_id": None}
    return {"requested": True, "requested_at": format_time(e.effective_at),
            "receipt_id": e.receipt_id, "receipt_url": f"/api/v1/me/receipts/{e.receipt_id}"}


def _rights(service: SettingsService, lang: str) -> list[dict[str, str | None]]:
    _ = translations(lang).gettext
    policy = service.policy
    path = " → ".join(policy.setting.path.get(lang, policy.setting.path["en"]))
    key = policy.setting.key
    rights: list[dict[str, str | None]] = [
        {"right": "access", "article": "GDPR Art. 15",
         "how": _("Download this report from %(path)s, or GET /api/v1/me/access-report.")
         % {"path": path}},
        {"right": "object", "article": "GDPR Art. 21",
         "how": _("Turn the switch off in %(path)s, or PUT /api/v1/me/settings/%(key)s with "
                  "{\"value\": false}. It works from then on.") % {"path": path, "key": key}},
        {"right": "erasure", "article": "GDPR Art. 17",
         "how": _("Ask for erasure in %(path)s, or POST /api/v1/me/erasure. It cannot be "
                  "undone.") % {"path": path}},
        {"right": "rectification", "article": "GDPR Art. 16",
         "how": _("Correct your profile on the platform.")},
        {"right": "complaint", "article": "GDPR Art. 77",
         "how": _("You may lodge a complaint with a data protection supervisory authority.")},
    ]
    if policy.policy.objection_url:
        rights.append({"right": "object_to_other_processing", "article": "GDPR Art. 21",
                       "how": _("For other uses of your data, use the Data Processing "
                                "Objection form: %(url)s") % {"url": policy.policy.objection_url}})
    return rights
