"""What the rest of casekit calls: a workspace's indicators as records or as a DataFrame.

The metrics come from the workspace's one reader (`Workspace.metric_rows`), the cases' lines from
`Workspace.load_case`; nothing is written. Kiwi (for the cong near-synonyms) loads on the first call only,
so importing this module costs nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from casekit.outcomes.classify import classify_case
from casekit.outcomes.headline import mark_headlines
from casekit.outcomes.model import ALL_KEYS, Indicator
from casekit.outcomes.taxonomy import Taxonomy, load_taxonomy
from casekit.store import Workspace

if TYPE_CHECKING:
    import pandas as pd

    from casekit.parse.model import Case


def case_indicators(
    cases: Iterable[Case],
    workspace: Workspace | str | os.PathLike[str] | None = None,
    taxonomy: Taxonomy | None = None,
    synonyms: bool = True,
) -> list[Indicator]:
    """The indicators of `cases` (their stored metrics), headlines marked, in case and line order."""
    ws = Workspace.resolve(workspace)
    tax = taxonomy or load_taxonomy()
    cases = list(cases)
    rows_by_case: dict[str, list[dict[str, object]]] = {c.id: [] for c in cases}
    for row in ws.metric_rows(rows_by_case):
        rows_by_case[str(row["case_id"])].append(row)
    found: list[Indicator] = []
    for case in cases:
        found.extend(classify_case(case, rows_by_case[case.id], tax, synonyms=synonyms))
    mark_headlines(found, tax)
    return found


def workspace_indicators(
    workspace: Workspace | str | os.PathLike[str] | None = None,
    case: str | None = None,
    taxonomy: Taxonomy | None = None,
) -> list[Indicator]:
    """Every indicator of the workspace, or of one `case` (its id, or a municipality naming one case)."""
    ws = Workspace.resolve(workspace)
    cases = ws.load_cases()
    if case is not None:
        cases = [ws.find_case(case, cases)]
    return case_indicators(cases, ws, taxonomy)


def indicators_frame(indicators: Iterable[Indicator]) -> pd.DataFrame:
    """Indicators as a DataFrame, columns `ALL_KEYS` (kept when empty)."""
    import pandas as pd

    return pd.DataFrame([i.to_dict() for i in indicators], columns=list(ALL_KEYS))


def outcomes(
    workspace: Workspace | str | os.PathLike[str] | None = None,
    case: str | None = None,
    headline_only: bool = False,
    taxonomy: Taxonomy | str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """`casekit.outcomes(workspace)`: one row per indicator (case_id, municipality, category, category_name,
    label, value, unit, norm, temporal, line, col, headline, before, mentions …); `headline_only` keeps the
    figure per case and category a judge would quote."""
    tax = taxonomy if isinstance(taxonomy, Taxonomy) or taxonomy is None else load_taxonomy(taxonomy)
    found = workspace_indicators(workspace, case, tax)
    if headline_only:
        found = [i for i in found if i.headline]
    return indicators_frame(found)


def headline_table(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Headlines as one row per case and one column per category (Korean names), cells like "70명 (실적)".

    The comparable table of the ranking report: a judge reads across a row (one case) or down a column (the
    jobs every case created). An empty cell: the case gives no figure of that kind.
    """
    import pandas as pd

    tax = taxonomy or load_taxonomy()
    heads = frame[frame["headline"]] if "headline" in frame.columns else frame
    names = tax.names
    rows: dict[str, dict[str, str]] = {}
    for record in heads.to_dict(orient="records"):
        cell = format_figure(record)
        rows.setdefault(str(record["municipality"] or record["case_id"]), {})[names[record["category"]]] = (
            cell
        )
    columns = [names[c] for c in tax.ids if any(names[c] in r for r in rows.values())]
    table = pd.DataFrame.from_dict(rows, orient="index", columns=columns).fillna("")
    return table.rename_axis("지자체").reset_index()


def format_figure(record: dict[str, object]) -> str:
    """ "70명", "3.8억원", "45.0% → 62.3%", with "(계획)" or "(추정)" when it is not an achievement."""
    from casekit.outcomes.model import TEMPORAL_NAMES

    now = format_amount(float(record["norm"]), str(record["unit"]), str(record.get("kind") or ""))  # type: ignore[arg-type]
    before = record.get("before")
    if before is not None and before == before:  # not NaN
        now = f"{format_amount(float(before), str(record['unit']), str(record.get('kind') or ''))} → {now}"  # type: ignore[arg-type]
    temporal = str(record.get("temporal") or "actual")
    return now if temporal == "actual" else f"{now} ({TEMPORAL_NAMES.get(temporal, temporal)})"


def format_amount(norm: float, unit: str, kind: str = "") -> str:
    """A figure as a judge writes it: money in 억원/만원, others with thousands separators and the unit."""
    if kind == "money" or unit == "원":
        if abs(norm) >= 1e8:
            return f"{norm / 1e8:,.1f}억원".replace(".0억", "억")
        if abs(norm) >= 1e4:
            return f"{norm / 1e4:,.0f}만원"
        return f"{norm:,.0f}원"
    text = f"{norm:,.0f}" if float(norm).is_integer() else f"{norm:,.1f}"
    return f"{text}{unit}"
