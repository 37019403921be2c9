"""The judge's score form and judge chooser (ipywidgets), driven by a `casekit.views.review.JudgeReview`.

A form that cannot mislead:
* each criterion's box holds only what can be stored: 0 to the criterion's points, in 0.5 steps. A refused
  value is put back at once to what the box held before, and the row says why. The boxes are text boxes
  checked by the kernel, not browser number inputs: a number input cannot be left empty (empty means "not
  scored") and it clamps silently — 15 typed into a 0–14 box becomes 14 without a word, which misleads.
  They send their value when the judge leaves the box or presses Enter, so "15" is refused as 15 and is
  never first accepted as "1";
* 저장 saves the filled boxes (empty ones are skipped, their stored score is kept and the form says so);
  지우기 beside a stored score deletes it explicitly (logged in the store's history);
* the read-back under the buttons is what the store holds, read again after every change, in rubric
  order with the criteria's Korean names and the time in the machine's local time zone;
* 다음 사례 with typed but unsaved points asks once before dropping them;
* 기권 (abstain) and the organizer's 제외 (recusal) close the boxes and say so; 기권 취소 withdraws one's
  own abstention.

Every change of what is shown sets widget values (no output capture), so it works the same whichever
thread JupyterLab delivers the button's message on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from casekit.errors import CasekitError
from casekit.report import html as H

if TYPE_CHECKING:  # pragma: no cover
    from casekit.views.review import JudgeReview


def judge_picker(review: JudgeReview, message: Any) -> Any:
    """The judge section: `message` (an HTML widget) over a list of the registered judges to choose from."""
    import ipywidgets as W

    judges = review.registered()
    choices = [("— 심사위원을 고르세요 —", "")] + [
        (f"{j.id} · {j.name}" if j.name != j.id else j.id, j.id) for j in judges
    ]
    menu = W.Dropdown(options=choices, value="", description="심사위원", style={"description_width": "5em"})

    def on_choose(change: Any) -> None:
        if change["new"]:
            review.select_judge(str(change["new"]))

    menu.observe(on_choose, "value")
    box = W.HBox([menu])
    view = W.VBox([message, box])
    update_picker(review, view)
    return view


def update_picker(review: JudgeReview, view: Any) -> None:
    view.children[0].value = review.render("judge")
    chosen = review.judge_id is not None or review.problem is not None or not review.registered()
    view.children[1].layout.display = "none" if chosen else None


class ScoreForm:
    """One criterion per row (box, comment, 지우기, level descriptors), then 저장 · 기권 · 다음 사례, then the
    status line and the read-back. `render()` rebuilds it for the review's current case."""

    def __init__(self, review: JudgeReview) -> None:
        import ipywidgets as W

        self.W = W
        self.review = review
        self.root = W.VBox()
        self.boxes: dict[str, Any] = {}
        self.notes: dict[str, Any] = {}
        self.clears: dict[str, Any] = {}
        self.messages: dict[str, Any] = {}
        self.status = W.HTML()
        self.readback = W.HTML()
        self._accepted: dict[str, str] = {}  # per box: the last value it held that could be stored
        self._resetting = False
        self._confirm_next = False
        self.render()

    # -- building ----------------------------------------------------------------------------------

    def render(self, status: str = "") -> None:
        W, review = self.W, self.review
        self.boxes, self.notes, self.clears, self.messages, self._accepted = {}, {}, {}, {}, {}
        self._confirm_next = False
        if not review.ready:
            self.root.children = ()
            return
        case = review.case
        stored = review.my_scores().set_index("criterion")
        excluded = review.exclusion()
        header = W.HTML(
            H.heading(f"{case.municipality or ''} — {case.title} · 심사위원 {review.judge_id}", 3)
            + H.paragraph(
                "점수를 입력하고 칸을 벗어나거나 Enter를 누른 뒤 저장하세요. 빈 칸은 저장하지 않습니다 "
                "(이미 저장된 점수는 그대로이며, 지우려면 지우기를 누르세요).",
                "ck-note",
            )
        )
        rows = [header]
        if excluded == "abstain":
            rows.append(
                W.HTML(
                    H.notice(
                        "이 사례에 기권했습니다: 내 점수는 이 사례의 평균에서 빠지고, 새 점수는 받지 않습니다."
                    )
                )
            )
        elif excluded == "recuse":
            rows.append(
                W.HTML(H.notice("주최측이 이 사례의 심사에서 제외했습니다: 점수를 저장할 수 없습니다."))
            )
        closed = excluded is not None
        for crit in review.rubric.criteria:
            top = float(crit.max_points or 0)
            saved = stored.loc[crit.id] if crit.id in stored.index else None
            text = "" if saved is None else f"{float(saved['points']):g}"
            box = W.Text(
                value=text,
                placeholder=f"0–{top:g}",
                description=crit.name,
                continuous_update=False,
                disabled=closed,
                tooltip=f"{crit.name}: 0–{top:g}점, 0.5점 단위",
                style={"description_width": "6.5em"},
                layout=W.Layout(width="15em"),
            )
            note = W.Text(
                value="" if saved is None or saved["comment"] is None else str(saved["comment"]),
                placeholder="의견",
                disabled=closed,
                layout=W.Layout(width="20em"),
            )
            clear = W.Button(
                description="지우기",
                tooltip=f"저장된 {crit.name} 점수를 지웁니다",
                disabled=saved is None or closed,
                layout=W.Layout(width="5.5em"),
            )
            message = W.HTML()
            levels = "<br>".join(
                f"<b>{H.esc(f'{lv.min:g}+ {lv.label}')}</b> {H.esc(lv.description)}" for lv in crit.levels
            )
            guide = W.HTML(
                f'<div style="font-size:.85em;color:#444"><b>만점 {top:g}</b> · {H.esc(crit.description)}'
                f"<br>{levels}</div>",
                layout=W.Layout(width="34em"),
            )
            self._accepted[crit.id] = text
            box.observe(self._checker(crit), "value")
            clear.on_click(self._clearer(crit))
            self.boxes[crit.id], self.notes[crit.id] = box, note
            self.clears[crit.id], self.messages[crit.id] = clear, message
            rows.append(W.HBox([W.VBox([W.HBox([box, clear]), note, message]), guide]))
        save = W.Button(description="저장", button_style="primary", icon="save", disabled=closed)
        abstain = W.Button(
            description="기권 취소" if excluded == "abstain" else "기권",
            button_style="warning",
            disabled=excluded == "recuse",
        )
        nxt = W.Button(description="다음 사례", icon="arrow-right")
        save.on_click(lambda _: self.save())
        abstain.on_click(lambda _: self.toggle_abstain())
        nxt.on_click(lambda _: self.next_case())
        self.status.value = status
        self.show_readback()
        rows += [W.HBox([save, abstain, nxt]), self.status, self.readback]
        self.root.children = tuple(rows)

    def _checker(self, crit: Any) -> Any:
        from casekit.views.review import check_points

        def check(change: Any) -> None:
            if self._resetting:
                return
            message = self.messages[crit.id]
            try:
                check_points(crit, change["new"])
            except ValueError as exc:
                before = self._accepted[crit.id]
                undo = f"칸을 {before}점으로 되돌렸습니다" if before else "칸을 비웠습니다"
                message.value = H.notice(f"{exc} — {undo}.")
                self._resetting = True
                try:
                    self.boxes[crit.id].value = self._accepted[crit.id]
                finally:
                    self._resetting = False
                return
            self._accepted[crit.id] = str(change["new"])
            message.value = ""

        return check

    def _clearer(self, crit: Any) -> Any:
        def clear(_: Any) -> None:
            removed = self.review.clear_score(crit.id)
            self._resetting = True
            try:
                self.boxes[crit.id].value = ""
                self.notes[crit.id].value = ""
            finally:
                self._resetting = False
            self._accepted[crit.id] = ""
            self.clears[crit.id].disabled = True
            self.messages[crit.id].value = H.paragraph(
                f"저장된 {crit.name} 점수를 지웠습니다." if removed else "지울 점수가 없습니다.", "ck-note"
            )
            self.show_readback()

        return clear

    # -- actions -----------------------------------------------------------------------------------

    def unsaved(self) -> list[str]:
        """Criteria whose box differs from what is stored (typed but not saved)."""
        stored = self.review.my_scores().set_index("criterion")["points"].to_dict()
        out = []
        for crit in self.review.rubric.criteria:
            text = self.boxes[crit.id].value.strip() if crit.id in self.boxes else ""
            if not text:
                continue
            try:
                if crit.id not in stored or float(text.replace(",", ".")) != float(stored[crit.id]):
                    out.append(crit.name)
            except ValueError:
                out.append(crit.name)
        return out

    def save(self) -> None:
        review = self.review
        try:
            report = review.save_scores(
                {k: w.value for k, w in self.boxes.items()}, {k: w.value for k, w in self.notes.items()}
            )
        except CasekitError as exc:
            self.status.value = H.notice(f"저장하지 못했습니다: {exc}")
            return
        names = {c.id: c.name for c in review.rubric.criteria}
        for crit_id, message in self.messages.items():
            if crit_id in report.errors:
                message.value = H.notice(report.errors[crit_id])
            elif crit_id in report.saved:
                message.value = ""
                self.clears[crit_id].disabled = False
                self._accepted[crit_id] = self.boxes[crit_id].value
        parts = []
        if report.saved:
            parts.append(f"저장했습니다: {', '.join(names[c] for c in report.saved)}")
        if report.errors:
            parts.append(
                f"저장하지 못한 항목: {', '.join(names[c] for c in report.errors)} (각 칸 아래 이유)"
            )
        skipped = [names[c] for c in report.skipped]
        if skipped:
            parts.append(f"빈 칸이라 저장하지 않음: {', '.join(skipped)}")
        text = " · ".join(parts) or "저장할 점수가 없습니다."
        self.status.value = H.notice(text) if report.errors else H.paragraph(text, "ck-ok")
        self.show_readback()

    def toggle_abstain(self) -> None:
        review = self.review
        store = review.store(create=True)
        assert store is not None
        try:
            if review.exclusion() == "abstain":
                store.abstain(str(review.judge_id), str(review.case_id), withdraw=True)
                message = "기권을 취소했습니다: 다시 점수를 줄 수 있습니다."
            else:
                review.abstain("심사 양식에서 기권")
                message = "기권했습니다: 이 사례의 평균에서 내 점수가 빠집니다."
        except CasekitError as exc:
            message = f"기권을 바꾸지 못했습니다: {exc}"
        review.refresh()
        self.status.value = H.notice(message)

    def next_case(self) -> None:
        review = self.review
        pending = self.unsaved()
        if pending and not self._confirm_next:
            self._confirm_next = True
            self.status.value = H.notice(
                f"저장하지 않은 점수가 있습니다: {', '.join(pending)}. 저장하거나, "
                "버리고 넘어가려면 다음 사례를 한 번 더 누르세요."
            )
            return
        following = review.next_case_id()
        if following is None:
            self.status.value = H.paragraph(
                "대기열의 마지막 사례입니다 (더 심사할 사례가 없습니다).", "ck-note"
            )
            return
        review.goto(following)  # re-renders every section, this form included

    def show_readback(self) -> None:
        review = self.review
        frame = review.my_scores()
        title = f"저장된 내 점수 {len(frame)}개 — 심사위원 {review.judge_id}, 사례 {review.case_id}"
        if frame.empty:
            self.readback.value = H.paragraph(title, "ck-note")
            return
        from casekit.views import labels as L

        table = frame.assign(excluded=frame["excluded"].map(lambda v: L.EXCLUDED.get(v, "") if v else ""))
        self.readback.value = H.heading(title, 4) + H.table_html(
            table,
            ["name", "points", "max_points", "comment", "saved_at", "excluded"],
            headers={
                "name": "평가항목",
                "points": "점수",
                "max_points": "만점",
                "comment": "의견",
                "saved_at": "저장 시각",
                "excluded": "평균에서 제외",
            },
            float_format="g",
        )
