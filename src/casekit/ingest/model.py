"""Records for text as read from a source file, after repair, with the map back to the original.

Every figure and score casekit shows points at a line and column of the *original* file, while all
analysis runs on repaired text (repeats collapsed, `�` dropped, NFC). `Line` carries both: the
repaired text and, as piecewise-identity segments, where each of its characters stood originally.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Line:
    """One repaired line of text and where it came from.

    `segments` maps repaired offsets to original offsets: a tuple of (repaired_start, original_start)
    pairs, sorted, meaning characters from repaired_start on sit at original_start + (i - repaired_start)
    until the next pair. An unchanged line has `((0, 0),)`.
    """

    text: str
    number: int  # 1-based line number in the original source file
    segments: tuple[tuple[int, int], ...] = ((0, 0),)
    original: str | None = None  # the original line, kept only when repair changed it

    def original_col(self, offset: int) -> int:
        """0-based column in the original line of the repaired character at `offset`."""
        starts = [s for s, _ in self.segments]
        index = max(bisect_right(starts, offset) - 1, 0)
        rep_start, orig_start = self.segments[index]
        return orig_start + (offset - rep_start)

    @property
    def original_text(self) -> str:
        return self.text if self.original is None else self.original

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"text": self.text, "number": self.number}
        if self.segments != ((0, 0),):
            data["segments"] = [list(pair) for pair in self.segments]
        if self.original is not None:
            data["original"] = self.original
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Line:
        raw_segments: Any = data.get("segments") or [[0, 0]]
        segments = tuple((int(a), int(b)) for a, b in raw_segments)
        original = data.get("original")
        number: Any = data["number"]
        return cls(str(data["text"]), int(number), segments, None if original is None else str(original))


@dataclass(slots=True)
class SourceDocument:
    """A whole source file: its repaired lines (blank and footer lines dropped) and how it was read."""

    path: str  # as the user named it, relative to the working directory where possible
    sha256: str  # of the file's bytes: re-ingesting the same bytes is a no-op
    encoding: str  # utf-8, utf-8-sig, cp949, pdf, hwpx …
    lines: list[Line]
    line_count: int  # lines in the original text (for page-less formats, of the extracted text)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)
