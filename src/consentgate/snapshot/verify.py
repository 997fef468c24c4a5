"""`consentgate verify`: an independent check of a built (or purged) snapshot.

It trusts nothing the build computed: it re-hashes every file, re-decides every source
record with the reference evaluator (not the engine plan), compares the result with the
snapshot's lineage, checks that data, lineage and the usage index line up, and scans every
text for personal data left unredacted. A file whose hash differs does not stop the other
checks: every violation is listed, so that a planted value is not hidden behind a mismatch.

A purged snapshot (its manifest has ``purge``) holds what a build at its as-of time T1
held less what a build at the purge time T2 would no longer hold: every record in it must
be allowed at both instants, and every record allowed at both must be in it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from consentgate.contract.lakehouse import describe_change
from consentgate.contract.source import open_source
from consentgate.eligibility.from_source import iter_records, reference_for
from consentgate.engine.transforms import record_uid_py
from consentgate.policy.model import Policy
from consentgate.snapshot.consent import open_consent
from consentgate.snapshot.manifest import data_files, file_differences, lineage_files

MAX_LISTED = 50
DELETION_FILE = "deletion.json"  # written when a purge deletes the data of a used snapshot


@dataclass
class Violation:
    check: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.subject}: {self.message}"


@dataclass
class VerifyResult:
    snapshot: Path
    violations: list[Violation] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    checked_records: int = 0
    truncated: Counter = field(default_factory=Counter)
    checks: list[str] = field(default_factory=list)  # what was checked, in plain words

    @property
    def ok(self) -> bool:
        return not self.violations and not self.truncated

    def add(self, check: str, subject: str, message: str) -> None:
        self.counts[check] += 1
        if self.counts[check] <= MAX_LISTED:
            self.violations.append(Violation(check, subject, message))
        else:
            self.truncated[check] += 1

    def ran(self, description: str) -> None:
        self.checks.append(description)


def parse_time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.UTC)


def verify_snapshot(
    snapshot: Path,
    source_path: Path,
    policy: Policy,
    consent: str | Path | None = None,
    key: bytes | None = None,
    progress: Callable[[str], None] | None = None,
) -> VerifyResult:
    say = progress or (lambda _m: None)
    root = Path(snapshot)
    res = VerifyResult(root)
    manifest_path = root / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError) as exc:
        res.add("manifest", str(manifest_path), f"unreadable: {exc}")
        return res
    deletion = _read_deletion(root, res)

    say("checking file hashes")
    _check_files(root, manifest, res, deleted=set(deletion.get("files", [])))
    if not deletion:
        _check_card(root, manifest, res)
    if manifest["policy"]["sha256"] != policy.sha256:
        res.add(
            "policy",
            policy.id,
            f"snapshot was built with policy sha256 {manifest['policy']['sha256'][:12]}…, "
            f"verifying with {policy.sha256[:12]}…",
        )

    purpose = _check_purpose(root, manifest, policy, res)
    if purpose is False:
        return res
    as_of = parse_time(manifest["as_of"])
    purge = manifest.get("purge")
    purged = (purge.get("instants") or [purge["purged_at"]]) if purge else []
    instants = [as_of] + [parse_time(t) for t in purged]
    source = open_source(source_path)
    _check_source_unchanged(manifest.get("inputs", {}).get("source", {}), source,
                            str(source_path), res)
    consent_dir = Path(tempfile.mkdtemp(prefix="cg-verify-consent-"))
    try:
        consent_src, consent_info = open_consent(consent, max(instants), consent_dir / "events")
        built_with = manifest.get("inputs", {}).get("consent", {})
        if consent_info.get("kind") == "ledger":
            if built_with.get("head_hash") != consent_info["head_hash"]:
                res.add(
                    "consent",
                    str(consent),
                    "the ledger's head as of T differs from the one the build recorded "
                    "(events effective before T were added or changed since)",
                )
            if built_with.get("tree_size") is not None:
                _check_log_extends(consent, built_with, res)
            res.ran(f"consent: ledger verified (tree of {consent_info['tree_size']} events), "
                    f"head #{consent_info['head_seq']} compared with the manifest's")
        _verify_records(root, source, consent_src, policy, instants, key, manifest, res, say,
                        consent_dir, data_deleted=bool(deletion), purpose=purpose)
    finally:
        shutil.rmtree(consent_dir, ignore_errors=True)
    return res


def _check_purpose(
    root: Path, manifest: dict, policy: Policy, res: VerifyResult
) -> str | bool | None:
    """The setting the snapshot was built for (None: the primary one, for snapshots built
    before manifests named it); False when the policy has no such setting (nothing more
    can be decided). The report must name the same purpose as the manifest."""
    named = manifest.get("purpose")
    if named is None:
        res.ran(f"purpose: none named (built before purposes), decided as {policy.setting.key}")
        return None
    key = named.get("setting")
    if key not in policy.setting_keys():
        res.add("purpose", str(key), f"the snapshot was built for setting {key!r}, which "
                f"policy {policy.id} does not define ({', '.join(policy.setting_keys())})")
        return False
    setting = policy.setting_for(key)
    if named.get("data_use") != policy.purpose_of(setting):
        res.add("purpose", key, f"the manifest names data use {named.get('data_use')!r}, the "
                f"policy gives {policy.purpose_of(setting)!r}")
    try:
        report = json.loads((root / "report.json").read_text())
    except (OSError, ValueError):
        report = {}
    if (report.get("purpose") or {}).get("setting") != key:
        res.add("purpose", key, "the report does not name the purpose the manifest names")
    res.ran(f"purpose: {key} ({policy.purpose_of(setting)}), the records decided for it")
    return key


def _check_log_extends(consent: object, built: dict, res: VerifyResult) -> None:
    """The log the build read (its size and root, and the signed head it pinned) is still a
    prefix of the ledger now: a consistency proof from that head, and every event checked."""
    from consentgate.ledger import Ledger
    from consentgate.ledger.signing import TreeHead
    from consentgate.ledger.verify import verify_ledger

    signed = built.get("signed_head")
    with Ledger(str(consent), read_only=True) as ledger:
        report = verify_ledger(
            ledger, since=TreeHead.from_json(signed) if signed else None,
            pins={int(built["tree_size"]): built["root_hash"]})
    for problem in report.problems:
        res.add("consent", str(consent), f"the log the build read: {problem}")
    if built.get("log_id") and report.log_id != built["log_id"]:
        res.add("consent", str(consent), f"is log {report.log_id}, the build read log "
                f"{built['log_id']}: the ledger was replaced")
    res.ran(f"consent: the ledger still extends the log the build read (tree of "
            f"{built['tree_size']} events"
            + (f", signed head of {signed['tree_size']}" if signed else "") + ")")


def _read_deletion(root: Path, res: VerifyResult) -> dict:
    path = root / DELETION_FILE
    if not path.exists():
        return {}
    try:
        deletion = json.loads(path.read_text())
    except ValueError as exc:
        res.add("deletion", DELETION_FILE, f"unreadable: {exc}")
        return {}
    res.ran(f"data deleted on {deletion.get('deleted_at')} ({deletion.get('reason')}): "
            "manifest, report and lineage kept for audit; texts not checked")
    return deletion


def _verify_records(
    snapshot: Path,
    source,
    consent_src,
    policy: Policy,
    instants: list[dt.datetime],
    key: bytes | None,
    manifest: dict,
    res: VerifyResult,
    say,
    workdir: Path,
    data_deleted: bool = False,
    purpose: str | None = None,
) -> None:
    say("re-deciding every record with the reference evaluator")
    from consentgate.redaction import Redactor

    redactor = Redactor.from_policy(policy)
    refs = [reference_for(policy, source, t, consent_src, purpose=purpose) for t in instants]
    data = [] if data_deleted else data_files(snapshot)
    lineage = lineage_files(snapshot)
    # The reference decisions go to a side file, so the comparison runs in DuckDB with flat
    # memory whatever the number of records.
    expected = workdir / "expected.parquet"
    _write_expected(refs, source, redactor, expected, res, key)
    when = " and at ".join(t.isoformat() for t in instants)
    res.ran(f"records: {res.checked_records:,} source records re-decided by the reference "
            f"evaluator as of {when}; lineage compared both ways (nothing out is in, nothing "
            "in is missing)")
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    con.execute("SET enable_progress_bar=false")
    _compare(con, expected, lineage, data, res)

    if data_deleted:
        return
    say("checking data against lineage")
    _check_alignment(con, data, lineage, policy, key, manifest, res)
    _check_usage_index(con, snapshot, data, lineage, res)
    _check_text_index(con, snapshot, data, expected, policy, key, manifest, res)

    say("scanning texts for unredacted personal data")
    _scan_texts(data, policy, res)
    res.ran(f"texts: scanned for {', '.join(policy.redaction.classes) or 'no class'} "
            "left unredacted")


def _check_source_unchanged(built: dict, source, subject: str, res: VerifyResult) -> None:  # type: ignore[no-untyped-def]
    """The source as read today against the fingerprints the build recorded; a Delta or
    Iceberg table that moved says from which version or snapshot to which."""
    recorded = built.get("fingerprints")
    current = source.fingerprints()
    if recorded is None or recorded == current:
        return
    changed = sorted(
        k for k in recorded.keys() | current.keys() if recorded.get(k) != current.get(k)
    )
    then, now = built.get("tables") or {}, source.table_versions()
    if then or now:
        what = "; ".join(f"{k} moved: {describe_change(then.get(k), now.get(k))}"
                         for k in changed)
    else:
        what = f"{', '.join(changed)} changed"
    res.add(
        "source",
        subject,
        f"differs from the source the build read ({what}): "
        "the decisions below compare against today's data",
    )


EXPECTED_SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("record_uid", pa.string()),
        ("used", pa.bool_()),
        ("reasons", pa.string()),
        ("text_sha256", pa.string()),
        # the keyed hash of the source text (the text index's), when a key is given
        ("source_text_hash", pa.string()),
    ]
)


def _write_expected(refs, source, redactor, path: Path, res: VerifyResult,
                    key: bytes | None = None) -> None:
    from consentgate.snapshot.texts import text_hash_py

    rows: list[dict] = []
    several = len(refs) > 1
    with pq.ParquetWriter(path, EXPECTED_SCHEMA) as writer:
        for record in iter_records(source):
            res.checked_records += 1
            reasons = []
            for ref in refs:
                decision = ref.record(record)
                if not decision.used:
                    why = ", ".join(map(str, decision.reasons))
                    reasons.append(f"{why} at {ref.as_of.isoformat()}" if several else why)
            used = not reasons
            text_sha = source_hash = None
            if used and record.text is not None:
                text_sha = hashlib.sha256(redactor.redact(record.text).encode()).hexdigest()
                if key is not None:
                    source_hash = text_hash_py(record.text, key)
            rows.append(
                {
                    "record_id": record.record_id,
                    "record_uid": record_uid_py(record.record_id),
                    "used": used,
                    "reasons": "; ".join(reasons),
                    "text_sha256": text_sha,
                    "source_text_hash": source_hash,
                }
            )
            if len(rows) >= 50_000:
                writer.write_table(pa.Table.from_pylist(rows, schema=EXPECTED_SCHEMA))
                rows.clear()
        writer.write_table(pa.Table.from_pylist(rows, schema=EXPECTED_SCHEMA))


def _compare(
    con, expected: Path, lineage_files: list[Path], data_files: list[Path], res: VerifyResult
) -> None:
    every = {
        "e": str(expected),
        "l": [str(p) for p in lineage_files],
        "d": [str(p) for p in data_files],
    }

    def q(sql: str) -> list[tuple]:
        # DuckDB wants exactly the parameters a statement names
        return con.execute(sql, {k: v for k, v in every.items() if f"${k}" in sql}).fetchall()

    if not lineage_files:
        res.add("lineage", "lineage/", "no lineage file: nothing can be checked")
        return
    for rid, reasons in q(
        """SELECT l.record_id, e.reasons FROM read_parquet($l) l
           JOIN read_parquet($e) e USING (record_id) WHERE NOT e.used ORDER BY 1"""
    ):
        res.add("must_be_out", rid, f"in the snapshot but out for {reasons}")
    for (rid,) in q(
        """SELECT l.record_id FROM read_parquet($l) l ANTI JOIN read_parquet($e) e
           USING (record_id) ORDER BY 1"""
    ):
        res.add("must_be_out", rid, "in the snapshot but not in the source")
    for (rid,) in q(
        """SELECT e.record_id FROM read_parquet($e) e ANTI JOIN read_parquet($l) l
           USING (record_id) WHERE e.used ORDER BY 1"""
    ):
        res.add("must_be_in", rid, "used by the policy but missing from the snapshot")
    for (rid,) in q(
        """SELECT l.record_id FROM read_parquet($l) l JOIN read_parquet($e) e USING (record_id)
           WHERE l.record_uid <> e.record_uid ORDER BY 1"""
    ):
        res.add("lineage", rid, "record_uid does not derive from record_id")
    if not data_files:
        return
    for (rid,) in q(
        """SELECT e.record_id FROM read_parquet($d) d
           JOIN read_parquet($e) e USING (record_uid)
           WHERE e.used AND sha256(d.text) IS DISTINCT FROM e.text_sha256 ORDER BY 1"""
    ):
        res.add("text", rid, "text is not the redacted text of its source record")
    res.ran("texts: each equal to its source record's redacted text")


# what verify says of each way a file differs from the manifest
FILE_PROBLEMS = {
    "missing": "listed in the manifest but missing",
    "deleted_present": "recorded as deleted but still present",
    "changed": "sha256 differs from the manifest (file changed)",
    "unlisted": "file not listed in the manifest",
}


def _check_files(root: Path, manifest: dict, res: VerifyResult, deleted: set[str]) -> None:
    for path, kind in file_differences(root, manifest, deleted=deleted,
                                       ignore=("manifest.json", DELETION_FILE)):
        res.add("hash", path, FILE_PROBLEMS[kind])
    listed = {f["path"] for f in manifest.get("files", [])}
    res.ran(f"hashes: {len(listed - deleted)} files re-hashed against the manifest, no file "
            "unlisted")


def _check_card(root: Path, manifest: dict, res: VerifyResult) -> None:
    """The dataset card (README.md) says what the manifest says: rendered again from it."""
    from consentgate.snapshot.card import CARD_FILE, card_problem

    if not any(f["path"] == CARD_FILE for f in manifest.get("files", [])):
        return  # built before snapshots had a card
    try:
        problem = card_problem(root, manifest)
    except (OSError, KeyError, pa.ArrowException) as exc:
        problem = f"cannot be checked: {exc}"
    if problem is not None:
        res.add("card", CARD_FILE, problem)
    res.ran(f"card: {CARD_FILE} rendered again from the manifest and compared")


def _check_alignment(
    con,
    data_files: list[Path],
    lineage_files: list[Path],
    policy: Policy,
    key: bytes | None,
    manifest: dict,
    res: VerifyResult,
) -> None:
    d = [str(p) for p in data_files]
    lf = [str(p) for p in lineage_files]
    if not d:
        res.add("alignment", "data/", "no data file")
        return
    rows = con.execute(
        """
        SELECT coalesce(d.record_uid, l.record_uid) AS uid, d.record_uid IS NULL AS no_data,
               l.record_uid IS NULL AS no_lineage
        FROM read_parquet($d) d FULL OUTER JOIN read_parquet($l) l USING (record_uid)
        WHERE d.record_uid IS NULL OR l.record_uid IS NULL
        LIMIT 1000
        """,
        {"d": d, "l": lf},
    ).fetchall()
    for uid, no_data, _no_lineage in rows:
        res.add(
            "alignment",
            uid,
            "in lineage but not in data" if no_data else "in data but not in lineage",
        )
    dupes = con.execute(
        "SELECT record_uid, count(*) FROM read_parquet($d) GROUP BY 1 HAVING count(*) > 1 LIMIT 100",
        {"d": d},
    ).fetchall()
    for uid, n in dupes:
        res.add("alignment", uid, f"appears {n} times in data")
    bad_kind = con.execute(
        "SELECT DISTINCT kind, category FROM read_parquet($d)", {"d": d}
    ).fetchall()
    for kind, category in bad_kind:
        rule = policy.kinds.get(kind)
        if rule is None or not rule.used:
            res.add("kind", kind, "kind in data is not used by the policy")
        elif rule.category != category:
            res.add("kind", kind, f"category {category!r}, policy says {rule.category!r}")
    res.ran("alignment: data and lineage hold the same records once each; kinds and "
            "categories as the policy says")
    # one author pseudonym per member, never the member id itself
    authors = con.execute(
        """
        SELECT l.member_id, count(DISTINCT d.author), any_value(d.author)
        FROM read_parquet($d) d JOIN read_parquet($l) l USING (record_uid)
        GROUP BY l.member_id
        """,
        {"d": d, "l": lf},
    ).fetchall()
    pseudonyms = policy.redaction.pseudonymize_author
    if key is not None and pseudonyms:
        from consentgate.engine.transforms import pseudonym_py
        from consentgate.snapshot.keys import key_id

        if manifest.get("pseudonym_key_id") not in (None, key_id(key)):
            res.add("pseudonym", "pseudonym_key_id",
                    f"the manifest names key {manifest.get('pseudonym_key_id')}, the key given "
                    f"is {key_id(key)}")
    by_author: Counter[str] = Counter()
    for member_id, n, author in authors:
        by_author[author] += 1
        if n != 1:
            res.add("pseudonym", member_id, f"{n} different pseudonyms for one member")
        if pseudonyms and author == member_id:
            res.add("pseudonym", member_id, "author is the member id, not a pseudonym")
        if key is not None and pseudonyms and author != pseudonym_py(member_id, key):
            res.add("pseudonym", member_id, "pseudonym does not match the given key")
    for author, n in by_author.items():
        if n > 1:
            res.add("pseudonym", author, f"one pseudonym shared by {n} members")
    if not pseudonyms:
        res.ran("pseudonyms: the policy does not pseudonymise authors")
    elif key is not None:
        from consentgate.snapshot.keys import key_id

        res.ran(f"pseudonyms: one per member, none a member id, each derived with key "
                f"{key_id(key)}")
    else:
        res.ran("pseudonyms: one per member and none a member id; not checked against a key "
                "(give --key-file to check them)")


def _check_usage_index(
    con, root: Path, data_files: list[Path], lineage_files: list[Path], res: VerifyResult
) -> None:
    """The usage index holds exactly the per-member counts of data and lineage."""
    usage = root / "usage" / "members.parquet"
    if not usage.exists():
        res.ran("usage index: none in this snapshot (an older format)")
        return
    params = {"d": [str(p) for p in data_files], "l": [str(p) for p in lineage_files],
              "u": str(usage)}
    computed = """
        SELECT l.member_id, d.kind, count(*)::BIGINT AS records,
               min(d.created_at) AS first_created_at, max(d.created_at) AS last_created_at
        FROM read_parquet($d) d JOIN read_parquet($l) l USING (record_uid)
        GROUP BY ALL"""
    stored = """SELECT member_id, kind, records, first_created_at, last_created_at
                FROM read_parquet($u)"""
    for label, a, b in (("not in data", stored, computed), ("missing", computed, stored)):
        for member_id, kind, n, *_ in con.execute(
            f"SELECT * FROM ({a}) EXCEPT SELECT * FROM ({b}) ORDER BY 1, 2 LIMIT 100", params
        ).fetchall():
            res.add("usage", member_id,
                    f"usage index row ({kind}, {n} records) {label}"
                    if label == "not in data"
                    else f"{n} {kind} record(s) in data missing from the usage index")
    order = con.execute(
        "SELECT count(*) FROM (SELECT member_id, kind, "
        "lag(member_id) OVER (ORDER BY file_row_number) AS pm, "
        "lag(kind) OVER (ORDER BY file_row_number) AS pk "
        "FROM read_parquet($u, file_row_number = true)) "
        "WHERE pm IS NOT NULL AND (pm, pk) >= (member_id, kind)",
        {"u": str(usage)},
    ).fetchone()[0]
    if order:
        res.add("usage", "usage/members.parquet", "rows are not sorted by member and kind")
    res.ran("usage index: equal to the per-member counts of data and lineage, sorted")


def _check_text_index(
    con, root: Path, data_files: list[Path], expected: Path, policy: Policy,
    key: bytes | None, manifest: dict, res: VerifyResult,
) -> None:
    """The text index (what a later incremental build reuses) lines up with data, its
    per-record counts add up to the manifest's redactions, and, with the key, each hash
    is the hash of its record's source text: a wrong index would make a later build reuse
    a text that is not the redacted text of its record."""
    from consentgate.snapshot.texts import TEXTS_FILE, count_column, index_problem

    if not any(f.get("path") == TEXTS_FILE for f in manifest.get("files", [])):
        res.ran("text index: none in this snapshot (nothing for a later --since to reuse)")
        return
    index = root / TEXTS_FILE
    if not index.is_file():
        return  # reported by the hash check
    classes = list(policy.redaction.classes)
    problem = index_problem(index, data_files, classes)
    if problem is not None:
        res.add("text_index", TEXTS_FILE, problem)
        return
    sums = con.execute(
        "SELECT " + ", ".join(f"coalesce(sum({count_column(c)}), 0)::BIGINT" for c in classes)
        + " FROM read_parquet($i)", {"i": str(index)}).fetchone() if classes else ()
    recorded = (manifest.get("counts") or {}).get("redactions") or {}
    # a purge counts the placeholders in the kept texts instead (it redacts nothing): the
    # same figure but where a source text already held one, so only builds are compared
    for cls, n in zip(classes, sums, strict=True) if "purge" not in manifest else ():
        if recorded.get(cls, 0) != n:
            res.add("text_index", cls, f"the index counts {n} values redacted, the manifest "
                    f"{recorded.get(cls, 0)}")
    counts = ("its counts add up to the manifest's" if "purge" not in manifest
              else "counts not compared (a purge counts placeholders)")
    if key is None:
        res.ran(f"text index: lines up with data, {counts}; hashes not checked (give "
                "--key-file to check them)")
        return
    for (rid,) in con.execute(
        """SELECT e.record_id FROM read_parquet($i) i JOIN read_parquet($e) e
           USING (record_uid) WHERE i.text_sha256 IS DISTINCT FROM e.source_text_hash
           ORDER BY 1""", {"i": str(index), "e": str(expected)}).fetchall():
        res.add("text_index", rid, "the hash in the text index is not that of the source text")
    res.ran(f"text index: lines up with data, {counts}, each hash that of its record's "
            "source text")


def _iter_texts(files: list[Path]) -> Iterator[pa.RecordBatch]:
    for f in files:
        yield from pq.ParquetFile(f).iter_batches(columns=["record_uid", "text"], batch_size=8192)


def _scan_texts(files: list[Path], policy: Policy, res: VerifyResult) -> None:
    from consentgate.redaction import Redactor

    redactor = Redactor.from_policy(policy)
    for batch in _iter_texts(files):
        uids = batch.column("record_uid").to_pylist()
        for uid, findings in zip(uids, redactor.find_batch(batch.column("text")), strict=True):
            for finding in findings:
                res.add("unredacted", uid, f"{finding.cls} left in the text")
