"""The workspace's theme model is fitted once per content and read back while the cases are the same."""

from __future__ import annotations

import json

import pytest

import casekit.themes.fit as fit_module
from casekit.themes import ThemeModel
from casekit.themes.cached import DIGEST_FILE, current_themes, themes_digest


def test_fitted_once_then_read_back_until_a_case_changes(writable_seed_workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ws = writable_seed_workspace
    first = current_themes(ws)
    stamp = ws.themes_dir / "case" / DIGEST_FILE
    assert stamp.read_text(encoding="utf-8").strip() == themes_digest(
        ws, level="case", method="kmeans", k="auto", seed=0
    )
    fits = []
    real_fit = fit_module.fit_themes

    def counting_fit(*args, **kwargs):  # type: ignore[no-untyped-def]
        fits.append(kwargs)
        return real_fit(*args, **kwargs)

    monkeypatch.setattr(fit_module, "fit_themes", counting_fit)
    again = current_themes(ws)
    assert fits == []  # the saved model is current: read, not refitted
    assert again.themes_frame().equals(first.themes_frame())
    assert again.assignments_frame().equals(first.assignments_frame())
    assert (again.coords == first.coords).all() and again.params == first.params

    other_k = current_themes(ws, k=3)  # another parameter: a new fit
    assert len(fits) == 1 and other_k.params["k"] == 3

    case_id = ws.case_ids()[0]
    path = ws.case_path(case_id)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["title"] = data["title"] + " (수정)"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refit = current_themes(ws, k=3)
    assert len(fits) == 2  # a case changed: refitted
    assert any(u.title.endswith("(수정)") for u in refit.units)
    assert any(u.title.endswith("(수정)") for u in ThemeModel.load(ws).units)  # and saved


def test_a_model_without_its_digest_is_refitted(writable_seed_workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ws = writable_seed_workspace
    current_themes(ws)
    (ws.themes_dir / "case" / DIGEST_FILE).unlink()  # as after a fit cut short
    calls = []
    real_fit = fit_module.fit_themes
    monkeypatch.setattr(fit_module, "fit_themes", lambda *a, **k: calls.append(1) or real_fit(*a, **k))
    current_themes(ws)
    assert calls == [1]


@pytest.mark.parametrize("method", ["kmeans", "agglomerative"])
def test_one_thread_gives_the_same_model(writable_seed_workspace, method: str) -> None:  # type: ignore[no-untyped-def]
    capped = current_themes(writable_seed_workspace, method=method, threads=1)
    free = fit_module.fit_themes(writable_seed_workspace.load_cases(), method=method, k="auto", seed=0)
    assert capped.assignments_frame().equals(free.assignments_frame())
    assert [t.label for t in capped.themes] == [t.label for t in free.themes]
