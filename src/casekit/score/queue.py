"""The review queue: which case a judge should score next, so every case gets enough reviews.

    review_queue(store, judge_id, cases, rubric=None) -> DataFrame
        columns case_id, n_reviews (judges who scored it), assigned, scored_by_me, done

Cases with the fewest reviewing judges come first, so reviews spread evenly over the cases; among equals,
cases assigned to the judge come first; cases the judge already scored completely go last. Cases the judge
may not score (conflict of interest, abstained, recused) are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from casekit.parse.model import Case
from casekit.rubric import Rubric
from casekit.score.affiliation import conflict
from casekit.score.store import ScoreStore

_COLUMNS = ["case_id", "n_reviews", "assigned", "scored_by_me", "done"]


def review_queue(
    store: ScoreStore, judge_id: str, cases: Iterable[Case | str], rubric: Rubric | None = None
) -> pd.DataFrame:
    """Cases `judge_id` may still score, those with the fewest reviewing judges first (see the module docstring)."""
    judge = store.judge(judge_id)
    keys = rubric.model.conflict_of_interest if rubric is not None else ("municipality",)
    n_criteria = len(rubric.criteria) if rubric is not None else None
    ids: list[str] = []
    case_rows: dict[str, Any] = {}
    for item in cases:
        if isinstance(item, str):
            ids.append(item)
        else:
            ids.append(item.id)
            case_rows[item.id] = item
    assigned = store.assigned(judge_id)
    reviews, mine = store.review_counts(judge_id, rubric)
    rows = []
    for case_id in ids:
        if store.exclusion(judge_id, case_id):
            continue
        info = case_rows.get(case_id)
        if info is None:
            info = store.case_record(case_id)
        if info is not None and conflict(judge, info, keys):
            continue
        done = n_criteria is not None and mine.get(case_id, 0) >= n_criteria
        rows.append(
            {
                "case_id": case_id,
                "n_reviews": int(reviews.get(case_id, 0)),
                "assigned": case_id in assigned,
                "scored_by_me": int(mine.get(case_id, 0)),
                "done": done,
            }
        )
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    if frame.empty:
        return frame
    return frame.sort_values(
        ["done", "n_reviews", "assigned", "case_id"], ascending=[True, True, False, True]
    ).reset_index(drop=True)
