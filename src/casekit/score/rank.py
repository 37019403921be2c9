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
    result.to_json() / result.to_table() / result.to_xlsx(path)

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
     still equal share a rank (1, 2, 2, 4) and are flagged `tie`;
  5. awards go down the ranking in the rubric's order and counts for the case's group; tied cases share
     the award, even if that exceeds the count (the note says so: organizers decide);
  6. rank interval: `bootstrap` resamples of the judges (with replacement, seeded) recompute every
     total and rank; rank_lo–rank_hi is the 5th–95th percentile of the case's rank.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from casekit.errors import ScoreError
from casekit.parse.model import Case
from casekit.rubric import Rubric
from casekit.score.aggregate import (
    combine,
    combine_array,
    criterion_matrix,
    disagreement_frame,
    stage_matrix,
    zscore_judges,
)
from casekit.score.agreement import agreement_frame

if TYPE_CHECKING:
    from casekit.score.prescore import PreScore
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

    def to_xlsx(self, path: str | Path) -> Path:
        from casekit.report.excel import write_workbook

        sheets: dict[str, Any] = {"ranking": self.frame}
        if not self.agreement.empty:
            sheets["agreement"] = self.agreement
        if not self.disagreements.empty:
            sheets["disagreements"] = self.disagreements
        sheets["settings"] = pd.DataFrame([{"key": k, "value": str(v)} for k, v in self.settings.items()])
        return write_workbook(path, sheets, notes=self.notes)


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


def _partition_keys(rubric: Rubric) -> list[str]:
    return [k for k in rubric.model.rank_within]


def _rank_order(
    sub: pd.DataFrame, keys: list[str]
) -> tuple[list[Any], list[int], list[bool], list[str | None]]:
    """Sort one partition; return (index order, competition ranks, tie flags, tie-breaking key used)."""
    sort_cols = ["total", *keys]
    values = sub[sort_cols].fillna(-np.inf).round(9)
    ordered = values.sort_values(sort_cols, ascending=False, kind="mergesort")
    idx = list(ordered.index)
    tuples = [tuple(ordered.loc[i]) for i in idx]
    ranks: list[int] = []
    for pos, tup in enumerate(tuples):
        ranks.append(ranks[pos - 1] if pos and tup == tuples[pos - 1] else pos + 1)
    ties = [tuples.count(t) > 1 for t in tuples]
    broken: list[str | None] = []
    for tup in tuples:
        # the first tie-break key that separates this case from any case with the same total
        firsts = [
            next(k for k, (a, b) in enumerate(zip(tup[1:], other[1:])) if a != b)
            for other in tuples
            if other[0] == tup[0] and other != tup
        ]
        broken.append(keys[min(firsts)] if firsts else None)
    return idx, ranks, ties, broken


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
        result = _rank_prescores(chosen, rubric, frame, prescores, workspace, notes, settings)
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
        values = m.to_numpy(dtype=float)
        two = (~np.isnan(values)).sum(axis=0) >= 2
        with np.errstate(all="ignore"):
            filled_hi = np.where(np.isnan(values), -np.inf, values).max(axis=0)
            filled_lo = np.where(np.isnan(values), np.inf, values).min(axis=0)
            ranges.append(np.where(two, filled_hi - filled_lo, np.nan))
            sds.append(np.where(two, np.nanstd(np.where(two, values, 0.0), axis=0, ddof=1), np.nan))
    with np.errstate(all="ignore"):
        frame["disagreement"] = np.fmax.reduce(ranges) if ranges else np.nan
        frame["disagreement_sd"] = np.fmax.reduce(sds) if sds else np.nan
    frame["basis"] = "judges"
    _finish(frame, rubric, notes, explain)
    _bootstrap(frame, rubric, matrices, active, trim, agg.trim_min_judges, bootstrap, seed, notes)
    agreement = agreement_frame(scores, rubric)
    low = agreement[(agreement["level"] == "criterion") & (agreement["alpha"] < 0.667)]
    if len(low):
        notes.append(
            "judges agree weakly (Krippendorff's α < 0.667) on: "
            + ", ".join(f"{r.name} {r.alpha:.2f}" for r in low.itertuples())
        )
    return RankResult(
        _order(frame, rubric),
        "judges",
        rubric.id,
        rubric.version,
        notes,
        agreement,
        disagreement_frame(scores, rubric),
        settings,
    )


def _bootstrap(
    frame: pd.DataFrame,
    rubric: Rubric,
    matrices: dict[str, pd.DataFrame],
    active: list[Any],
    trim: bool,
    trim_min: int,
    iterations: int,
    seed: int,
    notes: list[str],
) -> None:
    frame["rank_lo"] = frame["rank"].astype(float)
    frame["rank_hi"] = frame["rank"].astype(float)
    frame["p_award"] = np.nan
    if iterations <= 0 or not matrices:
        return
    judges = sorted(set().union(*[set(m.index) for m in matrices.values()]))
    arrays = {sid: m.reindex(index=judges).to_numpy(dtype=float) for sid, m in matrices.items()}
    weights = {s.id: s.weight for s in active}
    rng = np.random.default_rng(seed)
    parts = _partitions(frame, rubric)
    award_slots = {
        key: sum(a.count for a in rubric.awards_for(idx_group)) for key, (_, idx_group) in parts.items()
    }
    eligible = frame["eligible"].to_numpy()
    collected: list[np.ndarray] = []
    for _ in range(iterations):
        pick = rng.integers(0, len(judges), size=len(judges))
        total = np.zeros(len(frame))
        missing = np.zeros(len(frame), dtype=bool)
        for sid, arr in arrays.items():
            score, n = combine_array(arr[pick], trim, trim_min)
            missing |= n == 0
            total += weights[sid] * np.nan_to_num(score)
        total[missing | ~eligible] = np.nan
        ranks = np.full(len(frame), np.nan)
        for positions, _ in parts.values():
            vals = total[positions]
            ok = ~np.isnan(vals)
            if ok.any():
                ranks[np.asarray(positions)[ok]] = (
                    pd.Series(vals[ok]).rank(method="min", ascending=False).to_numpy()
                )
        collected.append(ranks)
    stack = np.vstack(collected)
    lo, hi, p_award = [], [], []
    for i, key in enumerate(_row_partition(frame, rubric)):
        col = stack[:, i]
        col = col[~np.isnan(col)]
        if not len(col) or not eligible[i]:
            lo.append(np.nan)
            hi.append(np.nan)
            p_award.append(np.nan)
            continue
        lo.append(float(np.percentile(col, 5, method="lower")))
        hi.append(float(np.percentile(col, 95, method="higher")))
        p_award.append(float(np.mean(col <= award_slots[key])))
    frame["rank_lo"], frame["rank_hi"], frame["p_award"] = lo, hi, p_award
    notes.append(
        f"rank_lo–rank_hi: 90% interval of the case's rank over {iterations} bootstrap resamples of the "
        f"{len(judges)} judges (seed {seed}); p_award: share of resamples in which it wins an award."
    )


def _partitions(frame: pd.DataFrame, rubric: Rubric) -> dict[tuple[Any, ...], tuple[list[int], str | None]]:
    parts: dict[tuple[Any, ...], tuple[list[int], str | None]] = {}
    for pos, key in enumerate(_row_partition(frame, rubric)):
        group = frame["group"].iloc[pos]
        parts.setdefault(key, ([], None if pd.isna(group) else str(group)))[0].append(pos)
    return parts


def _row_partition(frame: pd.DataFrame, rubric: Rubric) -> list[tuple[Any, ...]]:
    keys = _partition_keys(rubric)
    return [
        tuple("" if pd.isna(frame[k].iloc[i]) else frame[k].iloc[i] for k in keys) for i in range(len(frame))
    ]


def _tie_columns(frame: pd.DataFrame, rubric: Rubric) -> list[str]:
    cols = []
    for key in rubric.model.tie_break:
        col = (
            f"stage_{key}"
            if f"stage_{key}" in frame
            else f"crit_{rubric.criterion(key).id}"
            if any(key in (c.id, c.name) for c in rubric.criteria)
            else None
        )
        if col and col in frame:
            cols.append(col)
    return cols


def _finish(frame: pd.DataFrame, rubric: Rubric, notes: list[str], explain: dict[str, list[str]]) -> None:
    """Ranks within partitions, tie-breaks, awards and explanations (shared by both bases)."""
    ties = _tie_columns(frame, rubric)
    names = {f"stage_{s.id}": s.name for s in rubric.stages} | {
        f"crit_{c.id}": c.name for c in rubric.criteria
    }
    rank_of: dict[Any, int] = {}
    tie_of: dict[Any, bool] = {}
    broken_of: dict[Any, str | None] = {}
    award_of: dict[Any, str | None] = {}
    over_awarded = []
    for key, (positions, group) in _partitions(frame, rubric).items():
        sub = frame.iloc[positions]
        sub = sub[sub["eligible"]]
        if sub.empty:
            continue
        idx, ranks, tie_flags, broken = _rank_order(sub, ties)
        awards = rubric.awards_for(group)
        bounds, cum = [], 0
        for award in awards:
            cum += award.count
            bounds.append((cum, award.name))
        for i, r, t, b in zip(idx, ranks, tie_flags, broken):
            rank_of[i] = r
            tie_of[i] = t
            broken_of[i] = names.get(b, b) if b else None
            award_of[i] = next((name for limit, name in bounds if r <= limit), None)
        given = sum(1 for r in ranks if r <= cum)
        if given > cum:
            over_awarded.append(f"{'/'.join(map(str, key))}: {given} awards for {cum} places (shared ranks)")
    frame["rank"] = [rank_of.get(i, np.nan) for i in frame.index]
    frame["award"] = pd.Series([award_of.get(i) for i in frame.index], index=frame.index, dtype=object)
    frame["tie"] = [tie_of.get(i, False) for i in frame.index]
    frame["tie_broken_by"] = pd.Series(
        [broken_of.get(i) for i in frame.index], index=frame.index, dtype=object
    )
    if over_awarded:
        notes.append("ties at an award boundary — organizers decide: " + "; ".join(over_awarded))
    if ties:
        notes.append(
            "equal totals are broken by, in order: "
            + ", ".join(names.get(c, c) for c in ties)
            + "; cases still equal share a rank (tie = true)."
        )
    texts = []
    for cid, row in frame.iterrows():
        parts = explain.get(str(cid), [])
        if not row["eligible"]:
            texts.append(f"not ranked: {row['reason']}")
            continue
        text = f"total {row['total']:.2f} = " + " + ".join(parts)
        if row["tie_broken_by"]:
            text += f"; equal total broken by {row['tie_broken_by']}"
        if row["tie"]:
            text += "; shares its rank (tied on every tie-break key)"
        texts.append(text)
    frame["explanation"] = texts


def _order(frame: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    keys = _partition_keys(rubric)
    frame = frame.reset_index(drop=True)
    frame["_unranked"] = frame["rank"].isna()
    frame = frame.sort_values([*keys, "_unranked", "rank", "case_id"], kind="mergesort", na_position="last")
    stage_cols = [c for c in frame.columns if c.startswith("stage_")]
    n_cols = [c for c in frame.columns if c.startswith("n_") and c != "n_judges"]
    crit_cols = [c for c in frame.columns if c.startswith("crit_")]
    head = [
        "rank",
        "case_id",
        "municipality",
        "region",
        "title",
        "field",
        "group",
        "total",
        "award",
        *stage_cols,
        "rank_lo",
        "rank_hi",
        "p_award",
        "n_judges",
        *n_cols,
        "disagreement",
        "disagreement_sd",
        "tie",
        "tie_broken_by",
        "eligible",
        "reason",
        "basis",
        *crit_cols,
        "explanation",
    ]
    head = [c for c in head if c in frame.columns]
    out = frame[head].reset_index(drop=True)
    out["rank"] = out["rank"].astype("Int64")
    return out


# -- by pre-scores ----------------------------------------------------------------------------------


def _rank_prescores(
    cases: Sequence[Case],
    rubric: Rubric,
    frame: pd.DataFrame,
    prescores: Sequence[PreScore] | None,
    workspace: Workspace | str | None,
    notes: list[str],
    settings: dict[str, Any],
) -> RankResult:
    from casekit.score.prescore import load_prescores, prescore_cases, prescore_totals

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
    _finish(frame, rubric, notes, explain)
    frame["rank_lo"] = frame["rank"].astype(float)
    frame["rank_hi"] = frame["rank"].astype(float)
    frame["p_award"] = np.nan
    notes.append("no rank interval or judge agreement: there are no judges to resample yet.")
    settings["prescore_signals"] = "see `casekit prescore` for every suggestion's signals and evidence lines"
    return RankResult(
        _order(frame, rubric),
        "prescores",
        rubric.id,
        rubric.version,
        notes,
        pd.DataFrame(),
        pd.DataFrame(),
        settings,
    )
