"""The corpus embedder: TF-IDF over the corpus being clustered, reduced by a seeded truncated SVD.

Themes need an embedder that groups Korean documents by vocabulary, runs offline and is
deterministic; the only offline sentence-transformers model is English-only. So when no embedder
is given, `casekit.themes.fit_themes` fits this one on the corpus itself and saves it with the
model, which is how `ThemeModel.transform` places next year's cases on this year's themes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

from casekit.embed.base import TextRole, normalise_rows
from casekit.errors import CasekitError, EmbeddingError
from casekit.korean import CONTENT_TAGS, FORM_STOPWORDS, REGION_WORDS, get_kiwi

_HAS_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"[\d,.]*\d")


class CorpusLexicalEmbedder:
    """TF-IDF over the corpus, reduced by a seeded truncated SVD and L2-normalised.

    Fitted on the corpus being clustered (so it is saved with the model for `transform`), it groups
    Korean documents by vocabulary, runs offline and is deterministic under `seed`. Two analyzers:

    * `"char"` (default): character 2–3-grams within words, after deleting the corpus's place names
      and digits. No morphological analysis, so 10,000 cases embed in seconds; on the test corpora
      it recovers the known groups as well as `"morph"` does (see docs/themes.md).
    * `"morph"`: Kiwi content morphemes minus form words and place names; cleaner features, but
      Kiwi costs about as much as everything else together on a large archive.
    """

    def __init__(
        self, dim: int = 128, seed: int = 0, stopwords: Iterable[str] = (), analyzer: str = "char"
    ) -> None:
        if analyzer not in ("char", "morph"):
            raise CasekitError(f"unknown lexical analyzer {analyzer!r} (choose char or morph)")
        self.dim = dim
        self.seed = seed
        self.analyzer = analyzer
        self.stopwords = frozenset(FORM_STOPWORDS | REGION_WORDS | set(stopwords))
        places = sorted((w for w in set(stopwords) | REGION_WORDS if len(w) >= 2), key=len, reverse=True)
        self._places = re.compile("|".join(map(re.escape, places))) if places else None
        self._vectorizer: Any = None
        self._svd: Any = None
        self._fingerprint = ""

    @property
    def model_id(self) -> str:
        return (
            f"casekit-lexical-{self.analyzer}-svd:d{self.dim}:s{self.seed}:{self._fingerprint or 'unfitted'}"
        )

    def _docs(self, texts: Sequence[str]) -> list[Any]:
        if self.analyzer == "char":
            out = []
            for text in texts:
                if self._places is not None:
                    text = self._places.sub(" ", text)
                out.append(_DIGITS.sub(" ", text))
            return out
        results = get_kiwi().tokenize(list(texts))
        return [
            [
                t.form
                for t in tokens
                if t.tag in CONTENT_TAGS
                and len(t.form) >= 2
                and t.form not in self.stopwords
                and not _HAS_DIGIT.search(t.form)
            ]
            for tokens in results
        ]

    def fit_encode(self, texts: Sequence[str]) -> np.ndarray:
        """Fit on `texts` and return their embeddings (one analysis pass instead of two)."""
        docs = self._docs(texts)
        many = len(docs) >= 20
        options: dict[str, Any] = {
            "sublinear_tf": True,
            "min_df": 2 if many else 1,
            "max_df": 0.9 if many else 1.0,
            "dtype": np.float32,
        }
        if self.analyzer == "char":
            options.update(analyzer="char_wb", ngram_range=(2, 3), max_features=200_000)
        else:
            options.update(analyzer=_identity)
        self._vectorizer = TfidfVectorizer(**options)
        try:
            sparse = self._vectorizer.fit_transform(docs)
        except ValueError as exc:  # sklearn: "empty vocabulary", every document empty after cleaning
            raise CasekitError(f"no unit has any text to cluster ({exc})") from exc
        dim = max(1, min(self.dim, sparse.shape[0] - 1, sparse.shape[1] - 1))
        self._svd = TruncatedSVD(n_components=dim, random_state=self.seed, algorithm="randomized", n_iter=7)
        dense = self._svd.fit_transform(sparse)
        vocab = "\n".join(sorted(self._vectorizer.vocabulary_))
        self._fingerprint = hashlib.sha256(vocab.encode("utf-8")).hexdigest()[:12]
        return normalise_rows(np.asarray(dense, dtype=np.float32))

    def fit(self, texts: Sequence[str]) -> CorpusLexicalEmbedder:
        self.fit_encode(texts)
        return self

    def encode(self, texts: Sequence[str], role: TextRole = "passage") -> np.ndarray:
        if self._vectorizer is None:
            raise EmbeddingError("CorpusLexicalEmbedder used before fit()")
        dense = self._svd.transform(self._vectorizer.transform(self._docs(texts)))
        return normalise_rows(np.asarray(dense, dtype=np.float32))


def _identity(tokens: list[str]) -> list[str]:
    return tokens
