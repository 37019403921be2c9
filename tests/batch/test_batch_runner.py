"""The papermill batch runner on tiny notebooks written here: sidecars, failures, resume, force, HTML, Dask."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from casekit.batch import ReportJob, read_sidecar, report_name, run_batch, run_jobs, slug
from casekit.errors import BatchError

pytestmark = pytest.mark.slow  # every test here starts Jupyter kernels

SOURCE_MARKER = "SOURCE_ONLY_MARKER"


def _notebook(path: Path) -> Path:
    """A notebook that writes `<out>/<name>.txt`, prints its parameters, and fails when told to."""
    nb = v4.new_notebook(
        cells=[
            v4.new_code_cell(
                'name = "x"\nout = "."\nfail = False\nvalue = 1', metadata={"tags": ["parameters"]}
            ),
            v4.new_code_cell(
                f"# {SOURCE_MARKER}\nfrom pathlib import Path\n"
                "if fail:\n    raise ValueError(f'boom in {name}')\n"
                "Path(out, name + '.txt').write_text(str(value * 2), encoding='utf-8')\n"
                "print('visible-output', name, value)"
            ),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.write(nb, path)
    return path


def _jobs(template: Path, out: Path, fail: str = "b", value: int = 1) -> list[ReportJob]:
    return [
        ReportJob(
            name=n,
            notebook=str(template),
            title=f"job {n}",
            parameters={"name": n, "out": str(out), "fail": n == fail, "value": value},
        )
        for n in ("a", "b", "c")
    ]


def test_parallel_run_records_failures_and_finishes_the_rest(tmp_path) -> None:  # type: ignore[no-untyped-def]
    template = _notebook(tmp_path / "tiny.ipynb")
    out = tmp_path / "out"
    result = run_jobs(_jobs(template, out), out, parallel=2, progress=False)
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
    template = _notebook(tmp_path / "tiny.ipynb")
    out = tmp_path / "out"
    run_jobs(_jobs(template, out), out, progress=False)
    first_a = (out / "a.html").stat().st_mtime_ns
    again = run_jobs(_jobs(template, out, fail="none"), out, progress=False)
    status = {r.name: r.status for r in again.runs}
    assert status == {"a": "skipped", "b": "ok", "c": "skipped"}  # b failed before: it runs again
    assert (out / "a.html").stat().st_mtime_ns == first_a
    assert "skipped (up to date)" in again.index_html.read_text(encoding="utf-8")
    (out / "c.html").unlink()  # an output went missing: c is not up to date any more
    changed = run_jobs(_jobs(template, out, fail="none", value=5), out, progress=False)
    assert {r.name: r.status for r in changed.runs} == {"a": "ok", "b": "ok", "c": "ok"}  # parameters changed
    assert (out / "a.txt").read_text() == "10"
    moved = [
        ReportJob(j.name, j.notebook, j.parameters, j.title, inputs="new-scores")
        for j in _jobs(template, out, fail="none", value=5)
    ]
    assert {r.status for r in run_jobs(moved, out, progress=False).runs} == {"ok"}  # inputs changed: re-run
    assert {r.status for r in run_jobs(moved, out, progress=False).runs} == {"skipped"}
    forced = run_jobs(_jobs(template, out, fail="none", value=5), out, force=True, progress=False)
    assert {r.status for r in forced.runs} == {"ok"}
    assert (out / "a.html").stat().st_mtime_ns != first_a


def test_a_failed_rerun_removes_stale_outputs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    template = _notebook(tmp_path / "tiny.ipynb")
    out = tmp_path / "out"
    run_jobs(_jobs(template, out, fail="none"), out, progress=False)
    assert (out / "a.txt").exists()
    broken = run_jobs(_jobs(template, out, fail="a", value=3), out, progress=False)
    assert {r.name: r.status for r in broken.runs}["a"] == "failed"
    assert not (out / "a.txt").exists()  # the old result is not left looking current


def test_dask_local_cluster_runs_the_same_batch(tmp_path) -> None:  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("distributed")
    template = _notebook(tmp_path / "tiny.ipynb")
    out = tmp_path / "out"
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        result = run_jobs(_jobs(template, out), out, scheduler=cluster.scheduler_address, progress=False)
    assert {r.name: r.status for r in result.runs} == {"a": "ok", "b": "failed", "c": "ok"}
    assert (out / "c.txt").read_text() == "2" and (out / "c.run.json").exists()


def test_setup_errors_are_batch_errors(tmp_path, seed_workspace) -> None:  # type: ignore[no-untyped-def]
    template = _notebook(tmp_path / "tiny.ipynb")
    twice = _jobs(template, tmp_path) + _jobs(template, tmp_path)[:1]
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


def test_report_names_keep_hangul_and_are_file_safe() -> None:
    assert (
        report_name("ranking_report", {"field": "사회적경제", "group": "시"})
        == "ranking_report__사회적경제__시"
    )
    assert report_name("ranking_report", {"field": None, "group": "구"}) == "ranking_report__전체__구"
    assert slug("도시/재생 분야") == "도시-재생-분야" and slug("../..") == "x"


def test_grid_follows_the_cases_and_names_cases_it_cannot_place(writable_seed_workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from casekit.batch import ranking_jobs

    ws = writable_seed_workspace
    rubric = Path(__file__).resolve().parents[2] / "rubrics" / "manifesto_2017.yaml"
    lost = ws.case_ids()[0]
    data = json.loads(ws.case_path(lost).read_text(encoding="utf-8"))
    data["field"] = None
    ws.case_path(lost).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    jobs, notes = ranking_jobs(rubric, ws, tmp_path / "out", ("field", "group"), extras=())
    assert [j.name for j in jobs] == ["ranking_report__사회적경제__시"]
    assert "(8건)" in jobs[0].title and jobs[0].parameters["workspace"] == str(ws.root.resolve())
    assert len(notes) == 1 and lost in notes[0] and "분야/구분" in notes[0]
    whole, _ = ranking_jobs(rubric, ws, tmp_path / "out", (), extras=("themes", "search"))
    assert [j.name for j in whole] == ["ranking_report__전체__전체", "themes", "search_similar"]
    assert whole[0].parameters["field"] is None and "(9건)" in whole[0].title


def test_inputs_digest_follows_scores_and_rubric_not_noise(writable_seed_workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from casekit.batch import inputs_digest
    from casekit.rubric import load_rubric
    from casekit.score.store import ScoreStore

    ws = writable_seed_workspace
    rubric = tmp_path / "r.yaml"
    rubric.write_bytes((Path(__file__).resolve().parents[2] / "rubrics" / "manifesto_2017.yaml").read_bytes())
    first = inputs_digest(ws, rubric)
    cases_only = inputs_digest(ws, rubric, scores=False)
    assert inputs_digest(ws, rubric) == first  # stable when nothing changed
    with ScoreStore(ws) as store:
        store.add_judge("E1")
        store.save_score("E1", ws.case_ids()[0], "fit", 10, rubric=load_rubric(rubric))
    scored = inputs_digest(ws, rubric)
    assert scored != first and inputs_digest(ws, rubric, scores=False) == cases_only  # themes need not re-run
    rubric.write_text(rubric.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert inputs_digest(ws, rubric) != scored
