"""Headline indicators: per case and category, the one figure a judge would quote.

A case mentions its outcomes many times: in the 사례요약 and again in the body, as parts (1차 9개 기업, 2차 2개
기업) and as a total (11개 기업), as a plan and as a result. Adding them up would count the same jobs two or
three times, so the headline is one figure, chosen in this order:

  1. of the category's headline kind (persons for 일자리, money for 예산 …), and units where it names some;
  2. achieved before planned, planned before estimated (실적 > 계획 > 추정): a forecast is a headline only
     when the case gives nothing else in that category;
  3. a figure whose own words name the category over one placed there by its unit alone ("12명" with no cue
     word is a participant count by default);
  4. the largest: a total is never smaller than its parts, so the total over parts wins without adding the
     parts up (which would count the same people twice); then one the text calls a total (총, 합계, 누계),
     one that equals the sum of others, one that shows a change (before → after), the earliest line.

`mentions` counts the lines that give the chosen figure, so a repetition in summary and body is one figure
said twice, not two outcomes.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from casekit.outcomes.model import Indicator
from casekit.outcomes.taxonomy import Taxonomy, load_taxonomy

TEMPORAL_ORDER = {"actual": 0, "planned": 1, "forecast": 2}


def _named(indicator: Indicator, min_score: float) -> bool:
    """Whether the figure's own words name the category (not merely its unit: "명" with no cue word)."""
    return indicator.score >= min_score


def _sums_parts(indicator: Indicator, others: Sequence[Indicator], limit: int = 12) -> bool:
    """True when the figure equals the sum of two or more other figures of the same unit (parts it totals)."""
    parts = sorted({o.norm for o in others if o is not indicator and 0 < o.norm < indicator.norm})[-limit:]
    for size in (2, 3, 4):
        for combo in combinations(parts, size):
            if abs(sum(combo) - indicator.norm) <= 1e-6 * max(indicator.norm, 1.0):
                return True
    return False


def mark_headlines(indicators: Sequence[Indicator], taxonomy: Taxonomy | None = None) -> list[Indicator]:
    """Set `headline` and `mentions` on `indicators` (all of one or many cases); returns the headlines."""
    tax = taxonomy or load_taxonomy()
    groups: dict[tuple[str, str], list[Indicator]] = {}
    for indicator in indicators:
        indicator.headline = False
        groups.setdefault((indicator.case_id, indicator.category), []).append(indicator)
    chosen: list[Indicator] = []
    for (_, category_id), members in groups.items():
        category = tax.category(category_id)
        rule = category.headline
        pool = [
            i
            for i in members
            if i.kind == rule.kind and (not rule.units or i.unit in rule.units) and i.role != "before"
        ]
        if not pool:
            pool = [i for i in members if i.role != "before"] or list(members)
        best_tier = min(TEMPORAL_ORDER.get(i.temporal, 3) for i in pool)
        tier = [i for i in pool if TEMPORAL_ORDER.get(i.temporal, 3) == best_tier]
        same_unit = {u: [i for i in tier if i.unit == u] for u in {i.unit for i in tier}}
        best = max(
            tier,
            key=lambda i: (
                _named(i, tax.min_score),
                i.norm,
                i.total,
                _sums_parts(i, same_unit[i.unit]),
                i.before is not None,
                -i.line,
                -i.col,
            ),
        )
        best.headline = True
        lines = {i.line for i in members if i.norm == best.norm and i.unit == best.unit}
        for i in members:
            i.mentions = len(lines) if (i.norm == best.norm and i.unit == best.unit) else i.mentions
        chosen.append(best)
    order = {c: n for n, c in enumerate(tax.ids)}
    chosen.sort(key=lambda i: (i.case_id, order.get(i.category, 99)))
    return chosen
