"""Fixtures of the theme tests: the 20-case corpus of five known 분야, built once per module."""

from __future__ import annotations

import pytest

from tests.themes.themes_corpus import build_cases


@pytest.fixture(scope="module")
def corpus_cases():  # type: ignore[no-untyped-def]
    return build_cases()
