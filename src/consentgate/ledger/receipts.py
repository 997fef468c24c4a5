"""Receipts: what a member can download for each change of their setting.

The main form follows the field list of ISO/IEC TS 27560:2023 as the W3C DPVCG guide gives
it (header, processing, PII, party, event). The LinkedIn-style switch works on legitimate
interests, so an event is an opt-in or an opt-out (an objection), not consent given or
withdrawn. A Kantara Consent Receipt v1.1 view of the same event is offered for tools that
read that older format. Both are built from the event, the policy and the event's proof of
inclusion in the log (``proofs``), which leads to the first signed tree head covering the
event, so the same receipt comes back every time it is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from consentgate.contract.schema import ERASURE_SETTING
from consentgate.ledger.chain import CHAIN_FORMAT, StoredEvent, format_time
from consentgate.policy.model import Policy

SCHEMA_VERSION = "ISO/IEC TS 27560:2023"
RECEIPT_FORMAT = "consentgate-receipt-1"
KANTARA_VERSION = "KI-CR-v1.1.0"
PURPOSE = "Train, fine-tune, evaluate and improve content-generating AI models"


@dataclass(frozen=True)
class Controller:
    """The PII controller named on receipts (the platform operator)."""

    name: str = "Platform operator"
    url: str | None = None
    contact: str | None = None
    address: str | None = None


ERASURE_NAMES = {
    "en": "Erasure of my data (GDPR Art. 17)",
    "fr": "Effacement de mes données (RGPD art. 17)",
}


def is_erasure(event: StoredEvent) -> bool:
    return event.setting == ERASURE_SETTING


def _state(event: StoredEvent) -> tuple[str, str]:
    if is_erasure(event):
        return "erasure_request", "erasure_requested"
    return ("opt_in", "opted_in") if event.value else ("opt_out", "opted_out")


def _setting_name(policy: Policy, language: str | None, event: StoredEvent) -> str:
    lang = (language or "en").split("-")[0]
    if is_erasure(event):
        return ERASURE_NAMES.get(lang, ERASURE_NAMES["en"])
    names = policy.setting.name
    return names.get(lang, names["en"])


def _path(policy: Policy, language: str | None) -> str:
    paths = policy.setting.path
    return " → ".join(paths.get((language or "en").split("-")[0], paths["en"]))


def _pii(policy: Policy) -> list[dict[str, Any]]:
    return [
        {"pii_type": rule.category, "attribute_id": kind, "sensitive": False}
        for kind, rule in sorted(policy.kinds.items())
        if rule.used
    ]


def _withdrawal(policy: Policy, event: StoredEvent) -> str:
    if is_erasure(event):
        return (
            "An erasure request cannot be withdrawn: from its time on, no new training "
            "dataset includes the member's data, and withdrawal lists name their records "
            "in the datasets built before"
        )
    how = (
        f"Settings: {_path(policy, event.language)}, switch "
        f"\"{policy.setting.toggle['en']}\" (on or off at any time); "
        f"API: PUT /api/v1/me/settings/{event.setting} with {{\"value\": false}}"
    )
    if policy.policy.objection_url:
        how += f"; other processing: Data Processing Objection form {policy.policy.objection_url}"
    return how


def _jurisdiction(policy: Policy, event: StoredEvent) -> str | None:
    if event.jurisdiction is None:
        return None
    region = policy.region_for(event.jurisdiction)
    return f"{event.jurisdiction} ({region.name})" if region is not None else event.jurisdiction


def receipt_27560(
    event: StoredEvent, policy: Policy, controller: Controller | None = None,
    log: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The receipt of one event, shaped after ISO/IEC TS 27560; ``log``: the proof that the
    event is in the log (``proofs.log_proof``)."""
    controller = controller or Controller(url=policy.policy.notice_url)
    event_type, event_state = _state(event)
    return {
        "schema_version": SCHEMA_VERSION,
        "record_id": event.receipt_id,
        "pii_principal_id": event.member_id,
        "receipt": {
            "receipt_id": event.receipt_id,
            "schema_version": SCHEMA_VERSION,
            "format": RECEIPT_FORMAT,
        },
        "notice": {
            "privacy_notice": policy.policy.notice_url,
            "notice_version": event.notice_version,
            "language": event.language,
        },
        "processing": [
            {
                "purposes": [
                    {
                        "purpose": PURPOSE,
                        "purpose_type": policy.policy.data_use,
                        "lawful_basis": policy.policy.legal_basis,
                        "setting": event.setting,
                        "setting_name": _setting_name(policy, event.language, event),
                    }
                ],
                "pii_information": _pii(policy),
                "pii_controllers": [
                    {
                        "id": "controller",
                        "name": controller.name,
                        "url": controller.url,
                        "contact": controller.contact,
                        "address": controller.address,
                        "type": "controller",
                    }
                ],
                "jurisdiction": _jurisdiction(policy, event),
                "collection_method": event.source,
                "processing_method": "automated",
                "withdrawal_method": _withdrawal(policy, event),
                "retroactive": policy.setting.retroactive,
                "policy": {"id": event.policy_id, "version": event.policy_version},
            }
        ],
        "event": [
            {
                "event_time": format_time(event.effective_at),
                "recorded_time": format_time(event.recorded_at),
                "validity_duration": "permanent" if is_erasure(event)
                else "until the member changes the setting",
                "entity_id": event.member_id,
                "event_type": event_type,
                "event_state": event_state,
                "method": event.source,
            }
        ],
        "ledger": {"format": CHAIN_FORMAT, "seq": event.seq, "hash": event.hash},
        **({"log": log} if log is not None else {}),
    }


def receipt_kantara(
    event: StoredEvent, policy: Policy, controller: Controller | None = None,
    log: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The same event as a Kantara Consent Receipt v1.1 (keys as in that specification)."""
    controller = controller or Controller(url=policy.policy.notice_url)
    event_type, event_state = _state(event)
    return {
        "version": KANTARA_VERSION,
        "jurisdiction": _jurisdiction(policy, event) or "",
        "consentTimestamp": int(event.effective_at.timestamp()),
        "collectionMethod": event.source,
        "consentReceiptID": event.receipt_id,
        "language": event.language or "en",
        "piiPrincipalId": event.member_id,
        "piiControllers": [
            {
                "piiController": controller.name,
                "onBehalf": False,
                "contact": controller.contact or "",
                "address": controller.address or "",
                "piiControllerUrl": controller.url or "",
            }
        ],
        "policyUrl": policy.policy.notice_url or "",
        "services": [
            {
                "service": _setting_name(policy, event.language, event),
                "purposes": [
                    {
                        "purpose": PURPOSE,
                        "purposeCategory": [policy.policy.data_use],
                        "consentType": "EXPLICIT",
                        "piiCategory": sorted({p["pii_type"] for p in _pii(policy)}),
                        "primaryPurpose": True,
                        "termination": _withdrawal(policy, event),
                        "thirdPartyDisclosure": False,
                    }
                ],
            }
        ],
        "sensitive": False,
        "spiCat": [],
        "x-consentgate": {"value": event.value, "event_type": event_type,
                          "event_state": event_state, "seq": event.seq, "hash": event.hash,
                          **({"log": log} if log is not None else {})},
    }
