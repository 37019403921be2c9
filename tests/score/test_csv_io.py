"""CSV import and export of scores and judges: bad rows reported by line, malformed files change nothing,
an export imports back to the same scores."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from casekit.errors import ScoreError
from casekit.score.csv_io import export_scores_csv, import_judges_csv, import_scores_csv
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


def test_malformed_csv_changes_nothing(scored_workspace, rubric, tmp_path: Path):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    before = (store.scores_frame().to_csv(), len(store.history()))
    missing = tmp_path / "missing_col.csv"
    missing.write_text("judge,case_id,points\nE1,경산시,3\n", encoding="utf-8")
    with pytest.raises(ScoreError, match=r"line 1: missing column\(s\) criterion"):
        import_scores_csv(store, missing, rubric)
    binary = tmp_path / "scores.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00\xff\xfe\x00garbage")
    with pytest.raises(ScoreError, match="binary|not a UTF-8"):
        import_scores_csv(store, binary, rubric)
    with pytest.raises(ScoreError, match="no such file"):
        import_scores_csv(store, tmp_path / "nope.csv", rubric)
    strict = tmp_path / "strict.csv"
    strict.write_text(
        "judge,case_id,criterion,points\nE1,경산시,적합성,1\nE1,경산시,적합성,99\n", encoding="utf-8"
    )
    with pytest.raises(ScoreError, match="nothing imported"):
        import_scores_csv(store, strict, rubric, strict=True)
    assert (store.scores_frame().to_csv(), len(store.history())) == before


def test_export_round_trip(scored_workspace, rubric, tmp_path: Path):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    buffer = io.StringIO()
    assert export_scores_csv(store, buffer, rubric) == 400
    out = tmp_path / "export.csv"
    out.write_text(buffer.getvalue(), encoding="utf-8")
    fresh = ScoreStore(tmp_path / "fresh.sqlite")
    import_judges_csv(fresh, DATA / "judges.csv")
    fresh.register_cases(ws.load_cases())
    report = import_scores_csv(fresh, out, rubric)
    assert report.errors == [] and report.stored == 400
    cols = ["judge_id", "case_id", "criterion", "points"]
    assert fresh.scores_frame(rubric)[cols].equals(store.scores_frame(rubric)[cols])


def test_reimporting_an_unchanged_file_stores_nothing(scored_workspace, rubric):  # type: ignore[no-untyped-def]
    ws, store, first = scored_workspace
    history = len(store.history())
    again = import_scores_csv(store, DATA / "scores.csv", rubric, cases=ws.load_cases())
    assert (again.stored, again.unchanged) == (0, first.stored + first.abstentions) == (0, 401)
    assert again.abstentions == 0  # the abstention was already recorded
    assert len(again.errors) == len(first.errors)  # the same bad rows, reported again
    assert len(store.history()) == history  # and not one history row: nothing changed


HOSTILE = ['=HYPERLINK("http://evil","클릭")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"]


def test_export_escapes_formula_cells_and_keeps_numbers(scored_workspace, rubric, tmp_path: Path):  # type: ignore[no-untyped-def]
    import csv

    ws, store, _ = scored_workspace
    ids = _ids(ws)
    store.add_judge("=cmd|' /C calc'!A0", kind="expert")  # a judge id a spreadsheet would run
    store.save_score("=cmd|' /C calc'!A0", ids["정읍시"], "fit", 3, rubric=rubric)
    crits = [c.id for c in rubric.criteria]
    for crit, text in zip(crits, HOSTILE):
        store.save_score("E1", ids["경산시"], crit, 5, comment=text, rubric=rubric)
    out = tmp_path / "export.csv"
    assert export_scores_csv(store, out, rubric) == 401
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
        float(row["points"])  # numbers stay numbers (no apostrophe), and are never negative
    comments = {
        r["criterion"]: r["comment"] for r in rows if r["judge"] == "E1" and r["case_id"] == ids["경산시"]
    }
    assert [comments[c] for c in crits[: len(HOSTILE)]] == ["'" + t for t in HOSTILE]
    assert any(r["judge"] == "'=cmd|' /C calc'!A0" for r in rows)
    # read back, the export is the same scores and comments: the import takes the apostrophe off again
    report = import_scores_csv(store, out, rubric)
    assert (report.stored, report.unchanged, report.errors) == (0, 401, [])
