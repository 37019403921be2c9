"""`--help` works for every command: the whole argparse tree is walked, so a new subcommand is covered too.

argparse %-formats every help string when it prints help, so one stray "%" in any option's help crashes
`casekit --help` for the command holding it; the walk below finds every parser the CLI builds.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from casekit.cli import build_parser, main

SRC = Path(__file__).resolve().parents[2] / "src"


def _command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path the parser accepts: (), ("score",), ("score", "add") …, parents first."""
    paths = [prefix]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                paths.extend(_command_paths(child, prefix + (name,)))
    return paths


COMMANDS = _command_paths(build_parser())


def test_the_walk_reaches_the_nested_commands() -> None:
    # The tree is real: top-level commands and at least one level of sub-subcommands.
    assert len([p for p in COMMANDS if len(p) == 1]) >= 8
    assert any(len(p) == 2 for p in COMMANDS)
    assert ("run",) in COMMANDS and ("extract",) in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=lambda p: " ".join(p) or "casekit")
def test_help_exits_zero_with_usage(command: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    out = capsys.readouterr()
    assert exit_info.value.code == 0, out.err
    assert out.out.startswith("usage: casekit" + "".join(f" {word}" for word in command))
    assert "show this help message and exit" in out.out


def test_python_m_casekit_prints_help() -> None:
    """The real process, as a user types it: exit 0 and a usage line, no traceback on stderr."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [sys.executable, "-m", "casekit", "--help"], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: casekit")
    assert "Traceback" not in done.stderr
