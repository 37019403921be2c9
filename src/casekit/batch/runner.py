"""The batch as a whole: which jobs are up to date, the rest run in worker processes or on Dask, one index.

Why processes and not threads: papermill changes the working directory and runs its own event loop, so two
executions in one process interfere. Each job runs in its own worker process (a `ProcessPoolExecutor` with
the spawn start method, so a parent that already loaded torch or Kiwi is not forked), or on a Dask cluster
when `scheduler` is given (an address, or a `distributed.Client`). Dask is optional: nobody needs a cluster.

A job whose sidecar says "ok" with the same parameters and input digest and whose outputs still exist is
skipped unless `force`; a failing notebook is recorded while the other jobs finish.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from casekit.errors import BatchError, CasekitError
from casekit.store import Workspace

from .execute import DEFAULT_TIMEOUT, RunRecord, error_text, execute_job, read_sidecar, write_sidecar
from .index_page import write_index
from .jobs import THEMES_FIT, ReportJob, ranking_jobs, rubric_rank_keys
from .kernels import session_in_process, start_worker_session


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


def _progress(total: int, enabled: bool) -> Any:
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
    pool: ReportPool | None = None,
) -> BatchResult:
    """Execute `jobs` (skipping up-to-date ones unless `force`), write every sidecar and `index.html`.

    `phases` splits the jobs into groups run one after another (each group in parallel); by default one group.
    `pool` runs them on workers started earlier (see `ReportPool`) instead of a pool of their own.
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
            for record in _execute(todo, out, parallel, scheduler, timeout, pool):
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


def _failed(out: Path, job: ReportJob, error: str) -> RunRecord:
    """The record of a job whose worker died before it could write its own sidecar; written now."""
    record = RunRecord.failed(job, error=error)
    write_sidecar(out, record, indent=None)
    return record


#: Notebooks a worker should have to run before another one is started: a worker costs ~5 s CPU before its
#: first notebook (its process, papermill and nbconvert, its kernel and the kernel's imports), a report
#: notebook in a kept kernel 1–3 s, so for a handful of notebooks one worker finishes first on 2 cores.
NOTEBOOKS_PER_WORKER = 4


def workers_for(notebooks: int, jobs: int) -> int:
    """Worker processes for `notebooks` with at most `jobs`: one per `NOTEBOOKS_PER_WORKER`, at least one."""
    return max(1, min(jobs, notebooks // NOTEBOOKS_PER_WORKER))


def _warm() -> None:
    """A no-op task: submitting one per worker makes the pool start its workers (and their kernels) now."""


class ReportPool:
    """Worker processes for a batch's notebooks, each with its kept kernel (`casekit.batch.kernels`).

    Started before the jobs are known (`casekit run` opens it first, then computes pre-scores and the
    theme map while the workers import papermill and their kernels import casekit), and used for one or
    more `run_jobs` calls. Spawned, not forked, so a parent that already loaded Kiwi or torch is not copied.
    """

    def __init__(self, workers: int) -> None:
        self.workers = max(1, int(workers))
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=start_worker_session,
        )
        for _ in range(self.workers):
            self._pool.submit(_warm)

    def execute(self, jobs: Sequence[ReportJob], out: Path, timeout: int | None) -> Iterable[RunRecord]:
        futures = {self._pool.submit(execute_job, job, str(out), timeout): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001  (a worker died: record it, keep the others)
                yield _failed(out, job, f"worker process failed: {error_text(exc)}")

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ReportPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _execute(
    jobs: Sequence[ReportJob],
    out: Path,
    parallel: int,
    scheduler: Any,
    timeout: int | None,
    pool: ReportPool | None = None,
) -> Iterable[RunRecord]:
    if not jobs:
        return
    if scheduler is not None:
        yield from _execute_dask(jobs, out, scheduler, timeout)
        return
    if pool is not None:
        yield from pool.execute(jobs, out, timeout)
        return
    if parallel <= 1:
        with session_in_process():
            for job in jobs:
                yield execute_job(job, out, timeout)
        return
    with ReportPool(workers_for(len(jobs), parallel)) as own:
        yield from own.execute(jobs, out, timeout)


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
                yield _failed(out, job, f"dask task failed: {error_text(exc)}")
    finally:
        if own:
            client.close()


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
    pool: ReportPool | None = None,
) -> BatchResult:
    """Ranking reports for every `by` combination (default: the rubric's `rank_within`, else 분야 × 구분).

    Returns the `BatchResult`; its `index_html` is the page to open. Raises `BatchError` only when the batch
    cannot start (no rubric, no cases, bad `by`); a failing report is recorded and the others finish.
    """
    ws = Workspace.resolve(workspace)
    if by is None:
        by = rubric_rank_keys(rubric)
    try:
        job_list, notes = ranking_jobs(rubric, ws, out_dir, by, extras=extras)
    except BatchError:
        raise
    except CasekitError as exc:
        raise BatchError(f"cannot set up the batch: {exc}") from exc
    if "themes" in extras:
        notes = [*notes, *prepare_themes(ws)]
    return run_jobs(
        job_list,
        out_dir,
        parallel=jobs,
        force=force,
        scheduler=scheduler,
        timeout=timeout,
        progress=progress,
        notes=notes,
        pool=pool,
    )


def pending_reports(
    rubric: str | os.PathLike[str],
    workspace: Workspace | str | os.PathLike[str] | None,
    out_dir: str | os.PathLike[str],
    *,
    force: bool = False,
    by: Sequence[str] | None = None,
    extras: Sequence[str] = ("themes",),
) -> int:
    """How many notebooks `run_batch` with these arguments would execute (0 when all are up to date).

    `casekit run` asks first, so it starts a `ReportPool` to warm up during the earlier stages only when
    there will be notebooks to run. A batch that cannot be planned counts 0 (`run_batch` then says why).
    """
    ws = Workspace.resolve(workspace)
    try:
        planned, _ = ranking_jobs(rubric, ws, out_dir, by or rubric_rank_keys(rubric), extras=extras)
    except CasekitError:
        return 0
    out = Path(out_dir).resolve()
    return sum(1 for job in planned if force or _up_to_date(out, job) is None)


def prepare_themes(workspace: Workspace) -> list[str]:
    """Fit (or find current) the theme model the themes notebook shows and every ranking report maps.

    Done here, once, before any notebook starts: the ranking reports draw the map from this model, so it
    must exist before they run (otherwise whether a report has a map would depend on timing), and the
    themes notebook then reads it instead of fitting it again — so all the notebooks run at once.
    A fit that fails is a note; the themes notebook then fails with the same error, on the index.
    """
    from casekit.themes.cached import current_themes

    try:
        current_themes(workspace, **THEMES_FIT)
    except CasekitError as exc:
        return [f"theme map not fitted: {exc}"]
    return []
