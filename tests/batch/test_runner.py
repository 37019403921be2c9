"""The batch runner on tiny notebooks (tests/batch/tiny.py): sidecars, failures, resume, force, HTML, index, Dask."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from casekit.batch import ReportJob, read_sidecar, run_batch, run_jobs
from casekit.errors import BatchError
from tests.batch.tiny import SOURCE_MARKER, tiny_jobs, tiny_notebook

pytestmark = pytest.mark.slow  # every test here starts Jupyter kernels


def test_parallel_run_records_failures_and_finishes_the_rest(tmp_path) -> None:  # type: ignore[no-untyped-def]
    template = tiny_notebook(tmp_path / "tiny.ipynb")
    out = tmp_path / "out"
    result = run_jobs(tiny_jobs(template, out), out, parallel=2, progress=False)
    status = {r.name: r.status for r in result.runs}
    assert status == {"a": "ok", "b": "failed", "c": "ok"}
    assert not result.ok and [r.name for r in result.failed] == ["b"]
    assert (out / "a.txt").read_text() == "2" and (out / "c.txt").read_text() == "2"
    failed = read_sidecar(out, "b")
    assert failed is not None and failed.error is not None and "ValueError: boom in b" in failed.error
    assert failed.outputs["html"] == "b.html"  # the partial notebook is exported so the error can be read
    sidecar = json.loads((out / "a.run.json").read_text(encoding="utf-8"))
    assert sidecar["status"] == "ok" and sidecar["parameters"]["value"] == 1 and sidecar["duration_s"] > 0
    assert set(sidecar["outputs"]) >= {"ipynb", "html", "txt"}
    html = (out / "a.html").read_text(encoding="utf-8")
    assert "visible-output a 1" in html and SOURCE_MARKER not in html  # input cells hidden
    index = result.index_html.read_text(encoding="utf-8")
    assert index.count('href="a.html"') == 2 and "boom in b" in index and "failed: 1, ok: 2" in index


def test_resume_skips_finished_reruns_failed_and_changed_force_reruns_all(tmp_path) -> None:  # type: ignore[no-untyped-def]
    template = tiny_notebook(tmp_path / "tiny.ipynb")
    out = tmp_path / "out"
    run_jobs(tiny_jobs(template, out), out, progress=False)
    first_a = (out / "a.html").stat().st_mtime_ns
    again = run_jobs(tiny_jobs(template, out, fail="none"), out, progress=False)
    status = {r.name: r.status for r in again.runs}
    assert status == {"a": "skipped", "b": "ok", "c": "skipped"}  # b failed before: it runs again
    assert (out / "a.html").stat().st_mtime_ns == first_a
    assert "skipped (up to date)" in again.index_html.read_text(encoding="utf-8")
    (out / "c.html").unlink()  # an output went missing: c is not up to date any more
    changed = run_jobs(tiny_jobs(template, out, fail="none", value=5), out, progress=False)
    assert {r.name: r.status for r in changed.runs} == {"a": "ok", "b": "ok", "c": "ok"}  # parameters changed
    assert (out / "a.txt").read_text() == "10"
    moved = [
        ReportJob(j.name, j.notebook, j.parameters, j.title, inputs="new-scores")
        for j in tiny_jobs(template, out, fail="none", value=5)
    ]
    assert {r.status for r in run_jobs(moved, out, progress=False).runs} == {"ok"}  # inputs changed: re-run
    assert {r.status for r in run_jobs(moved, out, progress=False).runs} == {"skipped"}
    forced = run_jobs(tiny_jobs(template, out, fail="none", value=5), out, force=True, progress=False)
    assert {r.status for r in forced.runs} == {"ok"}
    assert (out / "a.html").stat().st_mtime_ns != first_a


def test_dask_local_cluster_runs_the_same_batch(tmp_path) -> None:  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("distributed")
    template = tiny_notebook(tmp_path / "tiny.ipynb")
    out = tmp_path / "out"
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        result = run_jobs(tiny_jobs(template, out), out, scheduler=cluster.scheduler_address, progress=False)
    assert {r.name: r.status for r in result.runs} == {"a": "ok", "b": "failed", "c": "ok"}
    assert (out / "c.txt").read_text() == "2" and (out / "c.run.json").exists()


def test_setup_errors_are_batch_errors(tmp_path, seed_workspace) -> None:  # type: ignore[no-untyped-def]
    template = tiny_notebook(tmp_path / "tiny.ipynb")
    twice = tiny_jobs(template, tmp_path) + tiny_jobs(template, tmp_path)[:1]
    with pytest.raises(BatchError, match="same files"):
        run_jobs(twice, tmp_path, progress=False)
    rubric = Path(__file__).resolve().parents[2] / "rubrics" / "manifesto_2017.yaml"
    with pytest.raises(BatchError, match="cannot split"):
        run_batch(rubric, seed_workspace, tmp_path / "r", by=("region",), progress=False)
    with pytest.raises(BatchError, match="rubric"):
        run_batch(tmp_path / "missing.yaml", seed_workspace, tmp_path / "r", progress=False)
    with pytest.raises(BatchError, match="no cases"):
        run_batch(rubric, tmp_path / "empty_ws", tmp_path / "r", progress=False)


def test_cli_reports_setup_errors_in_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "casekit",
            "batch",
            "--rubric",
            str(tmp_path / "nope.yaml"),
            "--workspace",
            str(tmp_path / "ws"),
            "--out",
            str(tmp_path / "r"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and proc.stderr.startswith("casekit: error:")
    assert "Traceback" not in proc.stderr
