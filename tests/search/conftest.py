"""The labelled cases of the query set: the seed book plus the realdocs pages, built once a session."""

from __future__ import annotations

import pytest

from tests.search.realdocs import realdoc_cases


@pytest.fixture(scope="session")
def labelled_cases(seed_cases):  # type: ignore[no-untyped-def]
    extra = realdoc_cases()
    if not extra:
        pytest.skip("../shared/realdocs/ is not beside the repo")
    return list(seed_cases) + extra
