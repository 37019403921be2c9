"""The pages the notebooks call: each turns the package's results into the tables and figures a person reads.

    casekit.views.review     JudgeReview: one case, its evidence and pre-scores, the judge's score form
                             (its sections' HTML in review_sections, pre-scores in review_prescores,
                             the ipywidgets form in review_form)
    casekit.views.ranking    RankingReport: one 분야 × 구분 group's ranking, awards, scores, agreement, files
    casekit.views.explore    SearchView (search hits, similar cases) and ThemesView (the theme map)
    casekit.views.notebooks  the four notebooks' cells, written by `write_notebooks`
    casekit.views.names      report_name, slug: the stems of a report's files, shared with the batch

A notebook is a parameters cell and one call per section into a view, so the logic is tested without a
browser and the batch, a script and the judge in JupyterLab see the same page. Views sit above the engine
(store, retrieval, themes, score) and the renderers in `casekit.report`, and below `casekit.batch`, which
executes the notebooks. The names are re-exported lazily: writing the notebooks, or the batch naming its
files, does not load pandas and matplotlib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from casekit.views.explore import SearchView, ThemesView
    from casekit.views.ranking import RankingReport
    from casekit.views.review import JudgeReview, SaveReport

_EXPORTS = {
    "JudgeReview": "casekit.views.review",
    "SaveReport": "casekit.views.review",
    "RankingReport": "casekit.views.ranking",
    "SearchView": "casekit.views.explore",
    "ThemesView": "casekit.views.explore",
}

__all__ = ["JudgeReview", "RankingReport", "SaveReport", "SearchView", "ThemesView"]


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'casekit.views' has no attribute {name!r}")
    return getattr(importlib.import_module(module_name), name)
