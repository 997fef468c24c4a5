"""The JSON API for the platform's apps (member token) and for administrators (admin key)."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from typing import Annotated, Any, Literal

import pyarrow.parquet as pq
from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request, Response
from fastapi.security import APIKeyHeader, HTTPBearer
from starlette.concurrency import run_in_threadpool

from consentgate.ledger.errors import EventRejected
from consentgate.ledger.exchange import META_HEAD_HASH, META_HEAD_SEQ, events_table_as_of
from consentgate.ledger.objections import STATUSES, Objection
from consentgate.ledger.receipts import objection_receipt
from consentgate.ledger.store import NewEvent, SettingState
from consentgate.ledger.verify import verify_ledger
from consentgate.policy.model import Setting
from consentgate.service.auth import MemberIdentity, bearer_member, require_admin
from consentgate.service.core import ReceiptFormat, SettingsService, SettingView
from consentgate.service.i18n import pick_language
from consentgate.service.members import MemberProfile
from consentgate.service.schemas import (
    ERROR_RESPONSES,
    AdminObjectionOut,
    AdminObjectionsOut,
    ChangeIn,
    ChangeOut,
    ContractEvent,
    DecisionIn,
    DeletedSnapshotOut,
    ErasureIn,
    ErasureOut,
    ErasureStatusOut,
    ErrorOut,
    EventOut,
    ExportOut,
    FirstAfterOptOutOut,
    HistoryOut,
    ImportIn,
    ImportOut,
    NotIncludedOut,
    ObjectionFiledOut,
    ObjectionIn,
    ObjectionOut,
    ObjectionsOut,
    ProblemOut,
    SettingKey,
    SettingOut,
    SettingsOut,
    UsageEventOut,
    UsageModelOut,
    UsageOut,
    UsageRunOut,
    UsageSnapshotOut,
    UtcInstant,
    VerifyOut,
)
from consentgate.service.strict_json import StrictJSONRoute
from consentgate.service.usage import (
    UsageAnswer,
    access_report,
    describe,
    event_kind,
    instant,
)

# Declared for the OpenAPI schema; the checks themselves are in ``auth``.
member_scheme = HTTPBearer(
    scheme_name="memberToken",
    bearerFormat="JWT",
    description="HS256 JWT signed by the platform: sub = member id, iss, aud, iat, exp "
    "(at most 24 h after iat), optional lang.",
    auto_error=False,
)
admin_scheme = APIKeyHeader(
    name="X-Admin-Key", scheme_name="adminKey",
    description="The administrator key (CONSENTGATE_ADMIN_KEY).", auto_error=False,
)

ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "No admin key"},
    403: {"model": ErrorOut, "description": "Wrong admin key, or bulk endpoints off"},
    413: {"model": ErrorOut, "description": "Body too large"},
}


def _service(request: Request) -> SettingsService:
    return request.app.state.service


# Both checks are async (they only compute): FastAPI would run a plain function in its thread
# pool, a thread hop per request.
async def member(
    request: Request, _: Annotated[Any, Depends(member_scheme)] = None
) -> MemberIdentity:
    """The member the bearer token names (401 otherwise)."""
    return bearer_member(_service(request).config, request)


async def admin(request: Request, _: Annotated[Any, Depends(admin_scheme)] = None) -> None:
    require_admin(_service(request).config, request)


async def member_with_gpc(
    request: Request, identity: Annotated[MemberIdentity, Depends(member)]
) -> MemberIdentity:
    """The member, after recording the opt-out a ``Sec-GPC: 1`` header means for them
    (once per setting; see ``SettingsService.honour_gpc``)."""
    if request.headers.get("sec-gpc", "").strip() == "1":
        await run_in_threadpool(_service(request).honour_gpc, identity.member_id,
                                identity.language)
    return identity


# Module-level aliases: FastAPI resolves string annotations in the module's namespace.
Member = Annotated[MemberIdentity, Depends(member_with_gpc)]
Lang = Annotated[Literal["en", "fr"] | None, Query(description="Language of the texts")]


def setting_out(
    service: SettingsService, state: SettingState, profile: MemberProfile, language: str,
    setting: Setting | None = None,
) -> SettingOut:
    setting = setting or service.policy.setting
    last = state.last_event
    return SettingOut(
        setting=setting.key,
        purpose=service.policy.purpose_of(setting),
        recipient=setting.recipient,
        mechanism=setting.mechanism,
        name=setting.name.get(language, setting.name["en"]),
        toggle=setting.toggle.get(language, setting.toggle["en"]),
        value=state.value,
        is_default=state.from_default,
        effective_since=last.effective_at if last else None,
        last_receipt_id=last.receipt_id if last else None,
        never_used=profile.is_minor,
        never_used_reason=str(profile.minor_reason) if profile.minor_reason else None,
        retroactive=setting.retroactive,
        language=language,  # type: ignore[arg-type]
    )


def objection_receipt_json(service: SettingsService, o: Objection) -> dict[str, Any]:
    return objection_receipt(o, service.policy, service.config.controller)


def objection_out(service: SettingsService, o: Objection, language: str,
                  admin: bool = False) -> ObjectionOut:
    setting = service.policy.setting_for(o.setting) if o.setting in \
        service.policy.setting_keys() else None
    fields: dict[str, Any] = dict(
        objection_id=o.objection_id, setting=o.setting,
        setting_name=setting.name.get(language, setting.name["en"]) if setting else o.setting,
        text=o.text, status=o.status, filed_at=o.filed_at, answer_due_by=o.due_at,
        overdue=o.overdue(service.now()), decided_at=o.decided_at, reason=o.reason,
        event_receipt_id=o.event_receipt_id,
        receipt_url=f"/api/v1/me/objections/{o.objection_id}/receipt",
    )
    if admin:
        return AdminObjectionOut(**fields, member_id=o.member_id, jurisdiction=o.jurisdiction,
                                 decided_by=o.decided_by)
    return ObjectionOut(**fields)


def usage_out(
    service: SettingsService, view: SettingView, answer: UsageAnswer, language: str
) -> UsageOut:
    usage = answer.usage
    assert usage is not None
    runs = answer.trained_runs()
    after = usage.first_snapshot_after_opt_out
    erasure = view.erasure
    return UsageOut(
        checked_at=answer.checked_at,
        language=language,  # type: ignore[arg-type]
        used=answer.used,
        complete=answer.complete,
        snapshots=[
            UsageSnapshotOut(
                snapshot_id=s.snapshot_id, as_of=s.as_of, state=s.state, records=s.records,
                records_by_kind=dict(s.records_by_kind), categories=list(s.categories),
                first_created_at=s.first_created_at, last_created_at=s.last_created_at,
                used_by_runs=[r.run_id for r in runs if s.snapshot_id in r.snapshots],
            )
            for s in usage.snapshots
        ],
        runs=[
            UsageRunOut(run_id=r.run_id, model=r.model, model_version=r.model_version,
                        state=r.state, started_at=r.started_at, finished_at=r.finished_at,
                        snapshots=list(r.snapshots))
            for r in usage.runs
        ],
        models=[UsageModelOut(name=m["name"], version=m["version"], state=m["state"],
                              trained_at=m["trained_at"], runs=m["runs"],
                              snapshots=m["snapshots"]) for m in answer.models()],
        not_included=[NotIncludedOut(snapshot_id=n.snapshot_id, as_of=n.as_of, state=n.state,
                                     reason=n.reason) for n in answer.not_included],
        deleted_snapshots=[DeletedSnapshotOut(snapshot_id=d.snapshot_id, as_of=d.as_of,
                                              deleted_at=d.state_changed_at)
                           for d in usage.deleted_snapshots],
        why_not_used=answer.why_not_used,
        setting_value=view.state.value,
        setting_is_default=view.state.from_default,
        opted_out_at=usage.opted_out_at,
        first_snapshot_after_opt_out=FirstAfterOptOutOut(
            snapshot_id=after["snapshot_id"], as_of=instant(after["as_of"]),
            includes_you=after["holds_member"]) if after else None,
        erasure=ErasureStatusOut(
            requested=erasure is not None,
            requested_at=erasure.effective_at if erasure else None,
            receipt_id=erasure.receipt_id if erasure else None,
            receipt_url=f"/api/v1/me/receipts/{erasure.receipt_id}" if erasure else None,
        ),
        history=[
            UsageEventOut(event=event_kind(e.setting, e.value, service.key),  # type: ignore[arg-type]
                          setting=e.setting, value=e.value, effective_at=e.effective_at,
                          recorded_at=e.recorded_at, source=e.source, receipt_id=e.receipt_id)
            for e in sorted(view.history, key=lambda e: e.seq)
        ],
        summary=(words := describe(service, view, answer, language)).paragraphs
        + words.warnings,
    )


async def record_change(
    service: SettingsService, identity: MemberIdentity, change: ChangeIn,
    key: str | None = None,
) -> Response:
    """What ``PUT /api/v1/me/settings/{key}`` does once its input is checked (the route and
    its fast path, ``service.fastpath``, share it): record the change, answer ChangeOut.

    async: the request waits for its batch's commit (group commit) without a thread."""
    event, state, profile = await service.change_async(
        identity.member_id, change.value, change.source, change.language or identity.language,
        key)
    language = pick_language(change.language, identity.language, profile.language)
    setting = service.policy.setting_for(key)
    body = ChangeOut(
        state=setting_out(service, state, profile, language, setting),
        event=EventOut.of(event),
        receipt_url=f"/api/v1/me/receipts/{event.receipt_id}",
    )
    # Built and checked here already: returned as is rather than validated a second time
    # against response_model (which still documents it).
    return Response(body.model_dump_json(), media_type="application/json")


NO_REGISTRY = ("usage information is not available here: the service runs without a registry "
               "of training datasets (consentgate serve --registry URL)")
REGISTRY_DOWN = "the registry of training datasets cannot be read right now, retry later"


def build_api(service: SettingsService) -> APIRouter:
    key = service.key
    router = APIRouter(prefix="/api/v1", route_class=StrictJSONRoute)

    def language_of(identity: MemberIdentity, lang: str | None, view: SettingView) -> str:
        return pick_language(lang, identity.language, view.profile.language)

    @router.get(f"/me/settings/{key}", response_model=SettingOut, tags=["member"],
                responses=ERROR_RESPONSES, summary="My setting, now")
    def get_setting(identity: Member, lang: Lang = None) -> SettingOut:
        view = service.view(identity.member_id)
        return setting_out(service, view.state, view.profile, language_of(identity, lang, view))

    @router.put(f"/me/settings/{key}", response_model=ChangeOut, tags=["member"],
                responses=ERROR_RESPONSES, summary="Turn my setting on or off, from now on")
    async def put_setting(identity: Member, change: ChangeIn) -> Response:
        return await record_change(service, identity, change)

    @router.get("/me/settings", response_model=SettingsOut, tags=["member"],
                responses=ERROR_RESPONSES,
                summary="Every setting shown in my region (switches and objections), now")
    def list_settings(identity: Member, lang: Lang = None) -> SettingsOut:
        first = service.view(identity.member_id)
        language = language_of(identity, lang, first)
        out = []
        for setting in service.shown_settings(first.profile):
            view = first if setting.key == key else service.view(identity.member_id,
                                                                   setting.key)
            out.append(setting_out(service, view.state, view.profile, language, setting))
        return SettingsOut(settings=out)

    def _other(key_: str) -> Setting:
        if key_ not in service.policy.setting_keys() or key_ == key:
            raise HTTPException(404, f"no setting {key_!r} in policy {service.policy.id!r}")
        return service.policy.setting_for(key_)

    @router.get("/me/settings/{setting_key}", response_model=SettingOut, tags=["member"],
                responses=ERROR_RESPONSES, summary="Another of my settings, now")
    def get_other_setting(identity: Member, setting_key: SettingKey,
                          lang: Lang = None) -> SettingOut:
        setting = _other(setting_key)
        view = service.view(identity.member_id, setting.key)
        if setting not in service.shown_settings(view.profile):
            raise HTTPException(404, f"{setting.key!r} does not apply in your region")
        return setting_out(service, view.state, view.profile,
                           language_of(identity, lang, view), setting)

    @router.put("/me/settings/{setting_key}", response_model=ChangeOut, tags=["member"],
                responses=ERROR_RESPONSES,
                summary="Turn another of my settings on or off, from now on")
    async def put_other_setting(identity: Member, setting_key: SettingKey,
                                change: ChangeIn) -> Response:
        return await record_change(service, identity, change, _other(setting_key).key)

    # -- objections (GDPR Art. 21) -----------------------------------------------------------
    @router.post("/me/objections", response_model=ObjectionFiledOut, status_code=201,
                 tags=["member"],
                 responses={**ERROR_RESPONSES, 200: {
                     "model": ObjectionFiledOut,
                     "description": "One is already pending for this purpose: it is returned, "
                     "nothing new is recorded"},
                     409: {"model": ErrorOut, "description": "Already upheld"}},
                 summary="Object to a purpose (GDPR Art. 21); answered within one month")
    def file_objection(identity: Member, body: ObjectionIn,
                       response: Response) -> ObjectionFiledOut:
        language = body.language or identity.language
        objection, already = service.file_objection(identity.member_id, body.setting,
                                                    body.text, body.source, language)
        if already:
            response.status_code = 200
        lang = pick_language(body.language, identity.language)
        return ObjectionFiledOut(
            already_pending=already, objection=objection_out(service, objection, lang),
            message=("you already have an objection pending for this purpose; nothing new "
                     "was recorded") if already else
            "your objection is recorded; the answer is due within one month")

    @router.get("/me/objections", response_model=ObjectionsOut, tags=["member"],
                responses=ERROR_RESPONSES, summary="My objections and their answers")
    def my_objections(identity: Member, lang: Lang = None) -> ObjectionsOut:
        language = pick_language(lang, identity.language)
        return ObjectionsOut(objections=[objection_out(service, o, language) for o in
                                         service.objections.of_member(identity.member_id)])

    @router.get("/me/objections/{objection_id}/receipt", tags=["member"],
                responses={**ERROR_RESPONSES,
                           404: {"model": ErrorOut, "description": "No such objection of mine"}},
                summary="The receipt of one of my objections (JSON)")
    def objection_receipt(identity: Member, objection_id: uuid.UUID) -> dict[str, Any]:
        objection = service.objections.get(str(objection_id))
        if objection is None or objection.member_id != identity.member_id:
            raise HTTPException(404, "no such objection")
        return objection_receipt_json(service, objection)

    @router.get("/admin/objections", response_model=AdminObjectionsOut, tags=["admin"],
                dependencies=[Depends(admin)], responses=ADMIN_ERRORS,
                summary="The objection queue: pending ones by due date, or by status")
    def objection_queue(
        status: Annotated[Literal["pending", "upheld", "rejected", "all"],
                          Query(description="Which objections")] = "pending",
    ) -> AdminObjectionsOut:
        wanted = None if status == "all" else status
        assert wanted is None or wanted in STATUSES
        return AdminObjectionsOut(objections=[
            objection_out(service, o, "en", admin=True)  # type: ignore[misc]
            for o in service.objections.queue(wanted)])

    @router.post("/admin/objections/{objection_id}/decision", response_model=AdminObjectionOut,
                 tags=["admin"], dependencies=[Depends(admin)],
                 responses={**ADMIN_ERRORS, 404: {"model": ErrorOut, "description":
                                                  "No such objection"},
                            409: {"model": ErrorOut, "description": "Already answered"}},
                 summary="Uphold or reject a pending objection, once, with a reason")
    def decide_objection(objection_id: uuid.UUID, body: DecisionIn) -> AdminObjectionOut:
        answered, _event = service.objections.decide(
            str(objection_id), body.decision == "uphold", body.reason, body.decided_by)
        return objection_out(service, answered, "en", admin=True)  # type: ignore[return-value]

    @router.get("/me/history", response_model=HistoryOut, tags=["member"],
                responses=ERROR_RESPONSES,
                summary="Every change of my setting and my erasure request, newest first")
    def history(identity: Member) -> HistoryOut:
        events = service.history(identity.member_id)
        return HistoryOut(setting=key, events=[EventOut.of(e) for e in events])

    @router.get("/me/usage", response_model=UsageOut, tags=["member"],
                responses={**ERROR_RESPONSES, 503: {
                    "model": ErrorOut, "description": "No registry of training datasets "
                    "configured, or it cannot be read now"}},
                summary="Was my data used? My datasets, the runs and models that used them")
    def usage(identity: Member, lang: Lang = None) -> UsageOut:
        view = service.view(identity.member_id)
        answer = service.usage(view)
        if answer.problem == "no_registry":
            raise HTTPException(503, NO_REGISTRY)
        if not answer.available:
            raise HTTPException(503, REGISTRY_DOWN, headers={"Retry-After": "5"})
        return usage_out(service, view, answer, language_of(identity, lang, view))

    @router.get("/me/access-report", tags=["member"],
                responses={**ERROR_RESPONSES, 200: {
                    "content": {"application/json": {"schema": {"type": "object"}}},
                    "description": "My access report (GDPR Art. 15 style), as a JSON file"}},
                summary="Download my access report: purposes, basis, data, datasets, models, "
                "choices and rights")
    def report(identity: Member, lang: Lang = None) -> Response:
        view = service.view(identity.member_id)
        language = language_of(identity, lang, view)
        answer = service.usage(view)
        return report_response(access_report(service, view, answer, language), answer)

    @router.post("/me/erasure", response_model=ErasureOut, status_code=201, tags=["member"],
                 responses={**ERROR_RESPONSES, 200: {
                     "model": ErasureOut, "description": "Already requested: nothing new "
                     "recorded"}},
                 summary="Ask for my data to be erased (GDPR Art. 17); cannot be undone")
    def erasure(identity: Member, response: Response,
                body: Annotated[ErasureIn | None, Body()] = None) -> ErasureOut:
        body = body or ErasureIn()
        language = body.language or identity.language
        event, already = service.request_erasure(identity.member_id, body.source, language)
        if already:
            response.status_code = 200
        message = ("your erasure request was already recorded; nothing new was recorded"
                   if already else "your erasure request is recorded: no training dataset "
                   "prepared from now on includes your data")
        return ErasureOut(already_requested=already, requested_at=event.effective_at,
                          receipt_id=event.receipt_id,
                          receipt_url=f"/api/v1/me/receipts/{event.receipt_id}",
                          event=EventOut.of(event), message=message)

    @router.get("/me/receipts/{receipt_id}", tags=["member"],
                responses={**ERROR_RESPONSES,
                           404: {"model": ErrorOut, "description": "No such receipt of mine"}},
                summary="The receipt of one of my changes (ISO/IEC TS 27560 or Kantara JSON)")
    def receipt(
        identity: Member,
        receipt_id: uuid.UUID,
        format: Annotated[ReceiptFormat, Query(description="iso27560 (default) or kantara")]
        = "iso27560",
    ) -> dict[str, Any]:
        event = service.own_event(identity.member_id, str(receipt_id))
        if event is None:
            raise HTTPException(404, "no such receipt")
        return service.receipt(event, format)

    # -- the log, for anyone: heads to keep, proofs between them -----------------------------
    @router.get("/log/head", tags=["log"], summary="The log's latest signed tree head")
    def log_head() -> dict[str, Any]:
        with service.ledger.read() as conn:
            signed = service.ledger.latest_tree_head(conn)
            head = service.ledger.head(conn)
        return {"signed_head": signed.as_json() if signed else None,
                "log_id": head.log_id, "tree_size": head.seq, "root_hash": head.hash}

    @router.get("/log/keys", tags=["log"],
                summary="The public keys the log signs and signed its heads with")
    def log_keys() -> dict[str, Any]:
        keys = service.ledger.keys()
        return {"keys": [{"key_id": k, "ed25519": v["public_key"],
                          "retired": v["retired_us"] is not None} for k, v in keys.items()]}

    @router.get("/log/consistency", tags=["log"],
                summary="Proof that the tree of `first` events is a prefix of the tree of "
                "`second` (RFC 9162)")
    def log_consistency(
        first: Annotated[int, Query(ge=0, le=2**62)],
        second: Annotated[int | None, Query(ge=0, le=2**62,
                                            description="Default: the latest signed head")]
        = None,
    ) -> dict[str, Any]:
        with service.ledger.read() as conn:
            size = service.ledger.head(conn).seq
            if second is None:
                signed = service.ledger.latest_tree_head(conn)
                second = signed.tree_size if signed else size
            if not first <= second <= size:
                raise HTTPException(422, f"need first <= second <= {size} (the log's size)")
            proof = service.ledger.consistency_proof(first, second, conn)
            root = service.ledger.root_at(second, conn)
        return {"first": first, "second": second, "second_root": root, "proof": proof}

    # -- administrators -------------------------------------------------------------------
    @router.post("/admin/events/import", response_model=ImportOut, tags=["admin"],
                 dependencies=[Depends(admin)], responses=ADMIN_ERRORS,
                 summary="Import events (all or nothing; events already held are skipped)")
    def import_events(body: ImportIn) -> ImportOut:
        policy = service.policy.policy
        events = [
            NewEvent(member_id=e.member_id, setting=e.setting, value=e.value, source=e.source,
                     policy_id=policy.id, policy_version=policy.version,
                     effective_at=e.effective_at)
            for e in body.events
        ]
        try:
            result = service.ledger.import_events(events)
        except EventRejected as exc:
            raise HTTPException(422, str(exc)) from exc
        head = service.ledger.head()
        return ImportOut(added=len(result.added), skipped=result.skipped,
                         head_seq=head.seq, head_hash=head.hash)

    @router.get("/admin/events/export", tags=["admin"], dependencies=[Depends(admin)],
                responses={**ADMIN_ERRORS, 200: {
                    "model": ExportOut,
                    "content": {"application/vnd.apache.parquet": {}},
                    "description": "Events effective at or before as_of, in the "
                    "preference_events contract, with the head hash"}},
                summary="Export events up to an instant (JSON or Parquet)")
    def export_events(
        as_of: Annotated[UtcInstant | None, Query(description="Default: now")] = None,
        format: Annotated[Literal["json", "parquet"], Query()] = "json",
    ) -> Response:
        instant = as_of or service.now()
        table = events_table_as_of(service.ledger, instant)
        meta = table.schema.metadata
        head_seq, head = int(meta[META_HEAD_SEQ]), meta[META_HEAD_HASH].decode()
        headers = {"X-Ledger-Head-Hash": head, "X-Ledger-Head-Seq": str(head_seq)}
        if format == "parquet":
            buffer = io.BytesIO()
            pq.write_table(table, buffer)
            headers["Content-Disposition"] = 'attachment; filename="preference_events.parquet"'
            return Response(buffer.getvalue(), media_type="application/vnd.apache.parquet",
                            headers=headers)
        body = ExportOut(as_of=instant, head_seq=head_seq, head_hash=head,
                         events=[ContractEvent(**r) for r in table.to_pylist()])
        return Response(body.model_dump_json(), media_type="application/json", headers=headers)

    @router.get("/admin/verify", response_model=VerifyOut, tags=["admin"],
                dependencies=[Depends(admin)], responses=ADMIN_ERRORS,
                summary="Check the whole log (one consistent read), as `ledger verify`")
    def verify() -> VerifyOut:
        report = verify_ledger(service.ledger)
        return VerifyOut(
            ok=report.ok, events=report.events, head_seq=report.head_seq,
            head_hash=report.head_hash,
            problems=[ProblemOut(**p.__dict__) for p in report.problems],
        )

    return router


def report_response(report: dict[str, Any], answer: UsageAnswer) -> Response:
    stamp = answer.checked_at.astimezone(dt.UTC).strftime("%Y%m%d")
    return Response(
        json.dumps(report, indent=2, ensure_ascii=False), media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="access-report-{stamp}.json"'},
    )
