"""Flattened tables: rows of numbers whose unit and meaning sit in other lines.

PDF extraction leaves a table as a title, one or more header lines ("구분 2014 2015 2016",
"사업비(백만원) 일자리창출 실적 달성률(%)") and then one line per row: a row label followed by the
cells ("창업업체 수(개) 4 25 23 19", "계 180,136 14,739 147.39"). A unit may be declared once for the
table — "(단위 : 명)" before or right after it — in a column header, or in the row label. This module
finds such rows, groups them into tables and gives every bare cell its unit, label and column.

A row is a run of at least two numeric cells separated by whitespace (tabs included), at the end of
the line after an optional label. A run of plain years ("2014 2015 2016") is a header, not a row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from casekit.metrics.grid import declared_units, implied_unit, kind_of_words, pick_declared
from casekit.metrics.patterns import ACTUAL, PLANNED, Found
from casekit.metrics.units import UnitInfo, parse_unit_phrase

_TOKEN = re.compile(r"\S+")
_ANY_DIGIT = re.compile(r"\d")
_CELL_TEXT = r"(?:[-−△▲▽]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?,?|[-–—－·Xx])"
#: A run of whitespace-separated bare cells (numbers or placeholders), whole tokens only.
_BARE_RUN = re.compile(rf"(?<!\S){_CELL_TEXT}(?:\s+{_CELL_TEXT})*(?!\S)")
_BARE_CELL = re.compile(
    r"(?<!\S)(?:(?P<sign>[-−△▲▽])?(?P<number>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?),?|[-–—－·Xx])(?!\S)"
)
#: A run of bare cells that are all years or placeholders: a table's header, never a row.
_YEAR_RUN = re.compile(
    r"(?:[-−△▲▽]?(?:19|20)\d\d,?|[-–—－·Xx])(?:\s+(?:[-−△▲▽]?(?:19|20)\d\d,?|[-–—－·Xx]))*"
)
_TOTAL_TAIL = re.compile(r"\s*(합\s?계|총계|총|소계|계)\s?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*$")
_TWO_HANGUL = re.compile(r"[가-힣]{2}")
_MAYBE_ROW = re.compile(r"\d\S*\s+(?:[-–—－·]\s+)?[-−△▲▽]?\d")  # starts with a digit: fast to scan
_BARE = re.compile(r"([-−△▲▽]?)((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?),?")
_NEGATIVE = {"-", "−", "△", "▽"}  # ▲ marks an increase
_PLACEHOLDER = {"-", "–", "—", "－", "·", "X", "x"}
_YEAR = re.compile(r"(?:19|20)\d\d")
_DECLARATION = re.compile(
    r"[(\[<（]\s*단\s*위\s*[:：]?\s*([^)\]>）]{1,20})[)\]>）]|^\s*단\s*위\s*[:：]\s*(\S{1,12})\s*$"
)
_PAREN_UNIT = re.compile(r"[(（]\s*([^()（）]{1,8}?)\s*[)）]")
_HEADER_WORDS = re.compile(r"구\s*분|비\s*고|연도별|부\s{0,3}문")
_HEADER_HINT = re.compile(r"구\s*분|연도별|부\s{0,3}문|(?:^|\s)(?:19|20)\d\d년?\s+(?:19|20)\d\d")
_RATE_WORD = re.compile(r"[률율](?:\(|$)")
_MAX_GAP = 3  # non-row lines a table may hold between rows (wrapped labels)
_CONTEXT = 5  # lines above a table searched for its header and unit


@dataclass(slots=True)
class _Cell:
    start: int
    end: int
    kind: str  # "bare", "unit", "blank"
    sign: str = ""
    number: str = ""
    label: str = ""  # for a row total written after the cells ("합계71", "총 71")


@dataclass(slots=True)
class _Row:
    index: int
    label: str
    label_unit: tuple[UnitInfo, float] | None
    cells: list[_Cell]
    total: _Cell | None = None


def _row_of(index: int, text: str, prose: Sequence[Found]) -> _Row | None:
    """The cell run at the end of a line, if the line is a table row."""
    if not prose:
        return _bare_row_of(index, text)
    tokens = list(_TOKEN.finditer(text))
    if len(tokens) < 2:
        return None
    prose_at = {f.start: f for f in prose}
    cells: list[_Cell | None] = []
    for token in tokens:
        word = token.group(0)
        found = prose_at.get(token.start())
        if found is not None and found.end >= token.end() - 1:
            cells.append(_Cell(found.start, found.end, "unit"))
            continue
        cell_match = _BARE.fullmatch(word)
        if cell_match:
            sign, number = cell_match.group(1), cell_match.group(2)
            cells.append(_Cell(token.start(), token.start() + len(sign) + len(number), "bare", sign, number))
        elif word in _PLACEHOLDER:
            cells.append(_Cell(token.start(), token.end(), "blank"))
        else:
            cells.append(None)
    # The longest run of cells that reaches the end of the line, or stops before a short tail (비고).
    best: tuple[int, int] | None = None
    run_start = None
    for pos, cell in enumerate([*cells, None]):
        if cell is not None:
            if run_start is None:
                run_start = pos
            continue
        if run_start is not None:
            if best is None or pos - run_start >= best[1] - best[0]:
                best = (run_start, pos)
            run_start = None
    if best is None:
        return None
    run = [c for c in cells[best[0] : best[1]] if c is not None]
    return _finish_row(index, text, run, tokens[best[1] - 1].end())


def _bare_row_of(index: int, text: str) -> _Row | None:
    """`_row_of` for a line with no figure carrying a unit: the cells are found by regex, not token by token."""
    best = None
    best_count = 0
    for run in _BARE_RUN.finditer(text):
        count = len(run.group(0).split())
        if count >= best_count:
            best, best_count = run, count
    if best is None or best_count < 2 or _YEAR_RUN.fullmatch(best.group(0)):
        return None  # no run of cells, or a header of years ("구분 2014 2015 2016")
    run_cells = []
    for cell in _BARE_CELL.finditer(text, best.start(), best.end()):
        number = cell.group("number")
        if number:
            run_cells.append(
                _Cell(cell.start(), cell.end("number"), "bare", cell.group("sign") or "", number)
            )
        else:
            run_cells.append(_Cell(cell.start(), cell.end(), "blank"))
    return _finish_row(index, text, run_cells, best.end())


def _finish_row(index: int, text: str, run: list[_Cell], tail_at: int) -> _Row | None:
    """Checks shared by both row readers: a short tail, enough numeric cells, not a header of years."""
    tail = text[tail_at:].strip()
    if len(tail) > 16:
        return None
    total = None
    total_match = _TOTAL_TAIL.search(text, tail_at)
    if total_match:  # "… 4 25 23 19 합계71": the row total, glued to its word after the cells
        total = _Cell(
            total_match.start(2), total_match.end(2), "bare", "", total_match.group(2), total_match.group(1)
        )
    numeric = [c for c in run if c.kind != "blank"]
    bare = [c for c in run if c.kind == "bare"]
    if len(numeric) < 2 or (not bare and len(numeric) < 3):
        # One number beside blank cells is a row only after a label that names it ("집행률 96.4 -").
        lone = len(bare) == 1 and len(numeric) == 1 and len(run) >= 2 and not _YEAR.fullmatch(bare[0].number)
        first = run[0].start if run else 0
        if not (lone and _TWO_HANGUL.search(text, 0, first) and ":" not in text[:first]):
            return None
    if bare and len(bare) == len(numeric) and all(_YEAR.fullmatch(c.number) for c in bare):
        return None  # a header of years
    if not (run and _TWO_HANGUL.search(text, 0, run[0].start)):
        while run and run[0].kind == "blank":
            run.pop(0)  # "- 33 -" style footers and bullet dashes are not cells (a labelled row keeps them)
    label_text = text[: run[0].start].strip() if run else ""
    if not bare and (":" in label_text or "：" in label_text):
        return None  # "○ 경산1 산업단지 : 1,577천㎡, 289억원, 194개 업체": a list in prose
    label_unit = None
    for paren in _PAREN_UNIT.finditer(label_text):
        label_unit = parse_unit_phrase(paren.group(1)) or label_unit
    return _Row(index, label_text, label_unit, run, total)


_LABEL_MARKS = re.compile(r"^[\s\-–·∙•○◯❍□■▸▶‣※*]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def _clean(label: str) -> str:
    label = _PAREN_UNIT.sub("", label)
    label = _LABEL_MARKS.sub("", label)
    return _SPACES.sub(" ", label).strip()[:30]


_PERSON_WORDS = re.compile(r"인구|인원|원수|자\s*수|객\s*수|생\s*수")


@lru_cache(maxsize=1024)
def _implied_unit(label: str) -> tuple[UnitInfo, float]:
    """With no unit anywhere, a row named "… 수" is a count ("창업업체 수"), of people for "인구수"."""
    label = _PAREN_UNIT.sub("", label).strip()
    if label.endswith("수"):
        if _PERSON_WORDS.search(label):
            return UnitInfo("persons", "명"), 1.0
        return UnitInfo("count", "개"), 1.0
    return UnitInfo("other", ""), 1.0


def _unit_named(
    column: str, row_label: str, frame: list[tuple[UnitInfo, float]]
) -> tuple[UnitInfo, float] | None:
    """With no unit in the row, the column or a one-unit frame: the frame's unit that the headers speak of,
    or the unit the headers imply ("대상자" → persons, "교육횟수" → 회)."""
    kind = kind_of_words(column) or kind_of_words(_PAREN_UNIT.sub("", row_label))
    picked = pick_declared(frame, kind)
    if kind is None or kind == "amount":
        return picked
    if picked is None or picked[0].kind != kind:
        # 정원 under "(단위 : 백만원)": the row says persons (money without a unit of its own keeps the frame's)
        if picked is not None and kind == "money":
            return picked
        return implied_unit(kind, f"{column} {row_label}") or picked
    return picked


def _declared(lines: Sequence[str]) -> tuple[UnitInfo, float] | None:
    for text in lines:
        match = _DECLARATION.search(text)
        if match:
            phrase = match.group(1) or match.group(2) or ""
            parsed = parse_unit_phrase(phrase)
            if parsed:
                return parsed
    return None


@lru_cache(maxsize=1024)
def _header_tokens(line: str, ncols: int, label_column: bool = False) -> tuple[str, ...]:
    """Column headers of a header line; with more words than columns, neighbouring plain words are
    joined ("일자리창출 실적") until they fit, as long as neither names a unit or a year."""
    body = _HEADER_WORDS.sub(" ", line)
    parts = [p.strip() for p in (body.split("\t") if "\t" in body else body.split()) if p.strip()]
    if label_column and len(parts) == ncols + 1:
        parts = parts[1:]  # the first header names the row labels (사업명, 항목 …)
    plain = [not _PAREN_UNIT.search(p) and not _ANY_DIGIT.search(p) for p in parts]
    while len(parts) > ncols:
        for i in range(len(parts) - 1):
            if plain[i] and plain[i + 1]:
                parts[i : i + 2] = [parts[i] + " " + parts[i + 1]]
                plain[i : i + 2] = [True]
                break
        else:
            break
    return tuple(parts)


def table_cells(
    texts: Sequence[str], prose: Mapping[int, Sequence[Found]], candidates: Iterable[int] | None = None
) -> dict[int, list[Found]]:
    """For every table row among `texts` (line index → cells): the cells as `Found`, bare cells with
    their unit resolved. Cells that carry their own unit come back with `info=None` and an empty
    text, only to hand their row/column label to the prose reader. `candidates` are the line indices
    worth testing (all lines when None)."""
    rows: dict[int, _Row] = {}
    for index in range(len(texts)) if candidates is None else candidates:
        text = texts[index]
        if candidates is None and not _MAYBE_ROW.search(text):
            continue  # cheap test first: a row has two whitespace-separated tokens that start with digits
        row = _row_of(index, text, prose.get(index, ()))
        if row is not None:
            rows[index] = row
    if not rows:
        return {}
    out: dict[int, list[Found]] = {}
    for block in _blocks(sorted(rows), texts):
        _resolve_block([rows[i] for i in block], texts, rows, out)
    return out


_NEW_PART = re.compile(r"^\s*(?:\d+[.)]|[□○❍◯■▣●※ⅠⅡⅢⅣⅤ▸-])")


def _continues_table(text: str) -> bool:
    """A short line between rows is a wrapped label, unless it starts a new heading or header."""
    return len(text.strip()) <= 25 and not (
        _NEW_PART.match(text) or _HEADER_HINT.search(text) or _DECLARATION.search(text)
    )


def _blocks(indices: list[int], texts: Sequence[str]) -> list[list[int]]:
    blocks: list[list[int]] = []
    for index in indices:
        if blocks:
            last = blocks[-1][-1]
            gap = range(last + 1, index)
            if len(gap) <= _MAX_GAP and all(_continues_table(texts[i]) for i in gap):
                blocks[-1].append(index)
                continue
        blocks.append([index])
    return blocks


def _resolve_block(
    block: list[_Row], texts: Sequence[str], rows_at: dict[int, _Row], out: dict[int, list[Found]]
) -> None:
    first, last = block[0].index, block[-1].index
    above: list[str] = []  # nearest first, up to the previous table
    for i in range(first - 1, max(-1, first - 1 - _CONTEXT), -1):
        if i in rows_at:
            break
        above.append(texts[i])
    below: list[str] = []  # the notes right after the table, up to the first line that is not one
    for i in range(last + 1, min(len(texts), last + 3)):
        if not texts[i].strip().startswith(("(", "[", "단")):
            break
        below.append(texts[i])
    # A frame that lists several units ("(단위 : 명, 회)"): each cell takes the one its headers name. One
    # above the table is its own, before any note below it.
    declared = _declared(above)
    frame = [] if declared else declared_units(above)
    if declared is None and not frame:
        declared = _declared(below)
        frame = [] if declared else declared_units(below)
    if declared is None and not frame:
        # A unit written once in a (flattened, multi-line) header: "지방비(천원)" for the whole table.
        units = {parse_unit_phrase(m.group(1)) for line in above for m in _PAREN_UNIT.finditer(line)} - {None}
        if len(units) == 1:
            declared = units.pop()
    ncols = max(len(r.cells) for r in block)
    header = next((line for line in above if _HEADER_HINT.search(line)), None)
    label_column = False
    if header is None and above and len(_header_tokens(above[0], ncols, True)) == ncols:
        header, label_column = above[0], True  # a plain header right above the rows: "사업명 예산액 집행액"
    tokens = _header_tokens(header, ncols, label_column) if header else ()
    mapping: list[int | None] = [None] * ncols
    if len(tokens) >= ncols:
        mapping = list(range(ncols))  # extra header words are trailing columns left empty (비고, 미집계)
    column_units: list[tuple[UnitInfo, float] | None] = []
    column_labels: list[str] = []
    for col in range(ncols):
        tok_index = mapping[col]
        token = tokens[tok_index] if tok_index is not None and tok_index < len(tokens) else ""
        unit = None
        for paren in _PAREN_UNIT.finditer(token):
            unit = parse_unit_phrase(paren.group(1)) or unit
        if unit is None and _RATE_WORD.search(_PAREN_UNIT.sub("", token) or "x"):
            unit = parse_unit_phrase("%")
        column_units.append(unit)
        column_labels.append(_clean(token))
    title: str | None = None
    column_planned = [bool(PLANNED.search(label)) for label in column_labels]
    column_actual = [bool(ACTUAL.search(label)) for label in column_labels]
    for row in block:  # every row has at most `ncols` cells
        row_label = _clean(row.label)
        row_planned = bool(PLANNED.search(row.label))
        row_actual = bool(ACTUAL.search(row.label))
        row_unit = row.label_unit
        text = texts[row.index]
        found: list[Found] = []
        for col, cell in enumerate(row.cells):
            kind = cell.kind
            if kind == "blank":
                continue
            col_label = column_labels[col]
            if row_label:
                label = f"{row_label} {col_label}" if col_label else row_label
            elif col_label:
                label = col_label
            else:
                if title is None:
                    title = next((_clean(line) for line in above if _TWO_HANGUL.search(line)), "")
                label = title
            planned = row_planned or column_planned[col]
            actual = not planned and (row_actual or column_actual[col])
            if kind == "unit":
                found.append(Found(cell.start, cell.end, "", 0.0, 1.0, None, True, label, planned, actual))
                continue
            unit = row_unit or column_units[col]
            if unit is None:
                unit = _unit_named(column_labels[col], row.label, [declared] if declared else frame)
            info, multiplier = unit if unit else _implied_unit(row.label)
            value = float(cell.number.replace(",", ""))
            if cell.sign in _NEGATIVE:
                value = -value
            found.append(
                Found(
                    cell.start,
                    cell.end,
                    text[cell.start : cell.end],
                    value,
                    multiplier,
                    info,
                    True,
                    label,
                    planned,
                    actual,
                )
            )
        if row.total is not None:
            cell = row.total
            info, multiplier = row.label_unit or declared or _implied_unit(row.label)
            label = " ".join(p for p in (row_label, _SPACES.sub("", cell.label)) if p)
            found.append(
                Found(
                    cell.start,
                    cell.end,
                    text[cell.start : cell.end],
                    float(cell.number.replace(",", "")),
                    multiplier,
                    info,
                    True,
                    label,
                )
            )
        out[row.index] = found
