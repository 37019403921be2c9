"""Clusterers on the fixture corpus: k chosen by silhouette and recorded, HDBSCAN's outliers, the protocol."""

from __future__ import annotations

import numpy as np
import pytest

from casekit.errors import CasekitError
from casekit.themes import (
    OUTLIER_LABEL,
    AgglomerativeClusterer,
    Clusterer,
    HDBSCANClusterer,
    KMeansClusterer,
    case_units,
    evaluate,
    fit_themes,
    make_clusterer,
)


def test_auto_k_is_chosen_by_silhouette_and_recorded(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    model = fit_themes(corpus_cases, method="kmeans", k="auto", seed=0)
    silhouettes = {int(k): v for k, v in model.params["silhouette"].items()}
    assert set(silhouettes) == set(range(2, 7))  # 20 cases: at most 20 // 3 themes
    assert model.params["chosen_k"] == max(silhouettes, key=silhouettes.__getitem__)
    assert 4 <= model.params["chosen_k"] <= 6
    assert evaluate(model, [c.field for c in corpus_cases])["nmi"] >= 0.8


def test_hdbscan_reports_outliers_instead_of_forcing_them(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    model = fit_themes(corpus_cases, method="hdbscan", seed=0)
    n_out = int((model.labels < 0).sum())
    assert model.params["n_outliers"] == n_out
    assert sum(t.size for t in model.themes) == len(corpus_cases)
    if n_out:
        outliers = [t for t in model.themes if t.theme_id == -1]
        assert outliers and outliers[0].label == OUTLIER_LABEL and outliers[0].terms == []
    assert all(t.size >= 3 for t in model.themes if t.theme_id >= 0)  # min cluster size respected


def test_clusterer_protocol_is_swappable(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    class FirstWord:
        """Groups units by whether they mention 청년: a deliberately simple custom backend."""

        name = "first-word"

        def __init__(self, units) -> None:  # type: ignore[no-untyped-def]
            self.flags = np.array([1 if "청년" in u.text else 0 for u in units])

        def fit_predict(self, X: np.ndarray) -> np.ndarray:
            return self.flags

        def params(self) -> dict:  # type: ignore[type-arg]
            return {"rule": "청년"}

    units = case_units(corpus_cases)
    custom = FirstWord(units)
    assert isinstance(custom, Clusterer)
    model = fit_themes(units=units, clusterer=custom)
    assert model.method == "first-word" and model.params["rule"] == "청년"
    youth = next(t for t in model.themes if "청년" in t.terms)
    assert all("청년" in u.text for u in units if u.id in youth.members)
    for cls in (KMeansClusterer, AgglomerativeClusterer, HDBSCANClusterer):
        assert isinstance(cls(), Clusterer)


def test_bad_arguments_are_clear_errors(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CasekitError, match="unknown clustering method"):
        make_clusterer("dbscan")
    with pytest.raises(CasekitError, match="whole number"):
        make_clusterer("kmeans", "many")
    with pytest.raises(CasekitError, match="at least 1"):
        make_clusterer("kmeans", 0)
    with pytest.raises(CasekitError, match="level"):
        fit_themes(corpus_cases, level="sentence")  # type: ignore[arg-type]
    with pytest.raises(CasekitError, match="no cases"):
        fit_themes([])
