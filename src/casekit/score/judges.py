"""The people of a score store: judges and organizers, and who may change whose data.

A judge (kind expert, official or citizen) scores; an organizer (kind "organizer") registers judges,
assigns cases, recuses, and may act for a judge — but never scores. Every change names its actor; these
checks run inside the store's write transaction, on its connection, so the answer and the write agree.

The rules: a judge acts only on their own scores and exclusions; an actor other than the judge must be a
registered organizer, who also alone may withdraw a recusal (a judge may recuse themself). Once an
organizer is registered, registering or changing judges and assignments needs one too (before that,
whoever sets up the store may: that is how the first organizer is added). Identities are declared, not
authenticated: this stops a judge from changing another's scores by mistake or casually and leaves a
trail; it does not stop someone with write access to the file.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from casekit.errors import ScoreError
from casekit.score.affiliation import AffiliationError, resolve_affiliation

JUDGE_KINDS = ("expert", "official", "citizen")
#: The kind of a registered organizer: not a judge (never scores), may act for judges and withdraw recusals.
ORGANIZER = "organizer"
KINDS = (*JUDGE_KINDS, ORGANIZER)


class UnknownJudgeError(ScoreError):
    """The judge id is not registered; the message says how the organizer registers it."""

    def __init__(self, judge_id: str) -> None:
        self.judge_id = judge_id
        super().__init__(
            f"심사위원 '{judge_id}'은(는) 등록되어 있지 않습니다. 운영자가 등록해야 합니다: "
            f"casekit judges add {judge_id} --name 이름 --kind expert --workspace <작업공간> --as <운영자ID> "
            f"(unknown judge {judge_id!r}: the organizer registers judges with `casekit judges add {judge_id} …`)"
        )


class NotPermittedError(ScoreError):
    """The actor may not make this change (another judge's score, an organizer's action)."""


@dataclass(frozen=True)
class Judge:
    """A registered judge or organizer; `note` says what `add_judge` changed in the affiliation typed."""

    id: str
    name: str
    kind: str  # expert | official | citizen, or organizer
    municipality: str | None = None
    region: str | None = None
    note: str | None = field(default=None, compare=False)

    @property
    def is_organizer(self) -> bool:
        return self.kind == ORGANIZER


def judge_from(row: sqlite3.Row) -> Judge:
    return Judge(row["id"], row["name"], row["kind"], row["municipality"], row["region"])


def make_judge(
    judge_id: str, name: str | None, kind: str | None, municipality: str | None, region: str | None
) -> Judge:
    """The Judge record `add_judge` would store: checked id and kind, affiliation through the gazetteer."""
    judge_id = (judge_id or "").strip()
    kind = (kind or "expert").strip()
    if not judge_id:
        raise ScoreError("심사위원 ID가 비어 있습니다 (a judge needs a non-empty id)")
    if kind not in KINDS:
        raise ScoreError(f"judge {judge_id}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    try:
        found = resolve_affiliation(municipality, region)
    except AffiliationError as exc:
        raise AffiliationError(f"judge {judge_id}: {exc}") from None
    return Judge(
        judge_id, (name or "").strip() or judge_id, kind, found.municipality, found.region, found.note
    )


def acting_for(conn: sqlite3.Connection, judge_id: str, actor: str | None) -> tuple[Judge, str]:
    """The judge (must be registered) and the actor recorded for a change of the judge's data.

    The actor is the judge itself (also when None) or a registered organizer; anyone else is refused.
    """
    row = conn.execute("SELECT * FROM judges WHERE id = ?", (judge_id,)).fetchone()
    if row is None:
        raise UnknownJudgeError(judge_id)
    judge = judge_from(row)
    if actor is None or actor == judge_id:
        return judge, judge_id
    if not is_organizer(conn, actor):
        raise NotPermittedError(
            f"'{actor}'은(는) 심사위원 {judge_id}의 점수·기권을 바꿀 수 없습니다: 본인이나 운영자만 "
            f"할 수 있습니다 ({actor} may not change judge {judge_id}'s scores: only {judge_id} "
            "or a registered organizer)"
        )
    return judge, actor


def require_organizer(conn: sqlite3.Connection, actor: str | None, what: str) -> str:
    """`actor` when it is a registered organizer; NotPermittedError naming `what` otherwise."""
    if actor and is_organizer(conn, actor):
        return actor
    who = f"'{actor}'" if actor else "이름 없는 사용자"
    raise NotPermittedError(
        f"{who}: 운영자만 할 수 있습니다 — 운영자 ID로 실행하세요 (--as 운영자ID) "
        f"({what}: only a registered organizer may do this; act as one, e.g. --as <organizer id>)"
    )


def registry_actor(conn: sqlite3.Connection, actor: str | None, what: str) -> str:
    """The actor of a change to the judges or assignments: any while no organizer is registered
    (setting up), an organizer after."""
    if conn.execute("SELECT 1 FROM judges WHERE kind = ? LIMIT 1", (ORGANIZER,)).fetchone() is None:
        return actor or "setup"
    return require_organizer(conn, actor, what)


def is_organizer(conn: sqlite3.Connection, actor: str) -> bool:
    row = conn.execute("SELECT kind FROM judges WHERE id = ?", (actor,)).fetchone()
    return row is not None and row["kind"] == ORGANIZER
