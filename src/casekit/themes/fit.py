"""Fitting: units → embeddings → clusters → c-TF-IDF labels → 2-D map, in one seeded pass.

`fit_themes` is the one entry point; every part is swappable (units, embedder or a precomputed
matrix, clusterer). Without an embedder a `CorpusLexicalEmbedder` is fitted on the corpus. Units with
no usable text are reported in `params["skipped"]` and left out, never dropped silently into a theme.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.decomposition import PCA

from casekit.embed.base import Embedder, normalise_rows
from casekit.embed.cache import EmbeddingCache
from casekit.embed.corpus import CorpusLexicalEmbedder
from casekit.errors import CasekitError
from casekit.parse.model import Case
from casekit.themes.cluster import Clusterer, make_clusterer, silhouette
from casekit.themes.labels import ctfidf_terms, extract_terms, make_label
from casekit.themes.model import OUTLIER_LABEL, Theme, ThemeModel
from casekit.themes.units import Level, Unit, make_units, place_stopwords

_LETTER = re.compile(r"[^\W\d_]")  # any letter (Hangul, Latin, hanja …)


def fit_themes(
    cases: Sequence[Case] | None = None,
    *,
    level: Level = "case",
    method: str = "kmeans",
    k: int | str | None = "auto",
    seed: int = 0,
    embedder: Embedder | None = None,
    units: Sequence[Unit] | None = None,
    embeddings: np.ndarray | None = None,
    clusterer: Clusterer | None = None,
    top_terms: int = 10,
    n_representatives: int = 3,
    label_sample: int = 100,
    cache_dir: Path | None = None,
) -> ThemeModel:
    """Cluster cases (or their passages) into labelled themes.

    Give `cases` (units are made at `level`) or ready `units`; give an `embedder`, precomputed
    `embeddings` (one unit-norm row per unit), or neither (a `CorpusLexicalEmbedder` is fitted).
    `clusterer` overrides `method`/`k`. Everything random takes `seed`, recorded in the model.
    With an `embedder` and a `cache_dir` (the CLI uses `<workspace>/index/cache`, shared with search),
    vectors are read from and added to the on-disk embedding cache.
    """
    if units is None:
        if not cases:
            raise CasekitError("no cases to cluster")
        units = make_units(cases, level)
    units = list(units)
    if not units:
        raise CasekitError("no text to cluster (the cases have no passages)")
    # A unit without a single letter (empty, or only numbers and punctuation) is reported and left
    # out, not dropped silently into whichever theme its meaningless vector falls in.
    skipped = [u.id for u in units if not _LETTER.search(u.text)]
    if skipped and embeddings is None:
        units = [u for u in units if _LETTER.search(u.text)]
        if not units:
            raise CasekitError("no unit has any text to cluster (only numbers or nothing)")
    places = sorted(place_stopwords(units))
    fitted_embedder: Embedder | None = embedder
    clock = _Stopwatch()
    if embeddings is not None:
        X = normalise_rows(np.asarray(embeddings, dtype=np.float32))
        if len(X) != len(units):
            raise CasekitError(f"{len(X)} embeddings for {len(units)} units")
        embedder_id = embedder.model_id if embedder is not None else "precomputed"
    else:
        texts = [u.text for u in units]
        if fitted_embedder is None:
            corpus_embedder = CorpusLexicalEmbedder(seed=seed, stopwords=places)
            X = corpus_embedder.fit_encode(texts)
            fitted_embedder = corpus_embedder
        elif cache_dir is not None:  # the search index's cache: re-fitting unchanged cases costs no encoding
            use = fitted_embedder
            cache = EmbeddingCache(cache_dir, use.model_id)
            X = normalise_rows(
                np.asarray(
                    cache.get_or_compute(texts, lambda batch: use.encode(batch, role="passage")),
                    dtype=np.float32,
                )
            )
        else:
            X = normalise_rows(np.asarray(fitted_embedder.encode(texts, role="passage"), dtype=np.float32))
        embedder_id = fitted_embedder.model_id
    clock.lap("embed")
    # Likewise a unit the embedder made nothing of (a zero vector).
    if embeddings is not None:
        skipped = []
    empty = np.flatnonzero(~np.isfinite(X).all(axis=1) | (np.abs(X).sum(axis=1) == 0))
    skipped += [units[i].id for i in empty]
    if len(empty):
        keep = np.setdiff1d(np.arange(len(units)), empty)
        if not len(keep):
            raise CasekitError("no unit has any text to cluster (all embeddings are empty)")
        units = [units[i] for i in keep]
        X = X[keep]
    chosen = clusterer or make_clusterer(method, k, seed)
    raw = np.asarray(chosen.fit_predict(X), dtype=int)
    labels = _relabel_by_size(raw)
    clock.lap("cluster")

    theme_ids = sorted(int(t) for t in set(labels.tolist()) if t >= 0)
    dim = X.shape[1]
    centroids = np.zeros((len(theme_ids), dim), dtype=np.float32)
    for t in theme_ids:
        centroids[t] = normalise_rows(X[labels == t].mean(axis=0, keepdims=True))[0]
    all_sims = X @ centroids.T if theme_ids else np.zeros((len(X), 0), dtype=np.float32)
    similarities = np.array(
        [
            all_sims[i, labels[i]] if labels[i] >= 0 else (all_sims[i].max() if all_sims.shape[1] else 0.0)
            for i in range(len(X))
        ],
        dtype=np.float32,
    )
    thresholds = np.array(
        [float(np.quantile(similarities[labels == t], 0.05)) - 0.05 for t in theme_ids], dtype=np.float32
    )

    # Labels read Kiwi nouns of at most `label_sample` members per theme (a seeded sample): Kiwi is
    # the slow step on a large archive, and a few hundred documents pin a theme's vocabulary down.
    sampled = _label_sample(labels, label_sample, seed)
    doc_terms = extract_terms([units[i].text for i in sampled], stopwords=places)
    term_table = ctfidf_terms(doc_terms, labels[sampled], top_n=top_terms)
    themes: list[Theme] = []
    for t in theme_ids:
        index = np.flatnonzero(labels == t)
        order = index[np.argsort(-similarities[index], kind="stable")]
        terms = [term for term, _ in term_table.get(t, [])]
        themes.append(
            Theme(
                theme_id=t,
                label=make_label(terms),
                terms=terms,
                term_scores=[s for _, s in term_table.get(t, [])],
                size=len(index),
                members=[units[i].id for i in index],
                representatives=[units[i].id for i in order[:n_representatives]],
            )
        )
    clock.lap("label")
    outlier_index = np.flatnonzero(labels < 0)
    if len(outlier_index):
        themes.append(
            Theme(
                theme_id=-1,
                label=OUTLIER_LABEL,
                terms=[],
                term_scores=[],
                size=len(outlier_index),
                members=[units[i].id for i in outlier_index],
                representatives=[],
            )
        )

    projection, coords = _fit_projection(X, seed)
    params = {
        "clusterer": chosen.name,
        **chosen.params(),
        "n_units": len(units),
        "n_outliers": int(len(outlier_index)),
        "label_sample": label_sample,
        "skipped": skipped,
    }
    if len(theme_ids) >= 2 and len(X) > len(theme_ids):
        params["silhouette_final"] = round(silhouette(X[labels >= 0], labels[labels >= 0], seed), 4)
    clock.lap("map")
    return ThemeModel(
        level=level,
        method=chosen.name,
        seed=seed,
        embedder_id=embedder_id,
        params=params,
        themes=themes,
        units=units,
        labels=labels,
        similarities=similarities,
        centroids=centroids,
        thresholds=thresholds,
        projection=projection,
        coords=coords,
        embedder=fitted_embedder,
        stopwords=places,
        timings=clock.laps,
    )


class _Stopwatch:
    """Wall seconds per stage of a fit (kept on the model, not in `params`: they vary run to run)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 3)
        self._last = now


def _label_sample(labels: np.ndarray, per_theme: int, seed: int) -> np.ndarray:
    """Indices of the units whose text labels are read from: all, or `per_theme` per theme (seeded)."""
    rng = np.random.default_rng(seed)
    chosen = []
    for theme in sorted(set(labels.tolist())):
        if theme < 0:
            continue
        index = np.flatnonzero(labels == theme)
        if len(index) > per_theme:
            index = np.sort(rng.choice(index, size=per_theme, replace=False))
        chosen.append(index)
    return np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=int)


def _relabel_by_size(raw: np.ndarray) -> np.ndarray:
    """Theme 0 is the largest; ties broken by first appearance, so ids are stable for a given input."""
    first_seen: dict[int, int] = {}
    for i, label in enumerate(raw.tolist()):
        if label >= 0:
            first_seen.setdefault(label, i)
    sizes = Counter(label for label in raw.tolist() if label >= 0)
    order = sorted(sizes, key=lambda c: (-sizes[c], first_seen[c]))
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping.get(int(label), -1) for label in raw.tolist()], dtype=int)


def _fit_projection(X: np.ndarray, seed: int) -> tuple[dict[str, Any], np.ndarray]:
    """PCA to two dimensions, stored as mean and components so new points project identically."""
    mean = X.mean(axis=0)
    centred = X - mean
    if len(X) < 2:
        components = np.zeros((2, X.shape[1]))
    else:
        n_comp = min(2, len(X), X.shape[1])
        pca = PCA(
            n_components=n_comp, random_state=seed, svd_solver="full" if len(X) < 5000 else "randomized"
        )
        pca.fit(centred)
        components = np.zeros((2, X.shape[1]))
        components[:n_comp] = pca.components_
        # a sign convention so the same data always draws the same way round
        for row in range(n_comp):
            pivot = int(np.argmax(np.abs(components[row])))
            if components[row, pivot] < 0:
                components[row] *= -1
    coords = centred @ components.T
    projection = {"kind": "pca", "mean": mean.astype(float).tolist(), "components": components.tolist()}
    return projection, np.asarray(coords)
