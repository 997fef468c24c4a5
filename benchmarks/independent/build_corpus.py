"""Build the independent labelled corpus: dev.jsonl and test.jsonl.

    python benchmarks/independent/build_corpus.py --out DIR [--scale 1.0] [--no-offline]

One JSON object a line: id, split, lang, country, source, text, spans ([{start, end,
label, form, source}]), neutral, and what the entry was made from (template, cue, form,
kind). Values come
from Faker in the country's locale (phonenumbers and python-stdnum keep only valid ones),
amounts from Babel, sentences from ``sentences/dev/<file>.toml`` and
``sentences/test/<file>.toml`` (written for this corpus, never tuned on the redactor; what
the two share, the language's words and money forms, is in ``sentences/<file>.toml``),
neutral lines also from the gettext catalogs and documentation on this machine.

The two splits share no sentence template, no seed and no labelled value: tune on dev (and
read only sentences/dev/), report on test. ``--split dev`` builds dev without opening a test
file. A labelled value belongs to one split by a hash of its text (:func:`split_of`), so
neither split's draws depend on the other's: new dev sentences leave test as it was.
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
import tomllib
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from babel import Locale, UnknownLocaleError

import independent.money as money
import independent.neutral as neutral
import independent.values as values

HERE = Path(__file__).resolve().parent
SEEDS = {"dev": 1_000_003, "test": 2_000_029}
SPLITS = ("dev", "test")
LABELLED = ("phone", "email", "iban", "card", "national_id", "salary")
# entries per (country, sentence file, split) at scale 1
COUNTS = {"phone": 36, "email": 16, "iban": 16, "card": 12, "national_id": 24,
          "salary": 40, "mixed": 4, "neutral": 30}
OFFLINE = {"gettext": 120, "doc": 900}  # neutral lines per split at scale 1
VALUE_FIELDS = {"phone": "phone", "email": "email", "iban": "iban", "card": "card",
                "id": "national_id", "m": "salary", "y": "salary"}


def _toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


@dataclass
class Data:
    """countries.toml, ids.toml, the shared part of each sentence file (lang, words, money)
    and each split's sentences (sentences/dev/, sentences/test/: only those asked for are
    read, so building dev never opens a test file)."""

    countries: dict[str, dict[str, Any]]
    ids: dict[str, list[dict[str, Any]]]
    sentences: dict[str, dict[str, Any]]
    templates: dict[str, dict[str, dict[str, Any]]]  # split -> file -> section -> cue -> list

    @classmethod
    def load(cls, root: Path = HERE, splits: tuple[str, ...] = SPLITS) -> Data:
        folder = root / "sentences"
        sentences = {p.stem: _toml(p) for p in sorted(folder.glob("*.toml"))}
        templates = {s: {p.stem: _toml(p) for p in sorted((folder / s).glob("*.toml"))}
                     for s in splits}
        data = cls(_toml(root / "countries.toml"), _toml(root / "ids.toml"), sentences, templates)
        data.check()
        return data

    def check(self) -> None:
        for code, c in self.countries.items():
            for lf in c["langs"]:
                if lf not in self.sentences:
                    raise ValueError(f"{code}: no sentences/{lf}.toml")
                for split, files in self.templates.items():
                    if lf not in files:
                        raise ValueError(f"{code}: no sentences/{split}/{lf}.toml")
        for split, files in self.templates.items():
            for name, sections in files.items():
                for section, cues in sections.items():
                    for cue, templates in cues.items():
                        if not templates:
                            raise ValueError(f"sentences/{split}/{name}.toml [{section}] {cue}: "
                                             "no template")


@dataclass
class Maker:
    """Makes the entries of one (country, sentence file, split)."""

    data: Data
    country: str
    lang_file: str
    split: str
    drops: values.Drops
    used: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        c = self.data.countries[self.country]
        self.spec = c
        self.sent = self.data.sentences[self.lang_file]
        self.lang = self.sent["lang"]
        self.locale = self._babel_locale()
        seed = SEEDS[self.split] + zlib.crc32(f"{self.country}:{self.lang_file}".encode())
        self.rng = random.Random(seed)
        self.fake = values.faker_for(c["faker"], seed)
        self.own_phone = not c.get("no_faker_phone") and values.has_own(self.fake, "phone_number", c["faker"])
        self.words = self.sent.get("words", {})

    def _babel_locale(self) -> str:
        name = self.spec.get("babel", {}).get(self.lang_file, f"{self.lang}_{self.country}")
        try:
            Locale.parse(name)
            return name
        except (UnknownLocaleError, ValueError):
            return self.lang

    def templates(self, section: str) -> dict[str, list[tuple[int, str]]]:
        """This split's templates of a section, per cue, with their index in the file."""
        sections = self.data.templates[self.split][self.lang_file]
        return {cue: list(enumerate(ts)) for cue, ts in sections.get(section, {}).items()}

    # -------------------------------------------------------------- values

    def value(self, cls: str, ctx: dict[str, Any]) -> tuple[str, str, str] | None:
        rng, fake, c = self.rng, self.fake, self.country
        if cls == "phone":
            return values.phone(fake, rng, c, self.spec.get("phones", []), self.own_phone,
                                self.words.get("ext", []), self.spec.get("trunk0", False), self.drops)
        if cls == "email":
            return values.email(fake, rng, c, self.words.get("at", []), self.words.get("dot", []))
        if cls == "iban":
            return values.iban(fake, rng, c, self.drops)
        if cls == "card":
            return values.card(fake, rng, c, self.drops)
        if cls == "national_id":
            return values.national_id(fake, rng, c, ctx["id_spec"], self.drops)
        raise KeyError(cls)

    def fresh(self, cls: str, ctx: dict[str, Any]) -> tuple[str, str, str]:
        # a pattern that python-stdnum must validate (a German Steuer-ID) may need thousands
        for _ in range(10_000 if cls == "national_id" else 400):
            got = self.value(cls, ctx)
            if got and split_of(got[0]) == self.split and got[0] not in self.used:
                self.used.add(got[0])
                return got
        raise RuntimeError(f"{self.country}: no valid {cls} value drawn")

    def salary(self, period: str) -> tuple[str, str, str]:
        currency = self.rng.choice(self.spec["currencies"])
        forms = self.sent.get("money", {}).get(currency, ["{cur0}", "{cur}"])
        for _ in range(100):
            text, form = money.salary(self.rng, currency, self.locale, forms, period)
            if split_of(text) == self.split:
                self.used.add(text)
                return text, f"{currency}:{form}", "babel"
        raise RuntimeError("no fresh amount")

    # -------------------------------------------------------------- entries

    def fill(self, template: str, ctx: dict[str, Any]) -> tuple[str, list[dict], list[str], list[str]]:
        out: list[str] = []
        spans: list[dict] = []
        forms: list[str] = []
        sources: list[str] = []
        pos = 0
        for literal, name, _spec, _conv in string.Formatter().parse(template):
            out.append(literal)
            pos += len(literal)
            if name is None:
                continue
            if name in VALUE_FIELDS:
                cls = VALUE_FIELDS[name]
                if cls == "salary":
                    text, form, source = self.salary(name)
                else:
                    text, form, source = self.fresh(cls, ctx)
                spans.append({"start": pos, "end": pos + len(text), "label": cls,
                              "form": form, "source": source})
                forms.append(form)
                sources.append(source)
            elif name == "idname":
                text = ctx["idname"]
            else:
                currency = self.spec["currencies"][0]
                text = neutral.filler(name, self.fake, self.rng, self.country, self.locale, currency)
            out.append(text)
            pos += len(text)
        return "".join(out), spans, forms, sources

    def entries(self, section: str, n: int) -> list[dict[str, Any]]:
        by_cue = {cue: ts for cue, ts in self.templates(section).items() if ts}
        if not by_cue:
            return []
        made = []
        id_specs = self.data.ids.get(self.country, [])
        if section == "national_id" and not id_specs:
            return []
        if section == "iban" and not self.spec.get("iban"):
            return []
        for i in range(n):
            cue = self.rng.choice(sorted(by_cue))
            index, template = self.rng.choice(by_cue[cue])
            if "{iban}" in template and not self.spec.get("iban"):
                continue
            ctx: dict[str, Any] = {}
            if id_specs:
                spec = self.rng.choice(id_specs)
                names = spec["names"].get(self.lang_file) or next(iter(spec["names"].values()))
                ctx = {"id_spec": spec, "idname": self.rng.choice(names), "kind": spec["kind"]}
            elif "{id}" in template:
                continue
            text, spans, forms, sources = self.fill(template, ctx)
            entry = {
                "id": f"{self.split}-{self.country}-{self.lang_file}-{section}-{i}",
                "split": self.split, "lang": self.lang, "country": self.country,
                "source": "+".join(sorted(set(sources))) or "handwritten",
                "text": text, "spans": spans, "neutral": section == "neutral",
                "template": f"{self.split}/{self.lang_file}:{section}.{cue}[{index}]", "cue": cue,
                "form": ",".join(forms),
            }
            if "{id}" in template:
                entry["kind"] = ctx["kind"]
            made.append(entry)
        return made


def _offline(split: str, scale: float, lang_files: list[str], data: Data) -> list[dict[str, Any]]:
    rng = random.Random(SEEDS[split])
    out: list[dict[str, Any]] = []
    cap = max(1, int(OFFLINE["gettext"] * scale))
    for lf in lang_files:
        lines = [(t, s) for t, s in neutral.gettext_lines(lf) if neutral.split_of(t) == split]
        for j, (text, source) in enumerate(rng.sample(lines, min(cap, len(lines)))):
            out.append({"id": f"{split}-mo-{lf}-{j}", "split": split,
                        "lang": data.sentences[lf]["lang"], "country": "", "source": source,
                        "text": text, "spans": [], "neutral": True})
    docs = [(t, s) for t, s in neutral.doc_lines() if neutral.split_of(t) == split]
    for j, (text, source) in enumerate(rng.sample(docs, min(int(OFFLINE["doc"] * scale), len(docs)))):
        out.append({"id": f"{split}-doc-{j}", "split": split, "lang": "en", "country": "",
                    "source": source, "text": text, "spans": [], "neutral": True})
    return out


def split_of(value: str) -> str:
    """The split a labelled value may appear in: each value belongs to exactly one, so the
    splits share none, and what one split draws never changes what the other draws."""
    return SPLITS[zlib.crc32(value.encode("utf-8")) % len(SPLITS)]


def build(scale: float = 1.0, offline: bool = True, data: Data | None = None,
          countries: list[str] | None = None, splits: tuple[str, ...] = SPLITS,
          ) -> tuple[dict[str, list[dict[str, Any]]], values.Drops]:
    """The splits' entries and the drop counts; ``("dev",)`` reads no test file."""
    made = ("dev",) if splits == ("dev",) else SPLITS
    data = data or Data.load(splits=made)
    drops = values.Drops()
    out: dict[str, list[dict[str, Any]]] = {}
    for split in made:
        entries: list[dict[str, Any]] = []
        for code in countries or list(data.countries):
            for lf in data.countries[code]["langs"]:
                maker = Maker(data, code, lf, split, drops)
                for section, n in COUNTS.items():
                    entries.extend(maker.entries(section, max(1, round(n * scale))))
        if offline:
            langs = sorted({lf for c in (countries or data.countries) for lf in data.countries[c]["langs"]})
            entries.extend(_offline(split, scale, langs, data))
        out[split] = entries
    return {s: out[s] for s in splits}, drops


def write(out_dir: Path, splits: dict[str, list[dict[str, Any]]], drops: values.Drops) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for split, entries in splits.items():
        with (out_dir / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for e in entries:
                fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    (out_dir / "drops.json").write_text(
        json.dumps({"totals": drops.totals(), "rows": drops.rows()}, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="folder for dev.jsonl, test.jsonl")
    ap.add_argument("--scale", type=float, default=1.0, help="entries per country x this")
    ap.add_argument("--no-offline", action="store_true", help="no gettext or documentation lines")
    ap.add_argument("--split", choices=["dev", "test", "both"], default="both",
                    help="dev: build dev.jsonl only, without reading a test file")
    args = ap.parse_args(argv)
    which = SPLITS if args.split == "both" else (args.split,)
    splits, drops = build(args.scale, offline=not args.no_offline, splits=which)
    write(args.out, splits, drops)
    for split, entries in splits.items():
        labelled = sum(len(e["spans"]) for e in entries)
        n_neutral = sum(e["neutral"] for e in entries)
        print(f"{split}: {len(entries)} entries, {labelled} labelled values, {n_neutral} neutral")
    for cls, row in sorted(drops.totals().items()):
        print(f"  {cls}: {row['drawn']} drawn, {row['dropped']} dropped by the validity filter")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
