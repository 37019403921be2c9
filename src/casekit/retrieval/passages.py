"""Passages: the pieces of a case that a search hit points at, each with its section and original lines.

Passages follow the case's own sections (`case.sections`): each heading opens a passage, tiny ones are
merged into the next, long ones are cut at line boundaries, so every hit names a section and the original
line range a judge can open. The index, the queries and the duplicate finder all work on these pieces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from casekit.parse.model import Case  # annotations only: the parser costs ~0.1 s to import


PASSAGE_MAX_CHARS = 600
PASSAGE_MIN_CHARS = 120


@dataclass(slots=True)
class Passage:
    """A piece of one case that a hit points at: its section and the original lines it spans."""

    id: str  # "<case_id>#<ordinal>"
    case_id: str
    section: str  # the heading that opens the passage ("개요" for the form header)
    kind: str | None  # section kind (summary, background …) inherited from the enclosing section
    line_start: int  # 1-based lines of the original source file
    line_end: int
    text: str  # repaired text, one line per original line (what is indexed)
    original: str  # the same lines as they stand in the source file (what is shown)
    line_numbers: list[int]  # original line number of each text line


def section_at(case: Case, start: int) -> tuple[str, str | None]:
    """Heading and kind for a passage opening at line `start`.

    Sections nest and overlap (사례요약 ⊃ □ 공약배경 ⊃ 1. …). The heading is the most specific section
    opening at `start`; the kind is that of the narrowest enclosing section that has one.
    """
    opening = [s for s in case.sections if s.line_start == start]
    heading = max(opening, key=lambda s: (s.level, -s.line_end)).heading if opening else "개요"
    enclosing = sorted(
        (s for s in case.sections if s.line_start <= start <= s.line_end),
        key=lambda s: s.line_end - s.line_start,
    )
    kind = next((s.kind for s in enclosing if s.kind), None)
    if not enclosing and not opening:
        kind = "header"
    return heading.strip(), kind


def split_passages(
    case: Case, max_chars: int = PASSAGE_MAX_CHARS, min_chars: int = PASSAGE_MIN_CHARS
) -> list[Passage]:
    """Cut a case into passages along its sections; every passage keeps its original line range."""
    lines = sorted(case.lines, key=lambda line: line.number)
    if not lines:
        return []
    starts = sorted({s.line_start for s in case.sections} | {lines[0].number})
    regions: list[tuple[int, list[Any]]] = []
    cursor = 0
    for line in lines:
        while cursor + 1 < len(starts) and line.number >= starts[cursor + 1]:
            cursor += 1
        if not regions or regions[-1][0] != starts[cursor]:
            regions.append((starts[cursor], []))
        regions[-1][1].append(line)

    # Merge regions too small to stand alone (a heading with one line) into the next one.
    merged: list[tuple[int, list[Any]]] = []
    for start, region_lines in regions:
        if merged and sum(len(x.text) for x in merged[-1][1]) < min_chars:
            merged[-1] = (merged[-1][0], merged[-1][1] + region_lines)
        else:
            merged.append((start, list(region_lines)))
    if len(merged) > 1 and sum(len(x.text) for x in merged[-1][1]) < min_chars // 2:
        tail = merged.pop()
        merged[-1] = (merged[-1][0], merged[-1][1] + tail[1])

    passages: list[Passage] = []
    for start, region_lines in merged:
        heading, kind = section_at(case, start)
        # Cut long regions at line boundaries into pieces of about max_chars.
        pieces: list[list[Any]] = [[]]
        size = 0
        for line in region_lines:
            if pieces[-1] and size + len(line.text) > max_chars:
                pieces.append([])
                size = 0
            pieces[-1].append(line)
            size += len(line.text) + 1
        if len(pieces) > 1 and sum(len(x.text) for x in pieces[-1]) < min_chars // 2:
            last = pieces.pop()
            pieces[-1].extend(last)
        for piece in pieces:
            passages.append(
                Passage(
                    id=f"{case.id}#{len(passages):03d}",
                    case_id=case.id,
                    section=heading,
                    kind=kind,
                    line_start=piece[0].number,
                    line_end=piece[-1].number,
                    text="\n".join(x.text for x in piece),
                    original="\n".join(x.original_text for x in piece),
                    line_numbers=[x.number for x in piece],
                )
            )
    return passages
