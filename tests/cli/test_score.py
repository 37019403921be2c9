"""`casekit rubric validate`, `prescore`, `judges`, `scores` and `rank` on the seed book and the judges' CSV."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from casekit.cli import main
from casekit.score.store import ScoreStore
from tests.score.score_paths import ACTIVE, DATA, MANIFESTO
from tests.test_rubric import GOOD


def test_cli_validate(tmp_path: Path, capsys):  # type: ignore[no-untyped-def]
    assert main(["rubric", "validate", str(MANIFESTO), str(ACTIVE)]) == 0
    out = capsys.readouterr().out
    assert "ok" in out and "manifesto_2017" in out and "active_admin" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("points: 10", "points: -1"), encoding="utf-8")
    assert main(["rubric", "validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: stages[0].points (line 6)" in err and "Traceback" not in err
    assert main(["rubric", "validate", str(tmp_path / "missing.yaml")]) == 2
    assert "no such rubric file" in capsys.readouterr().err


def test_cli_prescore(writable_seed_workspace, capsys):  # type: ignore[no-untyped-def]
    ws = str(writable_seed_workspace.root)
    assert main(["prescore", "--rubric", "manifesto_2017", "--workspace", ws, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "SUGGESTIONS" in data["note"] and len(data["suggestions"]) == 45
    assert (writable_seed_workspace.prescores_dir / "manifesto_2017.jsonl").is_file()
    assert main(["prescore", "--rubric", "manifesto_2017", "--workspace", ws, "--case", "수원시"]) == 0
    out = capsys.readouterr().out
    assert "수원시" in out and "이천시" not in out


def test_cli_scores(writable_seed_workspace, capsys):  # type: ignore[no-untyped-def]
    ws = str(writable_seed_workspace.root)
    assert main(["judges", "import", str(DATA / "judges.csv"), "--workspace", ws]) == 0
    rc = main(["scores", "import", str(DATA / "scores.csv"), "--rubric", "manifesto_2017", "--workspace", ws])
    captured = capsys.readouterr()
    assert rc == 1  # bad rows were skipped: the exit code says so
    assert "400 stored, 0 unchanged" in captured.out
    line_405 = next(line for line in captured.err.splitlines() if "scores.csv: line 405:" in line)
    assert "judge O1 has a conflict of interest" in line_405 and "채점할 수 없습니다" in line_405
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


def test_cli_rank(scored_workspace, tmp_path, capsys):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    store.close()
    args = ["rank", "--rubric", str(MANIFESTO), "--workspace", str(ws.root)]
    assert main([*args, "--format", "json", "--bootstrap", "40"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["basis"] == "judges" and data["settings"]["bootstrap"] == 40
    first = data["rows"][0]
    for key in (
        "rank",
        "case_id",
        "municipality",
        "title",
        "field",
        "group",
        "total",
        "award",
        "stage_written",
        "stage_presentation",
        "rank_lo",
        "rank_hi",
        "n_judges",
        "disagreement",
        "explanation",
    ):
        assert key in first
    assert (first["municipality"], first["award"]) == ("경산시", "최우수상")
    assert {a["id"] for a in data["agreement"]} >= {"fit", "creativity", "written", "presentation"}
    assert main([*args, "--format", "xlsx", "--out", str(tmp_path / "r.xlsx")]) == 0
    assert (tmp_path / "r.xlsx").is_file()
    assert main([*args, "--group", "군"]) == 2
    assert "no cases to rank" in capsys.readouterr().err
    fresh = tmp_path / "fresh"
    shutil.copytree(ws.cases_dir, fresh / "cases")
    assert main(["rank", "--rubric", "manifesto_2017", "--workspace", str(fresh), "--format", "table"]) == 0
    captured = capsys.readouterr()
    assert "PRE-SCORES" in captured.out and "PRE-SCORES" in captured.err
    assert not (fresh / "scores.sqlite").exists()  # ranking never creates a store as a side effect
