"""Notifications: when each member was told of a setting before their data was used for its
purpose (the notice rule of the policy's ``notice_days``).

LinkedIn announced the change on 2025-09-18 for 2025-11-03. Members who had joined by then
are told in a wave of e-mails over that day; a few are told a week late (a resend), a few
never (a bounced address); members who join later are told when they sign up. Only the
settings whose notice rule applies somewhere get notifications (in the shipped policy, the
generative-AI setting, and the Microsoft row for UK members).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from consentgate.contract.schema import NOTIFICATIONS
from consentgate.policy import load_policy
from consentgate.synth import timeline
from consentgate.synth.members import Members

_DAY = timeline.US_PER_DAY
NEVER_SHARE = 0.03  # told never: these members are left out as not_notified
LATE_SHARE = 0.05  # told a week late


def _noticed_settings() -> list[tuple[str, set[str] | None]]:
    """(setting key, countries where it is offered, None for everywhere) of every setting
    with a notice period in the shipped policy."""
    policy = load_policy()
    out = []
    for s in policy.settings:
        if s.notice_days is None:
            continue
        if s.regions is None:
            out.append((s.key, None))
        else:
            countries = {c for c, r in policy.country_regions().items() if r.id in s.regions}
            out.append((s.key, countries))
    return out


def generate_notifications(m: Members, seed: int) -> pa.Table:
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 5])))
    hi = np.where(m.has_deleted, m.deleted, timeline.END)
    members, settings, times = [], [], []
    for key, countries in _noticed_settings():
        offered = (
            np.ones(m.n, dtype=bool)
            if countries is None
            else np.array([c in countries for c in m.country], dtype=bool)
        )
        draw = rng.random(m.n)
        wave = timeline.ANNOUNCED + (rng.random(m.n) * _DAY).astype(np.int64)
        late = draw < LATE_SHARE
        when = np.where(late, wave + 7 * _DAY, wave)
        # joined after the announcement: told at sign-up
        when = np.maximum(when, m.joined)
        never = (draw >= LATE_SHARE) & (draw < LATE_SHARE + NEVER_SHARE)
        # an account deleted before the notice is never told
        told = offered & ~never & (when < hi)
        who = np.flatnonzero(told)
        members.append(who)
        settings += [key] * len(who)
        times.append(when[who])
    if not members:
        return NOTIFICATIONS.arrow_schema().empty_table()
    who = np.concatenate(members)
    time = np.concatenate(times)
    setting = np.array(settings, dtype=object)
    order = np.lexsort((setting.astype(str), time, who))
    return pa.Table.from_arrays(
        [
            m.member_id.take(who[order]),
            pa.array(setting[order], type=pa.string()),
            pa.array(time[order], type=pa.timestamp("us", tz="UTC")),
        ],
        schema=NOTIFICATIONS.arrow_schema(),
    )
