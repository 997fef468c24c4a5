"""The policy: one validated, versioned description of what may train AI and what never may.

Everything downstream (reference evaluator, engine plan, redaction, service texts, reports)
reads this model; nothing hard-codes a rule.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from iso3166 import countries_by_alpha2
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from consentgate.contract.schema import VISIBILITIES

Visibility = Literal["public", "connections", "group", "private"]
RedactionClass = Literal["email", "phone", "iban", "card", "national_id", "salary"]
REDACTION_CLASSES: tuple[str, ...] = ("email", "phone", "iban", "card", "national_id", "salary")

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_POLICY_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PolicyInfo(_Strict):
    id: str
    version: str
    title: str
    description: str = ""
    data_use: str = "train_ai_system"
    data_subject: str = "customer"
    legal_basis: str = "legitimate_interests"
    notice_version: str
    notice_url: str | None = None
    objection_url: str | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _POLICY_ID.match(v):
            raise ValueError("must be lower-case letters, digits, '.', '_' or '-'")
        return v


class Setting(_Strict):
    """One setting the member sees, for one purpose and one recipient (``[[settings]]``).

    A ``consent`` setting is a switch the member turns on or off; an ``objection`` setting is
    a form: the processing runs (``default = true``) until an upheld objection, recorded as an
    event with value false, takes the member out. Both are read the same way at T."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    purpose: str | None = Field(
        default=None, description="a fideslang data use; the policy's data_use when absent"
    )
    recipient: str | None = Field(
        default=None, description="who receives the data for this purpose, e.g. Microsoft"
    )
    mechanism: Literal["consent", "objection"] = "consent"
    # region ids where the setting is shown; None: every region of the policy
    regions: list[str] | None = None
    default: bool
    # per-region defaults, by region id (the first setting also reads [[regions]].default)
    region_defaults: dict[str, bool] = Field(default_factory=dict)
    name: dict[str, str]
    toggle: dict[str, str]
    path: dict[str, list[str]]
    retroactive: bool = False
    # Global Privacy Control (Sec-GPC: 1) counts as an opt-out in these regions
    gpc_opts_out: bool = False
    gpc_regions: list[str] = Field(default_factory=list)
    # notice period: a member notified less than notice_days before T, or never, is not used
    notice_days: int | None = Field(default=None, ge=0, le=3650)
    # region ids the notice rule applies in; None: every region where the setting is shown
    notice_regions: list[str] | None = None
    note: str | None = None

    @field_validator("key")
    @classmethod
    def _not_erasure(cls, v: str) -> str:
        from consentgate.contract.schema import ERASURE_SETTING

        if v == ERASURE_SETTING:
            raise ValueError(f"{v!r} is reserved for erasure requests")
        return v

    @model_validator(mode="after")
    def _languages(self) -> Setting:
        for field in ("name", "toggle", "path"):
            if "en" not in getattr(self, field):
                raise ValueError(f"{field} needs an English ('en') text")
        if self.gpc_regions and not self.gpc_opts_out:
            raise ValueError("gpc_regions is set but gpc_opts_out is false")
        if self.gpc_opts_out and not self.gpc_regions:
            raise ValueError("gpc_opts_out = true needs gpc_regions (the region ids where it applies)")
        if self.notice_regions is not None and self.notice_days is None:
            raise ValueError("notice_regions is set but notice_days is not")
        return self

    def referenced_regions(self) -> list[tuple[str, str]]:
        """(field, region id) for every region id the setting names."""
        out = [("regions", r) for r in self.regions or ()]
        out += [("region_defaults", r) for r in self.region_defaults]
        out += [("gpc_regions", r) for r in self.gpc_regions]
        out += [("notice_regions", r) for r in self.notice_regions or ()]
        return out


class UnknownSetting(ValueError):
    """A setting (purpose) name the policy does not define."""

    def __init__(self, key: str, known: list[str], policy_id: str) -> None:
        self.key = key
        self.known = known
        super().__init__(
            f"policy {policy_id} has no setting {key!r}; its settings are {', '.join(known)}"
        )


class Region(_Strict):
    id: str
    name: str
    countries: list[str] = Field(default_factory=list)
    rest_of_world: bool = False
    training_start: dt.date
    default: bool | None = Field(
        default=None, description="setting default in this region; the setting's when absent"
    )

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError("must be a snake_case identifier")
        return v

    @field_validator("countries")
    @classmethod
    def _countries(cls, v: list[str]) -> list[str]:
        bad = [c for c in v if c not in countries_by_alpha2]
        if bad:
            raise ValueError(f"not ISO 3166-1 alpha-2 country codes: {', '.join(bad)}")
        dupes = sorted({c for c in v if v.count(c) > 1})
        if dupes:
            raise ValueError(f"listed twice: {', '.join(dupes)}")
        return v

    @model_validator(mode="after")
    def _shape(self) -> Region:
        if self.rest_of_world and self.countries:
            raise ValueError("a rest_of_world region lists no countries")
        if not self.rest_of_world and not self.countries:
            raise ValueError("a region needs countries, or rest_of_world = true")
        return self


class Minors(_Strict):
    adult_age: int = Field(18, ge=0, le=30)
    secondary_school_means_minor: bool = True
    # a member with no birth date and no education row at all: "allow" keeps the other
    # rules' verdict, "exclude" leaves them out (reason age_unknown)
    unknown_age: Literal["allow", "exclude"] = "allow"


class Groups(_Strict):
    exclude_sensitive: bool = True
    missing_group_is_sensitive: bool = True


class Lookback(_Strict):
    """Optional cut-off: records created before ``since`` or more than ``max_age_days``
    before the as-of date are not used. Both may be set; the later bound wins."""

    since: dt.date | None = None
    max_age_days: int | None = Field(default=None, ge=1)

    def cutoff(self, as_of_date: dt.date) -> dt.date | None:
        bounds = []
        if self.since is not None:
            bounds.append(self.since)
        if self.max_age_days is not None:
            bounds.append(as_of_date - dt.timedelta(days=self.max_age_days))
        return max(bounds) if bounds else None


class FieldProblems(ValueError):
    """Raised by a model validator for faults at fields below the model: ``problems`` holds
    (path below the model, message) pairs, which the loader locates (file, line, field)."""

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{'.'.join(map(str, p))}: {m}" for p, m in problems))


class Recognizer(_Strict):
    """An extra redaction recognizer (``[[redaction.recognizers]]``): a regex for values of
    one of the policy's classes, with an optional named validator and cue words. See
    ``consentgate.redaction.custom`` for how a text is scanned with it."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True,
        serialize_by_alias=True,
    )

    name: str = Field(description="snake_case, unique in the policy")
    cls: RedactionClass = Field(alias="class", description="the class (and placeholder)")
    pattern: str = Field(description="a Python regular expression; the match is the value")
    validator: str | None = Field(
        default=None, description="luhn, iban, phone, email or stdnum:<module>"
    )
    regions: tuple[str, ...] = Field(
        default=(), description="for validator = 'phone': ISO 3166-1 alpha-2 region codes"
    )
    cues: tuple[str, ...] = Field(default=(), description="cue words, whole words, any case")
    cue_window: int = Field(default=30, ge=1, le=200, description="characters")
    cue_side: Literal["before", "after", "either"] = "either"
    cue_required: bool = Field(default=False, description="default: true when cues are given")
    description: str = ""

    @model_validator(mode="before")
    @classmethod
    def _cue_required_default(cls, data: object) -> object:
        if isinstance(data, dict) and "cue_required" not in data:
            return {**data, "cue_required": bool(data.get("cues"))}
        return data

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not _ID.match(v) or len(v) > 64:
            raise ValueError("must be a snake_case identifier (at most 64 characters)")
        return v

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, v: str) -> str:
        from consentgate.redaction.custom import check_pattern

        check_pattern(v)
        return v

    @field_validator("validator")
    @classmethod
    def _validator(cls, v: str | None) -> str | None:
        if v is not None:
            from consentgate.redaction.named_validators import get_validator

            get_validator(v)
        return v

    @field_validator("regions")
    @classmethod
    def _regions(cls, v: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        if not v:
            return v
        if "validator" in info.data and info.data["validator"] != "phone":
            raise ValueError('regions are for validator = "phone" only')
        from consentgate.redaction.named_validators import get_validator

        dupes = sorted({c for c in v if v.count(c) > 1})
        if dupes:
            raise ValueError(f"listed twice: {', '.join(dupes)}")
        try:
            get_validator("phone", v)
        except ValueError as exc:
            raise ValueError(f"{exc} (ISO 3166-1 alpha-2, upper case, e.g. CH)") from None
        return v

    @field_validator("cues")
    @classmethod
    def _cues(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if any(not c.strip() for c in v):
            raise ValueError("a cue is an empty or blank string")
        folded = [" ".join(c.casefold().split()) for c in v]
        dupes = sorted({c for c in folded if folded.count(c) > 1})
        if dupes:
            raise ValueError(f"listed twice (cues match in any case): {', '.join(dupes)}")
        return v

    @model_validator(mode="after")
    def _cue_rule(self) -> Recognizer:
        if self.cue_required and not self.cues:
            raise FieldProblems([(("cue_required",), "cue_required = true needs cues")])
        return self


class Redaction(_Strict):
    classes: list[RedactionClass]
    pseudonymize_author: bool = True
    # extra recognizers, in file order (the first wins where two match the same characters)
    recognizers: tuple[Recognizer, ...] = ()

    @model_validator(mode="after")
    def _recognizers(self) -> Redaction:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        seen: dict[str, int] = {}
        for i, r in enumerate(self.recognizers):
            if r.name in seen:
                problems.append(
                    (("recognizers", i, "name"),
                     f"{r.name!r} is already the name of recognizer {seen[r.name] + 1} "
                     "(names are unique)")
                )
            seen.setdefault(r.name, i)
            if r.cls not in self.classes:
                listed = ", ".join(self.classes) or "none"
                problems.append(
                    (("recognizers", i, "class"),
                     f"{r.cls!r} is not in redaction.classes ({listed}): add it there, or "
                     "give one of those")
                )
        if problems:
            raise FieldProblems(problems)
        return self


class TaxonomyExtension(_Strict):
    fides_key: str
    parent_key: str
    name: str
    description: str = ""


class KindRule(_Strict):
    category: str
    used: bool
    visibility: list[Visibility] = Field(default_factory=list)
    group: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> KindRule:
        if self.used and not self.visibility:
            raise ValueError("a used kind lists the visibilities it allows")
        if not self.used and self.visibility:
            raise ValueError("a kind that is never used allows no visibility")
        if self.group and "group" not in self.visibility and self.used:
            raise ValueError("a group kind used in groups should allow visibility 'group'")
        return self


class Policy(_Strict):
    policy: PolicyInfo
    # the first setting is the primary one: what a build reads when no purpose is named
    settings: list[Setting]
    regions: list[Region]
    minors: Minors = Minors()
    groups: Groups = Groups()
    lookback: Lookback = Lookback()
    redaction: Redaction
    taxonomy_extensions: list[TaxonomyExtension] = Field(default_factory=list)
    kinds: dict[str, KindRule]

    # set by the loader: the sha256 of the file's bytes, and where it came from
    sha256: str = ""
    origin: str = ""

    _country_map: dict[str, Region] = PrivateAttr(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _single_setting(cls, data: object) -> object:
        """Policies written before several settings existed have one ``[setting]`` table:
        it is the only entry of ``settings``."""
        if isinstance(data, dict) and "setting" in data:
            if "settings" in data:
                raise ValueError("give [[settings]] or the older [setting], not both")
            data = {**data, "settings": [data["setting"]]}
            del data["setting"]
        return data

    @field_validator("kinds")
    @classmethod
    def _kind_names(cls, v: dict[str, KindRule]) -> dict[str, KindRule]:
        bad = [k for k in v if not _ID.match(k)]
        if bad:
            raise ValueError(f"kind names must be snake_case identifiers: {', '.join(bad)}")
        if not v:
            raise ValueError("the policy names no record kind")
        return v

    @model_validator(mode="after")
    def _regions(self) -> Policy:
        if not self.regions:
            raise ValueError("regions: the policy needs at least one region")
        seen: dict[str, str] = {}
        ids: set[str] = set()
        for region in self.regions:
            if region.id in ids:
                raise ValueError(f"regions: region id {region.id!r} is used twice")
            ids.add(region.id)
            for c in region.countries:
                if c in seen:
                    raise ValueError(
                        f"regions: country {c} is in both {seen[c]!r} and {region.id!r}"
                    )
                seen[c] = region.id
        if sum(r.rest_of_world for r in self.regions) > 1:
            raise ValueError("regions: only one region may be rest_of_world")
        return self

    @model_validator(mode="after")
    def _settings(self) -> Policy:
        if not self.settings:
            raise ValueError("settings: the policy needs at least one setting")
        problems: list[tuple[tuple[str | int, ...], str]] = []
        seen: dict[str, int] = {}
        ids = [r.id for r in self.regions]
        for i, s in enumerate(self.settings):
            if s.key in seen:
                problems.append((("settings", i, "key"), f"{s.key!r} is already the key of setting "
                                 f"{seen[s.key] + 1} (keys are unique)"))
            seen.setdefault(s.key, i)
            for field, rid in s.referenced_regions():
                if rid not in ids:
                    problems.append((("settings", i, field), f"{rid!r} is not a region id of the policy "
                                     f"({', '.join(ids)})"))
        if problems:
            raise FieldProblems(problems)
        return self

    # -- lookups used by every evaluator ---------------------------------------------------
    @property
    def id(self) -> str:
        return self.policy.id

    def country_regions(self) -> dict[str, Region]:
        """Every ISO country mapped to its region (rest_of_world filled in)."""
        if self._country_map:
            return self._country_map
        out: dict[str, Region] = self._country_map
        rest = next((r for r in self.regions if r.rest_of_world), None)
        if rest is not None:
            for code in countries_by_alpha2:
                out[code] = rest
        for region in self.regions:
            for c in region.countries:
                out[c] = region
        return out

    def region_for(self, country: str | None) -> Region | None:
        if country is None:
            return None
        return self.country_regions().get(country)

    @property
    def setting(self) -> Setting:
        """The primary setting (the first): what every command reads unless told a purpose."""
        return self.settings[0]

    def setting_keys(self) -> list[str]:
        return [s.key for s in self.settings]

    def setting_for(self, key: str | None = None) -> Setting:
        """The setting named ``key`` (the primary one for None); a clear error otherwise."""
        if key is None:
            return self.settings[0]
        for s in self.settings:
            if s.key == key:
                return s
        raise UnknownSetting(key, self.setting_keys(), self.id)

    def purpose_of(self, setting: Setting) -> str:
        """The setting's fideslang data use (the policy's data_use when it names none)."""
        return setting.purpose or self.policy.data_use

    def region_default(self, region: Region, setting: Setting | None = None) -> bool:
        s = setting or self.settings[0]
        if region.id in s.region_defaults:
            return s.region_defaults[region.id]
        # [[regions]].default predates several settings: it is the primary setting's
        if s is self.settings[0] and region.default is not None:
            return region.default
        return s.default

    def shown_in(self, setting: Setting, region: Region) -> bool:
        """Whether the setting (and so its purpose) applies to members of the region."""
        return setting.regions is None or region.id in setting.regions

    def notice_required(self, setting: Setting, region: Region) -> bool:
        if setting.notice_days is None:
            return False
        return setting.notice_regions is None or region.id in setting.notice_regions

    def used_kinds(self) -> list[str]:
        return sorted(k for k, r in self.kinds.items() if r.used)

    def never_used_kinds(self) -> list[str]:
        return sorted(k for k, r in self.kinds.items() if not r.used)


assert set(VISIBILITIES) == set(Visibility.__args__)  # the contract and the policy agree
