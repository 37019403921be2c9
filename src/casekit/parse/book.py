"""A case book (우수사례집) or one submission → `Case` records: where each case starts and what it says.

    parse_document(doc) -> list[Case]   a case book holds many cases, split at each 소개서 header
    parse_file(path) -> list[Case]      read_source + parse_document

The form's labels (`form`), the gazetteer (`gazetteer`) and the headings (`sections`) each read one part;
this module walks the book: it splits it into cases, reads the book's table of contents for titles, and
puts the parts together into one `Case` per submission.

A document without any form header (a municipal work report, a press release) still becomes one
case with whatever can be found: the municipality named in it, its first line as title, its headings.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from casekit.ingest import read_source
from casekit.ingest.model import Line, SourceDocument
from casekit.parse.form import CASE_HEADER, match_label, parse_field, read_form, split_pledges
from casekit.parse.gazetteer import PROVINCES, group_of, resolve_local_government
from casekit.parse.model import Case, Section
from casekit.parse.sections import find_sections, find_summary_end, heading_style, section_kind

_PROVINCE_ALT = "|".join(sorted(map(re.escape, PROVINCES), key=len, reverse=True))
#: A case book's table of contents row: "경기 수원시 1 시 사람중심의 가치 실현! … 11"
_TOC_ROW = re.compile(
    rf"^(?P<region>{_PROVINCE_ALT})\s+(?P<municipality>[가-힣]+[시군구])\s+(?P<field>\d{{1,2}})\s+"
    rf"(?P<group>[시군구])\s+(?P<title>.+?)\s+(?P<page>\d{{1,4}})$"
)
#: The book's own heading: "1분야 (사회적경제) | 시(市)"
_BOOK_FIELD = re.compile(r"(\d{1,2})\s*분야\s*[(（]\s*([^)）]+?)\s*[)）]")
_YEAR = re.compile(r"(20[0-4]\d)\s*년?\s*(?:매니페스토|우수사례|경진대회|지방자치단체)")


@dataclass(frozen=True)
class TocEntry:
    """A row of a case book's table of contents: the cleanest copy of a case's title there is."""

    region: str
    municipality: str
    field_number: int
    group: str
    title: str
    page: int


def read_toc(lines: list[Line]) -> list[TocEntry]:
    entries: list[TocEntry] = []
    for line in lines:
        match = _TOC_ROW.match(line.text)
        if match:
            entries.append(
                TocEntry(
                    region=PROVINCES[match["region"]],
                    municipality=match["municipality"],
                    field_number=int(match["field"]),
                    group=match["group"],
                    title=match["title"].strip(),
                    page=int(match["page"]),
                )
            )
    return entries


def _compact(text: str) -> str:
    return re.sub(r"[\s·․‧ㆍ]", "", text)


def case_id(source: str, ordinal: int, municipality: str | None, key: str | None = None) -> str:
    """Stable across re-ingests of the same file: file name, position in it, municipality.

    `key` replaces the file name in the digest: ingest gives the path within the input folder when
    another submission of the same name holds the plain id already (A/소개서.txt beside B/소개서.txt).
    """
    name = key or Path(source).name
    digest = hashlib.sha1(f"{name}|{ordinal}|{municipality or ''}".encode()).hexdigest()[:6]
    stem = municipality or re.sub(r"[^0-9A-Za-z가-힣]+", "-", Path(source).stem)[:24].strip("-") or "case"
    return f"{stem}-{digest}"


def _title_from_toc(title: str, municipality: str | None, toc: list[TocEntry]) -> tuple[str, str]:
    """Prefer the table of contents' spelling of the title; the rest of the form's title is a subtitle."""
    candidates = [entry for entry in toc if entry.municipality == municipality] or toc
    compact = _compact(title)
    best: TocEntry | None = None
    best_score = 0.0
    for entry in candidates:
        toc_compact = _compact(entry.title)
        score = (
            1.0 if compact.startswith(toc_compact) else SequenceMatcher(None, compact, toc_compact).ratio()
        )
        if score > best_score:
            best, best_score = entry, score
    if best is None or best_score < 0.6:
        return title, ""
    subtitle = ""
    if compact.startswith(_compact(best.title)) and len(compact) > len(_compact(best.title)) + 4:
        # Keep what follows the TOC title in the form (원주: "(철거 위기에서 … 재생되다.)").
        consumed = 0
        target = len(_compact(best.title))
        for position, ch in enumerate(title):
            if not re.match(r"[\s·․‧ㆍ]", ch):
                consumed += 1
            if consumed == target:
                subtitle = title[position + 1 :].strip()
                break
    return best.title, subtitle


def _summary_text(lines: list[Line]) -> str:
    return "\n".join(line.text for line in lines).strip()


def _build_case(
    doc: SourceDocument,
    lines: list[Line],
    ordinal: int,
    header_line: int,
    end_line: int,
    toc: list[TocEntry],
    book_field: str | None,
    year: int | None,
) -> Case:
    warnings: list[str] = []
    body = lines[1:] if lines and CASE_HEADER.match(lines[0].text) else lines
    form = read_form(body)
    form_found = bool(form.label_lines)
    region, municipality = (
        resolve_local_government(form.text("municipality")) if "municipality" in form.values else (None, None)
    )
    if municipality is None:
        region, municipality = resolve_local_government(" ".join(line.text for line in body[:40]))
    if municipality is None:
        warnings.append("지자체명: no municipality found")

    if "title" in form.values:
        title = form.text("title")
    else:
        first = next(
            (line.text for line in body if not heading_style(line.text) and not match_label(line.text)), ""
        )
        title = first.strip()
    title, subtitle = _title_from_toc(title, municipality, toc) if toc else (title, "")
    toc_entry = next((entry for entry in toc if entry.municipality == municipality), None)

    field_name: str | None = None
    if "field" in form.values:
        field_name, field_warnings = parse_field(form.text("field"))
        warnings.extend(field_warnings)
    if field_name is None and book_field and toc_entry is not None:
        field_name = book_field
    group = group_of(municipality) or (toc_entry.group if toc_entry else None)
    if region is None and toc_entry is not None:
        region = toc_entry.region

    pledges = split_pledges(form.values.get("pledges", []))

    sections: list[Section] = []
    summary = ""
    body_start = form.end
    if "summary" in form.label_lines:
        label_index = form.label_lines["summary"]
        summary_end = find_summary_end(body, label_index, title)
        summary_lines = body[label_index + 1 : summary_end]
        summary = _summary_text(summary_lines)
        last = summary_lines[-1].number if summary_lines else body[label_index].number
        sections.append(Section("사례요약", "summary", body[label_index].number, last, level=0))
        sections.extend(_nest(find_sections(summary_lines, last)))
        body_start = summary_end
    body_sections = find_sections(body[body_start:], end_line)
    sections.extend(body_sections)
    if not summary:
        summary = _summary_text(body[body_start : body_start + 8])

    source = doc.path
    return Case(
        id=case_id(source, ordinal, municipality),
        source=source,
        line_start=header_line,
        line_end=end_line,
        region=region,
        municipality=municipality,
        group=group,
        title=title,
        subtitle=subtitle,
        field=field_name,
        pledges=pledges,
        summary=summary,
        sections=sections,
        lines=lines,
        form="manifesto" if form_found else "none",
        year=year,
        source_sha256=doc.sha256,
        warnings=warnings,
    )


def _nest(sections: list[Section]) -> list[Section]:
    """Sections inside the summary sit one level below it."""
    for section in sections:
        section.level += 1
    return sections


def parse_document(doc: SourceDocument) -> list[Case]:
    """Split a document at its 소개서 headers and parse each case; no header → one case."""
    lines = doc.lines
    if not lines:
        return []
    starts = [i for i, line in enumerate(lines) if CASE_HEADER.match(line.text)]
    if not starts:
        # Some converters drop the title line; a 지자체명 label still opens a form.
        starts = [
            i for i, line in enumerate(lines) if (m := match_label(line.text)) and m[0] == "municipality"
        ]
    preamble = lines[: starts[0]] if starts else []
    toc = read_toc(preamble)
    book_field_match = next(
        (_BOOK_FIELD.search(line.text) for line in preamble if _BOOK_FIELD.search(line.text)), None
    )
    book_field = re.sub(r"\s+", "", book_field_match.group(2)) if book_field_match else None
    year_match = next((_YEAR.search(line.text) for line in lines[:60] if _YEAR.search(line.text)), None)
    year = int(year_match.group(1)) if year_match else None
    if not starts:
        return [_build_case(doc, lines, 0, lines[0].number, doc.line_count, [], None, year)]
    cases: list[Case] = []
    for ordinal, start in enumerate(starts):
        stop = starts[ordinal + 1] if ordinal + 1 < len(starts) else len(lines)
        chunk = lines[start:stop]
        end_line = chunk[-1].number
        cases.append(_build_case(doc, chunk, ordinal, chunk[0].number, end_line, toc, book_field, year))
    return cases


def parse_file(path: str | os.PathLike[str]) -> list[Case]:
    """Read, repair and parse one file. Raises `IngestError` if the file cannot be read."""
    return parse_document(read_source(path))


# Re-exported for callers that map headings themselves.
section_kind = section_kind
