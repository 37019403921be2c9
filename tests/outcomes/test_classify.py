"""The classifier on the seed book's real lines, and on small made-up lines that isolate one rule."""

from __future__ import annotations

import pytest

from casekit.ingest.model import Line
from casekit.metrics import extract_metrics
from casekit.outcomes.classify import classify_case, temporal_of
from casekit.parse.model import Case


def _at(indicators, municipality, line, text):  # type: ignore[no-untyped-def]
    found = [i for i in indicators if i.municipality == municipality and i.line == line and i.text == text]
    assert len(found) == 1, [(i.line, i.text, i.category) for i in indicators if i.line == line]
    return found[0]


def test_suwon_jobs_created_is_a_jobs_indicator_of_70_at_its_line(seed_indicators, seed_path) -> None:  # type: ignore[no-untyped-def]
    jobs = _at(seed_indicators, "수원시", 325, "70명")
    line = seed_path.read_text(encoding="utf-8").splitlines()[jobs.line - 1]
    assert "일자리창출 : 19개 기업 70명" in line and line[jobs.col :].startswith("70명")
    assert (jobs.category, jobs.category_name, jobs.norm, jobs.temporal) == ("jobs", "일자리", 70.0, "actual")
    # the same line's other figures are the enterprises and the money, not jobs
    assert _at(seed_indicators, "수원시", 325, "19개").category == "organizations"
    assert _at(seed_indicators, "수원시", 325, "381,717천원").category == "budget"


def test_yeoju_786_jobs_are_a_forecast_in_both_places(seed_indicators) -> None:  # type: ignore[no-untyped-def]
    # "총 786명의 일자리 창출로 … 고용유발 효과가 / 있는 것으로 분석됨" and "… 786명으로 … 추정됨"
    for line in (1173, 1478):
        jobs = _at(seed_indicators, "여주시", line, "786명")
        assert (jobs.category, jobs.temporal) == ("jobs", "forecast")
    # the 438만 visitors of the same feasibility study are estimated too
    assert _at(seed_indicators, "여주시", 1169, "438만명").temporal == "forecast"


def test_cheongju_trainees_who_found_work_are_jobs_the_trainees_beneficiaries(seed_indicators) -> None:  # type: ignore[no-untyped-def]
    # "바이오제약 품질관리 교육 과정 운영(교육23명, 취업 17명)"
    assert _at(seed_indicators, "청주시", 1798, "17명").category == "jobs"
    assert _at(seed_indicators, "청주시", 1798, "23명").category == "beneficiaries"
    assert _at(seed_indicators, "청주시", 2014, "50명").category == "jobs"  # "102명수료, 50명 취업"


def test_every_seed_case_has_indicators_in_at_least_five_categories(seed_indicators, seed_cases) -> None:  # type: ignore[no-untyped-def]
    per_case: dict[str, set[str]] = {}
    for indicator in seed_indicators:
        per_case.setdefault(indicator.case_id, set()).add(indicator.category)
    assert set(per_case) == {c.id for c in seed_cases}
    assert min(len(v) for v in per_case.values()) >= 5, {k: sorted(v) for k, v in per_case.items()}


def _case(*texts: str) -> Case:
    lines = [Line(text=t, number=n) for n, t in enumerate(texts, start=1)]
    return Case(
        id="t-1",
        source="made.txt",
        region=None,
        municipality="가상시",
        group=None,
        field=None,
        title="시험",
        pledges=[],
        summary="",
        sections=[],
        lines=lines,
        line_start=1,
        line_end=len(lines),
    )


def _classify(*texts: str):  # type: ignore[no-untyped-def]
    case = _case(*texts)
    rows = [m.to_dict() for m in extract_metrics(case)]
    return {i.text: i for i in classify_case(case, rows, synonyms=False)}


def test_a_change_keeps_its_before_figure_and_both_share_the_category() -> None:
    found = _classify("❍ 청년 일자리 창출 400명 → 301명 (공모 결과)")
    assert found["301명"].category == "jobs" and found["301명"].before == 400.0
    assert found["400명"].role == "before"


def test_unknown_stays_unknown() -> None:
    found = _classify(
        "❍ 1983년 수도권정비계획법 시행 이후 30년 넘게 규제", "❍ 홍보물 2,600부 배부, 5개 분야 발굴"
    )
    assert found == {}  # durations, copies printed and "분야" count no outcome


def test_thresholds_and_wages_are_not_outcomes() -> None:
    found = _classify("근로자 30인 이상 기업 중 여성근로자 30%이상인 기업", "❍ 생활임금 : 7,910원 적용")
    assert found == {}


def test_households_count_as_beneficiaries_and_a_session_count_as_a_program() -> None:
    found = _classify("- 구성현황 : 5개마을 376가구 797명 참여", "▸ 찾아가는 교육 : 총 12회 360명 참여")
    assert found["376가구"].category == "beneficiaries"
    assert found["797명"].category == "beneficiaries"
    assert found["5개"].category == "organizations"
    assert found["12회"].category == "programs"
    assert found["360명"].total  # "총 12회 360명": the text calls the line's figures a total


def test_temporal_reads_estimates_and_pledges() -> None:
    row = {"temporal": "actual"}
    assert (
        temporal_of(row, "총 786명의 일자리 창출로 연간 40여명의 고용유발 효과가", "있는 것으로 분석됨")
        == "forecast"
    )
    assert temporal_of(row, "관련공약 일자리센터 1만명 취업달성", "", "관련공약 일자리센터 ") == "planned"
    assert temporal_of(row, "일자리 15명(상근 12, 비상근 3)", "") == "actual"
    assert temporal_of({"temporal": "planned"}, "2019년 10,000명 목표", "") == "planned"


def test_cong_near_synonyms_reach_words_the_curated_list_lacks() -> None:
    # "취직" is no curated cue of any category: only the cong model's neighbours of 취업 know it.
    case = _case("❍ 신규 취직 45명 (2016년)")
    rows = [m.to_dict() for m in extract_metrics(case)]
    with_synonyms = {i.text: i for i in classify_case(case, rows)}
    assert with_synonyms["45명"].category == "jobs"
    assert any("≈" in cue for cue in with_synonyms["45명"].cues)


# -- HTML tables: each <tr> is one tab-separated row, a figure keeps its cell's own line and column ----------

_PAGES = {
    "pledge": "realdocs/boryeong/sub03_05_pledge_changes.excerpt.html",
    "committee": "realdocs/dangjin/sub06_sub06_11_06_01.jsp.html",
    "targets": "realdocs/dangjin/sub03_sub03_12_03.jsp.html",
    "loans": "realdocs/dangjin/sub05_sub05_03_01_03.jsp.html",
}


@pytest.fixture(scope="module")
def html_indicators(tmp_path_factory, seed_path):  # type: ignore[no-untyped-def]
    from casekit.outcomes import workspace_indicators
    from casekit.pipeline import ingest
    from casekit.store import Workspace

    shared = seed_path.resolve().parents[1]
    paths = {name: shared / page for name, page in _PAGES.items()}
    if not all(p.is_file() for p in paths.values()):
        pytest.skip("../shared/realdocs not beside the repo")
    ws = Workspace(tmp_path_factory.mktemp("html") / "data")
    ingest(list(paths.values()), ws)
    by_page: dict[str, list] = {name: [] for name in paths}  # type: ignore[type-arg]
    for indicator in workspace_indicators(ws):
        name = next(n for n, p in paths.items() if indicator.source.endswith(p.name))
        by_page[name].append(indicator)
    return paths, by_page


def _cell(found, line, text):  # type: ignore[no-untyped-def]
    hits = [i for i in found if i.line == line and i.text == text]
    assert len(hits) == 1, [(i.line, i.col, i.text, i.category) for i in found if abs(i.line - line) < 3]
    return hits[0]


def test_a_cell_of_an_html_row_is_found_at_its_own_line_and_read_by_its_own_cell(html_indicators) -> None:  # type: ignore[no-untyped-def]
    paths, by_page = html_indicators
    # <td>노인 500명</td> stands on line 31 of the page, the row (<tr>) opens on line 29
    elder = _cell(by_page["committee"], 31, "500명")
    raw = paths["committee"].read_text(encoding="utf-8").splitlines()[30]
    assert raw[elder.col :].startswith("500명") and elder.category == "beneficiaries"
    # the pledge row's other cells speak of 청년 신청자, 시민평가단: the change cell is jobs, both figures
    for text in ("400명", "301명"):
        assert _cell(by_page["pledge"], 28, text).category == "jobs"
    assert _cell(by_page["pledge"], 28, "301명").before == 400.0


def test_a_table_row_is_read_by_its_row_header_and_the_noun_it_counts(html_indicators) -> None:  # type: ignore[no-untyped-def]
    _, by_page = html_indicators
    # "에너지자립마을 수(누적) | 2 | 20 | 50": villages; "… 양성 프로그램수(연간)": programmes, not 전문인력
    assert {_cell(by_page["targets"], line, text).category for line, text in ((107, "2"), (109, "50"))} == {
        "organizations"
    }
    assert _cell(by_page["targets"], 102, "5").category == "programs"
    assert _cell(by_page["targets"], 153, "442").category == "budget"
    # "… 에너지효율화 사업건수(연간)" counts 사업, as "3개 사업" does: no category
    assert not [i for i in by_page["targets"] if i.line in (93, 94, 95)]


def test_an_interest_rate_in_a_loan_table_is_a_condition_not_a_rate(html_indicators) -> None:  # type: ignore[no-untyped-def]
    _, by_page = html_indicators
    loans = by_page["loans"]
    assert _cell(loans, 27, "20억원").category == "budget"  # 융자한도액: a support cap
    assert not [i for i in loans if i.kind == "percent" and i.category == "rates"], [
        (i.line, i.text) for i in loans if i.category == "rates"
    ]
