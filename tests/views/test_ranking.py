"""The ranking report of one 분야 × group, built from the seed cases and judges' scores."""

from __future__ import annotations

import openpyxl
import pytest

from casekit.errors import WorkspaceError
from casekit.views.ranking import RankingReport


def test_report_ranks_by_judges_with_awards_intervals_and_saved_files(scored, tmp_path) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored
    report = RankingReport.build(helpers.RUBRIC, ws, field="사회적경제", group="시")
    assert report.basis == "judges"
    assert len(report.cases) == 10 and len(report.ranking) == 10
    table = report.ranking_table()
    assert list(table.columns[:5]) == ["rank", "award", "municipality", "title", "total"]
    assert table["rank"].tolist() == sorted(table["rank"].tolist())
    assert table["total"].is_monotonic_decreasing
    # awards follow the rubric: 1 최우수상 then 2 우수상, down the ranking
    assert report.awards()["award"].tolist() == ["최우수상", "우수상", "우수상"]
    assert (table["rank_lo"] <= table["rank"]).all() and (table["rank"] <= table["rank_hi"]).all()
    assert "crit_delivery" not in table.columns  # presentation stage unscored: no all-empty columns
    # the abstaining judge's scores are out of that case's mean
    evil = table[table["case_id"] == helpers.EVIL_ID].iloc[0]
    assert evil["n_judges"] == 2 and evil["title"] == helpers.EVIL_TITLE
    agreement = report.agreement_table()
    assert not agreement.empty

    report.show_all()  # draws every figure (outside a kernel the display calls print)
    assert {"score_distribution", "totals_by_judge", "rank_intervals", "metric_overview"} <= set(
        report.figures
    )
    saved = report.save(tmp_path)
    assert saved["xlsx"].name == "ranking_report__사회적경제__시.xlsx"
    book = openpyxl.load_workbook(saved["xlsx"])
    assert book.sheetnames[:3] == ["안내", "순위 ranking", "수상 awards"]
    sheet = book["순위 ranking"]
    header = [c.value for c in sheet[1]]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert len(rows) == 10
    assert rows[0][header.index("award")] == "최우수상" and rows[0][header.index("rank")] == 1
    assert helpers.EVIL_TITLE in [r[header.index("title")] for r in rows]
    assert saved["rank_intervals"].stat().st_size > 5000


def test_without_judges_the_report_says_it_ranks_by_prescores(scored, seed_workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    helpers, _ = scored
    report = RankingReport.build(helpers.RUBRIC, seed_workspace, field="사회적경제", group="시")
    assert report.basis == "prescores"
    assert any("PRE-SCORES" in note for note in report.notes)
    assert len(report.ranking) == 9 and report.scores.empty
    saved = report.save(tmp_path)
    notes = [c.value for c in openpyxl.load_workbook(saved["xlsx"])["안내"]["A"]]
    assert any("사전점수" in str(n) for n in notes)  # the workbook says it too
    assert not seed_workspace.scores_db.exists()  # building a report writes nothing to the workspace


def test_unknown_group_is_a_clear_error(scored) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored
    with pytest.raises(WorkspaceError, match="구분=군"):
        RankingReport.build(helpers.RUBRIC, ws, field="사회적경제", group="군")
