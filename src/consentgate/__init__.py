"""consentgate: member data into AI training snapshots, letting through only what members allow.

Data flow, one package per step:
``policy`` (the rules) -> ``contract`` (reading the platform's tables) ->
``eligibility`` (who and what may be used, as of T) -> ``engine`` (the fast plan) ->
``redaction`` (personal data in text) -> ``snapshot`` (publish, verify);
``ledger`` and ``service`` hold and collect members' choices.
"""

__version__ = "0.1.0"
