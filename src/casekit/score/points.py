"""Points a judge may give on a criterion, and a stored score read back.

The same check serves the store (a refused save), CSV imports (a bad row) and the judge's form (a box
bounded 0..max_points in steps of POINTS_STEP), so a value the form accepts is one the store keeps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from casekit.errors import ScoreError
from casekit.rubric import Criterion

#: Points are given in half points (the competition's score sheets).
POINTS_STEP = 0.5


class PointsError(ScoreError):
    """Points that are no number, outside 0..max_points of the criterion, or not in half points."""


@dataclass(frozen=True)
class StoredScore:
    """One stored score of a judge on a case, for reading back what was saved."""

    criterion: str
    name: str  # the criterion's Korean name (창의성 …)
    points: float
    max_points: float
    comment: str | None
    updated_at: datetime  # aware, UTC: `.astimezone()` for the judge's local time


def validate_points(crit: Criterion, points: Any) -> float:
    """`points` as a float when it may be stored for `crit` (0..max_points, in half points); else PointsError."""
    label = f"{crit.name}({crit.id})"
    try:
        value = float(str(points).strip().replace(",", ".")) if isinstance(points, str) else float(points)
    except (TypeError, ValueError):
        raise PointsError(
            f"{label}: 점수 {points!r}은(는) 숫자가 아닙니다 (points {points!r} is not a number)"
        ) from None
    if not math.isfinite(value):
        raise PointsError(
            f"{label}: 점수 {points!r}은(는) 숫자가 아닙니다 (points {points!r} is not a number)"
        )
    max_points = float(crit.max_points or 0)
    if not 0.0 <= value <= max_points:
        raise PointsError(
            f"{label}: {value:g}점은 0–{max_points:g}점 범위 밖입니다 ({value:g} is outside 0–{max_points:g})"
        )
    steps = value / POINTS_STEP
    if abs(steps - round(steps)) > 1e-9:
        raise PointsError(
            f"{label}: {value:g}점 — {POINTS_STEP:g}점 단위로 입력하세요 "
            f"({value:g} is not a multiple of {POINTS_STEP:g})"
        )
    return value
