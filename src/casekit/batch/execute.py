"""One notebook run: papermill executes a `ReportJob`, nbconvert exports it to HTML, a sidecar records it.

`execute_job` is what a worker process (or a Dask worker) calls, so everything it needs travels in the job
and it never raises: a failing notebook is recorded with its error, and its partial notebook is still
exported so the error can be read in the browser. Every run leaves a JSON sidecar `<name>.run.json` next to
its outputs (parameters, status, duration, error, outputs relative to `out_dir`); the index page, the tests
and a resumed batch read those, never the notebooks. Executed notebooks are exported with input cells
hidden: organizers see tables and figures, not code.

papermill, nbformat and nbconvert are imported where a notebook is run or exported: they take seconds to
load, and the parent process of a batch only plans and collects.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import time
import traceback
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from casekit.store import atomic_write_text

from .jobs import ReportJob
from .kernels import (
    ENGINE_NAME,
    KERNEL_ARGUMENTS,
    KERNEL_NAME,
    KernelError,
    current_session,
    kernel_environment,
)

SIDECAR_SUFFIX = ".run.json"
DEFAULT_TIMEOUT = 900


@dataclass
class RunRecord:
    """What one run did; stored as the JSON sidecar `<name>.run.json`."""

    name: str
    notebook: str  # template stem, e.g. "ranking_report"
    title: str
    parameters: dict[str, Any]
    status: str  # "ok", "failed" or "skipped" (up to date from an earlier run)
    started: str = ""
    duration_s: float | None = None
    error: str | None = None
    outputs: dict[str, str] = field(default_factory=dict)  # kind → path relative to out_dir
    host: str = ""
    inputs: str = ""  # the job's input digest when it ran

    @classmethod
    def failed(cls, job: ReportJob, **values: Any) -> RunRecord:
        """The record of `job` before it has run (or when it could not): status failed until told otherwise."""
        return cls(
            name=job.name,
            notebook=Path(job.notebook).stem,
            title=job.title or job.name,
            parameters=dict(job.parameters),
            status="failed",
            inputs=job.inputs,
            **values,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunRecord:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})


# -- sidecars and outputs --------------------------------------------------------------------------


def sidecar_path(out_dir: Path, name: str) -> Path:
    return out_dir / f"{name}{SIDECAR_SUFFIX}"


def write_sidecar(out_dir: Path, record: RunRecord, *, indent: int | None = 1) -> None:
    """Store `record` as its sidecar (a run's sidecar is indented; a dead worker's is one line)."""
    atomic_write_text(
        sidecar_path(out_dir, record.name),
        json.dumps(record.to_dict(), ensure_ascii=False, indent=indent) + "\n",
    )


def read_sidecar(out_dir: Path, name: str) -> RunRecord | None:
    path = sidecar_path(out_dir, name)
    if not path.is_file():
        return None
    try:
        return RunRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError):
        return None  # a damaged sidecar means "not done": the job runs again


def glob_escape(text: str) -> str:
    return re.sub(r"([\[\]*?])", r"[\1]", text)


def _outputs(out_dir: Path, name: str) -> dict[str, str]:
    """Files the run left, by kind: <name>.ipynb/.html/.xlsx/… (not the sidecar) and <name>_files/ figures."""
    found: dict[str, str] = {}
    for path in sorted(out_dir.glob(f"{glob_escape(name)}.*")):
        if path.name.endswith(SIDECAR_SUFFIX) or path.name.startswith("."):
            continue
        kind = path.name[len(name) + 1 :]  # "html", "xlsx", "summary.json" …
        found[kind] = path.name
    figures = out_dir / f"{name}_files"
    if figures.is_dir():
        found["figures"] = figures.name + "/"
    return found


def _clear_outputs(out_dir: Path, name: str) -> None:
    """Remove an earlier run's files so a failed re-run never leaves stale reports looking current."""
    for path in out_dir.glob(f"{glob_escape(name)}.*"):
        if path.is_file():
            path.unlink()
    shutil.rmtree(out_dir / f"{name}_files", ignore_errors=True)


# -- running ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def html_exporter() -> Any:
    """The process's HTML exporter (code cells and prompts hidden), made once: building one and compiling
    its templates costs more than a report's export itself (0.7 s against 0.2–0.4 s, measured)."""
    # Jupyter's execution and export machinery (papermill, nbconvert) takes ~1.4 s to import: only the process
    # that runs a notebook loads it, not the pool's parent nor `casekit run --no-batch`.
    from nbconvert import HTMLExporter

    return HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)


def export_html(notebook_path: Path, html_path: Path, title: str = "") -> None:
    """Executed notebook → standalone HTML with code cells and prompts hidden."""
    import nbformat

    nb = nbformat.read(notebook_path, as_version=4)
    if title:
        nb.metadata["title"] = title
    body, _ = html_exporter().from_notebook_node(nb)
    atomic_write_text(html_path, body)


def error_text(exc: BaseException) -> str:
    """One line for the index: a notebook's exception with its cell, else the exception itself."""
    ename = getattr(exc, "ename", None)
    evalue = getattr(exc, "evalue", None)
    if ename:
        cell = getattr(exc, "exec_count", None)
        where = f" (cell [{cell}])" if cell is not None else ""
        return f"{ename}: {evalue}{where}"
    return f"{type(exc).__name__}: {exc}"


def execute_job(
    job: ReportJob,
    out_dir: str | os.PathLike[str],
    timeout: int | None = DEFAULT_TIMEOUT,
    kernel_name: str = KERNEL_NAME,
) -> RunRecord:
    """Execute one notebook with papermill, export it to HTML and write its sidecar. Never raises.

    Runs in a worker process (or a Dask worker); everything it needs travels in `job`.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    record = RunRecord.failed(job, started=started, host=socket.gethostname())
    _clear_outputs(out, job.name)
    ipynb = out / f"{job.name}.ipynb"
    session = current_session() if kernel_name == KERNEL_NAME else None
    try:
        import papermill

        engine: dict[str, Any] = {}
        if session is not None:
            try:
                engine = {"engine_name": ENGINE_NAME, "km": session.prepare()}
            except KernelError:
                session = None  # this notebook starts a kernel of its own
        with kernel_environment():
            papermill.execute_notebook(
                job.notebook,
                str(ipynb),
                parameters=dict(job.parameters),
                kernel_name=kernel_name,
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                execution_timeout=timeout,
                extra_arguments=list(KERNEL_ARGUMENTS),
                **engine,
            )
        record.status = "ok"
    except Exception as exc:  # noqa: BLE001  (a failing notebook is data for the index, not a crash)
        record.error = error_text(exc)
        if not getattr(exc, "ename", None):
            record.error += "\n" + "".join(traceback.format_exception_only(type(exc), exc)).strip()
        if session is not None:
            session.discard()  # a failed or timed-out notebook may leave the kernel busy: the next gets a new one
    if ipynb.is_file():
        try:
            export_html(ipynb, out / f"{job.name}.html", title=record.title)
        except Exception as exc:  # noqa: BLE001
            record.status = "failed"
            record.error = (
                record.error + "\n" if record.error else ""
            ) + f"HTML export failed: {error_text(exc)}"
    record.duration_s = round(time.perf_counter() - t0, 3)
    record.outputs = _outputs(out, job.name)
    write_sidecar(out, record)
    return record
