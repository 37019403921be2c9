"""Quality measures against known groups: purity counts outliers as wrong."""

from __future__ import annotations

from casekit.themes import purity


def test_purity_counts_outliers_as_wrong() -> None:
    assert purity([0, 0, 1, 1], ["a", "a", "b", "b"]) == 1.0
    assert purity([0, 0, -1, 1], ["a", "a", "b", "b"]) == 0.75
    assert purity([0, 0, 0, 0], ["a", "a", "b", "b"]) == 0.5
