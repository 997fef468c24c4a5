"""The synthetic network's notifications: the announcement wave, a few late, a few never,
sign-ups told when they join; the Microsoft row for UK members only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from consentgate.policy import load_policy
from consentgate.synth.notifications import LATE_SHARE, NEVER_SHARE

ANNOUNCED = dt.datetime(2025, 9, 18, tzinfo=dt.UTC)
POLICY = load_policy()


def _q(net: Path, sql: str) -> list[tuple]:
    with duckdb.connect() as con:
        con.execute("SET TimeZone='UTC'")
        con.execute(f"CREATE VIEW n AS SELECT * FROM '{net}/notifications.parquet'")
        con.execute(f"CREATE VIEW m AS SELECT * FROM '{net}/members.parquet'")
        return con.execute(sql).fetchall()


def test_notifications_follow_the_announcement(net: Path) -> None:
    settings = dict(_q(net, "SELECT setting, count(*) FROM n GROUP BY 1"))
    noticed = {s.key for s in POLICY.settings if s.notice_days is not None}
    assert set(settings) == noticed == {"data_for_genai_improvement", "microsoft_ai_sharing"}
    # the Microsoft row is offered in the UK only
    (countries,) = _q(net, "SELECT list(DISTINCT m.country) FROM n JOIN m USING (member_id) "
                           "WHERE setting = 'microsoft_ai_sharing'")[0]
    assert countries == ["GB"]
    # nobody is told before the announcement, nor before joining, nor after deletion
    assert _q(net, "SELECT count(*) FROM n JOIN m USING (member_id) WHERE notified_at < "
                   f"TIMESTAMPTZ '{ANNOUNCED.isoformat()}' OR notified_at < joined_at "
                   "OR notified_at >= deleted_at")[0][0] == 0
    # among members who had joined by the announcement and were still there a week later
    told, total = _q(net, """
        SELECT count(DISTINCT n.member_id), count(DISTINCT m.member_id)
        FROM m LEFT JOIN n ON n.member_id = m.member_id
             AND n.setting = 'data_for_genai_improvement'
        WHERE m.joined_at < TIMESTAMPTZ '2025-09-18' AND
              (m.deleted_at IS NULL OR m.deleted_at > TIMESTAMPTZ '2025-10-01')""")[0]
    assert 0.9 < told / total < 1 - NEVER_SHARE / 2
    late = _q(net, "SELECT count(*) FROM n WHERE setting = 'data_for_genai_improvement' AND "
                   "notified_at >= TIMESTAMPTZ '2025-09-25' AND notified_at < "
                   "TIMESTAMPTZ '2025-09-26'")[0][0]
    assert late > 0.4 * LATE_SHARE * total
