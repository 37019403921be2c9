"""Strict evaluation: a hit counts in the right case and on an answering line, at a fixed window size."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.errors import CasekitError
from casekit.retrieval.evaluate import LabelledQuery, evaluate, fixed_window, load_queries, resolve
from casekit.retrieval.index import DEFAULT_BACKEND, SearchIndex
from casekit.retrieval.query import hits

QUERIES = Path(__file__).resolve().parents[1] / "search" / "queries.yaml"


def test_fixed_window_is_clipped_to_the_case():
    numbers = [10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 25]
    assert fixed_window(numbers, 16) == (12, 20)  # 3 lines before, 4 after, blank line 13 skipped
    assert fixed_window(numbers, 10) == (10, 18)
    assert fixed_window(numbers, 25) == (14, 25)  # the last 8 lines of the case
    assert fixed_window([5, 6], 6) == (5, 6)


def test_strict_rule_needs_the_right_case_and_an_answering_line(seed_cases):
    index = SearchIndex.build(seed_cases, DEFAULT_BACKEND)
    query = "해외 무역사절단과 국외 박람회 참가"
    top = hits(index, query, 1)[0]
    right = LabelledQuery("a", query, top["municipality"], ((top["match_line"], top["match_line"], 2),))
    assert evaluate(index, [right], 10).mrr == 1.0
    wrong_case = LabelledQuery("b", query, "없는시", right.relevant)
    assert evaluate(index, [wrong_case], 10).mrr == 0.0  # same lines, other case: no credit
    related_only = LabelledQuery(
        "c", query, top["municipality"], ((top["match_line"], top["match_line"], 1),)
    )
    result = evaluate(index, [related_only], 10)
    assert result.mrr == 0.0 and result.lenient_mrr == 1.0


def test_section_hits_are_judged_on_a_window_not_their_own_size(seed_cases):
    index = SearchIndex.build(seed_cases, "ngram+cong")
    query = "해외 무역사절단과 국외 박람회 참가"
    top = hits(index, query, 1)[0]
    # an answer inside the passage but far from its best line counts only when the passage's size is used
    far = top["line_end"] if top["match_line"] < top["line_end"] - 8 else top["line_start"]
    if abs(far - top["match_line"]) <= 8:
        pytest.skip("the top passage is too short to show the difference")
    q = LabelledQuery("d", query, top["municipality"], ((far, far, 2),))
    assert evaluate(index, [q], 1, unit="own").mrr == 1.0
    assert evaluate(index, [q], 1, unit="window").mrr == 0.0


def test_text_anchors_resolve_to_lines(seed_cases):
    q = LabelledQuery("e", "무역사절단", "경산시", (), answers=("무역사절단",))
    (resolved,) = resolve([q], seed_cases)
    case = next(c for c in seed_cases if c.municipality == "경산시")
    assert resolved.relevant and all(case.line_start <= a <= case.line_end for a, _, _ in resolved.relevant)
    with pytest.raises(CasekitError, match="holds"):
        resolve([LabelledQuery("f", "x", "경산시", (), answers=("이런문장은없다",))], seed_cases)


def test_load_queries_names_the_file(tmp_path):
    bad = tmp_path / "q.yaml"
    bad.write_text("queries: [{id: 1}]", encoding="utf-8")
    with pytest.raises(CasekitError, match="q.yaml"):
        load_queries(bad)
    assert len(load_queries(QUERIES)) >= 60
