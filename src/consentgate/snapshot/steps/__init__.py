"""The named steps a snapshot is built from, in the order data flows through them:

    read     open the source, check its keys, find what it should fix; open the consent
    decide   every member's decision as of T (the engine plan), with their pseudonym
    select   every record's decision and the counts by reason; the used records, in order
    redact   personal data out of the used texts (row gate here, scans in worker processes)
    write    data/ and lineage/ side by side, and the per-member usage index
    report   report.json and report.html: who and what is in or out, and why
    publish  the manifest (every file with its sha256), then one atomic rename

Each step is a module with plain functions of what earlier steps returned, testable alone;
``snapshot.build`` (a full build) and ``snapshot.purge`` (a snapshot less its withdrawn
records) compose them.
"""
