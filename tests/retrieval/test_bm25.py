"""BM25 over Kiwi morphemes on the seed book: particles do not matter, expansion finds near-synonyms."""

from __future__ import annotations

import numpy as np

from casekit.embed.lexical import tokenize_many
from casekit.retrieval.bm25 import BM25Index
from casekit.retrieval.passages import split_passages


def _seed_index(seed_cases, expand=False):
    passages = [p for case in seed_cases for p in split_passages(case)]
    index = BM25Index(expand=expand).fit(tokenize_many(p.text for p in passages))
    return passages, index


def test_bm25_finds_the_ups_company(seed_cases):
    passages, index = _seed_index(seed_cases)
    scores = index.scores("무정전전원장치를 만드는 회사")
    best = passages[int(np.argmax(scores))]
    assert best.case_id.startswith("남양주시")
    assert index.scores("zzqqx").max() == 0  # a term the book never uses


def test_expansion_adds_weighted_terms_only_from_the_vocabulary(seed_cases):
    _, plain = _seed_index(seed_cases)
    _, expanded = _seed_index(seed_cases, expand=True)
    base = plain.query_terms("일자리 늘리기")
    more = expanded.query_terms("일자리 늘리기")
    assert set(base) < set(more)
    added = {t: w for t, w in more.items() if t not in base}
    assert all(t in expanded.vocab for t in added)
    assert all(0 < w < 1 for w in added.values())
    assert expanded.model_id != plain.model_id


def test_save_load_round_trip_gives_same_scores(seed_cases, tmp_path):
    _, index = _seed_index(seed_cases, expand=True)
    index.save(tmp_path)
    loaded = BM25Index.load(tmp_path)
    query = "경력단절 여성 직업훈련"
    assert np.allclose(index.scores(query), loaded.scores(query))
    assert loaded.model_id == index.model_id


def test_tfidf_rows_are_unit_length(seed_cases):
    _, index = _seed_index(seed_cases)
    rows = index.tfidf_rows()
    norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
    assert np.allclose(norms[norms > 0], 1.0, atol=1e-5)
