"""The workspace on disk: cases by id or by the municipality a person writes, and the one reader and writer
of metrics.jsonl, on the real seed book."""

from __future__ import annotations

import json
import shutil

import pytest

from casekit.errors import WorkspaceError
from casekit.metrics import METRIC_KEYS, extract_metrics
from casekit.store import Workspace, load_metrics


def test_load_cases_frame(seed_workspace):
    import casekit

    frame = casekit.load_cases(seed_workspace)
    assert list(frame["municipality"]) == [
        "수원시",
        "남양주시",
        "이천시",
        "여주시",
        "원주시",
        "청주시",
        "정읍시",
        "경산시",
        "김해시",
    ]
    assert frame.loc[frame.municipality == "경산시", "n_pledges"].item() == 6


def test_find_case_by_id_or_by_the_municipality_of_one_case(seed_workspace):
    gyeongsan = seed_workspace.find_case("경산시")
    assert gyeongsan.municipality == "경산시" and gyeongsan.id.startswith("경산시-")
    assert seed_workspace.find_case(gyeongsan.id) == gyeongsan
    cases = seed_workspace.load_cases()
    assert seed_workspace.find_case("수원시", cases).id == next(
        c.id for c in cases if c.municipality == "수원시"
    )


def test_find_case_refuses_unknown_and_ambiguous_names(seed_workspace, tmp_path):
    with pytest.raises(
        WorkspaceError, match="'부산시' is not a case id or the municipality of exactly one case"
    ):
        seed_workspace.find_case("부산시")
    cases = seed_workspace.load_cases()
    suwon = next(c for c in cases if c.municipality == "수원시")
    twin = type(suwon).from_dict({**suwon.to_dict(), "id": "수원시-000000"})
    with pytest.raises(WorkspaceError, match=r"'수원시' names 2 cases \(수원시-000000, 수원시-"):
        seed_workspace.find_case("수원시", [*cases, twin])


def test_metric_rows_are_the_stored_metrics_in_file_order(seed_workspace):
    rows = seed_workspace.metric_rows()
    stored = [
        json.loads(line) for line in seed_workspace.metrics_path.read_text(encoding="utf-8").splitlines()
    ]
    assert rows == stored and len(rows) > 700
    gyeongsan = seed_workspace.find_case("경산시").id
    only = seed_workspace.metric_rows([gyeongsan])
    assert only == [row for row in rows if row["case_id"] == gyeongsan] and only
    assert all(list(row) == list(METRIC_KEYS) for row in only)


def test_missing_metrics_file_is_extracted_and_written_once(seed_workspace, tmp_path):
    ws = Workspace(tmp_path / "data")
    shutil.copytree(seed_workspace.cases_dir, ws.cases_dir)
    assert not ws.metrics_path.exists()
    rows = ws.metric_rows()
    assert ws.metrics_path.is_file()
    expected = [m.to_dict() for case in ws.iter_cases() for m in extract_metrics(case)]
    assert rows == expected
    assert Workspace(tmp_path / "empty").metric_rows() == []


def test_save_metrics_round_trips_and_a_damaged_line_is_named(seed_workspace, tmp_path):
    ws = Workspace(tmp_path / "data")
    case = seed_workspace.find_case("김해시")
    metrics = extract_metrics(case)
    assert ws.save_metrics(metrics) == len(metrics)
    assert ws.metric_rows() == [m.to_dict() for m in metrics]
    with ws.metrics_path.open("a", encoding="utf-8") as handle:
        handle.write('{"case_id": "김해시-94689e", "kind": \n')
    n = len(metrics) + 1
    with pytest.raises(WorkspaceError, match=rf"metrics.jsonl: line {n}: damaged metric"):
        ws.metric_rows()


def test_load_metrics_frame_has_the_metric_columns(seed_workspace, tmp_path):
    frame = load_metrics(seed_workspace)
    assert list(frame.columns) == list(METRIC_KEYS)
    assert len(frame) == len(seed_workspace.metric_rows())
    assert set(frame["kind"]) >= {"money", "persons", "count", "percent"}
    empty = load_metrics(Workspace(tmp_path / "nothing"))
    assert empty.empty and list(empty.columns) == list(METRIC_KEYS)


def test_a_case_without_stored_metrics_gets_them_before_anyone_reads(writable_seed_workspace):
    ws = writable_seed_workspace
    before = ws.metric_rows()
    first = ws.case_ids()[0]
    data = json.loads(ws.case_path(first).read_text(encoding="utf-8"))
    data["id"] = "사본시-000000"
    ws.case_path("사본시-000000").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rows = ws.metric_rows()
    copied = [row for row in rows if row["case_id"] == "사본시-000000"]
    assert len(copied) == sum(row["case_id"] == first for row in before) > 0
    on_disk = [json.loads(line) for line in ws.metrics_path.read_text(encoding="utf-8").splitlines()]
    assert on_disk == rows
