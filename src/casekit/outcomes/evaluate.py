"""Score the classifier against hand-labelled metrics: per-category precision and recall.

The gold file (JSONL, `tests/outcomes/gold/outcome_gold.jsonl`) gives metrics by where they stand —
`{"source", "line", "col", "text", "category", …}` with `source` the file's path under the shared data
folder ("seeds/004_….txt") — and the category a person gave each, "unknown" included. A metric the
classifier leaves out counts as predicted "unknown", so a figure wrongly left out lowers recall and one
wrongly put in a category lowers that category's precision.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casekit.outcomes.model import Indicator

UNKNOWN = "unknown"


@dataclass(slots=True)
class CategoryScore:
    category: str
    gold: int  # metrics the annotator put in this category
    predicted: int  # metrics the classifier put in it (among the labelled ones)
    correct: int
    precision: float
    recall: float
    f1: float


@dataclass(slots=True)
class OutcomeScore:
    labelled: int
    accuracy: float  # share of labelled metrics (unknown included) given the annotator's category
    categories: list[CategoryScore]
    confusions: list[dict[str, Any]] = field(default_factory=list)  # gold ≠ predicted, with context

    def by_category(self) -> dict[str, CategoryScore]:
        return {c.category: c for c in self.categories}

    def table(self) -> str:
        """The per-category figures as a Markdown table (for docs/metrics.md)."""
        lines = [
            "| category | gold | predicted | correct | precision | recall | F1 |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for c in self.categories:
            lines.append(
                f"| {c.category} | {c.gold} | {c.predicted} | {c.correct} | {c.precision:.3f} | "
                f"{c.recall:.3f} | {c.f1:.3f} |"
            )
        return "\n".join(lines)


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _key(source: str, line: int, col: int) -> tuple[str, int, int]:
    return (Path(source).name, int(line), int(col))


def score(indicators: Iterable[Indicator], gold: list[dict[str, Any]]) -> OutcomeScore:
    """Per-category precision/recall of `indicators` on the metrics labelled in `gold`."""
    predicted = {_key(i.source, i.line, i.col): i.category for i in indicators}
    categories = sorted({g["category"] for g in gold} - {UNKNOWN})
    pairs = []
    confusions = []
    for g in gold:
        guess = predicted.get(_key(g["source"], g["line"], g["col"]), UNKNOWN)
        pairs.append((g["category"], guess))
        if guess != g["category"]:
            confusions.append({**g, "predicted": guess})
    scores = []
    for category in categories:
        gold_n = sum(1 for want, _ in pairs if want == category)
        pred_n = sum(1 for _, got in pairs if got == category)
        correct = sum(1 for want, got in pairs if want == got == category)
        precision = correct / pred_n if pred_n else 0.0
        recall = correct / gold_n if gold_n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(CategoryScore(category, gold_n, pred_n, correct, precision, recall, f1))
    accuracy = sum(1 for want, got in pairs if want == got) / len(pairs) if pairs else 0.0
    return OutcomeScore(len(pairs), accuracy, scores, confusions)
