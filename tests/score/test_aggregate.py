"""Aggregation: (trimmed) means over random judges' matrices (hypothesis), and per-judge z-normalization."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casekit.score.aggregate import combine_array, zscore_judges

points = st.one_of(st.none(), st.integers(min_value=0, max_value=28).map(lambda x: x / 2))

matrices = st.integers(min_value=1, max_value=7).flatmap(
    lambda judges: st.integers(min_value=1, max_value=6).flatmap(
        lambda cases: st.lists(
            st.lists(points, min_size=cases, max_size=cases), min_size=judges, max_size=judges
        )
    )
)


@settings(max_examples=200, deadline=None)
@given(matrices, st.booleans())
def test_combine_is_the_plain_or_trimmed_mean_of_present_scores(rows, trim):  # type: ignore[no-untyped-def]
    values = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)
    mean, n = combine_array(values, trim, trim_min_judges=5)
    for j in range(values.shape[1]):
        present = sorted(v for v in values[:, j] if not np.isnan(v))
        assert n[j] == len(present)
        if not present:
            assert np.isnan(mean[j])
            continue
        kept = present[1:-1] if trim and len(present) >= 5 else present
        assert mean[j] == np.mean(kept)
        assert min(present) <= mean[j] <= max(present)  # a mean never leaves the judges' range


def test_zscore_removes_a_lenient_judges_offset():  # type: ignore[no-untyped-def]
    matrix = pd.DataFrame(
        {"a": [10.0, 15.0, 20.0], "b": [20.0, 25.0, np.nan], "c": [30.0, 35.0, 40.0]},
        index=["strict", "lenient", "single"],
    )
    matrix.loc["single", ["a", "b", "c"]] = [np.nan, np.nan, 40.0]
    out = zscore_judges(matrix)
    assert out.loc["strict"].tolist() == pytest.approx(out.loc["lenient"].tolist())
    assert out.loc["single", "c"] == 40.0  # one case: cannot be standardized, kept raw


def test_spread_is_nan_below_two_judges_without_a_warning():  # type: ignore[no-untyped-def]
    import warnings

    from casekit.score.aggregate import spread

    values = np.array(
        [[10.0, np.nan, 4.0, np.nan], [12.0, np.nan, np.nan, np.nan], [15.0, 7.0, np.nan, np.nan]]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Degrees of freedom <= 0 for slice" would raise here
        ranges, sds = spread(values)
        one_judge = spread(values[:1])
        nobody = spread(np.empty((0, 3)))
    assert ranges[0] == 5.0 and sds[0] == pytest.approx(np.std([10.0, 12.0, 15.0], ddof=1))
    assert np.isnan(ranges[1:]).all() and np.isnan(sds[1:]).all()  # one judge, or none: no spread
    assert np.isnan(one_judge[0]).all() and np.isnan(one_judge[1]).all()
    assert nobody[0].shape == (3,) and np.isnan(nobody[1]).all()
