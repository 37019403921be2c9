"""Escaping and the index page: case text from municipalities must never become markup."""

from __future__ import annotations

import pandas as pd

from casekit.report.html import esc, href, index_page, page, table_html

EVIL = "<script>alert(1)</script>"


def test_table_escapes_every_cell_and_header() -> None:
    frame = pd.DataFrame({"title": [EVIL, "수원시 \"따옴표\" & 'x'"], "<th>": [1.5, float("nan")]})
    markup = table_html(frame)
    assert EVIL not in markup and "<th><th>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "&quot;따옴표&quot; &amp; &#x27;x&#x27;" in markup
    assert '<td class="num">1.50</td>' in markup  # numbers formatted and right-aligned
    assert '<td class="num"></td>' in markup  # NaN is an empty cell, not "nan"


def test_table_from_records_keeps_column_order_and_reports_cut_rows() -> None:
    rows = [{"a": i, "b": f"r{i}"} for i in range(5)]
    markup = table_html(rows, max_rows=2, headers={"a": "순번"})
    assert markup.index("순번") < markup.index("<th>b</th>")
    assert markup.count("<tr>") == 3  # header + 2 rows
    assert "3 more rows not shown (of 5)" in markup


def test_page_and_link_escaping() -> None:
    assert "<title>&lt;script&gt;" in page(EVIL, "")
    assert href("ranking_report__사회적경제__시 #1.html") == (
        "ranking_report__%EC%82%AC%ED%9A%8C%EC%A0%81%EA%B2%BD%EC%A0%9C__%EC%8B%9C%20%231.html"
    )
    assert esc(None) == "" and esc(float("nan")) == ""


def test_index_page_lists_every_run_with_status_links_and_escaped_error() -> None:
    entries = [
        {
            "name": "ranking_report__사회적경제__시",
            "title": f"순위 {EVIL}",
            "notebook": "ranking_report",
            "parameters": {"field": "사회적경제", "group": "시", "workspace": "/secret/path"},
            "status": "ok",
            "duration_s": 3.21,
            "outputs": {"html": "ranking_report__사회적경제__시.html", "xlsx": "r.xlsx"},
            "summary": {
                "basis": "prescores",
                "awards": [{"award": "최우수상", "municipality": "<b>악성시</b>"}],
            },
        },
        {
            "name": "ranking_report__도시재생__군",
            "notebook": "ranking_report",
            "parameters": {"field": "도시재생"},
            "status": "failed",
            "duration_s": 1.0,
            "error": f"ValueError: {EVIL}",
            "outputs": {},
        },
    ]
    markup = index_page(entries, notes=[f"1 case(s) have no 분야: {EVIL}"])
    assert EVIL not in markup
    assert markup.count("&lt;script&gt;") == 3 and "<b>악성시" not in markup
    assert "최우수상 &lt;b&gt;악성시&lt;/b&gt;" in markup and "pre-scores, provisional" in markup
    assert "2 reports — failed: 1, ok: 1" in markup
    assert 'href="ranking_report__%EC%82%AC' in markup and ">xlsx</a>" in markup
    assert "field=사회적경제; group=시" in markup and "/secret/path" not in markup
    assert 'class="ck-failed"' in markup and "3.2" in markup
