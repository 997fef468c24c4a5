"""Redaction: personal data in training texts replaced by typed placeholders.

Classes (the policy's ``[redaction] classes``): ``email``, ``phone``, ``iban``, ``card``,
``national_id``, ``salary``. Each value found is replaced by ``<EMAIL>``, ``<PHONE>``,
``<IBAN>``, ``<CARD>``, ``<NATIONAL_ID>`` or ``<SALARY>``.

    from consentgate.redaction import Redactor
    r = Redactor(classes=policy.redaction.classes)
    r.redact("Call +33 6 12 34 56 78")            # 'Call <PHONE>'
    r.find(text)                                    # [Finding(cls, start, end, value)]
    r.redact_batch(pyarrow_string_array, counts)    # fast path; nulls stay null

Modules: ``patterns`` (the regexes and cue words), ``validators`` (checksums and number
plans), ``scan`` (one pass over one text), ``redactor`` (the public API, batches).
"""

from consentgate.redaction.patterns import PLACEHOLDERS
from consentgate.redaction.redactor import CLASSES, Redactor
from consentgate.redaction.scan import Finding

__all__ = ["CLASSES", "PLACEHOLDERS", "Finding", "Redactor"]
