"""Shared access to Kiwi, the Korean morphological analyzer, loaded once per process.

Kiwi takes about a second to start, so every stage (lexical search, theme labels, pre-score
signals) asks here instead of building its own. The `cong` model also knows which morphemes are
close in meaning (일자리 ≈ 고용, 취업, 구직자), a Korean semantic signal that ships offline.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

#: Part-of-speech tags kept as content words: general/proper nouns, roots, foreign words, hanja.
NOUN_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "XR"})
#: Content morphemes for retrieval: nouns plus verb/adjective stems.
CONTENT_TAGS = NOUN_TAGS | {"VV", "VA", "NR"}

_lock = threading.Lock()


@lru_cache(maxsize=2)
def get_kiwi(model_type: str | None = None) -> Any:
    """The process-wide Kiwi instance (`model_type='cong'` for the similarity-aware model)."""
    from kiwipiepy import Kiwi

    with _lock:
        return Kiwi(model_type=model_type) if model_type else Kiwi()


def morphemes(text: str, tags: frozenset[str] = CONTENT_TAGS, min_len: int = 1) -> list[str]:
    """Content morphemes of `text` in order, e.g. '청년 일자리를 창출' → ['청년', '일자리', '창출']."""
    return [t.form for t in get_kiwi().tokenize(text) if t.tag in tags and len(t.form) >= min_len]


def nouns(text: str, min_len: int = 2) -> list[str]:
    """Nouns of `text` (no particles, no numbers), the vocabulary theme labels are made of."""
    return morphemes(text, NOUN_TAGS, min_len)


def morphemes_many(
    texts: Iterable[str], tags: frozenset[str] = CONTENT_TAGS, min_len: int = 1
) -> list[list[str]]:
    """`morphemes` over many texts using Kiwi's batched analysis (faster than one call per text)."""
    texts = list(texts)
    results = get_kiwi().tokenize(texts)
    return [[t.form for t in tokens if t.tag in tags and len(t.form) >= min_len] for tokens in results]
