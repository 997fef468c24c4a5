"""Receipts: ISO/IEC TS 27560 shape, Kantara v1.1 view, same receipt every time."""

from __future__ import annotations

from consentgate.ledger import Ledger
from consentgate.ledger.receipts import receipt_27560, receipt_kantara
from tests.ledger.conftest import change


def test_a_receipt_has_the_27560_fields(ledger: Ledger, policy) -> None:  # type: ignore[no-untyped-def]
    event = ledger.record_change(change("m1", False))
    receipt = receipt_27560(event, policy)
    assert receipt["schema_version"] == "ISO/IEC TS 27560:2023"
    assert receipt["record_id"] == event.receipt_id == receipt["receipt"]["receipt_id"]
    assert receipt["pii_principal_id"] == "m1"
    processing = receipt["processing"][0]
    assert processing["purposes"][0]["purpose_type"] == "train_ai_system"
    assert processing["purposes"][0]["lawful_basis"] == "legitimate_interests"
    assert processing["jurisdiction"].startswith("FR (European Union")
    assert processing["collection_method"] == "web"
    assert "TS-DPRO" in processing["withdrawal_method"]
    assert processing["retroactive"] is False
    kinds = {p["attribute_id"] for p in processing["pii_information"]}
    assert "post" in kinds and "private_message" not in kinds
    ev = receipt["event"][0]
    assert ev["event_state"] == "opted_out" and ev["event_type"] == "opt_out"
    assert ev["event_time"].endswith("Z") and ev["entity_id"] == "m1"
    assert receipt["ledger"]["hash"] == event.hash
    assert receipt_27560(ledger.find(event.receipt_id), policy) == receipt  # reproducible


def test_the_kantara_view(ledger: Ledger, policy) -> None:  # type: ignore[no-untyped-def]
    event = ledger.record_change(change("m1", True))
    receipt = receipt_kantara(event, policy)
    assert receipt["version"] == "KI-CR-v1.1.0"
    assert receipt["consentReceiptID"] == event.receipt_id
    assert receipt["piiPrincipalId"] == "m1"
    assert isinstance(receipt["consentTimestamp"], int)
    purpose = receipt["services"][0]["purposes"][0]
    assert purpose["purposeCategory"] == ["train_ai_system"]
    assert receipt["x-consentgate"]["event_state"] == "opted_in"
