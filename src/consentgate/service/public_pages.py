"""Members' public profile pages, carrying their generative-AI choice as machine-readable
signals, and the site files crawlers read first (``/robots.txt``,
``/.well-known/tdmrep.json``).

The choice is read at request time from the ledger, the same way the settings page reads
it (``SettingsService.view``): a change on the settings page or through the API shows on
the next request. Nothing is cached (every answer is ``Cache-Control: no-store``).

A page is served only for a member of the source who is not deleted, has not asked for
erasure and whom the policy does not treat as a possible minor (under age, in secondary
school, or age unknown where the policy excludes that): for everyone else the answer is
the same 404 as for a member id that does not exist, so the answer does not even tell
that a minor has an account.
"""

from __future__ import annotations

from babel.dates import format_date
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from consentgate.eligibility.reasons import Reason
from consentgate.service.core import SettingsService, SettingView
from consentgate.service.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    N_,
    locale,
    negotiate,
    pick_language,
    translations,
)
from consentgate.service.pages import environment
from consentgate.service.public_profile import PublicContent
from consentgate.service.signals import (
    PUBLIC_PREFIX,
    ROBOTS_TXT,
    UsageSignals,
    tdmrep_json,
    usage_signals,
)
from consentgate.service.strict_json import StrictJSONRoute

# Reasons that keep a member's page off the web entirely (see the module's docstring).
NOT_SERVED = frozenset({
    Reason.NOT_JOINED, Reason.DELETED, Reason.ERASURE,
    Reason.MINOR_AGE, Reason.MINOR_SECONDARY_SCHOOL, Reason.AGE_UNKNOWN,
})
MAX_HANDLE = 128
POST_LABELS = {"post": N_("Post"), "article": N_("Article")}


def is_served(view: SettingView) -> bool:
    """Whether the member's public page exists."""
    profile = view.profile
    return (profile.known and not NOT_SERVED.intersection(profile.reasons)
            and view.erasure is None)


def signals_for(view: SettingView) -> UsageSignals:
    """Allowed only when the setting is on now (by the member or by default); off, or
    conflicting events at the same instant, read as not allowed."""
    return usage_signals(view.state.value is True)


def build_public_pages(service: SettingsService) -> APIRouter:
    router = APIRouter(include_in_schema=False, route_class=StrictJSONRoute)
    content = PublicContent(service.config.source)

    @router.api_route(PUBLIC_PREFIX + "{member_id}", methods=["GET", "HEAD"])
    def public_profile(request: Request, member_id: str) -> Response:
        if len(member_id) > MAX_HANDLE:
            raise HTTPException(404, "Not Found")
        view = service.view(member_id)
        if not is_served(view):
            raise HTTPException(404, "Not Found")
        signals = signals_for(view)
        profile = content.profile(member_id, service.now())
        # a crawler has no session: the language comes from the query or the browser only
        lang = pick_language(request.query_params.get("lang"),
                             negotiate(request.headers.get("accept-language")))
        _ = translations(lang).gettext
        html = environment(lang).get_template("public_profile.html").render(
            lang=lang,
            languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            signals=signals,
            profile=profile,
            display_name=profile.name or member_id,
            posts=[{
                "iso": post.created_at.isoformat(),
                "when": format_date(post.created_at.date(), "long", locale=locale(lang)),
                "kind": _(POST_LABELS[post.kind]),
                "text": post.text,
            } for post in profile.posts],
        )
        return HTMLResponse(html, headers=signals.headers)

    @router.get("/robots.txt")
    def robots_txt() -> Response:
        return Response(ROBOTS_TXT, media_type="text/plain; charset=utf-8")

    @router.get("/.well-known/tdmrep.json")
    def tdmrep() -> Response:
        return Response(tdmrep_json(), media_type="application/json")

    return router


__all__ = ["NOT_SERVED", "build_public_pages", "is_served", "signals_for"]
