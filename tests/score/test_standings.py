"""Standings: ranks follow totals, then the tie-break keys; equal cases share a rank (hypothesis)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from casekit.score.standings import rank_order


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3)), min_size=1, max_size=12))
def test_ranks_follow_totals_then_tie_keys(pairs):  # type: ignore[no-untyped-def]
    frame = pd.DataFrame(
        {"total": [float(a) for a, _ in pairs], "key": [float(b) for _, b in pairs]},
        index=[f"c{i}" for i in range(len(pairs))],
    )
    idx, ranks, ties, broken = rank_order(frame, ["key"])
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
