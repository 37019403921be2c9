"""Small helpers every CLI command module shares: the workspace option, output formats, printing."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
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
    parser.add_argument(
        "--format", choices=list(choices), default=default, help=f"output format (default: {default})"
    )


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1, default=str)
    sys.stdout.write("\n")


def print_jsonl(rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def warn(message: str) -> None:
    """One line on stderr, for problems the user should see but that do not stop the command."""
    print(f"casekit: {message}", file=sys.stderr)


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def truncate(text: str, width: int) -> str:
    """Cut `text` to at most `width` terminal columns, marking the cut with '…'."""
    if display_width(text) <= width:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], max_width: int = 48) -> None:
    """A plain aligned table that keeps Korean text in its columns."""
    cells = [
        [truncate("" if row.get(c) is None else str(row.get(c)), max_width) for c in columns] for row in rows
    ]
    widths = [max([display_width(c)] + [display_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def fmt(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - display_width(v)) for v, w in zip(values, widths)).rstrip()

    print(fmt(columns))
    print(fmt(["-" * w for w in widths]))
    for r in cells:
        print(fmt(r))
