"""Agreement between judges: Krippendorff's alpha per criterion (and per stage sum).

Public API::

    krippendorff_alpha(matrix, metric="interval") -> float    # judges × cases, NaN = not scored
    agreement_frame(scores, rubric) -> DataFrame               # criterion, name, alpha, n_cases, n_judges …

Why Krippendorff's alpha: judges score different subsets of cases (conflicts of interest, abstentions,
assignments), and alpha is the agreement coefficient that accepts missing values and any number of
judges per case. alpha = 1 − D_o / D_e, where D_o is the observed disagreement between judges on the
same case and D_e the disagreement expected by chance among all pairable scores. 1 = perfect
agreement, 0 = no better than chance, < 0 = systematic disagreement; NaN when it is undefined (fewer
than two judges on every case, or no variation at all). Krippendorff suggests relying on α ≥ 0.8 and
drawing tentative conclusions only from α ≥ 0.667.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from casekit.score.aggregate import stage_matrix

if TYPE_CHECKING:
    from casekit.rubric import Rubric


def _pair_sum(values: np.ndarray, metric: str) -> float:
    """Sum of δ(a, b) over ordered pairs a ≠ b (by position) of `values`."""
    m = len(values)
    if metric == "interval":
        return float(2 * (m * np.sum(values**2) - np.sum(values) ** 2))
    _, counts = np.unique(values, return_counts=True)
    return float(m * m - np.sum(counts**2))


def krippendorff_alpha(
    matrix: np.ndarray | pd.DataFrame, metric: Literal["interval", "nominal"] = "interval"
) -> float:
    """Krippendorff's alpha of a (judges × cases) matrix with NaN for missing scores.

    Interval metric δ(a, b) = (a − b)²; nominal δ = [a ≠ b]. Cases with fewer than two scores are not
    pairable and are ignored, as the coefficient's definition requires.
    """
    data = np.asarray(matrix, dtype=float)
    if data.ndim != 2:
        raise ValueError("krippendorff_alpha needs a 2-D judges × cases matrix")
    units = [col[~np.isnan(col)] for col in data.T]
    units = [u for u in units if len(u) >= 2]
    if not units:
        return float("nan")
    n = sum(len(u) for u in units)
    observed = sum(_pair_sum(u, metric) / (len(u) - 1) for u in units) / n
    pooled = np.concatenate(units)
    expected = _pair_sum(pooled, metric) / (n * (n - 1))
    if expected == 0:
        return float("nan")
    return float(1.0 - observed / expected)


def agreement_frame(scores: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Alpha per criterion and per stage (on each judge's stage sum) from `ScoreStore.scores_frame` rows.

    Excluded scores (abstentions, recusals, conflicts) are left out. Columns: level (criterion|stage),
    id, name, alpha, n_cases (cases with ≥ 2 judges), n_judges, n_scores, reading.
    """
    if "excluded" in scores:
        scores = scores[scores["excluded"].isna()]
    rows = []
    for stage in rubric.stages:
        for crit in stage.criteria:
            sub = scores[scores["criterion"] == crit.id]
            rows.append(
                _row(
                    "criterion",
                    crit.id,
                    crit.name,
                    sub.pivot_table(index="judge_id", columns="case_id", values="points", aggfunc="mean")
                    if len(sub)
                    else None,
                    len(sub),
                )
            )
        matrix, _ = stage_matrix(scores, stage)
        sums = None if matrix.empty else matrix
        rows.append(
            _row("stage", stage.id, stage.name, sums, 0 if sums is None else int(sums.notna().sum().sum()))
        )
    return pd.DataFrame(rows)


def _row(level: str, key: str, name: str, matrix: pd.DataFrame | None, n_scores: int) -> dict[str, object]:
    if matrix is None or matrix.empty:
        return {
            "level": level,
            "id": key,
            "name": name,
            "alpha": float("nan"),
            "n_cases": 0,
            "n_judges": 0,
            "n_scores": 0,
            "reading": "no scores",
        }
    alpha = krippendorff_alpha(matrix.to_numpy(dtype=float))
    n_cases = int((matrix.notna().sum(axis=0) >= 2).sum())
    if np.isnan(alpha):
        reading = "undefined (fewer than two judges per case, or no variation)"
    elif alpha >= 0.8:
        reading = "reliable (α ≥ 0.8)"
    elif alpha >= 0.667:
        reading = "tentative (0.667 ≤ α < 0.8)"
    else:
        reading = "judges disagree (α < 0.667)"
    return {
        "level": level,
        "id": key,
        "name": name,
        "alpha": round(alpha, 4) if not np.isnan(alpha) else alpha,
        "n_cases": n_cases,
        "n_judges": int(matrix.notna().any(axis=1).sum()),
        "n_scores": n_scores,
        "reading": reading,
    }
