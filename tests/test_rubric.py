"""Rubric loading: both shipped rubrics validate; malformed files fail with file, key path and line."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casekit.errors import RubricError
from casekit.rubric import load_rubric, rubric_from_text
from casekit.yaml_safe import MAX_BYTES
from tests.score.score_paths import ACTIVE, MANIFESTO

SRC = Path(__file__).resolve().parents[1] / "src"

GOOD = """\
id: tiny
title: 작은 대회
stages:
  - id: s1
    name: 서면
    points: 10
    criteria:
      - {id: a, name: 가, weight: 3}
      - {id: b, name: 나, weight: 1}
tie_break: [b]
"""


def test_manifesto_rubric_has_the_press_reported_shape(rubric):  # type: ignore[no-untyped-def]
    assert [s.points for s in rubric.stages] == [70, 30]
    assert [c.name for c in rubric.stage("written").criteria] == [
        "적합성",
        "창의성",
        "소통성",
        "확산가능성",
        "체감성",
    ]
    assert [c.name for c in rubric.stage("presentation").criteria] == ["발표력", "준비도", "호응도"]
    # weights inside the 70 points are not published: equal by default
    assert {c.max_points for c in rubric.stage("written").criteria} == {14.0}
    assert rubric.total_points == 100
    assert [(a.name, a.count) for a in rubric.awards_for("시")] == [("최우수상", 1), ("우수상", 2)]
    assert rubric.criterion("창의성").id == rubric.criterion("creativity").id == "creativity"
    assert re.fullmatch(r"[0-9a-f]{16}", rubric.version)


def test_second_rubric_has_a_different_shape():  # type: ignore[no-untyped-def]
    other = load_rubric(ACTIVE)
    assert [c.name for c in other.stage("screening").criteria] == [
        "적극성·창의성",
        "국민체감도",
        "난이도",
        "확산가능성",
    ]
    assert [c.max_points for c in other.stage("screening").criteria] == [30, 30, 20, 20]
    assert other.model.conflict_of_interest == ["municipality", "region"]
    assert [a.count for a in other.awards_for("광역")] == [1, 2]
    assert [a.count for a in other.awards_for("기초")] == [1, 1, 3]
    assert other.total_points == pytest.approx(100)


def test_weights_split_the_stage_points():  # type: ignore[no-untyped-def]
    tiny = rubric_from_text(GOOD, "tiny.yaml")
    assert [c.max_points for c in tiny.criteria] == [7.5, 2.5]


@pytest.mark.parametrize(
    ("edit", "path", "line", "words"),
    [
        (("points: 10", "points: ten"), "stages[0].points", 6, "valid number"),
        (
            ("{id: b, name: 나, weight: 1}", "{id: b, name: 나, weight: 1, colour: red}"),
            "stages[0].criteria[1].colour",
            9,
            "Extra inputs",
        ),
        (("tie_break: [b]", "tie_break: [zz]"), "tie_break[0]", 10, "neither a stage nor a criterion"),
        (
            ("{id: a, name: 가, weight: 3}", "{id: a, name: 가, max_points: 4}"),
            "stages[0].criteria",
            7,
            "for every criterion",
        ),
        (
            ("      - {id: b, name: 나, weight: 1}", "      - {id: a, name: 다, weight: 1}"),
            "stages[0].criteria[1].id",
            9,
            "not unique",
        ),
        (("title: 작은 대회", "title: 작은 대회\ntitle: again"), "title", 3, "duplicate key"),
    ],
)
def test_errors_name_file_path_and_line(edit, path, line, words):  # type: ignore[no-untyped-def]
    text = GOOD.replace(*edit)
    assert text != GOOD
    with pytest.raises(RubricError) as info:
        rubric_from_text(text, "bad.yaml")
    message = str(info.value)
    assert message.startswith("bad.yaml: ")
    assert f"{path} (line {line})" in message or f"{path}: line {line}" in message
    assert words in message


def test_syntax_error_names_the_line():  # type: ignore[no-untyped-def]
    with pytest.raises(RubricError, match=r"bad\.yaml: YAML syntax error at line 3, column 9"):
        rubric_from_text("id: x\ntitle: t\nstages: : x\n", "bad.yaml")


def test_signal_errors_are_caught(tmp_path: Path):  # type: ignore[no-untyped-def]
    text = MANIFESTO.read_text(encoding="utf-8").replace("regex: '\\d[\\d,]*", "regex: '(\\d[\\d,]*", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(RubricError) as info:
        load_rubric(bad)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "regex: '(" in row)
    assert f"stages[0].criteria[2].prescore.signals[1].regex (line {line})" in str(info.value)
    assert "does not compile" in str(info.value)


def test_version_changes_with_the_file(tmp_path: Path):  # type: ignore[no-untyped-def]
    copy = tmp_path / "r.yaml"
    copy.write_text(GOOD, encoding="utf-8")
    first = load_rubric(copy).version
    copy.write_text(GOOD.replace("weight: 3", "weight: 2"), encoding="utf-8")
    assert load_rubric(copy).version != first


# -- hostile YAML --------------------------------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    """The classic YAML alias bomb: each level is nine aliases of the one before (9**levels strings)."""
    rows = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        rows.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(rows) + "\n"


def test_an_alias_bomb_is_refused_fast_and_small(tmp_path: Path) -> None:
    """`casekit rubric validate` on a 1 KB bomb: a clear error naming the file, in seconds, in little memory.

    Run in a child process whose address space is capped, so a loader that expands aliases fails this test
    with a MemoryError instead of taking the machine's memory.
    """
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(billion_laughs(), encoding="utf-8")
    assert bomb.stat().st_size < 1100

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))

    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
    }
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "casekit", "rubric", "validate", str(bomb)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        preexec_fn=cap_memory,
    )
    elapsed = time.perf_counter() - t0
    assert done.returncode == 2, done.stderr[-2000:]
    assert f"{bomb}: YAML error: aliases expand to more than" in done.stderr
    assert "Traceback" not in done.stderr
    assert elapsed < 30


def test_a_few_anchors_still_work() -> None:
    """Reusing a level list by anchor is legitimate YAML an organizer may write: it still validates."""
    text = GOOD.replace(
        "      - {id: a, name: 가, weight: 3}\n      - {id: b, name: 나, weight: 1}\n",
        "      - id: a\n        name: 가\n        weight: 3\n        levels: &lv\n"
        "          - {min: 0, label: 미흡}\n          - {min: 1, label: 보통}\n"
        "      - {id: b, name: 나, weight: 1, levels: *lv}\n",
    )
    rubric = rubric_from_text(text, "anchors.yaml")
    assert [[lv.label for lv in c.levels] for c in rubric.criteria] == [["미흡", "보통"]] * 2


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a: &a [*a]\n", "aliases expand to more than"),  # recursive: expands forever
        ("x: " + "[" * 200 + "]" * 200 + "\n", "nested deeper than 64 levels"),
        ("items: [" + ", ".join(["*x"] * 101) + "]\nx: &x 1\n", "found undefined alias"),
        ("x: &x 1\nitems: [" + ", ".join(["*x"] * 101) + "]\n", "more than 100 aliases"),
    ],
)
def test_hostile_yaml_is_refused_with_the_file_named(text: str, words: str) -> None:
    with pytest.raises(RubricError) as info:
        rubric_from_text(text, "hostile.yaml")
    assert str(info.value).startswith("hostile.yaml: YAML")
    assert words in str(info.value)


def test_an_oversized_rubric_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(GOOD + "# " + "x" * (MAX_BYTES + 10) + "\n", encoding="utf-8")
    with pytest.raises(RubricError, match=r"big\.yaml: [\d,]+ bytes, over the [\d,]+-byte limit"):
        load_rubric(big)
