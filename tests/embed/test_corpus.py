"""The corpus embedder on the fixture corpus: both analyzers give unit rows that recover the five 분야."""

from __future__ import annotations

import numpy as np
import pytest

from casekit.embed.corpus import CorpusLexicalEmbedder
from casekit.errors import CasekitError
from casekit.themes import case_units, evaluate, fit_themes, place_stopwords
from tests.themes.themes_corpus import build_cases


@pytest.fixture(scope="module")
def corpus_cases():  # type: ignore[no-untyped-def]
    return build_cases()


def test_both_lexical_analyzers_recover_the_fields(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    units = case_units(corpus_cases)
    truth = [c.field for c in corpus_cases]
    for analyzer in ("char", "morph"):
        embedder = CorpusLexicalEmbedder(seed=0, stopwords=place_stopwords(units), analyzer=analyzer)
        matrix = embedder.fit_encode([u.text for u in units])
        assert matrix.dtype == np.float32 and np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-4)
        assert np.allclose(embedder.encode([units[0].text]), matrix[:1], atol=1e-4)
        assert analyzer in embedder.model_id
        model = fit_themes(units=units, embeddings=matrix, k=5, seed=0)
        assert evaluate(model, truth)["purity"] >= 0.9, analyzer
    with pytest.raises(CasekitError, match="analyzer"):
        CorpusLexicalEmbedder(analyzer="words")
