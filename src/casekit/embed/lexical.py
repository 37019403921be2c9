"""The Korean lexical backend's text analysis: Kiwi morphemes, Hangul character bigrams and near-synonyms
from Kiwi's `cong` model (the BM25 statistics built on these tokens live one floor up, in retrieval).

Korean glues particles and endings onto words (일자리를, 창출하였다), so whitespace tokens barely match
between a question and a report. Two analyzers fix that:

    morph   Kiwi content morphemes (일자리, 창출): linguistically clean, but Kiwi analyses ~25k chars/s
            on this machine, too slow for a 10,000-case archive (about 7 minutes).
    bigram  overlapping Hangul character bigrams of each word (일자리를 → 일자, 자리, 리를): the classic
            Korean IR trick, ~1M chars/s, and as good on the labelled queries (docs/search.md).

Query expansion: Kiwi's `cong` model knows morphemes close in meaning (일자리 ≈ 고용, 취업). The query
(only the query, so indexing stays fast) is analysed with Kiwi, and `query_synonyms` gives the
near-synonyms of its nouns, which the ranking adds with a reduced weight.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from casekit.errors import EmbeddingError
from casekit.korean import CONTENT_TAGS, NOUN_TAGS, get_kiwi

#: Morphemes too common in 소개서 text to tell passages apart (kept out of query expansion).
EXPANSION_TAGS = NOUN_TAGS - {"SL", "SH"}


@lru_cache(maxsize=1)
def _tokenizer() -> tuple[str, Any]:
    try:
        kiwi = get_kiwi("cong")
        kiwi.tokenize("확인")
        return "cong", kiwi
    except Exception:  # a kiwipiepy_model without cong: fall back to the default model
        return "default", get_kiwi()


def tokenizer_model() -> str:
    """Which Kiwi model tokenises: "cong", or "default" when the installed model has no `cong`."""
    return _tokenizer()[0]


def tokenizer_kiwi() -> Any:
    """The Kiwi used for retrieval tokens: the `cong` model, which also serves query expansion.

    Tokenising with `cong` gives the same figures on the labelled queries as the default model, and
    search then loads one Kiwi model instead of two (each takes ~3.5 s and ~450 MB to load).
    """
    return _tokenizer()[1]


def _tokens(analysed: Any) -> list[str]:
    return [t.form.lower() for t in analysed if t.tag in CONTENT_TAGS]


def tokenize(text: str) -> list[str]:
    """Retrieval tokens of one text: content morphemes, lower-cased (for Latin letters)."""
    return _tokens(tokenizer_kiwi().tokenize(text))


def tokenize_many(texts: Iterable[str]) -> list[list[str]]:
    """`tokenize` over many texts with Kiwi's batched analysis."""
    return [_tokens(analysed) for analysed in tokenizer_kiwi().tokenize(list(texts))]


_WORD = re.compile(r"[가-힣]+|[a-z]+|[0-9]+", re.IGNORECASE)


def bigrams(text: str) -> list[str]:
    """Character bigrams of each Hangul word; Latin words and numbers stay whole (UPS, 2016)."""
    out: list[str] = []
    for word in _WORD.findall(text):
        word = word.lower()
        if len(word) < 2 or not ("가" <= word[0] <= "힣"):
            out.append(word)
        else:
            out.extend(word[i : i + 2] for i in range(len(word) - 1))
    return out


ANALYZERS = ("bigram", "morph")


def analyze_many(texts: Iterable[str], analyzer: str) -> list[list[str]]:
    if analyzer == "bigram":
        return [bigrams(text) for text in texts]
    if analyzer == "morph":
        return tokenize_many(texts)
    raise EmbeddingError(f"unknown analyzer {analyzer!r} (use one of {', '.join(ANALYZERS)})")


@lru_cache(maxsize=4096)
def near_synonyms(form: str, top_n: int = 6, min_score: float = 0.6) -> tuple[tuple[str, float], ...]:
    """Morphemes the Kiwi `cong` model places close to `form` (일자리 → 고용, 취업 …), with scores."""
    try:
        similar = get_kiwi("cong").most_similar_morphemes(form, top_n=top_n)
    except Exception:  # unknown morpheme, or a Kiwi build without the cong model
        return ()
    return tuple((s.form.lower(), float(s.score)) for s in similar if s.score >= min_score and s.form != form)


def query_synonyms(query: str) -> list[tuple[str, float]]:
    """Near-synonyms of the query's nouns (two characters or more), in query order, with their scores."""
    return [
        pair
        for token in tokenizer_kiwi().tokenize(query)
        if token.tag in EXPANSION_TAGS and len(token.form) >= 2
        for pair in near_synonyms(token.form)
    ]
