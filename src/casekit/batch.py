"""Papermill batches: one executed notebook per parameter set, in parallel processes, resumable.

Public API::

    run_batch(rubric, workspace, out_dir, by=("field", "group"), jobs=1, force=False,
              scheduler=None, extras=("themes",)) -> BatchResult
    ranking_jobs(rubric, workspace, out_dir, by=...) -> (list[ReportJob], notes)
    run_jobs(jobs, out_dir, parallel=1, force=False, scheduler=None) -> BatchResult
    execute_job(job, out_dir) -> RunRecord        # one notebook: papermill → .ipynb, .html, sidecar

Why processes and not threads: papermill changes the working directory and runs its own event loop, so two
executions in one process interfere. Each job runs in its own worker process (a `ProcessPoolExecutor` with
the spawn start method, so a parent that already loaded torch or Kiwi is not forked), or on a Dask cluster
when `scheduler` is given (an address, or a `distributed.Client`). Dask is optional: nobody needs a cluster.

Every run leaves a JSON sidecar `<name>.run.json` next to its outputs (parameters, status, duration, error,
outputs relative to `out_dir`): `index.html`, the tests and a resumed batch read those, never the notebooks.
A job whose sidecar says "ok" with the same parameters and input digest (rubric, cases, metrics, judges'
scores: see `inputs_digest`) and whose outputs still exist is skipped unless `force`; a failing notebook
is recorded with its error (and its partial notebook exported, so the error can be read in the browser)
while the other jobs finish. Executed notebooks are exported to HTML with input
cells hidden: organizers see tables and figures, not code.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import sys
import time
import traceback
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from casekit.errors import BatchError, CasekitError
from casekit.store import Workspace, atomic_write_text

SIDECAR_SUFFIX = ".run.json"
RANK_KEYS = ("field", "group")
DEFAULT_TIMEOUT = 900
KERNEL_NAME = "python3"
#: Korean names of the keys reports are split by, for titles.
KEY_LABELS = {"field": "분야", "group": "구분"}
ALL_LABEL = "전체"


@dataclass(frozen=True)
class ReportJob:
    """One notebook to execute: which template, with which parameters, written under which name."""

    name: str  # output stem, unique in the batch: <name>.ipynb, <name>.html, <name>.run.json, <name>.xlsx …
    notebook: str  # path of the template notebook
    parameters: dict[str, Any]
    title: str = ""
    inputs: str = ""  # digest of what the notebook reads (see `inputs_digest`): a change makes it run again


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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunRecord:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class BatchResult:
    """The batch as a whole: every run's record, the index page, and notes the organizer must read."""

    out_dir: Path
    index_html: Path
    runs: list[RunRecord]
    notes: list[str] = field(default_factory=list)
    wall_s: float = 0.0

    @property
    def failed(self) -> list[RunRecord]:
        return [r for r in self.runs if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for run in self.runs:
            out[run.status] = out.get(run.status, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "out_dir": str(self.out_dir),
            "index_html": str(self.index_html),
            "counts": self.counts(),
            "wall_s": round(self.wall_s, 2),
            "notes": list(self.notes),
            "runs": [r.to_dict() for r in self.runs],
        }


# -- notebooks -------------------------------------------------------------------------------------


def notebook_dir() -> Path:
    """The folder of template notebooks: the repository's `notebooks/`, else generated ones in a cache.

    A source checkout uses `notebooks/` (what the judge opens in JupyterLab is what the batch runs); an
    installed wheel has no `notebooks/`, so the same notebooks are generated from
    `casekit.views.notebooks` into a per-version folder.
    """
    repo = Path(__file__).resolve().parents[2] / "notebooks"
    if (repo / "ranking_report.ipynb").is_file():
        return repo
    from casekit import __version__
    from casekit.views.notebooks import write_notebooks

    cache = (
        Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        / "casekit"
        / f"notebooks-{__version__}"
    )
    if not (cache / "ranking_report.ipynb").is_file():
        write_notebooks(cache)
    return cache


def slug(value: Any) -> str:
    """A file-name-safe piece that keeps Hangul readable: 사회적경제 stays, '/' and spaces become '-'."""
    text = ALL_LABEL if value is None else str(value)
    text = re.sub(r"[^\w가-힣.]+", "-", text, flags=re.UNICODE).strip("-.")
    return text or "x"


def report_name(notebook: str, values: dict[str, Any]) -> str:
    """Stem of a report's files, e.g. ``ranking_report__사회적경제__시``; the notebooks use it too."""
    return "__".join([notebook] + [slug(values.get(key)) for key in sorted(values)])


# -- the grid --------------------------------------------------------------------------------------


def inputs_digest(workspace: Workspace, rubric: Path | None = None, *, scores: bool = True) -> str:
    """A digest of what the reports read, so a resumed batch re-runs a report whose inputs changed.

    Covers the rubric file's bytes, every case file (name, size, mtime: re-ingesting the same bytes leaves
    them untouched), metrics.jsonl, and — with `scores` — the judges' scores, exclusions and judges'
    affiliations read from the score store. Without this, re-running the batch after judges saved new
    scores would skip every report as "up to date" and show the old ranking.
    """
    import hashlib
    import sqlite3

    digest = hashlib.sha256()
    if rubric is not None and rubric.is_file():
        digest.update(rubric.read_bytes())
    for path in sorted(workspace.cases_dir.glob("*.json")) if workspace.cases_dir.is_dir() else []:
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    if workspace.metrics_path.is_file():
        stat = workspace.metrics_path.stat()
        digest.update(f"metrics:{stat.st_size}:{stat.st_mtime_ns};".encode())
    if scores and workspace.scores_db.is_file():
        try:
            conn = sqlite3.connect(f"file:{workspace.scores_db.resolve()}?mode=ro", uri=True)
            try:
                for table in ("scores", "exclusions", "judges"):
                    for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3"):
                        digest.update(repr(row).encode())
            finally:
                conn.close()
        except sqlite3.Error as exc:  # unreadable now: never "up to date" by accident
            digest.update(f"scores-unreadable:{exc}:{time.time_ns()}".encode())
    return digest.hexdigest()[:16]


def ranking_grid(workspace: Workspace, by: Sequence[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Every combination of `by` values the workspace's cases hold, with the count of cases in each.

    Cases missing a key's value (no 분야 recognised, say) cannot be ranked within that key; they are counted
    and named in a note rather than silently dropped or lumped together.
    """
    unknown = [key for key in by if key not in RANK_KEYS]
    if unknown:
        raise BatchError(f"cannot split reports by {unknown}: choose from {list(RANK_KEYS)}")
    cases = workspace.load_cases()
    counts: dict[tuple[Any, ...], int] = {}
    missing: list[str] = []
    for case in cases:
        values = tuple(getattr(case, key) for key in by)
        if any(v in (None, "") for v in values):
            missing.append(case.id)
            continue
        counts[values] = counts.get(values, 0) + 1
    notes = []
    if missing:
        shown = ", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
        keys = "/".join(KEY_LABELS.get(k, k) for k in by)
        notes.append(f"{len(missing)} case(s) have no {keys} and appear in no ranking report: {shown}")
    grid = [
        dict(zip(by, values), n_cases=n) for values, n in sorted(counts.items(), key=lambda kv: str(kv[0]))
    ]
    return grid, notes


def ranking_jobs(
    rubric: str | os.PathLike[str],
    workspace: Workspace | str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    by: Sequence[str] = RANK_KEYS,
    *,
    templates: Path | None = None,
    extras: Sequence[str] = ("themes",),
) -> tuple[list[ReportJob], list[str]]:
    """The batch's jobs: one ranking report per `by` combination, plus `extras` run once (themes)."""
    ws = Workspace.resolve(workspace)
    rubric_path = Path(rubric).resolve()
    if not rubric_path.is_file():
        raise BatchError(f"rubric {rubric} not found")
    templates = templates or notebook_dir()
    out = Path(out_dir).resolve()
    root = str(ws.root.resolve())
    grid, notes = ranking_grid(ws, by)
    with_scores = inputs_digest(ws, rubric_path)
    cases_only = inputs_digest(ws, None, scores=False)
    jobs = []
    for cell in grid:
        values = {key: cell.get(key) for key in RANK_KEYS}
        title_bits = [
            f"{KEY_LABELS[k]} {values[k] if values[k] is not None else ALL_LABEL}" for k in RANK_KEYS
        ]
        jobs.append(
            ReportJob(
                name=report_name("ranking_report", values),
                notebook=str(templates / "ranking_report.ipynb"),
                parameters={
                    "rubric": str(rubric_path),
                    "field": values["field"],
                    "group": values["group"],
                    "workspace": root,
                    "output_dir": str(out),
                },
                title=f"순위 보고서 ranking — {' · '.join(title_bits)} ({cell['n_cases']}건)",
                inputs=with_scores,
            )
        )
    for extra in extras:
        if extra == "themes":
            jobs.append(
                ReportJob(
                    name="themes",
                    notebook=str(templates / "themes.ipynb"),
                    parameters={
                        "k": None,
                        "method": "kmeans",
                        "level": "case",
                        "workspace": root,
                        "output_dir": str(out),
                    },
                    title="주제 지도 themes",
                    inputs=cases_only,
                )
            )
        elif extra == "search":
            jobs.append(
                ReportJob(
                    name="search_similar",
                    notebook=str(templates / "search_similar.ipynb"),
                    parameters={
                        "query": None,
                        "case_id": None,
                        "top_k": 10,
                        "field": None,
                        "region": None,
                        "workspace": root,
                    },
                    title="유사 사례 similar cases",
                    inputs=cases_only,
                )
            )
        else:
            raise BatchError(f"unknown extra report {extra!r}: choose from ['themes', 'search']")
    return jobs, notes


# -- one run ---------------------------------------------------------------------------------------


def _sidecar(out_dir: Path, name: str) -> Path:
    return out_dir / f"{name}{SIDECAR_SUFFIX}"


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


def glob_escape(text: str) -> str:
    return re.sub(r"([\[\]*?])", r"[\1]", text)


def _clear_outputs(out_dir: Path, name: str) -> None:
    """Remove an earlier run's files so a failed re-run never leaves stale reports looking current."""
    import shutil

    for path in out_dir.glob(f"{glob_escape(name)}.*"):
        if path.is_file():
            path.unlink()
    shutil.rmtree(out_dir / f"{name}_files", ignore_errors=True)


def export_html(notebook_path: Path, html_path: Path, title: str = "") -> None:
    """Executed notebook → standalone HTML with code cells and prompts hidden."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook_path, as_version=4)
    if title:
        nb.metadata["title"] = title
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    atomic_write_text(html_path, body)


def _error_text(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    evalue = getattr(exc, "evalue", None)
    if ename:
        cell = getattr(exc, "exec_count", None)
        where = f" (cell [{cell}])" if cell is not None else ""
        return f"{ename}: {evalue}{where}"
    return f"{type(exc).__name__}: {exc}"


@contextmanager
def _kernel_environment() -> Iterator[None]:
    """Environment the kernel inherits: offline Hugging Face (reports never download a model), no debugger
    noise, no widgets (headless). Restored afterwards, so running a batch in-process does not change the caller's environment."""
    from casekit.report.display import HEADLESS_ENV

    wanted = {"HF_HUB_OFFLINE": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1", HEADLESS_ENV: "1"}
    saved = {key: os.environ.get(key) for key in wanted}
    for key, value in wanted.items():
        os.environ.setdefault(key, value)
    try:
        yield
    finally:
        for key, before in saved.items():
            if before is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = before


def execute_job(
    job: ReportJob,
    out_dir: str | os.PathLike[str],
    timeout: int | None = DEFAULT_TIMEOUT,
    kernel_name: str = KERNEL_NAME,
) -> RunRecord:
    """Execute one notebook with papermill, export it to HTML and write its sidecar. Never raises.

    Runs in a worker process (or a Dask worker); everything it needs travels in `job`.
    """
    import socket

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    record = RunRecord(
        name=job.name,
        notebook=Path(job.notebook).stem,
        title=job.title or job.name,
        parameters=dict(job.parameters),
        status="failed",
        started=started,
        host=socket.gethostname(),
        inputs=job.inputs,
    )
    _clear_outputs(out, job.name)
    ipynb = out / f"{job.name}.ipynb"
    try:
        import papermill

        with _kernel_environment():
            papermill.execute_notebook(
                job.notebook,
                str(ipynb),
                parameters=dict(job.parameters),
                kernel_name=kernel_name,
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                execution_timeout=timeout,
                # The kernel logs a warning about plain-TCP sockets at every start; to an organizer
                # that is noise between the progress lines, so the kernel only reports errors.
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
            )
        record.status = "ok"
    except Exception as exc:  # noqa: BLE001  (a failing notebook is data for the index, not a crash)
        record.error = _error_text(exc)
        if not getattr(exc, "ename", None):
            record.error += "\n" + "".join(traceback.format_exception_only(type(exc), exc)).strip()
    if ipynb.is_file():
        try:
            export_html(ipynb, out / f"{job.name}.html", title=record.title)
        except Exception as exc:  # noqa: BLE001
            record.status = "failed"
            record.error = (
                record.error + "\n" if record.error else ""
            ) + f"HTML export failed: {_error_text(exc)}"
    record.duration_s = round(time.perf_counter() - t0, 3)
    record.outputs = _outputs(out, job.name)
    atomic_write_text(
        _sidecar(out, job.name), json.dumps(record.to_dict(), ensure_ascii=False, indent=1) + "\n"
    )
    return record


def read_sidecar(out_dir: Path, name: str) -> RunRecord | None:
    path = _sidecar(out_dir, name)
    if not path.is_file():
        return None
    try:
        return RunRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError):
        return None  # a damaged sidecar means "not done": the job runs again


def _up_to_date(out_dir: Path, job: ReportJob) -> RunRecord | None:
    record = read_sidecar(out_dir, job.name)
    if record is None or record.status not in ("ok", "skipped") or record.parameters != job.parameters:
        return None
    if record.inputs != job.inputs:  # new scores, re-ingested cases or an edited rubric
        return None
    if not record.outputs or not all((out_dir / p).exists() for p in record.outputs.values()):
        return None
    record.status = "skipped"
    return record


# -- the batch -------------------------------------------------------------------------------------


def _progress(total: int, enabled: bool) -> Any:
    from tqdm.auto import tqdm

    return tqdm(
        total=total, desc="casekit batch", unit="report", disable=not enabled or total == 0, file=sys.stderr
    )


def run_jobs(
    jobs: Sequence[ReportJob],
    out_dir: str | os.PathLike[str],
    *,
    parallel: int = 1,
    force: bool = False,
    scheduler: Any = None,
    timeout: int | None = DEFAULT_TIMEOUT,
    progress: bool = True,
    notes: Sequence[str] = (),
    title: str | None = None,
    phases: Sequence[Sequence[ReportJob]] | None = None,
) -> BatchResult:
    """Execute `jobs` (skipping up-to-date ones unless `force`), write every sidecar and `index.html`.

    `phases` splits the jobs into groups run one after another (each group in parallel); by default one group.
    """
    t0 = time.perf_counter()
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    names = [job.name for job in jobs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise BatchError(f"two jobs would write the same files: {duplicates}")
    records: dict[str, RunRecord] = {}
    pending: list[ReportJob] = []
    for job in jobs:
        done = None if force else _up_to_date(out, job)
        if done is not None:
            records[job.name] = done
        else:
            pending.append(job)
    groups = [list(g) for g in phases] if phases is not None else [list(jobs)]
    waiting = {job.name for job in pending}
    bar = _progress(len(pending), progress)
    try:
        for group in groups:
            todo = [job for job in group if job.name in waiting]
            for record in _execute(todo, out, parallel, scheduler, timeout):
                records[record.name] = record
                bar.update(1)
                if record.status == "failed":
                    bar.write(f"casekit: report {record.name} failed: {(record.error or '').splitlines()[0]}")
    finally:
        bar.close()
    missing = [job.name for job in jobs if job.name not in records]
    if missing:
        raise BatchError(f"jobs not in any phase: {missing}")
    runs = [records[job.name] for job in jobs]
    index = write_index(out, runs, notes=notes, title=title)
    return BatchResult(
        out_dir=out, index_html=index, runs=runs, notes=list(notes), wall_s=time.perf_counter() - t0
    )


def _failed(job: ReportJob, error: str) -> RunRecord:
    return RunRecord(
        name=job.name,
        notebook=Path(job.notebook).stem,
        title=job.title or job.name,
        parameters=dict(job.parameters),
        status="failed",
        error=error,
        inputs=job.inputs,
    )


def _execute(
    jobs: Sequence[ReportJob], out: Path, parallel: int, scheduler: Any, timeout: int | None
) -> Iterable[RunRecord]:
    if not jobs:
        return
    if scheduler is not None:
        yield from _execute_dask(jobs, out, scheduler, timeout)
        return
    if parallel <= 1:
        for job in jobs:
            yield execute_job(job, out, timeout)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(parallel, len(jobs)), mp_context=context) as pool:
        futures = {pool.submit(execute_job, job, str(out), timeout): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001  (a worker died: record it, keep the others)
                record = _failed(job, f"worker process failed: {_error_text(exc)}")
                atomic_write_text(
                    _sidecar(out, job.name), json.dumps(record.to_dict(), ensure_ascii=False) + "\n"
                )
                yield record


def _execute_dask(
    jobs: Sequence[ReportJob], out: Path, scheduler: Any, timeout: int | None
) -> Iterable[RunRecord]:
    """The same jobs on a Dask cluster; `out` must be on a file system the workers share."""
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError as exc:
        raise BatchError("--scheduler needs dask.distributed: pip install 'casekit[dask]'") from exc
    own = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler, timeout="20s") if own else scheduler
    except (OSError, TimeoutError, ValueError) as exc:
        raise BatchError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    try:
        futures = {
            client.submit(
                execute_job, job, str(out), timeout, pure=False, key=f"casekit-{job.name}-{time.time_ns()}"
            ): job
            for job in jobs
        }
        for future in dask_completed(list(futures)):
            job = futures[future]
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001
                record = _failed(job, f"dask task failed: {_error_text(exc)}")
                atomic_write_text(
                    _sidecar(out, job.name), json.dumps(record.to_dict(), ensure_ascii=False) + "\n"
                )
                yield record
    finally:
        if own:
            client.close()


def write_index(
    out_dir: Path, runs: Sequence[RunRecord], *, notes: Sequence[str] = (), title: str | None = None
) -> Path:
    """`out_dir/index.html`: every report with its status, time, links and error (see report.html)."""
    from casekit.report.html import index_page

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    entries = []
    for run in runs:
        entry = run.to_dict()
        summary = run.outputs.get("summary.json")
        if summary and run.status in ("ok", "skipped"):
            try:
                entry["summary"] = json.loads((out_dir / summary).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                pass  # the index still links the report; the winners column stays empty
        entries.append(entry)
    page = index_page(
        entries,
        title=title or "casekit 보고서 목록 (reports)",
        subtitle=f"casekit batch · {when}",
        notes=notes,
    )
    path = out_dir / "index.html"
    atomic_write_text(path, page)
    return path


def run_batch(
    rubric: str | os.PathLike[str],
    workspace: Workspace | str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] = "reports",
    by: Sequence[str] | None = None,
    jobs: int = 1,
    force: bool = False,
    scheduler: Any = None,
    *,
    extras: Sequence[str] = ("themes",),
    timeout: int | None = DEFAULT_TIMEOUT,
    progress: bool = True,
) -> BatchResult:
    """Ranking reports for every `by` combination (default: the rubric's `rank_within`, else 분야 × 구분).

    Returns the `BatchResult`; its `index_html` is the page to open. Raises `BatchError` only when the batch
    cannot start (no rubric, no cases, bad `by`); a failing report is recorded and the others finish.
    """
    ws = Workspace.resolve(workspace)
    if by is None:
        by = _rubric_rank_keys(rubric)
    try:
        job_list, notes = ranking_jobs(rubric, ws, out_dir, by, extras=extras)
    except BatchError:
        raise
    except CasekitError as exc:
        raise BatchError(f"cannot set up the batch: {exc}") from exc
    # Extras first: the ranking reports draw the theme map from the model the themes notebook saves, so it
    # must exist before they start (otherwise whether a report has a map would depend on timing).
    first = [j for j in job_list if not j.name.startswith("ranking_report")]
    rest = [j for j in job_list if j.name.startswith("ranking_report")]
    return run_jobs(
        job_list,
        out_dir,
        parallel=jobs,
        force=force,
        scheduler=scheduler,
        timeout=timeout,
        progress=progress,
        notes=notes,
        phases=[first, rest],
    )


def _rubric_rank_keys(rubric: str | os.PathLike[str]) -> tuple[str, ...]:
    """The rubric's `rank_within` (where it names keys reports can split by), else 분야 × 구분."""
    try:
        from casekit.rubric import load_rubric

        keys = tuple(load_rubric(Path(rubric)).model.rank_within or ())
    except CasekitError as exc:
        raise BatchError(f"cannot load rubric: {exc}") from exc
    return tuple(k for k in keys if k in RANK_KEYS) or RANK_KEYS
