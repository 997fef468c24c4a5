"""The member's pages: Settings & Privacy → Data privacy → Data for Generative AI Improvement.

Plain HTML forms, no script: the switch is a submit button (role="switch") that posts the
new value with the session's CSRF token, and the page comes back (POST, redirect, GET) with
the saved change and its receipt.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import uuid
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

import jinja2
from babel.dates import format_datetime
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from consentgate.ledger.errors import EventRejected
from consentgate.ledger.receipts import objection_receipt, purpose_text
from consentgate.ledger.store import check_text
from consentgate.service.api import report_response
from consentgate.service.auth import (
    InvalidToken,
    MemberIdentity,
    check_csrf,
    csrf_token,
    mint_member_token,
    session_member,
    start_session,
    verify_member_token,
)
from consentgate.service.core import ReceiptFormat, SettingsService
from consentgate.service.i18n import (
    KIND_GROUPS,
    KIND_LABELS,
    LANGUAGE_NAMES,
    LANGUAGES,
    N_,
    PURPOSE_LABELS,
    SOURCE_LABELS,
    locale,
    negotiate,
    pick_language,
    translations,
)
from consentgate.service.strict_json import StrictJSONRoute
from consentgate.service.usage import access_report, day, describe, event_kind


@cache
def environment(language: str) -> jinja2.Environment:
    """One Jinja2 environment per language, with that language's gettext installed."""
    folder = str(resources.files("consentgate.service") / "templates")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    return env


def setting_slug(key: str) -> str:
    return key.replace("_", "-")


def build_pages(service: SettingsService) -> APIRouter:
    config = service.config
    policy = service.policy
    slug = setting_slug(service.key)
    setting_url = f"/settings/data-privacy/{slug}"
    router = APIRouter(include_in_schema=False, route_class=StrictJSONRoute)

    def language(request: Request, member_language: str | None = None) -> str:
        asked = request.query_params.get("lang")
        if asked in LANGUAGES:
            request.session["lang"] = asked
        return pick_language(asked, request.session.get("lang"), member_language,
                             negotiate(request.headers.get("accept-language")))

    def render(request: Request, template: str, lang: str, status: int = 200,
               **context: Any) -> HTMLResponse:
        path = policy.setting.path.get(lang, policy.setting.path["en"])
        base = {
            "lang": lang,
            "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            "member_id": session_member(request),
            "csrf": csrf_token(request),
            "path": path,
            "sidebar": False,
            "section": "",
            "title": path[-1],
            "policy_id": policy.policy.id,
            "policy_version": policy.policy.version,
            "notice_version": policy.policy.notice_version,
            "demo": config.demo,
        }
        html = environment(lang).get_template(template).render({**base, **context})
        return HTMLResponse(html, status_code=status)

    def signed_in(request: Request) -> str:
        member = session_member(request)
        if member is None:
            raise _SignInFirst
        if request.headers.get("sec-gpc", "").strip() == "1":
            # a Global Privacy Control signal: recorded once per setting it opts out of
            recorded = service.honour_gpc(member, request.session.get("lang"))
            if recorded:
                request.session["gpc_recorded"] = [e.setting for e in recorded]
        return member

    def posted_by(request: Request, csrf_token: str | None) -> tuple[str, str]:
        """The signed-in member of a form post, its CSRF token checked, and the language the
        page was shown in (same order as ``language``), kept with the event it records."""
        member = signed_in(request)
        check_csrf(request, csrf_token)
        profile = service.directory.profile(member, [], service.now())
        lang = pick_language(request.session.get("lang"), profile.language,
                             negotiate(request.headers.get("accept-language")))
        return member, lang

    def gettext(lang: str) -> Any:
        return translations(lang).gettext

    # -- signing in ------------------------------------------------------------------------
    @router.get("/")
    def home(request: Request) -> Response:
        if session_member(request):
            return RedirectResponse("/settings", 303)
        lang = language(request)
        return render(request, "signin.html", lang, title=gettext(lang)("Sign in"), error=None,
                      confirm=None)

    @router.post("/signin")
    def signin(
        request: Request,
        token: Annotated[str, Form(max_length=4096)],
        csrf_token: Annotated[str | None, Form(max_length=256)] = None,
    ) -> Response:
        try:
            identity = verify_member_token(config, token)
        except InvalidToken as exc:
            lang = language(request)
            return render(request, "signin.html", lang, status=401,
                          title=gettext(lang)("Sign in"), error=str(exc), confirm=None)
        try:
            check_csrf(request, csrf_token)
        except HTTPException:
            # Posted without this session's form token: the platform's own form, or another
            # site signing this browser in as someone else (login CSRF). No session is
            # started; the page asks first, with a form of this site that carries the token.
            lang = language(request)
            return render(request, "signin.html", lang, status=403,
                          title=gettext(lang)("Sign in"), error=None,
                          confirm={"member_id": identity.member_id, "token": token})
        start_session(request, identity)
        return RedirectResponse("/settings", 303)

    @router.get("/demo")
    def demo(request: Request) -> Response:
        if not config.demo:
            raise HTTPException(404, "Not Found")
        lang = language(request)
        sample = service.directory.sample(service.now())
        return render(request, "demo.html", lang, title=gettext(lang)("Demo sign-in"),
                      sample=sample)

    @router.post("/demo/signin")
    def demo_signin(
        request: Request,
        member_id: Annotated[str, Form(max_length=128)],
        csrf_token: Annotated[str | None, Form(max_length=256)] = None,
        lang: Annotated[str | None, Form(max_length=8)] = None,
    ) -> Response:
        if not config.demo:
            raise HTTPException(404, "Not Found")
        check_csrf(request, csrf_token)
        try:
            check_text("member id", member_id.strip(), 128)
        except EventRejected as exc:
            raise HTTPException(422, str(exc)) from exc
        # The demo goes through the same token check as the platform would.
        token = mint_member_token(config, member_id.strip(),
                                  language=lang if lang in LANGUAGES else None)
        identity: MemberIdentity = verify_member_token(config, token)
        start_session(request, identity)
        return RedirectResponse("/settings", 303)

    @router.post("/signout")
    def signout(
        request: Request, csrf_token: Annotated[str | None, Form(max_length=256)] = None
    ) -> Response:
        check_csrf(request, csrf_token)
        request.session.clear()
        return RedirectResponse("/", 303)

    # -- settings --------------------------------------------------------------------------
    @router.get("/settings")
    def settings_home(request: Request) -> Response:
        signed_in(request)
        lang = language(request)
        return render(request, "settings_home.html", lang, sidebar=True)

    @router.get("/settings/data-privacy")
    def data_privacy(request: Request) -> Response:
        member = signed_in(request)
        view = service.view(member)
        lang = language(request, view.profile.language)
        _ = gettext(lang)
        rows = []
        shown = service.shown_settings(view.profile)
        for setting in shown:
            rows.append({
                "key": setting.key, "url": row_url(setting.key),
                "name": setting.name.get(lang, setting.name["en"]),
                "status": row_status(member, setting, view, _),
                "recipient_note": None if setting is policy.setting or not setting.recipient
                else _("Recipient: %(recipient)s") % {"recipient": setting.recipient},
            })
        recorded = request.session.pop("gpc_recorded", None) or []
        gpc_names = ", ".join(
            policy.setting_for(k).name.get(lang, policy.setting_for(k).name["en"])
            for k in recorded if k in policy.setting_keys())
        return render(
            request, "data_privacy.html", lang, sidebar=True, section="data-privacy",
            title=policy.setting.path.get(lang, policy.setting.path["en"])[2],
            rows=rows, objection_url=policy.policy.objection_url,
            objection_row=any(s.mechanism == "objection" for s in shown),
            usage_url=f"{setting_url}#usage", gpc_recorded=gpc_names or None,
        )

    def history_rows(events: list[Any], lang: str) -> list[dict[str, Any]]:
        """The rows of a history table (``_history.html``), newest first as given."""
        _ = gettext(lang)
        return [{
            "when": _when(e.effective_at, lang), "value": e.value,
            "event": event_kind(e.setting, e.value, service.key),
            "source": _(SOURCE_LABELS[e.source]) if e.source in SOURCE_LABELS else e.source,
            "receipt_id": e.receipt_id,
        } for e in events]

    def row_url(key: str) -> str:
        return f"/settings/data-privacy/{setting_slug(key)}"

    def row_status(member: str, setting: Any, primary_view: Any, _: Any) -> str:
        if setting.mechanism == "objection":
            mine = [o for o in service.objections.of_member(member)
                    if o.setting == setting.key]
            if any(o.status == "upheld" for o in mine):
                return _("Objection upheld")
            if any(o.status == "pending" for o in mine):
                return _("Objection pending")
            if mine:  # newest first: the latest answer was a rejection
                return _("Objection rejected")
            return _("No objection")
        view = primary_view if setting is policy.setting else service.view(member, setting.key)
        return {True: _("On"), False: _("Off"), None: _("Off")}[view.state.value]

    @router.get(setting_url)
    def setting_page(request: Request) -> Response:
        member = signed_in(request)
        view = service.view(member)
        lang = language(request, view.profile.language)
        _ = gettext(lang)
        saved_id = request.session.pop("saved", None)
        saved = next((e for e in view.history if e.receipt_id == saved_id), None)
        erasure_flash = request.session.pop("erasure_saved", None)
        used_groups, never_used = _kind_lists(policy, _)
        value = view.state.value
        answer = service.usage(view)
        erasure = view.erasure
        return render(
            request, "setting.html", lang, sidebar=True, section="data-privacy",
            title=policy.setting.name.get(lang, policy.setting.name["en"]),
            setting_url=setting_url,
            setting_name=policy.setting.name.get(lang, policy.setting.name["en"]),
            toggle_label=policy.setting.toggle.get(lang, policy.setting.toggle["en"]),
            is_on=value is True,
            is_default=view.state.from_default,
            conflict=value is None,
            state_word=_("On") if value else _("Off"),
            saved=saved,
            minor=str(view.profile.minor_reason) if view.profile.minor_reason else None,
            used_groups=used_groups,
            never_used=never_used,
            sensitive_groups=policy.groups.exclude_sensitive,
            adult_age=policy.minors.adult_age,
            redacts=bool(policy.redaction.classes) and policy.redaction.pseudonymize_author,
            retroactive=policy.setting.retroactive,
            objection_url=next((row_url(o.key) for o in service.shown_settings(view.profile)
                                if o.mechanism == "objection"), policy.policy.objection_url),
            history=history_rows(view.history, lang),
            usage=describe(service, view, answer, lang),
            usage_checked=_when(answer.checked_at, lang) if answer.available else None,
            report_url=f"{setting_url}/access-report",
            erasure_url=f"{setting_url}/erasure",
            erasure=None if erasure is None else {
                "date": day(erasure.effective_at, lang), "receipt_id": erasure.receipt_id},
            erasure_flash=erasure_flash if erasure is not None else None,
        )

    @router.get(f"{setting_url}/access-report")
    def download_access_report(request: Request) -> Response:
        member = signed_in(request)
        view = service.view(member)
        lang = language(request, view.profile.language)
        answer = service.usage(view)
        return report_response(access_report(service, view, answer, lang), answer)

    @router.get(f"{setting_url}/erasure")
    def erasure_page(request: Request) -> Response:
        member = signed_in(request)
        view = service.view(member)
        lang = language(request, view.profile.language)
        erasure = view.erasure
        return render(
            request, "erasure.html", lang, sidebar=True, section="data-privacy",
            title=gettext(lang)("Erase my data"), setting_url=setting_url,
            erasure_url=f"{setting_url}/erasure",
            setting_name=policy.setting.name.get(lang, policy.setting.name["en"]),
            erasure=None if erasure is None else {
                "date": day(erasure.effective_at, lang), "receipt_id": erasure.receipt_id},
            retroactive=policy.setting.retroactive,
        )

    @router.post(f"{setting_url}/erasure")
    def request_erasure(
        request: Request,
        confirm: Annotated[Literal["yes"], Form()],
        csrf_token: Annotated[str | None, Form(max_length=256)] = None,
    ) -> Response:
        member, lang = posted_by(request, csrf_token)
        _event, already = service.request_erasure(member, "web", lang)
        request.session["erasure_saved"] = "already" if already else "new"
        return RedirectResponse(f"{setting_url}#usage", 303)

    @router.post(setting_url)
    async def change_setting(
        request: Request,
        value: Annotated[Literal["on", "off"], Form()],
        csrf_token: Annotated[str | None, Form(max_length=256)] = None,
    ) -> Response:
        # async: waits for the change's batch to commit (group commit) without a thread
        member, lang = posted_by(request, csrf_token)
        event, _, _ = await service.change_async(member, value == "on", "web", lang)
        request.session["saved"] = event.receipt_id
        return RedirectResponse(setting_url, 303)

    @router.get("/settings/receipts/{receipt_id}")
    def download_receipt(
        request: Request, receipt_id: uuid.UUID, format: ReceiptFormat = "iso27560"
    ) -> Response:
        member = signed_in(request)
        event = service.own_event(member, str(receipt_id))
        if event is None:
            raise HTTPException(404, "no such receipt")
        body = json.dumps(service.receipt(event, format), indent=2, ensure_ascii=False)
        return Response(
            body, media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="receipt-{receipt_id}.json"'},
        )

    # -- the other settings: a switch each, or an objection form -----------------------------
    def other_setting_page(request: Request, key: str, error: str | None = None,
                           status: int = 200) -> Response:
        member = signed_in(request)
        setting = policy.setting_for(key)
        view = service.view(member, key)
        if setting not in service.shown_settings(view.profile):
            raise HTTPException(404, "this setting does not apply in your region")
        lang = language(request, view.profile.language)
        _ = gettext(lang)
        common = dict(
            sidebar=True, section="data-privacy",
            title=setting.name.get(lang, setting.name["en"]),
            setting_url=row_url(key),
            setting_name=setting.name.get(lang, setting.name["en"]),
            toggle_label=setting.toggle.get(lang, setting.toggle["en"]),
            row_path=setting.path.get(lang, setting.path["en"]),
            purpose=_(PURPOSE_LABELS[policy.purpose_of(setting)])
            if policy.purpose_of(setting) in PURPOSE_LABELS else purpose_text(policy, setting),
            recipient=setting.recipient or policy.setting.recipient or "",
        )
        if setting.mechanism == "objection":
            mine = [o for o in service.objections.of_member(member) if o.setting == key]
            flash = request.session.pop("objection_saved", None)
            return render(
                request, "objection.html", lang, status=status, **common, error=error,
                flash=flash, flash_due=day(mine[0].due_at, lang) if flash and mine else None,
                upheld=any(o.status == "upheld" for o in mine),
                pending=any(o.status == "pending" for o in mine),
                objections=[{
                    "objection_id": o.objection_id, "status": o.status,
                    "status_word": _(OBJECTION_STATUS[o.status]), "pill": OBJECTION_PILL[o.status],
                    "filed": _when(o.filed_at, lang), "due": day(o.due_at, lang),
                    "overdue": o.overdue(service.now()),
                    "decided": day(o.decided_at, lang) if o.decided_at else None,
                    "reason": o.reason, "event_receipt_id": o.event_receipt_id,
                } for o in mine],
            )
        saved_id = request.session.pop("saved", None)
        saved = next((e for e in view.history if e.receipt_id == saved_id), None)
        gpc = service.gpc_event(view)
        value = view.state.value
        return render(
            request, "setting_row.html", lang, status=status, **common,
            is_on=value is True, is_default=view.state.from_default, conflict=value is None,
            state_word=_("On") if value else _("Off"), saved=saved,
            minor=view.profile.is_minor, retroactive=setting.retroactive,
            gpc=None if gpc is None else {"date": day(gpc.effective_at, lang),
                                          "receipt_id": gpc.receipt_id},
            history=history_rows([e for e in view.history if e.setting == key], lang),
        )

    def add_other_routes(key: str) -> None:
        url = row_url(key)

        @router.get(url, name=f"setting_{key}")
        def show(request: Request) -> Response:
            return other_setting_page(request, key)

        @router.post(url, name=f"change_{key}")
        async def change(
            request: Request,
            value: Annotated[Literal["on", "off"] | None, Form()] = None,
            text: Annotated[str | None, Form(max_length=5000)] = None,
            csrf_token: Annotated[str | None, Form(max_length=256)] = None,
        ) -> Response:
            member, lang = posted_by(request, csrf_token)
            setting = policy.setting_for(key)
            if setting.mechanism == "objection":
                try:
                    _o, already = await run_in_threadpool(
                        service.file_objection, member, key, text or "", "web", lang)
                except EventRejected as exc:
                    return other_setting_page(request, key, error=str(exc), status=422)
                request.session["objection_saved"] = "already" if already else "new"
                return RedirectResponse(url, 303)
            if value is None:
                raise HTTPException(422, "value: on or off")
            event, _, _ = await service.change_async(member, value == "on", "web", lang, key)
            request.session["saved"] = event.receipt_id
            return RedirectResponse(url, 303)

    for other_key in policy.setting_keys()[1:]:
        add_other_routes(other_key)

    @router.get("/settings/objections/{objection_id}/receipt")
    def download_objection_receipt(request: Request, objection_id: uuid.UUID) -> Response:
        member = signed_in(request)
        objection = service.objections.get(str(objection_id))
        if objection is None or objection.member_id != member:
            raise HTTPException(404, "no such objection")
        body = json.dumps(objection_receipt(objection, policy, config.controller), indent=2,
                          ensure_ascii=False)
        return Response(body, media_type="application/json", headers={
            "Content-Disposition": f'attachment; filename="objection-{objection_id}.json"'})

    # -- the administrators' objection queue -------------------------------------------------
    def is_admin(request: Request) -> bool:
        return config.admin_key is not None and request.session.get("admin") is True

    @router.get("/admin/objections")
    def admin_objections(request: Request, status: str = "pending") -> Response:
        lang = language(request)
        _ = gettext(lang)
        if config.admin_key is None:
            raise HTTPException(404, "Not Found")
        status = status if status in ("pending", "upheld", "rejected", "all") else "pending"
        rows = []
        if is_admin(request):
            for o in service.objections.queue(None if status == "all" else status):  # type: ignore[arg-type]
                setting = policy.setting_for(o.setting) if o.setting in \
                    policy.setting_keys() else None
                rows.append({
                    "objection_id": o.objection_id, "member_id": o.member_id,
                    "jurisdiction": o.jurisdiction, "status": o.status,
                    "setting_name": setting.name.get(lang, setting.name["en"]) if setting
                    else o.setting,
                    "text": o.text, "filed": _when(o.filed_at, lang), "due": day(o.due_at, lang),
                    "overdue": o.overdue(service.now()),
                    "status_word": _(OBJECTION_STATUS[o.status]),
                    "pill": OBJECTION_PILL[o.status],
                    "decided": day(o.decided_at, lang) if o.decided_at else None,
                    "reason": o.reason,
                })
        return render(
            request, "admin_objections.html", lang, title=_("Objections to review"),
            admin=is_admin(request), objections=rows, current=status,
            flash=request.session.pop("admin_flash", None),
            error=request.session.pop("admin_error", None),
            tabs=[("pending", _("Pending")), ("upheld", _("Upheld")),
                  ("rejected", _("Rejected")), ("all", _("All"))],
        )

    @router.post("/admin/signin")
    def admin_signin(
        request: Request,
        admin_key: Annotated[str, Form(max_length=4096)],
        csrf_token: Annotated[str | None, Form(max_length=256)] = None,
    ) -> Response:
        check_csrf(request, csrf_token)
        if config.admin_key is None:
            raise HTTPException(404, "Not Found")
        if not hmac.compare_digest(admin_key.encode("utf-8", "replace"),
                                   config.admin_key.encode()):
            request.session["admin_error"] = gettext(language(request))(
                "That administrator key is not accepted.")
            return RedirectResponse("/admin/objections", 303)
        request.session["admin"] = True
        return RedirectResponse("/admin/objections", 303)

    @router.post("/admin/objections/{objection_id}")
    def admin_decide(
        request: Request,
        objection_id: uuid.UUID,
        decision: Annotated[Literal["uphold", "reject"], Form()],
        reason: Annotated[str, Form(max_length=2000)],
        csrf_token: Annotated[str | None, Form(max_length=256)] = None,
    ) -> Response:
        check_csrf(request, csrf_token)
        if not is_admin(request):
            raise HTTPException(403, "administrators only: sign in with the admin key")
        _ = gettext(language(request))
        try:
            answered, _event = service.objections.decide(
                str(objection_id), decision == "uphold", reason, "admin (web)")
        except EventRejected as exc:
            request.session["admin_error"] = str(exc)
        else:
            request.session["admin_flash"] = (
                _("Objection upheld: the member is left out of this use from %(date)s.")
                % {"date": day(answered.filed_at, language(request))}
                if answered.status == "upheld" else _("Objection rejected."))
        return RedirectResponse("/admin/objections", 303)

    return router


OBJECTION_STATUS = {"pending": N_("Pending"), "upheld": N_("Upheld"), "rejected": N_("Rejected")}
OBJECTION_PILL = {"pending": "pill-pending", "upheld": "pill-off", "rejected": "pill-on"}


class _SignInFirst(Exception):
    """A page that needs a signed-in member was asked for without one."""


def _when(instant: dt.datetime, lang: str) -> str:
    return format_datetime(instant, "medium", tzinfo=dt.UTC, locale=locale(lang))


def _kind_lists(policy: Any, _: Any) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """Used kinds grouped under headings, and never-used kinds, in plain words."""
    used_groups: list[tuple[str, list[str]]] = []
    grouped: set[str] = set()
    for heading, kinds in KIND_GROUPS:
        labels = [_(KIND_LABELS[k]) for k in kinds if k in policy.kinds and policy.kinds[k].used]
        grouped.update(kinds)
        if labels:
            used_groups.append((_(heading), labels))
    extra = [k for k, rule in sorted(policy.kinds.items()) if rule.used and k not in grouped]
    if extra:
        used_groups.append((_("Other"), [_(KIND_LABELS[k]) if k in KIND_LABELS else k
                                         for k in extra]))
    order = {kind: index for index, kind in enumerate(KIND_LABELS)}
    never_kinds = sorted((k for k, rule in policy.kinds.items() if not rule.used),
                         key=lambda k: (order.get(k, len(order)), k))
    never = [_(KIND_LABELS[k]) if k in KIND_LABELS else k for k in never_kinds]
    return used_groups, never


SignInFirst = _SignInFirst
