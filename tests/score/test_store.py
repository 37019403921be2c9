"""The score store: validation, abstentions, recusals, append-only history, and a judge's saved score never
lost — concurrent writers, and writers killed mid-transaction."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from casekit.errors import ScoreError
from casekit.score.csv_io import import_judges_csv, import_scores_csv
from casekit.score.schema import content_digest
from casekit.score.store import ScoreStore
from tests.score import score_workers
from tests.score.score_paths import DATA, MANIFESTO

CTX = mp.get_context("spawn")


def _ids(ws):  # type: ignore[no-untyped-def]
    return {c.municipality: c.id for c in ws.load_cases()}


def test_points_are_validated_against_the_rubric(scored_workspace, rubric):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    case = _ids(ws)["경산시"]
    with pytest.raises(ScoreError, match=r"outside 0–10"):
        store.save_score("E1", case, "발표력", 10.5, rubric=rubric)
    with pytest.raises(ScoreError, match="outside"):
        store.save_score("E1", case, "fit", -1, rubric=rubric)
    with pytest.raises(ScoreError, match="not a number"):
        store.save_score("E1", case, "fit", "many", rubric=rubric)
    with pytest.raises(ScoreError, match="unknown judge"):
        store.save_score("nobody", case, "fit", 3, rubric=rubric)
    with pytest.raises(ScoreError, match="unknown case"):
        store.save_score("E1", "no-such-case", "fit", 3, rubric=rubric)
    assert store.save_score("E1", case, "적합성", 14, comment="최고", rubric=rubric) == 14
    hist = store.history(judge_id="E1", case_id=case)
    last = hist.iloc[-1]
    assert (last.action, last.criterion, last.old_points, last.new_points, last.comment) == (
        "set",
        "fit",
        13.0,
        14.0,
        "최고",
    )


def test_abstain_and_recuse(scored_workspace, rubric):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    ids = _ids(ws)
    with pytest.raises(ScoreError, match="abstained"):
        store.save_score("E3", ids["원주시"], "fit", 5, rubric=rubric)
    store.abstain("E3", ids["원주시"], withdraw=True)
    assert store.save_score("E3", ids["원주시"], "fit", 5, rubric=rubric) == 5
    store.recuse("E2", None, reason="본인 요청")
    with pytest.raises(ScoreError, match="recused"):
        store.save_score("E2", ids["경산시"], "fit", 5, rubric=rubric)
    frame = store.scores_frame(rubric)
    assert set(frame[frame.judge_id == "E2"].excluded) == {"recuse"}
    assert frame[frame.judge_id != "E2"].excluded.isna().all()


def test_history_is_append_only(scored_workspace):  # type: ignore[no-untyped-def]
    _, store, _ = scored_workspace
    n = len(store.history())
    assert n >= 400
    con = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE history SET new_points = 0")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM history")
    con.close()
    assert len(store.history()) == n


@pytest.fixture
def db(tmp_path, seed_cases):  # type: ignore[no-untyped-def]
    path = tmp_path / "scores.sqlite"
    with ScoreStore(path) as store:
        store.register_cases(seed_cases)
        import_judges_csv(store, DATA / "judges.csv")
        store.add_judge("SHARED")
        for j in ("P1", "P2", "P3", "P4"):
            store.add_judge(j)
    return path


def _counts(path: Path) -> tuple[int, int, str]:
    con = sqlite3.connect(path)
    try:
        scores = con.execute("SELECT COUNT(*) FROM scores").fetchone()[0]
        history = con.execute("SELECT COUNT(*) FROM history WHERE action = 'set'").fetchone()[0]
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
    return scores, history, check


def test_concurrent_saves_lose_nothing(db, seed_cases):  # type: ignore[no-untyped-def]
    judges = ["P1", "P2", "P3", "P4"]
    case_ids = [c.id for c in seed_cases]
    contested = case_ids[0]
    n = 72  # 9 cases × 8 criteria: every key of every judge once
    start = CTX.Event()
    results = CTX.Queue()
    procs = [
        CTX.Process(
            target=score_workers.save_many,
            args=(str(db), str(MANIFESTO), j, case_ids, n, start, contested, results),
        )
        for j in judges
    ]
    for proc in procs:
        proc.start()
    time.sleep(0.5)
    start.set()  # all writers begin together
    done = sorted(results.get(timeout=300) for _ in procs)
    for proc in procs:
        proc.join(60)
        assert proc.exitcode == 0
    assert done == [n + n // 5 + 1] * len(judges)
    store = ScoreStore(db)
    frame = store.scores_frame()
    for judge in judges:
        assert len(frame[frame.judge_id == judge]) == n  # every distinct key of every process is there
    shared = frame[frame.judge_id == "SHARED"]
    assert len(shared) == 1  # one row for the contested key, its value is the last committed write …
    history = store.history(judge_id="SHARED")
    history = history[history.action == "set"]
    assert len(history) == len(judges) * (n // 5 + 1)  # … and every write of every process is in the history
    last = history.iloc[-1]
    assert (shared.points.iloc[0], shared.comment.iloc[0]) == (last.new_points, last.comment)
    assert store.integrity_check() == "ok"
    store.close()


def _run_and_kill(target, args, marker: Path) -> None:  # type: ignore[no-untyped-def]
    proc = CTX.Process(target=target, args=args)
    proc.start()
    deadline = time.time() + 120
    while not marker.exists():
        assert proc.is_alive(), "the child died before reaching the transaction"
        assert time.time() < deadline
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)  # type: ignore[arg-type]
    proc.join(30)
    assert proc.exitcode == -signal.SIGKILL


def test_kill_mid_save_leaves_database_consistent(db, seed_cases, rubric, tmp_path):  # type: ignore[no-untyped-def]
    case_id = seed_cases[1].id
    with ScoreStore(db) as store:
        store.save_score("E1", seed_cases[2].id, "fit", 7, rubric=rubric)
    before = _counts(db)
    marker = tmp_path / "in_tx"
    _run_and_kill(score_workers.save_then_hang, (str(db), str(MANIFESTO), case_id, str(marker)), marker)
    assert _counts(db) == before  # neither the score nor its history row: the transaction never happened
    with ScoreStore(db) as store:
        assert store.integrity_check() == "ok"
        frame = store.scores_frame()
        assert frame[frame.case_id == case_id].empty
        assert frame.points.tolist() == [7.0]  # the earlier committed score survived
        store.save_score("E1", case_id, "fit", 2, rubric=rubric)  # the database is writable again
        assert len(store.scores_frame()) == 2


def test_kill_mid_import_imports_nothing(db, rubric, tmp_path):  # type: ignore[no-untyped-def]
    before = _counts(db)
    marker = tmp_path / "in_tx"
    _run_and_kill(
        score_workers.import_then_hang,
        (str(db), str(MANIFESTO), str(DATA / "scores.csv"), str(marker)),
        marker,
    )
    assert _counts(db) == before
    with ScoreStore(db) as store:
        assert store.integrity_check() == "ok"
        assert store.exclusions_frame().empty  # the abstention row of the file went with the rest
        report = import_scores_csv(store, DATA / "scores.csv", rubric)
        assert report.stored == 400


def test_processes_creating_the_database_at_once(tmp_path):  # type: ignore[no-untyped-def]
    db = tmp_path / "new.sqlite"
    start = CTX.Event()
    procs = [CTX.Process(target=score_workers.open_and_add, args=(str(db), f"J{i}", start)) for i in range(4)]
    for proc in procs:
        proc.start()
    time.sleep(0.5)
    start.set()
    for proc in procs:
        proc.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    with ScoreStore(db) as store:
        assert [j.id for j in store.judges()] == ["J0", "J1", "J2", "J3"]
        assert store.integrity_check() == "ok"


def test_content_digest_reads_every_row_and_never_writes(scored_workspace, rubric, tmp_path: Path):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    before = store.path.stat().st_mtime_ns
    first = content_digest(store.path)
    rows = len(store.scores_frame()) + len(store.exclusions_frame()) + len(store.judges())
    assert first.count(b")(") == rows - 1 and first.startswith(b"(") and first.endswith(b")")
    assert content_digest(store.path) == first and store.path.stat().st_mtime_ns == before
    store.save_score("E1", _ids(ws)["경산시"], "fit", 0, comment="changed", rubric=rubric)
    assert content_digest(store.path) != first
    assert content_digest(tmp_path / "missing.sqlite") == b""
    (tmp_path / "bad.sqlite").write_bytes(b"not a database" * 20)
    assert content_digest(tmp_path / "bad.sqlite").startswith(b"scores-unreadable:")


# -- threads: ipywidgets callbacks arrive on kernel subshell threads (JupyterLab 4.6) -----------------


def test_saves_from_many_threads_all_land(db, seed_cases, rubric):  # type: ignore[no-untyped-def]
    import threading

    store = ScoreStore(db)  # made on this (the main) thread, used from the workers
    judges = ["P1", "P2", "P3", "P4"]
    written = [c.id for c in rubric.stages[0].criteria]
    case_ids = [c.id for c in seed_cases]
    start = threading.Barrier(len(judges))
    errors: list[BaseException] = []

    def work(judge: str, k: int) -> None:
        try:
            start.wait()
            for case_id in case_ids:
                for crit in written:
                    store.save_score(judge, case_id, crit, 1.0 + k, rubric=rubric)
                store.save_score("SHARED", case_ids[0], "fit", float(k), comment=judge, rubric=rubric)
            store.delete_score(judge, case_ids[-1], written[0], rubric)
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(j, k)) for k, j in enumerate(judges)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    frame = store.scores_frame(rubric)
    per_judge = len(case_ids) * len(written) - 1
    for k, judge in enumerate(judges):
        mine = frame[frame.judge_id == judge]
        assert len(mine) == per_judge and set(mine.points) == {1.0 + k}
    history = store.history()
    sets = history[history.action == "set"]
    assert len(sets[sets.judge_id != "SHARED"]) == len(judges) * (per_judge + 1)
    assert len(sets[sets.judge_id == "SHARED"]) >= 1  # the same value again writes nothing …
    assert len(history[history.action == "delete"]) == len(judges)
    shared = frame[frame.judge_id == "SHARED"]
    last = sets[sets.judge_id == "SHARED"].iloc[-1]
    assert (shared.points.iloc[0], shared.comment.iloc[0]) == (last.new_points, last.comment)
    assert store.integrity_check() == "ok"
    store.close()


def test_a_widget_callback_on_another_thread_saves_and_reads(db, seed_cases, rubric):  # type: ignore[no-untyped-def]
    """What the judge's form does in JupyterLab 4.6: the store is made when the notebook runs, and the
    저장 button's callback runs on a kernel subshell thread. With one connection made on the main thread
    every such save raised sqlite3.ProgrammingError."""
    import threading

    import ipywidgets as widgets

    store = ScoreStore(db)
    case_id = seed_cases[0].id
    store.save_score("E1", case_id, "fit", 10, rubric=rubric)  # the first save, on the main thread
    button = widgets.Button(description="저장")
    seen: dict[str, object] = {}

    def on_click(_: object) -> None:
        seen["thread"] = threading.current_thread().name
        seen["saved"] = store.save_score("E1", case_id, "creativity", 12.5, comment="좋음", rubric=rubric)
        seen["deleted"] = store.delete_score("E1", case_id, "fit", rubric)
        seen["read"] = [(s.criterion, s.points, s.comment) for s in store.case_scores("E1", case_id, rubric)]

    button.on_click(on_click)
    subshell = threading.Thread(target=button.click, name="subshell-1")
    subshell.start()
    subshell.join(60)
    assert seen == {
        "thread": "subshell-1",
        "saved": 12.5,
        "deleted": True,
        "read": [("creativity", 12.5, "좋음")],
    }
    # the main thread sees what the callback wrote, and the callback's connection is closed once its
    # thread is gone and another opens
    assert [(s.criterion, s.points) for s in store.case_scores("E1", case_id, rubric)] == [
        ("creativity", 12.5)
    ]
    threading.Thread(target=store.judges).start()
    store.close()
    assert store.judges()  # a closed store opens a new connection on its next use
    store.close()


def test_another_process_sees_a_thread_save_at_once(db, seed_cases, rubric):  # type: ignore[no-untyped-def]
    import threading

    store = ScoreStore(db)
    case_id = seed_cases[3].id
    thread = threading.Thread(
        target=store.save_score, args=("E2", case_id, "fit", 7.5), kwargs={"rubric": rubric}
    )
    thread.start()
    thread.join(60)
    con = sqlite3.connect(db)  # another process' view: a separate connection to the file
    try:
        rows = con.execute(
            "SELECT points FROM scores WHERE judge_id = 'E2' AND case_id = ? AND criterion = 'fit'",
            (case_id,),
        ).fetchall()
    finally:
        con.close()
    assert rows == [(7.5,)]
    store.close()
