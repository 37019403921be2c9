"""The on-disk embedding cache: unchanged texts cost nothing, another model id never reuses vectors."""

from __future__ import annotations

import numpy as np
import pytest

from casekit.embed.cache import EmbeddingCache, text_key
from casekit.errors import EmbeddingError


class CountingEncoder:
    """A tiny deterministic 'model': vectors from the text's hash, and a log of what it was asked."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        rows = []
        for text in texts:
            rng = np.random.default_rng(int(text_key(text)[:8], 16))
            v = rng.normal(size=8).astype(np.float32)
            rows.append(v / np.linalg.norm(v))
        return np.stack(rows)


def test_second_run_reuses_every_vector_from_disk(tmp_path):
    texts = ["사회적기업 육성", "경력단절 여성 재취업", "청년 창업 지원", "사회적기업 육성"]
    first = CountingEncoder()
    cache = EmbeddingCache(tmp_path, "model-a")
    v1 = cache.get_or_compute(texts, first)
    assert v1.shape == (4, 8) and v1.dtype == np.float32
    assert first.calls == [
        ["사회적기업 육성", "경력단절 여성 재취업", "청년 창업 지원"]
    ]  # duplicate encoded once
    assert np.allclose(v1[0], v1[3])

    second = CountingEncoder()
    again = EmbeddingCache(tmp_path, "model-a")  # a new process: reads the shards back
    v2 = again.get_or_compute(texts + ["새 문장"], second)
    assert second.calls == [["새 문장"]]
    assert again.hits == 4 and again.misses == 1
    assert np.array_equal(v1, v2[:4])


def test_other_model_id_recomputes(tmp_path):
    texts = ["마을기업 매출"]
    EmbeddingCache(tmp_path, "model-a").get_or_compute(texts, CountingEncoder())
    other = CountingEncoder()
    EmbeddingCache(tmp_path, "model-b").get_or_compute(texts, other)
    assert other.calls == [texts]


def test_damaged_shard_only_costs_recomputation(tmp_path):
    cache = EmbeddingCache(tmp_path, "model-a")
    cache.get_or_compute(["가", "나"], CountingEncoder())
    shard = next(cache.directory.glob("shard-*.npz"))
    shard.write_bytes(b"not a zip file")
    encoder = CountingEncoder()
    vectors = EmbeddingCache(tmp_path, "model-a").get_or_compute(["가", "나"], encoder)
    assert vectors.shape == (2, 8)
    assert encoder.calls == [["가", "나"]]


def test_wrong_row_count_is_refused(tmp_path):
    cache = EmbeddingCache(tmp_path, "model-a")
    with pytest.raises(EmbeddingError, match="2 texts"):
        cache.get_or_compute(["가", "나"], lambda texts: np.zeros((1, 4), dtype=np.float32))
