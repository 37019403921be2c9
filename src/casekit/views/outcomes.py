"""A case's headline outcome indicators as one HTML block: what the judge notebook shows beside the metrics.

Public API::

    html = case_outcomes_html(workspace, case)     # escaped HTML: a table of headline figures with evidence
    show_case_outcomes(workspace, case)            # display it (plain text outside a notebook)

One row per outcome category (일자리, 예산·사업비, 참여·수혜 인원 …): the figure a judge would quote, whether it
is achieved, planned or estimated, the line of the original file it stands on and that line's text, so the
figure can be checked against the report in one glance.
"""

from __future__ import annotations

import os

from casekit.outcomes import case_indicators, format_figure, load_taxonomy
from casekit.outcomes.model import TEMPORAL_NAMES
from casekit.parse.model import Case
from casekit.report import display as D
from casekit.report import html as H
from casekit.store import Workspace


def case_outcomes_html(workspace: Workspace | str | os.PathLike[str] | None, case: Case) -> str:
    """The headline indicators of `case` (from the workspace's stored metrics) as an escaped HTML block."""
    ws = Workspace.resolve(workspace)
    found = case_indicators([case], ws)
    heads = [i for i in found if i.headline]
    title = H.heading("핵심 성과지표 (headline outcome indicators)", 3)
    if not heads:
        return title + H.notice(
            "이 사례에서 분류된 성과지표가 없습니다 (no outcome indicator found for this case)."
        )
    text_of = {line.number: line.text for line in case.lines}
    order = {c: n for n, c in enumerate(load_taxonomy().ids)}
    rows = [
        {
            "category": i.category_name,
            "figure": format_figure(i.to_dict()),
            "temporal": TEMPORAL_NAMES.get(i.temporal, i.temporal),
            "label": i.label,
            "line": i.line,
            "mentions": i.mentions,
            "source_line": text_of.get(i.line, "").strip()[:160],
        }
        for i in sorted(heads, key=lambda i: order.get(i.category, 99))
    ]
    counted = len({i.category for i in found})
    note = H.paragraph(
        f"분류된 수치 {len(found)}개, {counted}개 분류 — 분류마다 한 수치(총계, 되풀이는 한 번). "
        "줄 = 원문 파일의 줄 (line of the original file).",
        "ck-note",
    )
    table = H.table_html(
        rows,
        headers={
            "category": "분류",
            "figure": "수치",
            "temporal": "실적/계획",
            "label": "항목",
            "line": "줄",
            "mentions": "언급 줄 수",
            "source_line": "원문 줄",
        },
    )
    return title + note + table


def show_case_outcomes(workspace: Workspace | str | os.PathLike[str] | None, case: Case) -> None:
    D.show_html(case_outcomes_html(workspace, case))
