"""The 체감성 pre-score signal reading outcome indicators ("outcome:jobs" …) instead of raw metric kinds."""

from __future__ import annotations

from pathlib import Path

from casekit.rubric import load_rubric
from casekit.score.prescore import prescore_cases

RUBRIC = Path(__file__).resolve().parents[2] / "rubrics" / "manifesto_2017.yaml"


def _rubric_reading_outcomes(tmp_path):  # type: ignore[no-untyped-def]
    text = RUBRIC.read_text(encoding="utf-8")
    assert "metric_kinds: [persons]" in text
    path = tmp_path / "outcomes_rubric.yaml"
    path.write_text(text.replace("metric_kinds: [persons]", "metric_kinds: [outcome:jobs]"), encoding="utf-8")
    return load_rubric(path)


def test_the_impact_signal_counts_achieved_jobs_not_estimates(seed_workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rubric = _rubric_reading_outcomes(tmp_path)
    cases = {c.id: c for c in seed_workspace.load_cases()}
    results = prescore_cases(list(cases.values()), rubric, seed_workspace)
    reached = {
        p.case_id: next(s for s in p.signals if s.id == "reached") for p in results if p.criterion == "impact"
    }
    by_name = {cases[cid].municipality: signal for cid, signal in reached.items()}
    # 청주시 reports jobs its trainees found (취업 17명, 27명, 45명, 50명): counted
    assert by_name["청주시"].used and by_name["청주시"].value >= 4
    assert "outcome:jobs" in by_name["청주시"].detail
    # 여주시's only jobs are the feasibility study's estimate (786명 … 추정됨): no achieved jobs
    assert by_name["여주시"].value == 0.0
    # the evidence lines are the jobs figures' lines
    impact = next(p for p in results if p.criterion == "impact" and cases[p.case_id].municipality == "수원시")
    assert 325 in [e["line"] for e in impact.evidence if e["signal"] == "reached"]


def test_without_a_workspace_the_indicators_come_from_the_case_in_memory(seed_cases, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rubric = _rubric_reading_outcomes(tmp_path)
    cheongju = [c for c in seed_cases if c.municipality == "청주시"]
    results = prescore_cases(cheongju, rubric)
    reached = next(s for p in results if p.criterion == "impact" for s in p.signals if s.id == "reached")
    assert reached.used and reached.value >= 4
