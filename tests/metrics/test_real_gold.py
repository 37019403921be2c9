"""Extraction quality beyond the case book: hand-annotated gold of real municipal pages and work reports
(`tests/metrics/gold/real_gold.jsonl`, guideline in docs/metrics.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.metrics.evaluate import load_gold, score_document

HERE = Path(__file__).parent / "gold"
GOLD = load_gold(HERE / "real_gold.jsonl")
DOCUMENTS = list(dict.fromkeys(row["case"] for row in GOLD))
#: ../shared beside the repository (the real pages are referenced there, never copied in).
SHARED = next(
    (p for p in (Path(__file__).resolve().parents[2].parent / "shared", Path("/work/shared")) if p.is_dir()),
    None,
)


def _path(key: str) -> Path | None:
    if key.startswith("realdocs/"):
        return SHARED / key if SHARED is not None and (SHARED / key).is_file() else None
    return HERE / key


def test_gold_is_large_enough_and_complete() -> None:
    assert len(GOLD) >= 400 and sum(row["keep"] for row in GOLD) >= 300
    assert len(DOCUMENTS) >= 3 and all(
        _path(key) is not None or key.startswith("realdocs/") for key in DOCUMENTS
    )
    kept = [row for row in GOLD if row["keep"]]
    assert all(row["kind"] and row["norm"] is not None for row in kept)
    assert len({(row["case"], row["line"], row["col"]) for row in GOLD}) == len(GOLD)  # one decision a token


@pytest.mark.parametrize("key", DOCUMENTS)
def test_strict_f1_on_each_document(key: str) -> None:
    path = _path(key)
    if path is None:
        pytest.skip(f"{key} not beside the repository")
    result = score_document(path, GOLD, key)
    assert result.strict_f1 >= 0.93, (result.misses, result.false_positives, result.wrong)
    assert result.precision >= 0.95, result.false_positives


def test_scorer_is_strict_about_kind_and_norm() -> None:
    key = "docs/report_page.html"
    result = score_document(HERE / key, GOLD, key)
    broken = [
        dict(row, norm=(row["norm"] or 0) * 10) if row["keep"] else row for row in GOLD if row["case"] == key
    ]
    worse = score_document(HERE / key, broken, key)
    assert worse.f1 == result.f1 and worse.strict_f1 < result.strict_f1
