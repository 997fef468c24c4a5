"""The member's choice as machine-readable signals on their public page, and the site-wide
files crawlers read first.

Three vocabularies, each with its own semantics (docs/service.md, "Public pages and
AI-usage signals"):

- IETF AI preferences (draft-ietf-aipref-vocab / -attach): ``Content-Usage: train-ai=y|n``.
  ``train-ai`` is the training of generative AI models, which is what the setting governs.
  Preferences from several places (this header, robots.txt) combine and the most
  restrictive wins, so robots.txt states none for member pages: a site-wide ``n`` would
  silence every member who allows it, a site-wide ``y`` would speak for those who do not.
- TDMRep (W3C Community Group final report): ``tdm-reservation: 1`` (rights reserved) or
  ``0`` (not reserved), in a header and an HTML meta tag. A page's own declaration overrides
  the site file, so ``/.well-known/tdmrep.json`` can reserve every member page by default
  (an agent that reads only the file treats every profile as reserved) and the page lifts
  it only for a member who allows it.
- The ``noai`` / ``noimageai`` robots directives: there is no opposite, so they are present
  when the member does not allow it and absent otherwise.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

# Where the members' public pages live: /in/{member_id}
PUBLIC_PREFIX = "/in/"


@dataclass(frozen=True)
class UsageSignals:
    """What a public page says about AI training, in each vocabulary."""

    allowed: bool
    headers: dict[str, str]
    meta: tuple[tuple[str, str], ...]  # (name, content) of <meta> elements, in order


def usage_signals(allowed: bool) -> UsageSignals:
    """The signals of a page whose member allows (True) or does not allow generative-AI
    training of their content. Anything but an explicit allow is passed as False."""
    if allowed:
        return UsageSignals(
            True,
            {"Content-Usage": "train-ai=y", "tdm-reservation": "0"},
            (("tdm-reservation", "0"),),
        )
    return UsageSignals(
        False,
        {"Content-Usage": "train-ai=n", "tdm-reservation": "1",
         "X-Robots-Tag": "noai, noimageai"},
        (("tdm-reservation", "1"), ("robots", "noai, noimageai")),
    )


# Rules of RFC 9309 plus the Content-Usage rule of draft-ietf-aipref-attach. Allowed
# and disallowed paths: only the member pages, the TDMRep file and the home page are
# public; usage preferences apply only to paths that may be crawled.
ROBOTS_TXT = f"""\
# AI usage preferences: IETF AI preferences (draft-ietf-aipref-attach, Content-Usage rules)
# and TDMRep (/.well-known/tdmrep.json).
#
# Member pages ({PUBLIC_PREFIX}...) carry each member's own choice, as of the request, in their
# Content-Usage and tdm-reservation headers and meta tags. No Content-Usage rule below covers
# them on purpose: preferences from this file and from the page combine and the most
# restrictive one wins, so a rule here would override every member's own choice.
User-agent: *
Allow: {PUBLIC_PREFIX}
Allow: /.well-known/tdmrep.json
Allow: /$
Disallow: /
Content-Usage: /$ train-ai=n
Content-Usage: /.well-known/ train-ai=n
"""


def tdmrep_rules() -> list[dict[str, object]]:
    """The site's TDMRep file: the first matching location applies. Member pages are
    reserved unless the page itself says otherwise (a page's header and meta tag override
    this file); everything else is reserved."""
    return [
        {"location": f"{PUBLIC_PREFIX}*", "tdm-reservation": 1},
        {"location": "/*", "tdm-reservation": 1},
    ]


def tdmrep_json() -> str:
    return json.dumps(tdmrep_rules(), indent=2) + "\n"


__all__ = ["PUBLIC_PREFIX", "ROBOTS_TXT", "UsageSignals", "tdmrep_json", "tdmrep_rules",
           "usage_signals"]
