"""The extractor on text in the shapes real inputs take: prose, lists, work-report tables, TSV, HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.ingest.model import Line
from casekit.metrics import extract_from_lines, extract_from_text
from casekit.metrics.model import Metric


def lines_of(text: str) -> list[Line]:
    return [Line(t, i + 1) for i, t in enumerate(text.split("\n")) if t.strip()]


def extract(text: str) -> list[Metric]:
    return extract_from_lines(lines_of(text), case_id="c", source="s.txt")


def one(text: str) -> Metric:
    found = extract(text)
    assert len(found) == 1, [m.text for m in found]
    return found[0]


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


WORK_REPORT = """\
2024년 주요업무계획
1. 청년 창업 지원
(단위 : 천원)
사업명 예산액 집행액 집행률
청년창업지원 30,000 25,000 83.3
소상공인 컨설팅 12,500 12,500 100.0
2. 일자리 현황
구분 2022 2023 증감
취업자 수(명) 1,200 1,350 150
"""


def test_work_report_table_units_and_labels() -> None:
    found = extract(WORK_REPORT)
    rows = [(m.line, m.text, m.kind, m.norm, m.table, m.label) for m in found]
    assert (5, "30,000", "money", 30_000_000, True, "청년창업지원 예산액") in rows
    assert (5, "25,000", "money", 25_000_000, True, "청년창업지원 집행액") in rows
    assert (5, "83.3", "percent", 83.3, True, "청년창업지원 집행률") in rows
    assert (6, "100.0", "percent", 100.0, True, "소상공인 컨설팅 집행률") in rows
    assert (9, "1,350", "persons", 1350, True, "취업자 수 2023") in rows
    years = [m for m in found if m.line == 8]
    assert years == []  # the header of years is not a row of figures
    assert all(m.line != 1 for m in found)  # "2024년" in a title is a date


def test_unit_declared_after_the_table() -> None:
    text = "취업 유지 현황\n계 수급자 차상위\n59 28 14\n(단위 : 명)\n"
    found = extract(text)
    assert [(m.text, m.kind, m.table) for m in found] == [
        ("59", "persons", True),
        ("28", "persons", True),
        ("14", "persons", True),
    ]


def test_tab_separated_table_with_column_units() -> None:
    text = "구분\t예산(백만원)\t인원(명)\t비율(%)\n본청\t1,200\t35\t12.5\n사업소\t300\t8\t3.1\n"
    found = extract(text)
    assert [(m.line, m.kind, m.norm) for m in found] == [
        (2, "money", 1_200_000_000),
        (2, "persons", 35),
        (2, "percent", 12.5),
        (3, "money", 300_000_000),
        (3, "persons", 8),
        (3, "percent", 3.1),
    ]


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


def test_html_table_cells_glued_by_repair_are_split_again(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from casekit.metrics import extract_metrics
    from casekit.parse import parse_file

    path = tmp_path / "report.txt"
    row = "<table><tr><td>일자리(개)</td><td>1,000</td><td>1,150</td></tr></table>"
    path.write_text("주요업무보고\n" + row + "\n", encoding="utf-8")
    (case,) = parse_file(path)
    found = extract_metrics(case)
    assert [(m.line, m.text, m.kind, m.norm) for m in found] == [
        (2, "1,000", "count", 1000),
        (2, "1,150", "count", 1150),
    ]
    for metric in found:
        assert row[metric.col : metric.col + len(metric.text)] == metric.text


def test_metrics_frame_has_exactly_the_jsonl_keys() -> None:
    from casekit.metrics import METRIC_KEYS, metrics_frame

    frame = metrics_frame(extract("사업비 3,287백만원, 참여 120명"))
    assert tuple(frame.columns) == METRIC_KEYS
    assert frame["norm"].tolist() == [3_287_000_000, 120]
    empty = metrics_frame([])
    assert tuple(empty.columns) == METRIC_KEYS and len(empty) == 0
    assert extract_from_lines([]) == []


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


def _extract_in_subprocess(code: str, **env: str) -> str:
    import os
    import subprocess
    import sys

    environment = {key: value for key, value in os.environ.items() if key != "CASEKIT_PURE"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**environment, **env}
    )
    return result.stdout


def test_compiled_and_pure_extractors_agree(seed_path: Path) -> None:
    # The mypyc build (when setup built one) must answer exactly as the Python it was compiled from.
    code = (
        "import json, sys; import casekit.metrics as m; "
        f"text = open({str(seed_path)!r}, encoding='utf-8').read() + '\\n' + {WORK_REPORT!r}; "
        "print(m.NATIVE); print(json.dumps([x.to_dict() for x in m.extract_from_text(text)], ensure_ascii=False))"
    )
    native_out = _extract_in_subprocess(code)
    pure_out = _extract_in_subprocess(code, CASEKIT_PURE="1")
    assert pure_out.splitlines()[0] == "False"
    assert native_out.splitlines()[1] == pure_out.splitlines()[1]


def test_a_build_of_other_sources_is_never_loaded(tmp_path: Path) -> None:
    from casekit.metrics import _native

    real = _native.build_dir()
    if not real.is_dir():
        pytest.skip("no compiled build here (no C compiler or mypyc)")
    import shutil

    stale = tmp_path / "casekit-native" / ("0" * 20)  # a build whose digest is not these sources'
    shutil.copytree(real, stale)
    probe = f"import sys; sys.prefix = {str(tmp_path)!r}; import casekit.metrics as m; print(m.NATIVE)"
    assert _extract_in_subprocess(probe).strip() == "False"
    stale.rename(tmp_path / "casekit-native" / real.name)  # the same files under the right digest
    assert _extract_in_subprocess(probe).strip() == "True"


def test_a_damaged_build_falls_back_to_pure_python(tmp_path: Path) -> None:
    from casekit.metrics import _native

    build = tmp_path / "casekit-native" / _native.build_dir().name / "casekit" / "metrics"
    build.mkdir(parents=True)
    for name in _native.COMPILED:
        (build / f"{name}{_native.SUFFIX}").write_bytes(b"not a shared library")
    probe = (
        f"import sys; sys.prefix = {str(tmp_path)!r}; import casekit.metrics as m; "
        "print(m.NATIVE, m.extract_from_text('참여 30명')[0].norm)"
    )
    assert _extract_in_subprocess(probe).split() == ["False", "30.0"]
