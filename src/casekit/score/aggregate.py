"""Aggregation of judges' points into stage scores: matrices, z-normalization, (trimmed) means, spread.

Public API::

    stage_matrix(scores, stage) -> (DataFrame judges × cases of each judge's stage sum, incomplete pairs)
    criterion_matrix(scores, criterion_id) -> DataFrame judges × cases
    zscore_judges(matrix) -> DataFrame           # per-judge standardization, mapped back onto the points scale
    combine(matrix, trim=False, trim_min_judges=5) -> (Series score, Series n_judges)
    disagreement_frame(scores, rubric) -> DataFrame   # per case × criterion: n, min, max, range, var

The rules, so every figure can be explained:
  * a judge's stage score for a case is the sum of their points on that stage's criteria; a judge who
    scored only some criteria of a stage is left out of that stage for that case (listed as incomplete),
    because a partial sum would drag the mean down;
  * a case's stage score is the mean over the judges who scored it — a case seen by fewer judges is not
    penalized for it (`min_judges` decides when there are too few to rank);
  * trimmed mean (option): with at least `trim_min_judges` judges, the single highest and lowest judge
    are dropped before averaging;
  * z-normalization (option): each judge's stage sums are standardized over the cases that judge scored
    (mean 0, sd 1) and mapped back with the stage's overall mean and sd, so a lenient and a strict judge
    count alike; a judge with a single case cannot be standardized and keeps raw points.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from casekit.rubric import Rubric, Stage


def stage_matrix(scores: pd.DataFrame, stage: Stage) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Each judge's summed points on `stage` per case (judges × cases), plus (judge, case) pairs left incomplete."""
    ids = [c.id for c in stage.criteria]
    sub = scores[scores["criterion"].isin(ids)]
    if sub.empty:
        return pd.DataFrame(dtype=float), []
    grouped = sub.groupby(["judge_id", "case_id"])
    counts = grouped["criterion"].nunique()
    sums = grouped["points"].sum()
    complete = counts[counts == len(ids)].index
    incomplete = [(str(j), str(c)) for j, c in counts[counts < len(ids)].index]
    if len(complete) == 0:
        return pd.DataFrame(dtype=float), incomplete
    matrix = sums.loc[complete].unstack()
    return matrix.astype(float), incomplete


def criterion_matrix(scores: pd.DataFrame, criterion_id: str) -> pd.DataFrame:
    sub = scores[scores["criterion"] == criterion_id]
    if sub.empty:
        return pd.DataFrame(dtype=float)
    return sub.pivot_table(index="judge_id", columns="case_id", values="points", aggfunc="mean").astype(float)


def zscore_judges(matrix: pd.DataFrame) -> pd.DataFrame:
    """Standardize each judge (row) and map back onto the stage's overall mean and sd."""
    values = matrix.to_numpy(dtype=float)
    if values.size == 0 or np.all(np.isnan(values)):
        return matrix.copy()
    grand_mean = float(np.nanmean(values))
    grand_sd = float(np.nanstd(values))
    out = values.copy()
    for i, row in enumerate(values):
        seen = ~np.isnan(row)
        if seen.sum() < 2:
            continue
        mean, sd = float(row[seen].mean()), float(row[seen].std())
        out[i, seen] = grand_mean if sd == 0 else grand_mean + (row[seen] - mean) / sd * grand_sd
    return pd.DataFrame(out, index=matrix.index, columns=matrix.columns)


def combine_array(values: np.ndarray, trim: bool, trim_min_judges: int) -> tuple[np.ndarray, np.ndarray]:
    """Column-wise mean (trimmed when asked and enough judges) of a judges × cases array with NaN gaps."""
    n = (~np.isnan(values)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.nansum(values, axis=0)
        if trim:
            hi = np.nanmax(np.where(np.isnan(values), -np.inf, values), axis=0)
            lo = np.nanmin(np.where(np.isnan(values), np.inf, values), axis=0)
            trimmed = n >= trim_min_judges
            total = np.where(trimmed, total - hi - lo, total)
            denom = np.where(trimmed, n - 2, n)
        else:
            denom = n
        mean = np.where(denom > 0, total / np.maximum(denom, 1), np.nan)
    return mean, n


def spread(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column-wise range and sample sd (ddof=1) of a judges × cases array with NaN gaps.

    NaN, and no RuntimeWarning, where a case has fewer than two judges: one judge cannot disagree with
    anybody, and `np.nanstd(ddof=1)` over one value warns "Degrees of freedom <= 0" into the judges'
    notebook.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or values.shape[1] == 0:
        empty = np.full(values.shape[1] if values.ndim == 2 else 0, np.nan)
        return empty, empty.copy()
    seen = ~np.isnan(values)
    n = seen.sum(axis=0)
    two = n >= 2
    filled = np.where(seen, values, 0.0)
    hi = np.where(seen, values, -np.inf).max(axis=0, initial=-np.inf)
    lo = np.where(seen, values, np.inf).min(axis=0, initial=np.inf)
    mean = filled.sum(axis=0) / np.maximum(n, 1)
    squares = (np.where(seen, values - mean, 0.0) ** 2).sum(axis=0)
    sd = np.sqrt(squares / np.maximum(n - 1, 1))
    return np.where(two, hi - lo, np.nan), np.where(two, sd, np.nan)


def combine(
    matrix: pd.DataFrame, trim: bool = False, trim_min_judges: int = 5
) -> tuple[pd.Series, pd.Series]:
    """A case's score (mean over its judges, trimmed if asked) and the number of judges behind it."""
    if matrix.empty:
        return pd.Series(dtype=float), pd.Series(dtype=int)
    mean, n = combine_array(matrix.to_numpy(dtype=float), trim, trim_min_judges)
    return pd.Series(mean, index=matrix.columns), pd.Series(n, index=matrix.columns)


def disagreement_frame(scores: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Where judges disagree most: per case × criterion, the spread of the points they gave (largest first)."""
    columns = ["case_id", "criterion", "name", "n", "min", "max", "range", "var", "share_of_max"]
    if scores.empty:
        return pd.DataFrame(columns=columns)
    names = {c.id: c.name for c in rubric.criteria}
    maxes = {c.id: float(c.max_points or 1) for c in rubric.criteria}
    grouped = scores.groupby(["case_id", "criterion"])["points"]
    frame = grouped.agg(n="count", min="min", max="max", var="var").reset_index()
    frame["var"] = frame["var"].fillna(0.0)
    frame["range"] = frame["max"] - frame["min"]
    frame["name"] = frame["criterion"].map(names)
    frame["share_of_max"] = (frame["range"] / frame["criterion"].map(maxes)).round(3)
    frame = frame[frame["n"] >= 2]
    return (
        frame[columns]
        .sort_values(["share_of_max", "var", "case_id"], ascending=[False, False, True])
        .reset_index(drop=True)
    )
