"""Kept kernels: notebook after notebook in one kernel, each seeing a fresh namespace; a failure gets a new one."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from casekit.batch import ReportJob, run_jobs
from casekit.batch.execute import execute_job
from casekit.batch.kernels import session_in_process
from casekit.batch.runner import NOTEBOOKS_PER_WORKER, workers_for

pytestmark = pytest.mark.slow  # starts Jupyter kernels


def probe_notebook(path: Path) -> Path:
    """Writes what the kernel looked like when it ran: its pid, leftovers of an earlier notebook, warnings."""
    nb = v4.new_notebook(
        cells=[
            v4.new_code_cell('name = "x"\nout = "."\nfail = False', metadata={"tags": ["parameters"]}),
            v4.new_code_cell(
                "import json, os, warnings\n"
                "import matplotlib.pyplot as plt\n"
                "seen = {'pid': os.getpid(), 'leftover': 'secret' in globals(),\n"
                "        'figures': len(plt.get_fignums())}\n"
                "with warnings.catch_warnings(record=True) as caught:\n"
                "    warnings.simplefilter('default')\n"
                "    warnings.warn('probe warning', UserWarning)\n"
                "seen['warned'] = len(caught)\n"
                "secret = 42\n"
                "plt.figure()\n"
                "open(os.path.join(out, name + '.json'), 'w').write(json.dumps(seen))\n"
                "if fail:\n    raise RuntimeError('probe failed on purpose')"
            ),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(nb, path)
    return path


def _job(template: Path, out: Path, name: str, fail: bool = False) -> ReportJob:
    return ReportJob(name, str(template), {"name": name, "out": str(out), "fail": fail}, title=name)


def _seen(out: Path, name: str) -> dict[str, object]:
    return json.loads((out / f"{name}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_notebooks_share_a_kernel_but_not_its_state(tmp_path: Path) -> None:
    template = probe_notebook(tmp_path / "probe.ipynb")
    out = tmp_path / "out"
    out.mkdir()
    with session_in_process():
        records = [execute_job(_job(template, out, n), out) for n in ("first", "second", "third")]
    assert [r.status for r in records] == ["ok", "ok", "ok"]
    first, second, third = (_seen(out, n) for n in ("first", "second", "third"))
    assert first["pid"] == second["pid"] == third["pid"]  # one kernel for all three
    # ... and each notebook saw what a fresh kernel shows: no variable, no open figure of the one before
    assert [s["leftover"] for s in (first, second, third)] == [False, False, False]
    assert [s["figures"] for s in (first, second, third)] == [0, 0, 0]
    assert [s["warned"] for s in (first, second, third)] == [1, 1, 1]
    for name in ("first", "third"):  # execution counts start at 1, as in a fresh kernel, with no error
        nb = nbformat.read(out / f"{name}.ipynb", as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
        assert not [o for c in code for o in c.outputs if o.get("output_type") in ("error", "stream")]


def test_a_failed_notebook_gets_its_kernel_replaced(tmp_path: Path) -> None:
    template = probe_notebook(tmp_path / "probe.ipynb")
    out = tmp_path / "out"
    out.mkdir()
    with session_in_process() as session:
        ok = execute_job(_job(template, out, "before"), out)
        failed = execute_job(_job(template, out, "broken", fail=True), out)
        assert session.km is None  # discarded: its state after a failure is not trusted
        after = execute_job(_job(template, out, "after"), out)
    assert (ok.status, failed.status, after.status) == ("ok", "failed", "ok")
    assert failed.error is not None and "probe failed on purpose" in failed.error
    assert _seen(out, "before")["pid"] == _seen(out, "broken")["pid"] != _seen(out, "after")["pid"]


def test_pool_workers_keep_their_kernels(tmp_path: Path) -> None:
    template = probe_notebook(tmp_path / "probe.ipynb")
    out = tmp_path / "out"
    names = [f"n{i}" for i in range(2 * NOTEBOOKS_PER_WORKER)]
    result = run_jobs([_job(template, out, n) for n in names], out, parallel=2, progress=False)
    assert result.ok
    pids = {_seen(out, n)["pid"] for n in names}
    assert len(pids) == 2  # two workers, one kernel each, for eight notebooks
    assert not any(_seen(out, n)["leftover"] for n in names)


def test_worker_count_follows_the_notebooks() -> None:
    assert [workers_for(n, 2) for n in (1, 2, 3, 4, 7, 8, 16)] == [1, 1, 1, 1, 1, 2, 2]
    assert workers_for(16, 1) == 1 and workers_for(40, 4) == 4
