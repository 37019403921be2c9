"""The score store: validation, conflicts of interest, abstentions, recusals, history, CSV import/export."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from casekit.cli import main
from casekit.errors import ScoreError
from casekit.score.store import ScoreStore
from tests.score.score_paths import DATA


def _ids(ws):  # type: ignore[no-untyped-def]
    return {c.municipality: c.id for c in ws.load_cases()}


def test_fixture_import_reports_bad_rows_by_line(scored_workspace):  # type: ignore[no-untyped-def]
    ws, store, report = scored_workspace
    lines = dict(report.errors)
    assert report.stored == 400 and report.abstentions == 1
    assert sorted(lines) == [2, 3, 405, 406, 407, 408, 409, 410]
    assert "outside 0–14" in lines[2]
    assert "not a number" in lines[3]
    assert "conflict of interest" in lines[405] and "수원시" in lines[405]
    assert "no criterion '혁신성'" in lines[407]
    assert "unknown judge 'X9'" in lines[408]
    assert "unknown case '세종시'" in lines[409]
    assert "duplicate of line 5" in lines[410]
    frame = store.scores_frame()
    assert len(frame) == 400
    ids = _ids(ws)
    # the judge's typo on line 2 was refused, the corrected row later in the file kept
    row = frame[(frame.judge_id == "E2") & (frame.case_id == ids["남양주시"]) & (frame.criterion == "fit")]
    assert row.points.tolist() == [8.0]
    # O1 never got a score on 수원시; E3's scores on 원주시 do not exist and E3 is marked abstaining
    assert frame[(frame.judge_id == "O1") & (frame.case_id == ids["수원시"])].empty
    excl = store.exclusions_frame()
    assert excl[["judge_id", "case_id", "kind"]].values.tolist() == [["E3", ids["원주시"], "abstain"]]


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


def test_conflict_by_region_when_the_rubric_says_so(writable_seed_workspace, rubric):  # type: ignore[no-untyped-def]
    from casekit.rubric import load_rubric
    from tests.score.score_paths import ACTIVE

    active = load_rubric(ACTIVE)
    ws = writable_seed_workspace
    store = ScoreStore(ws)
    store.add_judge("G1", kind="official", region="경기")  # a 경기도 official, no municipality
    suwon = _ids(ws)["수원시"]
    with pytest.raises(ScoreError, match="same region"):
        store.save_score("G1", suwon, "난이도", 10, rubric=active)
    # the manifesto rubric bars only the same municipality
    assert store.save_score("G1", suwon, "fit", 10, rubric=rubric) == 10


def test_late_affiliation_excludes_earlier_scores(scored_workspace, rubric):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    store.add_judge("E1", name="전문가 가", kind="expert", municipality="경산시")
    frame = store.scores_frame(rubric)
    mine = frame[(frame.judge_id == "E1") & (frame.case_id == _ids(ws)["경산시"])]
    assert len(mine) == 8 and set(mine.excluded) == {"conflict"}


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


def test_review_queue_fewest_reviews_first(scored_workspace, rubric):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    cases = ws.load_cases()
    ids = _ids(ws)
    store.add_judge("N1", kind="citizen", municipality="이천시")
    store.assign("N1", [ids["경산시"]])
    queue = store.review_queue("N1", cases, rubric)
    assert ids["이천시"] not in set(queue.case_id)  # conflict of interest
    assert len(queue) == 8
    counts = queue.n_reviews.tolist()
    assert counts == sorted(counts) and counts[0] == 5
    six = queue[queue.n_reviews == 6].case_id.tolist()
    assert six[0] == ids["경산시"]  # assigned comes first among equals
    for crit in rubric.criteria:
        store.save_score("N1", queue.case_id[0], crit.id, 1, rubric=rubric)
    after = store.review_queue("N1", cases, rubric)
    assert after.case_id.iloc[-1] == queue.case_id[0] and bool(after.done.iloc[-1])


def test_malformed_csv_changes_nothing(scored_workspace, rubric, tmp_path: Path):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    before = (store.scores_frame().to_csv(), len(store.history()))
    missing = tmp_path / "missing_col.csv"
    missing.write_text("judge,case_id,points\nE1,경산시,3\n", encoding="utf-8")
    with pytest.raises(ScoreError, match=r"line 1: missing column\(s\) criterion"):
        store.import_csv(missing, rubric)
    binary = tmp_path / "scores.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00\xff\xfe\x00garbage")
    with pytest.raises(ScoreError, match="binary|not a UTF-8"):
        store.import_csv(binary, rubric)
    with pytest.raises(ScoreError, match="no such file"):
        store.import_csv(tmp_path / "nope.csv", rubric)
    strict = tmp_path / "strict.csv"
    strict.write_text(
        "judge,case_id,criterion,points\nE1,경산시,적합성,1\nE1,경산시,적합성,99\n", encoding="utf-8"
    )
    with pytest.raises(ScoreError, match="nothing imported"):
        store.import_csv(strict, rubric, strict=True)
    assert (store.scores_frame().to_csv(), len(store.history())) == before


def test_export_round_trip(scored_workspace, rubric, tmp_path: Path):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    buffer = io.StringIO()
    assert store.export_csv(buffer, rubric) == 400
    out = tmp_path / "export.csv"
    out.write_text(buffer.getvalue(), encoding="utf-8")
    fresh = ScoreStore(tmp_path / "fresh.sqlite")
    fresh.import_judges_csv(DATA / "judges.csv")
    fresh.register_cases(ws.load_cases())
    report = fresh.import_csv(out, rubric)
    assert report.errors == [] and report.stored == 400
    cols = ["judge_id", "case_id", "criterion", "points"]
    assert fresh.scores_frame(rubric)[cols].equals(store.scores_frame(rubric)[cols])


def test_cli_scores(writable_seed_workspace, capsys):  # type: ignore[no-untyped-def]
    ws = str(writable_seed_workspace.root)
    assert main(["judges", "import", str(DATA / "judges.csv"), "--workspace", ws]) == 0
    rc = main(["scores", "import", str(DATA / "scores.csv"), "--rubric", "manifesto_2017", "--workspace", ws])
    captured = capsys.readouterr()
    assert rc == 1  # bad rows were skipped: the exit code says so
    assert "400 score(s) stored" in captured.out
    assert "scores.csv: line 405: judge O1 has a conflict of interest" in captured.err
    assert (
        main(
            ["scores", "set", "O1", "수원시", "창의성", "3", "--rubric", "manifesto_2017", "--workspace", ws]
        )
        == 2
    )
    assert "conflict of interest" in capsys.readouterr().err
    assert (
        main(
            ["scores", "set", "E1", "수원시", "창의성", "3", "--rubric", "manifesto_2017", "--workspace", ws]
        )
        == 0
    )
    assert main(["scores", "history", "--judge", "E1", "--format", "json", "--workspace", ws]) == 0
    assert '"old_points": 12.0' in capsys.readouterr().out
    assert main(["scores", "export", "--workspace", ws]) == 0
    exported = capsys.readouterr().out.splitlines()
    assert exported[0].startswith("judge,case_id,criterion,points,comment") and len(exported) == 401


def test_malformed_rubric_changes_nothing(writable_seed_workspace, tmp_path, capsys):  # type: ignore[no-untyped-def]
    ws = str(writable_seed_workspace.root)
    assert main(["judges", "import", str(DATA / "judges.csv"), "--workspace", ws]) == 0
    store = ScoreStore(writable_seed_workspace)
    before = (len(store.history()), len(store.scores_frame()))
    bad = tmp_path / "broken.yaml"
    bad.write_text(
        (DATA.parents[2] / "rubrics" / "manifesto_2017.yaml")
        .read_text(encoding="utf-8")
        .replace("points: 70", "points: seventy"),
        encoding="utf-8",
    )
    assert main(["scores", "import", str(DATA / "scores.csv"), "--rubric", str(bad), "--workspace", ws]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: stages[0].points (line " in err and "valid number" in err
    assert (len(store.history()), len(store.scores_frame())) == before


def test_cli_assign_and_queue(writable_seed_workspace, capsys):  # type: ignore[no-untyped-def]
    ws = str(writable_seed_workspace.root)
    assert main(["judges", "add", "E9", "--kind", "expert", "--workspace", ws]) == 0
    assert main(["judges", "assign", "E9", "정읍시", "--workspace", ws]) == 0
    assert main(["judges", "assign", "E9", "세종시", "--workspace", ws]) == 2
    capsys.readouterr()
    assert (
        main(["scores", "queue", "E9", "--rubric", "manifesto_2017", "--format", "json", "--workspace", ws])
        == 0
    )
    queue = json.loads(capsys.readouterr().out)
    assert queue[0]["assigned"] is True and queue[0]["case_id"].startswith("정읍시")


def test_same_name_in_another_region_is_no_conflict(tmp_path, rubric):  # type: ignore[no-untyped-def]
    from casekit.parse.model import Case

    def case(cid, region, town):  # type: ignore[no-untyped-def]
        return Case(
            id=cid,
            source="t",
            line_start=1,
            line_end=1,
            region=region,
            municipality=town,
            group="구",
            title="t",
            field=None,
            pledges=[],
            summary="",
            sections=[],
        )

    store = ScoreStore(tmp_path / "s.sqlite")
    store.register_cases([case("seoul-jung", "서울", "중구"), case("busan-jung", "부산", "중구")])
    judge = store.add_judge("B1", kind="official", municipality="부산광역시 중구")
    assert (judge.municipality, judge.region) == ("중구", "부산")
    assert store.save_score("B1", "seoul-jung", "fit", 5, rubric=rubric) == 5
    with pytest.raises(ScoreError, match="conflict of interest"):
        store.save_score("B1", "busan-jung", "fit", 5, rubric=rubric)
    assert store.add_judge("S1", municipality="경기도 수원시").region == "경기"
