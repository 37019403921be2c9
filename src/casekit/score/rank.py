"""Ranking: judges' scores (or, before any judge has scored, pre-scores) → ranks, awards, rank intervals.

Public API::

    result = rank_cases(cases, rubric, store=None, group=None, field=None, normalize=None, trim=None,
                        min_judges=None, bootstrap=None, seed=None, prescores=None, workspace=None,
                        accept_rubric_change=False)
    result.frame          # one row per case (columns below), grouped by 분야 × group, best first
    result.basis          # "judges" or "prescores"
    result.notes          # plain sentences every output must show (e.g. "ranked by PRE-SCORES …")
    result.agreement      # Krippendorff's alpha per criterion and stage
    result.disagreements  # per case × criterion spread of the judges' points, largest first
    result.to_json() / result.to_table()   # the Excel workbook: the report layer's write_ranking_workbook

Row columns: rank, case_id, municipality, region, title, field, group, total, award, stage_<id> per
stage, crit_<id> per criterion (mean points), n_judges, rank_lo, rank_hi (90% bootstrap interval),
p_award (share of bootstrap resamples in which the case wins any award), disagreement (largest
max−min of the judges' stage sums), disagreement_sd, tie, tie_broken_by, eligible, reason, basis,
explanation (one sentence saying how the total was made).

How a rank is made (every step is in `explanation` and `notes`):
  1. stage score = mean over the case's judges of each judge's stage sum (see casekit.score.aggregate;
     options: per-judge z-normalization, trimmed mean); a stage nobody has scored yet is left out for all;
  2. total = Σ stage weight × stage score;
  3. a case with fewer than `min_judges` judges on a scored stage is listed but not ranked;
  4. within each partition of the rubric's `rank_within` (분야 × 시/군/구 by default) cases are ordered by
     total, then by the rubric's `tie_break` keys (stage scores or criterion means, higher first); cases
     still equal share a rank (1, 2, 2, 4) and are flagged `tie` (casekit.score.standings);
  5. awards go down the ranking in the rubric's order and counts for the case's group; tied cases share
     the award, even if that exceeds the count (the note says so: organizers decide);
  6. rank interval: `bootstrap` resamples of the judges (with replacement, seeded) recompute every
     total and rank; rank_lo–rank_hi is the 5th–95th percentile of the case's rank
     (casekit.score.intervals).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from casekit.errors import ScoreError
from casekit.parse.model import Case
from casekit.rubric import Rubric
from casekit.score.aggregate import (
    combine,
    criterion_matrix,
    disagreement_frame,
    spread,
    stage_matrix,
    zscore_judges,
)
from casekit.score.agreement import agreement_frame
from casekit.score.intervals import bootstrap_intervals
from casekit.score.prescore import PreScore, load_prescores, prescore_cases, prescore_totals
from casekit.score.standings import ordered_frame, rank_within_partitions
from casekit.score.store import ScoreStore
from casekit.store import Workspace

PRESCORE_NOTE = (
    "순위 근거: 자동 사전점수(pre-scores) — 심사위원 점수가 아직 없습니다. "
    "RANKED BY PRE-SCORES (text signals), NOT BY JUDGES: a provisional order only."
)


@dataclass
class RankResult:
    frame: pd.DataFrame
    basis: str  # "judges" | "prescores"
    rubric_id: str
    rubric_version: str
    notes: list[str] = field(default_factory=list)
    agreement: pd.DataFrame = field(default_factory=pd.DataFrame)
    disagreements: pd.DataFrame = field(default_factory=pd.DataFrame)
    settings: dict[str, Any] = field(default_factory=dict)

    def rows(self) -> list[dict[str, Any]]:
        return [{k: _clean(v) for k, v in row.items()} for row in self.frame.to_dict(orient="records")]

    def to_json(self) -> dict[str, Any]:
        return {
            "basis": self.basis,
            "notes": list(self.notes),
            "rubric": {"id": self.rubric_id, "version": self.rubric_version},
            "settings": self.settings,
            "rows": self.rows(),
            "agreement": [
                {k: _clean(v) for k, v in r.items()} for r in self.agreement.to_dict(orient="records")
            ],
            "disagreements": [
                {k: _clean(v) for k, v in r.items()}
                for r in self.disagreements.head(20).to_dict(orient="records")
            ],
        }

    def to_table(self, max_title: int = 24) -> str:
        """A plain-text table for the terminal, with the notes above it."""
        stage_cols = [c for c in self.frame.columns if c.startswith("stage_")]
        cols = [
            "rank",
            "municipality",
            "title",
            "field",
            "group",
            "total",
            *stage_cols,
            "award",
            "rank_lo",
            "rank_hi",
            "n_judges",
            "disagreement",
        ]
        cols = [c for c in cols if c in self.frame.columns]
        view = self.frame[cols].copy()
        if "award" in view:
            view["award"] = view["award"].fillna("-")
        if "title" in view:
            view["title"] = view["title"].astype(str).str.slice(0, max_title)
        lines = [f"* {note}" for note in self.notes]
        lines.append(view.to_string(index=False, na_rep="-", float_format=lambda x: f"{x:.2f}"))
        if not self.agreement.empty and self.basis == "judges":
            lines.append("")
            lines.append("Agreement between judges (Krippendorff's alpha, interval):")
            lines.append(
                self.agreement[["level", "id", "name", "alpha", "n_cases", "n_judges", "reading"]].to_string(
                    index=False, na_rep="-"
                )
            )
        return "\n".join(lines)


def _clean(value: Any) -> Any:
    if isinstance(value, float | np.floating):
        return None if math.isnan(float(value)) else round(float(value), 4)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def _case_frame(cases: Sequence[Case]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "case_id": c.id,
                "municipality": c.municipality,
                "region": c.region,
                "title": c.title,
                "field": c.field,
                "group": c.group,
            }
            for c in cases
        ]
    )


def rank_cases(
    cases: Sequence[Case],
    rubric: Rubric,
    store: ScoreStore | None = None,
    *,
    group: str | None = None,
    field: str | None = None,
    normalize: str | None = None,
    trim: bool | None = None,
    min_judges: int | None = None,
    bootstrap: int | None = None,
    seed: int | None = None,
    prescores: Sequence[PreScore] | None = None,
    workspace: Workspace | str | None = None,
    accept_rubric_change: bool = False,
) -> RankResult:
    """Rank `cases` by the judges' scores in `store`, else by pre-scores (see the module docstring)."""
    agg = rubric.model.aggregation
    normalize = normalize or agg.normalize
    trim = agg.trim if trim is None else trim
    min_judges = min_judges or agg.min_judges
    bootstrap = agg.bootstrap if bootstrap is None else bootstrap
    seed = agg.seed if seed is None else seed
    chosen = [c for c in cases if (group is None or c.group == group) and (field is None or c.field == field)]
    if not chosen:
        raise ScoreError(f"no cases to rank (group={group!r}, field={field!r})")
    settings: dict[str, Any] = {
        "rubric_path": rubric.path,
        "normalize": normalize,
        "trim": trim,
        "trim_min_judges": agg.trim_min_judges,
        "min_judges": min_judges,
        "bootstrap": bootstrap,
        "seed": seed,
        "group": group,
        "field": field,
        "rank_within": list(rubric.model.rank_within),
        "tie_break": list(rubric.model.tie_break),
    }
    notes: list[str] = []
    ids = {c.id for c in chosen}
    scores = pd.DataFrame()
    if store is not None:
        store.register_cases(chosen)
        scores = store.scores_frame(rubric)
        scores = scores[scores["case_id"].isin(ids)]
    if not scores.empty:
        stale = scores[scores["rubric_version"] != rubric.version]
        if len(stale):
            versions = ", ".join(sorted(set(stale["rubric_version"])))
            if not accept_rubric_change:
                raise ScoreError(
                    f"{len(stale)} score(s) were given under another version of rubric {rubric.id} ({versions}; the "
                    f"file {rubric.path} is now {rubric.version}): review them, or pass --accept-rubric-change"
                )
            maxes = {c.id: float(c.max_points or 0) for c in rubric.criteria}
            over = stale[stale["points"] > stale["criterion"].map(maxes).fillna(-1)]
            scores = scores.drop(index=over.index)
            notes.append(
                f"{len(stale)} score(s) from rubric version(s) {versions} included (--accept-rubric-change)"
                + (f"; {len(over)} above the new maximum dropped" if len(over) else "")
            )
        excluded = scores[scores["excluded"].notna()]
        if len(excluded):
            counts = excluded.groupby("excluded")["case_id"].count().to_dict()
            notes.append(
                "left out of the means: "
                + ", ".join(f"{n} score(s) by {k}" for k, n in sorted(counts.items()))
            )
        scores = scores[scores["excluded"].isna()]
    if store is not None:
        towns = {c.id: c.municipality or c.id for c in chosen}
        excl = store.exclusions_frame()
        excl = excl[excl["case_id"].isin(ids) | (excl["case_id"] == "*")]
        for kind, label in (("abstain", "abstentions"), ("recuse", "recusals")):
            sub = excl[excl["kind"] == kind]
            if len(sub):
                notes.append(
                    f"{label} in effect: "
                    + ", ".join(
                        f"{r.judge_id} on {towns.get(r.case_id, 'every case')}" for r in sub.itertuples()
                    )
                )
    frame = _case_frame(chosen).set_index("case_id", drop=False)
    if scores.empty:
        ws = Workspace.resolve(workspace) if workspace is not None else None
        result = _rank_prescores(chosen, rubric, frame, prescores, ws, notes, settings)
    else:
        result = _rank_judges(
            rubric, frame, scores, notes, settings, normalize, trim, min_judges, bootstrap, seed
        )
    return result


# -- by judges --------------------------------------------------------------------------------------


def _rank_judges(
    rubric: Rubric,
    frame: pd.DataFrame,
    scores: pd.DataFrame,
    notes: list[str],
    settings: dict[str, Any],
    normalize: str,
    trim: bool,
    min_judges: int,
    bootstrap: int,
    seed: int,
) -> RankResult:
    agg = rubric.model.aggregation
    notes.insert(0, "순위 근거: 심사위원 점수 (ranked by the judges' scores).")
    matrices: dict[str, pd.DataFrame] = {}
    active = []
    for stage in rubric.stages:
        matrix, incomplete = stage_matrix(scores, stage)
        if incomplete:
            shown = ", ".join(f"{j}/{c}" for j, c in incomplete[:6])
            notes.append(
                f"{stage.name}: {len(incomplete)} judge/case pair(s) scored only part of the stage and are "
                f"left out of it: {shown}{' …' if len(incomplete) > 6 else ''}"
            )
        if matrix.empty:
            notes.append(
                f"{stage.name} ({stage.id}) has no complete scores yet: left out of every total "
                f"(totals are out of {rubric.total_points - stage.weight * stage.points:g}, not "
                f"{rubric.total_points:g})."
            )
            continue
        matrix = matrix.reindex(columns=frame.index)
        if normalize == "zscore":
            matrix = zscore_judges(matrix)
        matrices[stage.id] = matrix
        active.append(stage)
    if normalize == "zscore":
        notes.append("each judge's stage sums are z-normalized and mapped back onto the points scale.")
    if trim:
        notes.append(
            f"trimmed mean: the highest and lowest judge are dropped where ≥ {agg.trim_min_judges} judges "
            "scored a stage."
        )
    total = pd.Series(0.0, index=frame.index)
    reasons: dict[str, list[str]] = {cid: [] for cid in frame.index}
    explain: dict[str, list[str]] = {cid: [] for cid in frame.index}
    for stage in active:
        score, n = combine(matrices[stage.id], trim, agg.trim_min_judges)
        need = stage.min_judges or min_judges
        frame[f"stage_{stage.id}"] = score
        frame[f"n_{stage.id}"] = n.astype(int)
        total = total + stage.weight * score.fillna(0.0)
        for cid in frame.index:
            k = int(n.get(cid, 0))
            if k < need:
                reasons[cid].append(f"{stage.name}: {k} judge(s), needs {need}")
            else:
                how = "trimmed mean" if trim and k >= agg.trim_min_judges else "mean"
                weight = "" if stage.weight == 1 else f"{stage.weight:g} × "
                explain[cid].append(f"{weight}{stage.name} {score[cid]:.2f} ({how} of {k} judge(s))")
    for crit in rubric.criteria:
        cm = criterion_matrix(scores, crit.id).reindex(columns=frame.index)
        frame[f"crit_{crit.id}"] = cm.mean(axis=0) if not cm.empty else np.nan
    frame["total"] = total
    frame["n_judges"] = (
        scores.groupby("case_id")["judge_id"].nunique().reindex(frame.index).fillna(0).astype(int)
    )
    frame["eligible"] = [not reasons[cid] for cid in frame.index]
    frame["reason"] = ["; ".join(reasons[cid]) or None for cid in frame.index]
    frame.loc[~frame["eligible"], "total"] = np.nan
    ranges, sds = [], []
    for m in matrices.values():
        stage_range, stage_sd = spread(m.to_numpy(dtype=float))
        ranges.append(stage_range)
        sds.append(stage_sd)
    with np.errstate(all="ignore"):
        frame["disagreement"] = np.fmax.reduce(ranges) if ranges else np.nan
        frame["disagreement_sd"] = np.fmax.reduce(sds) if sds else np.nan
    frame["basis"] = "judges"
    rank_within_partitions(frame, rubric, notes, explain)
    bootstrap_intervals(frame, rubric, matrices, active, trim, agg.trim_min_judges, bootstrap, seed, notes)
    agreement = agreement_frame(scores, rubric)
    low = agreement[(agreement["level"] == "criterion") & (agreement["alpha"] < 0.667)]
    if len(low):
        notes.append(
            "judges agree weakly (Krippendorff's α < 0.667) on: "
            + ", ".join(f"{r.name} {r.alpha:.2f}" for r in low.itertuples())
        )
    return RankResult(
        ordered_frame(frame, rubric),
        "judges",
        rubric.id,
        rubric.version,
        notes,
        agreement,
        disagreement_frame(scores, rubric),
        settings,
    )


# -- by pre-scores ----------------------------------------------------------------------------------


def _rank_prescores(
    cases: Sequence[Case],
    rubric: Rubric,
    frame: pd.DataFrame,
    prescores: Sequence[PreScore] | None,
    workspace: Workspace | None,
    notes: list[str],
    settings: dict[str, Any],
) -> RankResult:
    if prescores is None and workspace is not None:
        saved = load_prescores(workspace, rubric)
        if saved is not None and {c.id for c in cases} <= {p.case_id for p in saved}:
            prescores = saved
    if prescores is None:
        prescores = prescore_cases(cases, rubric, workspace=workspace)
    ids = {c.id for c in cases}
    prescores = [p for p in prescores if p.case_id in ids]
    totals = prescore_totals(prescores, rubric).set_index("case_id")
    notes.insert(0, PRESCORE_NOTE)
    scored_stages = [s for s in rubric.stages if f"stage_{s.id}" in totals.columns]
    missing = [s.name for s in rubric.stages if s not in scored_stages]
    if missing:
        notes.append(
            f"not pre-scorable from a written report, left out: {', '.join(missing)}; totals are out of "
            f"{sum(s.weight * s.points for s in scored_stages):g}."
        )
    explain: dict[str, list[str]] = {}
    for stage in scored_stages:
        frame[f"stage_{stage.id}"] = totals[f"stage_{stage.id}"].reindex(frame.index)
    for crit in rubric.criteria:
        if crit.id in totals.columns:
            frame[f"crit_{crit.id}"] = totals[crit.id].reindex(frame.index)
    frame["total"] = totals["total"].reindex(frame.index)
    for cid in frame.index:
        explain[str(cid)] = [
            f"{s.name} {frame.loc[cid, f'stage_{s.id}']:.1f} (suggested from text signals)"
            for s in scored_stages
        ]
    frame["n_judges"] = 0
    frame["eligible"] = frame["total"].notna()
    frame["reason"] = [None if ok else "no pre-score" for ok in frame["eligible"]]
    frame["disagreement"] = np.nan
    frame["disagreement_sd"] = np.nan
    frame["basis"] = "prescores"
    rank_within_partitions(frame, rubric, notes, explain)
    frame["rank_lo"] = frame["rank"].astype(float)
    frame["rank_hi"] = frame["rank"].astype(float)
    frame["p_award"] = np.nan
    notes.append("no rank interval or judge agreement: there are no judges to resample yet.")
    settings["prescore_signals"] = "see `casekit prescore` for every suggestion's signals and evidence lines"
    return RankResult(
        ordered_frame(frame, rubric),
        "prescores",
        rubric.id,
        rubric.version,
        notes,
        pd.DataFrame(),
        pd.DataFrame(),
        settings,
    )
