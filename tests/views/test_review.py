"""The judge's review: headless rendering saves nothing; the form saves through the store and reads back."""

from __future__ import annotations

import pytest

from casekit.errors import CasekitError
from casekit.views.review import JudgeReview


def test_headless_review_renders_everything_and_creates_no_store(scored, writable_seed_workspace) -> None:  # type: ignore[no-untyped-def]
    helpers, _ = scored
    ws = writable_seed_workspace
    review = JudgeReview(ws, helpers.RUBRIC, "E1")
    assert review.case_id in ws.case_ids()  # None → first case of the queue
    markup = review.case_html()
    assert review.case.municipality in markup and "관련공약" in markup
    metrics = review.metrics()
    assert not metrics.empty
    by_number = {line.number: line.text for line in review.case.lines}
    first = metrics.iloc[0]
    assert first["source_line"] == by_number[int(first["line"])]  # each metric carries its source line
    pre = review.prescores()
    assert set(pre["criterion"]) == {"fit", "creativity", "communication", "diffusion", "impact"}
    sheet = review.sheet()
    assert len(sheet) == 8
    for crit, levels in zip(
        review.rubric.criteria, sheet["levels"]
    ):  # level descriptors beside each criterion
        assert all(level.label in levels and level.description in levels for level in crit.levels)
    assert "공약과 사업이 명확히 연결" in sheet.set_index("criterion").loc["fit", "levels"]
    assert sheet["my_points"].isna().all()
    review.show_case(), review.show_metrics(), review.show_prescores(), review.show_sheet()
    review.form()
    assert not ws.scores_db.exists()  # nothing saved, not even an empty database


def test_save_read_back_partial_refusal_and_queue(scored_copy) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    from casekit.score.store import ScoreStore

    with ScoreStore(ws) as store:
        store.add_judge("N1", name="새 심사위원", kind="citizen")
    review = JudgeReview(ws, helpers.RUBRIC, "N1")
    queue = review.queue()
    assert queue["n_reviews"].is_monotonic_increasing  # fewest reviews first
    assert review.case_id == queue["case_id"].iloc[0]
    result = review.save_scores(
        {"fit": "12.5", "creativity": 15, "communication": "", "diffusion": "열"},
        comments={"fit": " 공약 연결이 분명함 "},
    )
    assert result.saved == {"fit": 12.5}
    assert set(result.errors) == {"creativity", "diffusion"} and "outside" in result.errors["creativity"]
    assert "communication" in result.skipped
    mine = review.my_scores()
    assert mine[["criterion", "points", "comment"]].values.tolist() == [["fit", 12.5, "공약 연결이 분명함"]]
    assert review.sheet().set_index("criterion").loc["fit", "my_points"] == 12.5
    first = review.case_id
    assert review.next_case_id() not in (None, first)
    review.abstain("test")
    refused = review.save_scores({"impact": 10})
    assert "abstained" in refused.errors["impact"]


def test_form_buttons_save_and_step_to_next_case(scored_copy) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    review = JudgeReview(ws, helpers.RUBRIC, "E1")
    form = review.form()
    boxes = {
        w.description: w
        for row in form.children
        for w in _walk(row)
        if type(w).__name__ == "Text" and w.description
    }
    assert set(boxes) == {"적합성", "창의성", "소통성", "확산가능성", "체감성", "발표력", "준비도", "호응도"}
    assert boxes["적합성"].value != ""  # E1 already scored this case: the saved value is shown
    boxes["발표력"].value = "8"
    buttons = {w.description: w for w in _walk(form) if type(w).__name__ == "Button"}
    buttons["저장 save"].click()
    assert review.my_scores().set_index("criterion").loc["delivery", "points"] == 8.0
    before = review.case_id
    buttons["다음 사례 next case"].click()
    assert review.case_id != before


def test_conflicted_judge_cannot_score_and_unknown_case_is_clear(scored_copy) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    suwon = next(c for c in ws.load_cases() if c.municipality == "수원시")
    review = JudgeReview(ws, helpers.RUBRIC, "O1", case_id=suwon.id)
    assert suwon.id not in set(review.queue()["case_id"])  # the conflicted case is not in O1's queue
    result = review.save_scores({"fit": 10})
    assert "conflict of interest" in result.errors["fit"]
    with pytest.raises(CasekitError, match="no case"):
        JudgeReview(ws, helpers.RUBRIC, "E1", case_id="없는사례")


def _walk(widget):  # type: ignore[no-untyped-def]
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_similar_cases_flag_the_near_duplicate(scored_copy) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    review = JudgeReview(ws, helpers.RUBRIC, "E1", case_id=helpers.EVIL_ID)
    found = review.show_similar(top_k=3)
    original = ws.case_ids()[0]  # the evil case is a copy of this one's text
    assert found.iloc[0]["case_id"] == original and bool(found.iloc[0]["near_duplicate"])
    assert not found.iloc[1:]["near_duplicate"].any()


def test_scores_saved_in_the_form_reach_the_ranking(scored_copy) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    from casekit.rubric import load_rubric
    from casekit.score.rank import rank_cases
    from casekit.score.store import ScoreStore

    rubric = load_rubric(helpers.RUBRIC)
    with ScoreStore(ws) as store:
        store.add_judge("N2", kind="expert")
    review = JudgeReview(ws, rubric, "N2")
    target = review.case_id
    with ScoreStore(ws) as store:
        before = rank_cases(ws.load_cases(), rubric, store=store).frame.set_index("case_id").loc[target]
    full = {c.id: float(c.max_points or 0) for c in rubric.stages[0].criteria}
    assert review.save_scores(full).ok
    with ScoreStore(ws) as store:
        after = rank_cases(ws.load_cases(), rubric, store=store).frame.set_index("case_id").loc[target]
    assert after["n_judges"] == before["n_judges"] + 1  # the judge who used the form now counts
    assert after["total"] > before["total"]  # full marks raise the mean
