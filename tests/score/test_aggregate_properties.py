"""Properties of the aggregation and ranking rules over random judges' matrices (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from casekit.score.aggregate import combine_array
from casekit.score.rank import _rank_order

points = st.one_of(st.none(), st.integers(min_value=0, max_value=28).map(lambda x: x / 2))
matrices = st.integers(min_value=1, max_value=7).flatmap(
    lambda judges: st.integers(min_value=1, max_value=6).flatmap(
        lambda cases: st.lists(
            st.lists(points, min_size=cases, max_size=cases), min_size=judges, max_size=judges
        )
    )
)


@settings(max_examples=200, deadline=None)
@given(matrices, st.booleans())
def test_combine_is_the_plain_or_trimmed_mean_of_present_scores(rows, trim):  # type: ignore[no-untyped-def]
    values = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)
    mean, n = combine_array(values, trim, trim_min_judges=5)
    for j in range(values.shape[1]):
        present = sorted(v for v in values[:, j] if not np.isnan(v))
        assert n[j] == len(present)
        if not present:
            assert np.isnan(mean[j])
            continue
        kept = present[1:-1] if trim and len(present) >= 5 else present
        assert mean[j] == np.mean(kept)
        assert min(present) <= mean[j] <= max(present)  # a mean never leaves the judges' range


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3)), min_size=1, max_size=12))
def test_ranks_follow_totals_then_tie_keys(pairs):  # type: ignore[no-untyped-def]
    frame = pd.DataFrame(
        {"total": [float(a) for a, _ in pairs], "key": [float(b) for _, b in pairs]},
        index=[f"c{i}" for i in range(len(pairs))],
    )
    idx, ranks, ties, broken = _rank_order(frame, ["key"])
    rank = dict(zip(idx, ranks))
    for a in frame.index:
        for b in frame.index:
            ta, tb = tuple(frame.loc[a]), tuple(frame.loc[b])
            if ta > tb:
                assert rank[a] < rank[b]
            elif ta == tb:
                assert rank[a] == rank[b]
    for i, tie in zip(idx, ties):
        same = (frame["total"] == frame.loc[i, "total"]) & (frame["key"] == frame.loc[i, "key"])
        assert tie == (same.sum() > 1)
    for i, b in zip(idx, broken):
        same_total = frame[(frame["total"] == frame.loc[i, "total"]) & (frame["key"] != frame.loc[i, "key"])]
        assert (b == "key") == (len(same_total) > 0)
    assert sorted(ranks)[0] == 1
