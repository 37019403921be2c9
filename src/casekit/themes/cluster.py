"""Clusterers: a tiny protocol (`fit_predict(X) -> labels`, -1 = outlier) and its three backends.

k-means (the default), agglomerative (Ward) and HDBSCAN, swappable BERTopic-style. `k='auto'` picks k
by the measured cosine silhouette under one rule that favours few, non-trivial themes on small N, and
every score tried is recorded in the model, so a reader can see why this number of themes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.cluster import HDBSCAN, KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score

from casekit.errors import CasekitError

METHODS = ("kmeans", "agglomerative", "hdbscan")


@runtime_checkable
class Clusterer(Protocol):
    """Groups unit-norm rows; returns one label per row, -1 for outliers it will not force into a theme."""

    name: str

    def fit_predict(self, X: np.ndarray) -> np.ndarray: ...

    def params(self) -> dict[str, Any]:
        """Settings and measured choices (e.g. silhouette per k), recorded in the model."""
        ...


def silhouette(X: np.ndarray, labels: np.ndarray, seed: int) -> float:
    if len(set(labels.tolist())) < 2:
        return -1.0
    sample = 3000 if len(X) > 3000 else None
    return float(silhouette_score(X, labels, metric="cosine", sample_size=sample, random_state=seed))


def _k_range(n: int, k_min: int, k_max: int) -> range:
    """k values 'auto' tries: silhouette favours many tiny themes on small N, so a theme must average
    at least three members (9 cases → k ≤ 3)."""
    upper = min(k_max, n - 1, max(2, n // 3))
    return range(min(k_min, upper), upper + 1)


#: `k='auto'` takes the smallest k whose silhouette is within this share of the best one.
K_TOLERANCE = 0.95
_K_RULE = f"smallest k with silhouette >= {K_TOLERANCE} x best, no theme under max(2, 1% of units)"


def _pick_k(trials: list[tuple[int, float, np.ndarray]]) -> tuple[int, np.ndarray]:
    """Choose k from (k, silhouette, labels) trials, preferring few, non-trivial themes.

    On a few dozen noisy passages the silhouette keeps creeping up with k, into themes of one
    member. So a k whose smallest theme has fewer than max(2, 1 % of units) members is set aside
    (unless every k is), and of the rest the smallest k within `K_TOLERANCE` of the best score wins:
    the organizer gets the fewest themes the data supports about as well as the best number.
    """
    n = len(trials[0][2])
    min_size = max(2, round(0.01 * n))
    valid = [t for t in trials if np.bincount(t[2][t[2] >= 0]).min() >= min_size] or trials
    best = max(score for _, score, _ in valid)
    bar = best * K_TOLERANCE if best > 0 else best
    k, _, labels = min((t for t in valid if t[1] >= bar - 1e-12), key=lambda t: t[0])
    return k, labels


@dataclass
class KMeansClusterer:
    """k-means on unit vectors (spherical in effect); `k=None` picks k in [k_min, k_max] by silhouette.

    On more than `select_sample` units the k sweep runs on a seeded sample of that size and only the
    chosen k is fitted on everything: eleven full k-means runs on 10,000 cases would dominate the cost,
    and a 2,000-unit sample ranks k the same way for theme-sized groups.
    """

    k: int | None = None
    seed: int = 0
    k_min: int = 2
    k_max: int = 20
    n_init: int | None = None  # None: 10 restarts up to 2,000 units, 3 beyond (each restart costs a full run)
    select_sample: int = 2000
    name: str = "kmeans"
    silhouettes: dict[int, float] = field(default_factory=dict)
    chosen_k: int | None = None
    used_n_init: int | None = None
    selected_on: int | None = None  # units the k sweep ran on

    def fit_predict(self, X: np.ndarray) -> np.ndarray:
        n = len(X)
        if n < 3:
            self.chosen_k = 1
            return np.zeros(n, dtype=int)
        self.used_n_init = self.n_init or (10 if n <= 2000 else 3)

        def run(data: np.ndarray, k: int, n_init: int) -> np.ndarray:
            model = KMeans(n_clusters=k, random_state=self.seed, n_init=n_init)
            return np.asarray(model.fit_predict(data), dtype=int)

        if self.k is not None:
            self.chosen_k = max(1, min(self.k, n))
            return run(X, self.chosen_k, self.used_n_init)
        sample = X
        if n > self.select_sample:
            rng = np.random.default_rng(self.seed)
            sample = X[np.sort(rng.choice(n, size=self.select_sample, replace=False))]
        self.selected_on = len(sample)
        trials = []
        for k in _k_range(n, self.k_min, self.k_max):
            labels = run(sample, k, self.n_init or (10 if len(sample) <= 500 else 3))
            score = silhouette(sample, labels, self.seed)
            self.silhouettes[k] = round(score, 4)
            trials.append((k, score, labels))
        self.chosen_k, chosen = _pick_k(trials)
        return chosen if sample is X else run(X, self.chosen_k, self.used_n_init)

    def params(self) -> dict[str, Any]:
        return {
            "k": self.k if self.k is not None else "auto",
            "chosen_k": self.chosen_k,
            "seed": self.seed,
            "n_init": self.used_n_init,
            "k_range": [self.k_min, self.k_max],
            "k_rule": _K_RULE,
            "k_selected_on": self.selected_on,
            "silhouette": {str(k): v for k, v in self.silhouettes.items()},
        }


@dataclass
class AgglomerativeClusterer:
    """Ward hierarchical clustering; the tree is built once, so trying every k for silhouette is cheap.

    Deterministic without a seed (the seed is still recorded). Memory is O(n²) for the distance
    matrix, fine for a competition year (hundreds of cases) and for 10,000 (~400 MB).
    """

    k: int | None = None
    seed: int = 0
    k_min: int = 2
    k_max: int = 20
    linkage: str = "ward"
    name: str = "agglomerative"
    silhouettes: dict[int, float] = field(default_factory=dict)
    chosen_k: int | None = None

    def fit_predict(self, X: np.ndarray) -> np.ndarray:
        n = len(X)
        if n < 3:
            self.chosen_k = 1
            return np.zeros(n, dtype=int)
        tree = linkage(X.astype(np.float64), method=self.linkage, metric="euclidean")

        def cut(k: int) -> np.ndarray:
            return np.asarray(fcluster(tree, t=k, criterion="maxclust"), dtype=int) - 1

        if self.k is not None:
            self.chosen_k = max(1, min(self.k, n))
            return cut(self.chosen_k)
        trials = []
        for k in _k_range(n, self.k_min, self.k_max):
            labels = cut(k)
            score = silhouette(X, labels, self.seed)
            self.silhouettes[k] = round(score, 4)
            trials.append((k, score, labels))
        self.chosen_k, chosen = _pick_k(trials)
        return chosen

    def params(self) -> dict[str, Any]:
        return {
            "k": self.k if self.k is not None else "auto",
            "chosen_k": self.chosen_k,
            "seed": self.seed,
            "linkage": self.linkage,
            "k_range": [self.k_min, self.k_max],
            "k_rule": _K_RULE,
            "silhouette": {str(k): v for k, v in self.silhouettes.items()},
        }


@dataclass
class HDBSCANClusterer:
    """sklearn's HDBSCAN after a seeded PCA to a few dimensions (density is meaningless in 128-d).

    It finds the number of themes itself and leaves points in no dense region as outliers (-1),
    reported rather than forced. On a hundred documents it calls many of them outliers; that is
    its honest answer, which is why k-means is the default. `min_cluster_size=None` uses
    max(3, n // 25).
    """

    min_cluster_size: int | None = None
    min_samples: int | None = None
    reduce_dims: int = 10
    seed: int = 0
    name: str = "hdbscan"
    used_min_cluster_size: int | None = None

    def fit_predict(self, X: np.ndarray) -> np.ndarray:
        n = len(X)
        if n < 4:
            return np.zeros(n, dtype=int)
        reduced = X
        dims = min(self.reduce_dims, X.shape[1], n - 1)
        if X.shape[1] > dims:
            reduced = PCA(n_components=dims, random_state=self.seed).fit_transform(X)
        self.used_min_cluster_size = self.min_cluster_size or max(3, n // 25)
        model = HDBSCAN(
            min_cluster_size=min(self.used_min_cluster_size, n), min_samples=self.min_samples, copy=True
        )
        return np.asarray(model.fit_predict(reduced), dtype=int)

    def params(self) -> dict[str, Any]:
        return {
            "min_cluster_size": self.used_min_cluster_size,
            "min_samples": self.min_samples,
            "reduce_dims": self.reduce_dims,
            "seed": self.seed,
        }


def make_clusterer(method: str = "kmeans", k: int | str | None = "auto", seed: int = 0) -> Clusterer:
    """A clusterer by name; `k` is 'auto'/None (choose by silhouette) or a number (ignored by hdbscan)."""
    if isinstance(k, str):
        if k != "auto":
            try:
                k = int(k)
            except ValueError:
                raise CasekitError(f"--k must be 'auto' or a whole number, not {k!r}") from None
        else:
            k = None
    if k is not None and k < 1:
        raise CasekitError(f"k must be at least 1, not {k}")
    if method == "kmeans":
        return KMeansClusterer(k=k, seed=seed)
    if method == "agglomerative":
        return AgglomerativeClusterer(k=k, seed=seed)
    if method == "hdbscan":
        return HDBSCANClusterer(seed=seed)
    raise CasekitError(f"unknown clustering method {method!r} (choose one of {', '.join(METHODS)})")
