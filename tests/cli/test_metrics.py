"""`casekit extract` on the seed book and on files of other shapes."""

from __future__ import annotations

import json
from pathlib import Path

from casekit.cli import main
from casekit.metrics.model import METRIC_KEYS


def run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_extract_seed_book_jsonl(capsys, seed_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "extract", str(seed_path), "--format", "jsonl")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) > 600
    assert all(tuple(row) == METRIC_KEYS for row in rows)
    assert len({row["case_id"] for row in rows}) == 9
    raw = seed_path.read_text(encoding="utf-8").split("\n")
    # Evidence: every span is found at its line and column, except where repair changed the line.
    exact = sum(
        raw[row["line"] - 1][row["col"] : row["col"] + len(row["text"])] == row["text"] for row in rows
    )
    assert exact / len(rows) > 0.98
    by_text = {(row["line"], row["text"]): row for row in rows}
    money = by_text[(69, "40,000천원")]
    assert (money["kind"], money["norm"], money["currency"], money["case_id"].startswith("수원시")) == (
        "money",
        40_000_000,
        "KRW",
        True,
    )
    assert by_text[(994, "4,210")]["kind"] == "persons" and by_text[(994, "4,210")]["table"] is True
    assert by_text[(2931, "1,317,939천불")]["currency"] == "USD"


def test_extract_table_format_and_kind_filter(capsys, seed_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "extract", str(seed_path), "--kind", "area")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["case_id", "line", "kind", "text"]
    assert len(lines) > 10 and all(" area " in line for line in lines[2:])


def test_plain_report_is_one_case_and_bad_file_is_skipped(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "업무보고.txt"
    report.write_text(
        "2024년 주요업무보고\n(단위 : 천원)\n사업명 예산액 집행액\n청년창업지원 30,000 25,000\n"
        "○ 참여 기업 : 12개소\n",
        encoding="utf-8",
    )
    missing = tmp_path / "없음.txt"
    code, out, err = run(capsys, "extract", str(missing), str(report), "--format", "jsonl")
    assert code == 0
    assert "없음.txt" in err
    rows = [json.loads(line) for line in out.splitlines()]
    assert len({row["case_id"] for row in rows}) == 1
    assert [(row["line"], row["norm"], row["kind"]) for row in rows] == [
        (4, 30_000_000, "money"),
        (4, 25_000_000, "money"),
        (5, 12, "count"),
    ]


def test_all_files_bad_is_an_error(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "extract", str(tmp_path / "nope.txt"))
    assert code == 1 and out == "" and "nope.txt" in err
