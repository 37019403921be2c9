"""The Korean lexical backend: BM25 over Kiwi morphemes or Hangul character bigrams, with optional
near-synonym expansion from Kiwi's `cong` model.

Korean glues particles and endings onto words (일자리를, 창출하였다), so whitespace tokens barely match
between a question and a report. Two analyzers fix that:

    morph   Kiwi content morphemes (일자리, 창출): linguistically clean, but Kiwi analyses ~25k chars/s
            on this machine, too slow for a 10,000-case archive (about 7 minutes).
    bigram  overlapping Hangul character bigrams of each word (일자리를 → 일자, 자리, 리를): the classic
            Korean IR trick, ~1M chars/s, and as good on the labelled queries (docs/search.md).

Query expansion: Kiwi's `cong` model knows morphemes close in meaning (일자리 ≈ 고용, 취업). The query
(only the query, so indexing stays fast) is analysed with Kiwi, and near-synonyms of its nouns are added
with a reduced weight. The same fitted statistics give L2-normalised TF-IDF rows for near-duplicate
detection and case similarity.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from casekit.errors import EmbeddingError
from casekit.korean import CONTENT_TAGS, NOUN_TAGS, get_kiwi

#: Morphemes too common in 소개서 text to tell passages apart (kept out of query expansion).
_EXPANSION_TAGS = NOUN_TAGS - {"SL", "SH"}


@lru_cache(maxsize=1)
def _tokenizer() -> tuple[str, Any]:
    try:
        kiwi = get_kiwi("cong")
        kiwi.tokenize("확인")
        return "cong", kiwi
    except Exception:  # a kiwipiepy_model without cong: fall back to the default model
        return "default", get_kiwi()


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


class BM25Index:
    """BM25 over morpheme tokens, stored term-major (vocab × docs CSR) so a query touches only its terms."""

    def __init__(
        self,
        k1: float = 1.2,
        b: float = 0.75,
        expand: bool = False,
        expand_weight: float = 0.3,
        analyzer: str = "morph",
    ) -> None:
        if analyzer not in ANALYZERS:
            raise EmbeddingError(f"unknown analyzer {analyzer!r} (use one of {', '.join(ANALYZERS)})")
        self.analyzer = analyzer
        self.k1 = float(k1)
        self.b = float(b)
        self.expand = bool(expand)
        self.expand_weight = float(expand_weight)
        self.vocab: dict[str, int] = {}
        self.idf = np.zeros(0, dtype=np.float32)
        self.term_docs: sparse.csr_matrix = sparse.csr_matrix((0, 0), dtype=np.float32)
        self.n_docs = 0

    @property
    def model_id(self) -> str:
        expansion = f"+cong{self.expand_weight:g}" if self.expand else ""
        tokens = "bigram" if self.analyzer == "bigram" else f"kiwi-{_tokenizer()[0]}"
        return f"bm25:{tokens}|k1={self.k1:g},b={self.b:g}{expansion}"

    # -- building ---------------------------------------------------------------------------------

    def fit_texts(self, texts: Iterable[str]) -> BM25Index:
        """Analyse `texts` with this index's analyzer and fit on them."""
        return self.fit(analyze_many(texts, self.analyzer))

    def fit(self, docs: Sequence[Sequence[str]]) -> BM25Index:
        """Fit on tokenised documents (see `analyze_many`)."""
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        counts: list[int] = []
        lengths = np.zeros(len(docs), dtype=np.float32)
        for d, tokens in enumerate(docs):
            lengths[d] = len(tokens)
            for term, count in Counter(tokens).items():
                rows.append(d)
                cols.append(vocab.setdefault(term, len(vocab)))
                counts.append(count)
        n = len(docs)
        tf = sparse.csr_matrix(
            (np.asarray(counts, dtype=np.float32), (np.asarray(rows), np.asarray(cols))),
            shape=(n, len(vocab)),
        )
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(vocab)).astype(np.float32)
        self.idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        avgdl = float(lengths.mean()) if n else 1.0
        norm = self.k1 * (1.0 - self.b + self.b * lengths / max(avgdl, 1e-9))
        tf = tf.tocoo()
        weights = tf.data * (self.k1 + 1.0) / (tf.data + norm[tf.row]) * self.idf[tf.col]
        self.term_docs = sparse.csr_matrix(
            (weights.astype(np.float32), (tf.col, tf.row)), shape=(len(vocab), n), dtype=np.float32
        )
        self.vocab = vocab
        self.n_docs = n
        self._tf = tf.tocsr()
        return self

    def tfidf_rows(self) -> sparse.csr_matrix:
        """Docs × vocab TF-IDF (sublinear tf), rows L2-normalised: cosine = dot product.

        Only available right after `fit` (not persisted: near-duplicate detection rebuilds it).
        """
        tf = getattr(self, "_tf", None)
        if tf is None:
            raise EmbeddingError("TF-IDF rows are only kept in memory after fit(); rebuild the index")
        rows = tf.copy()
        rows.data = (1.0 + np.log(rows.data)) * self.idf[rows.indices]
        norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ rows, dtype=np.float32)

    # -- querying ---------------------------------------------------------------------------------

    def query_terms(self, query: str) -> dict[str, float]:
        """Weighted query terms: the query's own tokens (weight 1) plus, if enabled, near-synonyms."""
        own = bigrams(query) if self.analyzer == "bigram" else tokenize(query)
        terms: dict[str, float] = {term: 1.0 for term in own}
        if not self.expand:
            return terms
        for token in tokenizer_kiwi().tokenize(query):
            if token.tag not in _EXPANSION_TAGS or len(token.form) < 2:
                continue
            for synonym, score in near_synonyms(token.form):
                weight = self.expand_weight * score
                parts = bigrams(synonym) if self.analyzer == "bigram" else [synonym]
                for part in parts:
                    if part in self.vocab and part not in terms:
                        terms[part] = weight
        return terms

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for `query` (zeros when no query term is known)."""
        result = np.zeros(self.n_docs, dtype=np.float32)
        for term, weight in self.query_terms(query).items():
            index = self.vocab.get(term)
            if index is None:
                continue
            start, end = self.term_docs.indptr[index], self.term_docs.indptr[index + 1]
            result[self.term_docs.indices[start:end]] += weight * self.term_docs.data[start:end]
        return result

    # -- persistence ------------------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        sparse.save_npz(directory / "bm25.npz", self.term_docs, compressed=False)
        np.save(directory / "bm25_idf.npy", self.idf)
        meta = {
            "k1": self.k1,
            "b": self.b,
            "expand": self.expand,
            "expand_weight": self.expand_weight,
            "analyzer": self.analyzer,
            "n_docs": self.n_docs,
            "vocab": list(self.vocab),
        }
        (directory / "bm25.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> BM25Index:
        try:
            meta = json.loads((directory / "bm25.json").read_text(encoding="utf-8"))
            index = cls(
                meta["k1"], meta["b"], meta["expand"], meta["expand_weight"], meta.get("analyzer", "morph")
            )
            index.term_docs = sparse.csr_matrix(sparse.load_npz(directory / "bm25.npz"), dtype=np.float32)
            index.idf = np.load(directory / "bm25_idf.npy")
        except (OSError, ValueError, KeyError) as exc:
            raise EmbeddingError(
                f"{directory}: damaged lexical index ({exc}); run `casekit index` again"
            ) from exc
        index.vocab = {term: i for i, term in enumerate(meta["vocab"])}
        index.n_docs = int(meta["n_docs"])
        return index
