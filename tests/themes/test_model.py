"""The fitted model: placing new cases without refitting, save/load, and the tables notebooks show."""

from __future__ import annotations

import json

import numpy as np
import pytest

from casekit.errors import CasekitError, EmbeddingError, WorkspaceError
from casekit.store import Workspace
from casekit.themes import ThemeModel, fit_themes
from tests.themes.themes_corpus import FIELD_WORDS, majority_field


def test_transform_places_new_cases_without_refitting(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    held = [c for i, c in enumerate(corpus_cases) if i % 4 == 3]
    train = [c for i, c in enumerate(corpus_cases) if i % 4 != 3]
    model = fit_themes(train, k=5, seed=0)
    before = model.labels.copy()
    placed = model.transform(held)
    assert model.labels.tolist() == before.tolist()
    for case, theme_id in zip(held, placed["theme_id"]):
        assert theme_id >= 0
        assert majority_field(model, train, int(theme_id)) == case.field
    unrelated = model.transform(["구제역 방역을 위해 축산 농가를 소독하고 가축 이동을 통제하였다."])
    assert unrelated.loc[0, "theme_id"] == -1 and unrelated.loc[0, "nearest_theme"] >= 0
    # the training cases themselves land where they were fitted
    again = model.transform(train)
    assert again["theme_id"].tolist() == model.labels.tolist()


def test_save_load_round_trip_and_embedder_check(corpus_cases, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = Workspace(tmp_path / "data")
    model = fit_themes(corpus_cases, level="passage", k=5, seed=3)
    directory = model.save(ws)
    assert directory == ws.themes_dir / "passage"
    loaded = ThemeModel.load(ws, "passage")
    assert loaded.seed == 3 and loaded.params == json.loads(json.dumps(model.params))
    assert [t.label for t in loaded.themes] == [t.label for t in model.themes]
    assert loaded.to_records() == model.to_records()
    new = corpus_cases[:2]
    assert loaded.transform(new)["theme_id"].tolist() == model.transform(new)["theme_id"].tolist()

    class Other:
        model_id = "other-model"

        def encode(self, texts, role="passage"):  # type: ignore[no-untyped-def]
            return np.ones((len(texts), 3), dtype=np.float32)

    with pytest.raises(EmbeddingError, match="differs"):
        loaded.transform(new, embedder=Other())
    with pytest.raises(WorkspaceError, match="run `casekit themes`"):
        ThemeModel.load(ws, "case")
    (directory / "model.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="damaged"):
        ThemeModel.load(ws, "passage")


def test_tables_for_notebooks(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    model = fit_themes(corpus_cases, k=5, seed=0)
    themes = model.themes_frame()
    assert list(themes.columns) == ["theme_id", "label", "size", "terms", "representatives"]
    assert themes["size"].sum() == len(corpus_cases)
    table = model.crosstab("field")
    assert table.to_numpy().sum() == len(corpus_cases)
    assert sorted(table.columns) == sorted(FIELD_WORDS)
    assert (table.to_numpy().max(axis=1) == 4).all()  # every theme is one whole field
    assert model.crosstab("region").to_numpy().sum() == len(corpus_cases)
    frame = model.assignments_frame()
    assert len(frame) == len(corpus_cases) and {"x", "y", "theme_label", "similarity"} <= set(frame.columns)
    with pytest.raises(CasekitError):
        model.crosstab("judge")
