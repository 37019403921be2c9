"""Report figures: drawn from real seed data, Hangul glyphs present, wrong input refused clearly."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from matplotlib import font_manager, rcParams

from casekit.report import plots
from casekit.themes import fit_themes
from tests.themes.themes_corpus import build_cases


def _draw_without_missing_glyphs(fig, path) -> None:  # type: ignore[no-untyped-def]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plots.save_figure(fig, path)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing  # tofu boxes would be drawn
    assert path.stat().st_size > 5000


def test_metric_overview_on_the_seed_metrics(seed_workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from casekit.store import load_cases, load_metrics

    metrics = load_metrics(seed_workspace)
    cases = load_cases(seed_workspace)
    labels = dict(zip(cases["case_id"] if "case_id" in cases.columns else cases["id"], cases["municipality"]))
    fig = plots.metric_overview(metrics, labels)
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(ticks) == sorted(set(cases["municipality"]))
    # the stacked bars add up to each case's number of metrics
    widths: dict[float, float] = {}
    for bar in ax.patches:
        widths[round(bar.get_y(), 3)] = widths.get(round(bar.get_y(), 3), 0) + bar.get_width()
    assert sorted(widths.values()) == sorted(metrics.groupby("case_id").size().astype(float).tolist())
    assert "NanumGothic" in font_manager.findfont(font_manager.FontProperties(family=rcParams["font.family"]))
    _draw_without_missing_glyphs(fig, tmp_path / "metrics.png")


def test_score_plots_from_judges_scores(scored, tmp_path) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored
    from casekit.rubric import load_rubric
    from casekit.score.store import ScoreStore

    rubric = load_rubric(helpers.RUBRIC)
    with ScoreStore(ws) as store:
        scores = store.scores_frame(rubric)
    names = {c.id: c.name for c in rubric.criteria}
    fig = plots.score_distribution(scores, names, max_points={c.id: c.max_points for c in rubric.criteria})
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == ["적합성", "창의성", "소통성", "확산가능성", "체감성"]  # only criteria that were scored
    _draw_without_missing_glyphs(fig, tmp_path / "dist.png")
    fig = plots.totals_by_judge(scores)
    assert len(fig.axes[0].collections) == 3  # one series per judge
    _draw_without_missing_glyphs(fig, tmp_path / "judges.png")


def test_rank_intervals_and_radar(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ranking = pd.DataFrame(
        {
            "rank": [2, 1, 3],
            "municipality": ["남양주시", "수원시", "이천시"],
            "rank_lo": [1, 1, 2],
            "rank_hi": [3, 2, 3],
        }
    )
    fig = plots.rank_intervals(ranking, low="rank_lo", high="rank_hi")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["수원시", "남양주시", "이천시"]  # best first
    segments = ax.collections[0].get_segments()
    assert [(s[0][0], s[1][0]) for s in segments] == [(1, 2), (1, 3), (2, 3)]
    _draw_without_missing_glyphs(fig, tmp_path / "ranks.png")
    maxima = {"a": 10.0, "b": 10.0, "c": 20.0}
    radar = plots.criterion_radar(
        {"수원시": {"a": 5, "b": 10, "c": 10}}, maxima, {"a": "적합성", "b": "창의성", "c": "체감성"}
    )
    line = radar.axes[0].lines[0]
    assert list(line.get_ydata()) == [0.5, 1.0, 0.5, 0.5]  # share of each maximum, closed polygon
    bars = plots.criterion_radar({"x": {"a": 4}}, {"a": 10.0, "b": 10.0})  # < 3 criteria: bars instead
    assert bars.axes[0].name == "rectilinear"


def test_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match="case_id"):
        plots.metric_overview(pd.DataFrame({"kind": ["money"]}))


def test_map_png_draws_hangul_without_missing_glyphs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    corpus_cases = build_cases()
    model = fit_themes(corpus_cases, level="passage", k=5, seed=0)
    placed = model.transform(corpus_cases[:2])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = plots.save_figure(
            plots.theme_map(model, new=placed), tmp_path / "map" / "themes.png", dpi=None, tight=True
        )
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing[:3]


def test_outcome_headlines_draw_one_panel_per_category_in_hangul(seed_workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from casekit.outcomes import format_figure, load_taxonomy, outcomes

    heads = outcomes(seed_workspace, headline_only=True)
    heads["figure"] = [format_figure(r) for r in heads.to_dict(orient="records")]
    names = load_taxonomy().names
    fig = plots.outcome_headlines(heads, names)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in visible] == [
        names[c] for c in names if c in set(heads["category"])
    ]
    jobs = visible[0]
    assert jobs.get_title(loc="left") == "일자리"
    written = [t.get_text() for t in jobs.texts]
    assert "786명 (추정)" in written  # 여주시's estimate is marked, once
    assert sorted(t.get_text() for t in jobs.get_yticklabels()) == sorted(set(heads["municipality"]))
    _draw_without_missing_glyphs(fig, tmp_path / "outcomes.png")
    with pytest.raises(ValueError, match="norm"):
        plots.outcome_headlines(pd.DataFrame({"municipality": ["수원시"], "category": ["jobs"]}))
