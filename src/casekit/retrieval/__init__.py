"""Similarity search over case passages, with the evidence lines: the researcher's question → passages.

    build_index(workspace, backend="fused")           cases → line index (+ sections) under index/
    search("경력단절 여성 재취업", top_k=10)          → DataFrame of 8-line windows with case, section, lines
    similar("경산시-a3eb27")                          → DataFrame of other cases, most alike first
    duplicates(threshold=0.8)                         → DataFrame of case pairs sharing near-copied passages

The modules, lowest first: `passages` (cutting a case along its sections), `bm25` (the section ranking
model), `lines` (the line-sized index of the window backends), `vocabulary` (query terms and expansion
without Kiwi), `analysis` (tokenising lines once), `windows` (scoring fixed windows), `index` (backends,
building, saving and loading a workspace's index), `near_duplicates` (near copies), `query` (search and
similar), `evaluate` (strict MRR / nDCG on a labelled query set).

This file only re-exports the public names, lazily (PEP 562): `casekit search` imports what a search
needs, not pandas and scipy for `similar` and `duplicates`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "BM25Index": "bm25",
    "DEFAULT_BACKEND": "index",
    "INDEX_VERSION": "index",
    "BackendSpec": "index",
    "SearchIndex": "index",
    "build_index": "index",
    "index_status": "index",
    "load_index": "index",
    "rrf_fuse": "index",
    "duplicate_cases": "near_duplicates",
    "duplicates": "near_duplicates",
    "PASSAGE_MAX_CHARS": "passages",
    "PASSAGE_MIN_CHARS": "passages",
    "Passage": "passages",
    "split_passages": "passages",
    "hits": "query",
    "rank": "query",
    "search": "query",
    "search_records": "query",
    "similar": "query",
    "WINDOW_LINES": "windows",
}

if TYPE_CHECKING:
    from casekit.retrieval.bm25 import BM25Index
    from casekit.retrieval.index import (
        DEFAULT_BACKEND,
        INDEX_VERSION,
        BackendSpec,
        SearchIndex,
        build_index,
        index_status,
        load_index,
        rrf_fuse,
    )
    from casekit.retrieval.near_duplicates import duplicate_cases, duplicates
    from casekit.retrieval.passages import PASSAGE_MAX_CHARS, PASSAGE_MIN_CHARS, Passage, split_passages
    from casekit.retrieval.query import hits, rank, search, search_records, similar
    from casekit.retrieval.windows import WINDOW_LINES


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'casekit.retrieval' has no attribute {name!r}")
    value = getattr(import_module(f"casekit.retrieval.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "BM25Index",
    "BackendSpec",
    "DEFAULT_BACKEND",
    "INDEX_VERSION",
    "PASSAGE_MAX_CHARS",
    "PASSAGE_MIN_CHARS",
    "Passage",
    "SearchIndex",
    "WINDOW_LINES",
    "build_index",
    "duplicate_cases",
    "duplicates",
    "hits",
    "index_status",
    "load_index",
    "rank",
    "rrf_fuse",
    "search",
    "search_records",
    "similar",
    "split_passages",
]
