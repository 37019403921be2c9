"""An on-disk embedding cache keyed by (model id, sha256 of the text).

Re-indexing unchanged cases must cost nothing, and changing the model must rebuild: each model id gets
its own directory (named by a hash of the id, with the id written inside), and each text is looked up by
the hash of its exact content. New vectors are appended as numbered shard files, so an interrupted
run keeps every shard it finished and a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from casekit.errors import EmbeddingError


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class EmbeddingCache:
    """Vectors of one model, persisted under `<root>/<sha of model id>/shard-NNNNN.npz`."""

    def __init__(self, root: Path, model_id: str) -> None:
        self.model_id = model_id
        self.directory = Path(root) / hashlib.sha256(model_id.encode("utf-8")).hexdigest()[:16]
        self._vectors: dict[str, np.ndarray] = {}
        self._loaded = False
        self.hits = 0
        self.misses = 0

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if not self.directory.is_dir():
            return
        for shard in sorted(self.directory.glob("shard-*.npz")):
            try:
                with np.load(shard) as data:
                    keys, vectors = data["keys"], data["vectors"]
            except (OSError, ValueError, KeyError):
                continue  # a damaged shard only costs re-encoding its texts
            for key, vector in zip(keys.tolist(), vectors):
                self._vectors[str(key)] = vector

    def __len__(self) -> int:
        self._load()
        return len(self._vectors)

    def get_or_compute(
        self, texts: Sequence[str], compute: Callable[[list[str]], np.ndarray], chunk: int = 2048
    ) -> np.ndarray:
        """Vectors for `texts`, computing (in chunks, each saved at once) only those not cached yet."""
        self._load()
        keys = [text_key(t) for t in texts]
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts):
            if key not in self._vectors:
                missing.setdefault(key, text)
        self.misses += len(missing)
        self.hits += len(keys) - len(missing)
        pending = list(missing.items())
        for start in range(0, len(pending), chunk):
            part = pending[start : start + chunk]
            vectors = np.asarray(compute([text for _, text in part]), dtype=np.float32)
            if vectors.shape[0] != len(part):
                raise EmbeddingError(f"embedder returned {vectors.shape[0]} vectors for {len(part)} texts")
            self._save([key for key, _ in part], vectors)
            for (key, _), vector in zip(part, vectors):
                self._vectors[key] = vector
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._vectors[key] for key in keys]).astype(np.float32, copy=False)

    def _save(self, keys: list[str], vectors: np.ndarray) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        meta = self.directory / "model.json"
        if not meta.is_file():
            meta.write_text(
                json.dumps({"model_id": self.model_id}, ensure_ascii=False) + "\n", encoding="utf-8"
            )
        number = len(list(self.directory.glob("shard-*.npz")))
        target = self.directory / f"shard-{number:05d}.npz"
        fd, tmp = tempfile.mkstemp(prefix=".shard.", suffix=".npz", dir=self.directory)
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(handle, keys=np.asarray(keys), vectors=vectors)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
