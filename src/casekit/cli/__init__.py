"""The `casekit` command: parses arguments, calls the package, prints. No logic of its own.

Each area of the package registers its subcommands from its own module here, so the areas can grow
without touching one another. Any `CasekitError` becomes one clear line on stderr and exit code 2.

The command modules are imported when needed: `casekit search` imports the search commands alone (the
scoring commands pull in pydantic and the rubric schema, ~0.35 s), so a search starts in a blink.
`casekit --help` and a command not in `COMMANDS` import them all.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module
from types import ModuleType

from casekit.errors import CasekitError

COMMAND_MODULE_NAMES = (
    "_cases",
    "_metrics",
    "_outcomes",
    "_search",
    "_themes",
    "_score",
    "_batch",
    "_pipeline",
)
#: The module that registers each command, so `casekit <command>` imports that module alone.
COMMANDS = {
    **dict.fromkeys(("ingest", "parse", "cases"), "_cases"),
    "extract": "_metrics",
    "outcomes": "_outcomes",
    **dict.fromkeys(("index", "search", "similar", "duplicates"), "_search"),
    "themes": "_themes",
    **dict.fromkeys(("rubric", "prescore", "judges", "scores", "rank"), "_score"),
    **dict.fromkeys(("batch", "notebooks"), "_batch"),
    "run": "_pipeline",
}


def _module(name: str) -> ModuleType:
    return import_module(f"casekit.cli.{name}")


def __getattr__(name: str) -> object:
    if name == "COMMAND_MODULES":  # every command module, imported (for code that walks them all)
        return tuple(_module(n) for n in COMMAND_MODULE_NAMES)
    raise AttributeError(f"module casekit.cli has no attribute {name!r}")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The `casekit` parser; given `argv`, only with the module of the command it names (if known)."""
    parser = argparse.ArgumentParser(
        prog="casekit",
        description="Parse, search, cluster, score and rank 매니페스토 우수사례 case reports.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    first = next((a for a in argv or () if not a.startswith("-")), None)
    names = (COMMANDS[first],) if first in COMMANDS else COMMAND_MODULE_NAMES
    for name in names:
        _module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args) or 0)
    except CasekitError as exc:
        print(f"casekit: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("casekit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
