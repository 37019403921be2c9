"""Fixtures of the scoring tests: the rubrics, and a workspace holding the seed cases plus the judges' CSV."""

from __future__ import annotations

import pytest

from tests.score.score_paths import DATA, MANIFESTO


@pytest.fixture(scope="session")
def rubric():  # type: ignore[no-untyped-def]
    from casekit.rubric import load_rubric

    return load_rubric(MANIFESTO)


@pytest.fixture
def scored_workspace(writable_seed_workspace, rubric):  # type: ignore[no-untyped-def]
    """The seed workspace with the fixture judges and their scores imported; returns (workspace, store, report)."""
    from casekit.score.csv_io import import_judges_csv, import_scores_csv
    from casekit.score.store import ScoreStore

    ws = writable_seed_workspace
    store = ScoreStore(ws)
    import_judges_csv(store, DATA / "judges.csv")
    report = import_scores_csv(store, DATA / "scores.csv", rubric, cases=ws.load_cases())
    yield ws, store, report
    store.close()
