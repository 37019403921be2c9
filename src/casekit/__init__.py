"""casekit: a toolkit for the Korean local-government manifesto best-practice competition.

Parse case reports (우수사례 소개서) into structured cases with outcome metrics, search and cluster
them, score them against YAML rubrics, and rank them into reports. The public surface is re-exported
here lazily, so `import casekit` stays fast and does not load torch or Kiwi until they are needed.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Case": "casekit.parse.model",
    "Section": "casekit.parse.model",
    "Line": "casekit.ingest.model",
    "SourceDocument": "casekit.ingest.model",
    "Metric": "casekit.metrics.model",
    "Workspace": "casekit.store",
    "CasekitError": "casekit.errors",
    "read_source": "casekit.ingest",
    "parse_file": "casekit.parse",
    "parse_document": "casekit.parse",
    "ingest": "casekit.pipeline",
    "load_cases": "casekit.store",
    "load_metrics": "casekit.store",
    "extract_metrics": "casekit.metrics",
    "extract_from_text": "casekit.metrics",
    "metrics_frame": "casekit.metrics",
    "outcomes": "casekit.outcomes.api",
    "search": "casekit.retrieval.query",
    "similar": "casekit.retrieval.query",
    "fit_themes": "casekit.themes",
    "load_rubric": "casekit.rubric",
    "Rubric": "casekit.rubric",
    "prescore_cases": "casekit.score.prescore",
    "ScoreStore": "casekit.score.store",
    "rank_cases": "casekit.score.rank",
    "run_batch": "casekit.batch",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'casekit' has no attribute {name!r}")
    return getattr(importlib.import_module(module_name), name)
