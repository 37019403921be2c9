"""The ranking report of one 분야 × 구분 group: what `notebooks/ranking_report.ipynb` shows and saves.

Public API::

    report = RankingReport.build(rubric, workspace, field="사회적경제", group="시")
    report.show_all()                 # header, ranking and awards, scores, agreement, intervals, outcomes, themes
    report.save(output_dir)           # <name>.xlsx and <name>_files/*.png; returns {kind: path}

All the logic lives here so the notebook stays a list of short calls, and the batch, the tests and a
script get exactly what the organizer sees. Ranking comes from `casekit.score.rank.rank_cases`; with no
judges' scores yet it ranks by pre-scores, and the report says so in its first lines and in the workbook.
The metrics come from the workspace's one reader (`casekit.store.load_metrics`); the outcome indicators a
judge compares (일자리, 예산·사업비 … per case, `casekit.outcomes`) are made from them. Parts that need what may
not exist yet (judges' scores, a saved theme model) degrade to one sentence saying what is missing and how
to get it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from casekit.errors import CasekitError, WorkspaceError
from casekit.outcomes import case_indicators, format_figure, headline_table, indicators_frame, load_taxonomy
from casekit.outcomes.model import TEMPORAL_NAMES
from casekit.parse.model import Case
from casekit.report import display as D
from casekit.report import plots
from casekit.report.excel import outcome_sheets, write_workbook
from casekit.rubric import Rubric, load_rubric
from casekit.score.rank import rank_cases
from casekit.score.store import ScoreStore
from casekit.store import Workspace, atomic_write_text, load_metrics
from casekit.themes import ThemeModel
from casekit.views.names import report_name

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

#: Column order of the ranking table (others the scorer adds follow); Korean headers for display.
RANK_COLUMNS = ("rank", "award", "municipality", "title", "total")
HEADERS = {
    "rank": "순위",
    "award": "수상",
    "municipality": "지자체",
    "title": "사례명",
    "total": "총점",
    "field": "분야",
    "group": "구분",
    "region": "광역",
    "n_judges": "심사위원 수",
    "disagreement": "의견차",
    "rank_lo": "순위 구간 하한",
    "rank_hi": "순위 구간 상한",
    "tie": "동점",
    "explanation": "산출 근거",
    "p_award": "수상 확률",
    "reason": "사유",
    "tie_broken_by": "동점 처리",
    "disagreement_sd": "의견차 SD",
    "basis": "근거",
    "case_id": "사례 ID",
}
HIDDEN = {"basis", "field", "group", "eligible"}
#: Shown in the second (per-criterion) table or only in the workbook, to keep the main table readable.
DETAIL_COLUMNS = {
    "explanation",
    "n_written",
    "disagreement_sd",
    "tie_broken_by",
    "reason",
    "region",
    "case_id",
}


@dataclass
class RankingReport:
    rubric: Rubric
    workspace: Workspace
    field: str | None
    group: str | None
    cases: list[Case]
    ranking: pd.DataFrame
    basis: str  # "judges", "prescores" or "unavailable"
    scores: pd.DataFrame  # judges' scores on these cases (exclusions marked), may be empty
    agreement: pd.DataFrame | None
    metrics: pd.DataFrame | None
    outcomes: pd.DataFrame | None = (
        None  # outcome indicators of these cases (casekit.outcomes), headlines marked
    )
    notes: list[str] = dc_field(default_factory=list)
    figures: dict[str, Figure] = dc_field(default_factory=dict, repr=False)
    pngs: dict[str, bytes] = dc_field(default_factory=dict, repr=False)

    # -- building --------------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        rubric: Any,
        workspace: Workspace | str | os.PathLike[str] | None = None,
        field: str | None = None,
        group: str | None = None,
    ) -> RankingReport:
        ws = Workspace.resolve(workspace)
        rub = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
        all_cases = ws.load_cases()
        cases = [
            c
            for c in all_cases
            if (field is None or c.field == field) and (group is None or c.group == group)
        ]
        if not cases:
            raise WorkspaceError(
                f"no cases with 분야={field or '전체'} and 구분={group or '전체'} in {ws.root}"
            )
        ids = {c.id for c in cases}
        scores = pd.DataFrame()  # the judges' scores on these cases; none before the store exists
        store = ScoreStore(ws) if ws.scores_db.is_file() else None
        try:
            result = rank_cases(cases, rub, store=store, workspace=ws)
            if store is not None:
                scores = store.scores_frame(rub)
                scores = scores[scores["case_id"].isin(ids)].reset_index(drop=True)
        finally:
            if store is not None:
                store.close()
        notes = [str(n) for n in result.notes]
        metrics = load_metrics(ws)
        metrics = metrics[metrics["case_id"].isin(ids)].reset_index(drop=True)
        outcomes = indicators_frame(case_indicators(cases, ws))
        return cls(
            rubric=rub,
            workspace=ws,
            field=field,
            group=group,
            cases=cases,
            ranking=result.frame.reset_index(drop=True),
            basis=result.basis,
            scores=scores,
            agreement=result.agreement,
            metrics=metrics,
            outcomes=outcomes,
            notes=notes,
        )

    @property
    def name(self) -> str:
        return report_name("ranking_report", {"field": self.field, "group": self.group})

    @property
    def title(self) -> str:
        return f"{self.rubric.title} — 분야 {self.field or '전체'} · 구분 {self.group or '전체'}"

    @property
    def labels(self) -> dict[str, str]:
        return {c.id: c.municipality or c.id for c in self.cases}

    # -- showing ---------------------------------------------------------------------------------

    def basis_sentence(self) -> str:
        if self.basis == "judges":
            n = (
                self.scores.loc[self.scores.get("excluded").isna(), "judge_id"].nunique()
                if not self.scores.empty and "excluded" in self.scores.columns
                else self.scores.get("judge_id", pd.Series(dtype=str)).nunique()
            )
            return f"심사위원 점수로 순위를 매겼습니다 (ranked by judges' scores; {n} judges)."
        if self.basis == "prescores":
            return (
                "심사위원 점수가 아직 없어 사전점수(제안값)로 순위를 매겼습니다 — 최종 결과가 아닙니다. "
                "(No judges' scores yet: ranked by pre-score suggestions, not a final result.)"
            )
        return "순위를 매길 수 없습니다 (no ranking available)."

    def show_header(self) -> None:
        D.show_style()
        D.show_text(self.title, level=1)
        if not any(n.startswith("순위 근거") for n in self.notes):  # the scorer already says it
            D.show_notice(self.basis_sentence()) if self.basis != "judges" else D.show_text(
                self.basis_sentence()
            )
        D.show_text(f"사례 {len(self.cases)}건 · 평가기준 {self.rubric.id} (version {self.rubric.version})")
        for note in self.notes:
            D.show_notice(note)

    def headers(self) -> dict[str, str]:
        """Korean column headers, including one per stage (stage_<id>) and criterion (crit_<id>)."""
        names = dict(HEADERS)
        names.update({f"stage_{s.id}": s.name for s in self.rubric.stages})
        names.update({f"crit_{c.id}": c.name for c in self.rubric.criteria})
        return names

    def ranking_table(self) -> pd.DataFrame:
        """The ranking with the columns an organizer reads first, in that order."""
        frame = self.ranking.copy()
        if frame.empty:
            return frame
        stages = [c for c in frame.columns if str(c).startswith("stage_")]
        crits = [c for c in frame.columns if str(c).startswith("crit_")]
        first = [
            c
            for c in (
                *RANK_COLUMNS,
                *stages,
                "rank_lo",
                "rank_hi",
                "n_judges",
                "disagreement",
                "tie",
                "explanation",
                *crits,
            )
            if c in frame.columns
        ]
        rest = [c for c in frame.columns if c not in first and c not in HIDDEN and c != "case_id"]
        frame = frame[first + rest + (["case_id"] if "case_id" in frame.columns else [])]
        return frame.dropna(axis=1, how="all")  # e.g. a presentation stage nobody has scored yet

    def awards(self) -> pd.DataFrame:
        frame = self.ranking
        if frame.empty or "award" not in frame.columns:
            return pd.DataFrame(columns=["award", "municipality", "title"])
        won = frame[frame["award"].notna() & (frame["award"].astype(str) != "")]
        cols = [c for c in ("award", "rank", "municipality", "title", "total") if c in won.columns]
        return won[cols]

    def show_ranking(self) -> None:
        if self.ranking.empty:
            D.show_notice(
                "순위표가 없습니다 (no ranking): " + "; ".join(self.notes or ["scoring is unavailable"])
            )
            return
        awards = self.awards()
        if not awards.empty:
            D.show_text("수상 (awards)", level=3)
            D.show_table(awards, headers=self.headers())
        table = self.ranking_table()
        main = [c for c in table.columns if not str(c).startswith("crit_") and c not in DETAIL_COLUMNS]
        D.show_text("순위표 (ranking)", level=3)
        D.show_table(table[main], headers=self.headers())
        detail = [
            c
            for c in (
                "rank",
                "municipality",
                *[c for c in table.columns if str(c).startswith("crit_")],
                "explanation",
            )
            if c in table.columns
        ]
        if len(detail) > 2:
            D.show_text("평가항목별 평균과 산출 근거 (criterion means and how each total was made)", level=3)
            D.show_table(table[detail], headers=self.headers())

    def show_scores(self) -> None:
        usable = self._usable_scores()
        if usable.empty:
            D.show_notice(
                "심사위원 점수가 아직 없습니다 (no judges' scores yet): the distributions appear once "
                "judges save scores (judge_review notebook or `casekit scores import`)."
            )
            return
        names = {c.id: c.name for c in self.rubric.criteria}
        maxima = {c.id: float(c.max_points or 0) for c in self.rubric.criteria}
        fig = plots.score_distribution(usable, names, max_points=maxima)
        self._show("score_distribution", fig)
        fig = plots.totals_by_judge(usable, self.labels)
        self._show("totals_by_judge", fig)
        top = self.ranking["case_id"].head(3).tolist() if "case_id" in self.ranking.columns else []
        series = {}
        for case_id in top:
            part = usable[usable["case_id"] == case_id]
            series[self.labels.get(case_id, case_id)] = part.groupby("criterion")["points"].mean().to_dict()
        if series:
            fig = plots.criterion_radar(
                series, maxima, names, title="상위 사례 평가항목별 득점률 (top cases)"
            )
            self._show("criteria_top", fig)

    def _usable_scores(self) -> pd.DataFrame:
        frame = self.scores
        if frame.empty:
            return frame
        if "excluded" in frame.columns:
            frame = frame[frame["excluded"].isna()]
        return frame

    def agreement_table(self) -> pd.DataFrame:
        """Agreement per criterion from the scorer when it gives one; else the per-case spread of totals."""
        if self.agreement is not None and not self.agreement.empty:
            return self.agreement
        usable = self._usable_scores()
        if usable.empty:
            return pd.DataFrame()
        totals = usable.groupby(["case_id", "judge_id"])["points"].sum().groupby("case_id")
        frame = pd.DataFrame(
            {
                "n_judges": totals.size(),
                "min": totals.min(),
                "max": totals.max(),
                "spread": totals.max() - totals.min(),
                "std": totals.std(),
            }
        ).reset_index()
        frame.insert(1, "municipality", frame["case_id"].map(self.labels))
        return frame.sort_values("spread", ascending=False)

    def show_agreement(self) -> None:
        table = self.agreement_table()
        if table.empty:
            D.show_notice(
                "심사위원 간 일치도는 두 명 이상이 채점한 뒤에 계산됩니다 (agreement needs judges' scores)."
            )
            return
        D.show_table(table, headers=HEADERS)

    def show_rank_intervals(self) -> None:
        if self.ranking.empty:
            return
        if self.basis != "judges":
            D.show_notice(
                "순위 구간은 심사위원 점수를 재표집해 구합니다: 아직 심사위원 점수가 없습니다 "
                "(rank intervals resample the judges; there are no judges' scores yet)."
            )
            return
        if not {"rank_lo", "rank_hi"} <= set(self.ranking.columns):
            D.show_notice("순위 구간이 없습니다 (the scorer gave no rank intervals).")
            return
        fig = plots.rank_intervals(self.ranking.copy(), low="rank_lo", high="rank_hi")
        self._show("rank_intervals", fig)

    def _case_order(self) -> list[str]:
        """Municipalities in ranking order (else case order), the order of the outcome table and chart."""
        if not self.ranking.empty and "case_id" in self.ranking.columns:
            ids = [str(c) for c in self.ranking["case_id"]] + [c.id for c in self.cases]
        else:
            ids = [c.id for c in self.cases]
        return list(dict.fromkeys(self.labels.get(i, i) for i in ids if i in self.labels))

    def headline_indicators(self) -> pd.DataFrame:
        """One row per case and outcome category: the figure a judge would quote, with its evidence line."""
        if self.outcomes is None or self.outcomes.empty:
            return pd.DataFrame()
        heads = self.outcomes[self.outcomes["headline"]].copy()
        heads["figure"] = [format_figure(r) for r in heads.to_dict(orient="records")]
        return heads.reset_index(drop=True)

    def outcome_table(self) -> pd.DataFrame:
        """The comparable table: one row per case (ranking order), one column per category in Korean
        (일자리, 예산·사업비, 참여·수혜 인원 …), each cell the headline figure ("70명", "3.8억원 (계획)")."""
        if self.outcomes is None or self.outcomes.empty:
            return pd.DataFrame()
        table = headline_table(self.outcomes)
        order = {m: n for n, m in enumerate(self._case_order())}
        return table.sort_values("지자체", key=lambda col: col.map(order)).reset_index(drop=True)

    def show_metrics(self) -> None:
        """The outcome indicators judges compare: a table and a chart of headline figures per case."""
        heads = self.headline_indicators()
        if heads.empty:
            D.show_notice("성과지표가 없습니다 (no outcome indicators found for these cases).")
            return
        D.show_text("핵심 성과지표 (headline outcome indicators)", level=3)
        D.show_text(
            "분류마다 심사위원이 인용할 한 수치 — 부분의 합이 아니라 총계, 요약과 본문에 되풀이된 수치는 "
            "한 번. (계획)·(추정)은 실적이 아닙니다. (One figure per case and category; planned and estimated "
            "figures are marked.)"
        )
        D.show_table(self.outcome_table())
        names = load_taxonomy().names
        fig = plots.outcome_headlines(heads, names, cases=self._case_order())
        self._show("metric_overview", fig)
        evidence = heads.assign(temporal=heads["temporal"].map(lambda t: TEMPORAL_NAMES.get(t, t)))
        D.show_text("핵심 성과지표의 근거 (evidence lines of the headline figures)", level=3)
        D.show_table(
            evidence,
            ["municipality", "category_name", "figure", "temporal", "label", "line", "mentions"],
            headers={
                "municipality": "지자체",
                "category_name": "분류",
                "figure": "수치",
                "temporal": "실적/계획",
                "label": "항목",
                "line": "줄",
                "mentions": "언급 줄 수",
            },
            max_rows=200,
        )

    def show_themes(self) -> None:
        try:
            model = ThemeModel.load(self.workspace, "case")
        except CasekitError:
            D.show_notice(
                "저장된 주제 모델이 없습니다 (no theme model saved yet): run `casekit themes` or the "
                "themes notebook, then re-run this report."
            )
            return
        mine = {c.id for c in self.cases}
        fig = plots.theme_map(
            model,
            text="municipality",
            highlight=mine,
            title="주제 지도 (theme map): 진한 점이 이 그룹의 사례 (dark: this group)",
        )
        self._show("theme_map", fig)
        here = model.assignments_frame()
        here = here[here["case_id"].isin(mine)][["municipality", "title", "theme_label", "similarity"]]
        D.show_table(here, headers={"theme_label": "주제", **HEADERS, "similarity": "유사도"})

    def _show(self, key: str, fig: Figure) -> None:
        """Display a figure once and keep its PNG for `save` (drawing a figure twice doubles the report's time)."""
        self.figures[key] = fig
        self.pngs[key] = D.show_figure(fig)

    def show_all(self) -> None:
        self.show_header()
        self.show_ranking()
        self.show_scores()
        self.show_agreement()
        self.show_rank_intervals()
        self.show_metrics()
        self.show_themes()

    # -- saving ----------------------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """What the batch index shows for this report: basis, size and the award winners."""
        awards = self.awards()
        return {
            "field": self.field,
            "group": self.group,
            "basis": self.basis,
            "n_cases": len(self.cases),
            "rubric": self.rubric.id,
            "rubric_version": self.rubric.version,
            "awards": [
                {k: (None if pd.isna(v) else v) for k, v in row.items()}
                for row in awards.to_dict(orient="records")
            ],
        }

    def save(self, output_dir: str | os.PathLike[str]) -> dict[str, Path]:
        """Write `<name>.xlsx` (ranking, awards, scores, agreement, metrics, notes) and the figures shown so far."""
        out = Path(output_dir)
        out.mkdir(parents=True, exist_ok=True)
        sheets: dict[str, Any] = {"순위 ranking": self.ranking_table()}
        awards = self.awards()
        if not awards.empty:
            sheets["수상 awards"] = awards
        if not self.scores.empty:
            sheets["점수 scores"] = self.scores
        agreement = self.agreement_table()
        if not agreement.empty:
            sheets["일치도 agreement"] = agreement
        if self.outcomes is not None and not self.outcomes.empty:
            sheets.update(outcome_sheets(self.outcomes, self.outcome_table()))
        if self.metrics is not None and not self.metrics.empty:
            sheets["수치 metrics"] = self.metrics
        notes = [
            self.title,
            self.basis_sentence(),
            f"rubric {self.rubric.id} version {self.rubric.version}",
            *self.notes,
        ]
        paths = {"xlsx": write_workbook(out / f"{self.name}.xlsx", sheets, notes=notes)}
        paths["summary"] = out / f"{self.name}.summary.json"
        atomic_write_text(paths["summary"], json.dumps(self.summary(), ensure_ascii=False, indent=1) + "\n")
        for key, fig in self.figures.items():
            target = out / f"{self.name}_files" / f"{key}.png"
            if key in self.pngs:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(self.pngs[key])
                paths[key] = target
            else:
                paths[key] = plots.save_figure(fig, target)
        return paths
