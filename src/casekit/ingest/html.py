"""HTML as casekit reads it: web pages (.html/.htm, HWP's own HTML export) and HTML fragments in text files.

Repair (`casekit.ingest.repair`) reads a file line by line, which is right for text but loses a table
written one cell per line, as hand-made and exported pages are: the cells of a row stand on eight
lines, and a row label, a unit in a column header or a "(단위 : 백만원)" above the table no longer
reach the numbers. This reader keeps tables as tables:

* every `<tr>` becomes one `Line` whose text is its cells joined by tabs, in grid order with `rowspan`
  and `colspan` resolved (a spanning cell's text is repeated in every slot it covers, so column `k`
  of every row is column `k` of the table: a two-row header "재무상태 / 자산" lines up with its cells);
* the text outside tables goes through the ordinary line repair, after what a browser never shows is
  blanked out: comments, `<script>`, `<style>`, JSP/PHP directives, and tags repair does not know
  (`<img>`, `<col>`, `<caption>` …); block tags still split lines.

Evidence stays in the original file. A row built from several original lines has `number` = the line
of its first character and `original` = those original lines joined by "\\n", and its `segments` map
into that joined text; `line_position` turns such an offset back into (line, column) of the file.
A spanning cell repeated in other rows maps to its one original place.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from casekit.ingest.model import Line
from casekit.ingest.repair import repair_line

#: What a browser does not show, blanked before anything else (newlines kept, so line numbers hold).
_HIDDEN = re.compile(
    r"<!--.*?(?:-->|\Z)|<%.*?(?:%>|\Z)|<\?.*?(?:\?>|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<![A-Za-z][^>]*>"
    r"|<(script|style|template|noscript)\b[^>]*>.*?(?:</\1\s*>|\Z)",
    re.S | re.I,
)
#: A tag: "<" then a Latin letter or "/" ("<통계청 2016년 기준>" is Korean text in angle brackets).
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SPAN = re.compile(r"""\b(rowspan|colspan)\s*=\s*["']?\s*(\d{1,3})""", re.I)
#: Tags after which text starts a new line (repair splits at `<p>`, which stands in for all of them).
BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption dd details div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot "
    "th thead tr ul".split()
)
_ITEM_TAGS = frozenset({"li", "dt", "dd"})  # inside a cell, list items are set apart by " / "
_SPACES = re.compile(r"[\s\u00a0\u3000]+")
_FRAGMENT = re.compile(r"<t(?:able|r|d|h)\b", re.I)
_PAGE = re.compile(r"<(?:html|body|div|p|ul|li|h[1-6]|table|span|br)\b", re.I)


def is_html(raw_lines: Sequence[str], suffix: str) -> bool:
    """Whether a file is read as HTML: a page (.html/.htm with markup), or a text file holding a table."""
    head = "\n".join(raw_lines[:4000])
    if suffix in (".html", ".htm", ".xhtml"):
        return bool(_PAGE.search(head) or _FRAGMENT.search(head))
    return bool(_FRAGMENT.search(head))


def line_position(line: Line, offset: int) -> tuple[int, int]:
    """(original line number, 0-based column) of the repaired character at `offset` of `line`, also for
    a table row that this reader built from several original lines."""
    col = line.original_col(offset)
    original = line.original
    if original is None or "\n" not in original:
        return line.number, col
    breaks = original.count("\n", 0, col)
    if not breaks:
        return line.number, col
    return line.number + breaks, col - original.rfind("\n", 0, col) - 1


@dataclass
class _Cell:
    chars: list[str] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)  # absolute offsets in the joined source
    rows: int = 1
    cols: int = 1

    def add(self, text: str, offset: int, spread: bool = True) -> None:
        """Text at `offset`; each character keeps its own offset (`spread`) or all take `offset`."""
        self.chars.extend(text)
        self.offsets.extend(range(offset, offset + len(text)) if spread else [offset] * len(text))

    def clean(self) -> tuple[str, list[int]]:
        """The cell's text with whitespace runs made one space and the ends trimmed."""
        text = "".join(self.chars)
        out: list[str] = []
        offs: list[int] = []
        pos = 0
        for run in _SPACES.finditer(text):
            out.extend(text[pos : run.start()])
            offs.extend(self.offsets[pos : run.start()])
            if out and run.end() < len(text):
                out.append(" ")
                offs.append(self.offsets[run.start()])
            pos = run.end()
        out.extend(text[pos:])
        offs.extend(self.offsets[pos:])
        return "".join(out), offs


@dataclass
class _Table:
    rows: list[list[_Cell]] = field(default_factory=list)
    captions: list[_Cell] = field(default_factory=list)
    first_offset: list[int] = field(default_factory=list)  # where each caption piece / row starts
    order: list[tuple[str, int]] = field(default_factory=list)  # ("caption" | "row", index)


def html_lines(raw_lines: Sequence[str], whole_page: bool = True) -> list[Line]:
    """Lines of an HTML page (`whole_page`) or of a text file with HTML tables in it: tables as rows of
    tab-separated cells, every other line repaired as `repair_line` does (for a page, after the hidden
    parts and unknown tags are blanked)."""
    source = "\n".join(raw_lines)
    source = _HIDDEN.sub(_blank, source)
    starts = [0]
    for raw_line in raw_lines[:-1]:
        starts.append(starts[-1] + len(raw_line) + 1)
    regions = _table_regions(source)
    out: list[tuple[int, int, Line]] = []
    visible = list(source)
    for begin, end in regions:
        for (number, col), row in _table_lines(source, begin, end, starts, raw_lines):
            out.append((number, col, row))
        visible[begin:end] = [ch if ch == "\n" else " " for ch in source[begin:end]]
    text = "".join(visible)
    if whole_page:
        text = _TAG.sub(_neutral_tag, text)
    for number, line_text in enumerate(text.split("\n"), start=1):
        if not line_text.strip():
            continue
        raw = raw_lines[number - 1]
        for repaired in repair_line(line_text, number):
            if repaired.original is not None or line_text != raw:
                repaired = replace(repaired, original=raw)
            out.append((number, repaired.original_col(0), repaired))
    out.sort(key=lambda item: (item[0], item[1]))
    return [line for _, _, line in out]


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _neutral_tag(match: re.Match[str]) -> str:
    """A tag outside tables: a block tag becomes `<p>` (repair splits there), any other becomes spaces,
    both padded to the tag's length so columns stay where they were."""
    size = len(match.group(0))
    if match.group(2).lower() in BLOCK_TAGS:
        return "<p>" + " " * (size - 3)
    return " " * size


def _table_regions(source: str) -> list[tuple[int, int]]:
    """Outermost `<table>` … `</table>` spans (an unclosed table runs to the end)."""
    regions: list[tuple[int, int]] = []
    depth = 0
    begin = 0
    for tag in _TAG.finditer(source):
        if tag.group(2).lower() != "table":
            continue
        if not tag.group(1):
            if depth == 0:
                begin = tag.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                regions.append((begin, tag.end()))
    if depth:
        regions.append((begin, len(source)))
    return regions


def _table_lines(
    source: str, begin: int, end: int, starts: list[int], raw_lines: Sequence[str]
) -> list[tuple[tuple[int, int], Line]]:
    """The caption pieces and rows of one table, as Lines keyed by where they start."""
    table = _read_table(source, begin, end)
    lines: list[tuple[tuple[int, int], Line]] = []
    for piece in table.captions:
        text, offsets = piece.clean()
        if text:
            lines.append(_make_line(text, offsets, starts, raw_lines))
    for text, offsets in _grid_rows(table.rows):
        if text.strip("\t "):
            lines.append(_make_line(text, offsets, starts, raw_lines))
    return lines


def _read_table(source: str, begin: int, end: int) -> _Table:
    """Rows of cells (text with offsets, spans) and caption pieces; a nested table's text joins its cell."""
    table = _Table()
    row: list[_Cell] | None = None
    cell: _Cell | None = None
    caption: _Cell | None = None
    depth = 0
    pos = begin
    for tag in _TAG.finditer(source, begin, end):
        _text_into(source, pos, tag.start(), cell if cell is not None else caption)
        pos = tag.end()
        closing, name = bool(tag.group(1)), tag.group(2).lower()
        if name == "table":
            depth += -1 if closing else 1
            if depth > 1 or (closing and depth >= 1):
                if cell is not None:
                    cell.add(" / ", tag.start(), spread=False)
            continue
        if depth > 1:  # inside a nested table: its cells are separated like list items
            if cell is not None and name in BLOCK_TAGS:
                cell.add(" / " if name in ("td", "th", "tr") else " ", tag.start(), spread=False)
            continue
        if name == "caption":
            caption = None if closing else _Cell()
            if caption is not None:
                table.captions.append(caption)
            continue
        if caption is not None:
            if name in BLOCK_TAGS and caption.chars:
                caption = _Cell()
                table.captions.append(caption)
            continue
        if name == "tr":
            cell = None
            row = None if closing else []
            if row is not None:
                table.rows.append(row)
            continue
        if name in ("td", "th"):
            if closing:
                cell = None
                continue
            if row is None:
                row = []
                table.rows.append(row)
            cell = _Cell()
            for kind, number in _SPAN.findall(tag.group(3)):
                value = max(1, min(int(number), 200))
                if kind.lower() == "rowspan":
                    cell.rows = value
                else:
                    cell.cols = value
            row.append(cell)
            continue
        if cell is not None and name in BLOCK_TAGS:
            item = name in _ITEM_TAGS and not closing and "".join(cell.chars).strip()
            cell.add(" / " if item else " ", tag.start(), spread=False)
    _text_into(source, pos, end, cell if cell is not None else caption)
    return table


def _text_into(source: str, start: int, stop: int, target: _Cell | None) -> None:
    """Visible text of `source[start:stop]` into a cell, entities decoded (each decoded character keeps
    the entity's offset)."""
    if target is None or start >= stop:
        return
    pos = start
    for entity in _ENTITY.finditer(source, start, stop):
        target.add(source[pos : entity.start()], pos)
        target.add(html.unescape(entity.group(0)), entity.start(), spread=False)
        pos = entity.end()
    target.add(source[pos:stop], pos)


def _grid_rows(rows: list[list[_Cell]]) -> list[tuple[str, list[int]]]:
    """Each row's text in grid order: cells placed past the slots that earlier rows' spans cover, a
    spanning cell's text in every slot it covers; slots joined by tabs, empty ones kept as empty."""
    covered: dict[tuple[int, int], tuple[str, list[int]]] = {}
    widths: dict[int, int] = {}  # each row's width: its slots up to the last one a cell covers
    out: list[tuple[str, list[int]]] = []
    for r, row in enumerate(rows):
        slots: dict[int, tuple[str, list[int]]] = {}
        col = 0
        for cell in row:
            while (r, col) in covered:
                col += 1
            content = cell.clean()
            for dr in range(cell.rows):
                for dc in range(cell.cols):
                    covered[(r + dr, col + dc)] = content
                widths[r + dr] = max(widths.get(r + dr, 0), col + cell.cols)
            col += cell.cols
        width = widths.get(r, 0)
        for c in range(width):
            slots[c] = covered.pop((r, c), ("", []))
        texts: list[str] = []
        offsets: list[int] = []
        for c in range(width):
            text, offs = slots[c]
            if c:
                texts.append("\t")
                offsets.append(offsets[-1] if offsets else (offs[0] if offs else 0))
            texts.append(text)
            offsets.extend(offs)
        joined = "".join(texts).rstrip("\t")
        out.append((joined, offsets[: len(joined)]))
    return out


def _make_line(
    text: str, offsets: list[int], starts: list[int], raw_lines: Sequence[str]
) -> tuple[tuple[int, int], Line]:
    """A Line over `text` whose characters stood at absolute `offsets` of the joined source."""
    first = min((o for o, ch in zip(offsets, text) if not ch.isspace()), default=offsets[0] if offsets else 0)
    index = _line_index(starts, first)
    last = max(offsets) if offsets else first
    last_index = _line_index(starts, last)
    base = starts[index]
    original = "\n".join(raw_lines[index : last_index + 1])
    segments: list[tuple[int, int]] = []
    for i, off in enumerate(offsets):
        rel = max(off - base, 0)
        if segments and rel == segments[-1][1] + (i - segments[-1][0]):
            continue
        segments.append((i, rel))
    line = Line(text, index + 1, tuple(segments) or ((0, 0),), original)
    return (index + 1, first - base), line


def _line_index(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo
