"""Ingest at archive scale: one pass per file in worker processes, one commit per file in the parent.

    ingest(paths, workspace) -> IngestReport

Each file goes read → repair → parse → extract in a worker (spawned processes on every core, small files
in batches), which hands back the cases and metrics already serialized. The parent, holding the
workspace lock, commits each file in input order: its case files (written, then renamed), then one
catalog transaction naming them with their metrics (`casekit.catalog`). Nothing is rewritten per file
but that file's own records, so a year of 2,000 submissions costs 2,000 small commits, not 2,000 rewrites
of a growing manifest; `metrics.jsonl` is exported once at the end, streamed from the catalog. Memory
stays flat in the number of files: at most a few batches are in flight.

Idempotent: a file whose bytes were committed before (same sha256, case files as committed) is
"unchanged"; a changed file replaces the cases it produced last time. A file that cannot be read — too
large, a zip bomb, broken, or one that runs a worker out of memory — is reported with the reason and the
batch goes on. A run that is killed leaves every committed file whole; the next run redoes the rest and
removes the temporary files the killed one left.

Case ids: a case keeps the id `casekit.parse` gives it (file name, position, municipality) unless another
source file owns that id already, as A/소개서.txt and B/소개서.txt would; then the path within the input
folder decides it (`casekit.parse.book.case_id`). Ids, once given, stay with their file on re-ingest.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from casekit.catalog import CaseRow, Catalog, SourceRow, file_sig
from casekit.errors import CasekitError, IngestError
from casekit.ingest import (
    DEFAULT_MAX_BYTES,
    SourceFile,
    collect_sources,
    display_path,
    read_bytes,
    read_source,
)
from casekit.metrics import extract_metrics
from casekit.parse import parse_document
from casekit.parse.book import case_id as make_case_id
from casekit.store import Workspace, atomic_write_text, case_json, metrics_text

#: Below this much input, worker processes cost more to start (~0.3 s each) than they save.
PARALLEL_MIN_BYTES = 2 * 1024 * 1024
#: A batch handed to a worker: files until this many bytes, or this many files.
_BATCH_BYTES = 384 * 1024
_BATCH_FILES = 32


@dataclass
class FileOutcome:
    """What ingest did with one file."""

    path: str
    status: str  # "ingested", "unchanged", "failed"
    case_ids: list[str] = field(default_factory=list)
    reason: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    files: list[FileOutcome] = field(default_factory=list)
    metrics_written: int = 0
    notes: list[str] = field(default_factory=list)  # files skipped unread, leftovers cleaned

    @property
    def failed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def readable(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status != "failed"]

    @property
    def case_ids(self) -> list[str]:
        return [case_id for f in self.files for case_id in f.case_ids]


# -- the worker's side: one file, read to metrics -------------------------------------------------


@dataclass(frozen=True)
class _Task:
    path: str
    key: str
    previous_sha: str | None  # skip the file when its bytes still hash to this
    max_bytes: int | None


@dataclass
class _CaseOut:
    case_id: str
    ordinal: int
    municipality: str | None
    source: str
    line_start: int
    json: str  # the case file's text
    metrics: str  # its metrics.jsonl lines
    n_metrics: int


@dataclass
class _Result:
    task: _Task
    display: str
    status: str
    reason: str = ""
    sha256: str = ""
    encoding: str = ""
    warnings: list[str] = field(default_factory=list)
    cases: list[_CaseOut] = field(default_factory=list)


def _process(task: _Task) -> _Result:
    """Read, repair, parse and extract one file; every failure becomes the file's reason, never a raise."""
    path = Path(task.path)
    display = display_path(path)
    try:
        data = read_bytes(path, task.max_bytes)
        sha = hashlib.sha256(data).hexdigest()
        if sha == task.previous_sha:
            return _Result(task, display, "unchanged", sha256=sha)
        doc = read_source(path, data=data)
        del data
        cases = parse_document(doc)
        if not cases:
            return _Result(task, display, "failed", reason="no text")
        out = []
        for ordinal, case in enumerate(cases):
            text, count = metrics_text(extract_metrics(case))
            out.append(
                _CaseOut(
                    case.id,
                    ordinal,
                    case.municipality,
                    case.source,
                    case.line_start,
                    case_json(case),
                    text,
                    count,
                )
            )
        return _Result(
            task, display, "ingested", sha256=sha, encoding=doc.encoding, warnings=doc.warnings, cases=out
        )
    except IngestError as exc:
        return _Result(task, display, "failed", reason=exc.reason)
    except CasekitError as exc:
        return _Result(task, display, "failed", reason=str(exc))
    except MemoryError:
        return _Result(task, display, "failed", reason="ran out of memory reading it; the batch went on")
    except Exception as exc:  # noqa: BLE001 - one strange file must not stop a year's archive
        return _Result(
            task, display, "failed", reason=f"could not be processed ({exc.__class__.__name__}: {exc})"
        )


def _process_batch(tasks: list[_Task]) -> list[_Result]:
    return [_process(task) for task in tasks]


# -- running the workers ----------------------------------------------------------------------


def _batches(tasks: Iterator[tuple[_Task, int]]) -> Iterator[list[_Task]]:
    batch: list[_Task] = []
    size = 0
    for task, task_size in tasks:
        batch.append(task)
        size += task_size
        if size >= _BATCH_BYTES or len(batch) >= _BATCH_FILES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _died(task: _Task) -> _Result:
    return _Result(
        task,
        display_path(Path(task.path)),
        "failed",
        reason="the worker process reading it died (out of memory?); the batch went on",
    )


def _ready() -> int:
    return os.getpid()


def _run_pool(
    tasks: Iterator[tuple[_Task, int]],
    jobs: int,
    work: Callable[[list[_Task]], list[_Result]] = _process_batch,
) -> Iterator[_Result]:
    """Results in input order, from `jobs` spawned workers, with a few batches in flight at most.

    A worker that dies (the kernel's OOM killer) breaks the pool: the files in flight are then redone one
    at a time, alone, in a new pool, so only the file that kills a worker again is reported lost. A pool
    whose workers cannot even start (a script without an `if __name__ == "__main__"` guard, which each
    spawned worker re-runs) is noticed before any file is given to it, and the files are read in this
    process instead.
    """
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    try:
        pool.submit(_ready).result()
    except BrokenProcessPool:
        pool.shutdown(wait=False, cancel_futures=True)
        for task, _ in tasks:
            yield from work([task])
        return
    batches = _batches(tasks)
    pending: deque[tuple[list[_Task], Future[list[_Result]]]] = deque()
    retry: deque[_Task] = deque()
    try:
        while True:
            while len(pending) < jobs * 3:
                if retry:
                    # After a crash, the files that were in flight go one at a time, alone, so that a
                    # crash now is this file's doing and no other file is blamed for it.
                    if pending:
                        break
                    batch = [retry.popleft()]
                else:
                    next_batch = next(batches, None)
                    if next_batch is None:
                        break
                    batch = next_batch
                pending.append((batch, pool.submit(work, batch)))
            if not pending:
                return
            batch, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
                lost = [task for other, _ in pending for task in other]
                pending.clear()
                if len(batch) == 1:
                    yield _died(batch[0])
                else:
                    lost = batch + lost
                retry.extendleft(reversed(lost))
                continue
            yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _results(tasks: Iterator[tuple[_Task, int]], jobs: int) -> Iterator[_Result]:
    if jobs <= 1:
        for task, _ in tasks:
            yield _process(task)
    else:
        yield from _run_pool(tasks, jobs)


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


# -- the parent's side: commits ---------------------------------------------------------------


class _Committer:
    """Commits each file's result to the workspace, in input order, holding the lock."""

    def __init__(self, ws: Workspace, catalog: Catalog, report: IngestReport, rel: dict[str, str]) -> None:
        self.ws = ws
        self.catalog = catalog
        self.report = report
        self.rel = rel

    def _assign(self, out: _CaseOut, key: str, used: set[str]) -> str:
        """The case's id: its plain one unless another live source owns that; stays with its file."""
        alt = make_case_id(out.source, out.ordinal, out.municipality, key=self.rel[key])
        first = [out.case_id, alt]
        for candidate in first:
            if candidate not in used and self.catalog.owner(candidate) == key:
                return candidate
        number = 2
        candidates: Iterable[str] = first
        while True:
            for candidate in candidates:
                if candidate in used:
                    continue
                owner = self.catalog.owner(candidate)
                if owner is None:
                    return candidate
                if not os.path.exists(owner):  # its file was moved or deleted: the id is free again
                    self.catalog.forget_source(owner)
                    return candidate
            candidates = [f"{alt}-{number}"]
            number += 1

    def commit(self, result: _Result) -> None:
        key = result.task.key
        if result.status == "failed":
            self.report.files.append(FileOutcome(result.display, "failed", reason=result.reason))
            return
        previous = self.catalog.source(key)
        if result.status == "unchanged" and previous is not None:
            self.report.files.append(FileOutcome(result.display, "unchanged", list(previous.case_ids)))
            return
        used: set[str] = set()
        rows: list[CaseRow] = []
        for out in result.cases:
            case_id = self._assign(out, key, used)
            text, metrics = out.json, out.metrics
            if case_id != out.case_id:
                text, metrics = _renamed(text, metrics, case_id)
            path = self.ws.case_path(case_id)
            atomic_write_text(path, text, durable=False)
            rows.append(
                CaseRow(case_id, out.source, out.line_start, file_sig(path) or "", out.n_metrics, metrics)
            )
            used.add(case_id)
        ids = [row.case_id for row in rows]
        dropped = [case_id for case_id in (previous.case_ids if previous else []) if case_id not in used]
        self.ws.delete_cases(case_id for case_id in dropped if self.catalog.owner(case_id) == key)
        self.catalog.commit_source(
            SourceRow(key, result.display, result.sha256, result.encoding, ids), rows, dropped
        )
        self.report.files.append(FileOutcome(result.display, "ingested", ids, warnings=list(result.warnings)))


def _renamed(text: str, metrics: str, case_id: str) -> tuple[str, str]:
    """A case's file and metric lines under another id (rare: a second file of the same name)."""
    data = json.loads(text)
    data["id"] = case_id
    rows = []
    for line in metrics.splitlines():
        row = json.loads(line)
        row["case_id"] = case_id
        rows.append(json.dumps(row, ensure_ascii=False) + "\n")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", "".join(rows)


def _tasks(
    sources: list[SourceFile], catalog: Catalog, ws: Workspace, force: bool, max_bytes: int | None
) -> Iterator[tuple[_Task, int]]:
    for source in sources:
        previous = None if force else catalog.source(source.key)
        # Unchanged only if every case file is still the one committed (a deleted or hand-edited case
        # file makes its source be read again).
        intact = previous is not None and all(
            (committed := catalog.case_sig(case_id)) is not None
            and file_sig(ws.case_path(case_id)) == committed
            for case_id in previous.case_ids
        )
        yield (
            _Task(str(source.path), source.key, previous.sha256 if previous and intact else None, max_bytes),
            source.size,
        )


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    workspace: str | os.PathLike[str] | Workspace | None = None,
    force: bool = False,
    *,
    jobs: int | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    say: Callable[[str], None] | None = None,
) -> IngestReport:
    """Read every file (folders are walked), parse its cases, store them and their metrics.

    `jobs`: worker processes (default: every core once there are a few MB to read; 1 runs in-process);
    `max_bytes`: the largest file read (None: no limit); `say`: where to tell that the run waits for
    another one holding the workspace.
    """
    ws = Workspace.resolve(workspace)
    report = IngestReport()
    sources, notes = collect_sources(paths)
    report.notes.extend(notes)
    if jobs is None:
        total = sum(source.size for source in sources)
        jobs = min(default_jobs(), len(sources)) if total >= PARALLEL_MIN_BYTES else 1
    with ws.lock(say):
        ws.cases_dir.mkdir(parents=True, exist_ok=True)
        cleaned = ws.clean_temp_files()
        if cleaned:
            report.notes.append(f"removed {cleaned} temporary file(s) an interrupted run had left")
        with Catalog(ws.catalog_path) as catalog:
            committer = _Committer(ws, catalog, report, {source.key: source.rel for source in sources})
            for result in _results(_tasks(sources, catalog, ws, force, max_bytes), jobs):
                committer.commit(result)
        if report.readable:
            report.metrics_written = ws.sync_metrics()
    return report
