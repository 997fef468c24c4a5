"""Redaction: personal data in training texts replaced by typed placeholders.

Classes (the policy's ``[redaction] classes``): ``email``, ``phone``, ``iban``, ``card``,
``national_id``, ``salary``. Each value found is replaced by ``<EMAIL>``, ``<PHONE>``,
``<IBAN>``, ``<CARD>``, ``<NATIONAL_ID>`` or ``<SALARY>``.

    from consentgate.redaction import Redactor
    r = Redactor(classes=policy.redaction.classes)
    r.redact("Call +33 6 12 34 56 78")            # 'Call <PHONE>'
    r.find(text)                                    # [Finding(cls, start, end, value)]
    r.redact_batch(pyarrow_string_array, counts)    # fast path; nulls stay null

Modules: ``data/`` (cue words per language, national identifiers, phone countries: the
files a reviewer reads), ``vocabulary`` (reads them), ``patterns`` (the regexes built from
them), ``ids`` (national identifiers and their validators), ``phones`` (national numbers
against libphonenumber's metadata), ``validators`` (cards, IBANs, barcodes, amounts),
``scan`` (one pass over one text), ``redactor`` (the public API, batches).
"""

from consentgate.redaction.patterns import PLACEHOLDERS
from consentgate.redaction.redactor import CLASSES, Redactor
from consentgate.redaction.scan import Finding


def clear_caches() -> None:
    """Empty the validation caches (checksums, number plans): for cold-start timings."""
    from consentgate.redaction import ids, phones, validators

    for fn in (validators.iban_ok, ids.valid, phones.valid_anywhere,
               phones.written_like_phone, phones.intl_ok):
        fn.cache_clear()


__all__ = ["CLASSES", "PLACEHOLDERS", "Finding", "Redactor", "clear_caches"]
