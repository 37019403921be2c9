"""Text repair on the damage shapes converters really produce, and the map back to original columns."""

from __future__ import annotations

import unicodedata

import pytest

from casekit.ingest.repair import repair_line, repair_lines, repair_text


@pytest.mark.parametrize(
    ("damaged", "clean"),
    [
        (
            "사 례 명 경력단절 여성에게 내일(JOB)내일(JOB)이 있는 청주청주청주 !!!!!!",
            "사 례 명 경력단절 여성에게 내일(JOB)이 있는 청주!!",
        ),
        ("□ 추진목적□ 추진목적□ 추진목적", "□ 추진목적"),
        (
            "민․관 협력을 통한 기술기반형 사회적기업기술기반형 사회적기업기술기반형 사회적기업 육성",
            "민·관 협력을 통한 기술기반형 사회적기업 육성",
        ),
        (
            " □ 버려지는 기술로 희망의 일자리를 만들다! □ 버려지는 기술로 희망의 일자리를 만들다! "
            "□ 버려지는 기술로 희망의 일자리를 만들다!",
            "□ 버려지는 기술로 희망의 일자리를 만들다!",
        ),
        ("1분야� (사회적경제)", "1분야 (사회적경제)"),
        ("중‧소형 UPS∙배터리", "중·소형 UPS·배터리"),
    ],
)
def test_extraction_damage_is_repaired(damaged, clean):
    assert repair_text(damaged) == clean


@pytest.mark.parametrize(
    "genuine",
    [
        "차곡차곡 쌓아 온 구석구석 마을 이야기",  # doubled two-syllable words are ordinary Korean
        "구분 100 100 100 합계 300",  # equal table cells are data, not bold print
        "- - -",
        "하하 호호 웃는 마을",
        "신규인증(3년) 재 인증(3년) 재 인증 연장(2년)",  # seed line 1949: a repeat that starts inside a word
    ],
)
def test_genuine_repetition_is_kept(genuine):
    assert repair_text(genuine) == genuine


def test_page_footers_and_blank_lines_are_dropped_but_numbering_is_original():
    lines = repair_lines(["첫 줄", "", "- 33 -", "  12 / 80 ", "둘째 줄 1,000명"])
    assert [(line.number, line.text) for line in lines] == [(1, "첫 줄"), (5, "둘째 줄 1,000명")]


def test_columns_map_back_through_removed_and_collapsed_text():
    raw = "�� 창업자금□ 창업자금 5개팀 40,000천원 지원"
    (line,) = repair_line(raw, 3)
    assert line.text.startswith("창업자금")
    offset = line.text.index("40,000")
    assert raw[line.original_col(offset) :].startswith("40,000")
    assert line.original == raw


def test_nfd_hangul_is_composed_and_mapped():
    raw = unicodedata.normalize("NFD", "사업비 3억원")
    (line,) = repair_line(raw, 1)
    assert line.text == "사업비 3억원"
    assert raw[line.original_col(line.text.index("3"))] == "3"


def test_html_list_markup_becomes_lines_with_columns():
    raw = "<ul><li>○ 지원금액 : 30,000천원</li><li>참여 &amp; 협력 20명</li></ul>"
    lines = repair_line(raw, 9)
    assert [line.text for line in lines] == ["○ 지원금액 : 30,000천원", "참여 & 협력 20명"]
    second = lines[1]
    assert raw[second.original_col(second.text.index("20명")) :].startswith("20명")


def test_very_long_line_is_repaired_quickly():
    # Converters sometimes emit a whole page as one line; the repeat search must stay linear-ish.
    raw = "사회적경제 기업 육성 지원 " * 2000
    (line,) = repair_line(raw, 1)
    assert "사회적경제" in line.text


def test_html_table_cells_stay_apart():
    raw = "<table><tr><th>구분</th><th>목표</th><th>실적</th></tr><tr><td>일자리</td><td>1,000</td><td>1,150</td></tr>"
    header, row = repair_line(raw, 4)
    assert header.text == "구분\t목표\t실적"
    assert row.text == "일자리\t1,000\t1,150"
    assert raw[row.original_col(row.text.index("1,150")) :].startswith("1,150")
