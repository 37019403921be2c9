"""The `Case` record: one 우수사례 소개서 (case report) as casekit understands it."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from casekit.ingest.model import Line

#: Canonical section kinds a heading can map to (None when it fits none).
SECTION_KINDS = {
    "summary": "사례요약",
    "background": "배경/목적",
    "strategy": "전략/방향",
    "process": "내용/과정/실적",
    "outcome": "성과",
    "plan": "향후계획/기대효과",
}


@dataclass(slots=True)
class Section:
    """A heading the case uses and the original lines it spans."""

    heading: str
    kind: str | None  # one of SECTION_KINDS, or None
    line_start: int  # 1-based, original source file
    line_end: int
    level: int = 1  # 1 = top heading (□, Ⅰ., 1), 2 = sub-heading (○, ❍, 1) …)

    def to_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "kind": self.kind,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "level": self.level,
        }


@dataclass(slots=True)
class Case:
    """One case report.

    Korean domain names, explained once:
    region        광역 지자체 abbreviation the municipality belongs to: 경기, 강원, 충북 …
    municipality  기초 지자체명: 수원시, 금천구, 진안군 …
    group         시/군/구: the competition groups cases by the kind of municipality
    field         분야: the competition category the case was entered in (canonical name, e.g. 사회적경제)
    pledges       관련공약: the election pledges the case claims to fulfil
    summary       사례요약: the one-page summary at the head of the form
    """

    id: str
    source: str
    line_start: int
    line_end: int
    region: str | None
    municipality: str | None
    group: str | None
    title: str
    field: str | None
    pledges: list[str]
    summary: str
    sections: list[Section]
    lines: list[Line] = dataclass_field(repr=False, default_factory=list)
    subtitle: str = ""  # the rest of a two-part 사례명 when a table of contents gives the short title
    form: str = "manifesto"  # "manifesto" when a 소개서 header was found, "none" for plain reports
    year: int | None = None
    source_sha256: str = ""
    warnings: list[str] = dataclass_field(default_factory=list)

    @property
    def text(self) -> str:
        """Repaired text of the whole case, one line per original line that held text."""
        return "\n".join(line.text for line in self.lines)

    def lines_between(self, start: int, end: int) -> list[Line]:
        """Repaired lines whose original line number lies in [start, end]."""
        return [line for line in self.lines if start <= line.number <= end]

    def to_dict(self, with_lines: bool = True) -> dict[str, Any]:
        data = {
            "id": self.id,
            "source": self.source,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "region": self.region,
            "municipality": self.municipality,
            "group": self.group,
            "title": self.title,
            "subtitle": self.subtitle,
            "field": self.field,
            "pledges": list(self.pledges),
            "summary": self.summary,
            "sections": [s.to_dict() for s in self.sections],
            "form": self.form,
            "year": self.year,
            "source_sha256": self.source_sha256,
            "warnings": list(self.warnings),
        }
        if with_lines:
            data["lines"] = [line.to_dict() for line in self.lines]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Case:
        return cls(
            id=data["id"],
            source=data["source"],
            line_start=int(data["line_start"]),
            line_end=int(data["line_end"]),
            region=data.get("region"),
            municipality=data.get("municipality"),
            group=data.get("group"),
            title=data.get("title", ""),
            subtitle=data.get("subtitle", ""),
            field=data.get("field"),
            pledges=list(data.get("pledges", [])),
            summary=data.get("summary", ""),
            sections=[Section(**s) for s in data.get("sections", [])],
            lines=[Line.from_dict(d) for d in data.get("lines", [])],
            form=data.get("form", "manifesto"),
            year=data.get("year"),
            source_sha256=data.get("source_sha256", ""),
            warnings=list(data.get("warnings", [])),
        )
