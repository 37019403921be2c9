"""The table model: tab, pipe and space-aligned tables read as grids (headers, label column, per-cell units)."""

from __future__ import annotations

from casekit.metrics.grid import declared_units, find_blocks, split_cells
from tests.metrics.texts import extract


def cells(text: str) -> list[tuple[int, str, str, float, str]]:
    return [(m.line, m.text, m.kind, m.norm, m.label) for m in extract(text)]


def test_caption_unit_reaches_every_cell_and_the_year_column_is_a_label() -> None:
    text = "(단위 : 백만원)\n년도\t자산\t부채\t영업이익\n2015\t155,964\t249\t-5,185\n2016\t166,886\t290\t-5,683\n"
    found = cells(text)
    assert (3, "155,964", "money", 155_964e6, "2015 자산") in found
    assert (3, "-5,185", "money", -5_185e6, "2015 영업이익") in found
    assert not any(t in ("2015", "2016") for _, t, *_ in found)  # years label the rows
    assert len(found) == 6


def test_two_row_header_gives_both_levels_to_the_label() -> None:
    text = (
        "(단위 : 백만원)\n"
        "년도\t재무상태\t재무상태\t예산결산\t예산결산\n"
        "년도\t자산\t부채\t수입\t지출\n"
        "2019\t194,672\t621\t24,002\t16,198\n"
    )
    labels = {t: label for _, t, _, _, label in cells(text)}
    assert labels["194,672"] == "2019 재무상태 자산"
    assert labels["16,198"] == "2019 예산결산 지출"


def test_row_header_units() -> None:
    text = "구분\t2016년\t2017년\n농가호수(호)\t12,195\t11,946\n농업인구(명)\t30,532\t28,309\n경지면적(ha)\t24,632\t24,566\n"
    found = {t: (kind, norm) for _, t, kind, norm, _ in cells(text)}
    assert found["12,195"] == ("count", 12_195)
    assert found["30,532"] == ("persons", 30_532)
    assert found["24,632"] == ("area", 24_632 * 10_000)
    assert "2016" not in "".join(found)  # the header of years gives no figure


def test_column_header_units_and_a_sibling_column_without_one() -> None:
    text = "년도\t자산(천원)\t부채(천원)\t부채비율\t당기순이익\n2009\t58,288,153\t182,601\t0.3%\t591,019\n2014\t146,433,722\t1,935,542\t1.3\t-9,603,137\n"
    found = {t: (kind, norm) for _, t, kind, norm, _ in cells(text)}
    assert found["58,288,153"] == ("money", 58_288_153_000)
    assert found["1.3"] == ("percent", 1.3)  # 비율 says percent where the cell does not
    assert found["-9,603,137"] == ("money", -9_603_137_000)  # the money columns' one unit


def test_multi_unit_caption_picks_the_unit_each_header_speaks_of() -> None:
    text = "(단위 : 명, %)\n연도\t공무원\t여성관리자\t비율\n23년\t67\t8\t11.9\n"
    found = {t: (kind, norm) for _, t, kind, norm, _ in cells(text)}
    assert found == {"67": ("persons", 67), "8": ("persons", 8), "11.9": ("percent", 11.9)}
    text = "친환경 생산현황 (단위:ha/톤)\n구분\t농가수\t면적\t생산량\n계\t86\t169\t6,572\n"
    found = {
        t: (kind, unit, norm)
        for t, kind, unit, norm in ((m.text, m.kind, m.unit, m.norm) for m in extract(text))
    }
    assert found["169"] == ("area", "㎡", 1_690_000)
    assert found["6,572"] == ("other", "톤", 6_572)
    assert found["86"][0] == "count"  # 농가수 counts; neither ha nor 톤 is its unit


def test_row_labels_say_what_is_counted_against_the_frame() -> None:
    text = "(단위 : 백만원)\n구분\t2023\t2024\n예산\t1,200\t1,500\n정원\t35\t38\n집행률\t91.2\t95.0\n"
    found = {t: (kind, norm) for _, t, kind, norm, _ in cells(text)}
    assert found["1,200"] == ("money", 1_200e6)
    assert found["35"] == ("persons", 35)  # 정원 is staff, whatever the frame says
    assert found["91.2"] == ("percent", 91.2)


def test_thousand_persons_frame() -> None:
    text = "(단위 : 천명)\n구분\t2022\t2023\n관광객\t1,250\t1,480\n"
    assert [(t, kind, norm) for _, t, kind, norm, _ in cells(text)] == [
        ("1,250", "persons", 1_250_000),
        ("1,480", "persons", 1_480_000),
    ]


def test_unit_column_governs_the_cells_after_it() -> None:
    text = "구분\t단위\t2022\t2023\n교육\t회\t12\t15\n참여\t명\t340\t410\n"
    found = {t: (kind, unit) for t, kind, unit in ((m.text, m.kind, m.unit) for m in extract(text))}
    assert found["12"] == ("count", "회") and found["410"] == ("persons", "명")


def test_total_rows_keep_the_total_word_and_index_columns_are_not_quantities() -> None:
    text = "연번\t사업명\t예산(천원)\n1\t청년창업\t30,000\n2\t소상공인\t12,500\n계\t\t42,500\n"
    found = cells(text)
    assert [t for _, t, *_ in found] == ["30,000", "12,500", "42,500"]
    assert found[-1][4].startswith("계")


def test_period_headers_and_ordinal_rows_are_not_quantities() -> None:
    text = "구분\t2016~2020\t2021~2025\n1차\t120\t150\n2차\t80\t95\n"
    found = cells(text)
    assert [t for _, t, *_ in found] == ["120", "150", "80", "95"]
    assert found[0][4] == "1차 2016~2020"


def test_breakdown_in_a_bare_cell_keeps_the_cell_unit() -> None:
    text = "(단위 : 백만원)\n사업\t사업비\n도로 정비\t1,500 (국비 900, 시비 600)\n"
    found = [(t, norm) for _, t, _, norm, _ in cells(text)]
    assert found == [("1,500", 1_500e6), ("900", 900e6), ("600", 600e6)]


def test_pipe_table_and_markdown_rule() -> None:
    text = "| 구분 | 예산(억원) | 참여(명) |\n|---|---|---|\n| 본청 | 12 | 340 |\n| 읍면 | 3.5 | 120 |\n"
    found = [(line, t, kind, norm) for line, t, kind, norm, _ in cells(text)]
    assert found == [
        (3, "12", "money", 12e8),
        (3, "340", "persons", 340),
        (4, "3.5", "money", 3.5e8),
        (4, "120", "persons", 120),
    ]


def test_space_aligned_pdf_columns_with_an_empty_cell() -> None:
    text = (
        "(단위 : 명)\n"
        "구분          2021      2022      2023\n"
        "신규채용        45        52        61\n"
        "퇴직            12                  18\n"
    )
    found = {(line, t): label for line, t, _, _, label in cells(text)}
    assert found[(4, "18")] == "퇴직 2023"  # the blank 2022 cell does not shift 18 left
    assert found[(3, "45")] == "신규채용 2021"
    assert len(found) == 5


def test_plan_columns_and_the_current_column() -> None:
    text = "지표\t목표\t목표\t목표\n지표\t현재(2018)\t2030\t2050\n설비용량(MW)\t44\t400\t1,000\n"
    found = {m.text: (m.kind, m.norm, m.temporal) for m in extract(text)}
    assert found["44"] == ("power", 44_000, "actual")
    assert found["400"] == ("power", 400_000, "planned")


def test_helpers() -> None:
    assert [c.text for c in split_cells("a\t\t12", "tab")] == ["a", "", "12"]
    assert [c.text for c in split_cells("| a | 1 |", "pipe")] == ["a", "1"]
    assert [(u[0].unit, u[1]) for u in declared_units(["(단위 : 명, %)"])] == [("명", 1.0), ("%", 1.0)]
    texts = ["x\t1", "y\t2", "prose", "| a | 1 |"]
    assert find_blocks(texts, [0, 1, 3], []) == [("tab", [0, 1]), ("pipe", [3])]


HWP_EXPORT = """<HTML><HEAD><META http-equiv="Content-Type" content="text/html; charset=utf-8"><STYLE>P.HStyle0{margin-left:0pt;line-height:160%;}</STYLE></HEAD><BODY>
<P CLASS=HStyle0><SPAN STYLE='font-size:14.0pt'>□ 2024년 예산 편성 현황</SPAN></P>
<P CLASS=HStyle0 STYLE='text-align:right'>(단위 : 천원)</P>
<TABLE border="1" cellspacing="0" cellpadding="0" style='border-collapse:collapse;border:none;'>
<TR><TD rowspan="2" valign="middle"><P CLASS=HStyle0>구 분</P></TD><TD colspan="2"><P CLASS=HStyle0>2024년</P></TD><TD rowspan="2"><P CLASS=HStyle0>비 고</P></TD></TR>
<TR><TD><P CLASS=HStyle0>예산액</P></TD><TD><P CLASS=HStyle0>정원(명)</P></TD></TR>
<TR><TD><P CLASS=HStyle0>합 계</P></TD><TD><P CLASS=HStyle0>1,234,000</P></TD><TD><P CLASS=HStyle0>45</P></TD><TD><P CLASS=HStyle0>&nbsp;</P></TD></TR>
<TR><TD><P CLASS=HStyle0>복지과</P></TD><TD><P CLASS=HStyle0>834,000<BR>(국비 500,000 도비 334,000)</P></TD><TD><P CLASS=HStyle0>20</P></TD><TD><P CLASS=HStyle0>증 15%</P></TD></TR>
</TABLE>
<P CLASS=HStyle0>○ 경로당 운영비 : 214개소, 개소당 월 35만원</P>
</BODY></HTML>
"""


def test_hwp_html_export_end_to_end(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """한글's own HTML export: upper-case tags, a paragraph in every cell, a breakdown after <BR>, spans."""
    from casekit.metrics import extract_metrics
    from casekit.parse import parse_file

    path = tmp_path / "report.htm"
    path.write_text(HWP_EXPORT, encoding="utf-8")
    raw = HWP_EXPORT.splitlines()
    found = [m for case in parse_file(path) for m in extract_metrics(case)]
    got = {m.text: (m.kind, m.norm, m.label) for m in found}
    assert got["1,234,000"] == ("money", 1_234_000_000, "계 2024년 예산액")
    assert got["45"] == ("persons", 45, "계 2024년 정원")
    assert got["500,000"][:2] == ("money", 500_000_000)  # the breakdown keeps the cell's 천원
    assert got["15%"] == ("percent", 15, "복지과 비 고")
    assert "14.0" not in got and "160" not in "".join(got)  # style sheets are not read
    for m in found:  # every figure points at its own place in the file
        assert raw[m.line - 1][m.col :].startswith(m.text[:3]), m
