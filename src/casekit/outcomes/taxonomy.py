"""The outcome taxonomy: the categories judges compare (일자리, 예산·사업비, 참여·수혜 인원 …) as data.

The categories, the metric kinds each accepts and its Korean cue words live in `taxonomy.yaml` beside this
module, so organizers can add a word or a category without touching code: `load_taxonomy(path)` reads their
copy, validated once here with messages that name the file and the key.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from casekit.errors import CasekitError

DEFAULT_TAXONOMY = Path(__file__).with_name("taxonomy.yaml")
#: The metric kinds a category may accept (casekit.metrics.model.MetricKind).
KINDS = ("money", "persons", "count", "percent", "area", "duration", "power", "ratio", "other")


class TaxonomyError(CasekitError):
    """An outcome taxonomy file does not follow the schema (names the file and the key)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Headline(_Model):
    """Which figures a category's headline is chosen from: one kind, optionally only some units."""

    kind: str
    units: tuple[str, ...] = ()


class Category(_Model):
    """One outcome category: `id` (jobs), Korean `name` (일자리), the kinds it accepts and its cue words."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    description: str = ""
    kinds: tuple[str, ...]
    headline: Headline
    cues: tuple[str, ...] = ()
    expand: tuple[str, ...] = ()  # cues whose Kiwi `cong` near-synonyms count too
    exclude: tuple[str, ...] = ()  # words beside the figure that rule the category out
    units: dict[str, float] = Field(default_factory=dict)  # unit → prior weight ("회" → programs)
    kind_units: dict[str, tuple[str, ...]] = Field(default_factory=dict)  # kind → the only units taken
    fallback: tuple[str, ...] = ()  # kinds that come here when no category has enough evidence
    follows: tuple[str, ...] = ()  # words of a count right before a persons figure ("19개 기업 70명")

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, kinds: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise ValueError(f"unknown metric kind(s) {unknown}; expected some of {', '.join(KINDS)}")
        if not kinds:
            raise ValueError("a category accepts at least one metric kind")
        return kinds

    def accepts(self, kind: str, unit: str) -> bool:
        """Whether a figure of `kind` in `unit` can be in this category ("376가구" of 참여·수혜 인원)."""
        if kind not in self.kinds:
            return False
        only = self.kind_units.get(kind)
        return not only or unit in only

    @model_validator(mode="after")
    def _headline_kind_accepted(self) -> Category:
        if self.headline.kind not in self.kinds:
            raise ValueError(f"headline kind {self.headline.kind!r} is not one of kinds {list(self.kinds)}")
        return self


class Taxonomy(_Model):
    """The categories in order, with the classifier's thresholds."""

    version: int = 1
    min_score: float = Field(default=0.9, gt=0)  # below it a figure stays unknown
    synonym_weight: float = Field(default=0.5, ge=0, le=1)
    synonym_min_score: float = Field(default=0.66, ge=0, le=1)
    #: Words right after a count that say it counts something no category is about (3개 분야, 5개 모델).
    not_outcomes: tuple[str, ...] = ()
    #: Units whose counts no category is about ("2,600부" of leaflets).
    not_units: tuple[str, ...] = ()
    #: Words right after a figure that make it a condition, not an outcome (근로자 30인 이상 기업).
    thresholds: tuple[str, ...] = ()
    categories: tuple[Category, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> Taxonomy:
        ids = [c.id for c in self.categories]
        doubled = sorted({i for i in ids if ids.count(i) > 1})
        if doubled:
            raise ValueError(f"category ids must be unique; repeated: {doubled}")
        return self

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        raise TaxonomyError(f"no outcome category {category_id!r} (known: {', '.join(self.ids)})")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.categories)

    @property
    def names(self) -> dict[str, str]:
        """id → Korean name, in taxonomy order (what tables and charts print)."""
        return {c.id: c.name for c in self.categories}


def load_taxonomy(path: str | os.PathLike[str] | None = None) -> Taxonomy:
    """The taxonomy in `path`, or the bundled default; a malformed file is a `TaxonomyError` naming it."""
    return _load(str(Path(path).resolve()) if path is not None else str(DEFAULT_TAXONOMY))


@lru_cache(maxsize=8)
def _load(path: str) -> Taxonomy:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read the taxonomy ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise TaxonomyError(f"{path}: expected a mapping with `categories`, got {type(data).__name__}")
    try:
        return Taxonomy.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise TaxonomyError(f"{path}: {where}: {first['msg']}") from exc
