"""The dataset card: a ``README.md`` at the top of every snapshot, with the Hugging Face
dataset-card YAML header (license, languages, size, tags, and ``configs`` pointing at the
snapshot's data files, so that ``datasets.load_dataset(folder)`` reads the data and never
the restricted lineage or usage index) and a body stating the purpose, the policy, the
as-of instant, the usage preference and how to verify it.

The card is rendered from the manifest (and the languages found in the data), never from
the clock or the paths the build ran with: the same inputs give the same bytes, and
``verify`` renders it again and compares. It is listed in the manifest's files with its
sha256, like every other file of the snapshot; the snapshot id does not depend on it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2
import pyarrow.parquet as pq

from consentgate.snapshot.manifest import file_entry

CARD_FILE = "README.md"
TEMPLATE = "templates/dataset_card.md.j2"
# What every record of a snapshot may be used for, in the IETF AI-preferences vocabulary
USAGE_PREFERENCE = "train-ai=y"
# Hugging Face's size_categories buckets, by number of records
_SIZES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
          (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"),
          (1_000_000_000, "100M<n<1B"))


def size_category(records: int) -> str:
    return next((name for limit, name in _SIZES if records < limit), "n>1B")


def _yaml(value: object) -> str:
    """A YAML scalar: JSON's double-quoted strings are valid YAML and escape everything."""
    return json.dumps(value, ensure_ascii=False)


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        autoescape=False,  # Markdown and YAML, not HTML; values are quoted by the yaml filter
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yaml"] = _yaml
    text = resources.files("consentgate.snapshot").joinpath(TEMPLATE).read_text("utf-8")
    return env.from_string(text)


def data_entries(manifest: dict) -> list[dict]:
    """The manifest's data files (``data/…``), in its order."""
    return [f for f in manifest.get("files", []) if f["path"].startswith("data/")]


def data_languages(folder: Path, manifest: dict) -> list[str]:
    """The languages of the data's records (the ``language`` column), sorted; read one
    column and one batch at a time."""
    found: set[str] = set()
    for entry in data_entries(manifest):
        parquet = pq.ParquetFile(Path(folder) / entry["path"])
        for batch in parquet.iter_batches(columns=["language"], batch_size=100_000):
            found.update(v for v in batch.column(0).unique().to_pylist() if v)
    return sorted(found)


def render_card(manifest: dict, languages: list[str]) -> str:
    """The card's text for this manifest (its own entry, if listed, plays no part)."""
    purpose = manifest.get("purpose")
    if isinstance(purpose, dict):  # the setting the snapshot was built for
        purpose = purpose.get("data_use")
    if not isinstance(purpose, str):
        purpose = manifest["policy"]["data_use"]
    entries = data_entries(manifest)
    return _template().render(
        m=manifest,
        purpose=purpose,
        usage_preference=USAGE_PREFERENCE,
        languages=languages,
        size_category=size_category(int(manifest["counts"]["records_used"])),
        data_files=entries,
        data_paths=[f["path"] for f in entries],
        purge=manifest.get("purge"),
    )


def add_dataset_card(folder: Path, manifest: dict) -> Path:
    """Write the card into the (staged) snapshot ``folder`` and list it in ``manifest``'s
    files; call it just before the manifest is written."""
    path = Path(folder) / CARD_FILE
    text = render_card(manifest, data_languages(folder, manifest))
    path.write_text(text, encoding="utf-8")
    manifest["files"] = [f for f in manifest["files"] if f["path"] != CARD_FILE]
    manifest["files"].append(file_entry(Path(folder), path))
    return path


def card_problem(folder: Path, manifest: dict) -> str | None:
    """Why the card does not state what the manifest says (None when it does, or when the
    manifest lists no card: snapshots built before cards existed). Needs the data files,
    for the languages."""
    if not any(f["path"] == CARD_FILE for f in manifest.get("files", [])):
        return None
    path = Path(folder) / CARD_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return f"unreadable: {exc}"
    if text != render_card(manifest, data_languages(folder, manifest)):
        return ("does not state what the manifest says (snapshot id, as-of, policy, counts "
                "or data files differ from a card rendered from manifest.json)")
    return None


__all__ = ["CARD_FILE", "USAGE_PREFERENCE", "add_dataset_card", "card_problem", "render_card",
           "size_category"]
