"""Excel export: text stays text (no formula injection), sheet names are valid, notes come first."""

from __future__ import annotations

import openpyxl
import pandas as pd

from casekit.report.excel import sheet_title, write_ranking_workbook, write_workbook
from casekit.rubric import load_rubric
from casekit.score.rank import rank_cases
from tests.score.score_paths import MANIFESTO


def test_formula_like_text_is_stored_as_text(tmp_path) -> None:  # type: ignore[no-untyped-def]
    frame = pd.DataFrame(
        {
            "title": ['=HYPERLINK("http://x","y")', "+1+2", "@SUM(A1)", "-3", "수원시 사례"],
            "total": [1.0, 2.5, float("nan"), 4, 5],
            "pledges": [["a", "b"], [], ["c"], [], []],
        }
    )
    path = write_workbook(
        tmp_path / "out" / "r.xlsx", {"순위 ranking": frame}, notes=["사전점수 기준 (provisional)"]
    )
    assert [p.name for p in path.parent.iterdir()] == ["r.xlsx"]  # no temp file left behind
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["안내", "순위 ranking"]
    assert book["안내"]["A1"].value == "사전점수 기준 (provisional)"
    sheet = book["순위 ranking"]
    titles = [c.value for c in sheet["A"]][1:]
    assert titles == list(frame["title"])
    assert all(c.data_type == "s" for c in sheet["A"])
    assert [c.value for c in sheet["B"]][1:] == [1.0, 2.5, None, 4, 5]
    assert sheet["C2"].value == "a, b"
    assert sheet.freeze_panes == "A2"


def test_sheet_titles_are_valid_and_unique() -> None:
    taken: set[str] = set()
    first = sheet_title("분야/구분: [사회적경제]*?", taken)
    assert not set("[]:*?/\\") & set(first) and len(first) <= 31
    long = "가" * 40
    a, b = sheet_title(long, taken), sheet_title(long, taken)
    assert a != b and len(a) <= 31 and len(b) <= 31


def test_ranking_by_prescores_says_so_on_the_first_sheet(seed_workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cases = seed_workspace.load_cases()
    result = rank_cases(cases, load_rubric(MANIFESTO), None, workspace=seed_workspace)
    out = write_ranking_workbook(result, tmp_path / "rank.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "안내" and "PRE-SCORES" in book["안내"]["A1"].value
    assert book["ranking"].max_row == len(cases) + 1


def test_the_outcome_workbook_has_the_headline_table_and_every_indicator(seed_workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from casekit.outcomes import headline_table, outcomes
    from casekit.report.excel import write_outcomes_workbook

    frame = outcomes(seed_workspace)
    path = write_outcomes_workbook(frame, tmp_path / "o.xlsx", headline_table(frame))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["안내", "핵심지표 headlines", "성과지표 indicators"]
    heads = [[c.value for c in row] for row in book["핵심지표 headlines"].iter_rows()]
    assert heads[0][:3] == ["지자체", "일자리", "예산·사업비"]
    assert len(heads) == 1 + frame["case_id"].nunique()
    rows = list(book["성과지표 indicators"].iter_rows(values_only=True))
    header = list(rows[0])
    assert {"지자체", "분류", "줄", "실적/계획", "핵심지표"} <= set(header)
    suwon = [r for r in rows[1:] if r[header.index("지자체")] == "수원시" and r[header.index("줄")] == 325]
    assert ("일자리", 70, "실적") in [
        (r[header.index("분류")], r[header.index("정규화 값")], r[header.index("실적/계획")]) for r in suwon
    ]
