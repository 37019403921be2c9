"""The `Embedder` protocol: anything that turns texts into unit-length float32 vectors.

Backends (sentence-transformers, Korean lexical) are swappable, BERTopic-style; search, themes and
near-duplicate detection only ever see this protocol.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol, runtime_checkable

import numpy as np

TextRole = Literal["query", "passage"]


@runtime_checkable
class Embedder(Protocol):
    """Encodes texts into an (n, dim) float32 matrix whose rows have unit L2 norm."""

    @property
    def model_id(self) -> str:
        """Stable identifier of model and settings; the embedding cache is keyed by it."""
        ...

    def encode(self, texts: Sequence[str], role: TextRole = "passage") -> np.ndarray:
        """Embed `texts`; `role` lets asymmetric models add their query/passage prefixes."""
        ...


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """`matrix` with each row scaled to unit L2 norm (all-zero rows stay zero), as float32."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms == 0, 1.0, norms)).astype(np.float32)
