"""The sentence-transformers backend: the packaged MiniLM works offline; missing models fail clearly."""

from __future__ import annotations

import numpy as np
import pytest

from casekit.embed import Embedder, make_embedder, packaged_minilm_path
from casekit.embed.sentence import SentenceTransformerEmbedder, default_prefixes
from casekit.errors import EmbeddingError


def test_prefixes_follow_the_model_family():
    assert default_prefixes("intfloat/multilingual-e5-small") == ("query: ", "passage: ")
    assert default_prefixes("BAAI/bge-m3") == ("", "")
    assert default_prefixes("jhgan/ko-sroberta-multitask") == ("", "")
    e5 = make_embedder("e5-small")
    assert isinstance(e5, SentenceTransformerEmbedder)
    assert (e5.query_prefix, e5.passage_prefix) == ("query: ", "passage: ")
    custom = make_embedder("st:intfloat/multilingual-e5-small", query_prefix="", passage_prefix="")
    assert custom.model_id != e5.model_id  # prefixes change the vectors, so they key the cache


def test_model_id_is_stable_and_needs_no_loading():
    a, b = make_embedder("minilm"), make_embedder("minilm")
    assert a.model_id == b.model_id
    assert a.model_id.startswith("st:all-MiniLM-L6-v2@")
    assert a._model is None  # type: ignore[attr-defined]


def test_missing_model_offline_raises_a_clear_error(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = make_embedder("intfloat/multilingual-e5-small")
    with pytest.raises(EmbeddingError) as info:
        embedder.encode(["경력단절 여성"], role="query")
    message = str(info.value)
    assert "multilingual-e5-small" in message
    assert "local directory" in message and "HF_HOME" in message
    assert "\n" not in message  # one line for the CLI


def test_missing_local_directory_raises_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(EmbeddingError, match="could not load embedding model"):
        make_embedder(str(tmp_path / "no-such-model")).encode(["가"])


@pytest.mark.slow
def test_packaged_minilm_encodes_unit_rows_offline():
    assert packaged_minilm_path() is not None
    embedder = make_embedder("minilm", batch_size=4)
    assert isinstance(embedder, Embedder)
    texts = ["Social enterprises create jobs.", "Women return to work after childbirth.", "사회적기업 일자리"]
    vectors = embedder.encode(texts)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    query = embedder.encode(["Which enterprises employ people?"], role="query")[0]
    scores = vectors @ query
    assert scores[0] > scores[1]  # the English model does rank English meaning
    assert embedder.encode([]).shape == (0, 384)
