"""Events out of the ledger (export, read_events, head_hash) and into it (import)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from consentgate.contract import TABLES, open_source
from consentgate.ledger import (
    GENESIS_HASH,
    META_HEAD_HASH,
    META_HEAD_SEQ,
    EventRejected,
    Ledger,
    export_parquet,
    head_hash,
    import_file,
    init_ledger,
    read_events,
)
from consentgate.ledger.exchange import META_AS_OF
from tests.ledger.conftest import KEY, change, past

UTC = dt.UTC
T1 = dt.datetime(2025, 6, 1, tzinfo=UTC)
T2 = dt.datetime(2025, 12, 1, tzinfo=UTC)


def contract_rows(table: pa.Table) -> list[tuple]:
    return sorted(tuple(r.values()) for r in table.to_pylist())


def test_read_events_gives_the_contract_table_up_to_t(db_url: str) -> None:
    assert read_events(db_url, T2).num_rows == 0
    assert head_hash(db_url, T2) == GENESIS_HASH == head_hash(db_url)
    with Ledger(db_url) as ledger:
        ledger.import_events([past("a", False, T1 - dt.timedelta(days=1)),
                              past("b", True, T1)])  # exactly at T1: counts
        ledger.import_events([past("a", True, T2 - dt.timedelta(days=1))])
        live = ledger.record_change(change("c", False))
    table = read_events(db_url, T1)
    assert table.schema.remove_metadata() == TABLES["preference_events"].arrow_schema()
    assert contract_rows(table) == [
        ("a", KEY, False, T1 - dt.timedelta(days=1), "import"),
        ("b", KEY, True, T1, "import"),
    ]
    assert len(read_events(db_url, T2)) == 3
    assert len(read_events(db_url, None)) == 4
    meta = table.schema.metadata
    assert meta[META_HEAD_HASH].decode() == head_hash(db_url, T1)
    assert int(meta[META_HEAD_SEQ]) == 2
    assert meta[META_AS_OF] == b"2025-06-01T00:00:00.000000Z"
    with Ledger(db_url) as ledger:  # with no T: the root of the whole log, not a leaf
        assert head_hash(db_url) == ledger.head().hash != live.hash


def test_the_head_as_of_t_ignores_later_changes_but_not_back_dated_imports(db_url: str) -> None:
    with Ledger(db_url) as ledger:
        ledger.import_events([past("a", False, T1)])
        pinned = head_hash(db_url, T2)
        ledger.record_change(change("a", True))  # effective now, after T2
        assert head_hash(db_url, T2) == pinned
        ledger.import_events([past("b", False, T1)])  # changes what a build as of T2 reads
        assert head_hash(db_url, T2) != pinned


def test_export_writes_a_file_the_contract_reader_accepts(ledger: Ledger, tmp_path: Path) -> None:
    ledger.import_events([past("a", False, T1), past("b", True, T2)])
    out = tmp_path / "events.parquet"
    result = export_parquet(ledger, T1, out)
    assert (result.rows, result.head_seq) == (1, 1)
    written = pq.read_table(out)
    assert written.schema.metadata[META_HEAD_HASH].decode() == result.head_hash
    folder = tmp_path / "source"
    folder.mkdir()
    (folder / "preference_events.parquet").write_bytes(out.read_bytes())
    source = open_source(folder, tables=("preference_events",))
    assert source.count("preference_events") == 1
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left


def test_export_then_import_round_trips(ledger: Ledger, tmp_path: Path, policy) -> None:  # type: ignore[no-untyped-def]
    ledger.import_events([past("a", False, T1), past("b", True, T1), past("a", True, T2)])
    out = tmp_path / "events.parquet"
    export_parquet(ledger, T2, out)
    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    init_ledger(other_url)
    with Ledger(other_url) as other:
        result = import_file(other, out, policy)
        assert (len(result.added), result.skipped) == (3, 0)
        again = import_file(other, out, policy)
        assert (len(again.added), again.skipped) == (0, 3)
    assert contract_rows(read_events(other_url, T2)) == contract_rows(read_events(
        str(ledger.engine.url.render_as_string(hide_password=False)), T2))


def test_import_from_a_duckdb_source(ledger: Ledger, tmp_path: Path, policy) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "platform.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE preference_events (member_id VARCHAR, setting VARCHAR, "
                "value BOOLEAN, effective_at TIMESTAMP, source VARCHAR)")
    con.execute(f"INSERT INTO preference_events VALUES ('x', '{KEY}', false, "
                "'2025-03-01 10:00:00', 'objection_form')")
    con.close()
    result = import_file(ledger, path, policy)
    assert len(result.added) == 1 and result.added[0].source == "objection_form"
    assert result.added[0].effective_at == dt.datetime(2025, 3, 1, 10, tzinfo=UTC)


def test_a_bad_file_imports_nothing_and_says_which_row(
    ledger: Ledger, tmp_path: Path, policy  # type: ignore[no-untyped-def]
) -> None:
    rows = [
        {"member_id": "a", "setting": KEY, "value": True, "effective_at": T1, "source": "import"},
        {"member_id": "b", "setting": KEY, "value": None, "effective_at": T1, "source": "import"},
    ]
    path = tmp_path / "bad.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)  # a platform's file, nulls and all
    with pytest.raises(EventRejected, match="row 2: value missing"):
        import_file(ledger, path, policy)
    assert ledger.count() == 0
    wrong = tmp_path / "wrong.parquet"
    pq.write_table(pa.table({"member_id": ["a"]}), wrong)
    # a file with no setting column is the primary setting's (the contract's default); the
    # next required column is named
    with pytest.raises(ValueError, match="missing column 'value'"):
        import_file(ledger, wrong, policy)
