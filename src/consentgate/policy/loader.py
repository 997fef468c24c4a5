"""Load a policy by shipped name or by path, with errors that name the file, line and field."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from consentgate.policy.model import FieldProblems, Policy
from consentgate.policy.taxonomy import taxonomy_problems

DEFAULT_POLICY = "linkedin-2025"


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"{where}{self.field}: {self.message}"


class PolicyError(ValueError):
    """A policy that cannot be used; ``problems`` lists each thing wrong."""

    def __init__(self, origin: str, problems: list[Problem], message: str | None = None):
        self.origin = origin
        self.problems = problems
        lines = "\n".join(f"  {origin}: {p}" for p in problems)
        super().__init__(message or f"invalid policy {origin}:\n{lines}")


class PolicyNotFound(PolicyError):
    """Neither a shipped policy nor a file."""


def shipped_policies() -> list[str]:
    folder = resources.files("consentgate.policy") / "policies"
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


def resolve(name_or_path: str | Path) -> Path:
    """A shipped policy name, or a path to a policy file."""
    text = str(name_or_path)
    if text in shipped_policies():
        return Path(str(resources.files("consentgate.policy") / "policies" / f"{text}.toml"))
    path = Path(text)
    if path.is_file():
        return path
    shipped = ", ".join(shipped_policies())
    what = "no policy file" if path.exists() else "no policy named"
    message = (
        f"{what} {text!r}: give a shipped policy ({shipped}) or the path of a policy file "
        "(`consentgate policy list` lists the shipped ones)"
    )
    raise PolicyNotFound(text, [Problem("policy", message)], message)


def load_policy(name_or_path: str | Path = DEFAULT_POLICY) -> Policy:
    path = resolve(name_or_path)
    data = path.read_bytes()
    return parse_policy(data, origin=str(path))


def parse_policy(data: bytes, origin: str = "<policy>") -> Policy:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyError(origin, [Problem("file", f"not UTF-8 text: {exc}")]) from exc
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise PolicyError(
            origin, [Problem("syntax", f"not valid TOML: {exc}", int(m.group(1)) if m else None)]
        ) from exc
    # a policy written the older way has one [setting] table; errors name it as written
    legacy = isinstance(raw.get("setting"), dict) and "settings" not in raw
    raw["sha256"] = hashlib.sha256(data).hexdigest()
    raw["origin"] = origin
    try:
        policy = Policy.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = _as_written([str(p) for p in err["loc"]], legacy)
            below = err.get("ctx", {}).get("error")
            if isinstance(below, FieldProblems):  # faults at fields below loc
                for sub, message in below.problems:
                    at = _as_written(loc + [str(p) for p in sub], legacy)
                    problems.append(Problem(".".join(at), message, _line_of(text, at)))
                continue
            problems.append(Problem(".".join(loc) or "policy", err["msg"], _line_of(text, loc)))
        raise PolicyError(origin, problems) from exc
    found = taxonomy_problems(policy)
    if found:
        problems = []
        for f, m in found:
            at = _as_written(f.split("."), legacy)
            problems.append(Problem(".".join(at), m, _line_of(text, at)))
        raise PolicyError(origin, problems)
    return policy


def _as_written(loc: list[str], legacy: bool) -> list[str]:
    """settings.0.x is setting.x in a policy written with the older single [setting]."""
    if legacy and loc[:2] == ["settings", "0"]:
        return ["setting", *loc[2:]]
    return loc


def _line_of(text: str, loc: list[str]) -> int | None:
    """Best-effort line of a field path such as ['kinds', 'post', 'category'] in TOML text.

    Finds the table header that holds the path (``[kinds.post]``, ``[[regions]]`` n-th), then
    the key below it. Falls back to the header line, or None.
    """
    lines = text.splitlines()
    start = 0
    key = loc[-1] if loc else None
    # Path into an array of tables: regions.3.countries -> 4th [[regions]],
    # redaction.recognizers.0.pattern -> 1st [[redaction.recognizers]]
    k = next((i for i in range(1, len(loc)) if loc[i].isdigit()), None)
    if k is not None and k > 1:
        header = "[[" + ".".join(loc[:k]) + "]]"
        if not any(line.strip() == header for line in lines):
            loc = loc[:k]  # an index into an array value, not into an array of tables
            key, k = loc[-1], None
    if k is not None:
        header = "[[" + ".".join(loc[:k]) + "]]"
        seen = -1
        for i, line in enumerate(lines):
            if line.strip() == header:
                seen += 1
                if seen == int(loc[k]):
                    start = i
                    break
        else:
            return None
        key = loc[k + 1] if len(loc) > k + 1 else None
    else:
        for depth in range(len(loc), 0, -1):
            header = "[" + ".".join(loc[:depth]) + "]"
            hit = next((i for i, line in enumerate(lines) if line.strip() == header), None)
            if hit is not None:
                start = hit
                key = loc[depth] if depth < len(loc) else None
                break
        else:
            if not loc:
                return None
    if key is None:
        return start + 1
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for i in range(start, len(lines)):
        if i > start and lines[i].lstrip().startswith("["):
            break  # the next table: the key is not in this one
        if pattern.match(lines[i]):
            return i + 1
    return start + 1 if start else None
