"""The case commands as a user runs them: exit codes, one clear line per bad file, JSON keys."""

from __future__ import annotations

import json

from casekit.cli import main

REQUIRED_KEYS = {
    "id",
    "source",
    "line_start",
    "line_end",
    "region",
    "municipality",
    "group",
    "title",
    "field",
    "pledges",
    "sections",
}


def test_parse_json_lists_the_nine_cases(seed_path, capsys):
    assert main(["parse", str(seed_path), "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 9
    for record in records:
        assert REQUIRED_KEYS <= set(record)
        assert "lines" not in record
        for section in record["sections"]:
            assert {"heading", "kind", "line_start", "line_end"} <= set(section)
    assert records[5]["title"] == "경력단절 여성에게 내일(JOB)이 있는 청주!!"


def test_parse_table_shows_municipality_title_field_and_lines(seed_path, capsys):
    assert main(["parse", str(seed_path)]) == 0
    out = capsys.readouterr().out
    assert "경산시" in out and "사회적경제" in out and "2537-2936" in out


def test_ingest_reports_bad_files_and_exit_codes(tmp_path, seed_path, capsys):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.5 not a pdf")
    ws = tmp_path / "ws"
    assert main(["ingest", str(bad), str(seed_path), "--workspace", str(ws)]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "broken.pdf" in captured.err and "PDF" in captured.err
    assert "9 case(s)" in captured.out
    assert main(["ingest", str(bad), str(seed_path), "--workspace", str(ws), "--strict"]) == 1
    assert main(["ingest", str(bad), "--workspace", str(tmp_path / "other")]) == 1


def test_workspace_from_environment(tmp_path, seed_path, monkeypatch, capsys):
    monkeypatch.setenv("CASEKIT_WORKSPACE", str(tmp_path / "env_ws"))
    assert main(["ingest", str(seed_path)]) == 0
    assert (tmp_path / "env_ws" / "cases").is_dir()
    capsys.readouterr()
    assert main(["cases", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 9


def test_missing_workspace_is_one_line_not_a_traceback(tmp_path, capsys):
    assert main(["cases", "--workspace", str(tmp_path / "nothing")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("casekit: error: no cases in") and "Traceback" not in err
