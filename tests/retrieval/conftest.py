"""A private copy of the seeded workspace for this package's read-mostly tests (searching writes an index)."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="module")
def search_workspace(seed_workspace, tmp_path_factory):  # type: ignore[no-untyped-def]
    from casekit.store import Workspace

    target = tmp_path_factory.mktemp("search_ws") / "data"
    shutil.copytree(seed_workspace.root, target)
    return Workspace(target)
