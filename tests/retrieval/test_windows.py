"""Window scoring from per-line postings equals BM25 computed window by window, and hits behave."""

from __future__ import annotations

import math
import random

import pytest

from casekit.ingest.model import Line
from casekit.parse.model import Case, Section
from casekit.retrieval.lines import LineIndex
from casekit.retrieval.windows import WindowScorer

WORDS = "청년 창업 시장 주차 노인 일자리 카페 여성 훈련 교육 마을 축제 공원 도서관".split()


def _case(i: int, n_lines: int, rng: random.Random) -> tuple[Case, list[list[str]]]:
    tokens = [[rng.choice(WORDS) for _ in range(rng.randint(0, 6))] for _ in range(n_lines)]
    lines = [Line(" ".join(t) or "-", 10 + 2 * k) for k, t in enumerate(tokens)]
    sections = [
        Section("첫째", "summary", 10, 10 + n_lines),
        Section("둘째", None, 10 + n_lines, 10 + 2 * n_lines, 2),
    ]
    case = Case(
        f"c{i}", "x.txt", 10, 10 + 2 * n_lines, None, f"시{i}", None, "t", None, [], "", sections, lines
    )
    return case, tokens


def _brute(tokens_by_case, query, window, k1, b):
    all_lines = [t for case in tokens_by_case for t in case]
    n = len(all_lines)
    df = {term: sum(term in line for line in all_lines) for term in query}
    average = window * sum(len(t) for t in all_lines) / n
    scores = {}
    for c, lines in enumerate(tokens_by_case):
        for s in range(max(1, len(lines) - window + 1)):
            chunk = [tok for line in lines[s : s + window] for tok in line]
            total = 0.0
            for term in query:
                tf = chunk.count(term)
                if tf:
                    idf = math.log1p((n - df[term] + 0.5) / (df[term] + 0.5))
                    total += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(chunk) / average))
            scores[(c, s)] = total
    return scores


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_window_scores_equal_bm25_window_by_window(seed):
    rng = random.Random(seed)
    built = [_case(i, rng.choice([3, 8, 15, 30]), rng) for i in range(6)]
    cases = [c for c, _ in built]
    tokens = [t for _, t in built]
    index = LineIndex.build(cases, {"bigram": [line for t in tokens for line in t]})
    scorer = WindowScorer(index, window=8, weights={"bigram": 1.0})
    query = ["청년", "창업", "카페"]
    got = scorer.rank({"bigram": dict.fromkeys(query, 1.0)}, top_k=50)
    expected = _brute(tokens, query, 8, scorer.k1, scorer.b)
    top = max(expected.values())
    for hit in got:
        c = hit.case
        start = hit.start - int(index.case_first[c])
        assert hit.score == pytest.approx(expected[(c, start)] / top, rel=1e-6)
        assert hit.end - hit.start == min(8, len(tokens[c]))  # a window never crosses its case
        assert hit.start <= hit.best < hit.end
    # the first hit is the best window overall; hits of one case never overlap
    assert got[0].score == pytest.approx(1.0)
    for a in got:
        for other in got:
            if a is not other and a.case == other.case:
                assert a.end <= other.start or other.end <= a.start


def test_filters_and_per_case_cap():
    rng = random.Random(7)
    built = [_case(i, 30, rng) for i in range(4)]
    index = LineIndex.build([c for c, _ in built], {"bigram": [line for _, t in built for line in t]})
    scorer = WindowScorer(index, weights={"bigram": 1.0})
    terms = {"bigram": {"청년": 1.0, "노인": 1.0}}
    import numpy as np

    mask = np.array([False, True, False, True])
    assert {h.case for h in scorer.rank(terms, 20, case_mask=mask)} <= {1, 3}
    capped = scorer.rank(terms, 20, per_case=1)
    assert len({h.case for h in capped}) == len(capped)
    assert scorer.rank({"bigram": {"없는말": 1.0}}, 5) == []


def test_best_line_labels_the_hit_with_its_section():
    rng = random.Random(3)
    case, tokens = _case(0, 10, rng)
    tokens[7] = ["도서관", "도서관", "도서관"]  # line 7 (number 24) answers; it lies in the second section
    case.lines[7] = Line("도서관 도서관 도서관", case.lines[7].number)
    index = LineIndex.build([case], {"bigram": tokens})
    (hit,) = WindowScorer(index, weights={"bigram": 1.0}).rank({"bigram": {"도서관": 1.0}}, 1)
    assert int(index.line_no[hit.best]) == 24
    assert index.labels[int(index.line_label[hit.best])][0] == "둘째"  # 첫째 spans 10–20, 둘째 20–30
    assert index.text(hit.best) == "도서관 도서관 도서관"
