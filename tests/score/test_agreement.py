"""Krippendorff's alpha against the published worked example."""

from __future__ import annotations

import numpy as np
import pytest

from casekit.score.agreement import krippendorff_alpha


def test_krippendorff_alpha_matches_published_values():  # type: ignore[no-untyped-def]
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 coders × 12 units with gaps
    n = np.nan
    data = np.array(
        [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
            [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
        ]
    )
    assert krippendorff_alpha(data, "nominal") == pytest.approx(0.743, abs=5e-4)
    assert krippendorff_alpha(data, "interval") == pytest.approx(0.849, abs=5e-4)
    assert np.isnan(krippendorff_alpha(np.array([[1.0, n], [n, 2.0]])))  # no case with two judges
