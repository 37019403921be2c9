"""Rank intervals: how sure a rank is, from resampling the judges.

`bootstrap` resamples of the judges (with replacement, seeded) recompute every total and rank;
rank_lo–rank_hi is the 5th–95th percentile of the case's rank, and p_award the share of resamples in
which the case wins any award. A case whose rank barely moves is ranked by judges who agree; a wide
interval says the rank depends on which judges happened to score it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from casekit.rubric import Rubric
from casekit.score.aggregate import combine_array
from casekit.score.standings import partitions, row_partitions


def bootstrap_intervals(
    frame: pd.DataFrame,
    rubric: Rubric,
    matrices: dict[str, pd.DataFrame],
    active: list[Any],
    trim: bool,
    trim_min: int,
    iterations: int,
    seed: int,
    notes: list[str],
) -> None:
    frame["rank_lo"] = frame["rank"].astype(float)
    frame["rank_hi"] = frame["rank"].astype(float)
    frame["p_award"] = np.nan
    if iterations <= 0 or not matrices:
        return
    judges = sorted(set().union(*[set(m.index) for m in matrices.values()]))
    arrays = {sid: m.reindex(index=judges).to_numpy(dtype=float) for sid, m in matrices.items()}
    weights = {s.id: s.weight for s in active}
    rng = np.random.default_rng(seed)
    parts = partitions(frame, rubric)
    award_slots = {
        key: sum(a.count for a in rubric.awards_for(idx_group)) for key, (_, idx_group) in parts.items()
    }
    eligible = frame["eligible"].to_numpy()
    collected: list[np.ndarray] = []
    for _ in range(iterations):
        pick = rng.integers(0, len(judges), size=len(judges))
        total = np.zeros(len(frame))
        missing = np.zeros(len(frame), dtype=bool)
        for sid, arr in arrays.items():
            score, n = combine_array(arr[pick], trim, trim_min)
            missing |= n == 0
            total += weights[sid] * np.nan_to_num(score)
        total[missing | ~eligible] = np.nan
        ranks = np.full(len(frame), np.nan)
        for positions, _ in parts.values():
            vals = total[positions]
            ok = ~np.isnan(vals)
            if ok.any():
                ranks[np.asarray(positions)[ok]] = (
                    pd.Series(vals[ok]).rank(method="min", ascending=False).to_numpy()
                )
        collected.append(ranks)
    stack = np.vstack(collected)
    lo, hi, p_award = [], [], []
    for i, key in enumerate(row_partitions(frame, rubric)):
        col = stack[:, i]
        col = col[~np.isnan(col)]
        if not len(col) or not eligible[i]:
            lo.append(np.nan)
            hi.append(np.nan)
            p_award.append(np.nan)
            continue
        lo.append(float(np.percentile(col, 5, method="lower")))
        hi.append(float(np.percentile(col, 95, method="higher")))
        p_award.append(float(np.mean(col <= award_slots[key])))
    frame["rank_lo"], frame["rank_hi"], frame["p_award"] = lo, hi, p_award
    notes.append(
        f"rank_lo–rank_hi: 90% interval of the case's rank over {iterations} bootstrap resamples of the "
        f"{len(judges)} judges (seed {seed}); p_award: share of resamples in which it wins an award."
    )
