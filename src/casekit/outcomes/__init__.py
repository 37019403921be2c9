"""Outcome indicators: the figures judges compare between cases (일자리, 예산·사업비, 참여·수혜 인원 …).

Public API::

    outcomes(workspace, case=None) -> DataFrame         # also `casekit.outcomes`
    workspace_indicators(workspace) -> list[Indicator]  # records, headlines marked
    headline_table(frame) -> DataFrame                  # one row per case, one column per category (Korean)
    load_taxonomy(path=None) -> Taxonomy                # the categories (taxonomy.yaml in this package)

Every metric of a case (`casekit.metrics`) that names an outcome is placed in a category of the taxonomy
(`classify`), and per case and category one headline figure is chosen (`headline`). The engine stage after
metrics; report and views read it, it reads neither.

`casekit.outcomes(workspace)` is this package called as a function: once `casekit.outcomes` is imported the
name is the package, so the package is made callable (it calls `outcomes`) and both spellings work.
"""

import sys
import types
from typing import Any

from casekit.outcomes.api import (
    case_indicators,
    format_figure,
    headline_table,
    indicators_frame,
    outcomes,
    workspace_indicators,
)
from casekit.outcomes.model import ALL_KEYS, INDICATOR_KEYS, TEMPORAL_NAMES, Indicator
from casekit.outcomes.taxonomy import Category, Taxonomy, TaxonomyError, load_taxonomy

__all__ = [
    "ALL_KEYS",
    "INDICATOR_KEYS",
    "TEMPORAL_NAMES",
    "Category",
    "Indicator",
    "Taxonomy",
    "TaxonomyError",
    "case_indicators",
    "format_figure",
    "headline_table",
    "indicators_frame",
    "load_taxonomy",
    "outcomes",
    "workspace_indicators",
]


class _CallableModule(types.ModuleType):
    """This package, callable: `casekit.outcomes(ws)` is `casekit.outcomes.outcomes(ws)`."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return outcomes(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
