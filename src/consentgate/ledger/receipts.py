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
from consentgate.policy.model import Policy, Setting

SCHEMA_VERSION = "ISO/IEC TS 27560:2023"
RECEIPT_FORMAT = "consentgate-receipt-1"
KANTARA_VERSION = "KI-CR-v1.1.0"
PURPOSE = "Train, fine-tune, evaluate and improve content-generating AI models"
# Plain words for the purposes of the shipped policy's settings; others read fideslang's name.
PURPOSES = {
    "train_ai_system": PURPOSE,
    "marketing.advertising.third_party.targeted":
        "Share data with an affiliate for targeted advertising",
    "personalize": "Personalise the service, keep it safe and secure, and train AI models "
                   "that do not generate content",
}


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


def _setting(policy: Policy, key: str) -> Setting:
    """The event's setting (the primary one for an erasure request or an unknown key)."""
    return policy.setting_for(key) if key in policy.setting_keys() else policy.setting


def purpose_text(policy: Policy, setting: Setting) -> str:
    use = policy.purpose_of(setting)
    if use in PURPOSES:
        return PURPOSES[use]
    from consentgate.policy.taxonomy import data_use_name

    return data_use_name(use)


def _purpose(policy: Policy, event: StoredEvent) -> str:
    return purpose_text(policy, _setting(policy, event.setting))


def _setting_name(policy: Policy, language: str | None, event: StoredEvent) -> str:
    lang = (language or "en").split("-")[0]
    if is_erasure(event):
        return ERASURE_NAMES.get(lang, ERASURE_NAMES["en"])
    names = _setting(policy, event.setting).name
    return names.get(lang, names["en"])


def _path(policy: Policy, language: str | None, key: str | None = None) -> str:
    paths = _setting(policy, key or policy.setting.key).path
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
    setting = _setting(policy, event.setting)
    if setting.mechanism == "objection":
        return (
            f"An upheld objection (GDPR Art. 21) stands; a new objection to another purpose: "
            f"Settings: {_path(policy, event.language, setting.key)}; "
            "API: POST /api/v1/me/objections"
        )
    how = (
        f"Settings: {_path(policy, event.language, setting.key)}, switch "
        f"\"{setting.toggle['en']}\" (on or off at any time); "
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
                        "purpose": _purpose(policy, event),
                        "purpose_type": policy.purpose_of(_setting(policy, event.setting)),
                        "recipient": _setting(policy, event.setting).recipient,
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
                "retroactive": _setting(policy, event.setting).retroactive,
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
                        "purpose": _purpose(policy, event),
                        "purposeCategory": [policy.purpose_of(_setting(policy, event.setting))],
                        "consentType": "EXPLICIT",
                        "piiCategory": sorted({p["pii_type"] for p in _pii(policy)}),
                        "primaryPurpose": True,
                        "termination": _withdrawal(policy, event),
                        "thirdPartyDisclosure": _third_party(policy, event),
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


def _third_party(policy: Policy, event: StoredEvent) -> bool:
    """Whether the event's purpose sends data to another recipient than the primary one's
    (the UK's Microsoft row, ads data sharing)."""
    recipient = _setting(policy, event.setting).recipient
    return recipient is not None and recipient != policy.setting.recipient


def objection_receipt(objection: Any, policy: Policy,
                      controller: Controller | None = None) -> dict[str, Any]:
    """The receipt of a filed objection (``ledger.objections.Objection``): what was
    objected to, when, the answer due date and, once answered, the answer. An upheld
    objection's opt-out event has its own receipt, with its proof of inclusion in the log."""
    from consentgate.ledger.chain import format_time

    controller = controller or Controller(url=policy.policy.notice_url)
    setting = _setting(policy, objection.setting)
    lang = (objection.language or "en").split("-")[0]
    return {
        "schema_version": SCHEMA_VERSION,
        "record_id": objection.objection_id,
        "pii_principal_id": objection.member_id,
        "receipt": {"receipt_id": objection.objection_id, "schema_version": SCHEMA_VERSION,
                    "format": "consentgate-objection-receipt-1"},
        "notice": {"privacy_notice": policy.policy.notice_url,
                   "notice_version": policy.policy.notice_version,
                   "language": objection.language},
        "processing": [{
            "purposes": [{
                "purpose": purpose_text(policy, setting),
                "purpose_type": policy.purpose_of(setting),
                "lawful_basis": policy.policy.legal_basis,
                "setting": setting.key,
                "setting_name": setting.name.get(lang, setting.name["en"]),
                "recipient": setting.recipient,
            }],
            "pii_controllers": [{"id": "controller", "name": controller.name,
                                 "url": controller.url, "contact": controller.contact,
                                 "address": controller.address, "type": "controller"}],
            "jurisdiction": objection.jurisdiction,
            "collection_method": objection.source,
            "policy": {"id": objection.policy_id, "version": objection.policy_version},
        }],
        "event": [{
            "event_time": format_time(objection.filed_at),
            "entity_id": objection.member_id,
            "event_type": "objection",
            "event_state": f"objection_{objection.status}",
            "method": objection.source,
            "right": "GDPR Art. 21(1)",
            "grounds": objection.text,
            "answer_due_by": format_time(objection.due_at),
            "answered_at": format_time(objection.decided_at) if objection.decided_at else None,
            "answer_reason": objection.reason,
            "opt_out_receipt_id": objection.event_receipt_id,
        }],
    }
