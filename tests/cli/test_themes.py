"""`casekit themes` on the seed workspace: JSON and the map, the table with a crosstab, placing a new book."""

from __future__ import annotations

import json

import pytest

from casekit.cli import main
from casekit.themes import ThemeModel
from tests.themes.themes_corpus import CORPUS, case_text_lines


def test_cli_passage_themes_json_and_plot(writable_seed_workspace, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    ws = writable_seed_workspace
    png = tmp_path / "themes.png"
    code = main(
        ["themes", "--workspace", str(ws.root), "--level", "passage", "--plot", str(png), "--format", "json"]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert png.is_file() and png.stat().st_size > 20_000
    assert out and {"theme_id", "label", "terms", "size", "members"} <= set(out[0])
    assert out[0]["label"].split("·")[0] == out[0]["terms"][0]
    assert all(t["size"] == len(t["members"]) for t in out)
    member = out[0]["members"][0]
    assert {"passage_id", "case_id", "line_start", "line_end"} <= set(member)
    assert member["passage_id"].startswith(member["case_id"] + "#p")
    assert sum(t["size"] for t in out) == sum(len(t["members"]) for t in out)
    assert (ws.themes_dir / "passage" / "model.json").is_file()


def test_cli_table_crosstab_and_place(writable_seed_workspace, seed_path, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    ws = writable_seed_workspace
    assert (
        main(
            [
                "themes",
                "--workspace",
                str(ws.root),
                "--k",
                "3",
                "--method",
                "agglomerative",
                "--crosstab",
                "municipality",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "9 cases → 3 themes (agglomerative, seed 0" in out
    assert "[0] " in out and "terms: " in out and "수원시" in out
    # a new book (the fixture corpus, in the 소개서 form) placed on the saved seed themes
    book = tmp_path / "new_book.txt"
    book.write_text("\n\n".join("\n".join(case_text_lines(e)) for e in CORPUS[:3]) + "\n", encoding="utf-8")
    assert (
        main(
            [
                "themes",
                "--workspace",
                str(ws.root),
                "--place",
                str(book),
                str(tmp_path / "missing.txt"),
                "--format",
                "json",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert len(rows) == 3 and all("theme_id" in r and "similarity" in r for r in rows)
    assert "skipped" in captured.err and "missing.txt" in captured.err


def test_cli_on_empty_workspace_is_one_line_error(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["themes", "--workspace", str(tmp_path / "empty")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("casekit: error:") and len(err.strip().splitlines()) == 1
    assert main(["themes", "--workspace", str(tmp_path / "empty"), "--place", "x.txt"]) == 2


@pytest.mark.slow
def test_cli_with_a_named_dense_embedder_uses_the_shared_cache(
    writable_seed_workspace, seed_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    ws = writable_seed_workspace
    args = ["themes", "--workspace", str(ws.root), "--embedder", "minilm", "--k", "3", "--format", "json"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert sum(t["size"] for t in first) == 9
    shards = list((ws.index_dir / "cache").rglob("shard-*.npz"))
    assert shards  # vectors went to the cache shared with search
    assert main(args) == 0  # second fit reads the cache and gives the same themes
    assert json.loads(capsys.readouterr().out) == first
    saved = ThemeModel.load(ws, "case")
    assert saved.embedder is None and saved.embedder_id.startswith("st:")
    assert main(["themes", "--workspace", str(ws.root), "--place", str(seed_path)]) == 2
    assert "--embedder" in capsys.readouterr().err
    assert (
        main(
            [
                "themes",
                "--workspace",
                str(ws.root),
                "--place",
                str(seed_path),
                "--embedder",
                "minilm",
                "--format",
                "json",
            ]
        )
        == 0
    )
    placed = json.loads(capsys.readouterr().out)
    by_case = {m: t["theme_id"] for t in first for m in t["members"]}
    assert [r["theme_id"] for r in placed] == [by_case[r["unit_id"]] for r in placed]
