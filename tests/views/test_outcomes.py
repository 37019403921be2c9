"""The judge's block of headline indicators for one case, and the ranking report's comparable table."""

from __future__ import annotations

import html as htmllib
import re

import openpyxl

from casekit.views.outcomes import case_outcomes_html
from casekit.views.ranking import RankingReport


def test_a_case_block_lists_its_headlines_with_evidence_lines(seed_workspace) -> None:  # type: ignore[no-untyped-def]
    case = seed_workspace.find_case("여주시")
    markup = case_outcomes_html(seed_workspace, case)
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", markup))
    assert "핵심 성과지표" in text and "일자리" in text and "참여·수혜 인원" in text
    assert "786명 (추정)" in text and "추정" in text
    assert "1173" in text and "786명의 일자리 창출로" in text  # the line number and its text


def test_case_text_is_escaped_in_the_block(scored) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored
    markup = case_outcomes_html(ws, ws.load_case(helpers.EVIL_ID))
    assert "<script>" not in markup


def test_the_ranking_report_compares_headline_jobs_in_a_korean_table(scored, tmp_path) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored
    report = RankingReport.build(helpers.RUBRIC, ws, field="사회적경제", group="시")
    table = report.outcome_table()
    assert list(table.columns[:4]) == ["지자체", "일자리", "예산·사업비", "참여·수혜 인원"]
    jobs = dict(zip(table["지자체"], table["일자리"]))
    assert jobs["여주시"] == "786명 (추정)" and jobs["청주시"].endswith("명")
    # rows follow the ranking
    ranked = [m for m in report.ranking_table()["municipality"] if m in set(table["지자체"])]
    assert table["지자체"].tolist() == ranked
    report.show_metrics()
    assert "metric_overview" in report.figures
    saved = report.save(tmp_path)
    book = openpyxl.load_workbook(saved["xlsx"])
    assert {"핵심지표 headlines", "성과지표 indicators"} <= set(book.sheetnames)
    assert saved["metric_overview"].stat().st_size > 10000
