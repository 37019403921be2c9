"""The judge's review: one case at a glance, its evidence, and a score form that writes to the score store.

Public API (what `notebooks/judge_review.ipynb` calls)::

    review = JudgeReview(workspace, rubric, judge_id, case_id=None)   # None = next in the judge's queue
    review.show_case() / show_metrics() / show_prescores() / show_similar() / show_sheet()
    review.form()                         # ipywidgets: points + comment per criterion, level descriptors
                                          # beside each, 저장 save, 기권 abstain, 다음 사례 next case
    review.save_scores({"fit": 12, ...}, comments={...}) -> SaveReport   # what the form's button calls
    review.my_scores() -> DataFrame       # what is stored for this judge and case, read back from the store
    review.queue() -> DataFrame           # the judge's cases, fewest reviews first

Why the logic lives here and not in the notebook: the form's behaviour (validation, partial saves,
abstention, stepping to the next case) is tested without a browser; the notebook stays a few calls.
Nothing is written until a button is pressed, so executing the notebook headless (papermill, CI) only
renders the review sheet — and if the store does not exist yet, it is not even created.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from casekit.errors import CasekitError, ScoreError
from casekit.report import display as D
from casekit.report import html as H
from casekit.retrieval import similar
from casekit.rubric import Rubric, load_rubric
from casekit.score.prescore import load_prescores, prescore_cases, prescores_frame
from casekit.score.queue import review_queue
from casekit.score.store import ScoreStore
from casekit.store import Workspace, load_metrics
from casekit.views.outcomes import show_case_outcomes

SUMMARY_LINES = 14


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
    """One judge reviewing one case (and able to move on to the next in their queue)."""

    def __init__(
        self,
        workspace: Workspace | str | os.PathLike[str] | None,
        rubric: Any,
        judge_id: str,
        case_id: str | None = None,
    ) -> None:
        self.workspace = Workspace.resolve(workspace)
        self.rubric = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
        self.judge_id = judge_id
        self.notes: list[str] = []
        self._cases = {c.id: c for c in self.workspace.load_cases()}
        self._prescores: pd.DataFrame | None = None
        self._store: Any = None
        self.case_id = case_id or self._first_in_queue()
        if self.case_id not in self._cases:
            known = ", ".join(list(self._cases)[:10])
            raise CasekitError(f"no case {self.case_id!r} in {self.workspace.root} (known: {known})")

    # -- store -----------------------------------------------------------------------------------

    def store(self, create: bool = False) -> Any:
        """The score store; None when it does not exist yet and `create` is False (headless: touch nothing)."""
        if self._store is None and (create or self.workspace.scores_db.is_file()):
            self._store = ScoreStore(self.workspace)
        return self._store

    def queue(self) -> pd.DataFrame:
        """This judge's cases, those with the fewest reviews first (conflicts and abstentions left out)."""
        store = self.store()
        if store is None:
            return pd.DataFrame({"case_id": list(self._cases), "n_reviews": 0})
        try:
            return review_queue(store, self.judge_id, list(self._cases.values()), self.rubric)
        except ScoreError as exc:  # judge not registered yet
            self.notes.append(str(exc))
            return pd.DataFrame({"case_id": list(self._cases), "n_reviews": 0})

    def _first_in_queue(self) -> str:
        queue = self.queue()
        if queue.empty:
            raise CasekitError(f"judge {self.judge_id} has no case left to review (all done or excluded)")
        return str(queue["case_id"].iloc[0])

    def next_case_id(self) -> str | None:
        """The next case in the queue after the current one (None when this was the last)."""
        ids = [str(c) for c in self.queue()["case_id"]]
        rest = [c for c in ids if c != self.case_id]
        return rest[0] if rest else None

    @property
    def case(self) -> Any:
        return self._cases[self.case_id]

    # -- showing ---------------------------------------------------------------------------------

    def case_html(self) -> str:
        case = self.case
        facts = [
            ("지자체", f"{case.region or ''} {case.municipality or ''}".strip()),
            ("구분", case.group),
            ("분야", case.field),
            ("사례명", case.title),
            ("관련공약", " / ".join(case.pledges)),
            ("출처", f"{case.source} (줄 {case.line_start}–{case.line_end})"),
            ("사례 ID", case.id),
        ]
        rows = "".join(f"<tr><th>{H.esc(k)}</th><td>{H.esc(v)}</td></tr>" for k, v in facts)
        parts = [
            H.heading(f"{case.municipality or ''} — {case.title}", 2),
            f'<table class="ck-table">{rows}</table>',
        ]
        if case.summary:
            lines = case.summary.splitlines()
            shown = "<br>".join(H.esc(line) for line in lines[:SUMMARY_LINES])
            more = (
                H.paragraph(f"… {len(lines) - SUMMARY_LINES} more lines", "ck-note")
                if len(lines) > SUMMARY_LINES
                else ""
            )
            parts.append(H.heading("사례요약 (summary)", 3) + f"<p>{shown}</p>" + more)
        if case.sections:
            sections = [
                {"heading": s.heading, "kind": s.kind, "lines": f"{s.line_start}–{s.line_end}"}
                for s in case.sections
                if s.level == 1
            ]
            parts.append(
                H.heading("구성 (sections)", 3)
                + H.table_html(sections, headers={"heading": "제목", "kind": "종류", "lines": "원문 줄"})
            )
        for warning in case.warnings:
            parts.append(H.notice(warning))
        return "".join(parts)

    def show_case(self) -> None:
        D.show_style()
        for note in self.notes:
            D.show_notice(note)
        D.show_html(self.case_html())

    def metrics(self) -> pd.DataFrame:
        """This case's outcome metrics, each with the source line it came from."""
        frame = load_metrics(self.workspace)
        frame = frame[frame["case_id"] == self.case_id]
        if frame.empty:
            return frame
        by_number = {line.number: line.text for line in self.case.lines}
        frame = frame.copy()
        frame["source_line"] = frame["line"].map(lambda n: by_number.get(int(n), ""))
        cols = [
            c
            for c in ("kind", "text", "norm", "unit", "temporal", "label", "line", "col", "source_line")
            if c in frame.columns
        ]
        return frame[cols].reset_index(drop=True)

    def show_metrics(self) -> None:
        show_case_outcomes(self.workspace, self.case)  # headline indicators first (casekit.views.outcomes)
        frame = self.metrics()
        if frame.empty:
            D.show_notice("이 사례에서 찾은 성과지표가 없습니다 (no outcome metrics found for this case).")
            return
        D.show_text(
            f"성과지표 {len(frame)}개 — 줄 번호는 원문 파일의 줄입니다 (line = line of the original file)."
        )
        D.show_table(
            frame,
            headers={
                "kind": "종류",
                "text": "표현",
                "norm": "정규화 값",
                "unit": "단위",
                "temporal": "실적/계획",
                "label": "항목",
                "line": "줄",
                "col": "열",
                "source_line": "원문 줄",
            },
            float_format=",.0f",
        )

    def prescores(self) -> pd.DataFrame:
        """Pre-score suggestions for this case: saved ones for this rubric version, else computed now."""
        if self._prescores is None:
            saved = load_prescores(self.workspace, self.rubric)
            items = (
                saved
                if saved is not None
                else prescore_cases(list(self._cases.values()), self.rubric, self.workspace)
            )
            self._prescores = prescores_frame(items)
        frame = self._prescores
        return frame[frame["case_id"] == self.case_id].reset_index(drop=True)

    def show_prescores(self) -> None:
        try:
            frame = self.prescores()
        except CasekitError as exc:
            D.show_notice(f"사전점수를 계산할 수 없습니다 (pre-scores failed): {exc}")
            return
        if frame.empty:
            D.show_notice(
                "이 평가기준에는 사전점수 신호가 없습니다 (the rubric defines no pre-score signals)."
            )
            return
        D.show_text(
            "사전점수는 본문이 말하는 것을 센 제안값이며 최종 점수가 아닙니다 "
            "(suggestions that count what the text says, never final)."
        )
        D.show_table(
            frame,
            ["name", "points", "max_points", "signal_summary"],
            headers={
                "name": "평가항목",
                "points": "제안 점수",
                "max_points": "만점",
                "signal_summary": "신호",
            },
            float_format=".1f",
        )
        evidence = [
            {
                "criterion": row["name"],
                "line": e.get("line"),
                "signal": e.get("signal"),
                "text": e.get("text"),
            }
            for _, row in frame.iterrows()
            for e in (row["evidence"] or [])
        ]
        if evidence:
            D.show_text("근거 줄 (evidence lines)", level=3)
            D.show_table(
                evidence,
                headers={"criterion": "평가항목", "line": "줄", "signal": "신호", "text": "원문"},
                max_rows=60,
            )

    def show_similar(self, top_k: int = 5, duplicate_threshold: float = 0.9) -> pd.DataFrame:
        """Similar cases (search engine), flagging near-duplicates at or above `duplicate_threshold`."""
        try:
            found = similar(self.case_id, top_k=top_k, workspace=self.workspace)
        except CasekitError as exc:
            D.show_notice(f"비슷한 사례를 찾을 수 없습니다 (similar failed): {exc}")
            return pd.DataFrame()
        if found.empty:
            D.show_text("비슷한 사례가 없습니다 (no other cases).")
            return found
        score_col = next((c for c in ("score", "similarity", "cosine") if c in found.columns), None)
        if score_col is not None:
            found = found.assign(near_duplicate=found[score_col].astype(float) >= duplicate_threshold)
            dups = found[found["near_duplicate"]]
            if not dups.empty:
                D.show_notice(
                    f"중복 의심 {len(dups)}건 (near-duplicates, similarity ≥ {duplicate_threshold}): "
                    + ", ".join(str(m) for m in dups.get("municipality", dups.get("case_id", [])))
                )
        cols = [
            c
            for c in ("municipality", "title", "field", score_col, "near_duplicate", "case_id")
            if c and c in found.columns
        ]
        D.show_table(
            found,
            cols,
            headers={
                "municipality": "지자체",
                "title": "사례명",
                "field": "분야",
                "near_duplicate": "중복 의심",
                "case_id": "사례 ID",
            },
            float_format=".3f",
        )
        return found

    def my_scores(self) -> pd.DataFrame:
        """What the store holds for this judge on this case (read back, so the judge sees what was saved)."""
        store = self.store()
        if store is None:
            return pd.DataFrame(columns=["criterion", "points", "comment", "updated_at"])
        frame = store.scores_frame(self.rubric)
        frame = frame[(frame["judge_id"] == self.judge_id) & (frame["case_id"] == self.case_id)]
        cols = [c for c in ("criterion", "points", "comment", "updated_at", "excluded") if c in frame.columns]
        return frame[cols].reset_index(drop=True)

    def sheet(self) -> pd.DataFrame:
        """The review sheet: every criterion with its range, level descriptors, suggestion and my saved score."""
        mine = self.my_scores().set_index("criterion") if not self.my_scores().empty else pd.DataFrame()
        try:
            pre = self.prescores().set_index("criterion")["points"].to_dict()
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

    def show_sheet(self) -> None:
        D.show_table(
            self.sheet(),
            headers={
                "stage": "단계",
                "criterion": "ID",
                "name": "평가항목",
                "max_points": "만점",
                "description": "설명",
                "levels": "등급 기준",
                "suggested": "사전점수",
                "my_points": "내 점수",
                "my_comment": "의견",
            },
            float_format=".1f",
        )

    # -- saving ----------------------------------------------------------------------------------

    def save_scores(
        self, points: dict[str, Any], comments: dict[str, str | None] | None = None
    ) -> SaveReport:
        """Save each criterion's points (empty or None = skip); a refused value does not stop the others.

        Each criterion is its own transaction in the store, so what was accepted is kept even when another
        value is out of range; the report lists both and the form shows it.
        """
        comments = comments or {}
        report = SaveReport()
        store = self.store(create=True)
        for crit in self.rubric.criteria:
            raw = points.get(crit.id)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                report.skipped.append(crit.id)
                continue
            try:
                value = float(str(raw).replace(",", ".")) if isinstance(raw, str) else float(raw)
                comment = (comments.get(crit.id) or "").strip() or None
                report.saved[crit.id] = store.save_score(
                    self.judge_id, self.case_id, crit.id, value, comment, rubric=self.rubric, case=self.case
                )
            except ValueError:
                report.errors[crit.id] = f"{raw!r} is not a number"
            except CasekitError as exc:
                report.errors[crit.id] = str(exc)
        return report

    def abstain(self, reason: str | None = None) -> None:
        self.store(create=True).abstain(self.judge_id, self.case_id, reason=reason)

    # -- the form --------------------------------------------------------------------------------

    def form(self) -> Any:
        """The ipywidgets score form (see the module docstring); returns the widget (None when headless)."""
        if not D.widgets_wanted():
            D.show_text(
                "점수 입력 양식은 JupyterLab에서 열립니다 (the score form appears when a judge opens this "
                "notebook in JupyterLab; this headless run saves nothing)."
            )
            return None
        # Widgets only for a person in JupyterLab: a headless run never loads them.
        import ipywidgets as W
        from IPython.display import display

        root = W.VBox()
        self._render_form(root, W)
        display(root)
        return root

    def _render_form(self, root: Any, W: Any) -> None:
        mine = self.my_scores()
        saved = dict(zip(mine["criterion"], mine["points"])) if not mine.empty else {}
        saved_comments = dict(zip(mine["criterion"], mine["comment"])) if not mine.empty else {}
        inputs: dict[str, Any] = {}
        notes: dict[str, Any] = {}
        rows = [
            W.HTML(
                H.heading(f"{self.case.municipality or ''} — {self.case.title} · 심사위원 {self.judge_id}", 3)
            )
        ]
        for crit in self.rubric.criteria:
            top = float(crit.max_points or 0)
            value = saved.get(crit.id)
            box = W.Text(
                value="" if value is None else f"{float(value):g}",
                placeholder=f"0–{top:g}",
                description=f"{crit.name}",
                layout=W.Layout(width="16em"),
            )
            note = W.Text(
                value=saved_comments.get(crit.id) or "",
                placeholder="의견 (comment)",
                layout=W.Layout(width="22em"),
            )
            levels = "<br>".join(
                f"<b>{H.esc(f'{lv.min:g}+ {lv.label}')}</b> {H.esc(lv.description)}" for lv in crit.levels
            )
            guide = W.HTML(
                f'<div style="font-size:.85em;color:#444">{H.esc(crit.description)}<br>{levels}</div>',
                layout=W.Layout(width="34em"),
            )
            inputs[crit.id], notes[crit.id] = box, note
            rows.append(W.HBox([W.VBox([box, note]), guide]))
        save = W.Button(description="저장 save", button_style="primary", icon="save")
        abstain = W.Button(description="기권 abstain", button_style="warning")
        nxt = W.Button(description="다음 사례 next case")
        out = W.Output()

        def show_saved() -> None:
            frame = self.my_scores()
            D.show_text(f"저장된 점수 {len(frame)}개 (stored for {self.judge_id} on {self.case_id})")
            if not frame.empty:
                D.show_table(frame)

        def on_save(_: Any) -> None:
            out.clear_output()
            with out:
                result = self.save_scores(
                    {k: w.value for k, w in inputs.items()}, {k: w.value for k, w in notes.items()}
                )
                for crit_id, error in result.errors.items():
                    D.show_notice(f"{crit_id}: {error}")
                show_saved()

        def on_abstain(_: Any) -> None:
            out.clear_output()
            with out:
                try:
                    self.abstain("judge abstained in the review form")
                    D.show_notice("기권했습니다: 이 사례의 평균에서 내 점수가 빠집니다 (abstained).")
                except CasekitError as exc:
                    D.show_notice(str(exc))

        def on_next(_: Any) -> None:
            following = self.next_case_id()
            if following is None:
                out.clear_output()
                with out:
                    D.show_text("대기열의 마지막 사례입니다 (no more cases in your queue).")
                return
            self.case_id = following
            view = W.Output()
            with view:
                self.show_case()
            self._render_form(root, W)
            root.children = (view, *root.children)

        save.on_click(on_save)
        abstain.on_click(on_abstain)
        nxt.on_click(on_next)
        with out:
            show_saved()
        root.children = (*rows, W.HBox([save, abstain, nxt]), out)
