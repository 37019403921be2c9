"""The score database's tables and triggers, and the schema version a store refuses to mix with another.

    judges       id, name, kind (expert/official/citizen), affiliation (municipality, region)
    cases        each case's municipality/region/field/group, so conflicts are checked without the files
    assignments  which judge should review which case (the review queue puts these first)
    scores       one row per rubric × judge × case × criterion, with the rubric version it was given under
    exclusions   abstentions (the judge's own) and recusals (the organizer's; case "*" = every case)
    history      every change, append-only: triggers refuse UPDATE and DELETE

Every statement is `IF NOT EXISTS`, so opening an existing database leaves it as it is. `content_digest`
reads the tables' rows for the batch, which re-runs a report when the scores changed; it needs neither the
store nor pandas, so a batch worker that only checks its inputs does not load them.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS judges (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
    municipality TEXT, region TEXT, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cases (
    id TEXT PRIMARY KEY, municipality TEXT, region TEXT, field TEXT, grp TEXT, title TEXT
);
CREATE TABLE IF NOT EXISTS assignments (
    judge_id TEXT NOT NULL REFERENCES judges(id), case_id TEXT NOT NULL, assigned_at TEXT NOT NULL,
    PRIMARY KEY (judge_id, case_id)
);
CREATE TABLE IF NOT EXISTS scores (
    rubric_id TEXT NOT NULL, judge_id TEXT NOT NULL REFERENCES judges(id), case_id TEXT NOT NULL,
    criterion TEXT NOT NULL, points REAL NOT NULL, comment TEXT, rubric_version TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (rubric_id, judge_id, case_id, criterion)
);
CREATE TABLE IF NOT EXISTS exclusions (
    judge_id TEXT NOT NULL REFERENCES judges(id), case_id TEXT NOT NULL, kind TEXT NOT NULL,
    reason TEXT, actor TEXT, at TEXT NOT NULL,
    PRIMARY KEY (judge_id, case_id, kind)
);
CREATE TABLE IF NOT EXISTS history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT, action TEXT NOT NULL,
    rubric_id TEXT, rubric_version TEXT, judge_id TEXT, case_id TEXT, criterion TEXT,
    old_points REAL, new_points REAL, comment TEXT, detail TEXT
);
CREATE TRIGGER IF NOT EXISTS history_no_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS history_no_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE INDEX IF NOT EXISTS scores_case ON scores (case_id);
"""


def schema_statements() -> list[str]:
    """The schema as single statements: a store runs them one by one inside its own transaction
    (executescript() would COMMIT it)."""
    return _split_sql(_SCHEMA)


def _split_sql(script: str) -> list[str]:
    """Split the schema into statements, keeping trigger bodies (which contain ';') whole."""
    statements, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        joined = "\n".join(current).strip()
        if joined.endswith(";") and (
            not joined.upper().startswith("CREATE TRIGGER") or joined.upper().endswith("END;")
        ):
            statements.append(joined)
            current = []
    return statements


def content_digest(db_path: str | os.PathLike[str]) -> bytes:
    """The bytes that stand for a score database's content in a digest (the batch's `inputs_digest`).

    Every row of scores, exclusions and judges, in a fixed order, as `repr` of the row tuple; b"" when the
    file does not exist. The file is opened read-only (no schema, no WAL switch: a digest never writes).
    When it cannot be read, a marker with the time makes the digest differ from every earlier one, so
    an unreadable store is never taken for "unchanged".
    """
    path = Path(db_path)
    if not path.is_file():
        return b""
    parts: list[bytes] = []
    try:
        conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
        try:
            for table in ("scores", "exclusions", "judges"):
                for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3"):
                    parts.append(repr(row).encode())
        finally:
            conn.close()
    except sqlite3.Error as exc:
        parts.append(f"scores-unreadable:{exc}:{time.time_ns()}".encode())
    return b"".join(parts)
