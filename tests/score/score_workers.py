"""Worker functions the reliability tests run in child processes (importable by name under spawn)."""

from __future__ import annotations

import os
import time
from pathlib import Path


def save_many(
    db: str,
    rubric_path: str,
    judge: str,
    case_ids: list[str],
    n: int,
    start,
    contested: str,  # type: ignore[no-untyped-def]
    results,
) -> None:
    """Save `n` scores as `judge` (distinct keys) plus one contested key every 5th save; reports saves done."""
    from casekit.rubric import load_rubric
    from casekit.score.store import ScoreStore

    rubric = load_rubric(rubric_path)
    crits = [c for c in rubric.criteria]
    start.wait()
    done = 0
    with ScoreStore(Path(db), timeout=60) as store:
        for i in range(n):
            crit = crits[i % len(crits)]
            case_id = case_ids[(i // len(crits)) % len(case_ids)]
            store.save_score(
                judge, case_id, crit.id, min(float(crit.max_points or 0), (i % 7) + 1), rubric=rubric
            )
            done += 1
            if i % 5 == 0:
                store.save_score(
                    "SHARED", contested, "fit", float(i % 14), comment=f"{judge}-{i}", rubric=rubric
                )
                done += 1
    results.put(done)


def _store_that_hangs_before_commit(db: str, rubric_path: str, marker: str):  # type: ignore[no-untyped-def]
    """A ScoreStore whose next transaction announces itself in `marker` and hangs until killed."""
    from casekit.rubric import load_rubric
    from casekit.score.store import ScoreStore

    store = ScoreStore(Path(db))

    def hang() -> None:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(120)

    store._before_commit = hang
    return store, load_rubric(rubric_path)


def save_then_hang(db: str, rubric_path: str, case_id: str, marker: str) -> None:
    """Start a save, and inside the open transaction announce it and hang until killed."""
    store, rubric = _store_that_hangs_before_commit(db, rubric_path, marker)
    store.save_score("E1", case_id, "fit", 1.0, comment="never committed", rubric=rubric)


def import_then_hang(db: str, rubric_path: str, csv_path: str, marker: str) -> None:
    """Import a whole CSV and hang inside its single transaction until killed."""
    from casekit.score.csv_io import import_scores_csv

    store, rubric = _store_that_hangs_before_commit(db, rubric_path, marker)
    import_scores_csv(store, csv_path, rubric)


def open_and_add(db: str, judge: str, start) -> None:  # type: ignore[no-untyped-def]
    """Open (and so maybe create) the store at the same moment as other processes, then add a judge."""
    from casekit.score.store import ScoreStore

    start.wait()
    with ScoreStore(Path(db)) as store:
        store.add_judge(judge)
