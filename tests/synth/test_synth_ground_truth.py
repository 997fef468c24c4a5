"""Every planted personal-data value and every decoy is where the ground truth says, and is
(in)valid the way a redactor would check it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import phonenumbers
import pyarrow.parquet as pq
import pytest
from schwifty import IBAN
from stdnum import luhn
from stdnum.fr import nir
from stdnum.us import ssn

from consentgate.policy import REDACTION_CLASSES
from consentgate.synth.pii import NATIONAL_ID_VALIDATORS, nino_valid

DECOY_CLASSES = {
    "date", "time", "version", "price", "count", "order_number", "year", "percentage",
    "invalid_iban", "invalid_card", "patent_number",
}  # fmt: skip


@pytest.fixture(scope="module")
def texts(net: Path) -> dict[str, str]:
    with duckdb.connect() as con:
        rows = con.sql(
            f"select record_id, text from read_parquet('{net}/records/*.parquet')"
        ).fetchall()
    return dict(rows)


@pytest.fixture(scope="module")
def truth(net: Path) -> list[dict]:
    return pq.read_table(net / "ground_truth.parquet").to_pylist()


@pytest.fixture(scope="module")
def decoys(net: Path) -> list[dict]:
    return pq.read_table(net / "decoys.parquet").to_pylist()


def test_schema(net: Path) -> None:
    for name in ("ground_truth", "decoys"):
        schema = pq.read_schema(net / f"{name}.parquet")
        assert schema.names[:5] == ["record_id", "cls", "value", "start", "end"]
        assert str(schema.field("start").type) == "int32"
        assert str(schema.field("end").type) == "int32"


@pytest.mark.parametrize("table", ["truth", "decoys"])
def test_offsets_point_at_the_values(table: str, texts: dict[str, str], request) -> None:
    rows = request.getfixturevalue(table)
    assert rows
    for row in rows:
        text = texts[row["record_id"]]
        assert text[row["start"] : row["end"]] == row["value"], row
        # never glued to a word: the characters around a value are not letters or digits
        before = text[row["start"] - 1] if row["start"] > 0 else " "
        after = text[row["end"]] if row["end"] < len(text) else " "
        assert not before.isalnum() and not after.isalnum(), (row, text)


def test_classes(truth: list[dict], decoys: list[dict]) -> None:
    assert {r["cls"] for r in truth} == set(REDACTION_CLASSES)
    assert {r["cls"] for r in decoys} == DECOY_CLASSES


def test_no_decoy_overlaps_personal_data(truth: list[dict], decoys: list[dict]) -> None:
    spans: dict[str, list[tuple[int, int]]] = {}
    for r in truth:
        spans.setdefault(r["record_id"], []).append((r["start"], r["end"]))
    for d in decoys:
        for s, e in spans.get(d["record_id"], []):
            assert d["end"] <= s or d["start"] >= e, d


def test_phones_are_valid(truth: list[dict]) -> None:
    phones = [r for r in truth if r["cls"] == "phone"]
    formats = Counter(r["detail"].split(":")[1] for r in phones)
    assert formats["intl"] and formats["national"] and formats["e164"]
    regions = {r["detail"].split(":")[0] for r in phones if r["detail"].endswith(":national")}
    assert {"FR", "DE", "GB", "US"} <= regions
    for r in phones:
        region, fmt = r["detail"].split(":")
        number = phonenumbers.parse(r["value"], region if fmt == "national" else None)
        assert phonenumbers.is_valid_number(number), r
        assert phonenumbers.region_code_for_number(number) == region, r


def test_ibans_are_valid(truth: list[dict], decoys: list[dict]) -> None:
    ibans = [r for r in truth if r["cls"] == "iban"]
    assert any(" " in r["value"] for r in ibans) and any(" " not in r["value"] for r in ibans)
    for r in ibans:
        IBAN(r["value"]).validate(validate_bban=True)
    bad = [r for r in decoys if r["cls"] == "invalid_iban"]
    assert bad
    for r in bad:
        with pytest.raises(ValueError):
            IBAN(r["value"])


def test_cards_pass_luhn(truth: list[dict], decoys: list[dict]) -> None:
    cards = [r for r in truth if r["cls"] == "card"]
    assert {r["detail"].split(":")[0] for r in cards} == {"visa", "mastercard", "amex"}
    for r in cards:
        digits = r["value"].replace(" ", "").replace("-", "")
        assert digits.isdigit() and len(digits) in (15, 16), r
        assert luhn.is_valid(digits), r
    for r in (r for r in decoys if r["cls"] == "invalid_card"):
        assert not luhn.is_valid(r["value"].replace(" ", "")), r


def test_national_ids_are_valid(truth: list[dict]) -> None:
    ids = [r for r in truth if r["cls"] == "national_id"]
    variants = Counter(r["detail"] for r in ids)
    assert {"fr_nir", "us_ssn"} <= set(variants)
    for r in ids:
        assert NATIONAL_ID_VALIDATORS[r["detail"]](r["value"]), r
        if r["detail"] == "fr_nir":
            assert nir.is_valid(r["value"])
        if r["detail"] == "us_ssn":
            assert ssn.is_valid(r["value"])
        if r["detail"] == "gb_nino":
            assert nino_valid(r["value"])


def test_salaries_and_emails_look_right(truth: list[dict]) -> None:
    salaries = [r["value"] for r in truth if r["cls"] == "salary"]
    assert salaries
    for v in salaries:
        assert any(ch.isdigit() for ch in v)
        marks = ("€", "$", "£", "eur", "usd", "gbp", "chf", "fr.", "zł", "pln", "cad", "aud", "hkd")
        assert any(c in v.lower() for c in marks), v
    currencies = {c for v in salaries for c in ("€", "$", "£", "CHF", "zł") if c in v}
    assert {"€", "$", "£"} <= currencies
    for r in (r for r in truth if r["cls"] == "email"):
        local, _, domain = r["value"].partition("@")
        assert local and "." in domain and r["value"].isascii(), r


def test_realistic_share_of_texts_carry_personal_data(net: Path) -> None:
    plantable = (
        "'post','article','comment','group_post','group_comment','group_message','ai_prompt',"
        "'ai_output','private_message','inmail','feedback','profile_summary'"
    )
    with duckdb.connect() as con:
        share = con.sql(
            f"""
            with r as (select * from read_parquet('{net}/records/*.parquet')
                       where kind in ({plantable})),
                 g as (select distinct record_id from read_parquet('{net}/ground_truth.parquet'))
            select avg((g.record_id is not null)::int) from r left join g using (record_id)
            """
        ).fetchone()
    assert share is not None
    assert 0.08 <= share[0] <= 0.25
