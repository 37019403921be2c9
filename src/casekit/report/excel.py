"""Excel workbooks for the office: one sheet per table, readable without touching a setting.

Written with openpyxl directly (not `DataFrame.to_excel`) for three reasons: header styling, frozen header
row and column widths fitted to Hangul text (a Hangul character is about two Latin widths), and safety —
a case title beginning with ``=``, ``+``, ``-`` or ``@`` would otherwise become a live formula in Excel.
Text cells are always stored as text. Writes are atomic (temp file + rename).
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from .html import table_records

if TYPE_CHECKING:
    import pandas as pd

    from casekit.score.rank import RankResult

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str] | None = None) -> str:
    """A valid, unique Excel sheet name (≤31 chars, none of []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("_", name).strip("'") or "sheet"
    title = base[:31]
    taken = taken if taken is not None else set()
    n = 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title)
    return title


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _excel_value(value: Any) -> Any:
    """A value openpyxl can store: numpy scalars unwrapped, NaN → empty, lists joined, others as text."""
    item = getattr(value, "item", None)
    if item is not None and getattr(value, "shape", None) == ():
        value = item()
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def write_workbook(
    path: str | os.PathLike[str],
    sheets: Mapping[str, Any],
    *,
    notes: Sequence[str] = (),
    number_format: str = "0.00",
) -> Path:
    """Write DataFrames (or lists of dicts) to `path`, one sheet each, plus an optional '안내' notes sheet.

    `notes` are sentences the reader must see (e.g. "ranked by pre-scores: no judges' scores yet"); they go
    on the first sheet so they cannot be missed.
    """
    path = Path(path)
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    taken: set[str] = set()
    if notes:
        sheet = workbook.create_sheet(sheet_title("안내", taken))
        for row, note in enumerate(notes, start=1):
            cell = sheet.cell(row=row, column=1, value=str(note))
            cell.data_type = "s"
        sheet.column_dimensions["A"].width = min(120, max(_display_width(n) for n in notes) + 2)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="F3F3F3")
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(sheet_title(name, taken))
        records, cols = table_records(rows)
        widths = [_display_width(c) for c in cols]
        for j, col in enumerate(cols, start=1):
            cell = sheet.cell(row=1, column=j, value=col)
            cell.data_type = "s"
            cell.font = header_font
            cell.fill = header_fill
        for i, record in enumerate(records, start=2):
            for j, col in enumerate(cols, start=1):
                value = _excel_value(record.get(col))
                cell = sheet.cell(row=i, column=j, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    cell.alignment = Alignment(wrap_text=len(value) > 60, vertical="top")
                    widths[j - 1] = max(widths[j - 1], min(_display_width(value), 60))
                elif isinstance(value, float):
                    cell.number_format = number_format
                    widths[j - 1] = max(widths[j - 1], 8)
                elif value is not None:
                    widths[j - 1] = max(widths[j - 1], len(str(value)))
        for j, width in enumerate(widths, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=j).column_letter].width = width + 2
        sheet.freeze_panes = "A2"
        if records:
            sheet.auto_filter.ref = sheet.dimensions
    if not workbook.sheetnames:
        workbook.create_sheet("empty")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        workbook.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_ranking_workbook(result: RankResult, path: str | os.PathLike[str]) -> Path:
    """A ranking (`casekit rank --format xlsx`): its notes first, then the ranking, the judges' agreement and
    largest disagreements (when judges scored) and the settings it was made with."""
    sheets: dict[str, Any] = {"ranking": result.frame}
    if not result.agreement.empty:
        sheets["agreement"] = result.agreement
    if not result.disagreements.empty:
        sheets["disagreements"] = result.disagreements
    sheets["settings"] = [{"key": k, "value": str(v)} for k, v in result.settings.items()]
    return write_workbook(path, sheets, notes=result.notes)


#: Korean column names of the indicator sheet (`casekit.outcomes` frame columns).
OUTCOME_HEADERS = {
    "case_id": "사례 ID",
    "municipality": "지자체",
    "category": "분류 ID",
    "category_name": "분류",
    "label": "항목",
    "value": "값(원문)",
    "unit": "단위",
    "norm": "정규화 값",
    "temporal": "실적/계획",
    "line": "줄",
    "col": "열",
    "headline": "핵심지표",
    "before": "이전 값",
    "mentions": "언급 줄 수",
    "total": "합계 표기",
    "kind": "종류",
    "text": "표현",
    "score": "근거 점수",
    "cues": "근거 낱말",
}


def outcome_sheets(indicators: pd.DataFrame, headlines: pd.DataFrame | None = None) -> dict[str, Any]:
    """The sheets of outcome indicators a workbook carries: the comparable headline table (one row per case,
    one column per category) first, then every indicator with its evidence line, under Korean headers."""
    from casekit.outcomes.model import TEMPORAL_NAMES

    frame = indicators.drop(columns=[c for c in ("source", "summary") if c in indicators.columns])
    if "temporal" in frame.columns:
        frame = frame.assign(temporal=frame["temporal"].map(lambda t: TEMPORAL_NAMES.get(t, t)))
    sheets: dict[str, Any] = {}
    if headlines is not None and not headlines.empty:
        sheets["핵심지표 headlines"] = headlines
    sheets["성과지표 indicators"] = frame.rename(columns=OUTCOME_HEADERS)
    return sheets


def write_outcomes_workbook(
    indicators: pd.DataFrame, path: str | os.PathLike[str], headlines: pd.DataFrame | None = None
) -> Path:
    """`casekit outcomes --format xlsx`: the headline table and every indicator, with a note on how to read."""
    notes = [
        "사례별 성과지표 (outcome indicators per case): 핵심지표는 분류마다 심사위원이 인용할 한 수치입니다.",
        "실적 = achieved, 계획 = planned or targeted, 추정 = estimated (예상·추정·파급효과); 줄 = line of the original file.",
    ]
    return write_workbook(path, outcome_sheets(indicators, headlines), notes=notes)
