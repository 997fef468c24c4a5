"""The member's pages: Settings & Privacy → Data privacy → Data for Generative AI Improvement.

Plain HTML forms, no script: the switch is a submit button (role="switch") that posts the
new value with the session's CSRF token, and the page comes back (POST, redirect, GET) with
the saved change and its receipt.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

import jinja2
from babel.dates import format_datetime
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from consentgate.ledger.errors import EventRejected
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
        word = {True: _("On"), False: _("Off"), None: _("Off")}[view.state.value]
        return render(
            request, "data_privacy.html", lang, sidebar=True, section="data-privacy",
            title=policy.setting.path.get(lang, policy.setting.path["en"])[2],
            setting_url=setting_url,
            setting_name=policy.setting.name.get(lang, policy.setting.name["en"]),
            state_word=word, objection_url=policy.policy.objection_url,
            usage_url=f"{setting_url}#usage",
        )

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
            objection_url=policy.policy.objection_url,
            history=[
                {
                    "when": _when(e.effective_at, lang),
                    "value": e.value,
                    "event": event_kind(e.setting, e.value, service.key),
                    "source": _(SOURCE_LABELS[e.source]) if e.source in SOURCE_LABELS
                    else e.source,
                    "receipt_id": e.receipt_id,
                }
                for e in view.history
            ],
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

    return router


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
