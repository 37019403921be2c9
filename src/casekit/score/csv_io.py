"""Scores and judges as CSV files: what organizers collect from judges by e-mail, and back up.

    import_scores_csv(store, path, rubric, strict=False, cases=(), actor=None) -> ImportReport
                                        # judge, case_id, criterion, points[, comment]
    export_scores_csv(store, path_or_stream, rubric=None) -> int
                                        # judge, case_id, criterion, points, comment, rubric_id, …, excluded
    import_judges_csv(store, path, actor=None) -> int   # id[, name, kind, municipality, region]

A file is imported in ONE transaction of the store: a file that cannot be read, or lacks a required
column, changes nothing; bad rows are reported with their line numbers and skipped (every one checked
exactly as `ScoreStore.save_score` checks a single save) — or, with `strict`, roll the whole file back.
A `points` cell reading abstain/기권/회피 records the judge's abstention on the case. Judges write the
municipality (수원시) where the case id (수원시-423ec8) is meant; the one case of that municipality is taken.

Who imports: with `actor` an organizer, every row; with `actor` a judge, only that judge's rows (the
others are bad rows); with no actor, each row acts as its own judge, as `save_score` does. The report
counts rows stored and rows unchanged apart, so re-importing the same file says "0 stored, N unchanged".

Why exported cells are escaped: organizers open the export in Excel, where a cell starting with = + - @
(or a tab / carriage return) is run as a formula. A judge's comment or a case title could carry one, so
such text cells get a leading apostrophe (Excel shows the text, runs nothing); numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from casekit.errors import ScoreError
from casekit.parse.model import Case
from casekit.rubric import Rubric
from casekit.score.judges import KINDS, acting_for, make_judge, registry_actor
from casekit.score.store import ScoreStore
from casekit.store import atomic_write_text

#: A CSV `points` cell with one of these records an abstention of the judge on the case.
ABSTAIN_WORDS = ("abstain", "기권", "회피")

_EXPORT_COLUMNS = [
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


@dataclass
class ImportReport:
    """What `import_scores_csv` did: rows stored, and bad rows with their line numbers and reasons."""

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


def import_scores_csv(
    store: ScoreStore,
    path: str | os.PathLike[str],
    rubric: Rubric,
    strict: bool = False,
    cases: Iterable[Case] = (),
    actor: str | None = None,
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
    with store.transaction() as conn:
        for record in reader:
            line = reader.line_num
            if None in record:
                report.errors.append((line, f"{len(record[None])} extra field(s)"))  # type: ignore[index]
                continue
            values = {k: unescape_cell((v or "").strip()) for k, v in record.items()}
            judge, case_id, criterion = values["judge"], values["case_id"], values["criterion"]
            if not (judge or case_id or criterion or values["points"]):
                continue  # blank line
            if not judge or not case_id or not criterion or not values["points"]:
                report.errors.append((line, "judge, case_id, criterion and points are all required"))
                continue
            try:
                case_id = _resolve_case(store, conn, case_id, case_map)
            except ScoreError as exc:
                report.errors.append((line, str(exc)))
                continue
            if values["points"].lower() in ABSTAIN_WORDS:
                try:
                    _, who = acting_for(conn, judge, actor)
                    store.case_info(conn, case_id, case_map.get(case_id))
                    if store.write_exclusion(
                        conn,
                        judge,
                        case_id,
                        "abstain",
                        values.get("comment") or None,
                        who,
                        withdraw=False,
                    ):
                        report.abstentions += 1
                    else:
                        report.unchanged += 1
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
            conn.execute("SAVEPOINT row")
            try:
                _, changed = store.put_score(
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
            if changed:
                report.stored += 1
            else:
                report.unchanged += 1
        if strict and report.errors:
            first = "; ".join(f"line {n}: {e}" for n, e in report.errors[:5])
            raise ScoreError(f"{file}: {len(report.errors)} bad row(s), nothing imported (--strict): {first}")
    return report


def _resolve_case(store: ScoreStore, conn: sqlite3.Connection, value: str, case_map: dict[str, Case]) -> str:
    """An exact case id, else the one case of that municipality (judges write 수원시, not 수원시-423ec8)."""
    if value in case_map or conn.execute("SELECT 1 FROM cases WHERE id = ?", (value,)).fetchone():
        return value
    if store.workspace is not None and store.workspace.case_path(value).is_file():
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


def export_scores_csv(
    store: ScoreStore, out: str | os.PathLike[str] | TextIO, rubric: Rubric | None = None
) -> int:
    """Write scores as `judge, case_id, criterion, points, comment, rubric_id, rubric_version, updated_at, excluded`."""
    frame = store.scores_frame(rubric)
    body = frame[_EXPORT_COLUMNS].rename(columns={"judge_id": "judge"})
    for column in body.columns:
        if not pd.api.types.is_numeric_dtype(body[column]):
            body[column] = body[column].map(escape_cell)
    # CRLF rows (RFC 4180, what Excel writes): the csv writer then also quotes a lone CR inside a
    # comment, which would otherwise split the row when read back
    if isinstance(out, str | os.PathLike):
        atomic_write_text(Path(out), body.to_csv(index=False, lineterminator="\r\n"))
    else:
        body.to_csv(out, index=False, lineterminator="\r\n")
    return len(body)


#: What a spreadsheet takes for the start of a formula (tab and CR too: Excel strips them, then looks).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, prefixed with an apostrophe; others as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_cell(text: str) -> str:
    """The cell as it was before `escape_cell`: an export read back imports the comments it wrote."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def import_judges_csv(store: ScoreStore, path: str | os.PathLike[str], actor: str | None = None) -> int:
    """Add judges from `id, name, kind, municipality, region` rows; any bad row rejects the whole file.

    Affiliations go through the gazetteer as in `ScoreStore.add_judge` (one it cannot place rejects the
    file, naming the line); once an organizer is registered, `actor` must be one.
    """
    file = Path(path)
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScoreError(f"{file}: cannot read ({exc})") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "id" not in header:
        raise ScoreError(f"{file}: line 1: missing column id (need id[, name, kind, municipality, region])")
    reader.fieldnames = header
    rows = []
    for record in reader:
        values = {k: (v or "").strip() for k, v in record.items() if k}
        if not any(values.values()):
            continue
        kind = values.get("kind") or "expert"
        if not values.get("id") or kind not in KINDS:
            raise ScoreError(
                f"{file}: line {reader.line_num}: need an id and a kind in {', '.join(KINDS)};"
                " nothing imported"
            )
        try:
            judge = make_judge(
                values["id"], values.get("name"), kind, values.get("municipality"), values.get("region")
            )
        except ScoreError as exc:
            raise ScoreError(f"{file}: line {reader.line_num}: {exc}; nothing imported") from None
        rows.append(judge)
    with store.transaction() as conn:
        who = registry_actor(conn, actor, f"import judges from {file.name}")
        for judge in rows:
            store.write_judge(conn, judge, who, detail="import" + (f"|{judge.note}" if judge.note else ""))
    return len(rows)
