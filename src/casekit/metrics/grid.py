"""The table model: tables whose cells are marked, read as grids with header rows and a label column.

Three shapes mark their cells, and are read here rather than by the flattened-row reader (`tables`):

* tab-separated rows — what HTML tables become on ingest (`casekit.ingest.html`, spans resolved, so
  column k is column k in every row), HWP's text export and spreadsheets pasted as text;
* rows split by " | " (and Markdown tables);
* columns aligned with runs of spaces, as `pdftotext -layout` leaves them (two or more spaces
  between cells, column positions shared by the header and the rows).

A block of such lines becomes a grid. Its leading rows that hold no quantity (only words, years or
periods) are the header; the leading columns whose cells are words, years or indices are the label
column(s). Every bare number in the body takes its unit, in order, from the cell itself ("3 명"), its
column header ("자산(천원)", "비율" → %), its row header ("농가호수(호)"), a unit column to its left (a
cell holding only 회, 명 or 개사), and the table's frame: a "(단위 : …)" above it, in its title or
right below; a frame that lists several units ("(단위 : 명, %)", "(단위:ha/톤)") gives each cell the
one its headers speak of (비율 → %, 면적 → ha, 생산량 → 톤), else the first. A row or column that says
what is counted wins over a frame unit of another kind (정원/현원 → persons, …률 → percent), and with
no unit anywhere it still decides the kind (예산/사업비 → money in 원, "… 수" → a count). Each cell's
label is its row header and column headers; a total row or column (계, 합계, 소계) keeps that word in
the label. Years, periods, dates, indices (연번) and codes are never quantities.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from casekit.metrics.patterns import ACTUAL, BREAKDOWN_PART, PLANNED, Found
from casekit.metrics.units import UnitInfo, parse_unit_phrase

_NUMBER = re.compile(r"^(?P<sign>[-−△▲▽+]?)\s?(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?P<rest>.*)$")
_PLACEHOLDER = {"", "-", "–", "—", "－", "·", "X", "x", "N/A", "n/a", "해당없음", "미운영", "운영"}
#: Years, periods and dates: header words, never quantities ("2016", "2016년", "2016~2020", "'16",
#: "22년", "2018. 11.", "현재(2018)", "~2010년", "22.12.31기준", "1차", "2분기", "상반기").
_Y4 = r"(?:19|20)\d{2}"
_YEARISH = re.compile(
    rf"^(?:[~～]?\s*{_Y4}\s?(?:년도?|년대)?(?:\s*[.~～\-–]\s*(?:{_Y4}|\d{{1,2}})\s?(?:년도?|월)?\.?){{0,3}}"
    rf"|['‘’`]\d{{2}}(?:\s?년도?)?(?:\s?[.~～]\s?['‘’`]?\d{{1,2}})*\.?"
    r"|\d{2}\s?년도?|\d{2}\.\d{1,2}\.\d{1,2}\.?|\d{2}\.\s?\d{1,2}\.(?:\s?[~～]\s?\d{1,2}\.?)?"
    r"|\d{1,2}\s?(?:차|분기|월|반기|회차|단계|기)|(?:상|하)반기|현재\s*[(（][^)）]*[)）]"
    rf"|[(（]\s*{_Y4}\s*[)）])\s*(?:기준|말|현재|이전|이후|까지)?\.?$"
)
_FULL_YEAR = re.compile(r"(?:19|20)\d{2}")
_PAREN = re.compile(r"[(（]\s*([^()（）]{1,16}?)\s*[)）]")
_DECLARATION = re.compile(r"단\s*위\s*[:：]?\s*([^)\]>）]{1,24})")
_UNIT_SPLIT = re.compile(r"\s*[,/·、]\s*")
_TOTAL = re.compile(r"^(?:합\s?계|총\s?계|소\s?계|누\s?계|계|총|전체|합)$")
#: Column headers whose cells are never quantities (identifiers, dates, phone numbers, addresses).
_NOT_QUANTITY = re.compile(
    r"연\s*번|순\s*번|번\s*호|^no\.?$|코드|전화|연락처|주\s*소|소재지|우편|년\s*도|연\s*도|일\s*자|날\s*짜|기\s*간|시\s*기|"
    r"년\s*월|설치년|지정년|조성년|준공|차수|회차|기수|학년|순위|등급",
    re.I,
)
_RATE = re.compile(r"비\s*율|[률율](?:\s|$|\(|（)|점유비|구성비|%")
_PERSON_WORDS = re.compile(
    r"(?:"
    r"정\s*원|현\s*원|인\s*원|인\s*구|명\s*수|자\s*수|원\s*수|객\s*수|생\s*수|종사자|근로자|참여자|직원|공무원"
    r"|회원(?!사|국)|위원(?!회)|관광객|학생|교육생|장애인|어르신"
    r"|(?:이용|수혜|대상|참가|참여|수강|수료|신청|합격|취업|방문|접종|검진|등록|가입|수급|응답|입소|출생|사망|전입|전출)"
    r"(?:자|객|생|인원)"
    r")(?:\s*수)?"  # "참여자수": the count of people
)
_MONEY_WORDS = re.compile(
    r"예\s*산|사업비|집행|금\s*액|비용|재원|국비|도비|시비|구비|군비|지방비|자부담|융자|수입|지출|매출|자산|부채|자본|이익|손실|기금|보조금|지원금|단가"
)
_AREA_WORDS = re.compile(r"면\s*적")
_AMOUNT_WORDS = re.compile(r"생산량|소비량|판매량|처리량|발생량|사용량|배출량|량$")
_COUNT_SUFFIX = re.compile(r"(?:건\s*수|횟\s*수|개\s*수|수)$")
_KIND_WORDS = (
    (_RATE, "percent"),
    (_PERSON_WORDS, "persons"),
    (_AREA_WORDS, "area"),
    (_AMOUNT_WORDS, "amount"),
    (_MONEY_WORDS, "money"),
    (_COUNT_SUFFIX, "count"),
)
#: Label columns that do not name the row (an address, a representative's name, a phone number).
_NOT_LABEL = re.compile(r"주\s*소|소재지|위\s*치|대표자|성\s*명|전화|연락처|비\s*고")
_MAX_CONTEXT = 6
#: A line that starts a new part of a document ("2. 일자리 현황", "□ …", "Ⅱ."): a frame stops there.
_HEADING = re.compile(
    r"^\s*(?:\d{1,2}\s?[.)]|[가-하][.)]|[□○❍◯■▣●◆◇※ⅠⅡⅢⅣⅤⅥⅦ▸▶-])"
)  # lines above a table searched for its frame ("(단위 : …)") and title


@dataclass(slots=True)
class GridCell:
    start: int  # offset in the line
    end: int
    text: str


@dataclass(slots=True)
class _Row:
    index: int  # line index
    cells: list[GridCell]


def split_cells(text: str, shape: str) -> list[GridCell]:
    """The cells of one line of a table of `shape` ("tab", "pipe" or "space"), with their offsets."""
    cells: list[GridCell] = []
    if shape == "tab":
        pos = 0
        for part in text.split("\t"):
            lead = len(part) - len(part.lstrip())
            body = part.strip()
            cells.append(GridCell(pos + lead, pos + lead + len(body), body))
            pos += len(part) + 1
        return cells
    if shape == "pipe":
        stripped = text.strip()
        offset = text.find(stripped[:1]) if stripped else 0
        inner = stripped
        if inner.startswith("|"):
            inner, offset = inner[1:], offset + 1
        if inner.endswith("|"):
            inner = inner[:-1]
        pos = offset
        for part in inner.split("|"):
            lead = len(part) - len(part.lstrip())
            body = part.strip()
            cells.append(GridCell(pos + lead, pos + lead + len(body), body))
            pos += len(part) + 1
        return cells
    for match in re.finditer(r"\S+(?: \S+)*", text):
        cells.append(GridCell(match.start(), match.end(), match.group(0)))
    return cells


_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SPACED = re.compile(r"\S(?: {2,}|\t)\S")


def line_shape(text: str) -> str | None:
    """Which marked-table shape a line has, if any."""
    if "\t" in text and text.strip("\t ").count("\t") >= 1:
        return "tab"
    if " | " in text or (text.lstrip().startswith("|") and text.count("|") >= 3):
        return "pipe"
    return None


def is_space_row(text: str) -> bool:
    cells = split_cells(text, "space")
    return len(cells) >= 3 and sum(1 for c in cells if _NUMBER.match(c.text) and _bare_value(c.text)) >= 2


def find_blocks(
    texts: Sequence[str], tab_or_pipe: Sequence[int], space_rows: Sequence[int]
) -> list[tuple[str, list[int]]]:
    """Runs of consecutive lines of one shape: (shape, line indices). A space-aligned block needs two rows
    of numbers and takes the line right above it as its header when that line splits into columns too."""
    blocks: list[tuple[str, list[int]]] = []
    for index in tab_or_pipe:
        shape = line_shape(texts[index])
        if shape is None or _PIPE_RULE.match(texts[index]):
            continue
        if blocks and blocks[-1][0] == shape and blocks[-1][1][-1] in (index - 1, index - 2):
            if blocks[-1][1][-1] == index - 1 or _PIPE_RULE.match(texts[index - 1]):
                blocks[-1][1].append(index)
                continue
        blocks.append((shape, [index]))
    run: list[int] = []
    for index in [*space_rows, -10]:
        if run and index == run[-1] + 1:
            run.append(index)
            continue
        if len(run) >= 2:
            head = run[0] - 1
            if head >= 0 and len(split_cells(texts[head], "space")) >= 3 and _SPACED.search(texts[head]):
                run.insert(0, head)
            blocks.append(("space", run))
        run = [index]
    blocks.sort(key=lambda block: block[1][0])
    return blocks


def _bare_value(text: str) -> bool:
    """Whether a cell is a number (sign, digits, maybe a breakdown in parentheses or a spaced unit)."""
    match = _NUMBER.match(text)
    if match is None:
        return False
    rest = match.group("rest").strip()
    return not rest or rest[0] in "(（" or parse_unit_phrase(rest) is not None or rest in ("%", "％")


@lru_cache(maxsize=4096)
def _yearish(text: str) -> bool:
    return bool(_YEARISH.match(text.strip()))


def _is_data_cell(text: str) -> bool:
    return _bare_value(text) and not _yearish(text)


def _paren_unit(text: str) -> tuple[UnitInfo, float] | None:
    """A unit written in parentheses in a header ("자산(천원)", "석탄 소비량 (천톤)") or a header that is a
    unit ("명", "(%)")."""
    parens: list[str] = _PAREN.findall(text)
    for paren in reversed(parens):
        phrase = paren.replace("단위", "").strip(" :：")
        unit = parse_unit_phrase(phrase)
        if unit is not None:
            return unit
        if "/" in phrase and parse_unit_phrase(phrase.split("/")[0]) is None:
            return UnitInfo("other", phrase), 1.0  # "toe/백만원": a ratio unit, kept as written
    bare = text.strip()
    if bare and len(bare) <= 5:
        return parse_unit_phrase(bare)
    return None


def declared_units(lines: Sequence[str]) -> list[tuple[UnitInfo, float]]:
    """The units a "(단위 : 백만원)" frame declares, several when it lists several ("명, %", "ha/톤")."""
    for text in lines:
        match = _DECLARATION.search(text)
        if match is None:
            continue
        units = []
        for phrase in _UNIT_SPLIT.split(match.group(1).strip(" )]>）")):
            parsed = parse_unit_phrase(phrase)
            if parsed is not None:
                units.append(parsed)
        if units:
            return units
    return []


@lru_cache(maxsize=4096)
def kind_of_words(words: str) -> str | None:
    """The kind a header or row label names: percent, persons, money, area, amount (weight) or count.

    A Korean compound ends in its head noun, so the kind word that ends last decides: "예산 집행률" is a rate,
    "참여인원" persons, "주민참여예산위원회" (a committee) its budget."""
    words = words.strip()
    best: tuple[int, int, str] | None = None  # (end, priority, kind)
    for priority, (pattern, kind) in enumerate(_KIND_WORDS):
        for match in pattern.finditer(words):
            key = (match.end(), -priority, kind)
            if best is None or key > best:
                best = key
    return best[2] if best is not None else None


_COUNTERS = (
    ("건수", "건"),
    ("횟수", "회"),
    ("개소수", "개소"),
    ("가구수", "가구"),
    ("세대수", "세대"),
    ("호수", "호"),
)
_IMPLIED = {
    "percent": (UnitInfo("percent", "%"), 1.0),
    "persons": (UnitInfo("persons", "명"), 1.0),
    "money": (UnitInfo("money", "원", 1.0, "KRW"), 1.0),
    "count": (UnitInfo("count", "개"), 1.0),
}


def implied_unit(kind: str, words: str) -> tuple[UnitInfo, float] | None:
    """The unit a kind-naming header implies with no unit written anywhere: "건수" → 건, "… 수" → 개."""
    if kind == "count":
        squeezed = _PAREN.sub("", words).replace(" ", "")
        for word, unit in _COUNTERS:
            if word in squeezed:
                return UnitInfo("count", unit), 1.0
    return _IMPLIED.get(kind)


def pick_declared(units: list[tuple[UnitInfo, float]], kind: str | None) -> tuple[UnitInfo, float] | None:
    """Of a frame's units, the one the headers speak of; else the first that is not a percent."""
    if not units:
        return None
    if kind is not None:
        for unit in units:
            info = unit[0]
            if info.kind == kind or (kind == "amount" and info.unit in ("톤", "kg")):
                return unit
    if kind == "percent":
        return _IMPLIED["percent"]
    for unit in units:
        if unit[0].kind != "percent":
            return unit
    return units[0]


def _clean_label(text: str) -> str:
    text = _PAREN.sub(
        lambda m: "" if parse_unit_phrase(m.group(1)) or "단위" in m.group(1) else m.group(0), text
    )
    return " ".join(text.split())


def _join_labels(parts: Sequence[str]) -> str:
    out: list[str] = []
    for part in parts:
        part = _clean_label(part)
        if part and part not in out:
            out.append(part)
    return " ".join(out)


Frame = list[tuple[UnitInfo, float]]


def grid_cells(
    texts: Sequence[str],
    prose: Mapping[int, Sequence[Found]],
    shape: str,
    indices: list[int],
    previous: tuple[int, Frame] | None = None,
) -> tuple[dict[int, list[Found]], Frame, set[tuple[int, int]]]:
    """The cells of one block of table lines as `Found` (see `tables.table_cells` for the contract), the
    block's frame units, and the prose figures that are years in a header or label cell ("22년": a year
    there, not a duration) as (line index, start) to drop. `previous` is where the table before it ended and its frame: a table that
    follows within a few caption lines, with no frame of its own, continues it (one "(단위 : 명, %)"
    above three tables that split one long row)."""
    rows = [_Row(i, split_cells(texts[i], shape)) for i in indices]
    if shape == "space":
        _align_columns(rows)
    width = max(len(r.cells) for r in rows)
    prose_at = {i: {f.start: f for f in prose.get(i, ())} for i in indices}
    # A row is data when it holds a number that is not a year, or a prose quantity.
    data = [
        sum(_is_data_cell(c.text) or c.start in prose_at[row.index] for c in row.cells)
        >= (2 if len(row.cells) > 2 else 1)
        or any(_is_data_cell(c.text) or c.start in prose_at[row.index] for c in row.cells[1:])
        for row in rows
    ]
    header_rows: list[int] = []
    for k, is_data in enumerate(data):
        if is_data:
            break
        header_rows.append(k)
    label_cols = _label_columns(rows, data, width, header_rows)
    above: list[str] = []
    first = indices[0]
    for i in range(first - 1, max(-1, first - 1 - _MAX_CONTEXT), -1):
        if line_shape(texts[i]) is not None:
            break
        above.append(texts[i])
    below = [texts[i] for i in range(indices[-1] + 1, min(len(texts), indices[-1] + 3))]
    frame = declared_units(above) or declared_units(
        [t for t in below if t.lstrip().startswith(("(", "[", "단", "※", "*"))]
    )
    if not frame and previous is not None and 0 < first - previous[0] <= 4:
        if not any(_HEADING.match(texts[i]) for i in range(previous[0] + 1, first)):
            frame = previous[1]  # only captions between: the same table, split
    out: dict[int, list[Found]] = {}
    drops: set[tuple[int, int]] = set()
    for k, row in enumerate(rows):
        for col, cell in enumerate(row.cells):
            if (
                (not data[k] or col < label_cols)
                and cell.start in prose_at[row.index]
                and _yearish(cell.text)
            ):
                drops.add((row.index, cell.start))
    current_header = header_rows
    columns: tuple[list[int], list[_Column]] | None = None
    for k, row in enumerate(rows):
        if not data[k]:
            if k not in header_rows and _looks_like_header(row):
                current_header = [k]  # a new header inside the block: a second table below the first
            continue
        if columns is None or columns[0] != current_header:
            columns = (current_header, _columns(rows, current_header, width))
        out[row.index] = _row_cells(row, columns[1], label_cols, frame, prose_at[row.index], texts, above)
    return out, frame, drops


def _looks_like_header(row: _Row) -> bool:
    filled = [c for c in row.cells if c.text]
    return len(filled) >= 2 and all(len(c.text) <= 16 for c in filled)


def _label_columns(rows: list[_Row], data: list[bool], width: int, header_rows: list[int]) -> int:
    """How many leading columns hold labels: words, years or indices in the body rows, or a column headed
    as an index or a date (연번, 연도)."""
    body = [row for row, is_data in zip(rows, data) if is_data]
    count = 0
    for col in range(width - 1):
        heads = " ".join(rows[h].cells[col].text for h in header_rows if col < len(rows[h].cells))
        if heads and _NOT_QUANTITY.search(heads) and col == count:
            count += 1
            continue
        values = [row.cells[col].text for row in body if col < len(row.cells) and row.cells[col].text]
        if not values:
            if col == count:
                count += 1
            continue
        labels = sum(1 for v in values if not _bare_value(v) or _yearish(v))
        if labels * 2 >= len(values) and col == count:
            count += 1
        else:
            break
    return count if width > 1 else 0


@dataclass(slots=True)
class _Column:
    """What a column's header rows say: its words, label, the kind they name and its unit."""

    words: str
    label: str
    innermost: str
    kind: str | None
    unit: tuple[UnitInfo, float] | None


def _columns(rows: list[_Row], header_rows: list[int], width: int) -> list[_Column]:
    """Every column's header; a column whose header names a kind but no unit takes the unit its sibling
    columns of that kind all share ("당기순이익" beside "자산(천원)", "부채(천원)")."""
    columns: list[_Column] = []
    for col in range(width):
        heads = [rows[h].cells[col].text for h in header_rows if col < len(rows[h].cells)]
        words = " ".join(heads)
        innermost = heads[-1] if heads else ""
        kind = kind_of_words(_PAREN.sub("", innermost)) or kind_of_words(_PAREN.sub("", words))
        unit = next((u for u in (_paren_unit(h) for h in reversed(heads)) if u), None)
        columns.append(_Column(words, _join_labels(heads), innermost, kind, unit))
    for column in columns:
        if column.unit is None and column.kind is not None:
            shared = {c.unit for c in columns if c.unit is not None and c.unit[0].kind == column.kind}
            if len(shared) == 1:
                column.unit = shared.pop()
    return columns


def _row_cells(
    row: _Row,
    columns: list[_Column],
    label_cols: int,
    frame: list[tuple[UnitInfo, float]],
    prose_at: Mapping[int, Found],
    texts: Sequence[str],
    above: list[str],
) -> list[Found]:
    found: list[Found] = []
    text = texts[row.index]
    label_cells = [row.cells[c].text for c in range(min(label_cols, len(row.cells)))]
    row_words = " ".join(label_cells)
    row_unit = next((u for u in (_paren_unit(t) for t in reversed(label_cells)) if u), None)
    row_kind = kind_of_words(_PAREN.sub("", label_cells[-1])) if label_cells else None
    named = [
        t
        for c, t in enumerate(label_cells)
        if t and not _TOTAL.match(t) and not _NOT_LABEL.search(columns[c].words if c < len(columns) else "")
    ]
    row_label = _join_labels(named[-1:])
    total = any(_TOTAL.match(t.strip()) for t in label_cells)
    if total:
        row_label = (row_label + " 계").strip()
    unit_column: tuple[UnitInfo, float] | None = None
    unit_cells = [
        u
        for c in row.cells[label_cols:]
        if c.text and not c.text[0].isdigit()
        for u in [parse_unit_phrase(c.text)]
        if u
    ]
    trailing_unit = unit_cells[0] if len(unit_cells) == 1 else None  # "현장컨설팅 120 150 회"
    for col, cell in enumerate(row.cells):
        if col < label_cols or not cell.text:
            if cell.start in prose_at and cell.text:
                found.append(Found(cell.start, cell.end, "", 0.0, 1.0, None, True, row_label[:40]))
            continue
        column = columns[col] if col < len(columns) else _Column("", "", "", None, None)
        col_words, col_label, innermost = column.words, column.label, column.innermost
        label = " ".join(p for p in (row_label, col_label) if p) or (above[0].strip()[:30] if above else "")
        planned = bool(PLANNED.search(col_words) or PLANNED.search(row_words))
        if planned and (ACTUAL.search(innermost) or "현재" in innermost):
            planned = False
        actual = not planned and bool(ACTUAL.search(col_words) or ACTUAL.search(row_words))
        item = prose_at.get(cell.start)
        if item is None and len(cell.text) <= 16:
            # "증 15%", "약 30명": a short cell around one figure is that figure, labelled by the grid
            inside = [f for f in prose_at.values() if cell.start < f.start < cell.end]
            if len(inside) == 1 and len(cell.text) - len(inside[0].text) <= 4:
                item = inside[0]
        if item is not None:
            found.append(Found(item.start, item.end, "", 0.0, 1.0, None, True, label[:40], planned, actual))
            continue
        unit_only = parse_unit_phrase(cell.text) if not cell.text[0].isdigit() else None
        if unit_only is not None:
            unit_column = unit_only
            continue
        match = _NUMBER.match(cell.text)
        if match is None or not _bare_value(cell.text) or _NOT_QUANTITY.search(col_words):
            continue
        if _yearish(cell.text) and (not col_words or not cell.text.isdigit()):
            continue  # "2016년", "'16" in the body, or a year where nothing heads the column
        rest = match.group("rest").strip()
        own = parse_unit_phrase(rest) if rest and rest[0] not in "(（" else None
        if rest in ("%", "％"):
            own = _IMPLIED["percent"]
        kind = column.kind or row_kind
        unit = own or column.unit or row_unit or unit_column or trailing_unit
        if unit is None:
            declared = pick_declared(frame, kind)
            if declared is not None and kind in _IMPLIED and declared[0].kind != kind:
                unit = implied_unit(kind, column.innermost + " " + row_words)  # 정원 under "(단위 : 백만원)"
            else:
                unit = declared or (implied_unit(kind, column.innermost + " " + row_words) if kind else None)
        info, multiplier = unit if unit is not None else (UnitInfo("other", ""), 1.0)
        start = cell.start
        value = float(match.group("num").replace(",", ""))
        if match.group("sign") in ("-", "−", "△", "▽"):
            value = -value
        num_end = cell.start + match.end("num")
        found.append(
            Found(
                start,
                num_end,
                text[start:num_end],
                value,
                multiplier * 1.0,
                info,
                True,
                label[:40],
                planned,
                actual,
            )
        )
        if rest[:1] in "(（" and rest:
            open_at = cell.start + match.start("rest") + match.group("rest").index(rest[0])
            for part in BREAKDOWN_PART.finditer(text, open_at + 1, cell.end):
                number = part.group("num")
                if _FULL_YEAR.fullmatch(number):
                    continue
                found.append(
                    Found(
                        part.start("num"),
                        part.end("num"),
                        number,
                        float(number.replace(",", "")),
                        multiplier,
                        info,
                        True,
                        label[:40],
                        planned,
                        actual,
                    )
                )
    return found


def _align_columns(rows: list[_Row]) -> None:
    """Space-aligned rows with fewer cells than the widest: each cell goes to the column whose span in the
    widest row it overlaps (empty cells fill the gaps), so a blank cell does not shift the row left."""
    widest = max(rows, key=lambda r: len(r.cells))
    spans = [(c.start, c.end) for c in widest.cells]
    for row in rows:
        if len(row.cells) == len(spans):
            continue
        placed: list[GridCell] = [GridCell(s, s, "") for s, _ in spans]
        for cell in row.cells:
            best = min(
                range(len(spans)),
                key=lambda k: (
                    -(min(cell.end, spans[k][1]) - max(cell.start, spans[k][0])),
                    abs(cell.end - spans[k][1]),
                ),
            )
            if not placed[best].text:
                placed[best] = cell
        row.cells = placed
