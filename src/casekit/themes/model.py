"""The fitted model: themes over one corpus, as tables, JSON, placements of new cases and files.

A `ThemeModel` keeps normalised centroids and the 2-D projection, so `transform` places next year's
cases on this year's themes (and this year's map) without refitting; it saves to and loads from
`Workspace.themes_dir`, with the corpus embedder it was fitted with. Drawing the map is
the report layer's job (`report.plots.theme_map`), not the model's.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd

from casekit.embed.base import Embedder, normalise_rows
from casekit.embed.corpus import CorpusLexicalEmbedder
from casekit.errors import CasekitError, EmbeddingError, WorkspaceError
from casekit.parse.model import Case
from casekit.store import Workspace, atomic_write_text
from casekit.themes.labels import readable_terms
from casekit.themes.units import Unit, make_units

MODEL_FORMAT = 1
OUTLIER_LABEL = "미분류(outlier)"


@dataclass
class Theme:
    """One theme: its label, top c-TF-IDF terms, members and the members closest to its centre."""

    theme_id: int
    label: str
    terms: list[str]
    term_scores: list[float]
    size: int
    members: list[str]
    representatives: list[str]


@dataclass
class ThemeModel:
    """A fitted set of themes over one corpus: what `casekit themes` prints, plots, saves and places on."""

    level: str
    method: str
    seed: int
    embedder_id: str
    params: dict[str, Any]
    themes: list[Theme]
    units: list[Unit]
    labels: np.ndarray  # theme id per unit, -1 = outlier
    similarities: np.ndarray  # cosine of each unit to its theme centroid (to the nearest for outliers)
    centroids: np.ndarray  # (n_themes, dim) unit rows, row i = theme i
    thresholds: np.ndarray  # per theme: a new unit less similar than this is called an outlier
    projection: dict[str, Any]  # 2-D map: {"kind": "pca", "mean": [...], "components": [[...], [...]]}
    coords: np.ndarray  # (n_units, 2) map coordinates
    embedder: Embedder | None = None
    stopwords: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds per fit stage

    # ---- tables for notebooks ----

    def themes_frame(self) -> pd.DataFrame:
        """One row per theme (outliers as theme -1 when there are any)."""
        rows = [
            {
                "theme_id": t.theme_id,
                "label": t.label,
                "size": t.size,
                "terms": ", ".join(readable_terms(t.terms)),
                "representatives": ", ".join(t.representatives),
            }
            for t in self.themes
        ]
        return pd.DataFrame(rows, columns=["theme_id", "label", "size", "terms", "representatives"])

    def assignments_frame(self) -> pd.DataFrame:
        """One row per unit: its theme, label, similarity to the theme centre, map position and case fields."""
        labels_by_id = {t.theme_id: t.label for t in self.themes}
        rows = []
        for i, unit in enumerate(self.units):
            theme = int(self.labels[i])
            rows.append(
                {
                    "unit_id": unit.id,
                    "case_id": unit.case_id,
                    "theme_id": theme,
                    "theme_label": labels_by_id.get(theme, OUTLIER_LABEL),
                    "similarity": float(self.similarities[i]),
                    "x": float(self.coords[i, 0]),
                    "y": float(self.coords[i, 1]),
                    "line_start": unit.line_start,
                    "line_end": unit.line_end,
                    "heading": unit.heading,
                    "title": unit.title,
                    "field": unit.field,
                    "region": unit.region,
                    "municipality": unit.municipality,
                }
            )
        return pd.DataFrame(rows)

    def crosstab(self, by: str = "field") -> pd.DataFrame:
        """Themes × 분야 (`by='field'`), × region or × municipality: how many units fall in each cell."""
        if by not in ("field", "region", "municipality", "group"):
            raise CasekitError(f"cannot cross themes with {by!r} (choose field, region or municipality)")
        frame = self.assignments_frame()
        if by == "group":
            raise CasekitError("group is not kept on units; use field, region or municipality")
        frame[by] = frame[by].fillna("(없음)")
        frame["theme"] = frame["theme_id"].astype(str) + " " + frame["theme_label"]
        return pd.crosstab(frame["theme"], frame[by])

    def to_records(self) -> list[dict[str, Any]]:
        """The JSON the CLI prints: themes with id, label, terms, size and members (passages with lines)."""
        by_id = {u.id: u for u in self.units}
        records = []
        for theme in self.themes:
            if self.level == "passage":
                members: list[Any] = [
                    {
                        "passage_id": m,
                        "case_id": by_id[m].case_id,
                        "line_start": by_id[m].line_start,
                        "line_end": by_id[m].line_end,
                        "heading": by_id[m].heading,
                    }
                    for m in theme.members
                ]
            else:
                members = list(theme.members)
            records.append(
                {
                    "theme_id": theme.theme_id,
                    "label": theme.label,
                    "terms": readable_terms(theme.terms),
                    "size": theme.size,
                    "members": members,
                    "representatives": theme.representatives,
                    "ctfidf": [[t, sc] for t, sc in zip(theme.terms, theme.term_scores)],
                }
            )
        return records

    # ---- new cases ----

    def transform(
        self, items: Sequence[Case] | Sequence[str] | np.ndarray, embedder: Embedder | None = None
    ) -> pd.DataFrame:
        """Place new cases (or texts, or precomputed embeddings) on the fitted themes without refitting.

        Each unit goes to the theme with the most similar centroid; if it is less similar than that
        theme's own members usually are (below the theme's threshold), it is reported as an outlier
        (theme -1) with its nearest theme kept in `nearest_theme`. Returns one row per unit with its
        map position, so next year's cases can be drawn on this year's map.
        """
        units: list[Unit] | None = None
        if isinstance(items, np.ndarray):
            vectors = normalise_rows(np.asarray(items, dtype=np.float32))
        else:
            seq = list(items)
            if seq and isinstance(seq[0], Case):
                units = make_units(seq, self.level)  # type: ignore[arg-type]
                texts = [u.text for u in units]
            else:
                texts = [str(t) for t in seq]
            use = embedder or self.embedder
            if use is None:
                raise EmbeddingError(
                    f"themes were fitted with embedder {self.embedder_id!r}; pass it to transform (CLI: --embedder NAME)"
                )
            if use.model_id != self.embedder_id:
                raise EmbeddingError(
                    f"embedder {use.model_id!r} differs from the one the themes were fitted with ({self.embedder_id!r})"
                )
            vectors = use.encode(texts, role="passage") if texts else np.zeros((0, self.centroids.shape[1]))
        if vectors.shape[0] and vectors.shape[1] != self.centroids.shape[1]:
            raise EmbeddingError(
                f"embeddings have {vectors.shape[1]} dimensions, themes {self.centroids.shape[1]}"
            )
        sims = vectors @ self.centroids.T if len(self.centroids) else np.zeros((len(vectors), 0))
        coords = self.project(vectors)
        labels_by_id = {t.theme_id: t.label for t in self.themes}
        rows = []
        for i in range(len(vectors)):
            nearest = int(np.argmax(sims[i])) if sims.shape[1] else -1
            sim = float(sims[i, nearest]) if nearest >= 0 else 0.0
            theme = nearest if nearest >= 0 and sim >= self.thresholds[nearest] else -1
            row: dict[str, Any] = {
                "unit_id": units[i].id if units else str(i),
                "case_id": units[i].case_id if units else None,
                "theme_id": theme,
                "theme_label": labels_by_id.get(theme, OUTLIER_LABEL),
                "nearest_theme": nearest,
                "similarity": round(sim, 4),
                "x": float(coords[i, 0]),
                "y": float(coords[i, 1]),
            }
            if units:
                row.update(line_start=units[i].line_start, line_end=units[i].line_end, title=units[i].title)
            rows.append(row)
        return pd.DataFrame(rows)

    def project(self, vectors: np.ndarray) -> np.ndarray:
        """Map coordinates of embedding rows under the fitted projection."""
        if len(vectors) == 0:
            return np.zeros((0, 2))
        mean = np.asarray(self.projection["mean"], dtype=np.float64)
        components = np.asarray(self.projection["components"], dtype=np.float64)
        return np.asarray((vectors - mean) @ components.T)

    # ---- persistence ----

    def save(self, workspace: Workspace | str | Path, name: str | None = None) -> Path:
        """Write the model under `<workspace>/themes/<name>/` (default name: the level)."""
        ws = Workspace.resolve(workspace)
        directory = ws.themes_dir / (name or self.level)
        directory.mkdir(parents=True, exist_ok=True)
        meta = {
            "format": MODEL_FORMAT,
            "level": self.level,
            "method": self.method,
            "seed": self.seed,
            "embedder_id": self.embedder_id,
            "params": self.params,
            "stopwords": self.stopwords,
            "projection": self.projection,
            "themes": [asdict(t) for t in self.themes],
            "units": [u.meta() for u in self.units],
        }
        tmp = directory / ".arrays.tmp.npz"
        np.savez(
            tmp,
            labels=self.labels,
            similarities=self.similarities,
            centroids=self.centroids,
            thresholds=self.thresholds,
            coords=self.coords,
        )
        tmp.replace(directory / "arrays.npz")
        if isinstance(self.embedder, CorpusLexicalEmbedder):
            # A plain pickle (C pickler: 8× faster than joblib.dump's, 0.1 against 0.9 s for the seed book's
            # embedder); `joblib.load` below reads it as it reads files written by joblib.dump.
            with (directory / ".embedder.tmp").open("wb") as handle:
                pickle.dump(self.embedder, handle, protocol=pickle.HIGHEST_PROTOCOL)
            (directory / ".embedder.tmp").replace(directory / "embedder.joblib")
        atomic_write_text(directory / "model.json", json.dumps(meta, ensure_ascii=False, indent=1) + "\n")
        return directory

    @classmethod
    def load(cls, workspace: Workspace | str | Path, name: str = "case") -> ThemeModel:
        """Read a model saved by `save`; a saved corpus embedder comes back with it."""
        ws = Workspace.resolve(workspace)
        directory = ws.themes_dir / name
        meta_path = directory / "model.json"
        if not meta_path.is_file():
            raise WorkspaceError(f"no fitted themes {name!r} in {ws.themes_dir}: run `casekit themes` first")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            arrays = np.load(directory / "arrays.npz")
        except (OSError, ValueError) as exc:
            raise WorkspaceError(f"{directory}: damaged theme model ({exc})") from exc
        if meta.get("format") != MODEL_FORMAT:
            raise WorkspaceError(
                f"{meta_path}: theme model format {meta.get('format')} is not {MODEL_FORMAT}"
            )
        embedder = None
        if (directory / "embedder.joblib").is_file():
            try:
                embedder = joblib.load(directory / "embedder.joblib")
            except (AttributeError, ImportError, pickle.UnpicklingError) as exc:  # saved by an older layout
                raise WorkspaceError(
                    f"{directory}: the saved embedder cannot be read ({exc}); refit with `casekit themes`"
                ) from exc
        return cls(
            level=meta["level"],
            method=meta["method"],
            seed=int(meta["seed"]),
            embedder_id=meta["embedder_id"],
            params=meta["params"],
            themes=[Theme(**t) for t in meta["themes"]],
            units=[Unit(text="", **u) for u in meta["units"]],
            labels=arrays["labels"],
            similarities=arrays["similarities"],
            centroids=arrays["centroids"],
            thresholds=arrays["thresholds"],
            projection=meta["projection"],
            coords=arrays["coords"],
            embedder=embedder,
            stopwords=list(meta.get("stopwords", [])),
        )
