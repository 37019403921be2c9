"""Score extracted metrics against a hand-annotated gold file of numeric tokens.

The gold file (JSONL) lists every numeric token of some cases with the annotator's decision:
`{"case", "line", "col", "token", "keep", "kind", "norm", "unit", ...}`. A metric matches a gold
token when it starts at the same original line and column. Precision and recall count kept tokens;
kind and norm accuracy are measured over the matched ones, so they say how good the normalization
is independently of how many quantities were found. The strict figures count a metric as right only
when its position, kind and norm all are: what a reader of the metrics table gets right.

Gold for documents other than the case book (`score_document`) names the file as its `case`; the
metrics of every case parsed from that file are scored together.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from casekit.metrics.model import Metric


@dataclass(slots=True)
class GoldScore:
    """Precision/recall/F1 of finding quantities, and accuracy of kind and norm on the ones found."""

    tokens: int
    gold_kept: int
    predicted: int
    true_positives: int
    precision: float
    recall: float
    f1: float
    kind_accuracy: float
    norm_accuracy: float
    strict_precision: float = 0.0  # position, kind and norm right, over the metrics found
    strict_recall: float = 0.0  # … over the kept gold tokens
    strict_f1: float = 0.0
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    wrong: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("misses", "false_positives", "wrong"):
            data[key] = len(data[key])
        return data


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def score(metrics: Iterable[Metric], gold: list[dict[str, Any]], cases: set[str] | None = None) -> GoldScore:
    """Score `metrics` of the cases in `gold` (or only `cases`, by id) against the gold tokens."""
    wanted = cases if cases is not None else {row["case"] for row in gold}
    rows = [row for row in gold if row["case"] in wanted]
    by_pos = {(row["line"], row["col"]): row for row in rows}
    predicted = [m for m in metrics if m.case_id in wanted]
    tp = kind_ok = norm_ok = 0
    false_positives: list[dict[str, Any]] = []
    wrong: list[dict[str, Any]] = []
    matched: set[tuple[int, int]] = set()
    for metric in predicted:
        row = by_pos.get((metric.line, metric.col))
        if row is None or not row["keep"]:
            false_positives.append(
                {"line": metric.line, "col": metric.col, "text": metric.text, "kind": metric.kind}
            )
            continue
        tp += 1
        matched.add((metric.line, metric.col))
        kind_match = metric.kind == row["kind"]
        norm_match = math.isclose(metric.norm, float(row["norm"]), rel_tol=1e-9, abs_tol=1e-9)
        kind_ok += kind_match
        norm_ok += norm_match
        if not (kind_match and norm_match):
            wrong.append(
                {
                    "line": metric.line,
                    "text": metric.text,
                    "kind": metric.kind,
                    "norm": metric.norm,
                    "gold_kind": row["kind"],
                    "gold_norm": row["norm"],
                }
            )
    kept = [row for row in rows if row["keep"]]
    misses = [row for row in kept if (row["line"], row["col"]) not in matched]
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(kept) if kept else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    strict = tp - len(wrong)
    strict_precision = strict / len(predicted) if predicted else 0.0
    strict_recall = strict / len(kept) if kept else 0.0
    strict_sum = strict_precision + strict_recall
    return GoldScore(
        tokens=len(rows),
        gold_kept=len(kept),
        predicted=len(predicted),
        true_positives=tp,
        precision=precision,
        recall=recall,
        f1=f1,
        kind_accuracy=kind_ok / tp if tp else 0.0,
        norm_accuracy=norm_ok / tp if tp else 0.0,
        strict_precision=strict_precision,
        strict_recall=strict_recall,
        strict_f1=2 * strict_precision * strict_recall / strict_sum if strict_sum else 0.0,
        misses=misses,
        false_positives=false_positives,
        wrong=wrong,
    )


def score_document(path: str | Path, gold: list[dict[str, Any]], key: str) -> GoldScore:
    """Score the metrics of every case parsed from the file at `path` against the gold rows whose
    `case` is `key` (the document's name in the gold file)."""
    from dataclasses import replace

    from casekit.metrics.api import extract_metrics
    from casekit.parse import parse_file

    metrics = [replace(m, case_id=key) for case in parse_file(path) for m in extract_metrics(case)]
    return score(metrics, gold, {key})
