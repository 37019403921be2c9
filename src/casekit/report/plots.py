"""The report figures, drawn with matplotlib on plain DataFrames so notebooks and batches share them.

The theme map is the one exception to plain DataFrames: it draws a fitted `casekit.themes.ThemeModel`
(points, labels, projection), the map `casekit themes --plot` writes and the views show.

Every function sets the bundled Hangul font first (`use_korean_font`) — without it municipality names turn
into tofu boxes — and returns a `Figure` (not shown, not saved) so the caller decides: a notebook displays
it, a batch run saves it with `save_figure`. Functions take the columns they need and raise `ValueError`
naming a missing column, rather than drawing a silently wrong picture.
"""

from __future__ import annotations

import math
import os
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from casekit.metrics.model import KIND_NAMES

from .fonts import use_korean_font

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from casekit.themes import ThemeModel

KIND_LABELS = KIND_NAMES  # one table of Korean kind names, in casekit.metrics.model


def _need(frame: pd.DataFrame, *columns: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"plot needs column(s) {missing}; got {list(frame.columns)}")


def _figure(width: float, height: float) -> Figure:
    use_korean_font()
    # Figure() directly, not pyplot: no global state, safe in worker processes, nothing leaks between plots.
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig


def _short(text: Any, limit: int = 18) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def metric_overview(
    metrics: pd.DataFrame, labels: Mapping[str, str] | None = None, *, title: str | None = None
) -> Figure:
    """How many outcome metrics each case claims, by kind, split into actual (solid) and planned (hatched).

    `metrics` has one row per metric (`casekit.store.load_metrics`): case_id, kind, temporal.
    `labels` maps case_id → what to print on the axis (e.g. municipality).
    """
    _need(metrics, "case_id", "kind")
    labels = labels or {}
    frame = metrics.copy()
    if "temporal" not in frame.columns:
        frame["temporal"] = "actual"
    case_ids = list(dict.fromkeys(frame["case_id"]))
    kinds = [k for k in KIND_LABELS if k in set(frame["kind"])] + sorted(
        set(frame["kind"]) - set(KIND_LABELS)
    )
    counts = frame.groupby(["case_id", "kind", "temporal"]).size()
    fig = _figure(10, max(3.2, 0.42 * len(case_ids) + 1.5))
    ax = fig.subplots()
    colours = matplotlib.colormaps["tab10"]
    y = list(range(len(case_ids)))
    left = [0.0] * len(case_ids)
    for k_index, kind in enumerate(kinds):
        for temporal, hatch in (("actual", None), ("planned", "//")):
            widths = [float(counts.get((cid, kind, temporal), 0)) for cid in case_ids]
            if not any(widths):
                continue
            label = f"{KIND_LABELS.get(kind, kind)}" + (" (계획)" if temporal == "planned" else "")
            ax.barh(
                y, widths, left=left, color=colours(k_index % 10), hatch=hatch, edgecolor="white", label=label
            )
            left = [a + b for a, b in zip(left, widths)]
    ax.set_yticks(y, [_short(labels.get(cid, cid), 22) for cid in case_ids])
    ax.invert_yaxis()
    ax.set_xlabel("성과지표 수 (number of metrics)")
    ax.set_title(title or "사례별 성과지표 (outcome metrics per case)")
    if kinds:
        fig.legend(loc="outside right upper", fontsize=8)
    return fig


def outcome_headlines(
    headlines: pd.DataFrame,
    names: Mapping[str, str] | None = None,
    *,
    cases: Sequence[str] | None = None,
    title: str | None = None,
) -> Figure:
    """Headline outcome indicators side by side: one panel per category (일자리, 예산·사업비 …), one bar per case.

    `headlines` has one row per case and category (`casekit.outcomes(ws, headline_only=True)`): municipality,
    category, norm, unit, temporal, and optionally `figure` (the text written at the bar's end, e.g. "70명").
    Each panel has its own scale, since 명 and 원 do not share an axis; a case without a figure in a category
    has no bar and "–". Planned (계획) and estimated (추정) figures are hatched and say so, so an estimate is
    never read as an achievement. `names` maps category id → Korean name and fixes the order; `cases` fixes the
    order of the municipalities (e.g. the ranking's).
    """
    _need(headlines, "municipality", "category", "norm", "temporal")
    names = dict(names) if names else {c: c for c in dict.fromkeys(headlines["category"])}
    order = [c for c in names if c in set(headlines["category"])]
    people = list(cases) if cases is not None else list(dict.fromkeys(headlines["municipality"]))
    n_cols = 2 if len(order) > 1 else 1
    n_rows = max(1, math.ceil(len(order) / n_cols))
    fig = _figure(11, max(3.0, n_rows * (0.32 * len(people) + 1.3)))
    axes = fig.subplots(n_rows, n_cols, squeeze=False)
    colours = matplotlib.colormaps["tab10"]
    for index, category in enumerate(order):
        ax = axes[index // n_cols][index % n_cols]
        part = headlines[headlines["category"] == category].set_index("municipality")
        y = list(range(len(people)))
        values, texts, hatches = [], [], []
        for person in people:
            if person in part.index:
                row = part.loc[person]
                row = row.iloc[0] if hasattr(row, "iloc") and getattr(row, "ndim", 1) > 1 else row
                values.append(float(row["norm"]))
                temporal = str(row["temporal"])
                mark = {"planned": " (계획)", "forecast": " (추정)"}.get(temporal, "")
                figure = str(row.get("figure") or f"{float(row['norm']):,g}")
                texts.append(figure if mark.strip() in figure else figure + mark)
                hatches.append("//" if temporal != "actual" else None)
            else:
                values.append(0.0)
                texts.append("–")
                hatches.append(None)
        top = max(values) if values and max(values) > 0 else 1.0
        for yi, value, hatch in zip(y, values, hatches):
            ax.barh(yi, value, color=colours(index % 10), hatch=hatch, edgecolor="white", height=0.7)
        for yi, value, text in zip(y, values, texts):
            ax.text(value + top * 0.02, yi, text, va="center", fontsize=8)
        ax.set_xlim(0, top * 1.45)
        ax.set_yticks(y, [_short(p, 10) for p in people], fontsize=8)
        ax.invert_yaxis()
        ax.set_xticks([])
        ax.set_title(names.get(category, category), fontsize=10, loc="left")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    for extra in range(len(order), n_rows * n_cols):
        axes[extra // n_cols][extra % n_cols].set_visible(False)
    fig.suptitle(title or "사례별 핵심 성과지표 (headline outcome indicators; 빗금 = 계획·추정)", fontsize=11)
    return fig


def score_distribution(
    scores: pd.DataFrame,
    criteria: Mapping[str, str] | None = None,
    *,
    max_points: Mapping[str, float] | None = None,
    title: str | None = None,
) -> Figure:
    """Judges' points per criterion: a box per criterion with every score as a dot.

    `scores`: one row per (judge, case, criterion) with `criterion` and `points`. `criteria` maps id → Korean
    name and fixes the order; `max_points` draws each criterion's ceiling so a reader sees the range used.
    """
    _need(scores, "criterion", "points")
    criteria = dict(criteria) if criteria else {c: c for c in dict.fromkeys(scores["criterion"])}
    order = [c for c in criteria if c in set(scores["criterion"])]
    data = [scores.loc[scores["criterion"] == c, "points"].astype(float).tolist() for c in order]
    fig = _figure(max(5.0, 1.1 * len(order) + 2), 4.2)
    ax = fig.subplots()
    if order:
        ax.boxplot(data, positions=range(len(order)), widths=0.5, showfliers=False)
        for i, values in enumerate(data):
            n = len(values)
            xs = [i + (0.25 * ((j % 7) - 3) / 3 if n > 1 else 0.0) for j in range(n)]
            ax.scatter(xs, values, s=14, alpha=0.6, color="tab:blue", zorder=3)
            ceiling = c_max(max_points, order[i]) if max_points else None
            if ceiling is not None:
                ax.hlines(ceiling, i - 0.35, i + 0.35, colors="tab:red", linestyles="dashed")
        ax.set_xticks(range(len(order)), [_short(criteria[c], 10) for c in order])
    else:
        ax.text(0.5, 0.5, "점수 없음 (no scores)", ha="center", va="center", transform=ax.transAxes)
    ax.set_ylabel("점수 (points)")
    ax.set_title(title or "평가항목별 점수 분포 (score distribution)")
    return fig


def c_max(max_points: Mapping[str, float], criterion: str) -> float | None:
    value = max_points.get(criterion)
    return None if value is None else float(value)


def criterion_bars(
    points: Mapping[str, float],
    max_points: Mapping[str, float],
    names: Mapping[str, str] | None = None,
    *,
    title: str | None = None,
) -> Figure:
    """One case's points per criterion as horizontal bars against each criterion's maximum."""
    names = names or {}
    order = list(max_points)
    fig = _figure(7, max(2.2, 0.45 * len(order) + 1.2))
    ax = fig.subplots()
    y = list(range(len(order)))
    ax.barh(y, [float(max_points[c]) for c in order], color="#e5e5e5", label="만점 (max)")
    got = [float(points.get(c, float("nan"))) for c in order]
    ax.barh(y, [0.0 if math.isnan(v) else v for v in got], color="tab:blue", label="점수 (points)")
    for yi, value, top in zip(y, got, (float(max_points[c]) for c in order)):
        ax.text(top, yi, " –" if math.isnan(value) else f" {value:.1f}/{top:g}", va="center", fontsize=8)
    ax.set_yticks(y, [_short(names.get(c, c), 14) for c in order])
    ax.invert_yaxis()
    ax.set_xlabel("점수 (points)")
    ax.set_title(title or "평가항목별 점수 (points per criterion)")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def criterion_radar(
    series: Mapping[str, Mapping[str, float]],
    max_points: Mapping[str, float],
    names: Mapping[str, str] | None = None,
    *,
    title: str | None = None,
) -> Figure:
    """Share of the maximum per criterion, one closed polygon per case (`series`: label → criterion → points).

    Needs at least three criteria to be a polygon; with fewer, falls back to bars of the first series.
    """
    names = names or {}
    order = list(max_points)
    if len(order) < 3:
        first = next(iter(series.values()), {})
        return criterion_bars(first, max_points, names, title=title)
    fig = _figure(6, 6)
    ax = fig.add_subplot(projection="polar")
    angles = [2 * math.pi * i / len(order) for i in range(len(order))]
    for label, points in series.items():
        shares = [float(points.get(c, 0.0) or 0.0) / float(max_points[c] or 1) for c in order]
        ax.plot(angles + angles[:1], shares + shares[:1], label=_short(label, 20))
        ax.fill(angles + angles[:1], shares + shares[:1], alpha=0.12)
    ax.set_xticks(angles, [_short(names.get(c, c), 10) for c in order])
    ax.set_ylim(0, 1)
    ax.set_yticks([0.25, 0.5, 0.75, 1.0], ["25%", "50%", "75%", "100%"], fontsize=7)
    ax.set_title(title or "평가항목별 득점률 (share of maximum)", pad=24)
    if len(series) > 1:
        fig.legend(loc="outside lower center", ncols=min(len(series), 4), fontsize=8)
    return fig


def rank_intervals(
    ranking: pd.DataFrame,
    *,
    label: str = "municipality",
    low: str = "rank_low",
    high: str = "rank_high",
    title: str | None = None,
) -> Figure:
    """Each case's rank with its interval (e.g. a bootstrap over judges): wide bars mean an unstable rank."""
    _need(ranking, "rank")
    frame = ranking.sort_values("rank")
    fig = _figure(8, max(2.8, 0.4 * len(frame) + 1.8))
    ax = fig.subplots()
    y = list(range(len(frame)))
    ranks = frame["rank"].astype(float).tolist()
    if low in frame.columns and high in frame.columns:
        lows = frame[low].astype(float).fillna(frame["rank"].astype(float)).tolist()
        highs = frame[high].astype(float).fillna(frame["rank"].astype(float)).tolist()
        ax.hlines(
            y, lows, highs, colors="tab:gray", linewidth=4, alpha=0.5, label="순위 구간 (rank interval)"
        )
    ax.scatter(ranks, y, color="tab:blue", zorder=3, label="순위 (rank)")
    labels = frame[label] if label in frame.columns else frame.get("case_id", frame["rank"])
    ax.set_yticks(y, [_short(v, 20) for v in labels])
    ax.invert_yaxis()
    ax.set_xlabel("순위 (1 = 최고)")
    n = max(len(frame), 1)
    ax.set_xlim(0.5, n + 0.5)
    ax.set_xticks(range(1, n + 1) if n <= 30 else ax.get_xticks())
    ax.set_title(title or "순위와 순위 구간 (rank intervals)")
    fig.legend(loc="outside lower center", ncols=2, fontsize=8)
    return fig


def totals_by_judge(
    scores: pd.DataFrame, labels: Mapping[str, str] | None = None, *, title: str | None = None
) -> Figure:
    """Each judge's summed points per case as dots on one line per case: spread = disagreement."""
    _need(scores, "case_id", "judge_id", "points")
    labels = labels or {}
    totals = scores.groupby(["case_id", "judge_id"])["points"].sum().reset_index()
    case_ids = list(dict.fromkeys(totals["case_id"]))
    fig = _figure(8, max(2.5, 0.4 * len(case_ids) + 1.3))
    ax = fig.subplots()
    judges = list(dict.fromkeys(totals["judge_id"]))
    colours = matplotlib.colormaps["tab20"]
    for j, judge in enumerate(judges):
        part = totals[totals["judge_id"] == judge]
        ys = [case_ids.index(c) for c in part["case_id"]]
        ax.scatter(part["points"].astype(float), ys, s=22, color=colours(j % 20), label=_short(judge, 12))
    ax.set_yticks(range(len(case_ids)), [_short(labels.get(c, c), 20) for c in case_ids])
    ax.invert_yaxis()
    ax.set_xlabel("심사위원별 합계 (judge total)")
    ax.set_title(title or "심사위원별 점수 (totals by judge)")
    if 0 < len(judges) <= 12:
        ax.legend(loc="lower right", fontsize=7, ncols=2)
    return fig


def theme_map(
    model: ThemeModel,
    *,
    new: pd.DataFrame | None = None,
    highlight: Collection[str] | None = None,
    text: str | None = None,
    max_labels: int = 15,
    title: str | None = None,
) -> Figure:
    """The 2-D map of a fitted `casekit.themes.ThemeModel`: one colour per theme, Hangul tags at the centres.

    Outliers are grey crosses; the legend carries every theme's full label and size. `new` is a
    `ThemeModel.transform` result drawn on top as stars, named by case. `highlight` holds case ids: their
    units are drawn large with a dark edge and the rest faint, so a group's report shows where its cases sit
    among the whole year. `text` names a unit field (e.g. municipality) written beside the points (the
    highlighted ones), only when at most `max_labels` would be named, since more overlap into a blot.
    The legend sits outside the axes: save with `save_figure(fig, path, dpi=None, tight=True)`.
    """
    use_korean_font()
    coords, labels, units = model.coords, model.labels, model.units
    if text is not None and units and not hasattr(units[0], text):
        raise ValueError(f"theme map cannot name points by {text!r}: units have no such field")
    cmap = matplotlib.colormaps["tab20" if len(model.themes) > 10 else "tab10"]
    fig = Figure(figsize=(10, 7.5), dpi=130)
    ax = fig.subplots()
    marked = None
    if highlight is not None:
        mine = set(highlight)
        marked = np.array([u.case_id in mine for u in units], dtype=bool)
    outliers = labels < 0
    if outliers.any():
        outlier_label = next((t.label for t in model.themes if t.theme_id < 0), "outlier")
        ax.scatter(
            coords[outliers, 0],
            coords[outliers, 1],
            c="#b0b0b0",
            marker="x",
            s=22,
            label=f"{outlier_label} ({int(outliers.sum())})",
        )
    real = [t for t in model.themes if t.theme_id >= 0]
    centres = []
    for theme in real:
        mask = labels == theme.theme_id
        color = cmap(theme.theme_id % cmap.N)
        legend = f"{theme.theme_id}. {theme.label} ({theme.size})"
        if marked is None:
            ax.scatter(
                coords[mask, 0],
                coords[mask, 1],
                color=color,
                s=34,
                alpha=0.8,
                edgecolors="white",
                linewidths=0.4,
                label=legend,
            )
        else:
            faint, strong = mask & ~marked, mask & marked
            ax.scatter(coords[faint, 0], coords[faint, 1], color=color, s=12, alpha=0.25)
            ax.scatter(
                coords[strong, 0],
                coords[strong, 1],
                color=color,
                s=46,
                edgecolors="black",
                linewidths=0.8,
                label=legend,
            )
        centres.append(coords[mask].mean(axis=0))
    if text is not None:
        named = [i for i in range(len(units)) if marked is None or marked[i]]
        if 0 < len(named) <= max_labels:
            for i in named:
                ax.annotate(
                    _short(getattr(units[i], text), 10),
                    (coords[i, 0], coords[i, 1]),
                    fontsize=7,
                    xytext=(3, 3),
                    textcoords="offset points",
                )
    # On the map a tag (id and first label term) at each theme centre, nudged apart so crowded
    # centres stay readable; the full labels are in the legend.
    for theme, (cx, cy) in zip(real, _spread(centres, ax)):
        color = cmap(theme.theme_id % cmap.N)
        ax.annotate(
            f"{theme.theme_id}. {'·'.join(theme.label.split('·')[:2])}",
            (cx, cy),
            fontsize=9,
            ha="center",
            va="center",
            weight="bold",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": color, "alpha": 0.85},
        )
    if new is not None and len(new):
        ax.scatter(new["x"], new["y"], marker="*", s=180, c="black", label="새 사례", zorder=5)
        for _, row in new.iterrows():
            name = row.get("title") or row.get("case_id") or row["unit_id"]
            ax.annotate(
                str(name)[:20], (row["x"], row["y"]), fontsize=8, xytext=(5, 5), textcoords="offset points"
            )
    kind = str(model.projection.get("kind", "pca")).upper()
    ax.set_xlabel(f"{kind} 1")
    ax.set_ylabel(f"{kind} 2")
    unit_word = "사례" if model.level == "case" else "문단"
    ax.set_title(title or f"주제 지도: {len(real)}개 주제, {len(units)}개 {unit_word} ({model.method})")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def _spread(points: Sequence[np.ndarray], ax: Any, min_gap: float = 0.05) -> list[tuple[float, float]]:
    """Label positions near `points`, moved vertically until no two are closer than `min_gap` (axes units)."""
    if not points:
        return []
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    w, h = (x1 - x0) or 1.0, (y1 - y0) or 1.0
    placed: list[tuple[float, float]] = []
    for px, py in points:
        fx, fy = (float(px) - x0) / w, (float(py) - y0) / h
        for _ in range(40):
            clash = [q for q in placed if abs(q[0] - fx) < min_gap * 3 and abs(q[1] - fy) < min_gap]
            if not clash:
                break
            fy = max(q[1] for q in clash) + min_gap
        placed.append((fx, fy))
    return [(x0 + fx * w, y0 + fy * h) for fx, fy in placed]


def save_figure(
    fig: Figure, path: str | os.PathLike[str], *, dpi: int | None = 110, tight: bool = False
) -> Path:
    """Save a figure as PNG (creating the folder) and return its path.

    `dpi=None` keeps the figure's own resolution; `tight` crops the page to what is drawn, which keeps a
    legend placed outside the axes (the theme map's) on the page.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi="figure" if dpi is None else dpi, bbox_inches="tight" if tight else None)
    return path


__all__: Sequence[str] = (
    "metric_overview",
    "outcome_headlines",
    "score_distribution",
    "criterion_bars",
    "criterion_radar",
    "rank_intervals",
    "totals_by_judge",
    "theme_map",
    "save_figure",
)
