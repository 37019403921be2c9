"""Retrieval quality on the labelled query set holds the figures docs/search.md reports for the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.retrieval.evaluate import evaluate, load_queries
from casekit.retrieval.index import DEFAULT_BACKEND, SearchIndex
from casekit.retrieval.query import hits

QUERIES = Path(__file__).with_name("queries.yaml")


@pytest.fixture(scope="module")
def queries():
    return load_queries(QUERIES)


def test_query_set_is_real(queries, seed_cases):
    assert len(queries) >= 30
    assert len({q.id for q in queries}) == len(queries)
    municipalities = {c.municipality for c in seed_cases}
    assert {q.case for q in queries} == municipalities  # every case is asked about
    by_case = {c.municipality: c for c in seed_cases}
    for q in queries:
        case = by_case[q.case]
        assert any(g == 2 for _, _, g in q.relevant), q.id
        primary = [r for r in q.relevant if r[2] == 2]
        # the primary answer lies in the named case (a query may also accept another case's lines)
        assert any(case.line_start <= a <= b <= case.line_end for a, b, _ in primary), q.id


def test_default_backend_figures(seed_cases, queries):
    index = SearchIndex.build(seed_cases, DEFAULT_BACKEND)
    result = evaluate(index, queries, k=10)
    # docs/search.md: ngram+cong MRR@10 0.918, nDCG@10 0.845 (40 queries)
    assert result.mrr >= 0.90, result.summary()
    assert result.ndcg >= 0.83, result.summary()
    assert result.recall == 1.0


@pytest.mark.parametrize("plain_name", ["ngram", "lexical"])
def test_query_expansion_measurably_helps(seed_cases, queries, plain_name):
    plain = evaluate(SearchIndex.build(seed_cases, plain_name), queries)
    expanded = evaluate(SearchIndex.build(seed_cases, plain_name + "+cong"), queries)
    assert expanded.mrr > plain.mrr + 0.015
    assert expanded.ndcg > plain.ndcg


def test_issue_query_returns_gyeongsan_first(seed_cases):
    index = SearchIndex.build(seed_cases, DEFAULT_BACKEND)
    top = hits(index, "해외 무역사절단과 국외 박람회 참가", top_k=5)[0]
    assert top["municipality"] == "경산시"
    assert top["line_start"] <= 2588 <= top["line_end"]
    assert "무역사절단" in top["snippet"]
