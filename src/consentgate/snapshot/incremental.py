"""Incremental builds: ``consentgate build ... --since PREVIOUS``.

An incremental build is a full build (every member and record decided again at T2, every
count, pseudonym and file written the same way) that takes the redacted text of a record
from the previous snapshot instead of redacting it again, when that is safe: the record's
record_uid and the keyed hash of its source text today are both in the previous snapshot's
text index (``reuse/texts.parquet``, see ``snapshot.texts``), merged in as the records
stream out (``snapshot.reuse``). Redaction, the costly step,
then runs only on new and changed texts. The result is the snapshot a full build writes,
file for file, plus an ``incremental`` entry in its report and manifest.

Nothing is reused, and the build says why (``refused``), when the previous snapshot was
built with another policy, purpose, pseudonym key or redaction rules, when it has no text
index (built before there was one), or when its files fail a quick
integrity check (the files read are re-hashed against its manifest, the manifest's snapshot
id must derive from its files, and the index must line up with data/): a previous snapshot
that cannot be trusted is never used, and the build is then a plain full build.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import ibis.expr.types as ir

from consentgate.engine.backends import Engine
from consentgate.policy.model import Policy
from consentgate.snapshot.keys import key_id
from consentgate.snapshot.manifest import (
    data_files,
    file_differences,
    lineage_files,
    snapshot_id,
)
from consentgate.snapshot.steps.withdraw import NOT_IN_SOURCE
from consentgate.snapshot.texts import (
    TEXTS_FILE,
    TEXTS_FOLDER,
    index_problem,
    same_texts,
    text_hash,
)
from consentgate.snapshot.verify import DELETION_FILE, parse_time

__all__ = ["Previous", "changes", "incremental_entry", "open_previous", "with_text_hash"]


@dataclass
class Previous:
    """The snapshot given with --since, as far as it can be trusted."""

    path: Path
    manifest: dict | None = None
    refused: list[str] = field(default_factory=list)  # why nothing is reused; [] if reused
    intact: bool = False  # its data/lineage/index match its manifest: changes can be told
    comparable: bool = False  # its text hashes were made with today's key

    @property
    def reusable(self) -> bool:
        return self.intact and not self.refused

    @property
    def snapshot_id(self) -> str | None:
        return (self.manifest or {}).get("snapshot_id")

    def since(self) -> dict:
        m = self.manifest or {}
        return {"snapshot_id": m.get("snapshot_id"), "as_of": m.get("as_of"),
                "path": str(self.path)}


def open_previous(
    path: Path, policy: Policy, purpose: str, key: bytes, rules: dict
) -> Previous:
    """Check the previous snapshot against what this build uses. Raises only when ``path``
    is not there at all (a typo should not turn into a silent full build); every other
    problem is a reason in ``refused``."""
    path = Path(path)
    if not path.is_dir():
        raise FileNotFoundError(f"--since {path}: no such snapshot folder")
    prev = Previous(path)
    try:
        manifest = json.loads((path / "manifest.json").read_text())
        if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
            raise ValueError("not a snapshot manifest")
        for needed in (manifest["snapshot_id"], manifest["as_of"], manifest["policy"]):
            if not needed:
                raise ValueError("its snapshot_id, as_of or policy is empty")
        if not isinstance(manifest["policy"].get("sha256"), str):
            raise ValueError("it names no policy sha256")
        if not all(isinstance(f, dict) and isinstance(f.get("path"), str)
                   and isinstance(f.get("sha256"), str) for f in manifest["files"]):
            raise ValueError("a file entry has no path or sha256")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        prev.refused.append(f"its manifest.json is missing or unreadable ({exc})")
        return prev
    prev.manifest = manifest
    if (path / DELETION_FILE).exists():
        prev.refused.append("its data was deleted (deletion.json)")
        return prev
    problem = _integrity_problem(path, manifest, policy)
    if problem is not None:
        prev.refused.append(f"it fails the integrity check: {problem}")
        return prev
    prev.intact = True

    built_policy = manifest["policy"]
    if built_policy["sha256"] != policy.sha256:
        prev.refused.append(
            f"it was built with another policy ({built_policy.get('id')} sha256 "
            f"{built_policy['sha256'][:12]}…, this build uses {policy.id} "
            f"{policy.sha256[:12]}…)")
    built_purpose = (manifest.get("purpose") or {}).get("setting") or policy.setting.key
    if built_purpose != purpose:
        prev.refused.append(f"it was built for purpose {built_purpose}, this build is for "
                            f"{purpose}")
    prev.comparable = manifest.get("pseudonym_key_id") == key_id(key)
    if not prev.comparable:
        prev.refused.append(
            f"it was built with another pseudonym key (key id "
            f"{manifest.get('pseudonym_key_id')}, this build uses {key_id(key)})")
    built_rules = manifest.get("redaction_rules")
    if not isinstance(built_rules, dict):
        prev.refused.append("it does not name the redaction rules its texts were redacted "
                            "with (built before manifests did)")
    elif built_rules.get("sha256") != rules["sha256"]:
        prev.refused.append(f"its texts were redacted with other redaction rules "
                            f"({_rules_difference(built_rules, rules)})")
    if not any(f.get("path") == TEXTS_FILE for f in manifest["files"]):
        prev.refused.append(f"it holds no text index ({TEXTS_FILE}: built before builds "
                            "kept one, or on Spark)")
        prev.comparable = False
    elif not prev.refused:
        problem = index_problem(path / TEXTS_FILE, data_files(path),
                                list(policy.redaction.classes))
        if problem is not None:
            prev.intact = False
            prev.refused.append(f"it fails the integrity check: {problem}")
    return prev


def _integrity_problem(path: Path, manifest: dict, policy: Policy) -> str | None:
    """Why the files this build reads (data/, lineage/, the text index) cannot be trusted:
    re-hashed against the manifest, and the manifest's snapshot id derived again from the
    file hashes it lists (a manifest edited by hand to match changed files is caught unless
    the id was forged too)."""
    found = file_differences(path, manifest, ("data", "lineage", TEXTS_FOLDER))
    if found:
        listed = ", ".join(f"{p} {kind}" for p, kind in found[:3])
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        return f"its files differ from its manifest ({listed}{more})"
    if not data_files(path) or not lineage_files(path):
        return "it has no data/ or lineage/ parts"
    content = [f for f in manifest["files"]
               if f.get("path", "").split("/", 1)[0] in ("data", "lineage", "usage")]
    setting = (manifest.get("purpose") or {}).get("setting")
    purpose = None if setting in (None, policy.setting.key) else setting
    try:
        derived = snapshot_id(parse_time(manifest["as_of"]), manifest["policy"]["sha256"],
                              content, purpose)
    except (KeyError, TypeError, ValueError) as exc:
        return f"its manifest is malformed ({exc})"
    if derived != manifest["snapshot_id"]:
        return (f"its snapshot id {manifest['snapshot_id']} does not derive from the files "
                f"its manifest lists ({derived})")
    return None


def _rules_difference(then: dict, now: dict) -> str:
    said = []
    if then.get("classes") != now.get("classes"):
        said.append(f"classes {then.get('classes')} then, {now.get('classes')} now")
    if then.get("consentgate_version") != now.get("consentgate_version"):
        said.append(f"consentgate {then.get('consentgate_version')} then, "
                    f"{now.get('consentgate_version')} now")
    files_then, files_now = then.get("data_files") or {}, now.get("data_files") or {}
    changed = sorted(k for k in files_then.keys() | files_now.keys()
                     if files_then.get(k) != files_now.get(k))
    if changed:
        said.append(f"rule files changed: {', '.join(changed)}")
    if then.get("libraries") != now.get("libraries"):
        said.append(f"libraries {then.get('libraries')} then, {now.get('libraries')} now")
    return "; ".join(said) or "the redaction code changed"


def with_text_hash(used: ir.Table, key: bytes) -> ir.Table:
    """The used records with the keyed hash of their source text (for the text index);
    the caller orders them."""
    return used.mutate(text_sha256=text_hash(used.text, key))


def changes(engine: Engine, prev: Previous, tmp: Path, members: ir.Table,
            decided: ir.Table) -> dict:
    """What changed against the previous snapshot: members in and out (those with records
    in one snapshot and not the other; out by their reason at T2), records added and
    withdrawn (by their reason at T2, or not_in_source), records whose source text changed.
    Members coming in have no reason: a snapshot does not record why a member was out.

    ``decided`` is every record's decision at T2, best materialised (it is read here for
    the withdrawn records' reasons, after the counts read it). Plain SQL on the build's
    DuckDB connection; a Spark build's members and decisions are written to Parquet and
    compared on a DuckDB connection of their own (the snapshots' files are small beside
    the source, and read the same way)."""
    if engine.name != "duckdb":
        return _changes_off_engine(engine, prev, tmp, members, decided)
    return _changes(engine.con, prev, tmp, members, decided)


def _changes_off_engine(engine: Engine, prev: Previous, tmp: Path, members: ir.Table,
                        decided: ir.Table) -> dict:
    import ibis

    folder = engine.workdir
    engine.con.to_parquet(members.select("member_id", "member_reason"),
                          folder / "cg_t2_members")
    engine.con.to_parquet(decided.select("record_id", "reason"), folder / "cg_t2_records")
    con = ibis.duckdb.connect()
    try:
        con.raw_sql("SET enable_progress_bar=false")
        m = con.read_parquet(str(folder / "cg_t2_members" / "*.parquet"))
        d = con.read_parquet(str(folder / "cg_t2_records" / "*.parquet"))
        return _changes(con, prev, tmp, m, d)
    finally:
        con.disconnect()


def _changes(con, prev: Previous, tmp: Path, members: ir.Table, decided: ir.Table) -> dict:
    con.create_view("cg_t2_members", members.select("member_id", "member_reason"),
                    overwrite=True)
    con.create_view("cg_t2_records", decided.select("record_id", "reason"), overwrite=True)
    raw = con.con
    # (a view cannot take prepared parameters: the file names are SQL literals)
    raw.execute("CREATE OR REPLACE TEMP VIEW cg_prev_lineage AS "
                "SELECT record_uid, record_id, member_id FROM read_parquet("
                f"{_files_sql(lineage_files(prev.path))})")
    raw.execute("CREATE OR REPLACE TEMP VIEW cg_new_lineage AS "
                f"SELECT record_uid, member_id FROM read_parquet({_files_sql(lineage_files(tmp))})")
    # the withdrawn records with their reason at T2, once: the T2 decisions are a view
    # over every source record, which two of the queries below would compute again
    raw.execute(f"""
        CREATE OR REPLACE TEMP TABLE cg_gone AS
        SELECT pl.record_uid, pl.member_id, coalesce(r.reason, '{NOT_IN_SOURCE}') AS reason
        FROM cg_prev_lineage pl ANTI JOIN cg_new_lineage USING (record_uid)
        LEFT JOIN cg_t2_records r USING (record_id)""")

    def rows(sql: str) -> list[tuple]:
        return raw.execute(sql).fetchall()

    added = rows("SELECT count(*) FROM cg_new_lineage ANTI JOIN cg_prev_lineage "
                 "USING (record_uid)")[0][0]
    withdrawn = dict(rows("SELECT reason, count(*) FROM cg_gone GROUP BY 1 ORDER BY 2 DESC, 1"))
    members_in = rows("""SELECT count(*) FROM (SELECT member_id FROM cg_new_lineage
                                              EXCEPT SELECT member_id FROM cg_prev_lineage)""")[0][0]
    # an eligible member with no record left goes out for the reason of their first record
    members_out = dict(rows(f"""
        SELECT CASE WHEN m.member_reason IS NULL THEN '{NOT_IN_SOURCE}'
                    WHEN m.member_reason = 'used' THEN g.first_reason
                    ELSE m.member_reason END AS reason, count(*)
        FROM (SELECT member_id FROM cg_prev_lineage EXCEPT SELECT member_id FROM cg_new_lineage)
             AS out
        LEFT JOIN cg_t2_members m USING (member_id)
        LEFT JOIN (SELECT member_id, arg_min(reason, record_uid) AS first_reason
                   FROM cg_gone GROUP BY 1) g USING (member_id)
        GROUP BY 1 ORDER BY 2 DESC, 1"""))
    result = {
        "members": {"in": members_in, "out": sum(members_out.values()),
                    "out_by_reason": members_out},
        "records": {"added": added, "withdrawn": sum(withdrawn.values()),
                    "withdrawn_by_reason": withdrawn, "text_changed": None,
                    "text_unchanged": None},
    }
    new_index = tmp / TEXTS_FILE
    if prev.comparable and new_index.exists():
        both, same = same_texts(new_index, prev.path / TEXTS_FILE, raw)
        result["records"]["text_changed"] = both - same
        result["records"]["text_unchanged"] = same
    return result


def _files_sql(files: list[Path]) -> str:
    return "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"


def incremental_entry(prev: Previous, reused: int, redacted: int,
                      changed: dict | None, stopped: str | None = None) -> dict:
    """The ``incremental`` entry of the report and the manifest; ``stopped``: why reuse
    stopped part way (``snapshot.reuse``), the texts after it having been redacted again."""
    entry = {
        "since": prev.since(),
        "reused": prev.reusable,
        "refused": list(prev.refused),
        "texts": {"reused": reused, "redacted": redacted},
        "changes": changed,
    }
    if stopped is not None:
        entry["reuse_stopped"] = stopped
    if changed is None:
        entry["changes_unavailable"] = (
            "the previous snapshot could not be trusted or read" if not prev.intact
            else "not computed")
    return entry
