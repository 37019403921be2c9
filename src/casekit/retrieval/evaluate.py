"""Retrieval quality on a labelled query set, scored strictly at a fixed window size.

A researcher wants the lines that answer, so a hit counts only when it is in the right case *and* its
lines overlap an answering line. Backends return units of different sizes (a 53-line section overlaps
more answers than an 8-line window just by being long), so by default every hit is judged on the same
unit: the `window` lines of its case around the hit's best line (`match_line`). For a window backend
that is the hit itself. `unit="own"` judges each hit on its own line range instead (for comparison).

Labels are original line ranges `[first, last, grade]` (2 = answers it, 1 = related), or text anchors
(`answers:` / `related:` fragments of the answering lines), resolved to line ranges on the cases, so
they do not depend on any splitter. Figures: MRR@k on answering lines (strict), nDCG@k on grades,
recall (a strict hit in the top k) and case MRR (the first hit in the right case).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from casekit.errors import CasekitError
from casekit.retrieval.index import SearchIndex
from casekit.retrieval.query import hits
from casekit.retrieval.windows import WINDOW_LINES
from casekit.yaml_safe import safe_load_file

if TYPE_CHECKING:
    from casekit.parse.model import Case  # annotations only: the parser costs ~0.1 s to import


@dataclass(frozen=True)
class LabelledQuery:
    id: str
    query: str
    case: str  # municipality holding the answer
    relevant: tuple[tuple[int, int, int], ...]  # (first line, last line, grade) of the source file
    source: str = ""  # end of the case's source path, when the municipality alone is ambiguous
    answers: tuple[str, ...] = ()  # fragments of answering lines (grade 2), resolved by `resolve`
    related: tuple[str, ...] = ()  # fragments of related lines (grade 1)

    def in_case(self, municipality: str | None, source: str | None) -> bool:
        return municipality == self.case and (not self.source or (source or "").endswith(self.source))

    def grade(self, line_start: int, line_end: int) -> int:
        return max((g for a, b, g in self.relevant if line_start <= b and a <= line_end), default=0)


def load_queries(path: str | Path) -> list[LabelledQuery]:
    try:
        data = safe_load_file(path)
        return [
            LabelledQuery(
                str(q["id"]),
                str(q["query"]),
                str(q["case"]),
                tuple((int(a), int(b), int(g)) for a, b, g in q.get("relevant", ())),
                str(q.get("source", "")),
                tuple(str(t) for t in q.get("answers", ())),
                tuple(str(t) for t in q.get("related", ())),
            )
            for q in data["queries"]
        ]
    except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise CasekitError(f"{path}: not a labelled query set ({exc})") from exc


def resolve(queries: Sequence[LabelledQuery], cases: Sequence[Case]) -> list[LabelledQuery]:
    """Turn text anchors into line ranges on `cases`; an anchor found nowhere is an error (a stale label)."""
    out = []
    for q in queries:
        if not (q.answers or q.related):
            out.append(q)
            continue
        holding = [c for c in cases if q.in_case(c.municipality, c.source)]
        ranges = list(q.relevant)
        for grade, anchors in ((2, q.answers), (1, q.related)):
            for anchor in anchors:
                numbers = [ln.number for c in holding for ln in c.lines if anchor in ln.text]
                if not numbers:
                    raise CasekitError(f"query {q.id}: no line of {q.case} {q.source} holds {anchor!r}")
                ranges.extend((n, n, grade) for n in numbers)
        out.append(replace(q, relevant=tuple(ranges)))
    return out


@dataclass
class Evaluation:
    backend: str
    k: int
    mrr: float  # strict: right case and overlapping an answering line (grade 2)
    ndcg: float
    recall: float  # share of queries with a strict hit in the top k
    case_mrr: float = 0.0
    lenient_mrr: float = 0.0  # grade 1 (related lines) counts too
    unit: str = "window"
    per_query: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "unit": self.unit,
            "k": self.k,
            "queries": len(self.per_query),
            "mrr": round(self.mrr, 4),
            "ndcg": round(self.ndcg, 4),
            "recall": round(self.recall, 4),
            "case_mrr": round(self.case_mrr, 4),
            "lenient_mrr": round(self.lenient_mrr, 4),
        }


def _dcg(grades: Sequence[int]) -> float:
    return sum((2**g - 1) / math.log2(rank + 1) for rank, g in enumerate(grades, start=1))


def _case_lines(index: SearchIndex) -> dict[str, list[int]]:
    """Original line numbers of each case, in order (to lay a fixed window around a hit's best line)."""
    if index.lines is not None:
        lines = index.lines
        return {
            cid: [int(n) for n in lines.line_no[lines.case_first[c] : lines.case_first[c + 1]]]
            for c, cid in enumerate(lines.case_ids)
        }
    numbers: dict[str, list[int]] = {}
    for p in index.passages:
        numbers.setdefault(p.case_id, []).extend(p.line_numbers)
    return {cid: sorted(ns) for cid, ns in numbers.items()}


def fixed_window(numbers: Sequence[int], line: int, window: int = WINDOW_LINES) -> tuple[int, int]:
    """The `window` consecutive lines of a case around `line` (clipped to the case), as (first, last)."""
    if not numbers:
        return line, line
    from bisect import bisect_left

    i = min(bisect_left(numbers, line), len(numbers) - 1)
    start = max(0, min(i - (window - 1) // 2, len(numbers) - window))
    return numbers[start], numbers[min(start + window, len(numbers)) - 1]


def evaluate(
    index: SearchIndex,
    queries: Sequence[LabelledQuery],
    k: int = 10,
    window: int = WINDOW_LINES,
    unit: str = "window",
) -> Evaluation:
    """Run every query against `index` and score its top `k` hits strictly (see the module docstring)."""
    numbers = _case_lines(index) if unit == "window" else {}
    rows: list[dict[str, Any]] = []
    for q in queries:
        found = hits(index, q.query, top_k=k)
        grades = []
        in_case = []
        for hit in found:
            right = q.in_case(hit["municipality"], hit["source"])
            if unit == "window" and index.lines is None:
                first, last = fixed_window(numbers.get(hit["case_id"], []), hit["match_line"], window)
            else:
                first, last = hit["line_start"], hit["line_end"]
            grades.append(q.grade(first, last) if right else 0)
            in_case.append(right)
        strict = next((r for r, g in enumerate(grades, start=1) if g == 2), None)
        lenient = next((r for r, g in enumerate(grades, start=1) if g > 0), None)
        case_first = next((r for r, ok in enumerate(in_case, start=1) if ok), None)
        ideal = _dcg(sorted((g for _, _, g in q.relevant), reverse=True)[:k])
        rows.append(
            {
                "id": q.id,
                "query": q.query,
                "case": q.case,
                "first_relevant": strict,
                "rr": 1.0 / strict if strict else 0.0,
                "lenient_rr": 1.0 / lenient if lenient else 0.0,
                "case_rr": 1.0 / case_first if case_first else 0.0,
                "ndcg": min(_dcg(grades) / ideal, 1.0) if ideal > 0 else 0.0,
            }
        )
    n = max(len(rows), 1)
    return Evaluation(
        backend=index.spec.name,
        k=k,
        mrr=sum(r["rr"] for r in rows) / n,
        ndcg=sum(r["ndcg"] for r in rows) / n,
        recall=sum(1 for r in rows if r["first_relevant"]) / n,
        case_mrr=sum(r["case_rr"] for r in rows) / n,
        lenient_mrr=sum(r["lenient_rr"] for r in rows) / n,
        unit=unit,
        per_query=rows,
    )
