"""The workspace's catalog (`catalog.sqlite`) and its lock: what ingest committed, and who may write.

An archive is thousands of files; the catalog is what lets ingest commit one file at a time without
rewriting a manifest of all of them, and lets readers trust that every case has its metrics:

    sources   one row per source file (by absolute path): its sha256 and the case ids it produced
    owners    case id → the source file that produced it (so two files never share an id)
    cases     one row per case file: the case file's size and mtime when its metrics were extracted, and
              those metrics as the lines `metrics.jsonl` holds for it
    meta      `generation` (bumped by every change to `cases`) and `exported` (the generation and file
              signature `metrics.jsonl` was last written from)

A file's commit is one SQLite transaction (WAL, synchronous=NORMAL: a killed process loses at most the
file it was on, never the catalog). Case files are written before the transaction that names them, so a
crash between the two leaves a case file the catalog does not vouch for, which readers re-extract and the
next ingest rewrites.

`workspace_lock` is an exclusive `flock` on `<workspace>/.casekit.lock`: a second ingest waits for the
first instead of interleaving with it. It is re-entrant within a process, so a reader that repairs the
catalog (`Workspace.metric_rows`) can run inside an ingest.

This module is the one reader and writer of `catalog.sqlite` and of the lock file.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from casekit.errors import WorkspaceError

CATALOG_NAME = "catalog.sqlite"
LOCK_NAME = ".casekit.lock"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY,
    display TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    encoding TEXT NOT NULL,
    case_ids TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS owners (
    case_id TEXT PRIMARY KEY,
    path TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS owners_path ON owners(path);
CREATE TABLE IF NOT EXISTS cases (
    case_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    line_start INTEGER NOT NULL,
    file_sig TEXT NOT NULL,
    n_metrics INTEGER NOT NULL,
    metrics TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS cases_order ON cases(source, line_start, case_id);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


def file_sig(path: Path) -> str | None:
    """Size and modification time of a file, or None when it is missing: cheap to check, changes on write."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return f"{stat.st_size}:{stat.st_mtime_ns}"


# -- the lock -----------------------------------------------------------------------------------


@dataclass
class _Held:
    fd: int
    depth: int


_HELD: dict[str, _Held] = {}
_GUARD: dict[str, threading.RLock] = {}
_GUARD_LOCK = threading.Lock()


@contextmanager
def workspace_lock(root: Path, say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the workspace's write lock; waits (saying so once) while another process holds it."""
    root.mkdir(parents=True, exist_ok=True)
    key = os.path.realpath(root / LOCK_NAME)
    with _GUARD_LOCK:
        guard = _GUARD.setdefault(key, threading.RLock())
    with guard:
        held = _HELD.get(key)
        if held is not None:
            held.depth += 1
            try:
                yield
            finally:
                held.depth -= 1
            return
        fd = os.open(key, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if say is not None:
                    say(f"waiting for another casekit process writing to {root} …")
                fcntl.flock(fd, fcntl.LOCK_EX)
            _HELD[key] = _Held(fd, 1)
            try:
                yield
            finally:
                del _HELD[key]
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


# -- the catalog --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRow:
    path: str
    display: str
    sha256: str
    encoding: str
    case_ids: list[str]


@dataclass(frozen=True)
class CaseRow:
    """A case as committed: its metrics (the `metrics.jsonl` lines, newline-terminated) and where it sorts."""

    case_id: str
    source: str
    line_start: int
    file_sig: str
    n_metrics: int
    metrics: str


class Catalog:
    """An open connection to a workspace's catalog; use as a context manager (closes on exit)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(path, timeout=60, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(f"{path}: damaged catalog ({exc}); delete it and ingest again") from exc

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- meta --

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _bump(self, db: sqlite3.Connection) -> None:
        db.execute(
            "INSERT INTO meta(key, value) VALUES('generation', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    @property
    def generation(self) -> str:
        return self._meta("generation") or "0"

    def export_is_current(self, metrics_path: Path) -> bool:
        """Whether `metrics.jsonl` is exactly what the catalog's cases hold now."""
        return self._meta("exported") == f"{self.generation}|{file_sig(metrics_path)}"

    def mark_exported(self, generation: str, metrics_path: Path) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES('exported', ?)",
            (f"{generation}|{file_sig(metrics_path)}",),
        )

    # -- sources and owners --

    def source(self, path: str) -> SourceRow | None:
        row = self.db.execute(
            "SELECT path, display, sha256, encoding, case_ids FROM sources WHERE path = ?", (path,)
        ).fetchone()
        if row is None:
            return None
        return SourceRow(row[0], row[1], row[2], row[3], list(json.loads(row[4])))

    def owner(self, case_id: str) -> str | None:
        row = self.db.execute("SELECT path FROM owners WHERE case_id = ?", (case_id,)).fetchone()
        return None if row is None else str(row[0])

    def forget_source(self, path: str) -> None:
        """Drop a source whose file is gone (moved or deleted); its case files stay as they are."""
        with self.transaction() as db:
            db.execute("DELETE FROM sources WHERE path = ?", (path,))
            db.execute("DELETE FROM owners WHERE path = ?", (path,))

    def commit_source(self, source: SourceRow, cases: Iterable[CaseRow], dropped: Iterable[str]) -> None:
        """One file's commit: its source row, its cases with their metrics, the ids it no longer makes."""
        with self.transaction() as db:
            for case_id in dropped:
                db.execute("DELETE FROM cases WHERE case_id = ?", (case_id,))
                db.execute("DELETE FROM owners WHERE case_id = ? AND path = ?", (case_id, source.path))
            for case in cases:
                db.execute(
                    "INSERT OR REPLACE INTO cases VALUES (?, ?, ?, ?, ?, ?)",
                    (case.case_id, case.source, case.line_start, case.file_sig, case.n_metrics, case.metrics),
                )
                db.execute("INSERT OR REPLACE INTO owners VALUES (?, ?)", (case.case_id, source.path))
            db.execute(
                "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?)",
                (
                    source.path,
                    source.display,
                    source.sha256,
                    source.encoding,
                    json.dumps(source.case_ids, ensure_ascii=False),
                ),
            )
            self._bump(db)

    # -- cases and their metrics --

    def case_sigs(self) -> dict[str, str]:
        return {row[0]: row[1] for row in self.db.execute("SELECT case_id, file_sig FROM cases")}

    def case_sig(self, case_id: str) -> str | None:
        row = self.db.execute("SELECT file_sig FROM cases WHERE case_id = ?", (case_id,)).fetchone()
        return None if row is None else str(row[0])

    def put_cases(self, cases: Iterable[CaseRow], gone: Iterable[str] = ()) -> None:
        """Store re-extracted cases (and forget the ones whose files are gone), in one transaction."""
        with self.transaction() as db:
            for case_id in gone:
                db.execute("DELETE FROM cases WHERE case_id = ?", (case_id,))
            for case in cases:
                db.execute(
                    "INSERT OR REPLACE INTO cases VALUES (?, ?, ?, ?, ?, ?)",
                    (case.case_id, case.source, case.line_start, case.file_sig, case.n_metrics, case.metrics),
                )
            self._bump(db)

    def metrics_in_order(self) -> Iterator[str]:
        """Every case's metric lines, cases in source order (by source, then first line), streamed."""
        for (text,) in self.db.execute("SELECT metrics FROM cases ORDER BY source, line_start, case_id"):
            yield text

    def case_order(self) -> list[tuple[str, str, int]]:
        """(case id, source, first line) of every committed case, in source order."""
        return [
            (row[0], row[1], int(row[2]))
            for row in self.db.execute(
                "SELECT case_id, source, line_start FROM cases ORDER BY source, line_start, case_id"
            )
        ]

    def n_metrics(self) -> int:
        row = self.db.execute("SELECT COALESCE(SUM(n_metrics), 0) FROM cases").fetchone()
        return int(row[0])
