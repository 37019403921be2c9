"""`casekit index / search / similar / duplicates` on the seed workspace: JSON shape, tables, errors."""

from __future__ import annotations

import json

from casekit.cli import main

REQUIRED = {
    "case_id",
    "municipality",
    "title",
    "field",
    "section",
    "line_start",
    "line_end",
    "score",
    "snippet",
}


def test_index_then_search_json(writable_seed_workspace, capsys, seed_path):
    ws = str(writable_seed_workspace.root)
    assert main(["index", "--workspace", ws, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "indexed 9 cases" in out and "fused" in out and "lines" in out

    assert main(["search", "해외 무역사절단과 국외 박람회 참가", "--format", "json", "--workspace", ws]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert isinstance(hits, list) and len(hits) == 10
    assert REQUIRED <= set(hits[0])
    first = hits[0]
    assert first["municipality"] == "경산시"
    raw = seed_path.read_text(encoding="utf-8").splitlines()
    shown = [part.strip() for part in first["snippet"].split(" / ")]
    window = [raw[n - 1].strip() for n in range(first["line_start"], first["line_end"] + 1)]
    assert all(part in window for part in shown)  # the snippet is lines of the original file


def test_search_table_and_filters(writable_seed_workspace, capsys):
    ws = str(writable_seed_workspace.root)
    assert main(["search", "여성 직업교육", "--workspace", ws, "--top-k", "3", "--region", "충북"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    assert lines[0].split()[:3] == ["rank", "municipality", "section"]
    assert len(lines) == 4 and all("청주시" in line for line in lines[1:])
    assert "building the search index first" in captured.err


def test_similar_and_duplicates_json(writable_seed_workspace, capsys):
    ws = str(writable_seed_workspace.root)
    assert main(["similar", "경산시", "--workspace", ws, "--top-k", "3", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 3 and all(r["municipality"] != "경산시" for r in rows)
    assert main(["duplicates", "--workspace", ws]) == 0
    assert "no near-copies" in capsys.readouterr().out


def test_errors_are_one_line(writable_seed_workspace, tmp_path, capsys):
    assert main(["similar", "없는시", "--workspace", str(writable_seed_workspace.root)]) == 2
    assert capsys.readouterr().err.startswith("casekit: error: no case")
    assert main(["search", "일자리", "--workspace", str(tmp_path / "empty")]) == 2
    err = capsys.readouterr().err
    assert "casekit: error:" in err and "ingest" in err and "Traceback" not in err
    assert main(["index", "--workspace", str(writable_seed_workspace.root), "--backend", "word2vec"]) == 2
    assert "unknown search backend" in capsys.readouterr().err


def test_search_loads_neither_kiwi_nor_scipy_for_known_words(writable_seed_workspace):
    """A search of words the archive uses answers from the index's tables: no Kiwi, scipy or pandas."""
    import subprocess
    import sys

    ws = str(writable_seed_workspace.root)
    assert main(["index", "--workspace", ws, "--quiet"]) == 0
    probe = (
        "import sys, json\n"
        "from casekit.cli import main\n"
        f"assert main(['search', '청년 창업 지원', '--workspace', {ws!r}, '--format', 'json']) == 0\n"
        "heavy = [m for m in ('kiwipiepy', 'scipy', 'pandas', 'pydantic', 'casekit.rubric') if m in sys.modules]\n"
        "print(json.dumps(heavy), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    hits = json.loads(done.stdout)
    assert hits and REQUIRED <= set(hits[0])
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []
