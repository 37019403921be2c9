"""Retrieval quality on a labelled query set: passage MRR@k and nDCG@k, per backend.

The default backend is chosen by these figures, and a test holds the default's figure, so relevance is
judged on original line ranges (not passage ids): a passage is relevant with the highest grade of any
labelled range its own line range overlaps, whatever the passage splitter does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from casekit.errors import CasekitError
from casekit.retrieval.index import SearchIndex
from casekit.retrieval.passages import Passage
from casekit.retrieval.query import rank
from casekit.yaml_safe import safe_load_file


@dataclass(frozen=True)
class LabelledQuery:
    id: str
    query: str
    case: str  # municipality holding the answer
    relevant: tuple[tuple[int, int, int], ...]  # (first line, last line, grade) of the source file

    def grade(self, passage: Passage) -> int:
        return max(
            (g for a, b, g in self.relevant if passage.line_start <= b and a <= passage.line_end), default=0
        )


def load_queries(path: str | Path) -> list[LabelledQuery]:
    try:
        data = safe_load_file(path)
        return [
            LabelledQuery(
                str(q["id"]),
                str(q["query"]),
                str(q["case"]),
                tuple((int(a), int(b), int(g)) for a, b, g in q["relevant"]),
            )
            for q in data["queries"]
        ]
    except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise CasekitError(f"{path}: not a labelled query set ({exc})") from exc


@dataclass
class Evaluation:
    backend: str
    k: int
    mrr: float
    ndcg: float
    recall: float  # share of queries with at least one relevant passage in the top k
    per_query: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "k": self.k,
            "queries": len(self.per_query),
            "mrr": round(self.mrr, 4),
            "ndcg": round(self.ndcg, 4),
            "recall": round(self.recall, 4),
        }


def _dcg(grades: Sequence[int]) -> float:
    return sum((2**g - 1) / math.log2(rank + 1) for rank, g in enumerate(grades, start=1))


def evaluate(index: SearchIndex, queries: Sequence[LabelledQuery], k: int = 10) -> Evaluation:
    """Run every query against `index` and score the top `k` passages."""
    rows: list[dict[str, Any]] = []
    for q in queries:
        ranked = rank(index, q.query, top_k=k)
        grades = [q.grade(index.passages[i]) for i, _ in ranked]
        first = next((rank for rank, g in enumerate(grades, start=1) if g > 0), None)
        ideal = sorted((q.grade(p) for p in index.passages), reverse=True)[:k]
        ideal_dcg = _dcg(ideal)
        rows.append(
            {
                "id": q.id,
                "query": q.query,
                "case": q.case,
                "first_relevant": first,
                "rr": 1.0 / first if first else 0.0,
                "ndcg": _dcg(grades) / ideal_dcg if ideal_dcg > 0 else 0.0,
            }
        )
    n = max(len(rows), 1)
    return Evaluation(
        backend=index.spec.name,
        k=k,
        mrr=sum(r["rr"] for r in rows) / n,
        ndcg=sum(r["ndcg"] for r in rows) / n,
        recall=sum(1 for r in rows if r["first_relevant"]) / n,
        per_query=rows,
    )
