"""The entry points the rest of casekit calls: metrics of a parsed case, and metrics as a DataFrame."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from casekit.metrics.extract import extract_from_lines
from casekit.metrics.model import METRIC_KEYS, Metric

if TYPE_CHECKING:
    import pandas as pd

    from casekit.parse.model import Case


def extract_metrics(case: Case) -> list[Metric]:
    """Every quantity in `case` (its repaired lines), with evidence in the original source file.

    Figures in a 향후계획/기대효과 section ("plan") are plans whatever their wording, so the lines of
    such sections are passed on as planned.
    """
    planned: set[int] = set()
    for section in case.sections:
        if section.kind == "plan":
            planned.update(range(section.line_start, section.line_end + 1))
    return extract_from_lines(case.lines, case_id=case.id, source=case.source, planned_lines=planned)


def metrics_frame(metrics: Iterable[Metric]) -> pd.DataFrame:
    """Metrics as a DataFrame, one row per metric, columns exactly `METRIC_KEYS` (empty frame keeps them)."""
    import pandas as pd

    rows = [m.to_dict() for m in metrics]
    frame = pd.DataFrame(rows, columns=list(METRIC_KEYS))
    if not rows:
        frame = frame.astype(
            {"value": float, "multiplier": float, "norm": float, "table": bool, "line": int, "col": int}
        )
    return frame
