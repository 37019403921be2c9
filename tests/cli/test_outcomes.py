"""`casekit outcomes` on the seed workspace: JSON keys, one case, headlines, the workbook, bad input."""

from __future__ import annotations

import json

import openpyxl

from casekit.cli import main
from casekit.outcomes.model import INDICATOR_KEYS


def run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_is_an_array_of_indicators_with_the_documented_keys(capsys, seed_workspace) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "outcomes", "--workspace", str(seed_workspace.root), "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert rows and all(tuple(row)[: len(INDICATOR_KEYS)] == INDICATOR_KEYS for row in rows)
    assert len({r["case_id"] for r in rows}) == 9
    suwon = [
        r for r in rows if r["municipality"] == "수원시" and r["line"] == 325 and r["category"] == "jobs"
    ]
    assert [(r["norm"], r["unit"], r["category_name"], r["temporal"]) for r in suwon] == [
        (70.0, "명", "일자리", "actual")
    ]
    heads = [r for r in rows if r["headline"]]
    assert len(heads) == len({(r["case_id"], r["category"]) for r in rows})  # one per case and category


def test_one_case_by_municipality_headlines_only_as_a_table(capsys, seed_workspace) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        capsys, "outcomes", "--workspace", str(seed_workspace.root), "--case", "여주시", "--headline"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["municipality", "category_name", "figure"]
    body = lines[2:]
    assert body and all(line.startswith("여주시") for line in body)
    assert any("일자리" in line and "786명 (추정)" in line and "★" in line for line in body)


def test_xlsx_writes_the_workbook(capsys, seed_workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "o.xlsx"
    code, out, _ = run(
        capsys,
        "outcomes",
        "--workspace",
        str(seed_workspace.root),
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    assert code == 0 and str(target) in out
    assert "핵심지표 headlines" in openpyxl.load_workbook(target).sheetnames


def test_an_unknown_case_or_a_broken_taxonomy_is_one_clear_line(capsys, seed_workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "outcomes", "--workspace", str(seed_workspace.root), "--case", "서울시")
    assert code == 2 and "서울시" in err and "Traceback" not in err
    bad = tmp_path / "t.yaml"
    bad.write_text("categories: 3\n", encoding="utf-8")
    code, _, err = run(capsys, "outcomes", "--workspace", str(seed_workspace.root), "--taxonomy", str(bad))
    assert code == 2 and "t.yaml" in err
