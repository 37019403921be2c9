"""Outcome metrics: every quantity a case claims, normalized, each with the line it came from.

    extract_metrics(case)            metrics of one parsed case (its repaired lines)
    extract_from_lines(lines, ...)   the core, over any `Line` objects
    extract_from_text(text, ...)     the same over plain text as it stands (no repair)
    metrics_frame(metrics)           a DataFrame with exactly `METRIC_KEYS` as columns

`NATIVE` tells whether the mypyc-compiled build of the extractor is in use (`casekit.metrics._native`).
"""

from __future__ import annotations

from casekit.metrics import _native

NATIVE = _native.load()  # before anything imports the modules it replaces

from casekit.metrics.api import extract_metrics, metrics_frame  # noqa: E402
from casekit.metrics.extract import extract_from_lines, extract_from_text  # noqa: E402
from casekit.metrics.model import METRIC_KEYS, Metric  # noqa: E402

__all__ = [
    "METRIC_KEYS",
    "NATIVE",
    "Metric",
    "extract_from_lines",
    "extract_from_text",
    "extract_metrics",
    "metrics_frame",
]
