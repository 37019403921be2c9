"""Rubrics: how a competition year is judged, loaded from YAML and validated with line-exact errors.

Public API::

    load_rubric(path) -> Rubric          # raises RubricError naming the file, the key path and the line
    Rubric.criteria                      # every criterion of every stage, in order
    Rubric.criterion("창의성")            # look up a criterion by id or Korean name
    Rubric.version                       # sha256 of the file's bytes: stored with every judge's score

Why a schema and not a dict: organizers edit these files by hand each year (fields, awards and the
weights inside the 70 written points change and are not published), so a typo must fail loudly with
the line to fix, never silently change a ranking. Why the version hash: a score given under one rubric
must not be mixed unnoticed with a rubric whose ranges or criteria have since changed.

Schema (see rubrics/manifesto_2017.yaml for a full, commented example)::

    id, title, year, competition
    fields: [분야 …]              groups: [시, 군, 구]       rank_within: [field, group]
    conflict_of_interest: [municipality, region]  # which judge affiliations bar scoring a case
    stages: - id, name, points, weight, min_judges
              criteria: - id, name, description, max_points | weight, levels: [{min, label, description}]
                          prescore: {floor, signals: [{id, kind, weight, saturate | thresholds, …}]}
    awards: {default: [{name, count}], groups: {구: [...]}}
    tie_break: [stage or criterion ids, most important first]
    aggregation: {normalize: none|zscore, trim: bool, trim_min_judges, min_judges, bootstrap, seed}

Criterion `max_points` may be given explicitly (must then sum to the stage's points) or derived from
`weight` (default equal): 70 written points over five criteria gives 14 each.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from casekit.errors import RubricError
from casekit.yaml_safe import MAX_BYTES, LimitedLoader, compose_limited

SignalKind = Literal["keywords", "pattern", "metrics", "pledge_link", "novelty"]
AFFILIATION_KEYS = ("municipality", "region")
RankKey = Literal["field", "group", "region"]
Affiliation = Literal["municipality", "region"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Level(_Model):
    """A level descriptor: what a judge should see in a case to give at least `min` points."""

    min: float
    label: str
    description: str = ""


class SignalSpec(_Model):
    """One pre-score signal of a criterion; its raw value is mapped to a 0–1 score by `saturate` or `thresholds`.

    kinds:
      keywords     lines containing any of `terms` (optionally only inside `sections` kinds); value = number
                   of distinct terms found (or matching lines, with `count: lines`)
      pattern      matches of the regular expression `regex`; value = number of matches
      metrics      outcome metrics of `metric_kinds` with `temporal` (actual by default); value = count
      pledge_link  관련공약 present and its nouns found in the body; value = 0–1
      novelty      distance to the other cases (TF-IDF over morphemes, or an embedder); value = 0–1
                   percentile of the case's distance to its nearest neighbour among the cases scored
    """

    id: str
    kind: SignalKind
    weight: float = Field(default=1.0, ge=0)
    description: str = ""
    terms: list[str] = Field(default_factory=list)
    regex: str | None = None
    count: Literal["terms", "lines"] = "terms"
    sections: list[str] | None = None
    metric_kinds: list[str] = Field(default_factory=list)
    temporal: Literal["actual", "planned", "any"] = "actual"
    saturate: float | None = Field(default=None, gt=0)
    thresholds: list[tuple[float, float]] | None = None
    presence_weight: float = Field(default=0.3, ge=0, le=1)
    method: Literal["auto", "tfidf", "embedder"] = "auto"
    max_evidence: int = Field(default=5, ge=0)

    @field_validator("regex")
    @classmethod
    def _regex_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"regular expression does not compile: {exc}") from exc
        return value

    def scale(self, value: float) -> float:
        """Map a raw signal value to a score in [0, 1]."""
        if self.thresholds:
            score = 0.0
            for bound, level in sorted(self.thresholds):
                if value >= bound:
                    score = level
            return max(0.0, min(1.0, score))
        if self.saturate:
            return max(0.0, min(1.0, value / self.saturate))
        return max(0.0, min(1.0, value))


class PreScoreSpec(_Model):
    """How a criterion's suggestion is made: points = max × (floor + (1 − floor) × weighted mean of signals)."""

    floor: float = Field(default=0.0, ge=0, le=1)
    signals: list[SignalSpec] = Field(default_factory=list)


class Criterion(_Model):
    id: str
    name: str
    description: str = ""
    max_points: float | None = Field(default=None, gt=0)
    weight: float | None = Field(default=None, gt=0)
    levels: list[Level] = Field(default_factory=list)
    prescore: PreScoreSpec | None = None
    stage: str = ""  # filled in from the enclosing stage


class Stage(_Model):
    id: str
    name: str
    points: float = Field(gt=0)
    weight: float = Field(default=1.0, ge=0)
    min_judges: int | None = Field(default=None, ge=1)
    criteria: list[Criterion] = Field(min_length=1)


class Award(_Model):
    name: str
    count: int = Field(ge=0)


class AwardRules(_Model):
    default: list[Award] = Field(default_factory=list)
    groups: dict[str, list[Award]] = Field(default_factory=dict)


class Aggregation(_Model):
    """Defaults for `rank_cases`; every one can be overridden per call / on the command line."""

    normalize: Literal["none", "zscore"] = "none"
    trim: bool = False
    trim_min_judges: int = Field(default=5, ge=3)
    min_judges: int = Field(default=1, ge=1)
    bootstrap: int = Field(default=200, ge=0)
    seed: int = 0


class RubricModel(_Model):
    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    title: str
    year: int | None = None
    competition: str = ""
    description: str = ""
    fields: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)
    rank_within: list[RankKey] = Field(default_factory=lambda: list[RankKey](["field", "group"]))
    conflict_of_interest: list[Affiliation] = Field(
        default_factory=lambda: list[Affiliation](["municipality"])
    )
    stages: list[Stage] = Field(min_length=1)
    awards: AwardRules = Field(default_factory=AwardRules)
    tie_break: list[str] = Field(default_factory=list)
    aggregation: Aggregation = Field(default_factory=Aggregation)


@dataclass
class Rubric:
    """A validated rubric plus where it came from and its version hash."""

    model: RubricModel
    path: str
    version: str  # sha256 of the file's bytes (first 16 hex digits)
    lines: dict[str, int] = field(default_factory=dict, repr=False)  # key path -> 1-based line

    # -- convenient views --------------------------------------------------------------------

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def title(self) -> str:
        return self.model.title

    @property
    def year(self) -> int | None:
        return self.model.year

    @property
    def stages(self) -> list[Stage]:
        return self.model.stages

    @property
    def criteria(self) -> list[Criterion]:
        return [c for s in self.model.stages for c in s.criteria]

    @property
    def total_points(self) -> float:
        return sum(s.points * s.weight for s in self.model.stages)

    def stage(self, stage_id: str) -> Stage:
        for stage in self.model.stages:
            if stage.id == stage_id or stage.name == stage_id:
                return stage
        raise RubricError(
            f"{self.path}: no stage {stage_id!r} (stages: {', '.join(s.id for s in self.stages)})"
        )

    def criterion(self, key: str) -> Criterion:
        """A criterion by id or Korean name (CSV files written by judges use either)."""
        key = key.strip()
        for crit in self.criteria:
            if key in (crit.id, crit.name):
                return crit
        known = ", ".join(f"{c.id}({c.name})" for c in self.criteria)
        raise RubricError(f"{self.path}: no criterion {key!r} (criteria: {known})")

    def awards_for(self, group: str | None) -> list[Award]:
        rules = self.model.awards
        if group is not None and group in rules.groups:
            return rules.groups[group]
        return rules.default

    def to_dict(self) -> dict[str, Any]:
        data = self.model.model_dump()
        data["path"] = self.path
        data["version"] = self.version
        return data


# -- YAML with line numbers ---------------------------------------------------------------------


def _plain(loader: LimitedLoader, node: yaml.Node, path: str, lines: dict[str, int], source: str) -> Any:
    """Turn a composed YAML node into plain Python data, recording the line of every key path."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)  # type: ignore[no-untyped-call]
            if not isinstance(key, str | int | float | bool) or isinstance(key, bool):
                raise RubricError(
                    f"{source}: {path or '<root>'}: line {key_node.start_mark.line + 1}: "
                    f"keys must be plain strings"
                )
            key = str(key)
            child = f"{path}.{key}" if path else key
            if key in result:
                raise RubricError(
                    f"{source}: {child}: line {key_node.start_mark.line + 1}: duplicate key {key!r}"
                )
            lines[child] = key_node.start_mark.line + 1
            result[key] = _plain(loader, value_node, child, lines, source)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_plain(loader, item, f"{path}[{i}]", lines, source) for i, item in enumerate(node.value)]
    return loader.construct_object(node)  # type: ignore[no-untyped-call]


def _yaml_error(source: str, exc: yaml.YAMLError) -> RubricError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown line"
        return RubricError(f"{source}: YAML syntax error at {where}: {exc.problem or exc}")
    return RubricError(f"{source}: YAML error: {exc}")


def parse_yaml_with_lines(text: str, source: str) -> tuple[Any, dict[str, int]]:
    """Parse YAML text into (data, {key path: line}); syntax errors become RubricError with the line.

    The document is composed under limits (aliases, their expansion, nesting: `casekit.yaml_safe`) before
    `_plain` walks every key path, because walking expands each alias: a 1 KB "billion laughs" file would
    otherwise take gigabytes.
    """
    try:
        node, loader = compose_limited(text)
    except yaml.YAMLError as exc:
        raise _yaml_error(source, exc) from exc
    try:
        lines: dict[str, int] = {}
        data = None if node is None else _plain(loader, node, "", lines, source)
    except yaml.YAMLError as exc:
        raise _yaml_error(source, exc) from exc
    finally:
        loader.dispose()  # type: ignore[no-untyped-call]
    return data, lines


def _loc_to_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _line_of(path: str, lines: dict[str, int]) -> int | None:
    """The line of `path`, else of its nearest ancestor that exists in the file."""
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return lines.get("")


def _error(source: str, path: str, lines: dict[str, int], message: str) -> str:
    line = _line_of(path, lines)
    where = f"line {line}" if line else "unknown line"
    return f"{source}: {path or '<root>'} ({where}): {message}"


def _check_semantics(model: RubricModel, source: str, lines: dict[str, int]) -> list[str]:
    """Cross-field rules pydantic cannot express; returns error messages (empty when valid)."""
    errors: list[str] = []
    stage_ids: set[str] = set()
    crit_keys: dict[str, str] = {}
    for si, stage in enumerate(model.stages):
        spath = f"stages[{si}]"
        if stage.id in stage_ids:
            errors.append(_error(source, f"{spath}.id", lines, f"duplicate stage id {stage.id!r}"))
        stage_ids.add(stage.id)
        given = [c.max_points is not None for c in stage.criteria]
        if any(given) and not all(given):
            errors.append(
                _error(
                    source,
                    f"{spath}.criteria",
                    lines,
                    "give max_points for every criterion of the stage or for none (then weights split "
                    "the stage's points)",
                )
            )
        elif all(given):
            total = sum(c.max_points or 0 for c in stage.criteria)
            if not math.isclose(total, stage.points, abs_tol=1e-6):
                errors.append(
                    _error(
                        source,
                        f"{spath}.points",
                        lines,
                        f"criteria max_points sum to {total:g}, but the stage has {stage.points:g} points",
                    )
                )
        else:
            weights = [c.weight or 1.0 for c in stage.criteria]
            for crit, w in zip(stage.criteria, weights):
                crit.max_points = round(stage.points * w / sum(weights), 6)
        for ci, crit in enumerate(stage.criteria):
            cpath = f"{spath}.criteria[{ci}]"
            crit.stage = stage.id
            for key in (crit.id, crit.name):
                if key in crit_keys or key in stage_ids:
                    errors.append(
                        _error(source, f"{cpath}.id", lines, f"criterion id/name {key!r} is not unique")
                    )
                crit_keys[key] = crit.id
            for li, level in enumerate(crit.levels):
                if crit.max_points is not None and not 0 <= level.min <= crit.max_points:
                    errors.append(
                        _error(
                            source,
                            f"{cpath}.levels[{li}].min",
                            lines,
                            f"{level.min:g} is outside 0–{crit.max_points:g}",
                        )
                    )
            if crit.prescore:
                for gi, sig in enumerate(crit.prescore.signals):
                    gpath = f"{cpath}.prescore.signals[{gi}]"
                    if sig.kind == "keywords" and not sig.terms:
                        errors.append(
                            _error(source, f"{gpath}.terms", lines, "a keywords signal needs terms")
                        )
                    if sig.kind == "pattern" and not sig.regex:
                        errors.append(_error(source, f"{gpath}.regex", lines, "a pattern signal needs regex"))
                    if sig.kind == "metrics" and not sig.metric_kinds:
                        errors.append(
                            _error(
                                source, f"{gpath}.metric_kinds", lines, "a metrics signal needs metric_kinds"
                            )
                        )
                if crit.prescore.signals and sum(s.weight for s in crit.prescore.signals) <= 0:
                    errors.append(
                        _error(source, f"{cpath}.prescore.signals", lines, "signal weights sum to 0")
                    )
    for ti, key in enumerate(model.tie_break):
        if key not in stage_ids and key not in crit_keys:
            errors.append(
                _error(source, f"tie_break[{ti}]", lines, f"{key!r} is neither a stage nor a criterion id")
            )
    for group in model.awards.groups:
        if model.groups and group not in model.groups:
            errors.append(
                _error(
                    source,
                    f"awards.groups.{group}",
                    lines,
                    f"group {group!r} is not in groups {model.groups}",
                )
            )
    return errors


def rubric_from_text(text: str, source: str = "<rubric>", version: str | None = None) -> Rubric:
    """Validate rubric YAML text; see `load_rubric`."""
    data, lines = parse_yaml_with_lines(text, source)
    if not isinstance(data, dict):
        raise RubricError(
            f"{source}: a rubric must be a YAML mapping (id, title, stages …), got {type(data).__name__}"
        )
    try:
        model = RubricModel.model_validate(data)
    except ValidationError as exc:
        messages = []
        for err in exc.errors():
            path = _loc_to_path(tuple(err["loc"]))
            messages.append(_error(source, path, lines, err["msg"]))
        raise RubricError("; ".join(messages)) from None
    problems = _check_semantics(model, source, lines)
    if problems:
        raise RubricError("; ".join(problems))
    digest = version or hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Rubric(model=model, path=source, version=digest, lines=lines)


def load_rubric(path: str | Path) -> Rubric:
    """Read and validate a rubric YAML file. Errors name the file, the key path and the line."""
    file = Path(path)
    if not file.is_file():
        raise RubricError(f"{file}: no such rubric file")
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise RubricError(f"{file}: {size:,} bytes, over the {MAX_BYTES:,}-byte limit for a rubric")
        raw = file.read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RubricError(f"{file}: cannot read rubric ({exc})") from exc
    return rubric_from_text(text, str(file), version=hashlib.sha256(raw).hexdigest()[:16])


#: The rubric commands use when none is named: the 2017 manifesto competition's.
DEFAULT_RUBRIC = "manifesto_2017"


def find_rubric(name: str | Path, search: tuple[Path, ...] = ()) -> Path:
    """Resolve `name` as a path, else as `rubrics/<name>.yaml` in the working directory or package checkout."""
    candidate = Path(name)
    if candidate.is_file():
        return candidate
    roots = list(search) + [Path.cwd() / "rubrics", Path(__file__).resolve().parents[2] / "rubrics"]
    for root in roots:
        for suffix in ("", ".yaml", ".yml"):
            p = root / f"{name}{suffix}"
            if p.is_file():
                return p
    raise RubricError(f"{name}: no such rubric (give a path, or a name under ./rubrics/)")
