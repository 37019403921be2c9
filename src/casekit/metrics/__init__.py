"""Outcome metrics: every quantity a case claims, normalized, each with the line it came from.

    extract_metrics(case)            metrics of one parsed case (its repaired lines)
    extract_from_lines(lines, ...)   the core, over any `Line` objects
    extract_from_text(text, ...)     the same over plain text as it stands (no repair)
    metrics_frame(metrics)           a DataFrame with exactly `METRIC_KEYS` as columns
"""

from __future__ import annotations

from casekit.metrics.api import extract_metrics, metrics_frame
from casekit.metrics.extract import extract_from_lines, extract_from_text
from casekit.metrics.model import METRIC_KEYS, Metric

__all__ = ["METRIC_KEYS", "Metric", "extract_from_lines", "extract_from_text", "extract_metrics", "metrics_frame"]
