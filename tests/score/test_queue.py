"""The review queue: fewest reviews first, assigned cases first among equals, conflicts left out, done last."""

from __future__ import annotations

from casekit.score.queue import review_queue


def _ids(ws):  # type: ignore[no-untyped-def]
    return {c.municipality: c.id for c in ws.load_cases()}


def test_review_queue_fewest_reviews_first(scored_workspace, rubric):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    cases = ws.load_cases()
    ids = _ids(ws)
    store.add_judge("N1", kind="citizen", municipality="이천시")
    store.assign("N1", [ids["경산시"]])
    queue = review_queue(store, "N1", cases, rubric)
    assert ids["이천시"] not in set(queue.case_id)  # conflict of interest
    assert len(queue) == 8
    counts = queue.n_reviews.tolist()
    assert counts == sorted(counts) and counts[0] == 5
    six = queue[queue.n_reviews == 6].case_id.tolist()
    assert six[0] == ids["경산시"]  # assigned comes first among equals
    for crit in rubric.criteria:
        store.save_score("N1", queue.case_id[0], crit.id, 1, rubric=rubric)
    after = review_queue(store, "N1", cases, rubric)
    assert after.case_id.iloc[-1] == queue.case_id[0] and bool(after.done.iloc[-1])
