"""Checks a source must pass before anything is built from it, and what it should fix.

``check_keys`` refuses a source whose primary keys are null, empty or duplicated: with two
rows for one member (one of them deleted) or for one record, no rule can say which row is
true, so the build stops and names the rows. ``data_quality`` finds values the rules read
in a fail-closed way (a country written ``fr`` or ``"FR "``, a group of unknown sensitivity,
an unknown education level, …): the build goes on, leaves those rows out as the rules say,
and reports each finding with counts so that the platform can fix its export.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from iso3166 import countries_by_alpha2

from consentgate.contract.schema import EDUCATION_LEVELS, RECORD_KINDS, VISIBILITIES
from consentgate.contract.source import ContractError, Source

# table -> its primary key column
KEYS: dict[str, str] = {"members": "member_id", "records": "record_id", "groups": "group_id"}
EXAMPLES = 5


def _sql_list(values) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _connect(source: Source, workdir: Path | None, memory_limit: str | None):
    con = source.connect()
    if workdir is not None:
        spill = workdir / "spill-keys"
        spill.mkdir(parents=True, exist_ok=True)
        con.execute(f"SET temp_directory='{spill}'")
    if memory_limit:
        con.execute(f"SET memory_limit='{memory_limit}'")
    con.execute("SET enable_progress_bar=false")
    return con


def check_keys(
    source: Source, workdir: Path | None = None, memory_limit: str | None = None
) -> None:
    """ContractError naming every table whose key is null, empty or not unique."""
    problems: list[str] = []
    con = _connect(source, workdir, memory_limit)
    try:
        for table, col in KEYS.items():
            scan = source.scan(table)
            q = f'"{col}"'
            nulls, empties, dupes = con.execute(
                f"SELECT count(*) FILTER (WHERE {q} IS NULL), "
                f"count(*) FILTER (WHERE trim({q}) = ''), "
                f"count({q}) - count(DISTINCT {q}) FROM {scan}"
            ).fetchone()
            if nulls:
                problems.append(f"{table}.{col}: {nulls:,} row(s) with no {col} (null)")
            if empties:
                problems.append(f"{table}.{col}: {empties:,} row(s) with an empty {col} ('')")
            if dupes:
                rows = con.execute(
                    f"SELECT {q}, count(*) FROM {scan} WHERE {q} IS NOT NULL "
                    f"GROUP BY {q} HAVING count(*) > 1 ORDER BY {q} LIMIT {EXAMPLES}"
                ).fetchall()
                shown = ", ".join(f"{v!r} ×{n}" for v, n in rows)
                problems.append(
                    f"{table}.{col}: {dupes:,} duplicate row(s) — a key must be unique "
                    f"(e.g. {shown})"
                )
    finally:
        con.close()
    if problems:
        raise ContractError(
            f"{source.path}: the source's keys are not usable, nothing was built:\n  "
            + "\n  ".join(problems)
        )


@dataclass(frozen=True)
class Finding:
    """Rows the rules read in a fail-closed way: how many, a few example values, and what
    the build does with them."""

    check: str
    table: str
    column: str
    rows: int
    examples: tuple[str, ...]
    effect: str

    def message(self) -> str:
        shown = ", ".join(repr(e) for e in self.examples)
        more = f" (e.g. {shown})" if shown else ""
        return f"{self.table}.{self.column}: {self.rows:,} row(s) {self.effect}{more}"

    def to_json(self) -> dict:
        d = asdict(self)
        d["examples"] = list(self.examples)
        return d


def data_quality(source: Source, policy_kinds: set[str] | None = None) -> list[Finding]:
    """What in the source the rules leave out for want of a readable value. Member-level
    tables are scanned whole (they are small); records only by kind and visibility, and
    their missing texts and times are counted by the build itself (``record_incomplete``)."""
    con = _connect(source, None, None)
    found: list[Finding] = []
    try:
        iso = _sql_list(sorted(countries_by_alpha2))

        def add(check: str, table: str, column: str, sql: str, effect: str,
                examples_sql: str | None = None) -> None:
            n = con.execute(sql).fetchone()[0]
            if not n:
                return
            examples: tuple[str, ...] = ()
            if examples_sql is not None:
                examples = tuple(str(r[0]) for r in con.execute(examples_sql).fetchall())
            found.append(Finding(check, table, column, int(n), examples, effect))

        members = source.scan("members")
        not_iso = f"country IS NOT NULL AND country NOT IN ({iso})"
        fixable = f"{not_iso} AND upper(trim(country)) IN ({iso})"
        add("country_not_normalised", "members", "country",
            f"SELECT count(*) FROM {members} WHERE {fixable}",
            "have a country code in another case or with spaces; not corrected: left out "
            "as region_unknown",
            f"SELECT DISTINCT country FROM {members} WHERE {fixable} ORDER BY 1 LIMIT {EXAMPLES}")
        unknown = f"{not_iso} AND upper(trim(country)) NOT IN ({iso})"
        add("country_unknown", "members", "country",
            f"SELECT count(*) FROM {members} WHERE {unknown}",
            "have a country that is not an ISO 3166-1 alpha-2 code: left out as "
            "region_unknown",
            f"SELECT DISTINCT country FROM {members} WHERE {unknown} ORDER BY 1 LIMIT {EXAMPLES}")
        add("country_missing", "members", "country",
            f"SELECT count(*) FROM {members} WHERE country IS NULL",
            "have no country: left out as region_unknown")
        add("joined_at_missing", "members", "joined_at",
            f"SELECT count(*) FROM {members} WHERE joined_at IS NULL",
            "have no joining time: left out as not_joined")

        education = source.scan("education")
        levels = _sql_list(EDUCATION_LEVELS)
        add("education_level_invalid", "education", "level",
            f"SELECT count(*) FROM {education} WHERE level IS NULL OR level NOT IN ({levels})",
            "have a level that is not secondary, higher or other: counted as secondary "
            "school (the member is treated as a minor while it is active)",
            f"SELECT DISTINCT coalesce(level, '(null)') FROM {education} "
            f"WHERE level IS NULL OR level NOT IN ({levels}) ORDER BY 1 LIMIT {EXAMPLES}")
        add("education_start_missing", "education", "start_date",
            f"SELECT count(*) FROM {education} WHERE start_date IS NULL",
            "have no start date: counted as started")

        groups = source.scan("groups")
        add("group_sensitivity_unknown", "groups", "sensitive",
            f"SELECT count(*) FROM {groups} WHERE sensitive IS NULL",
            "have no sensitive flag: treated as sensitive, their records are left out as "
            "group_unknown",
            f"SELECT group_id FROM {groups} WHERE sensitive IS NULL ORDER BY 1 LIMIT {EXAMPLES}")

        records = source.scan("records")
        vis = _sql_list(VISIBILITIES)
        add("visibility_invalid", "records", "visibility",
            f"SELECT count(*) FROM {records} WHERE visibility IS NULL OR visibility NOT IN ({vis})",
            "have a visibility that is not public, connections, group or private: left out "
            "as visibility",
            f"SELECT DISTINCT coalesce(visibility, '(null)') FROM {records} "
            f"WHERE visibility IS NULL OR visibility NOT IN ({vis}) ORDER BY 1 LIMIT {EXAMPLES}")
        known = set(RECORD_KINDS) | (policy_kinds or set())
        kinds = _sql_list(sorted(known))
        add("kind_unknown", "records", "kind",
            f"SELECT count(*) FROM {records} WHERE kind IS NULL OR kind NOT IN ({kinds})",
            "have a kind that neither the contract nor the policy knows: left out as "
            "kind_unknown",
            f"SELECT DISTINCT coalesce(kind, '(null)') FROM {records} "
            f"WHERE kind IS NULL OR kind NOT IN ({kinds}) ORDER BY 1 LIMIT {EXAMPLES}")
    finally:
        con.close()
    return found


def check_settings(
    source: Source, known: list[str], tables: tuple[str, ...] = ("preference_events",
                                                                  "notifications"),
) -> None:
    """ContractError naming every setting in ``tables`` that is neither one of the policy's
    (``known``) nor ``erasure`` (preference events only), with counts and where it is: an
    event for a setting the policy does not define would be silently dropped otherwise.
    Nothing is read past the check, so nothing is lost: fix the data or the policy."""
    from consentgate.contract.schema import ERASURE_SETTING

    problems: list[str] = []
    con = source.connect()
    try:
        for table in tables:
            if table not in source._selects:
                continue
            allowed = list(known) + ([ERASURE_SETTING] if table == "preference_events" else [])
            rows = con.execute(
                f"SELECT coalesce(setting, '(null)'), count(*) FROM {source.scan(table)} "
                f"WHERE setting IS NULL OR setting NOT IN ({_sql_list(allowed)}) "
                "GROUP BY 1 ORDER BY 2 DESC, 1"
            ).fetchall()
            for name, n in rows:
                problems.append(f"{table}.setting: {n:,} row(s) with setting {name!r}")
    finally:
        con.close()
    if problems:
        listed = ", ".join(repr(k) for k in known)
        raise ContractError(
            f"{source.path}: settings the policy does not define (its settings are {listed}"
            f"; preference events may also be {ERASURE_SETTING!r}):\n  "
            + "\n  ".join(problems)
            + "\nNothing was built: give a policy that defines them, or correct the data."
        )
