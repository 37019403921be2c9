"""Extraction quality against the hand-annotated gold tokens of five seed cases (see docs/metrics.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.metrics import extract_metrics
from casekit.metrics.evaluate import load_gold, score

GOLD = Path(__file__).parent / "gold" / "seed_gold.jsonl"
HELD_OUT = ("청주시", "정읍시")  # annotated after development froze; figures on them are the honest ones


@pytest.fixture(scope="module")
def gold():  # type: ignore[no-untyped-def]
    return load_gold(GOLD)


@pytest.fixture(scope="module")
def seed_metrics(seed_cases):  # type: ignore[no-untyped-def]
    return [m for case in seed_cases for m in extract_metrics(case)]


def test_gold_covers_five_cases_and_every_numeric_token(gold, seed_cases) -> None:  # type: ignore[no-untyped-def]
    ids = {row["case"] for row in gold}
    assert len(ids) == 5 and ids <= {c.id for c in seed_cases}
    assert len(gold) > 800 and sum(row["keep"] for row in gold) > 350
    assert all(isinstance(row["keep"], bool) for row in gold)
    kept = [row for row in gold if row["keep"]]
    assert all(row["kind"] and row["norm"] is not None for row in kept)


def test_f1_on_all_gold_cases(gold, seed_metrics) -> None:  # type: ignore[no-untyped-def]
    result = score(seed_metrics, gold)
    assert result.precision >= 0.99, result.false_positives
    assert result.recall >= 0.99, result.misses
    assert result.f1 >= 0.99
    assert result.kind_accuracy >= 0.97, result.wrong
    assert result.norm_accuracy >= 0.99, result.wrong


def test_f1_on_the_held_out_cases(gold, seed_metrics) -> None:  # type: ignore[no-untyped-def]
    held = {row["case"] for row in gold if row["case"].startswith(HELD_OUT)}
    assert len(held) == 2
    result = score(seed_metrics, gold, held)
    assert result.f1 >= 0.98, (result.misses, result.false_positives)
    assert result.norm_accuracy >= 0.99


def test_scorer_counts_misses_and_false_positives(gold, seed_metrics) -> None:  # type: ignore[no-untyped-def]
    # Dropping every money metric must cost recall; inventing one at a date token must cost precision.
    without_money = [m for m in seed_metrics if m.kind != "money"]
    assert score(without_money, gold).recall < score(seed_metrics, gold).recall
    date_row = next(row for row in gold if not row["keep"] and row["token"].startswith("20"))
    fake = type(seed_metrics[0])(
        **{
            **seed_metrics[0].to_dict(),
            "case_id": date_row["case"],
            "line": date_row["line"],
            "col": date_row["col"],
        }
    )
    assert score([*seed_metrics, fake], gold).precision < score(seed_metrics, gold).precision
