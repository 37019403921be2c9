"""Similarity search over case passages, with the evidence lines: the researcher's question → passages.

    build_index(workspace, backend="lexical")        cases → passages → BM25 (+ dense vectors) under index/
    search("경력단절 여성 재취업", top_k=10)          → DataFrame of passages with case, section, lines
    similar("경산시-a3eb27")                          → DataFrame of other cases, most alike first
    duplicates(threshold=0.8)                         → DataFrame of case pairs sharing near-copied passages

The modules, lowest first: `passages` (cutting a case along its sections), `bm25` (the lexical ranking
model), `index` (backends, building, saving and loading a workspace's index), `near_duplicates` (near copies),
`query` (search and similar), `evaluate` (MRR / nDCG on a labelled query set). This file only re-exports
the public names.
"""

from __future__ import annotations

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

__all__ = [
    "DEFAULT_BACKEND",
    "INDEX_VERSION",
    "PASSAGE_MAX_CHARS",
    "PASSAGE_MIN_CHARS",
    "BM25Index",
    "BackendSpec",
    "Passage",
    "SearchIndex",
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
