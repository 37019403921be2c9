"""Ranking of the seed cases with the judges' CSV: the order, awards, ties, agreement and intervals the rules imply."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from casekit.errors import ScoreError
from casekit.rubric import load_rubric
from casekit.score.rank import rank_cases
from tests.score.score_paths import ACTIVE, DATA, MANIFESTO

EXPECTED = [  # municipality, rank, total, award — as designed in data/make_scores.py
    ("경산시", 1, 88.0, "최우수상"),
    ("정읍시", 2, 82.0, "우수상"),
    ("수원시", 3, 80.0, "우수상"),  # 80 = 이천시's 80: 서면심사 60 > 55 breaks the tie, and decides the award
    ("이천시", 4, 80.0, None),
    ("여주시", 5, 72.0, None),  # equal on every tie-break key → shared rank
    ("원주시", 5, 72.0, None),
    ("김해시", 7, 68.0, None),
    ("청주시", 8, 65.0, None),
    ("남양주시", 9, 58.0, None),
]


def _by_town(result):  # type: ignore[no-untyped-def]
    return result.frame.set_index("municipality")


def test_fixture_ranking_follows_the_rules(scored_workspace, rubric):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    result = rank_cases(ws.load_cases(), rubric, store)
    assert result.basis == "judges"
    got = [(r.municipality, r.rank, r.total, r.award) for r in result.frame.itertuples()]
    assert got == EXPECTED
    rows = _by_town(result)
    assert rows.loc["수원시", "tie_broken_by"] == rows.loc["이천시", "tie_broken_by"] == "서면심사"
    assert "equal total broken by 서면심사" in rows.loc["수원시", "explanation"]
    assert (
        bool(rows.loc["원주시", "tie"])
        and bool(rows.loc["여주시", "tie"])
        and not bool(rows.loc["수원시", "tie"])
    )
    # a case's mean is over the judges who scored it: conflicts and the abstention cost nothing
    assert rows.loc["수원시", "n_judges"] == 5 and rows.loc["원주시", "n_judges"] == 5
    assert rows.loc["경산시", "n_judges"] == 6
    assert rows.loc["수원시", "stage_written"] == 60.0 and rows.loc["수원시", "stage_presentation"] == 20.0
    assert "서면심사 60.00 (mean of 5 judge(s))" in rows.loc["수원시", "explanation"]
    assert rows.loc["경산시", "disagreement"] == 5.0  # judges' written sums range 60..65
    assert any("서면심사, 체감성, 창의성, 발표심사" in n for n in result.notes)
    assert "abstentions in effect: E3 on 원주시" in result.notes


def test_totals_match_a_plain_recomputation_of_the_csv(scored_workspace, rubric):  # type: ignore[no-untyped-def]
    """Recompute every total straight from the CSV with the written rules, independently of casekit.score."""
    ws, store, _ = scored_workspace
    cases = {c.municipality: c for c in ws.load_cases()}
    judges = {r["id"]: r for r in csv.DictReader((DATA / "judges.csv").open(encoding="utf-8"))}
    maxes = {c.name: (c.stage, c.max_points) for c in rubric.criteria}
    sums: dict[tuple[str, str, str], float] = defaultdict(float)
    abstain = set()
    seen = set()
    for row in csv.DictReader((DATA / "scores.csv").open(encoding="utf-8")):
        town, judge = row["case_id"], row["judge"]
        if row["points"] == "abstain":
            abstain.add((judge, town))
            continue
        if judge not in judges or town not in cases or row["criterion"] not in maxes:
            continue
        if judges[judge]["municipality"] == town:
            continue
        try:
            points = float(row["points"])
        except ValueError:
            continue
        stage, top = maxes[row["criterion"]]
        if not 0 <= points <= top or (judge, town, row["criterion"]) in seen:
            continue
        seen.add((judge, town, row["criterion"]))
        sums[(town, stage, judge)] += points
    result = _by_town(rank_cases(list(cases.values()), rubric, store, bootstrap=0))
    for town in cases:
        total = 0.0
        for stage in ("written", "presentation"):
            vals = [
                v for (t, s, j), v in sums.items() if t == town and s == stage and (j, town) not in abstain
            ]
            total += sum(vals) / len(vals)
        assert result.loc[town, "total"] == pytest.approx(total), town


def test_bootstrap_intervals_and_agreement(scored_workspace, rubric):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    cases = ws.load_cases()
    first = rank_cases(cases, rubric, store, bootstrap=150, seed=11)
    again = rank_cases(cases, rubric, store, bootstrap=150, seed=11)
    pd.testing.assert_frame_equal(first.frame, again.frame)  # seeded: reproducible
    assert first.settings["seed"] == 11 and first.settings["bootstrap"] == 150
    f = first.frame
    assert ((f.rank_lo <= f["rank"]) & (f["rank"] <= f.rank_hi)).all()
    rows = _by_town(first)
    assert (rows.loc["경산시", "rank_lo"], rows.loc["경산시", "rank_hi"], rows.loc["경산시", "p_award"]) == (
        1,
        1,
        1.0,
    )
    # 수원시 and 이천시 trade places when judges are resampled: both intervals span 3–4
    assert (rows.loc["수원시", "rank_lo"], rows.loc["수원시", "rank_hi"]) == (3, 4)
    assert 0 < rows.loc["이천시", "p_award"] < 1
    alpha = first.agreement.set_index("id")["alpha"]
    assert alpha["fit"] == 1.0  # every judge gave each case the same 적합성
    assert alpha["communication"] < 0.667  # judges' 소통성 points scatter by ±3 around the case's level
    assert alpha["written"] > 0.9
    worst = first.disagreements.iloc[0]
    assert worst.criterion == "communication" and worst["range"] == 5.0


def test_options_trim_min_judges_and_zscore(scored_workspace, rubric):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    cases = ws.load_cases()
    trimmed = _by_town(rank_cases(cases, rubric, store, trim=True, bootstrap=0))
    # 경산시's six written sums 65,60,62,63,60,62 → drop 65 and one 60 → 61.75; presentation 28,25,26,26,25,26 → 25.75
    assert trimmed.loc["경산시", "stage_written"] == pytest.approx(61.75)
    assert trimmed.loc["경산시", "total"] == pytest.approx(87.5)
    assert "trimmed mean of 6" in trimmed.loc["경산시", "explanation"]
    strict = rank_cases(cases, rubric, store, min_judges=6, bootstrap=0)
    rows = _by_town(strict)
    assert pd.isna(rows.loc["수원시", "rank"]) and "needs 6" in rows.loc["수원시", "reason"]
    ranked = strict.frame.dropna(subset=["rank"])
    assert ranked.municipality.tolist() == ["경산시", "정읍시", "이천시", "여주시", "남양주시"]
    assert ranked.award.tolist()[:3] == ["최우수상", "우수상", "우수상"]
    assert strict.frame.municipality.tolist()[-4:] == sorted(
        ["김해시", "수원시", "원주시", "청주시"], key=lambda t: rows.loc[t, "case_id"]
    )
    z = rank_cases(cases, rubric, store, normalize="zscore", bootstrap=0)
    assert any("z-normalized" in n for n in z.notes)
    assert z.frame.municipality.tolist()[0] == "경산시"


def test_partial_stage_is_left_out_and_said(scored_workspace, rubric):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    cases = ws.load_cases()
    gyeongsan = next(c.id for c in cases if c.municipality == "경산시")
    store.add_judge("N1", kind="citizen")
    store.save_score("N1", gyeongsan, "fit", 1, rubric=rubric)
    result = rank_cases(cases, rubric, store, bootstrap=0)
    assert _by_town(result).loc["경산시", "stage_written"] == 62.0
    assert any("scored only part of the stage" in n and f"N1/{gyeongsan}" in n for n in result.notes)


def test_changed_rubric_is_detected(scored_workspace, tmp_path: Path):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    changed = tmp_path / "manifesto_2017.yaml"
    changed.write_text(
        MANIFESTO.read_text(encoding="utf-8").replace(
            "      - {id: delivery, name: 발표력, weight: 1,",
            "      - {id: delivery, name: 발표력, weight: 2,",
        ),
        encoding="utf-8",
    )
    new = load_rubric(changed)
    assert new.criterion("발표력").max_points == 15.0
    with pytest.raises(ScoreError, match="another version of rubric manifesto_2017"):
        rank_cases(ws.load_cases(), new, store)
    accepted = rank_cases(ws.load_cases(), new, store, accept_rubric_change=True, bootstrap=0)
    assert any("--accept-rubric-change" in n for n in accepted.notes)


def test_without_judges_rank_by_prescores_and_say_so(seed_workspace, rubric):  # type: ignore[no-untyped-def]
    cases = seed_workspace.load_cases()
    result = rank_cases(cases, rubric, None, workspace=seed_workspace)
    assert result.basis == "prescores" and set(result.frame.basis) == {"prescores"}
    assert "PRE-SCORES" in result.notes[0]
    assert "PRE-SCORES" in result.to_table()
    assert "PRE-SCORES" in json.dumps(result.to_json(), ensure_ascii=False)
    assert result.frame["total"].notna().all() and (result.frame["total"] <= 70).all()
    assert result.frame.award.tolist()[:3] == ["최우수상", "우수상", "우수상"]


def test_second_rubric_ranks_within_group_only(seed_workspace):  # type: ignore[no-untyped-def]
    active = load_rubric(ACTIVE)
    result = rank_cases(seed_workspace.load_cases(), active, None, workspace=seed_workspace)
    assert result.settings["rank_within"] == ["group"]
    assert "stage_screening" in result.frame and "stage_public" not in result.frame
    # 대통령상 1, 국무총리상 1, 장관상 3 for a group without its own award list
    assert result.frame.award.tolist()[:5] == ["대통령상", "국무총리상", "장관상", "장관상", "장관상"]


def test_one_judge_on_one_case_ranks_without_a_numpy_warning(writable_seed_workspace, rubric):  # type: ignore[no-untyped-def]
    """The first judge's first saved case: the ranking report showed numpy's "Degrees of freedom <= 0
    for slice" box (a sample sd over one judge)."""
    import warnings

    from casekit.score.store import ScoreStore

    ws = writable_seed_workspace
    cases = ws.load_cases()
    with ScoreStore(ws) as store:
        store.add_judge("J1")
        for crit in rubric.stages[0].criteria:
            store.save_score("J1", cases[0].id, crit.id, float(crit.max_points or 0) / 2, rubric=rubric)
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            result = rank_cases(cases, rubric, store, workspace=ws)
    assert result.basis == "judges"
    assert result.frame["disagreement"].isna().all() and result.frame["disagreement_sd"].isna().all()
