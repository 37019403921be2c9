"""What the researcher's notebooks show: search hits and similar cases (`SearchView`), themes (`ThemesView`).

Both wrap the APIs of `casekit.retrieval` and `casekit.themes` and turn their DataFrames into escaped tables
and Hangul figures. When a piece is not built yet (no search index, no cases, no saved theme model), they
show one sentence saying what is missing and how to get it, and return an empty DataFrame, instead of failing
the notebook.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from casekit import retrieval
from casekit.errors import CasekitError
from casekit.report import display as D
from casekit.report import plots
from casekit.report.excel import write_workbook
from casekit.store import Workspace
from casekit.themes import Level, ThemeModel, fit_themes
from casekit.themes.cached import current_themes

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

SEARCH_HEADERS = {
    "municipality": "지자체",
    "title": "사례명",
    "field": "분야",
    "region": "광역",
    "section": "절",
    "line_start": "시작 줄",
    "line_end": "끝 줄",
    "score": "점수",
    "snippet": "구절",
    "case_id": "사례 ID",
    "rank": "순위",
    "similarity": "유사도",
    "theme": "주제",
    "passage": "이 사례의 구절",
    "lines": "줄",
    "other_passage": "상대 사례의 가장 비슷한 구절",
    "other_lines": "상대 줄",
}
SEARCH_COLUMNS = ("municipality", "title", "theme", "section", "line_start", "line_end", "score", "snippet")
SIMILAR_COLUMNS = (
    "rank",
    "municipality",
    "title",
    "theme",
    "field",
    "score",
    "passage",
    "lines",
    "other_passage",
    "other_lines",
)


def _columns(frame: pd.DataFrame, preferred: tuple[str, ...]) -> list[str]:
    """The columns a reader needs, in order; the rest (ids, source paths) stay in the returned DataFrame."""
    return [c for c in preferred if c in frame.columns]


class SearchView:
    """Search and similar-case tables for one workspace."""

    def __init__(self, workspace: Workspace | str | os.PathLike[str] | None = None) -> None:
        self.workspace = Workspace.resolve(workspace)
        self._themes: dict[str, str] | None = None

    def show_overview(self) -> None:
        D.show_style()
        ids = self.workspace.case_ids()
        if not ids:
            D.show_notice(
                f"작업공간에 사례가 없습니다 (no cases in {self.workspace.root}): "
                "run `casekit ingest PATH` first."
            )
            return
        D.show_text(f"작업공간 {self.workspace.root}: 사례 {len(ids)}건")

    def search(
        self, query: str, *, top_k: int = 10, field: str | None = None, region: str | None = None
    ) -> pd.DataFrame:
        hits = retrieval.search(query, top_k=top_k, field=field, region=region, workspace=self.workspace)
        return self._with_themes(hits)

    def similar(self, case_id: str, *, top_k: int = 10) -> pd.DataFrame:
        return self._with_themes(retrieval.similar(case_id, top_k=top_k, workspace=self.workspace))

    def case_themes(self) -> dict[str, str]:
        """case_id → theme label from the saved case-level theme model ({} when none is saved yet)."""
        if self._themes is None:
            try:
                frame = ThemeModel.load(self.workspace, "case").assignments_frame()
                self._themes = dict(zip(frame["case_id"], frame["theme_label"]))
            except CasekitError:
                self._themes = {}
        return self._themes

    def _with_themes(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Add each hit's case theme, so a researcher sees which theme a passage belongs to."""
        themes = self.case_themes()
        if themes and not frame.empty and "case_id" in frame.columns:
            frame = frame.assign(theme=frame["case_id"].map(themes))
        return frame

    def show_search(
        self, query: str | None, *, top_k: int = 10, field: str | None = None, region: str | None = None
    ) -> pd.DataFrame:
        if not query:
            D.show_text("질문이 없습니다 (no query given): set `query` to search passages.")
            return pd.DataFrame()
        try:
            hits = self.search(query, top_k=top_k, field=field, region=region)
        except CasekitError as exc:
            D.show_notice(f"검색할 수 없습니다 (search failed): {exc}")
            return pd.DataFrame()
        D.show_text(f"질문: {query} — {len(hits)}건", level=3)
        if hits.empty:
            D.show_text("맞는 구절이 없습니다 (no passages match; loosen the filters).")
        else:
            D.show_table(hits, _columns(hits, SEARCH_COLUMNS), headers=SEARCH_HEADERS, float_format=".3f")
        return hits

    def show_similar(self, case_id: str | None, *, top_k: int = 10) -> pd.DataFrame:
        if not case_id:
            D.show_text(
                "사례가 선택되지 않았습니다 (no case_id given): set `case_id` to list its neighbours."
            )
            return pd.DataFrame()
        try:
            case = self.workspace.load_case(case_id)
            found = self.similar(case_id, top_k=top_k)
        except CasekitError as exc:
            D.show_notice(f"비슷한 사례를 찾을 수 없습니다 (similar failed): {exc}")
            return pd.DataFrame()
        D.show_text(f"{case.municipality or ''} — {case.title}", level=3)
        if found.empty:
            D.show_text("비슷한 사례가 없습니다 (no other cases).")
        else:
            D.show_table(found, _columns(found, SIMILAR_COLUMNS), headers=SEARCH_HEADERS, float_format=".3f")
        return found

    def widget(self, *, top_k: int = 10) -> Any:
        """A text box and a button: type a question, see the hits below (JupyterLab; None when headless)."""
        if not D.widgets_wanted():
            return None
        # Widgets only for a person in JupyterLab: a headless run never loads them.
        import ipywidgets as W
        from IPython.display import display

        box = W.Text(placeholder="질문을 입력하세요 (e.g. 전통시장 청년 창업)", layout=W.Layout(width="60%"))
        fields = ["(전체)"] + sorted({c.field for c in self.workspace.iter_cases() if c.field})
        pick = W.Dropdown(options=fields, description="분야")
        button = W.Button(description="검색", button_style="primary")
        out = W.Output()

        def run(_: Any) -> None:
            out.clear_output()
            with out:
                chosen = None if pick.value == "(전체)" else pick.value
                self.show_search(box.value.strip() or None, top_k=top_k, field=chosen)

        button.on_click(run)
        box.on_submit(run) if hasattr(box, "on_submit") else None
        ui = W.VBox([W.HBox([box, pick, button]), out])
        display(ui)
        return ui


@dataclass
class ThemesView:
    """A fitted theme model over the workspace's cases, shown as tables and a map."""

    workspace: Workspace
    model: ThemeModel
    figures: dict[str, Figure] = field(default_factory=dict, repr=False)
    pngs: dict[str, bytes] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        workspace: Workspace | str | os.PathLike[str] | None = None,
        *,
        k: int | str | None = None,
        method: str = "kmeans",
        level: Level = "case",
        seed: int = 0,
        save: bool = True,
    ) -> ThemesView:
        """Themes over every case of the workspace (k None = chosen by silhouette), saved in it.

        With `save`, the workspace's model is reused when it was fitted on the same cases with the same
        parameters (`casekit.themes.cached.current_themes`: `casekit run` fits it once before the
        notebooks start); without, a fresh fit that is not saved.
        """
        ws = Workspace.resolve(workspace)
        k_value = "auto" if k in (None, "auto") else int(k)  # type: ignore[arg-type]
        if save:
            model = current_themes(ws, level=level, method=method, k=k_value, seed=seed)
        else:
            model = fit_themes(ws.load_cases(), level=level, method=method, k=k_value, seed=seed)
        return cls(workspace=ws, model=model)

    def show_summary(self) -> None:
        D.show_style()
        m = self.model
        D.show_text(
            f"주제 {sum(1 for t in m.themes if t.theme_id >= 0)}개 · 단위 {len(m.units)} ({m.level}) · "
            f"방법 {m.method} · seed {m.seed} · embedder {m.embedder_id}"
        )
        D.show_table(
            m.themes_frame(),
            headers={
                "theme_id": "주제",
                "label": "이름",
                "size": "크기",
                "terms": "대표 낱말",
                "representatives": "대표 사례",
            },
        )

    def show_map(self) -> None:
        fig = plots.theme_map(self.model, text="municipality")
        self.figures["theme_map"] = fig
        self.pngs["theme_map"] = D.show_figure(fig)

    def show_crosstabs(self) -> None:
        for by, label in (("field", "분야"), ("region", "광역")):
            try:
                table = self.model.crosstab(by)
            except CasekitError as exc:
                D.show_notice(str(exc))
                continue
            D.show_text(f"주제 × {label}", level=3)
            D.show_table(table, index=True)

    def save(self, output_dir: str | os.PathLike[str]) -> dict[str, Path]:
        out = Path(output_dir)
        paths: dict[str, Path] = {}
        if "theme_map" not in self.figures:
            self.figures["theme_map"] = plots.theme_map(self.model, text="municipality")
        for key, fig in self.figures.items():
            target = out / "themes_files" / f"{key}.png"
            if key in self.pngs:  # already drawn for display: write those bytes, do not draw again
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(self.pngs[key])
                paths[key] = target
            else:
                paths[key] = plots.save_figure(fig, target)
        paths["xlsx"] = write_workbook(
            out / "themes.xlsx",
            {
                "주제 themes": self.model.themes_frame(),
                "배정 assignments": self.model.assignments_frame(),
            },
            notes=[f"method {self.model.method}, seed {self.model.seed}, params {self.model.params}"],
        )
        return paths
