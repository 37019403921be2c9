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


def _run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    rc = main(list(argv))
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def test_cli_acts_as_someone_and_only_organizers_act_for_others(writable_seed_workspace, capsys, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("CASEKIT_JUDGE", raising=False)
    ws = ["--workspace", str(writable_seed_workspace.root)]
    rub = ["--rubric", "manifesto_2017"]
    assert _run(capsys, "judges", "import", str(DATA / "judges.csv"), *ws)[0] == 0
    rc, out, _ = _run(capsys, "judges", "add", "ORG", "--name", "운영위원", "--kind", "organizer", *ws)
    assert rc == 0 and out.startswith("organizer ORG")  # the first organizer needs no --as
    # registering judges is now the organizers' job
    rc, _, err = _run(capsys, "judges", "add", "E9", *ws)
    assert rc == 2 and "only a registered organizer" in err and "Traceback" not in err
    rc, out, err = _run(
        capsys, "judges", "add", "E9", "--municipality", "수원", "--region", "강원", "--as", "ORG", *ws
    )
    assert rc == 0 and "수원시 / 경기" in out and "region corrected" in err
    rc, _, err = _run(capsys, "judges", "add", "E8", "--municipality", "화성군", "--as", "ORG", *ws)
    assert rc == 2 and "unknown municipality '화성군'" in err and "지자체 목록" in err
    # E1 cannot change E2's score, an organizer can, and the history names who did
    assert _run(capsys, "scores", "set", "E2", "경산시", "fit", "12", *rub, *ws)[0] == 0
    rc, _, err = _run(capsys, "scores", "set", "E2", "경산시", "fit", "1", "--as", "E1", *rub, *ws)
    assert rc == 2 and "E1 may not change judge E2's scores" in err
    rc, _, err = _run(capsys, "scores", "delete", "E2", "경산시", "fit", "--as", "E1", *rub, *ws)
    assert rc == 2 and "E1 may not change judge E2's scores" in err
    monkeypatch.setenv("CASEKIT_JUDGE", "E1")  # the judge at this keyboard
    rc, _, err = _run(capsys, "scores", "set", "E2", "경산시", "fit", "1", *rub, *ws)
    assert rc == 2 and "E1 may not change judge E2's scores" in err
    monkeypatch.delenv("CASEKIT_JUDGE")
    rc, out, _ = _run(capsys, "scores", "delete", "E2", "경산시", "적합성", "--as", "ORG", *rub, *ws)
    assert rc == 0 and out.startswith("deleted: E2")
    rc, out, _ = _run(capsys, "scores", "delete", "E2", "경산시", "fit", "--as", "ORG", *rub, *ws)
    assert rc == 0 and out.startswith("nothing stored: E2")
    history = ScoreStore(writable_seed_workspace).history(judge_id="E2")
    changes = history[history.action.isin(["set", "delete"])]
    assert list(zip(changes.action, changes.actor)) == [("set", "E2"), ("delete", "ORG")]
    # a recusal is lifted by an organizer only
    assert _run(capsys, "scores", "recuse", "E1", "경산시", "--as", "ORG", *ws)[0] == 0
    rc, _, err = _run(capsys, "scores", "recuse", "E1", "경산시", "--withdraw", *ws)
    assert rc == 2 and "only a registered organizer" in err
    rc, _, err = _run(capsys, "scores", "recuse", "E1", "경산시", "--withdraw", "--as", "E1", *ws)
    assert rc == 2 and "only a registered organizer" in err
    rc, out, _ = _run(capsys, "scores", "recuse", "E1", "경산시", "--withdraw", "--as", "ORG", *ws)
    assert rc == 0 and out.startswith("withdrawn: E1")
    last = ScoreStore(writable_seed_workspace).history(judge_id="E1").iloc[-1]
    assert (last.action, last.actor) == ("withdraw-recuse", "ORG")


def test_cli_reimport_reports_unchanged_and_export_is_formula_safe(writable_seed_workspace, capsys, tmp_path):  # type: ignore[no-untyped-def]
    ws = ["--workspace", str(writable_seed_workspace.root)]
    rub = ["--rubric", "manifesto_2017"]
    assert _run(capsys, "judges", "import", str(DATA / "judges.csv"), *ws)[0] == 0
    first = _run(capsys, "scores", "import", str(DATA / "scores.csv"), *rub, *ws)[1]
    again = _run(capsys, "scores", "import", str(DATA / "scores.csv"), *rub, *ws)[1]
    assert "400 stored, 0 unchanged, 1 abstention(s)" in first
    assert "0 stored, 401 unchanged, 0 abstention(s), 8 bad row(s) skipped" in again
    evil = '=HYPERLINK("http://evil","보기")'
    assert _run(capsys, "scores", "set", "E1", "경산시", "fit", "13.5", "--comment", evil, *rub, *ws)[0] == 0
    out = tmp_path / "scores.csv"
    rc, _, err = _run(capsys, "scores", "export", "--out", str(out), *ws)
    assert rc == 0 and "wrote 400 score(s)" in err
    text = out.read_text(encoding="utf-8")
    quoted = '"' + "'" + evil.replace('"', '""') + '"'  # CSV-quoted, after the apostrophe
    assert quoted in text and f",{evil}" not in text
    assert ",13.5," in text  # the points stay a plain number
