"""HTML input: pages and fragments keep tables as rows of cells, with evidence in the original file."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.ingest import read_source
from casekit.ingest.html import html_lines, is_html, line_position

REALDOCS = next(
    (
        p
        for p in (
            Path(__file__).resolve().parents[2].parent / "shared" / "realdocs",
            Path("/work/shared/realdocs"),
        )
        if p.is_dir()
    ),
    None,
)

PAGE = """<%@ page language="java" contentType="text/html; charset=UTF-8"%>
<style>.x{width:100%;padding:0 0 0 25%}</style>
<h2>사업 현황</h2>
<!-- <p>삭제된 문단 500명</p> -->
<p class="right">(단위 : 백만원)</p>
<table>
  <caption><strong>경영 정보</strong></caption>
  <thead>
    <tr>
      <th rowspan="2">년도</th>
      <th colspan="2">재무상태</th>
    </tr>
    <tr>
      <th>자산</th>
      <th>부채</th>
    </tr>
  </thead>
  <tbody>
    <tr>
      <td>2015</td>
      <td>155,964</td>
      <td>&nbsp;</td>
    </tr>
  </tbody>
</table>
<ul><li>참여 &amp; 협력 20명</li></ul>
"""


def test_page_rows_are_tab_separated_in_grid_order() -> None:
    lines = html_lines(PAGE.splitlines())
    texts = [line.text for line in lines]
    assert texts == [
        "사업 현황",
        "(단위 : 백만원)",
        "경영 정보",
        "년도\t재무상태\t재무상태",
        "년도\t자산\t부채",
        "2015\t155,964",
        "참여 & 협력 20명",
    ]


def test_row_evidence_points_at_each_cell_in_the_original_file() -> None:
    raw = PAGE.splitlines()
    row = next(line for line in html_lines(raw) if line.text.startswith("2015"))
    number, col = line_position(row, row.text.index("155,964"))
    assert raw[number - 1][col:].startswith("155,964")
    number, col = line_position(row, 0)
    assert raw[number - 1][col:].startswith("2015")


def test_spanning_cells_map_to_their_one_place() -> None:
    raw = PAGE.splitlines()
    header = [line for line in html_lines(raw) if line.text.startswith("년도")]
    second = header[1]
    number, col = line_position(second, 0)  # "년도" spans two rows: both point at the one cell
    assert raw[number - 1][col:].startswith("년도</th>")
    number, col = line_position(second, second.text.index("부채"))
    assert raw[number - 1][col:].startswith("부채")


def test_fragment_in_text_keeps_other_lines_as_repair_reads_them() -> None:
    raw = [
        "○ 지원금액 : 30,000천원",
        "<table><tr><td>구분</td><td>2023</td></tr>",
        "<tr><td>예산</td><td>1,200</td></tr></table>",
    ]
    assert is_html(raw, ".txt") and not is_html(["<통계청 2016년 기준> 30명"], ".txt")
    lines = html_lines(raw, whole_page=False)
    assert [(line.number, line.text) for line in lines] == [
        (1, "○ 지원금액 : 30,000천원"),
        (2, "구분\t2023"),
        (3, "예산\t1,200"),
    ]
    row = lines[2]
    assert line_position(row, row.text.index("1,200")) == (3, raw[2].index("1,200"))


def test_cell_with_list_items_and_line_breaks() -> None:
    raw = [
        "<table><tr><td>변경<ul><li>사업비 555억원 → 505억원</li><li>기간 연장</li></ul></td>",
        "<td>1<br>2</td></tr></table>",
    ]
    (row,) = html_lines(raw)
    assert row.text == "변경 / 사업비 555억원 → 505억원 / 기간 연장\t1 2"


def test_nested_table_joins_its_cell() -> None:
    raw = ["<table><tr><td>A<table><tr><td>x</td><td>5</td></tr></table></td><td>9</td></tr></table>"]
    (row,) = html_lines(raw)
    assert row.text.split("\t")[-1] == "9" and "x" in row.text


@pytest.mark.skipif(REALDOCS is None, reason="real documents not beside the repo")
def test_real_page_reads_its_tables(tmp_path: Path) -> None:
    assert REALDOCS is not None
    doc = read_source(REALDOCS / "dangjin" / "sub05_sub05_04_01.jsp.html")
    texts = [line.text for line in doc.lines]
    assert "농가호수(호)\t12,195\t11,946\t11,702\t11,160\t10,908" in texts
    assert not any("가구당면적" in t for t in texts)  # commented out in the page
    assert not any("<" in t and ">" in t for t in texts)  # no markup left


def test_suffix_decides_page_or_text(tmp_path: Path) -> None:
    page = tmp_path / "a.htm"
    page.write_text("<div><p>참여 120명</p></div>\n<img src='x.png' alt='로고'>\n", encoding="utf-8")
    assert [line.text for line in read_source(page).lines] == ["참여 120명"]
    text = tmp_path / "a.txt"
    text.write_text("참여 120명\n", encoding="utf-8")
    assert [line.text for line in read_source(text).lines] == ["참여 120명"]
