"""One connection per thread: each thread's own, set up alike, closed when its thread is gone or on close."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from casekit.errors import ScoreError
from casekit.score.connection import ThreadConnections


def _in_thread(func):  # type: ignore[no-untyped-def]
    out: list[object] = []
    thread = threading.Thread(target=lambda: out.append(func()))
    thread.start()
    thread.join(30)
    return out[0]


def test_each_thread_has_its_own_connection_in_wal_mode(tmp_path):  # type: ignore[no-untyped-def]
    pool = ThreadConnections(tmp_path / "s.sqlite", timeout=5)
    mine = pool.get()
    assert pool.get() is mine  # the same one again on this thread
    other = _in_thread(pool.get)
    assert other is not mine
    assert _in_thread(lambda: pool.get().execute("PRAGMA journal_mode").fetchone()[0]) == "wal"
    assert _in_thread(lambda: pool.get().execute("PRAGMA busy_timeout").fetchone()[0]) == 5000
    # a finished thread's connection is closed as soon as another thread opens one: three threads have
    # come and gone, and only this thread's and the last one's are open
    assert pool.open_count() == 2
    with pytest.raises(sqlite3.ProgrammingError):
        other.execute("SELECT 1")  # type: ignore[attr-defined]
    pool.close_all()
    assert pool.open_count() == 0
    with pytest.raises(sqlite3.ProgrammingError):
        mine.execute("SELECT 1")
    assert pool.get() is not mine and pool.get().execute("SELECT 1").fetchone()[0] == 1


def test_a_file_that_is_no_database_is_refused(tmp_path):  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database" * 100)
    with pytest.raises(ScoreError, match="not a usable score database"):
        ThreadConnections(bad, timeout=1).get()
