"""The JSON API for the platform's apps (member token) and for administrators (admin key)."""

from __future__ import annotations

import io
import uuid
from typing import Annotated, Any, Literal

import pyarrow.parquet as pq
from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.security import APIKeyHeader, HTTPBearer

from consentgate.ledger.errors import EventRejected
from consentgate.ledger.exchange import META_HEAD_HASH, META_HEAD_SEQ, events_table_as_of
from consentgate.ledger.store import NewEvent, SettingState
from consentgate.ledger.verify import verify_ledger
from consentgate.service.auth import MemberIdentity, bearer_member, require_admin
from consentgate.service.core import ReceiptFormat, SettingsService, SettingView
from consentgate.service.i18n import pick_language
from consentgate.service.members import MemberProfile
from consentgate.service.schemas import (
    ERROR_RESPONSES,
    ChangeIn,
    ChangeOut,
    ContractEvent,
    ErrorOut,
    EventOut,
    ExportOut,
    HistoryOut,
    ImportIn,
    ImportOut,
    ProblemOut,
    SettingOut,
    UtcInstant,
    VerifyOut,
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


def member(request: Request, _: Annotated[Any, Depends(member_scheme)] = None) -> MemberIdentity:
    """The member the bearer token names (401 otherwise)."""
    return bearer_member(_service(request).config, request)


def admin(request: Request, _: Annotated[Any, Depends(admin_scheme)] = None) -> None:
    require_admin(_service(request).config, request)


# Module-level aliases: FastAPI resolves string annotations in the module's namespace.
Member = Annotated[MemberIdentity, Depends(member)]
Lang = Annotated[Literal["en", "fr"] | None, Query(description="Language of the texts")]


def setting_out(
    service: SettingsService, state: SettingState, profile: MemberProfile, language: str
) -> SettingOut:
    setting = service.policy.setting
    last = state.last_event
    return SettingOut(
        setting=setting.key,
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


def build_api(service: SettingsService) -> APIRouter:
    key = service.key
    router = APIRouter(prefix="/api/v1")

    def language_of(identity: MemberIdentity, lang: str | None, view: SettingView) -> str:
        return pick_language(lang, identity.language, view.profile.language)

    @router.get(f"/me/settings/{key}", response_model=SettingOut, tags=["member"],
                responses=ERROR_RESPONSES, summary="My setting, now")
    def get_setting(identity: Member, lang: Lang = None) -> SettingOut:
        view = service.view(identity.member_id)
        return setting_out(service, view.state, view.profile, language_of(identity, lang, view))

    @router.put(f"/me/settings/{key}", response_model=ChangeOut, tags=["member"],
                responses=ERROR_RESPONSES, summary="Turn my setting on or off, from now on")
    def put_setting(identity: Member, change: ChangeIn) -> ChangeOut:
        event, state, profile = service.change(identity.member_id, change.value, change.source,
                                               change.language or identity.language)
        language = pick_language(change.language, identity.language, profile.language)
        return ChangeOut(
            state=setting_out(service, state, profile, language),
            event=EventOut.of(event),
            receipt_url=f"/api/v1/me/receipts/{event.receipt_id}",
        )

    @router.get("/me/history", response_model=HistoryOut, tags=["member"],
                responses=ERROR_RESPONSES, summary="Every change of my setting, newest first")
    def history(identity: Member) -> HistoryOut:
        events = service.ledger.history(identity.member_id, key)
        return HistoryOut(setting=key, events=[EventOut.of(e) for e in events])

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
                summary="Check the hash chain")
    def verify() -> VerifyOut:
        report = verify_ledger(service.ledger)
        return VerifyOut(
            ok=report.ok, events=report.events, head_seq=report.head_seq,
            head_hash=report.head_hash,
            problems=[ProblemOut(**p.__dict__) for p in report.problems],
        )

    return router
