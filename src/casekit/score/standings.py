"""Standings: from totals to ranks, ties, awards and explanations, within the rubric's partitions.

Shared by both bases of a ranking (judges' scores and pre-scores), so the same rules apply to each:
within each partition of the rubric's `rank_within` (분야 × 시/군/구 by default) cases are ordered by
total, then by the rubric's `tie_break` keys (stage scores or criterion means, higher first); cases
still equal share a rank (1, 2, 2, 4) and are flagged `tie`. Awards go down the ranking in the
rubric's order and counts for the case's group; tied cases share the award, even if that exceeds the
count (a note says so: organizers decide).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from casekit.rubric import Rubric


def _partition_keys(rubric: Rubric) -> list[str]:
    return [k for k in rubric.model.rank_within]


def rank_order(
    sub: pd.DataFrame, keys: list[str]
) -> tuple[list[Any], list[int], list[bool], list[str | None]]:
    """Sort one partition; return (index order, competition ranks, tie flags, tie-breaking key used)."""
    sort_cols = ["total", *keys]
    values = sub[sort_cols].fillna(-np.inf).round(9)
    ordered = values.sort_values(sort_cols, ascending=False, kind="mergesort")
    idx = list(ordered.index)
    tuples = [tuple(ordered.loc[i]) for i in idx]
    ranks: list[int] = []
    for pos, tup in enumerate(tuples):
        ranks.append(ranks[pos - 1] if pos and tup == tuples[pos - 1] else pos + 1)
    ties = [tuples.count(t) > 1 for t in tuples]
    broken: list[str | None] = []
    for tup in tuples:
        # the first tie-break key that separates this case from any case with the same total
        firsts = [
            next(k for k, (a, b) in enumerate(zip(tup[1:], other[1:])) if a != b)
            for other in tuples
            if other[0] == tup[0] and other != tup
        ]
        broken.append(keys[min(firsts)] if firsts else None)
    return idx, ranks, ties, broken


def partitions(frame: pd.DataFrame, rubric: Rubric) -> dict[tuple[Any, ...], tuple[list[int], str | None]]:
    parts: dict[tuple[Any, ...], tuple[list[int], str | None]] = {}
    for pos, key in enumerate(row_partitions(frame, rubric)):
        group = frame["group"].iloc[pos]
        parts.setdefault(key, ([], None if pd.isna(group) else str(group)))[0].append(pos)
    return parts


def row_partitions(frame: pd.DataFrame, rubric: Rubric) -> list[tuple[Any, ...]]:
    keys = _partition_keys(rubric)
    return [
        tuple("" if pd.isna(frame[k].iloc[i]) else frame[k].iloc[i] for k in keys) for i in range(len(frame))
    ]


def _tie_columns(frame: pd.DataFrame, rubric: Rubric) -> list[str]:
    cols = []
    for key in rubric.model.tie_break:
        col = (
            f"stage_{key}"
            if f"stage_{key}" in frame
            else f"crit_{rubric.criterion(key).id}"
            if any(key in (c.id, c.name) for c in rubric.criteria)
            else None
        )
        if col and col in frame:
            cols.append(col)
    return cols


def rank_within_partitions(
    frame: pd.DataFrame, rubric: Rubric, notes: list[str], explain: dict[str, list[str]]
) -> None:
    """Ranks within partitions, tie-breaks, awards and explanations (shared by both bases)."""
    ties = _tie_columns(frame, rubric)
    names = {f"stage_{s.id}": s.name for s in rubric.stages} | {
        f"crit_{c.id}": c.name for c in rubric.criteria
    }
    rank_of: dict[Any, int] = {}
    tie_of: dict[Any, bool] = {}
    broken_of: dict[Any, str | None] = {}
    award_of: dict[Any, str | None] = {}
    over_awarded = []
    for key, (positions, group) in partitions(frame, rubric).items():
        sub = frame.iloc[positions]
        sub = sub[sub["eligible"]]
        if sub.empty:
            continue
        idx, ranks, tie_flags, broken = rank_order(sub, ties)
        awards = rubric.awards_for(group)
        bounds, cum = [], 0
        for award in awards:
            cum += award.count
            bounds.append((cum, award.name))
        for i, r, t, b in zip(idx, ranks, tie_flags, broken):
            rank_of[i] = r
            tie_of[i] = t
            broken_of[i] = names.get(b, b) if b else None
            award_of[i] = next((name for limit, name in bounds if r <= limit), None)
        given = sum(1 for r in ranks if r <= cum)
        if given > cum:
            over_awarded.append(f"{'/'.join(map(str, key))}: {given} awards for {cum} places (shared ranks)")
    frame["rank"] = [rank_of.get(i, np.nan) for i in frame.index]
    frame["award"] = pd.Series([award_of.get(i) for i in frame.index], index=frame.index, dtype=object)
    frame["tie"] = [tie_of.get(i, False) for i in frame.index]
    frame["tie_broken_by"] = pd.Series(
        [broken_of.get(i) for i in frame.index], index=frame.index, dtype=object
    )
    if over_awarded:
        notes.append("ties at an award boundary — organizers decide: " + "; ".join(over_awarded))
    if ties:
        notes.append(
            "equal totals are broken by, in order: "
            + ", ".join(names.get(c, c) for c in ties)
            + "; cases still equal share a rank (tie = true)."
        )
    texts = []
    for cid, row in frame.iterrows():
        parts = explain.get(str(cid), [])
        if not row["eligible"]:
            texts.append(f"not ranked: {row['reason']}")
            continue
        text = f"total {row['total']:.2f} = " + " + ".join(parts)
        if row["tie_broken_by"]:
            text += f"; equal total broken by {row['tie_broken_by']}"
        if row["tie"]:
            text += "; shares its rank (tied on every tie-break key)"
        texts.append(text)
    frame["explanation"] = texts


def ordered_frame(frame: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """The result table: partition by partition, ranked cases best first, unranked last, columns in order."""
    keys = _partition_keys(rubric)
    frame = frame.reset_index(drop=True)
    frame["_unranked"] = frame["rank"].isna()
    frame = frame.sort_values([*keys, "_unranked", "rank", "case_id"], kind="mergesort", na_position="last")
    stage_cols = [c for c in frame.columns if c.startswith("stage_")]
    n_cols = [c for c in frame.columns if c.startswith("n_") and c != "n_judges"]
    crit_cols = [c for c in frame.columns if c.startswith("crit_")]
    head = [
        "rank",
        "case_id",
        "municipality",
        "region",
        "title",
        "field",
        "group",
        "total",
        "award",
        *stage_cols,
        "rank_lo",
        "rank_hi",
        "p_award",
        "n_judges",
        *n_cols,
        "disagreement",
        "disagreement_sd",
        "tie",
        "tie_broken_by",
        "eligible",
        "reason",
        "basis",
        *crit_cols,
        "explanation",
    ]
    head = [c for c in head if c in frame.columns]
    out = frame[head].reset_index(drop=True)
    out["rank"] = out["rank"].astype("Int64")
    return out
