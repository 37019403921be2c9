"""The classifier on the seed book's real lines, and on small made-up lines that isolate one rule."""

from __future__ import annotations

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
