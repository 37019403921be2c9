"""Indicators of the seed book, classified once per session (Kiwi loads once)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def seed_indicators(seed_workspace):  # type: ignore[no-untyped-def]
    from casekit.outcomes import workspace_indicators

    return workspace_indicators(seed_workspace)
