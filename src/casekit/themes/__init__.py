"""Theme clustering: group cases (or their passages) into labelled Korean themes and place new cases.

An organizer opening a year's submissions wants to see what they are about ("청년 창업·일자리",
"전통시장·도시재생"), how big each theme is, which cases stand for it, and where a new case falls.
The pipeline is BERTopic-shaped, with every part swappable and small-N behaviour first:

    units (cases or passages) → Embedder → Clusterer → c-TF-IDF labels over Kiwi nouns → map

* `units`: what gets clustered (`Unit`, `case_units`, `passage_units`), each with its source lines.
* `cluster`: the `Clusterer` protocol (`fit_predict(X) -> labels`, -1 = outlier) and the k-means,
  agglomerative (Ward) and HDBSCAN backends; `k='auto'` picks k by the measured cosine silhouette.
* `labels`: class-based TF-IDF over Kiwi nouns and short noun compounds (사회적기업, 전통시장), never
  particles or numbers, without the 소개서 form's own words and the corpus's place names.
* `model`: a fitted `ThemeModel` keeps normalised centroids, so `transform` places next year's cases
  on this year's themes without refitting; it saves to and loads from `Workspace.themes_dir`.
* `fit`: `fit_themes`, the one entry point; `evaluate`: purity, NMI and ARI against known groups.
* `cached`: `current_themes`, the workspace's saved model while it matches the cases (else a new fit).

Any `Embedder` can be passed in; without one a `casekit.embed.corpus.CorpusLexicalEmbedder` is
fitted on the corpus and saved with the model, because the only offline sentence-transformers model
is English-only. The map is drawn by the report layer (`report.plots.theme_map`).
"""

from __future__ import annotations

from casekit.themes.cached import current_themes, themes_digest
from casekit.themes.cluster import (
    K_TOLERANCE,
    METHODS,
    AgglomerativeClusterer,
    Clusterer,
    HDBSCANClusterer,
    KMeansClusterer,
    make_clusterer,
)
from casekit.themes.evaluate import evaluate, purity
from casekit.themes.fit import fit_themes
from casekit.themes.labels import ctfidf_terms, extract_terms, make_label, readable_terms
from casekit.themes.model import MODEL_FORMAT, OUTLIER_LABEL, Theme, ThemeModel
from casekit.themes.units import Level, Unit, case_units, make_units, passage_units, place_stopwords

__all__ = [
    "K_TOLERANCE",
    "METHODS",
    "MODEL_FORMAT",
    "OUTLIER_LABEL",
    "AgglomerativeClusterer",
    "Clusterer",
    "HDBSCANClusterer",
    "KMeansClusterer",
    "Level",
    "Theme",
    "ThemeModel",
    "Unit",
    "case_units",
    "ctfidf_terms",
    "current_themes",
    "evaluate",
    "extract_terms",
    "fit_themes",
    "make_clusterer",
    "make_label",
    "make_units",
    "passage_units",
    "place_stopwords",
    "purity",
    "readable_terms",
    "themes_digest",
]
