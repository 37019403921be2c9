"""The judges' score store: one SQLite database per workspace (`<ws>/scores.sqlite`).

Public API::

    store = ScoreStore(workspace_or_path)
    store.add_judge("J1", name="김심사", kind="expert"|"official"|"citizen", municipality=None, region=None)
    store.register_cases(cases)                       # case → municipality/region, for conflict checks
    store.assign("J1", ["case-a", "case-b"])
    store.save_score("J1", case_id, "창의성", 11.5, comment=None, rubric=rubric)
    store.abstain("J1", case_id, reason=...)          # the judge's scores on the case leave its mean
    store.recuse("J1", case_id=None, reason=...)      # organizer: bars the judge from one case or all
    store.scores_frame(rubric)                        # one row per score, with `excluded` (why, or None)
    store.history(judge_id=None, case_id=None)        # append-only log of every change
    store.review_queue("J1", cases)                   # cases the judge may score, fewest reviews first
    store.import_csv(path, rubric) -> ImportReport    # judge, case_id, criterion, points[, comment]
    store.export_csv(path_or_stream, rubric=None)

Why SQLite and how it keeps scores safe: judges save from several laptops/processes at once, and a
saved score must never be lost. The database runs in WAL mode with `synchronous=FULL`; every change
is one `BEGIN IMMEDIATE … COMMIT` transaction that writes the score row *and* its history row, so
a crash (even SIGKILL mid-transaction) leaves either both or neither. History is append-only:
triggers refuse UPDATE and DELETE on it. Every score row records the rubric id and version (hash of
the rubric file), so `rank` can detect scores given under an older rubric instead of mixing them.

Conflicts of interest: a judge carries an affiliation (municipality, region). The rubric's
`conflict_of_interest` names which of them bar scoring a case of the same municipality/region.
Such saves are refused, and scores that slipped in before an affiliation was recorded are marked
`excluded="conflict"` in `scores_frame` and left out of every mean.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import pandas as pd

from casekit.errors import ScoreError
from casekit.store import Workspace

if TYPE_CHECKING:
    from casekit.parse.model import Case
    from casekit.rubric import Rubric

SCHEMA_VERSION = "1"
JUDGE_KINDS = ("expert", "official", "citizen")
ALL_CASES = "*"
#: A CSV `points` cell with one of these records an abstention of the judge on the case.
ABSTAIN_WORDS = ("abstain", "기권", "회피")

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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Judge:
    id: str
    name: str
    kind: str
    municipality: str | None = None
    region: str | None = None


@dataclass
class ImportReport:
    """What `import_csv` did: rows stored, and bad rows with their line numbers and reasons."""

    path: str
    stored: int = 0
    unchanged: int = 0
    abstentions: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "stored": self.stored,
            "unchanged": self.unchanged,
            "abstentions": self.abstentions,
            "errors": [{"line": n, "error": e} for n, e in self.errors],
        }


class ScoreStore:
    """Judges, assignments, scores and their history in one SQLite file (see the module docstring)."""

    def __init__(self, workspace_or_path: Workspace | str | os.PathLike[str], timeout: float = 60.0) -> None:
        if isinstance(workspace_or_path, Workspace):
            self.workspace: Workspace | None = workspace_or_path
            self.path = workspace_or_path.scores_db
        else:
            path = Path(workspace_or_path)
            if path.suffix in (".sqlite", ".db", ".sqlite3"):
                self.workspace = None
                self.path = path
            else:  # a workspace directory
                self.workspace = Workspace(path)
                self.path = self.workspace.scores_db
        self.timeout = timeout
        #: Test hook: called inside a write transaction just before COMMIT (crash-safety tests kill here).
        self._before_commit: Callable[[], None] | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = self._connect()
        self._init_schema()

    # -- connection and transactions ---------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
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

    def _init_schema(self) -> None:
        with self._tx() as conn:
            # executescript() would COMMIT our transaction, so the statements run one by one
            for statement in _split_sql(_SCHEMA):
                conn.execute(statement)
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                conn.execute("INSERT INTO meta (key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,))
            elif row[0] != SCHEMA_VERSION:
                raise ScoreError(
                    f"{self.path}: score database schema {row[0]}, this casekit reads {SCHEMA_VERSION}"
                )

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: BEGIN IMMEDIATE takes the write lock up front (no upgrade deadlocks)."""
        conn = self._conn
        for attempt in range(50):
            try:
                conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise ScoreError(f"{self.path}: {exc}") from exc
                time.sleep(min(0.05 * (attempt + 1), 1.0))
        else:
            raise ScoreError(f"{self.path}: the score database stayed locked; try again")
        try:
            yield conn
            if self._before_commit is not None:
                self._before_commit()
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ScoreStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def integrity_check(self) -> str:
        return str(self._conn.execute("PRAGMA integrity_check").fetchone()[0])

    # -- judges and cases --------------------------------------------------------------------

    def add_judge(
        self,
        judge_id: str,
        name: str | None = None,
        kind: str = "expert",
        municipality: str | None = None,
        region: str | None = None,
        actor: str = "organizer",
    ) -> Judge:
        """Add or update a judge. `municipality`/`region` is the affiliation checked for conflicts of interest."""
        judge_id = judge_id.strip()
        if not judge_id:
            raise ScoreError("a judge needs a non-empty id")
        if kind not in JUDGE_KINDS:
            raise ScoreError(f"judge {judge_id}: kind must be one of {', '.join(JUDGE_KINDS)}, not {kind!r}")
        municipality, region = normalize_affiliation(municipality, region)
        judge = Judge(judge_id, name or judge_id, kind, municipality, region)
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO judges (id, name, kind, municipality, region, created_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET name=excluded.name, kind=excluded.kind, "
                "municipality=excluded.municipality, region=excluded.region",
                (judge.id, judge.name, judge.kind, judge.municipality, judge.region, _now()),
            )
            self._log(
                conn,
                "judge",
                actor=actor,
                judge_id=judge.id,
                detail=f"{judge.name}|{judge.kind}|{judge.municipality or ''}|{judge.region or ''}",
            )
        return judge

    def judge(self, judge_id: str) -> Judge:
        row = self._conn.execute("SELECT * FROM judges WHERE id = ?", (judge_id,)).fetchone()
        if row is None:
            raise ScoreError(f"unknown judge {judge_id!r}: add it first (`casekit judges add {judge_id}`)")
        return Judge(row["id"], row["name"], row["kind"], row["municipality"], row["region"])

    def judges(self) -> list[Judge]:
        rows = self._conn.execute("SELECT * FROM judges ORDER BY id").fetchall()
        return [Judge(r["id"], r["name"], r["kind"], r["municipality"], r["region"]) for r in rows]

    def register_cases(self, cases: Iterable[Case]) -> int:
        """Record each case's municipality/region/field/group so conflicts can be checked without the files."""
        rows = [(c.id, c.municipality, c.region, c.field, c.group, c.title) for c in cases]
        with self._tx() as conn:
            conn.executemany(
                "INSERT INTO cases (id, municipality, region, field, grp, title) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET municipality=excluded.municipality, region=excluded.region, "
                "field=excluded.field, grp=excluded.grp, title=excluded.title",
                rows,
            )
        return len(rows)

    def _case_info(self, conn: sqlite3.Connection, case_id: str, case: Case | None = None) -> sqlite3.Row:
        if case is not None and case.id == case_id:
            conn.execute(
                "INSERT OR REPLACE INTO cases (id, municipality, region, field, grp, title) VALUES (?, ?, ?, ?, ?, ?)",
                (case.id, case.municipality, case.region, case.field, case.group, case.title),
            )
        row = conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None and self.workspace is not None and self.workspace.case_path(case_id).is_file():
            loaded = self.workspace.load_case(case_id)
            conn.execute(
                "INSERT OR REPLACE INTO cases (id, municipality, region, field, grp, title) VALUES (?, ?, ?, ?, ?, ?)",
                (loaded.id, loaded.municipality, loaded.region, loaded.field, loaded.group, loaded.title),
            )
            row = conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            raise ScoreError(
                f"unknown case {case_id!r}: not in the workspace and not registered with the store"
            )
        return row  # type: ignore[no-any-return]

    def _resolve_case(self, conn: sqlite3.Connection, value: str, case_map: dict[str, Case]) -> str:
        """An exact case id, else the one case of that municipality (judges write 수원시, not 수원시-423ec8)."""
        if value in case_map or conn.execute("SELECT 1 FROM cases WHERE id = ?", (value,)).fetchone():
            return value
        if self.workspace is not None and self.workspace.case_path(value).is_file():
            return value
        matches = {c.id for c in case_map.values() if c.municipality == value}
        matches |= {r[0] for r in conn.execute("SELECT id FROM cases WHERE municipality = ?", (value,))}
        if len(matches) == 1:
            return matches.pop()
        if len(matches) > 1:
            raise ScoreError(
                f"{value!r} names {len(matches)} cases ({', '.join(sorted(matches))}): use the case id"
            )
        raise ScoreError(f"unknown case {value!r}: not a case id or the municipality of exactly one case")

    def import_judges_csv(self, path: str | os.PathLike[str], actor: str = "organizer") -> int:
        """Add judges from `id, name, kind, municipality, region` rows; any bad row rejects the whole file."""
        file = Path(path)
        try:
            text = file.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ScoreError(f"{file}: cannot read ({exc})") from None
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        if "id" not in header:
            raise ScoreError(
                f"{file}: line 1: missing column id (need id[, name, kind, municipality, region])"
            )
        reader.fieldnames = header
        rows = []
        for record in reader:
            values = {k: (v or "").strip() for k, v in record.items() if k}
            if not any(values.values()):
                continue
            kind = values.get("kind") or "expert"
            if not values.get("id") or kind not in JUDGE_KINDS:
                raise ScoreError(
                    f"{file}: line {reader.line_num}: need an id and a kind in {', '.join(JUDGE_KINDS)};"
                    " nothing imported"
                )
            rows.append(values)
        with self._tx() as conn:
            for v in rows:
                conn.execute(
                    "INSERT INTO judges (id, name, kind, municipality, region, created_at) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET name=excluded.name, kind=excluded.kind, "
                    "municipality=excluded.municipality, region=excluded.region",
                    (
                        v["id"],
                        v.get("name") or v["id"],
                        v.get("kind") or "expert",
                        *normalize_affiliation(v.get("municipality"), v.get("region")),
                        _now(),
                    ),
                )
                self._log(conn, "judge", actor=actor, judge_id=v["id"], detail="import")
        return len(rows)

    def assign(self, judge_id: str, case_ids: Iterable[str], actor: str = "organizer") -> int:
        self.judge(judge_id)
        ids = list(case_ids)
        with self._tx() as conn:
            for case_id in ids:
                conn.execute(
                    "INSERT OR IGNORE INTO assignments (judge_id, case_id, assigned_at) VALUES (?, ?, ?)",
                    (judge_id, case_id, _now()),
                )
                self._log(conn, "assign", actor=actor, judge_id=judge_id, case_id=case_id)
        return len(ids)

    # -- conflicts and exclusions ------------------------------------------------------------

    @staticmethod
    def conflict(judge: Judge, case_row: Any, keys: Iterable[str]) -> str | None:
        """The affiliation key on which `judge` conflicts with the case, or None.

        Municipality names repeat across the country (중구, 고성군), so a municipality match counts
        only when the regions do not contradict each other.
        """

        def value(key: str) -> str | None:
            raw = getattr(case_row, key) if hasattr(case_row, key) else case_row[key]
            return str(raw).strip() or None if raw else None

        case_region = value("region")
        for key in keys:
            mine, theirs = getattr(judge, key), value(key)
            if not mine or not theirs or mine != theirs:
                continue
            if key == "municipality" and judge.region and case_region and judge.region != case_region:
                continue
            return key
        return None

    def _exclusion(self, conn: sqlite3.Connection, judge_id: str, case_id: str) -> str | None:
        row = conn.execute(
            "SELECT kind FROM exclusions WHERE judge_id = ? AND case_id IN (?, ?) ORDER BY kind DESC LIMIT 1",
            (judge_id, case_id, ALL_CASES),
        ).fetchone()
        return None if row is None else str(row[0])

    def abstain(self, judge_id: str, case_id: str, reason: str | None = None, withdraw: bool = False) -> None:
        """The judge abstains on a case: their scores on it are kept but leave its mean; new saves are refused."""
        self._exclude(judge_id, case_id, "abstain", reason, actor=judge_id, withdraw=withdraw)

    def recuse(
        self,
        judge_id: str,
        case_id: str | None = None,
        reason: str | None = None,
        by: str = "organizer",
        withdraw: bool = False,
    ) -> None:
        """An organizer bars a judge from one case (or, with case_id=None, from every case)."""
        self._exclude(judge_id, case_id or ALL_CASES, "recuse", reason, actor=by, withdraw=withdraw)

    def _exclude(
        self, judge_id: str, case_id: str, kind: str, reason: str | None, actor: str, withdraw: bool
    ) -> None:
        self.judge(judge_id)
        with self._tx() as conn:
            self._write_exclusion(conn, judge_id, case_id, kind, reason, actor, withdraw)

    def _write_exclusion(
        self,
        conn: sqlite3.Connection,
        judge_id: str,
        case_id: str,
        kind: str,
        reason: str | None,
        actor: str,
        withdraw: bool,
    ) -> None:
        if withdraw:
            conn.execute(
                "DELETE FROM exclusions WHERE judge_id = ? AND case_id = ? AND kind = ?",
                (judge_id, case_id, kind),
            )
        else:
            conn.execute(
                "INSERT OR REPLACE INTO exclusions (judge_id, case_id, kind, reason, actor, at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (judge_id, case_id, kind, reason, actor, _now()),
            )
        self._log(
            conn,
            f"{'withdraw-' if withdraw else ''}{kind}",
            actor=actor,
            judge_id=judge_id,
            case_id=case_id,
            comment=reason,
        )

    # -- scores -------------------------------------------------------------------------------

    def save_score(
        self,
        judge_id: str,
        case_id: str,
        criterion: str,
        points: float,
        comment: str | None = None,
        rubric: Rubric | None = None,
        *,
        case: Case | None = None,
        actor: str | None = None,
    ) -> float:
        """Store one judge's points on one criterion of one case; returns the points stored.

        Refused (ScoreError) when: the judge or case is unknown, the criterion is not in the rubric,
        points are outside 0..max_points, the judge has a conflict of interest, abstained or was recused.
        """
        if rubric is None:
            raise ScoreError("save_score needs the rubric (points are validated against its criteria)")
        with self._tx() as conn:
            stored = self._save(conn, judge_id, case_id, criterion, points, comment, rubric, case, actor)
        return stored

    def _save(
        self,
        conn: sqlite3.Connection,
        judge_id: str,
        case_id: str,
        criterion: str,
        points: Any,
        comment: str | None,
        rubric: Rubric,
        case: Case | None,
        actor: str | None,
    ) -> float:
        row = conn.execute("SELECT * FROM judges WHERE id = ?", (judge_id,)).fetchone()
        if row is None:
            raise ScoreError(f"unknown judge {judge_id!r}: add it first (`casekit judges add {judge_id}`)")
        judge = Judge(row["id"], row["name"], row["kind"], row["municipality"], row["region"])
        try:
            crit = rubric.criterion(str(criterion))
        except Exception as exc:
            raise ScoreError(str(exc)) from None
        try:
            value = float(points)
        except (TypeError, ValueError):
            raise ScoreError(f"points {points!r} is not a number") from None
        max_points = float(crit.max_points or 0)
        if not (0.0 <= value <= max_points) or value != value:
            raise ScoreError(f"{crit.name}({crit.id}): {value:g} is outside 0–{max_points:g}")
        info = self._case_info(conn, case_id, case)
        key = self.conflict(judge, info, rubric.model.conflict_of_interest)
        if key:
            raise ScoreError(
                f"judge {judge_id} has a conflict of interest with case {case_id} "
                f"(same {key}: {getattr(judge, key)})"
            )
        excluded = self._exclusion(conn, judge_id, case_id)
        if excluded == "abstain":
            raise ScoreError(f"judge {judge_id} abstained on case {case_id}; withdraw the abstention first")
        if excluded == "recuse":
            raise ScoreError(f"judge {judge_id} was recused from case {case_id} by the organizer")
        old = conn.execute(
            "SELECT points, comment, rubric_version FROM scores "
            "WHERE rubric_id = ? AND judge_id = ? AND case_id = ? AND criterion = ?",
            (rubric.id, judge_id, case_id, crit.id),
        ).fetchone()
        if (
            old is not None
            and old["points"] == value
            and old["comment"] == comment
            and old["rubric_version"] == rubric.version
        ):
            return value
        conn.execute(
            "INSERT INTO scores (rubric_id, judge_id, case_id, criterion, points, comment, rubric_version, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(rubric_id, judge_id, case_id, criterion) DO UPDATE SET "
            "points=excluded.points, comment=excluded.comment, rubric_version=excluded.rubric_version, "
            "updated_at=excluded.updated_at",
            (rubric.id, judge_id, case_id, crit.id, value, comment, rubric.version, _now()),
        )
        self._log(
            conn,
            "set",
            actor=actor or judge_id,
            rubric_id=rubric.id,
            rubric_version=rubric.version,
            judge_id=judge_id,
            case_id=case_id,
            criterion=crit.id,
            old_points=None if old is None else old["points"],
            new_points=value,
            comment=comment,
        )
        return value

    def delete_score(
        self, judge_id: str, case_id: str, criterion: str, rubric: Rubric, actor: str | None = None
    ) -> bool:
        crit = rubric.criterion(criterion)
        with self._tx() as conn:
            old = conn.execute(
                "SELECT points FROM scores WHERE rubric_id = ? AND judge_id = ? AND case_id = ? AND criterion = ?",
                (rubric.id, judge_id, case_id, crit.id),
            ).fetchone()
            if old is None:
                return False
            conn.execute(
                "DELETE FROM scores WHERE rubric_id = ? AND judge_id = ? AND case_id = ? AND criterion = ?",
                (rubric.id, judge_id, case_id, crit.id),
            )
            self._log(
                conn,
                "delete",
                actor=actor or judge_id,
                rubric_id=rubric.id,
                rubric_version=rubric.version,
                judge_id=judge_id,
                case_id=case_id,
                criterion=crit.id,
                old_points=old["points"],
            )
        return True

    def _log(self, conn: sqlite3.Connection, action: str, **values: Any) -> None:
        cols = ["at", "action"] + list(values)
        conn.execute(
            f"INSERT INTO history ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [_now(), action, *values.values()],
        )

    # -- reading ------------------------------------------------------------------------------

    def scores_frame(self, rubric: Rubric | None = None) -> pd.DataFrame:
        """Every stored score (of `rubric.id` when given), with `excluded` = abstain/recuse/conflict or None."""
        sql = (
            "SELECT s.*, j.kind AS judge_kind, j.municipality AS judge_municipality, j.region AS judge_region, "
            "c.municipality AS case_municipality, c.region AS case_region FROM scores s "
            "JOIN judges j ON j.id = s.judge_id LEFT JOIN cases c ON c.id = s.case_id"
        )
        params: tuple[Any, ...] = ()
        if rubric is not None:
            sql += " WHERE s.rubric_id = ?"
            params = (rubric.id,)
        frame = pd.read_sql_query(
            sql + " ORDER BY s.case_id, s.judge_id, s.criterion", self._conn, params=params
        )
        excl = {
            (r["judge_id"], r["case_id"]): r["kind"]
            for r in self._conn.execute("SELECT * FROM exclusions ORDER BY kind")
        }
        keys = rubric.model.conflict_of_interest if rubric is not None else ("municipality",)
        reasons: list[str | None] = []
        if excl:
            for judge_id, case_id in zip(frame["judge_id"], frame["case_id"]):
                reasons.append(excl.get((judge_id, case_id)) or excl.get((judge_id, ALL_CASES)))
        else:
            reasons = [None] * len(frame)
        regions_agree = (
            frame["judge_region"].isna()
            | frame["case_region"].isna()
            | (frame["judge_region"] == frame["case_region"])
        )
        for key in keys:
            mine, theirs = frame[f"judge_{key}"], frame[f"case_{key}"]
            same = mine.notna() & theirs.notna() & (mine == theirs)
            clash = (same & regions_agree if key == "municipality" else same).tolist()
            reasons = [r if r is not None or not c else "conflict" for r, c in zip(reasons, clash)]
        frame["excluded"] = reasons
        return frame

    def exclusions_frame(self) -> pd.DataFrame:
        return pd.read_sql_query("SELECT * FROM exclusions ORDER BY judge_id, case_id", self._conn)

    def history(self, judge_id: str | None = None, case_id: str | None = None) -> pd.DataFrame:
        """The append-only change log, oldest first, optionally for one judge and/or case."""
        sql, params = "SELECT * FROM history WHERE 1=1", []
        if judge_id:
            sql += " AND judge_id = ?"
            params.append(judge_id)
        if case_id:
            sql += " AND case_id = ?"
            params.append(case_id)
        return pd.read_sql_query(sql + " ORDER BY seq", self._conn, params=params)

    def review_queue(
        self, judge_id: str, cases: Iterable[Case | str], rubric: Rubric | None = None
    ) -> pd.DataFrame:
        """Cases `judge_id` may still score, those with the fewest reviewing judges first.

        Conflicted, abstained and recused cases are left out; cases assigned to the judge come before
        unassigned ones with the same count; cases the judge already scored completely go last.
        """
        judge = self.judge(judge_id)
        keys = rubric.model.conflict_of_interest if rubric is not None else ("municipality",)
        n_criteria = len(rubric.criteria) if rubric is not None else None
        ids: list[str] = []
        case_rows: dict[str, Any] = {}
        for item in cases:
            if isinstance(item, str):
                ids.append(item)
            else:
                ids.append(item.id)
                case_rows[item.id] = item
        assigned = {
            r[0]
            for r in self._conn.execute("SELECT case_id FROM assignments WHERE judge_id = ?", (judge_id,))
        }
        rub_sql = " AND rubric_id = ?" if rubric is not None else ""
        rub_par: tuple[str, ...] = (rubric.id,) if rubric is not None else ()
        reviews = dict(
            self._conn.execute(
                f"SELECT case_id, COUNT(DISTINCT judge_id) FROM scores WHERE 1=1{rub_sql} GROUP BY case_id",
                rub_par,
            ).fetchall()
        )
        mine = dict(
            self._conn.execute(
                f"SELECT case_id, COUNT(*) FROM scores WHERE judge_id = ?{rub_sql} GROUP BY case_id",
                (judge_id, *rub_par),
            ).fetchall()
        )
        rows = []
        for case_id in ids:
            if self._exclusion(self._conn, judge_id, case_id):
                continue
            info = case_rows.get(case_id)
            if info is None:
                info = self._conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
            if info is not None and self.conflict(judge, info, keys):
                continue
            done = n_criteria is not None and mine.get(case_id, 0) >= n_criteria
            rows.append(
                {
                    "case_id": case_id,
                    "n_reviews": int(reviews.get(case_id, 0)),
                    "assigned": case_id in assigned,
                    "scored_by_me": int(mine.get(case_id, 0)),
                    "done": done,
                }
            )
        frame = pd.DataFrame(rows, columns=["case_id", "n_reviews", "assigned", "scored_by_me", "done"])
        if frame.empty:
            return frame
        return frame.sort_values(
            ["done", "n_reviews", "assigned", "case_id"], ascending=[True, True, False, True]
        ).reset_index(drop=True)

    # -- CSV ----------------------------------------------------------------------------------

    def import_csv(
        self,
        path: str | os.PathLike[str],
        rubric: Rubric,
        strict: bool = False,
        cases: Iterable[Case] = (),
        actor: str = "import",
    ) -> ImportReport:
        """Import `judge, case_id, criterion, points[, comment]` rows in one transaction.

        A file that cannot be read or lacks a required column raises ScoreError and changes nothing.
        Bad rows are reported with their line numbers and skipped, good rows are kept — unless
        `strict`, when any bad row rolls the whole file back.
        """
        file = Path(path)
        try:
            text = file.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            raise ScoreError(f"{file}: no such file") from None
        except UnicodeDecodeError:
            try:
                text = file.read_bytes().decode("cp949")
            except UnicodeDecodeError as exc:
                raise ScoreError(f"{file}: not a UTF-8 or CP949 text file ({exc})") from None
        except OSError as exc:
            raise ScoreError(f"{file}: cannot read ({exc})") from None
        if "\x00" in text:
            raise ScoreError(f"{file}: binary file, not a CSV")
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        required = ["judge", "case_id", "criterion", "points"]
        missing = [c for c in required if c not in header]
        if missing:
            raise ScoreError(
                f"{file}: line 1: missing column(s) {', '.join(missing)} "
                f"(need judge, case_id, criterion, points[, comment]; got {', '.join(header) or 'none'})"
            )
        reader.fieldnames = header
        report = ImportReport(str(file))
        case_map = {c.id: c for c in cases}
        seen: dict[tuple[str, str, str], int] = {}
        with self._tx() as conn:
            for record in reader:
                line = reader.line_num
                if None in record:
                    report.errors.append((line, f"{len(record[None])} extra field(s)"))  # type: ignore[index]
                    continue
                values = {k: (v or "").strip() for k, v in record.items()}
                judge, case_id, criterion = values["judge"], values["case_id"], values["criterion"]
                if not (judge or case_id or criterion or values["points"]):
                    continue  # blank line
                if not judge or not case_id or not criterion or not values["points"]:
                    report.errors.append((line, "judge, case_id, criterion and points are all required"))
                    continue
                try:
                    case_id = self._resolve_case(conn, case_id, case_map)
                except ScoreError as exc:
                    report.errors.append((line, str(exc)))
                    continue
                if values["points"].lower() in ABSTAIN_WORDS:
                    try:
                        self.judge(judge)
                        self._case_info(conn, case_id, case_map.get(case_id))
                        self._write_exclusion(
                            conn,
                            judge,
                            case_id,
                            "abstain",
                            values.get("comment") or None,
                            actor,
                            withdraw=False,
                        )
                        report.abstentions += 1
                    except ScoreError as exc:
                        report.errors.append((line, str(exc)))
                    continue
                try:
                    crit_id = rubric.criterion(criterion).id
                except Exception as exc:
                    report.errors.append((line, str(exc).split(": ", 1)[-1]))
                    continue
                key = (judge, case_id, crit_id)
                if key in seen:
                    report.errors.append(
                        (line, f"duplicate of line {seen[key]} (same judge, case and criterion)")
                    )
                    continue
                before = conn.total_changes
                conn.execute("SAVEPOINT row")
                try:
                    self._save(
                        conn,
                        judge,
                        case_id,
                        crit_id,
                        values["points"],
                        values.get("comment") or None,
                        rubric,
                        case_map.get(case_id),
                        actor,
                    )
                except ScoreError as exc:
                    conn.execute("ROLLBACK TO row")
                    report.errors.append((line, str(exc)))
                    continue
                finally:
                    conn.execute("RELEASE row")
                seen[key] = line
                if conn.total_changes > before:
                    report.stored += 1
                else:
                    report.unchanged += 1
            if strict and report.errors:
                first = "; ".join(f"line {n}: {e}" for n, e in report.errors[:5])
                raise ScoreError(
                    f"{file}: {len(report.errors)} bad row(s), nothing imported (--strict): {first}"
                )
        return report

    def export_csv(self, out: str | os.PathLike[str] | TextIO, rubric: Rubric | None = None) -> int:
        """Write scores as `judge, case_id, criterion, points, comment, rubric_id, rubric_version, updated_at, excluded`."""
        frame = self.scores_frame(rubric)
        columns = [
            "judge_id",
            "case_id",
            "criterion",
            "points",
            "comment",
            "rubric_id",
            "rubric_version",
            "updated_at",
            "excluded",
        ]
        body = frame[columns].rename(columns={"judge_id": "judge"})
        if isinstance(out, str | os.PathLike):
            from casekit.store import atomic_write_text

            atomic_write_text(Path(out), body.to_csv(index=False))
        else:
            body.to_csv(out, index=False)
        return len(body)


def normalize_affiliation(municipality: str | None, region: str | None) -> tuple[str | None, str | None]:
    """Spell an affiliation the way parsed cases do: '경기도 수원시' → ('수원시', '경기'), '경상남도' → '경남'.

    A municipality whose name is unique in the country also gets its region, so a region-level
    conflict rule still applies when the organizer typed only the city.
    """
    from casekit.parse.gazetteer import region_of, resolve_local_government

    municipality = (municipality or "").strip() or None
    region = (region or "").strip() or None
    if region:
        region = region_of(region) or region
    if municipality:
        found_region, found_municipality = resolve_local_government(municipality)
        if found_municipality and found_municipality != "세종특별자치시":
            municipality = found_municipality
        region = region or found_region
    return municipality, region


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
