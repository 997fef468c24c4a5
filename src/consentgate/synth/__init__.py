"""A realistic synthetic professional network: members in every region of the policy, in
eight languages, with education, groups (sensitive ones included), preference events and
about 50 records per member whose texts carry planted personal data and decoys, recorded in
``ground_truth.parquet`` and ``decoys.parquet``.

    from consentgate.synth import generate
    stats = generate(Path("demo-data"), members=10_000, seed=0)
"""

from consentgate.synth.generate import GenerateStats, generate

__all__ = ["GenerateStats", "generate"]
