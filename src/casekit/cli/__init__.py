"""The `casekit` command: parses arguments, calls the package, prints. No logic of its own.

Each area of the package registers its subcommands from its own module here, so the areas can grow
without touching one another. Any `CasekitError` becomes one clear line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from casekit.errors import CasekitError

from . import _batch, _cases, _metrics, _outcomes, _pipeline, _score, _search, _themes

COMMAND_MODULES = (_cases, _metrics, _outcomes, _search, _themes, _score, _batch, _pipeline)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casekit",
        description="Parse, search, cluster, score and rank 매니페스토 우수사례 case reports.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
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
