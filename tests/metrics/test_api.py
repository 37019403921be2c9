"""The metrics entry points the rest of casekit calls: metrics as a DataFrame with exactly the JSONL keys."""

from __future__ import annotations

from casekit.metrics import METRIC_KEYS, extract_from_lines, metrics_frame
from tests.metrics.texts import extract


def test_metrics_frame_has_exactly_the_jsonl_keys() -> None:

    frame = metrics_frame(extract("사업비 3,287백만원, 참여 120명"))
    assert tuple(frame.columns) == METRIC_KEYS
    assert frame["norm"].tolist() == [3_287_000_000, 120]
    empty = metrics_frame([])
    assert tuple(empty.columns) == METRIC_KEYS and len(empty) == 0
    assert extract_from_lines([]) == []
