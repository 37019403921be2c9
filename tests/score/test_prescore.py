"""Pre-scores on the seed book: suggestions in range, evidence lines that really say what the signal counted."""

from __future__ import annotations

import copy
import dataclasses
import re

import pytest

from casekit.ingest.model import Line
from casekit.parse.model import Case
from casekit.score import prescore as prescore_mod
from casekit.score.prescore import (
    load_prescores,
    prescore_cases,
    prescore_totals,
    prescores_frame,
    save_prescores,
)


@pytest.fixture(scope="module")
def suggestions(seed_cases, rubric):  # type: ignore[no-untyped-def]
    return prescore_cases(seed_cases, rubric)


def _get(items, town_id, crit):  # type: ignore[no-untyped-def]
    return next(p for p in items if p.case_id == town_id and p.criterion == crit)


def test_every_written_criterion_gets_a_suggestion_in_range(suggestions, seed_cases, rubric):  # type: ignore[no-untyped-def]
    written = [c.id for c in rubric.stage("written").criteria]
    assert len(suggestions) == len(seed_cases) * len(written)
    assert {p.criterion for p in suggestions} == set(written)  # presentation cannot be pre-scored
    for p in suggestions:
        assert 0 <= p.points <= p.max_points == 14
        assert p.points * 2 == int(p.points * 2)
    totals = prescore_totals(suggestions, rubric)
    assert (totals["max_total"] == 70).all() and totals["total"].between(0, 70).all()
    # the signals separate the cases: the suggestions are not all the same
    assert totals["total"].nunique() >= 5


def test_evidence_lines_are_original_lines_that_hold_the_evidence(suggestions, seed_cases, seed_path, rubric):  # type: ignore[no-untyped-def]
    raw = seed_path.read_text(encoding="utf-8").splitlines()
    by_id = {c.id: c for c in seed_cases}
    checked = 0
    for p in suggestions:
        lines = {ln.number: ln for ln in by_id[p.case_id].lines}
        for ev in p.evidence:
            assert ev["line"] in lines, (p.case_id, ev)
            assert ev["text"] in lines[ev["line"]].text
            signal = next(s for s in p.signals if s.id == ev["signal"])
            if signal.kind == "keywords":
                # the repaired line holds one of the terms the signal counted (spaces ignored)
                spec = next(s for s in rubric.criterion(p.criterion).prescore.signals if s.id == signal.id)
                squashed = re.sub(r"\s+", "", ev["text"])
                assert any(re.sub(r"\s+", "", t) in squashed for t in spec.terms)
                checked += 1
            # the original file's line says the same thing (modulo PDF repair)
            original = raw[ev["line"] - 1]
            assert (
                set(re.findall(r"[가-힣]{2,}", ev["text"])[:2]) <= set(re.findall(r"[가-힣]{2,}", original))
                or lines[ev["line"]].original is not None
            )
    assert checked > 30


def test_participant_counts_are_found_on_their_lines(suggestions, seed_cases, seed_path):  # type: ignore[no-untyped-def]
    suwon = next(c for c in seed_cases if c.municipality == "수원시")
    comm = _get(suggestions, suwon.id, "communication")
    counts = next(s for s in comm.signals if s.id == "participant_counts")
    assert counts.value >= 3 and "360명 참여" in counts.detail
    raw = seed_path.read_text(encoding="utf-8").splitlines()
    lines = [e["line"] for e in comm.evidence if e["signal"] == "participant_counts"]
    assert any("360명 참여" in raw[n - 1] for n in lines)


def test_pledge_link(suggestions, seed_cases):  # type: ignore[no-untyped-def]
    for case in seed_cases:
        link = next(s for s in _get(suggestions, case.id, "fit").signals if s.id == "pledge_link")
        if case.pledges:
            assert 0.4 <= link.value <= 1.0 and "pledge(s)" in link.detail
        else:
            assert link.value == 0 and "no 관련공약" in link.detail


def test_deterministic(seed_cases, rubric, suggestions):  # type: ignore[no-untyped-def]
    again = prescore_cases(seed_cases, rubric)
    assert [p.to_dict() for p in again] == [p.to_dict() for p in suggestions]


def test_a_copied_case_is_the_least_novel(seed_cases, rubric):  # type: ignore[no-untyped-def]
    clone = copy.deepcopy(seed_cases[3])
    clone = dataclasses.replace(clone, id="복제-000000", municipality="복제시")
    items = prescore_cases([*seed_cases, clone], rubric)
    novelty = {
        p.case_id: next(s for s in p.signals if s.id == "novelty")
        for p in items
        if p.criterion == "creativity"
    }
    pair = {seed_cases[3].id, clone.id}
    lowest = sorted(novelty, key=lambda k: novelty[k].value)[:2]
    assert set(lowest) == pair
    assert "similarity 1.00" in novelty[clone.id].detail and seed_cases[3].id in novelty[clone.id].detail


def test_without_metrics_the_signal_is_left_out_and_said(seed_cases, rubric, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(prescore_mod, "_metrics_for", lambda case, ws, cache: None)
    items = prescore_cases(seed_cases[:2], rubric)
    impact = _get(items, seed_cases[0].id, "impact")
    unused = [s.id for s in impact.signals if not s.used]
    assert unused == ["reached", "money_and_counts"]
    assert any("metrics unavailable" in n for n in impact.notes)


def test_workspace_metrics_feed_the_impact_signal(seed_workspace, rubric):  # type: ignore[no-untyped-def]
    cases = seed_workspace.load_cases()
    items = prescore_cases(cases, rubric, workspace=seed_workspace)
    reached = [next(s for s in p.signals if s.id == "reached") for p in items if p.criterion == "impact"]
    assert all(s.used for s in reached)
    assert sum(s.value for s in reached) > 0  # the seed book reports actual persons reached
    for p in items:
        for ev in p.evidence:
            if ev["signal"] in ("reached", "money_and_counts"):
                assert re.search(r"\d", ev["text"])


def test_plain_report_without_form_or_sections(rubric):  # type: ignore[no-untyped-def]
    text = ["구청 업무보고", "주민참여 설명회를 3회 열어 주민 120명이 참여하였다.", "관련 조례를 제정하였다."]
    case = Case(
        id="plain-1",
        source="x.txt",
        line_start=1,
        line_end=3,
        region=None,
        municipality="금천구",
        group="구",
        title="업무보고",
        field=None,
        pledges=[],
        summary="",
        sections=[],
        form="none",
        lines=[Line(t, i) for i, t in enumerate(text, 1)],
    )
    items = prescore_cases([case], rubric)
    comm = _get(items, "plain-1", "communication")
    assert {e["line"] for e in comm.evidence} == {2}
    creativity = _get(items, "plain-1", "creativity")
    assert "only one case" in next(s for s in creativity.signals if s.id == "novelty").detail
    diffusion = _get(items, "plain-1", "diffusion")
    assert 3 in {e["line"] for e in diffusion.evidence}


def test_save_load_and_frame(seed_cases, rubric, suggestions, writable_seed_workspace):  # type: ignore[no-untyped-def]
    path = save_prescores(writable_seed_workspace, rubric, suggestions)
    assert path.name == "manifesto_2017.jsonl"
    loaded = load_prescores(writable_seed_workspace, rubric)
    assert loaded is not None and [p.to_dict() for p in loaded] == [p.to_dict() for p in suggestions]
    stale = dataclasses.replace(rubric, version="0" * 16)
    assert load_prescores(writable_seed_workspace, stale) is None
    frame = prescores_frame(suggestions)
    assert list(frame.columns[:6]) == ["case_id", "stage", "criterion", "name", "points", "max_points"]
    assert len(frame) == len(suggestions)


@pytest.mark.slow
def test_novelty_through_an_embedder(seed_cases, rubric):  # type: ignore[no-untyped-def]
    """Code path only: the packaged MiniLM is English-only (Hangul becomes jamo), not a Korean default."""
    from casekit.embed import make_embedder

    embedder = make_embedder("minilm")
    items = prescore_cases(seed_cases[:4], rubric, embedder=embedder)
    novelty = [next(s for s in p.signals if s.id == "novelty") for p in items if p.criterion == "creativity"]
    assert all(f"embedder {embedder.model_id}" in s.detail for s in novelty)
    values = sorted(s.value for s in novelty)
    # percentiles of the distance to the nearest neighbour; a mutual nearest pair shares an average rank
    assert values[-1] == 1.0 and all(0 <= v <= 1 for v in values) and len(set(values)) >= 2
