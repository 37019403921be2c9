"""Headline figures: one per case and category, the total over its parts, repeats counted once."""

from __future__ import annotations

from casekit.outcomes.headline import mark_headlines
from casekit.outcomes.model import Indicator


def _ind(norm: float, line: int, label: str = "", temporal: str = "actual", score: float = 2.0, **kw):  # type: ignore[no-untyped-def]
    return Indicator(
        case_id=kw.pop("case_id", "c1"),
        municipality="가상시",
        category=kw.pop("category", "jobs"),
        category_name="일자리",
        label=label,
        value=norm,
        unit=kw.pop("unit", "명"),
        norm=norm,
        temporal=temporal,
        line=line,
        col=0,
        kind=kw.pop("kind", "persons"),
        score=score,
        **kw,
    )


def test_the_total_wins_over_its_parts_and_is_not_their_sum() -> None:
    parts = [_ind(9, 10, "1차"), _ind(2, 10, "2차"), _ind(11, 8, "합계")]
    (head,) = mark_headlines(parts)
    assert head.norm == 11 and head.headline
    assert sum(i.headline for i in parts) == 1


def test_a_figure_repeated_in_summary_and_body_is_one_figure_mentioned_twice() -> None:
    found = [_ind(70, 60), _ind(70, 325), _ind(12, 327)]
    (head,) = mark_headlines(found)
    assert head.norm == 70 and head.line == 60 and head.mentions == 2


def test_achievements_before_plans_before_estimates() -> None:
    found = [_ind(786, 1173, temporal="forecast"), _ind(40, 1200, temporal="planned")]
    assert mark_headlines(found)[0].norm == 40
    found.append(_ind(15, 1300))
    assert mark_headlines(found)[0].norm == 15
    only_estimate = [_ind(786, 1173, temporal="forecast")]
    assert mark_headlines(only_estimate)[0].temporal == "forecast"  # shown, marked as an estimate


def test_a_figure_named_for_its_category_beats_a_bigger_one_placed_by_its_unit_alone() -> None:
    found = [_ind(900, 5, score=0.0, category="beneficiaries"), _ind(120, 9, category="beneficiaries")]
    assert mark_headlines(found)[0].norm == 120


def test_one_headline_per_case_and_category_and_before_figures_never_headline() -> None:
    before = _ind(400, 28, role="before")
    after = _ind(301, 28, before=400.0)
    other_case = _ind(5, 3, case_id="c2")
    money = _ind(2.9e9, 352, category="budget", unit="원", kind="money")
    heads = mark_headlines([before, after, other_case, money])
    assert {(h.case_id, h.category, h.norm) for h in heads} == {
        ("c1", "jobs", 301),
        ("c2", "jobs", 5),
        ("c1", "budget", 2.9e9),
    }
