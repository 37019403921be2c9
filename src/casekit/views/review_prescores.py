"""The judge's pre-scores: loading the saved ones, computing missing ones off the Run All path, and their section.

Why a module of its own: pre-scores are the one part of the page with a life cycle — saved for this rubric
version, or computed by a child process on a background thread while the judge already reads the case,
then re-rendered when ready — and that state (the frame, the pending thread, its error) belongs together,
apart from the judge/case state in `casekit.views.review`. JudgeReview keeps one `Prescores` and its
`prescores()`, `wait_for_prescores()` and `prescores_html()` delegate to it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from casekit.errors import CasekitError
from casekit.report import display as D
from casekit.report import html as H
from casekit.score.prescore import load_prescores, prescore_cases, prescores_frame
from casekit.views import labels as L
from casekit.views.review_sections import folded_table

if TYPE_CHECKING:  # pragma: no cover
    from casekit.views.review import JudgeReview


class Prescores:
    """The pre-scores of one JudgeReview's workspace and rubric, for its open case.

    `cases` gives every case of the workspace (what is computed when nothing is saved); `on_ready` re-renders
    the sections that show pre-scores once the background computation ends.
    """

    def __init__(
        self, review: JudgeReview, cases: Callable[[], list[Any]], on_ready: Callable[[], None]
    ) -> None:
        self.review = review
        self.cases = cases
        self.on_ready = on_ready
        #: Every case's pre-scores as one frame, once loaded or computed.
        self.frame: pd.DataFrame | None = None
        #: The thread computing them in the background, while it runs.
        self.pending: threading.Thread | None = None
        #: Why the background computation failed, in the engine's words.
        self.error: str | None = None

    def for_case(self) -> pd.DataFrame:
        """Pre-score suggestions for this case: saved ones for this rubric version, else computed once now."""
        if self.frame is None:
            saved = load_prescores(self.review.workspace, self.review.rubric)
            items = (
                saved
                if saved is not None
                else prescore_cases(self.cases(), self.review.rubric, self.review.workspace)
            )
            self.frame = prescores_frame(items)
        frame = self.frame
        return frame[frame["case_id"] == self.review.case_id].reset_index(drop=True)

    def unsaved(self) -> bool:
        """True when no pre-scores are saved for this rubric version (never run, or the rubric was edited):
        computing them takes seconds (scikit-learn, and Kiwi unless its morphemes are remembered)."""
        if self.frame is not None:
            return False
        saved = load_prescores(self.review.workspace, self.review.rubric)
        if saved is not None:
            self.frame = prescores_frame(saved)
            return False
        return True

    def compute_in_background(self) -> None:
        """Kiwi and scikit-learn off the Run All path: in JupyterLab, a workspace without saved pre-scores for
        this rubric (no `casekit run` yet, or the rubric edited since) gets them after the page is up; the
        sections re-render when they are ready."""
        if self.pending is not None:
            return

        def work() -> None:
            try:
                self.compute_in_another_process()
                self.for_case()
            except CasekitError as exc:
                self.error = str(exc)
            finally:
                self.pending = None
                self.on_ready()

        self.pending = threading.Thread(target=work, name="casekit-prescores", daemon=True)
        self.pending.start()

    def compute_in_another_process(self) -> None:
        """Compute and save the workspace's pre-scores in a child Python (as `casekit prescore` would).

        Why a process and not this thread: Kiwi holds the GIL while it loads, which stalled the rest of
        Run All by as long (measured: the similar-cases cell took 10 s instead of 0.2 s). A child has its
        own interpreter and the second core; what it saves serves every judge after this one too. If it
        fails, the thread computes in-process (same result, only slower)."""
        import subprocess
        import sys

        code = (
            "import sys\n"
            "from casekit.rubric import load_rubric\n"
            "from casekit.score.prescore import prescore_cases, save_prescores\n"
            "from casekit.store import Workspace\n"
            "ws, rubric = Workspace.resolve(sys.argv[1]), load_rubric(sys.argv[2])\n"
            "save_prescores(ws, rubric, prescore_cases(ws.load_cases(), rubric, ws))\n"
        )
        try:
            subprocess.run(
                [sys.executable, "-c", code, str(self.review.workspace.root), str(self.review.rubric.path)],
                check=True,
                capture_output=True,
                timeout=600,
            )
        except (OSError, subprocess.SubprocessError):
            return
        saved = load_prescores(self.review.workspace, self.review.rubric)
        if saved is not None:
            self.frame = prescores_frame(saved)

    def wait(self, timeout: float | None = None) -> None:
        """Block until background pre-scores are ready (tests, scripts)."""
        pending = self.pending
        if pending is not None:
            pending.join(timeout)

    def html(self) -> str:
        if self.error:
            return H.notice(f"사전점수를 계산할 수 없습니다: {self.error}")
        if self.pending is not None or (D.widgets_wanted() and self.unsaved()):
            self.compute_in_background()
            return H.notice(
                "사전점수를 계산하고 있습니다 (처음에는 형태소 분석기를 불러오느라 10초쯤 걸립니다). "
                "다 되면 여기와 심사표에 저절로 나타납니다; 그동안 사례를 읽고 점수를 입력해도 됩니다. "
                "주최측이 casekit run(또는 casekit prescore)을 먼저 돌려 두면 이 기다림이 없습니다."
            )
        try:
            frame = self.for_case()
        except CasekitError as exc:
            return H.notice(f"사전점수를 계산할 수 없습니다: {exc}")
        if frame.empty:
            return H.notice("이 평가기준에는 사전점수 신호가 없습니다.")
        specs = {
            (c.id, s.id): s for c in self.review.rubric.criteria if c.prescore for s in c.prescore.signals
        }
        rows = []
        for _, row in frame.iterrows():
            said = []
            for sig in row["signals"] or []:
                name = L.signal_name(specs.get((row["criterion"], sig["id"]))) or sig["id"]
                if not sig.get("used", True):
                    said.append(f"{name}: 계산할 수 없음")
                    continue
                said.append(f"{name}: {L.signal_value(sig['kind'], sig['value'])} → {sig['score']:.2f}")
            rows.append(
                {
                    "name": row["name"],
                    "points": row["points"],
                    "max_points": row["max_points"],
                    "signals": " / ".join(said),
                }
            )
        headers = {
            "name": "평가항목",
            "points": "제안 점수",
            "max_points": "만점",
            "signals": "신호 (값 → 0–1)",
        }
        evidence = [
            {
                "criterion": row["name"],
                "line": e.get("line"),
                "signal": L.signal_name(specs.get((row["criterion"], e.get("signal")))) or e.get("signal"),
                "text": e.get("text"),
            }
            for _, row in frame.iterrows()
            for e in (row["evidence"] or [])
        ]
        parts = [
            H.paragraph(
                "사전점수는 본문이 말하는 것을 센 제안값이며 최종 점수가 아닙니다. "
                "점수 = 만점 × (하한 + (1 − 하한) × 신호의 가중 평균).",
                "ck-note",
            ),
            H.table_html(rows, headers=headers, float_format=".1f"),
        ]
        if evidence:
            parts.append(H.heading("근거 줄", 3))
            parts.append(
                folded_table(
                    evidence, {"criterion": "평가항목", "line": "줄", "signal": "신호", "text": "원문"}
                )
            )
        return "".join(parts)
