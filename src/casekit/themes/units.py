"""Units: what gets clustered, a whole case or one passage (a top-level section) of a case.

A theme member must point back into the source file, so every unit keeps its original line range.
The 소개서 header's 분야 checkbox line names all five fields in every case; it never enters a unit's
text. The corpus's own place names, collected here from the units, are kept out of labels and
embedder features: a theme is not a city.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from casekit.errors import CasekitError
from casekit.parse.model import Case

Level = Literal["case", "passage"]

#: The 소개서 header's 분야 checkbox line lists all five fields ("1분야-사회적경제 분야( ◌ ), 2분야-도시재생 …");
#: it is in every case and says nothing about this one, so it never enters a theme's text.
_FIELD_CHOICE = re.compile(r"\d\s*분야\s*[-–:]")


def _content_lines(lines: Iterable[Any]) -> list[Any]:
    """Lines minus the form's field-choice line (see `_FIELD_CHOICE`)."""
    return [line for line in lines if len(_FIELD_CHOICE.findall(line.text)) < 2]


@dataclass(frozen=True, slots=True)
class Unit:
    """One thing to cluster: a whole case, or one passage (a top-level section) of a case."""

    id: str  # the case id, or "<case id>#p<n>" for a passage
    case_id: str
    text: str
    line_start: int  # original source lines the unit spans (1-based, inclusive)
    line_end: int
    heading: str = ""
    title: str = ""
    field: str | None = None
    region: str | None = None
    municipality: str | None = None

    def meta(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("text")
        return data


def case_units(cases: Iterable[Case]) -> list[Unit]:
    """One unit per case: title, pledges and the whole repaired text."""
    units = []
    for case in cases:
        text = "\n".join([case.title, *case.pledges, *(line.text for line in _content_lines(case.lines))])
        units.append(
            Unit(
                case.id,
                case.id,
                text,
                case.line_start,
                case.line_end,
                "",
                case.title,
                case.field,
                case.region,
                case.municipality,
            )
        )
    return units


def passage_units(cases: Iterable[Case], min_chars: int = 200, max_chars: int = 1500) -> list[Unit]:
    """Passages of each case, cut along its top-level sections.

    A passage is a level-1 section with its sub-sections; short ones are merged into the next so a
    bare heading does not become a theme of its own, and long ones are cut at line boundaries near
    `max_chars` so one section does not drown the rest. Cases without sections are cut by length.
    Every passage keeps its original line range, so a theme member points back into the source.
    """
    units: list[Unit] = []
    for case in cases:
        spans = _section_spans(case)
        pieces: list[tuple[str, list[Any]]] = []  # (heading, lines)
        for heading, start, end in spans:
            lines = _content_lines(case.lines_between(start, end))
            if not lines:
                continue
            chunk: list[Any] = []
            size = 0
            for line in lines:
                if chunk and size + len(line.text) > max_chars:
                    pieces.append((heading, chunk))
                    chunk, size = [], 0
                chunk.append(line)
                size += len(line.text) + 1
            if chunk:
                pieces.append((heading, chunk))
        merged: list[tuple[str, list[Any]]] = []
        pending: tuple[str, list[Any]] | None = None
        for heading, lines in pieces:
            if pending is not None:
                heading, lines = pending[0], pending[1] + lines
                pending = None
            if sum(len(line.text) for line in lines) < min_chars:
                pending = (heading, lines)
                continue
            merged.append((heading, lines))
        if pending is not None:
            if merged:
                merged[-1] = (merged[-1][0], merged[-1][1] + pending[1])
            else:
                merged.append(pending)
        for n, (heading, lines) in enumerate(merged, start=1):
            units.append(
                Unit(
                    f"{case.id}#p{n}",
                    case.id,
                    "\n".join(line.text for line in lines),
                    lines[0].number,
                    lines[-1].number,
                    heading,
                    case.title,
                    case.field,
                    case.region,
                    case.municipality,
                )
            )
    return units


def _section_spans(case: Case) -> list[tuple[str, int, int]]:
    """(heading, first line, last line) of each top-level section, covering the case end to end."""
    tops = sorted((s for s in case.sections if s.level <= 1), key=lambda s: s.line_start)
    if not tops:
        return [("", case.line_start, case.line_end)]
    spans = []
    if tops[0].line_start > case.line_start:
        spans.append(("", case.line_start, tops[0].line_start - 1))
    for i, section in enumerate(tops):
        end = tops[i + 1].line_start - 1 if i + 1 < len(tops) else case.line_end
        spans.append((section.heading, section.line_start, max(end, section.line_start)))
    return spans


def make_units(cases: Sequence[Case], level: Level) -> list[Unit]:
    if level == "case":
        return case_units(cases)
    if level == "passage":
        return passage_units(cases)
    raise CasekitError(f"unknown theme level {level!r} (choose case or passage)")


def place_stopwords(units: Iterable[Unit]) -> set[str]:
    """Municipality names of the corpus with and without their 시/군/구 suffix (수원시, 수원)."""
    words: set[str] = set()
    for unit in units:
        for name in (unit.municipality, unit.region):
            if not name:
                continue
            words.add(name)
            if len(name) > 2 and name[-1] in "시군구도":
                words.add(name[:-1])
    return words
