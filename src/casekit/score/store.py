"""The judges' score store: one SQLite database per workspace (`<ws>/scores.sqlite`).

Public API::

    store = ScoreStore(workspace_or_path)             # usable from any thread (a connection per thread)
    store.add_judge("J1", name="김심사", kind="expert"|"official"|"citizen"|"organizer",
                    municipality=None, region=None, actor=None)
    store.judges() / store.organizers() / store.judge("J1")   # UnknownJudgeError names how to register
    store.register_cases(cases)                       # case → municipality/region, for conflict checks
    store.assign("J1", ["case-a", "case-b"], actor=None)
    store.save_score("J1", case_id, "창의성", 11.5, comment=None, rubric=rubric, actor=None)
    store.delete_score("J1", case_id, "창의성", rubric, actor=None)
    store.case_scores("J1", case_id, rubric)          # the judge's stored scores on a case, rubric order
    store.abstain("J1", case_id, reason=..., actor=None)  # the judge's scores on the case leave its mean
    store.recuse("J1", case_id=None, reason=..., by=None) # bars the judge from one case or all
    store.scores_frame(rubric)                        # one row per score, with `excluded` (why, or None)
    store.history(judge_id=None, case_id=None)        # append-only log of every change, with its actor

CSV import/export is in casekit.score.csv_io, the review queue in casekit.score.queue, the
conflict-of-interest rule in casekit.score.affiliation: they read and write through this store.

Why SQLite and how it keeps scores safe: judges save from several laptops/processes at once, and a
saved score must never be lost. The database runs in WAL mode with `synchronous=FULL`; every change
is one `BEGIN IMMEDIATE … COMMIT` transaction that writes the score row *and* its history row, so
a crash (even SIGKILL mid-transaction) leaves either both or neither. History is append-only:
triggers refuse UPDATE and DELETE on it. Every score row records the rubric id and version (hash of
the rubric file), so `rank` can detect scores given under an older rubric instead of mixing them.

A store may be used from any thread: each thread gets its own connection (casekit.score.connection),
because JupyterLab 4.6 runs widget callbacks on kernel subshell threads.

Who may change what (casekit.score.judges): every change names its actor, by default the judge whose
data it is; another actor must be a registered organizer. History records the actor of every change.

Conflicts of interest: affiliations are spelled through the gazetteer (casekit.score.affiliation), saves
by a judge whose affiliation bars the case are refused, and scores that slipped in before an affiliation
was recorded are marked `excluded="conflict"` in `scores_frame` and left out of every mean.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from casekit.errors import ScoreError
from casekit.parse.model import Case
from casekit.rubric import Criterion, Rubric
from casekit.score.affiliation import AffiliationError, conflict, conflicting_rows
from casekit.score.connection import ThreadConnections
from casekit.score.judges import (
    JUDGE_KINDS,
    KINDS,
    ORGANIZER,
    Judge,
    NotPermittedError,
    UnknownJudgeError,
    acting_for,
    judge_from,
    make_judge,
    registry_actor,
    require_organizer,
)
from casekit.score.points import POINTS_STEP, PointsError, StoredScore, validate_points
from casekit.score.schema import SCHEMA_VERSION, schema_statements
from casekit.store import Workspace

ALL_CASES = "*"
__all__ = [
    "ALL_CASES",
    "JUDGE_KINDS",
    "KINDS",
    "ORGANIZER",
    "POINTS_STEP",
    "AffiliationError",
    "Judge",
    "NotPermittedError",
    "PointsError",
    "ScoreStore",
    "StoredScore",
    "UnknownJudgeError",
    "validate_points",
]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


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
        self._connections = ThreadConnections(self.path, timeout)
        self._init_schema()

    # -- connection and transactions ---------------------------------------------------------

    @property
    def _conn(self) -> sqlite3.Connection:
        """This thread's connection (see casekit.score.connection: why one per thread)."""
        return self._connections.get()

    def _init_schema(self) -> None:
        with self.transaction() as conn:
            # executescript() would COMMIT our transaction, so the statements run one by one
            for statement in schema_statements():
                conn.execute(statement)
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                conn.execute("INSERT INTO meta (key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,))
            elif row[0] != SCHEMA_VERSION:
                raise ScoreError(
                    f"{self.path}: score database schema {row[0]}, this casekit reads {SCHEMA_VERSION}"
                )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
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
        """Close every thread's connection; a later use opens a new one."""
        self._connections.close_all()

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
        actor: str | None = None,
    ) -> Judge:
        """Add or update a judge (or, kind "organizer", an organizer); returns it with a `note` on corrections.

        The affiliation (`municipality`/`region`, checked for conflicts of interest) is spelled through the
        gazetteer; one it cannot place raises AffiliationError. Once an organizer is registered, `actor`
        must be one (see the module docstring).
        """
        judge = make_judge(judge_id, name, kind, municipality, region)
        with self.transaction() as conn:
            who = registry_actor(conn, actor, f"register judge {judge.id}")
            self.write_judge(
                conn,
                judge,
                who,
                detail=f"{judge.name}|{judge.kind}|{judge.municipality or ''}|{judge.region or ''}"
                + (f"|{judge.note}" if judge.note else ""),
            )
        return judge

    def judge(self, judge_id: str) -> Judge:
        """The registered judge or organizer `judge_id`; UnknownJudgeError (says how to register) if none."""
        row = self._conn.execute("SELECT * FROM judges WHERE id = ?", (judge_id,)).fetchone()
        if row is None:
            raise UnknownJudgeError(judge_id)
        return judge_from(row)

    def judges(self) -> list[Judge]:
        """The registered judges (organizers left out: they do not score), by id."""
        rows = self._conn.execute("SELECT * FROM judges WHERE kind != ? ORDER BY id", (ORGANIZER,))
        return [judge_from(r) for r in rows.fetchall()]

    def organizers(self) -> list[Judge]:
        rows = self._conn.execute("SELECT * FROM judges WHERE kind = ? ORDER BY id", (ORGANIZER,))
        return [judge_from(r) for r in rows.fetchall()]

    def register_cases(self, cases: Iterable[Case]) -> int:
        """Record each case's municipality/region/field/group so conflicts can be checked without the files."""
        rows = [(c.id, c.municipality, c.region, c.field, c.group, c.title) for c in cases]
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO cases (id, municipality, region, field, grp, title) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET municipality=excluded.municipality, region=excluded.region, "
                "field=excluded.field, grp=excluded.grp, title=excluded.title",
                rows,
            )
        return len(rows)

    def assign(self, judge_id: str, case_ids: Iterable[str], actor: str | None = None) -> int:
        self.judge(judge_id)
        ids = list(case_ids)
        with self.transaction() as conn:
            who = registry_actor(conn, actor, f"assign cases to {judge_id}")
            for case_id in ids:
                conn.execute(
                    "INSERT OR IGNORE INTO assignments (judge_id, case_id, assigned_at) VALUES (?, ?, ?)",
                    (judge_id, case_id, _now()),
                )
                self._log(conn, "assign", actor=who, judge_id=judge_id, case_id=case_id)
        return len(ids)

    # -- conflicts and exclusions ------------------------------------------------------------

    def _exclusion(self, conn: sqlite3.Connection, judge_id: str, case_id: str) -> str | None:
        row = conn.execute(
            "SELECT kind FROM exclusions WHERE judge_id = ? AND case_id IN (?, ?) ORDER BY kind DESC LIMIT 1",
            (judge_id, case_id, ALL_CASES),
        ).fetchone()
        return None if row is None else str(row[0])

    def exclusion(self, judge_id: str, case_id: str) -> str | None:
        """The exclusion ("abstain" or "recuse", also from every case) barring the judge from the case, or None."""
        return self._exclusion(self._conn, judge_id, case_id)

    def abstain(
        self,
        judge_id: str,
        case_id: str,
        reason: str | None = None,
        withdraw: bool = False,
        actor: str | None = None,
    ) -> None:
        """The judge abstains on a case: their scores on it are kept but leave its mean; new saves are refused.

        `actor`: the judge (default) or an organizer, for placing and for withdrawing.
        """
        with self.transaction() as conn:
            _, who = acting_for(conn, judge_id, actor)
            self.write_exclusion(conn, judge_id, case_id, "abstain", reason, who, withdraw)

    def recuse(
        self,
        judge_id: str,
        case_id: str | None = None,
        reason: str | None = None,
        by: str | None = None,
        withdraw: bool = False,
    ) -> None:
        """Bar a judge from one case (or, with case_id=None, from every case).

        `by` is the actor: an organizer, or the judge recusing themself (the default). Only an organizer
        may withdraw a recusal (NotPermittedError otherwise).
        """
        with self.transaction() as conn:
            if withdraw:
                self.judge(judge_id)
                who = require_organizer(conn, by, f"withdraw the recusal of {judge_id}")
            else:
                _, who = acting_for(conn, judge_id, by)
            self.write_exclusion(conn, judge_id, case_id or ALL_CASES, "recuse", reason, who, withdraw)

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

        Refused (ScoreError) when: the judge (UnknownJudgeError) or case is unknown, the criterion is not
        in the rubric, points are no number, outside 0..max_points or not in half points (PointsError),
        the actor is neither the judge nor an organizer (NotPermittedError), the judge has a conflict of
        interest, abstained or was recused.
        """
        if rubric is None:
            raise ScoreError("save_score needs the rubric (points are validated against its criteria)")
        with self.transaction() as conn:
            stored, _ = self.put_score(
                conn, judge_id, case_id, criterion, points, comment, rubric, case, actor
            )
        return stored

    def delete_score(
        self, judge_id: str, case_id: str, criterion: str, rubric: Rubric, actor: str | None = None
    ) -> bool:
        """Clear one stored score (logged, with its old points); False when there was none.

        Only the judge or an organizer may (NotPermittedError otherwise).
        """
        crit = self._criterion(rubric, criterion)
        with self.transaction() as conn:
            _, who = acting_for(conn, judge_id, actor)
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
                actor=who,
                rubric_id=rubric.id,
                rubric_version=rubric.version,
                judge_id=judge_id,
                case_id=case_id,
                criterion=crit.id,
                old_points=old["points"],
            )
        return True

    def case_scores(self, judge_id: str, case_id: str, rubric: Rubric) -> list[StoredScore]:
        """What `judge_id` has stored on `case_id` under `rubric`, in the rubric's order of criteria."""
        rows = self._conn.execute(
            "SELECT criterion, points, comment, updated_at FROM scores "
            "WHERE rubric_id = ? AND judge_id = ? AND case_id = ?",
            (rubric.id, judge_id, case_id),
        ).fetchall()
        stored = {r["criterion"]: r for r in rows}
        return [
            StoredScore(
                crit.id,
                crit.name,
                float(stored[crit.id]["points"]),
                float(crit.max_points or 0),
                stored[crit.id]["comment"],
                datetime.fromisoformat(stored[crit.id]["updated_at"]),
            )
            for crit in rubric.criteria
            if crit.id in stored
        ]

    @staticmethod
    def _criterion(rubric: Rubric, criterion: str) -> Criterion:
        try:
            return rubric.criterion(str(criterion))
        except Exception as exc:
            raise ScoreError(str(exc)) from None

    def _log(self, conn: sqlite3.Connection, action: str, **values: Any) -> None:
        cols = ["at", "action"] + list(values)
        conn.execute(
            f"INSERT INTO history ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [_now(), action, *values.values()],
        )

    # -- steps inside an open `transaction()`: casekit.score.csv_io writes a whole file in one -------

    def write_judge(self, conn: sqlite3.Connection, judge: Judge, actor: str, detail: str) -> None:
        """Add or update `judge`, logging `detail`."""
        conn.execute(
            "INSERT INTO judges (id, name, kind, municipality, region, created_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET name=excluded.name, kind=excluded.kind, "
            "municipality=excluded.municipality, region=excluded.region",
            (judge.id, judge.name, judge.kind, judge.municipality, judge.region, _now()),
        )
        self._log(conn, "judge", actor=actor, judge_id=judge.id, detail=detail)

    def case_info(self, conn: sqlite3.Connection, case_id: str, case: Case | None = None) -> sqlite3.Row:
        """The case's row, registering `case` (or the workspace's case file) first; ScoreError if unknown."""
        row = conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
        if case is not None and case.id == case_id:
            values = (case.id, case.municipality, case.region, case.field, case.group, case.title)
            if (
                row is None
                or tuple(row[k] for k in ("id", "municipality", "region", "field", "grp", "title")) != values
            ):
                # only when it changed: an import of an unchanged file writes nothing
                conn.execute(
                    "INSERT OR REPLACE INTO cases (id, municipality, region, field, grp, title) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    values,
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

    def write_exclusion(
        self,
        conn: sqlite3.Connection,
        judge_id: str,
        case_id: str,
        kind: str,
        reason: str | None,
        actor: str,
        withdraw: bool,
    ) -> bool:
        """Record (or, with `withdraw`, remove) an abstention or recusal, logged; False when that changed
        nothing (the same one was there, or none to withdraw) and nothing was written."""
        old = conn.execute(
            "SELECT reason FROM exclusions WHERE judge_id = ? AND case_id = ? AND kind = ?",
            (judge_id, case_id, kind),
        ).fetchone()
        if withdraw:
            if old is None:
                return False
            conn.execute(
                "DELETE FROM exclusions WHERE judge_id = ? AND case_id = ? AND kind = ?",
                (judge_id, case_id, kind),
            )
        else:
            if old is not None and old["reason"] == reason:
                return False
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
        return True

    def put_score(
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
    ) -> tuple[float, bool]:
        """The checks and the write of `save_score` (unchanged points write nothing): the points, and whether
        anything was written (False: the same score was stored)."""
        judge, who = acting_for(conn, judge_id, actor)
        if judge.is_organizer:
            raise NotPermittedError(
                f"{judge_id}은(는) 운영자라 채점하지 않습니다 (organizer {judge_id} does not score; "
                "register a judge id to score)"
            )
        crit = self._criterion(rubric, criterion)
        value = validate_points(crit, points)
        info = self.case_info(conn, case_id, case)
        key = conflict(judge, info, rubric.model.conflict_of_interest)
        if key:
            place = info[key] if key in info.keys() else getattr(judge, key)
            raise ScoreError(
                f"심사위원 {judge_id}은(는) 같은 {'지자체' if key == 'municipality' else '지역'}({place}) 사례를 "
                f"채점할 수 없습니다 (judge {judge_id} has a conflict of interest with case {case_id} "
                f"(same {key}: {place}))"
            )
        excluded = self._exclusion(conn, judge_id, case_id)
        if excluded == "abstain":
            raise ScoreError(
                f"심사위원 {judge_id}은(는) 이 사례에 기권했습니다: 먼저 기권을 철회하세요 "
                f"(judge {judge_id} abstained on case {case_id}; withdraw the abstention first)"
            )
        if excluded == "recuse":
            raise ScoreError(
                f"심사위원 {judge_id}은(는) 운영자가 이 사례에서 제외했습니다 "
                f"(judge {judge_id} was recused from case {case_id} by the organizer)"
            )
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
            return value, False
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
            actor=who,
            rubric_id=rubric.id,
            rubric_version=rubric.version,
            judge_id=judge_id,
            case_id=case_id,
            criterion=crit.id,
            old_points=None if old is None else old["points"],
            new_points=value,
            comment=comment,
        )
        return value, True

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
        clashes = conflicting_rows(frame, keys)
        reasons = [r if r is not None or not c else "conflict" for r, c in zip(reasons, clashes)]
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

    def assigned(self, judge_id: str) -> set[str]:
        """The cases assigned to the judge."""
        rows = self._conn.execute("SELECT case_id FROM assignments WHERE judge_id = ?", (judge_id,))
        return {r[0] for r in rows}

    def review_counts(
        self, judge_id: str, rubric: Rubric | None = None
    ) -> tuple[dict[str, int], dict[str, int]]:
        """Per case id: how many judges scored it, and how many criteria `judge_id` scored (under `rubric`)."""
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
        return reviews, mine

    def case_record(self, case_id: str) -> sqlite3.Row | None:
        """The registered case (municipality, region, field, grp, title), or None."""
        return self._conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()  # type: ignore[no-any-return]
