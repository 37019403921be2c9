"""Small helpers every CLI command module shares: the workspace option, output formats, printing."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from casekit.store import Workspace


def add_workspace_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        default=None,
        help="workspace directory (default: $CASEKIT_WORKSPACE, else ./data)",
    )


def workspace_from(args: argparse.Namespace) -> Workspace:
    return Workspace.resolve(getattr(args, "workspace", None))


def add_format_arg(parser: argparse.ArgumentParser, choices: Sequence[str], default: str = "table") -> None:
    parser.add_argument("--format", choices=list(choices), default=default, help=f"output format (default: {default})")


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1, default=str)
    sys.stdout.write("\n")


def print_jsonl(rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def warn(message: str) -> None:
    """One line on stderr, for problems the user should see but that do not stop the command."""
    print(f"casekit: {message}", file=sys.stderr)
