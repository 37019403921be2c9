"""The researcher's views: search hits and neighbours carry their case's theme once themes are fitted."""

from __future__ import annotations

from casekit.views.explore import SearchView, ThemesView


def test_search_hits_carry_themes_after_the_themes_view_saved_its_model(scored_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, ws = scored_copy
    view = SearchView(ws)
    before = view.search("경력단절 여성 재취업", top_k=3)
    assert "theme" not in before.columns  # no theme model yet: plain hits
    assert before.iloc[0]["municipality"] == "청주시"
    themes = ThemesView.build(ws, k=2, seed=0)
    saved = themes.save(tmp_path)
    assert saved["xlsx"].is_file() and saved["theme_map"].stat().st_size > 5000
    expected = dict(
        zip(themes.model.assignments_frame()["case_id"], themes.model.assignments_frame()["theme_label"])
    )
    hits = SearchView(ws).search("경력단절 여성 재취업", top_k=3)
    assert hits["theme"].tolist() == [expected[c] for c in hits["case_id"]]
    neighbours = SearchView(ws).similar(hits.iloc[0]["case_id"], top_k=3)
    assert neighbours["theme"].notna().all() and len(neighbours) == 3
