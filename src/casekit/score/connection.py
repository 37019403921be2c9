"""One SQLite connection per thread to a score database, each set up the same way.

Why per thread: a sqlite3 connection may only be used by the thread that made it, and JupyterLab 4.6
delivers widget messages — the judge's 저장 button — on kernel subshells, other threads than the one
that ran the notebook cell making the store. Every thread opens its own connection on first use (WAL,
busy timeout, synchronous=FULL, foreign keys); `close_all` closes them all, and a finished thread's
connection is closed when another thread opens one. A forked child opens its own too, since SQLite
connections must not cross fork.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import weakref
from pathlib import Path

from casekit.errors import ScoreError


class ThreadConnections:
    """The connections of one database file, one per thread (and process)."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        #: Every open connection with its thread; a generation bump (close_all) makes threads reconnect.
        self._open: list[tuple[weakref.ref[threading.Thread], sqlite3.Connection]] = []
        self._generation = 0

    def get(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None and getattr(self._local, "key", None) == (self._generation, os.getpid()):
            return conn
        conn = self.connect()
        with self._lock:
            alive = []
            for thread, other in self._open:
                owner = thread()
                if owner is None or not owner.is_alive():
                    other.close()  # its thread is gone: nobody else may use it
                else:
                    alive.append((thread, other))
            alive.append((weakref.ref(threading.current_thread()), conn))
            self._open = alive
            self._local.conn, self._local.key = conn, (self._generation, os.getpid())
        return conn

    def close_all(self) -> None:
        """Close every thread's connection; each thread's next `get` opens a new one."""
        with self._lock:
            for _, conn in self._open:
                conn.close()
            self._open = []
            self._generation += 1

    def open_count(self) -> int:
        with self._lock:
            return len(self._open)

    def connect(self) -> sqlite3.Connection:
        """A new connection in WAL mode; ScoreError when the file is no usable database."""
        try:
            # check_same_thread=False only so close_all may close every thread's connection; each is
            # used by its own thread alone (`get`)
            conn = sqlite3.connect(
                self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            mode = self._switch_to_wal(conn)
            if str(mode).lower() != "wal":
                raise ScoreError(f"{self.path}: cannot switch the score database to WAL mode (got {mode})")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise ScoreError(f"{self.path}: not a usable score database ({exc})") from exc
        return conn

    def _switch_to_wal(self, conn: sqlite3.Connection) -> str:
        """Set WAL mode, waiting while other processes hold the file. When several open a new database at
        the same moment, SQLite answers "database is locked" at once, without waiting for busy_timeout:
        the switch needs the file to itself. So it is tried again until `timeout` has passed."""
        deadline = time.monotonic() + self.timeout
        attempt = 0
        while True:
            try:
                return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
            except sqlite3.OperationalError as exc:
                if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() >= deadline:
                    raise
            attempt += 1
            time.sleep(min(0.01 * attempt, 0.2))
