"""Scoring fixed windows of lines: the unit a search hit points at.

A window is W consecutive lines of one case (W = 8 by default; a shorter case is one window), and every
start is a window (stride 1), so the eight lines that answer a question are always one of the
candidates, whichever section they straddle. Windows are never stored: from the per-line postings of
`casekit.retrieval.lines`, a query

1. scores whole cases (case postings, one pass per query term) and keeps the best `case_depth` cases
   that pass the filters, since an answer sits in a case that matches the query as a whole;
2. lays the query terms' line counts of those cases side by side, and reads every window's term counts
   and token length off cumulative sums (two subtractions a window), then scores BM25 on them;
3. adds the analyzers' scores, each divided by its best window score and weighted
   (Kiwi morphemes 1, Hangul bigrams 0.3 by default), so a weak signal never outvotes a strong one;
4. returns the best windows that do not overlap one another, each with its best line (the line with
   the most query weight), whose section labels the hit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from casekit.retrieval.lines import LineIndex, Postings

WINDOW_LINES = 8
#: Cases kept after the first, whole-case pass (the answer's case must be among them).
CASE_DEPTH = 200


@dataclass(frozen=True, slots=True)
class WindowHit:
    """A scored window: lines [start, end) of the line index (global positions), its best line."""

    case: int
    start: int
    end: int
    best: int
    score: float


def _idf(n: int, df: np.ndarray) -> np.ndarray:
    return np.log1p((n - df + 0.5) / (df + 0.5))


def _ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Concatenation of arange(lo[i], hi[i]) for every i (empty ranges allowed)."""
    counts = np.maximum(hi - lo, 0)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(counts)
    offsets = np.repeat(lo - (ends - counts), counts)
    return np.arange(total, dtype=np.int64) + offsets


class WindowScorer:
    """Ranks windows of a `LineIndex` for weighted query terms of one or more analyzers."""

    def __init__(
        self,
        lines: LineIndex,
        window: int = WINDOW_LINES,
        weights: Mapping[str, float] | None = None,
        k1: float = 1.2,
        b: float = 0.75,
        case_depth: int = CASE_DEPTH,
        case_weight: float = 0.0,
    ) -> None:
        self.lines = lines
        self.window = int(window)
        self.weights = dict(weights or {name: 1.0 for name in lines.postings})
        self.k1 = k1
        self.b = b
        self.case_depth = case_depth
        self.case_weight = case_weight

    def _resolve(self, postings: Postings, terms: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
        ids, weights = [], []
        for term, weight in terms.items():
            index = postings.term(term)
            if index >= 0 and weight > 0:
                ids.append(index)
                weights.append(weight)
        return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)

    def _case_scores(self, postings: Postings, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        n_cases = self.lines.n_cases
        scores = np.zeros(n_cases, dtype=np.float64)
        clen = np.asarray(postings.case_length, dtype=np.float64)
        norm = self.k1 * (1.0 - self.b + self.b * clen / max(float(clen.mean()), 1e-9))
        df = np.asarray(postings.cptr[ids + 1] - postings.cptr[ids], dtype=np.float64)
        idf = _idf(n_cases, df)
        for term, weight, term_idf in zip(ids, weights, idf):
            a, z = int(postings.cptr[term]), int(postings.cptr[term + 1])
            cases = np.asarray(postings.cases[a:z])
            tf = np.asarray(postings.ctf[a:z], dtype=np.float64)
            scores[cases] += weight * term_idf * tf * (self.k1 + 1.0) / (tf + norm[cases])
        return scores

    def rank(
        self,
        terms: Mapping[str, Mapping[str, float]],
        top_k: int = 10,
        case_mask: np.ndarray | None = None,
        per_case: int | None = None,
        dense: tuple[np.ndarray, np.ndarray, float] | None = None,
    ) -> list[WindowHit]:
        """The best non-overlapping windows for `terms` ({analyzer: {term: weight}}), best first.

        `dense` = (line vectors, query vector, weight) adds the mean cosine of a window's lines to the
        query, rescaled to [0, 1] over the candidate windows, with that weight.
        """
        lines = self.lines
        resolved = {}
        for name, weight in self.weights.items():
            if weight <= 0 or name not in lines.postings or not terms.get(name):
                continue
            ids, term_weights = self._resolve(lines.postings[name], terms[name])
            if len(ids):
                resolved[name] = (lines.postings[name], ids, term_weights * 1.0)
        if not resolved:
            return []
        # 1. candidate cases
        fused_cases = np.zeros(lines.n_cases, dtype=np.float64)
        for name, (postings, ids, term_weights) in resolved.items():
            scores = self._case_scores(postings, ids, term_weights)
            top = scores.max()
            if top > 0:
                fused_cases += self.weights[name] * scores / top
        if case_mask is not None:
            fused_cases = np.where(case_mask, fused_cases, 0.0)
        candidates = np.flatnonzero(fused_cases > 0)
        if len(candidates) > self.case_depth:
            keep = np.argpartition(-fused_cases[candidates], self.case_depth - 1)[: self.case_depth]
            candidates = np.sort(candidates[keep])
        if not len(candidates):
            return []
        first = np.asarray(lines.case_first[candidates], dtype=np.int64)
        last = np.asarray(lines.case_first[candidates + 1], dtype=np.int64)
        size = last - first
        first32, last32 = first.astype(np.int32), last.astype(np.int32)
        offset = np.zeros(len(candidates) + 1, dtype=np.int64)
        np.cumsum(size, out=offset[1:])
        n_local = int(offset[-1])
        local_to_global = _ranges(first, last)
        # windows: every start of each candidate case (one window for a case shorter than W)
        n_starts = np.maximum(size - self.window + 1, 1)
        starts = _ranges(offset[:-1], offset[:-1] + n_starts)
        owner = np.repeat(np.arange(len(candidates)), n_starts)
        ends = np.minimum(starts + self.window, offset[1:][owner])
        g_start = local_to_global[starts]
        g_end = g_start + (ends - starts)

        # 2. per analyzer: term counts of the candidate lines, windows read off cumulative sums
        window_scores = np.zeros(len(starts), dtype=np.float64)
        line_scores = np.zeros(n_local, dtype=np.float64)
        for name, (postings, ids, term_weights) in resolved.items():
            tf_lines = np.zeros((len(ids), n_local + 1), dtype=np.float64)
            for row, term in enumerate(ids):
                a, z = int(postings.ptr[term]), int(postings.ptr[term + 1])
                where = postings.lines[a:z]  # int32, searched as it is stored (no copy)
                lo = np.searchsorted(where, first32)
                hi = np.searchsorted(where, last32)
                picked = _ranges(lo, hi)
                if not len(picked):
                    continue
                case_of = np.repeat(np.arange(len(candidates)), hi - lo)
                local = where[picked] - first[case_of] + offset[case_of]
                tf_lines[row, local + 1] = postings.tf[a:z][picked]
            cumulative = np.cumsum(tf_lines, axis=1)
            tf = cumulative[:, ends] - cumulative[:, starts]
            length = np.asarray(postings.length[g_end] - postings.length[g_start], dtype=np.float64)
            average = self.window * float(postings.length[-1]) / max(lines.n_lines, 1)
            norm = self.k1 * (1.0 - self.b + self.b * length / max(average, 1e-9))
            idf = _idf(lines.n_lines, np.asarray(postings.ptr[ids + 1] - postings.ptr[ids], dtype=np.float64))
            weight = (term_weights * idf)[:, None]
            scores = (weight * tf * (self.k1 + 1.0) / (tf + norm[None, :])).sum(axis=0)
            top = scores.max() if len(scores) else 0.0
            if top <= 0:
                continue
            scale = self.weights[name] / top
            window_scores += scale * scores
            per_line = tf_lines[:, 1:]
            line_scores += scale * (weight * per_line * (self.k1 + 1.0) / (per_line + self.k1)).sum(axis=0)

        if dense is not None and dense[2] > 0:
            vectors, query, dense_weight = dense
            cos = np.zeros(n_local + 1, dtype=np.float64)
            cos[1:] = np.asarray(vectors[local_to_global], dtype=np.float32) @ np.asarray(
                query, dtype=np.float32
            )
            cumulative_cos = np.cumsum(cos)
            mean = (cumulative_cos[ends] - cumulative_cos[starts]) / np.maximum(ends - starts, 1)
            low, high = float(mean.min()), float(mean.max())
            if high > low:
                window_scores += dense_weight * (mean - low) / (high - low)
        if self.case_weight > 0 and fused_cases.max() > 0:
            window_scores += self.case_weight * (fused_cases[candidates] / fused_cases.max())[owner]

        # 3. the best windows that do not overlap
        order = np.argsort(-window_scores, kind="stable")
        taken: dict[int, list[tuple[int, int]]] = {}
        counts: dict[int, int] = {}
        out: list[WindowHit] = []
        for w in order:
            score = float(window_scores[w])
            if score <= 0 or len(out) >= top_k:
                break
            case = int(owner[w])
            s, e = int(starts[w]), int(ends[w])
            if any(s < te and ts < e for ts, te in taken.get(case, ())):
                continue
            if per_case and counts.get(case, 0) >= per_case:
                continue
            taken.setdefault(case, []).append((s, e))
            counts[case] = counts.get(case, 0) + 1
            best = s + int(np.argmax(line_scores[s:e]))
            out.append(
                WindowHit(
                    int(candidates[case]),
                    int(local_to_global[s]),
                    int(local_to_global[s]) + (e - s),
                    int(local_to_global[best]),
                    score,
                )
            )
        return out
