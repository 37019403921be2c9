"""One notebook run: a failed re-run leaves no stale outputs behind (tiny notebooks, tests/batch/tiny.py)."""

from __future__ import annotations

import pytest

from casekit.batch import run_jobs
from tests.batch.tiny import tiny_jobs, tiny_notebook

pytestmark = pytest.mark.slow  # starts Jupyter kernels


def test_a_failed_rerun_removes_stale_outputs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    template = tiny_notebook(tmp_path / "tiny.ipynb")
    out = tmp_path / "out"
    run_jobs(tiny_jobs(template, out, fail="none"), out, progress=False)
    assert (out / "a.txt").exists()
    broken = run_jobs(tiny_jobs(template, out, fail="a", value=3), out, progress=False)
    assert {r.name: r.status for r in broken.runs}["a"] == "failed"
    assert not (out / "a.txt").exists()  # the old result is not left looking current
