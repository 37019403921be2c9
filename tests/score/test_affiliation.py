"""Conflicts of interest: by municipality or region as the rubric says, marked on scores saved before an
affiliation was known, and not confused by a municipality name that repeats in another region."""

from __future__ import annotations

import pytest

from casekit.errors import ScoreError
from casekit.score.store import ScoreStore


def _ids(ws):  # type: ignore[no-untyped-def]
    return {c.municipality: c.id for c in ws.load_cases()}


def test_conflict_by_region_when_the_rubric_says_so(writable_seed_workspace, rubric):  # type: ignore[no-untyped-def]
    from casekit.rubric import load_rubric
    from tests.score.score_paths import ACTIVE

    active = load_rubric(ACTIVE)
    ws = writable_seed_workspace
    store = ScoreStore(ws)
    store.add_judge("G1", kind="official", region="경기")  # a 경기도 official, no municipality
    suwon = _ids(ws)["수원시"]
    with pytest.raises(ScoreError, match="same region"):
        store.save_score("G1", suwon, "난이도", 10, rubric=active)
    # the manifesto rubric bars only the same municipality
    assert store.save_score("G1", suwon, "fit", 10, rubric=rubric) == 10


def test_late_affiliation_excludes_earlier_scores(scored_workspace, rubric):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    store.add_judge("E1", name="전문가 가", kind="expert", municipality="경산시")
    frame = store.scores_frame(rubric)
    mine = frame[(frame.judge_id == "E1") & (frame.case_id == _ids(ws)["경산시"])]
    assert len(mine) == 8 and set(mine.excluded) == {"conflict"}


def test_same_name_in_another_region_is_no_conflict(tmp_path, rubric):  # type: ignore[no-untyped-def]
    from casekit.parse.model import Case

    def case(cid, region, town):  # type: ignore[no-untyped-def]
        return Case(
            id=cid,
            source="t",
            line_start=1,
            line_end=1,
            region=region,
            municipality=town,
            group="구",
            title="t",
            field=None,
            pledges=[],
            summary="",
            sections=[],
        )

    store = ScoreStore(tmp_path / "s.sqlite")
    store.register_cases([case("seoul-jung", "서울", "중구"), case("busan-jung", "부산", "중구")])
    judge = store.add_judge("B1", kind="official", municipality="부산광역시 중구")
    assert (judge.municipality, judge.region) == ("중구", "부산")
    assert store.save_score("B1", "seoul-jung", "fit", 5, rubric=rubric) == 5
    with pytest.raises(ScoreError, match="conflict of interest"):
        store.save_score("B1", "busan-jung", "fit", 5, rubric=rubric)
    assert store.add_judge("S1", municipality="경기도 수원시").region == "경기"
