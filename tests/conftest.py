"""Shared fixtures: the real 2017 seed case book, parsed once, and a workspace holding it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

REPO = Path(__file__).resolve().parents[1]
SEED_NAME = "004_2e6d3bf8b3fb2223.txt"


def _find_seed() -> Path:
    candidates = [
        Path(os.environ["CASEKIT_SEED"]) if os.environ.get("CASEKIT_SEED") else None,
        REPO.parent / "shared" / "seeds" / SEED_NAME,
        REPO / "tests" / "data" / SEED_NAME,
    ]
    for candidate in candidates:
        if candidate is not None and candidate.is_file():
            return candidate
    raise FileNotFoundError(f"seed case book {SEED_NAME} not found beside the repo (../shared/seeds/)")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return _find_seed()


@pytest.fixture(scope="session")
def seed_cases(seed_path):  # type: ignore[no-untyped-def]
    from casekit.parse import parse_file

    return parse_file(seed_path)


@pytest.fixture(scope="session")
def seed_workspace(tmp_path_factory, seed_path):  # type: ignore[no-untyped-def]
    """A workspace with the seed book ingested (cases + metrics). Copy it before writing to it."""
    from casekit.pipeline import ingest
    from casekit.store import Workspace

    ws = Workspace(tmp_path_factory.mktemp("seed_ws") / "data")
    report = ingest([seed_path], ws)
    assert len(report.case_ids) == 9, report
    return ws


@pytest.fixture
def writable_seed_workspace(seed_workspace, tmp_path):  # type: ignore[no-untyped-def]
    """A private copy of the seeded workspace a test may change."""
    from casekit.store import Workspace

    target = tmp_path / "data"
    shutil.copytree(seed_workspace.root, target)
    return Workspace(target)


@pytest.fixture(scope="session")
def scored(tmp_path_factory, seed_workspace):  # type: ignore[no-untyped-def]
    """(helpers module, Workspace): seed cases + `<script>` case + 3 judges' scores, 1 abstention. Read-only."""
    from tests.views import _scored as helpers

    ws = helpers.copy_workspace(seed_workspace, tmp_path_factory.mktemp("scored") / "data")
    helpers.add_evil_case(ws)
    helpers.add_scores(ws)
    return helpers, ws


@pytest.fixture
def scored_copy(scored, tmp_path):  # type: ignore[no-untyped-def]
    """A private copy of the scored workspace a test may change."""
    helpers, ws = scored
    return helpers, helpers.copy_workspace(ws, tmp_path / "data")


@pytest.fixture(scope="session")
def rubric():  # type: ignore[no-untyped-def]
    """The 2017 competition rubric (rubrics/manifesto_2017.yaml)."""
    from casekit.rubric import load_rubric

    return load_rubric(REPO / "rubrics" / "manifesto_2017.yaml")


@pytest.fixture
def scored_workspace(writable_seed_workspace, rubric):  # type: ignore[no-untyped-def]
    """The seed workspace with the fixture judges and their scores imported; returns (workspace, store, report)."""
    from casekit.score.csv_io import import_judges_csv, import_scores_csv
    from casekit.score.store import ScoreStore
    from tests.score.score_paths import DATA

    ws = writable_seed_workspace
    store = ScoreStore(ws)
    import_judges_csv(store, DATA / "judges.csv")
    report = import_scores_csv(store, DATA / "scores.csv", rubric, cases=ws.load_cases())
    yield ws, store, report
    store.close()
