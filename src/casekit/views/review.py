"""The judge's review: one case at a glance, its evidence, and a score form that writes to the score store.

Public API (what `notebooks/judge_review.ipynb` calls)::

    review = JudgeReview(workspace=None, rubric=None, judge_id=None, case_id=None)
    review.show_judge()                   # who is judging (a chooser of the registered judges when unknown)
    review.show_case() / show_metrics() / show_prescores() / show_similar() / show_sheet()
    review.form()                         # the score form (casekit.views.review_form.ScoreForm)
    review.select_judge("E1") / review.goto(case_id) / review.next_case_id()
    review.save_scores({"fit": 12, ...}, comments={...}) -> SaveReport   # what the form's 저장 calls
    review.clear_score("fit") -> bool     # what the form's 지우기 calls
    review.metrics() / prescores() / similar_cases() / sheet() / my_scores() / queue()   # the data, as frames

Who is judging: `judge_id`, else $CASEKIT_JUDGE; never a default. A judge the score store does not know
gets one Korean sentence saying how the organizer registers them, and every other section stays empty
(no traceback per cell). `workspace` None means $CASEKIT_WORKSPACE, else ./data, else ../data — the
repository's data/ when JupyterLab runs the notebook inside notebooks/; `rubric` None means the default
rubric. Papermill parameters, when given, win.

The page follows the case. In JupyterLab every section is a live widget (an HTML widget per notebook
cell) that this object keeps and re-renders when the case changes — 다음 사례, choosing a judge — and
the sheet and read-back re-render after every save. Why live widgets rather than one widget holding the
whole page: the notebook keeps one short cell per section under its own heading, as the other notebooks
do; and setting a widget's value needs no output capture, which from a button callback (a kernel subshell
thread in JupyterLab 4.6) is where stale or misplaced output comes from. Pre-scores not
saved for this rubric version (no `casekit run` yet, or the rubric edited since) are computed (and saved,
for every judge after) by a child process started after the page is up, and appear when ready, so the first Run All stays a few seconds. Headless (papermill,
the batch) the same sections are written as plain HTML outputs and nothing is saved — and if the store does not
exist yet, it is not even created.

This module holds the page's state (judge, case, store, live widgets) and the saving; the sections' markup
is in `casekit.views.review_sections` and the pre-scores' life cycle in `casekit.views.review_prescores`,
both called through the methods below, so the public API above is this class's alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from casekit.errors import CasekitError
from casekit.report import display as D
from casekit.report import html as H
from casekit.retrieval import similar
from casekit.rubric import DEFAULT_RUBRIC, Rubric, find_rubric, load_rubric
from casekit.score.queue import review_queue
from casekit.score.store import ScoreStore
from casekit.store import ENV_VAR, Workspace, load_metrics
from casekit.views import labels as L
from casekit.views import review_sections as S
from casekit.views.review_prescores import Prescores
from casekit.views.review_sections import SHOWN_ROWS as SHOWN_ROWS  # re-exported: the page's constants
from casekit.views.review_sections import SUMMARY_LINES as SUMMARY_LINES

#: The judge's id when the notebook is not given one (set it when starting JupyterLab for one judge).
JUDGE_ENV = "CASEKIT_JUDGE"
POINTS_STEP = 0.5
SECTIONS = ("judge", "case", "metrics", "prescores", "similar", "sheet")


def resolve_workspace(workspace: Workspace | str | os.PathLike[str] | None) -> Workspace:
    """The parameter, else $CASEKIT_WORKSPACE, else ./data, else ../data (a notebook inside notebooks/)."""
    if isinstance(workspace, Workspace):
        return workspace
    if workspace or os.environ.get(ENV_VAR):
        return Workspace.resolve(workspace)
    for candidate in (Path("data"), Path("..") / "data"):
        if (candidate / "cases").is_dir():
            return Workspace(candidate)
    return Workspace.resolve(None)


def check_points(crit: Any, raw: Any) -> float | None:
    """The points a box holds (None when empty), or ValueError with the Korean reason it is refused."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    top = float(crit.max_points or 0)
    try:
        value = float(str(raw).strip().replace(",", ".")) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"'{raw}'은(는) 숫자가 아닙니다 ({crit.name}: 0–{top:g}점)") from None
    if value != value or not 0.0 <= value <= top:
        raise ValueError(f"{value:g}점은 받을 수 없습니다: {crit.name}은(는) 0–{top:g}점입니다")
    if abs(value / POINTS_STEP - round(value / POINTS_STEP)) > 1e-9:
        raise ValueError(f"{value:g}점은 받을 수 없습니다: 점수는 {POINTS_STEP:g}점 단위입니다")
    return value


@dataclass
class SaveReport:
    """What one press of 저장 did: criteria stored, skipped (left empty) and refused with the reason."""

    saved: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class JudgeReview:
    """One judge reviewing one case, and able to move on to the next in their queue (module docstring)."""

    def __init__(
        self,
        workspace: Workspace | str | os.PathLike[str] | None = None,
        rubric: Any = None,
        judge_id: str | None = None,
        case_id: str | None = None,
    ) -> None:
        #: Why the page cannot open at all (workspace, rubric or case), in Korean; None when it can.
        self.problem: str | None = None
        #: Why no judge is set yet (none given, or not registered), in Korean; None once one is.
        self.judge_problem: str | None = None
        self.judge_id: str | None = None
        self.case_id: str | None = None
        self.notes: list[str] = []
        self._requested_case = case_id
        self._visited: list[str] = []
        self._cases: dict[str, Any] = {}
        self._metrics: pd.DataFrame | None = None
        self._store: ScoreStore | None = None
        self._views: dict[str, Any] = {}  # section name -> its live widget (JupyterLab only)
        self._form: Any = None
        self._pre = Prescores(self, lambda: list(self._cases.values()), self._prescores_ready)
        self.workspace = resolve_workspace(workspace)
        try:
            self.rubric = (
                rubric if isinstance(rubric, Rubric) else load_rubric(find_rubric(rubric or DEFAULT_RUBRIC))
            )
            self._cases = {c.id: c for c in self.workspace.load_cases()}
        except CasekitError as exc:
            self.problem = f"심사 노트북을 열 수 없습니다: {exc}"
            return
        if case_id is not None and case_id not in self._cases:
            known = ", ".join(list(self._cases)[:10])
            self.problem = (
                f"작업공간 {self.workspace.root}에 사례 '{case_id}'가 없습니다 (no case; 있는 사례: {known})"
            )
            return
        chosen = (judge_id or os.environ.get(JUDGE_ENV) or "").strip()
        if chosen:
            self._use_judge(chosen)
        else:
            self.judge_problem = self._unchosen_message()

    # -- who is judging ----------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """A registered judge and a case: the sections have something to show."""
        return self.problem is None and self.judge_problem is None and self.case_id is not None

    def registered(self) -> list[Any]:
        """The judges the score store knows (none before the organizer registers any)."""
        store = self.store()
        return list(store.judges()) if store is not None else []

    def _roster(self) -> str:
        judges = self.registered()
        if not judges:
            return "아직 등록된 심사위원이 없습니다."
        return "등록된 심사위원: " + ", ".join(
            f"{j.id}({j.name})" if j.name != j.id else j.id for j in judges
        )

    def _register_hint(self, judge_id: str) -> str:
        return (
            f"주최측(운영자)이 등록합니다: casekit judges add {judge_id} --name 이름 --kind expert "
            f"--workspace {self.workspace.root} (운영자가 이미 등록되어 있으면 --as 운영자ID를 붙입니다)."
        )

    def _unchosen_message(self) -> str:
        how = (
            "아래 목록에서 고르세요."
            if D.widgets_wanted() and self.registered()
            else f"노트북의 judge_id를 정하거나 {JUDGE_ENV} 환경변수를 지정하세요."
        )
        return f"심사위원을 정하지 않았습니다: {how} {self._roster()}"

    def _use_judge(self, judge_id: str) -> None:
        ids = {j.id for j in self.registered()}
        if judge_id not in ids:
            self.judge_problem = (
                f"심사위원 '{judge_id}'은(는) 등록되어 있지 않습니다. {self._register_hint(judge_id)} "
                f"{self._roster()}"
            )
            return
        self.judge_id, self.judge_problem = judge_id, None
        if self._requested_case is not None:
            self.case_id = self._requested_case
        else:
            queue = self.queue()
            if queue.empty:
                self.judge_problem = (
                    f"심사위원 {judge_id}의 대기열에 남은 사례가 없습니다 "
                    "(이해충돌·기권·제외로 모두 빠졌습니다; no case left in the queue)."
                )
                return
            self.case_id = str(queue["case_id"].iloc[0])
        self._visited = [self.case_id]

    def select_judge(self, judge_id: str) -> None:
        """Set the judge (the chooser calls this) and show their first case on every section."""
        if self.problem is None:
            self._use_judge(judge_id.strip())
        self.refresh()

    def judge_name(self) -> str:
        store = self.store()
        if store is None or self.judge_id is None:
            return ""
        return str(store.judge(self.judge_id).name)

    # -- store and queue ---------------------------------------------------------------------------

    def store(self, create: bool = False) -> ScoreStore | None:
        """The score store; None when it does not exist yet and `create` is False (headless: touch nothing)."""
        if self._store is None and (create or self.workspace.scores_db.is_file()):
            self._store = ScoreStore(self.workspace)
        return self._store

    def queue(self) -> pd.DataFrame:
        """This judge's cases, those with the fewest reviews first (conflicts and abstentions left out)."""
        store = self.store()
        if store is None or self.judge_id is None:
            return pd.DataFrame({"case_id": list(self._cases), "n_reviews": 0})
        return review_queue(store, self.judge_id, list(self._cases.values()), self.rubric)

    def next_case_id(self) -> str | None:
        """The next case of the queue not yet opened in this session (None when this was the last)."""
        ids = [str(c) for c in self.queue()["case_id"]]
        fresh = [c for c in ids if c != self.case_id and c not in self._visited]
        return fresh[0] if fresh else None

    def goto(self, case_id: str) -> None:
        """Open another case: every section on the page shows it (nothing of the previous case stays)."""
        if case_id not in self._cases:
            raise CasekitError(f"no case {case_id!r} in {self.workspace.root}")
        self.case_id = case_id
        if case_id not in self._visited:
            self._visited.append(case_id)
        self.refresh()

    @property
    def case(self) -> Any:
        if self.case_id is None:
            raise CasekitError("no case open: choose a judge first")
        return self._cases[self.case_id]

    # -- the sections as HTML ----------------------------------------------------------------------

    def judge_html(self) -> str:
        return S.judge_html(self)

    def case_html(self) -> str:
        return S.case_html(self)

    def metrics(self) -> pd.DataFrame:
        """This case's outcome metrics, each with the source line it came from (kind and 실적/계획 in Korean)."""
        if self._metrics is None:
            self._metrics = load_metrics(self.workspace)
        frame = self._metrics[self._metrics["case_id"] == self.case_id]
        if frame.empty:
            return frame
        by_number = {line.number: line.text for line in self.case.lines}
        frame = frame.assign(
            source_line=frame["line"].map(lambda n: by_number.get(int(n), "")),
            kind=frame["kind"].map(L.metric_kind),
            temporal=frame["temporal"].map(L.temporal),
        )
        cols = [
            c
            for c in ("kind", "text", "norm", "unit", "temporal", "label", "line", "col", "source_line")
            if c in frame.columns
        ]
        return frame[cols].reset_index(drop=True)

    def metrics_html(self) -> str:
        """The case's headline outcome indicators (casekit.views.outcomes), then every metric with its line."""
        return S.metrics_html(self)

    def prescores(self) -> pd.DataFrame:
        """Pre-score suggestions for this case: saved ones for this rubric version, else computed once now."""
        return self._pre.for_case()

    def _prescores_unsaved(self) -> bool:
        """True when no pre-scores are saved for this rubric version (review_prescores.Prescores.unsaved)."""
        return self._pre.unsaved()

    def _compute_prescores_in_background(self) -> None:
        self._pre.compute_in_background()

    def _prescore_in_another_process(self) -> None:
        self._pre.compute_in_another_process()

    def wait_for_prescores(self, timeout: float | None = None) -> None:
        """Block until background pre-scores are ready (tests, scripts)."""
        self._pre.wait(timeout)

    def prescores_html(self) -> str:
        return self._pre.html()

    def _prescores_ready(self) -> None:
        """The background pre-scores ended: the sections showing them re-render."""
        self._update("prescores")
        self._update("sheet")

    def similar_cases(self, top_k: int = 5, duplicate_threshold: float = 0.9) -> pd.DataFrame:
        """Similar cases (search engine), with `near_duplicate` at or above `duplicate_threshold`."""
        found = similar(str(self.case_id), top_k=top_k, workspace=self.workspace)
        if not found.empty and "score" in found.columns:
            found = found.assign(near_duplicate=found["score"].astype(float) >= duplicate_threshold)
        return found

    def similar_html(self, top_k: int = 5, duplicate_threshold: float = 0.9) -> str:
        return S.similar_html(self, top_k, duplicate_threshold)

    def my_scores(self) -> pd.DataFrame:
        """What the store holds for this judge on this case, in rubric order, read back from the store."""
        columns = [
            "criterion",
            "name",
            "points",
            "max_points",
            "comment",
            "updated_at",
            "saved_at",
            "excluded",
        ]
        store = self.store()
        if store is None or self.judge_id is None:
            return pd.DataFrame(columns=columns)
        frame = store.scores_frame(self.rubric)
        frame = frame[(frame["judge_id"] == self.judge_id) & (frame["case_id"] == self.case_id)]
        order = {c.id: i for i, c in enumerate(self.rubric.criteria)}
        crits = {c.id: c for c in self.rubric.criteria}
        frame = frame.assign(
            name=frame["criterion"].map(lambda c: crits[c].name if c in crits else c),
            max_points=frame["criterion"].map(
                lambda c: float(crits[c].max_points or 0) if c in crits else None
            ),
            saved_at=frame["updated_at"].map(L.local_time),
            _order=frame["criterion"].map(lambda c: order.get(c, len(order))),
        )
        frame = frame.sort_values("_order")
        if "excluded" not in frame.columns:
            frame["excluded"] = None
        return frame[columns].reset_index(drop=True)

    def sheet(self) -> pd.DataFrame:
        """The review sheet: every criterion with its range, level descriptors, suggestion and my saved score."""
        mine = self.my_scores().set_index("criterion")
        try:  # while the pre-scores are computed in the background, the column waits for them
            pre = (
                {}
                if self._pre.pending is not None
                else self.prescores().set_index("criterion")["points"].to_dict()
            )
        except (CasekitError, KeyError):
            pre = {}
        rows = []
        for crit in self.rubric.criteria:
            levels = " / ".join(f"{lv.min:g}+ {lv.label}: {lv.description}".strip() for lv in crit.levels)
            rows.append(
                {
                    "stage": self.rubric.stage(crit.stage).name if crit.stage else "",
                    "criterion": crit.id,
                    "name": crit.name,
                    "max_points": float(crit.max_points or 0),
                    "description": crit.description,
                    "levels": levels,
                    "suggested": pre.get(crit.id),
                    "my_points": mine.loc[crit.id, "points"] if crit.id in mine.index else None,
                    "my_comment": mine.loc[crit.id, "comment"] if crit.id in mine.index else None,
                }
            )
        return pd.DataFrame(rows)

    def sheet_html(self) -> str:
        return S.sheet_html(self)

    # -- showing: live widgets in JupyterLab, plain HTML headless ----------------------------------

    def render(self, section: str) -> str:
        """The HTML of one section for the current judge and case ('' when there is nothing to show)."""
        if section == "judge":
            return f"<style>{H.CSS}</style>" + self.judge_html()
        if not self.ready:
            return ""
        try:
            markup: str = getattr(self, f"{section}_html")()
        except CasekitError as exc:
            return H.notice(str(exc))
        return markup

    def _show(self, section: str) -> None:
        markup = self.render(section)
        if not D.widgets_wanted():
            if markup:
                D.show_html(markup)
            return
        import ipywidgets as W
        from IPython.display import display

        if section == "judge":
            from casekit.views.review_form import judge_picker

            view = judge_picker(self, W.HTML(value=markup))
        else:
            view = W.HTML(value=markup)
        self._views[section] = view
        display(view)

    @property
    def views(self) -> dict[str, Any]:
        """The live widget of each section shown so far (JupyterLab), by section name."""
        return dict(self._views)

    @property
    def score_form(self) -> Any:
        """The ScoreForm shown by `form()`, or None."""
        return self._form

    def refresh(self) -> None:
        """Re-render every live section and the form for the current judge and case."""
        for section in self._views:
            self._update(section)
        if self._form is not None:
            self._form.render()

    def _update(self, section: str) -> None:
        view = self._views.get(section)
        if view is None:
            return
        if section == "judge":
            from casekit.views.review_form import update_picker

            update_picker(self, view)
        else:
            view.value = self.render(section)

    def show_judge(self) -> None:
        self._show("judge")

    def show_case(self) -> None:
        self._show("case")

    def show_metrics(self) -> None:
        self._show("metrics")

    def show_prescores(self) -> None:
        self._show("prescores")

    def show_similar(self) -> None:
        """Shows the similar cases; returns nothing, so a notebook cell echoes no DataFrame."""
        self._show("similar")

    def show_sheet(self) -> None:
        self._show("sheet")

    # -- saving ------------------------------------------------------------------------------------

    def save_scores(
        self, points: dict[str, Any], comments: dict[str, str | None] | None = None
    ) -> SaveReport:
        """Save each criterion's points (empty or None = skip); a refused value does not stop the others.

        Each criterion is its own transaction in the store, so what was accepted is kept even when another
        value is out of range; the report lists both (reasons in Korean) and the form shows it.
        """
        if not self.ready:
            raise CasekitError(self.problem or self.judge_problem or "no case open")
        comments = comments or {}
        report = SaveReport()
        store = self.store(create=True)
        assert store is not None
        for crit in self.rubric.criteria:
            try:
                value = check_points(crit, points.get(crit.id))
            except ValueError as exc:
                report.errors[crit.id] = str(exc)
                continue
            if value is None:
                report.skipped.append(crit.id)
                continue
            comment = (comments.get(crit.id) or "").strip() or None
            try:
                report.saved[crit.id] = store.save_score(
                    str(self.judge_id),
                    str(self.case_id),
                    crit.id,
                    value,
                    comment,
                    rubric=self.rubric,
                    case=self.case,
                )
            except CasekitError as exc:
                report.errors[crit.id] = self._refusal(exc)
        self._after_change()
        return report

    def _refusal(self, exc: Exception) -> str:
        """A store refusal in the judge's words (the store's own sentence kept after it)."""
        state = self.exclusion()
        if state == "abstain":
            return f"이 사례에 기권했으므로 저장하지 않았습니다 ({exc})"
        if state == "recuse":
            return f"주최측이 이 사례의 심사에서 제외했으므로 저장하지 않았습니다 ({exc})"
        if "conflict" in str(exc) or "이해충돌" in str(exc):
            return f"이해충돌(같은 지자체 소속)로 이 사례는 심사할 수 없습니다 ({exc})"
        return f"저장하지 못했습니다: {exc}"

    def clear_score(self, criterion: str) -> bool:
        """Delete this judge's stored score on one criterion (logged in the history); False if none was stored."""
        store = self.store()
        if store is None or not self.ready:
            return False
        crit = self.rubric.criterion(criterion)
        removed = bool(
            store.delete_score(
                str(self.judge_id), str(self.case_id), crit.id, self.rubric, actor=self.judge_id
            )
        )
        self._after_change()
        return removed

    def exclusion(self) -> str | None:
        """'abstain' or 'recuse' when this judge may not score this case, else None."""
        store = self.store()
        if store is None or not self.ready:
            return None
        return store.exclusion(str(self.judge_id), str(self.case_id))

    def abstain(self, reason: str | None = None) -> None:
        store = self.store(create=True)
        assert store is not None
        store.abstain(str(self.judge_id), str(self.case_id), reason=reason)
        self._after_change()

    def _after_change(self) -> None:
        """What a save shows elsewhere on the page: my points on the sheet, the queue position."""
        for section in ("sheet", "judge"):
            self._update(section)

    def form(self) -> Any:
        """The ipywidgets score form (casekit.views.review_form); None headless, where a sentence says why."""
        if not D.widgets_wanted():
            if self.ready:
                D.show_text(
                    "점수 입력 양식은 심사위원이 JupyterLab에서 이 노트북을 열 때 나타납니다 "
                    "(이 실행은 화면 없이 돌아가므로 아무것도 저장하지 않습니다)."
                )
            return None
        from IPython.display import display

        from casekit.views.review_form import ScoreForm

        self._form = ScoreForm(self)
        display(self._form.root)
        return self._form.root
