"""The extractor on text in the shapes real inputs take: prose, lists, work-report tables, TSV, HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.ingest.model import Line
from casekit.metrics import extract_from_lines, extract_from_text
from tests.metrics.texts import extract, lines_of, one


@pytest.mark.parametrize(
    ("text", "kind", "norm", "unit", "currency"),
    [
        ("▸ 사회적경제기업 창업자금 지원 40,000천원", "money", 40_000_000, "원", "KRW"),
        ("총사업비 1억 5천만원 확보", "money", 150_000_000, "원", "KRW"),
        ("사업비 2천만원", "money", 20_000_000, "원", "KRW"),
        ("우수상(40억확보)", "money", 4_000_000_000, "원", "KRW"),
        ("사 업 비 : 47억 원", "money", 4_700_000_000, "원", "KRW"),
        ("수출 실적 1,317,939천불", "money", 1_317_939_000, "달러", "USD"),
        ("해외 투자 $2.5만 유치", "money", 25_000, "달러", "USD"),
        ("관련공약 1만명 취업달성", "persons", 10_000, "명", None),
        ("방문객 35천명 증가", "persons", 35_000, "명", None),
        ("공업용지 : 3만㎡이내", "area", 30_000, "㎡", None),
        ("대지면적 7,622m2", "area", 7_622, "㎡", None),
        ("산업단지 조성(300만평)", "area", 3_000_000 * 400 / 121, "㎡", None),
        ("햇빛발전시설 10.08kw 설치", "power", 10.08, "kW", None),
        ("지원기간 6개월 이내 창업", "duration", 6, "개월", None),
        ("매출 3배 증가", "ratio", 3, "배", None),
        ("공공데이터 정보시스템 60% 개방", "percent", 60, "%", None),
        ("고용률 1.7%p 상승", "percent", 1.7, "%p", None),
        ("전년 대비 -12.2% 감소", "percent", -12.2, "%", None),
        ("민원 처리 △2건", "count", -2, "건", None),
        ("창업보육실(19실)", "count", 19, "실", None),
        ("시내 호텔 객실 비치(2,000여권)", "count", 2000, "권", None),
        ("학교 공유경제교육 : 2개교", "count", 2, "개교", None),
    ],
)
def test_prose_quantities(text: str, kind: str, norm: float, unit: str, currency: str | None) -> None:
    metric = one(text)
    assert (metric.kind, metric.unit, metric.currency) == (kind, unit, currency)
    assert metric.norm == pytest.approx(norm)
    assert metric.value * metric.multiplier == pytest.approx(metric.norm)


@pytest.mark.parametrize(
    "text",
    [
        "조례 제정('16. 6. 14)",
        "한마당 개최 : 2016. 5. 28.(토)",
        "10.31기준 현황",
        "사업기간 : 2015~2017",
        "2016 제5회 사회적경제 한마당",
        "1차(3~4월), 2차(10~11월)",
        "2단계 사업, 3호점 개점, 1호기 건립, 1분야 선정, 5급 공무원",
        "조례 15-1 개정, 제11조 신설, 지상 3층, 경기도 1위",
        "문의 031-228-2114",
        "경기도 남양주시 화도읍 비룡로 411번길 100",
        "2008년식 차량 교체",
        "- 33 -",
        "경기 수원시 1 시 사람중심의 가치 실현! 11",
        "민선6기 공약, 민선 7대 성과",
        "조례 11조 (여성의 취·창업 활성화)",
        "2016년 전국 규제지도 S등급",
    ],
)
def test_not_quantities(text: str) -> None:
    assert extract(text) == []


def test_ranges_and_arrows_share_the_unit() -> None:
    found = extract(
        "청년 15~20명 참여\n【공구도서관 운영 : 4 → 8개소】\n투자 3～30억원\n여성새로일하기센터 확충(1개소 ➡ 2개소)"
    )
    assert [(m.line, m.text, m.norm, m.unit) for m in found] == [
        (1, "15", 15, "명"),
        (1, "20명", 20, "명"),
        (2, "4", 4, "개소"),
        (2, "8개소", 8, "개소"),
        (3, "3", 300_000_000, "원"),
        (3, "30억원", 3_000_000_000, "원"),
        (4, "1개소", 1, "개소"),
        (4, "2개소", 2, "개소"),
    ]


def test_breakdown_in_parentheses_shares_the_total_unit() -> None:
    found = extract("○ 사 업 비 : 18,200백만원(국비 9,100 지방비 9,100)")
    assert [(m.label, m.norm) for m in found] == [
        ("사 업 비", 18_200_000_000),
        ("국비", 9_100_000_000),
        ("지방비", 9_100_000_000),
    ]


def test_planned_figures() -> None:
    found = extract(
        "❍ 생활임금 : 7,910원  ‣ 2019년 10,000원 인상 목표\n□ 일자리 14,739개 창출 : 목표 1만개 대비 150% 창출"
    )
    assert [(m.text, m.temporal) for m in found] == [
        ("7,910원", "actual"),
        ("10,000원", "planned"),
        ("14,739개", "actual"),
        ("1만개", "planned"),
        ("150%", "actual"),
    ]


def test_planned_lines_override() -> None:
    found = extract_from_lines(lines_of("사업비 50억원"), planned_lines={1})
    assert found[0].temporal == "planned"


def test_html_list_markup_left_by_converters() -> None:
    line = "<ul><li>○ 지원금액 : 30,000천원</li><li>참여 기업 : 12개소</li></ul>"
    found = extract(line)
    assert [(m.text, m.norm, m.label) for m in found] == [
        ("30,000천원", 30_000_000, "지원금액"),
        ("12개소", 12, "참여 기업"),
    ]
    for metric in found:
        assert line[metric.col : metric.col + len(metric.text)] == metric.text


def test_evidence_maps_to_the_original_line() -> None:
    # The repaired text dropped "청주청주" (a bold repeat) before the figure: 4 characters shifted.
    repaired = Line(
        "청주 여성 30명 취업", 7, segments=((0, 0), (2, 6)), original="청주청주청주 여성 30명 취업"
    )
    metric = extract_from_lines([repaired], case_id="c", source="s")[0]
    assert metric.line == 7
    assert repaired.original_text[metric.col : metric.col + len(metric.text)] == "30명"


def test_plan_section_figures_are_planned_unless_called_results() -> None:
    text = "□ 청년 창업 지원(단위:천원)\n구 분\t2023년 실적\t2024년 계획\n창업자금\t300,000\t350,000\n○ 추진실적 : 120명\n○ 지원 규모 : 80명"
    found = extract_from_lines(lines_of(text), planned_lines={1, 2, 3, 4, 5})
    assert [(m.line, m.text, m.temporal) for m in found] == [
        (3, "300,000", "actual"),
        (3, "350,000", "planned"),
        (4, "120명", "actual"),
        (5, "80명", "planned"),
    ]


def test_figure_broken_over_two_lines() -> None:
    found = extract("생산유발효과 57,087백\n만원, 소득유발효과 12,416백만원\n참여 인원 120 \n명")
    assert [(m.line, m.text, m.norm) for m in found] == [
        (1, "57,087백", 57_087_000_000),
        (2, "12,416백만원", 12_416_000_000),
        (3, "120", 120),
    ]


def test_line_end_number_then_a_word_starting_like_a_unit() -> None:
    assert extract("경기 여주시 1 시 지역 협동조합 활성화 기반마련 34\n원주시 1 시 문화 41\n명단 제출") == []


def test_korean_notes_in_angle_brackets_keep_their_figures() -> None:
    # Only tags (a Latin letter, "/" or "!" after "<") are markup; a note in angle brackets is text.
    found = extract("<사업비 30억원 확보> <b>참여 120명</b>")
    assert [(m.text, m.norm, m.label) for m in found] == [
        ("30억원", 3_000_000_000, "사업비"),
        ("120명", 120, "참여"),
    ]


def test_breakdown_in_full_width_parentheses() -> None:
    found = extract("○ 고용인원 15명（상근 12, 비상근 3）")
    assert [(m.text, m.kind, m.norm, m.label) for m in found] == [
        ("15명", "persons", 15, "고용인원"),
        ("12", "persons", 12, "상근"),
        ("3", "persons", 3, "비상근"),
    ]


def test_which_lines_the_scan_reads() -> None:
    # One scan of the whole text picks the lines read in Python: figures with a unit (prose) and runs of
    # cells (table rows). Dates ("2016. 5. 28.") and years before 년 are neither; a cell never ends in ".".
    from itertools import accumulate

    from casekit.metrics.extract import _lines_worth_reading

    texts = [
        "○ 행사 개최 : 2016. 5. 28.(토)",
        "2016년 규제개혁 우수기관",
        "예산 93 682",
        "참여 30명",
        "지원 3년간 30 40명 50명",
        "조례 제정(‘16. 6. 14)",
    ]
    starts = [0, *accumulate(len(t) + 1 for t in texts[:-1])]
    assert _lines_worth_reading("\n".join(texts), starts) == ([3, 4], [2, 4])


def test_extract_from_text_reads_as_the_lines_do(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    from_text = extract_from_text(text, case_id="c", source="s.txt")
    assert len(from_text) > 700
    assert [m.to_dict() for m in from_text] == [m.to_dict() for m in extract(text)]


def test_extract_from_text_counts_lines_as_ingest_does() -> None:
    text = "사업비 3억원\r\n\r\n   \r\n참여 120명\u2028지원 5개소\n"
    found = extract_from_text(text)
    assert [(m.line, m.col, m.text) for m in found] == [(1, 4, "3억원"), (4, 3, "120명"), (5, 3, "5개소")]
    lines = text.splitlines()
    for metric in found:
        assert lines[metric.line - 1][metric.col : metric.col + len(metric.text)] == metric.text
    assert extract_from_text("") == [] and extract_from_text("\n \n") == []
