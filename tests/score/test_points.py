"""The points a judge may give: a number, 0..max_points of the criterion, in half points — the one check
the store, CSV imports and the judge's form share."""

from __future__ import annotations

import math

import pytest

from casekit.score.points import POINTS_STEP, PointsError, validate_points


def test_points_inside_the_criterion_in_half_points(rubric):  # type: ignore[no-untyped-def]
    fit = rubric.criterion("적합성")  # 14 points in the 2017 rubric
    assert fit.max_points == 14 and POINTS_STEP == 0.5
    assert [validate_points(fit, v) for v in (0, 0.5, 7, 13.5, 14)] == [0.0, 0.5, 7.0, 13.5, 14.0]
    assert validate_points(fit, " 12,5 ") == 12.5  # a Korean keyboard's decimal comma
    assert validate_points(fit, "11") == 11.0


@pytest.mark.parametrize(
    ("points", "message"),
    [
        (14.5, r"14\.5 is outside 0–14"),
        (-0.5, r"-0\.5 is outside 0–14"),
        (12.3, r"12\.3 is not a multiple of 0\.5"),
        (0.25, r"0\.25 is not a multiple of 0\.5"),
        ("열", "is not a number"),
        (None, "is not a number"),
        (math.nan, "is not a number"),
        (math.inf, "is not a number"),
    ],
)
def test_refused_points_say_why_in_korean_and_english(rubric, points, message):  # type: ignore[no-untyped-def]
    with pytest.raises(PointsError, match=message) as refused:
        validate_points(rubric.criterion("fit"), points)
    text = str(refused.value)
    assert text.startswith("적합성(fit): ") and any("가" <= ch <= "힣" for ch in text.split("(", 2)[1])


def test_the_store_refuses_what_validate_points_refuses(scored_workspace, rubric):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    case = ws.load_cases()[0].id
    before = len(store.history())
    with pytest.raises(PointsError, match="not a multiple of 0.5"):
        store.save_score("E1", case, "fit", 12.3, rubric=rubric)
    assert len(store.history()) == before
