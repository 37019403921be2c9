"""Fixtures for the notebook tests (shared with tests/report): seed cases, a markup-titled case, judges' scores."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest


def load_scored_helpers():  # type: ignore[no-untyped-def]
    """tests/report/_scored.py, importable from any test folder (the test folders are not packages)."""
    path = Path(__file__).resolve().parents[1] / "report" / "_scored.py"
    spec = importlib.util.spec_from_file_location("casekit_test_scored", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


S = load_scored_helpers()


@pytest.fixture(scope="session")
def scored(tmp_path_factory, seed_workspace):  # type: ignore[no-untyped-def]
    """(helpers module, Workspace): seed cases + `<script>` case + 3 judges' scores, 1 abstention. Read-only."""
    ws = S.copy_workspace(seed_workspace, tmp_path_factory.mktemp("scored") / "data")
    S.add_evil_case(ws)
    S.add_scores(ws)
    return S, ws


@pytest.fixture
def scored_copy(scored, tmp_path):  # type: ignore[no-untyped-def]
    """A private copy of the scored workspace a test may change."""
    helpers, ws = scored
    return helpers, helpers.copy_workspace(ws, tmp_path / "data")
