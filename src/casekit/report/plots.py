"""The report figures, drawn with matplotlib on plain DataFrames so notebooks and batches share them.

Every function sets the bundled Hangul font first (`use_korean_font`) — without it municipality names turn
into tofu boxes — and returns a `Figure` (not shown, not saved) so the caller decides: a notebook displays
it, a batch run saves it with `save_figure`. Functions take the columns they need and raise `ValueError`
naming a missing column, rather than drawing a silently wrong picture.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .fonts import use_korean_font

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

#: Korean names of metric kinds (casekit.metrics.model.MetricKind) for axis labels.
KIND_LABELS = {
    "money": "금액",
    "persons": "인원",
    "count": "건수",
    "percent": "비율(%)",
    "area": "면적",
    "duration": "기간",
    "power": "전력",
    "ratio": "배율",
    "other": "기타",
}


def _need(frame: pd.DataFrame, *columns: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"plot needs column(s) {missing}; got {list(frame.columns)}")


def _figure(width: float, height: float) -> Figure:
    use_korean_font()
    from matplotlib.figure import Figure

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
    import matplotlib

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
    import matplotlib

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
    points: pd.DataFrame,
    *,
    x: str = "x",
    y: str = "y",
    theme: str = "label",
    text: str | None = "municipality",
    highlight: str | None = None,
    max_labels: int = 15,
    title: str | None = None,
) -> Figure:
    """A 2-D map of cases coloured by theme (coordinates from `casekit.themes`).

    `highlight` names a boolean column: those cases are drawn large with a dark edge and the rest faint, so
    a group's report shows where its cases sit among the whole year. Points are named (`text`) only when at
    most `max_labels` would be, since more names overlap into an unreadable blot; the table beside the map
    names every case.
    """
    _need(points, x, y, theme)
    fig = _figure(8, 6)
    ax = fig.subplots()
    import matplotlib

    themes = sorted(points[theme].astype(str).unique())
    colours = matplotlib.colormaps["tab10" if len(themes) <= 10 else "tab20"]
    marked = points[highlight].astype(bool) if highlight and highlight in points.columns else None
    named = points if marked is None else points[marked]
    annotate = bool(text and text in points.columns and 0 < len(named) <= max_labels)
    for i, name in enumerate(themes):
        part = points[points[theme].astype(str) == name]
        colour = colours(i % colours.N)
        if marked is None:
            ax.scatter(part[x], part[y], s=30, color=colour, label=_short(name, 24))
        else:
            on = marked.loc[part.index]
            ax.scatter(part.loc[~on, x], part.loc[~on, y], s=12, color=colour, alpha=0.25)
            ax.scatter(
                part.loc[on, x],
                part.loc[on, y],
                s=46,
                color=colour,
                edgecolors="black",
                linewidths=0.8,
                label=_short(name, 24),
            )
    if annotate:
        for px, py, label in zip(named[x], named[y], named[text]):
            ax.annotate(_short(label, 10), (px, py), fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title or "주제 지도 (theme map)")
    fig.legend(loc="outside right upper", fontsize=8)
    return fig


def save_figure(fig: Figure, path: str | os.PathLike[str], *, dpi: int = 110) -> Path:
    """Save a figure as PNG (creating the folder) and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi)
    return path


def figure_png(fig: Figure, *, dpi: int = 110) -> bytes:
    """PNG bytes of a figure, for embedding in HTML or displaying in a notebook without a file."""
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


__all__: Sequence[str] = (
    "metric_overview",
    "score_distribution",
    "criterion_bars",
    "criterion_radar",
    "rank_intervals",
    "totals_by_judge",
    "theme_map",
    "save_figure",
    "figure_png",
)
