"""`casekit extract PATH...`: the quantities each case claims, straight from files (nothing is stored)."""

from __future__ import annotations

import argparse

from casekit.cli.common import add_format_arg, print_jsonl, print_table, warn
from casekit.errors import CasekitError
from casekit.metrics import extract_metrics
from casekit.parse import parse_file

TABLE_COLUMNS = ("case_id", "line", "kind", "text", "norm", "unit", "temporal", "table", "label")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands to the `casekit` parser."""
    extract = sub.add_parser(
        "extract",
        # argparse %-formats help strings ("%(default)s"), so a literal percent sign is written "%%".
        help="list the quantities (money, persons, counts, %%, area …) in case files, with evidence lines",
        description="Parse each file (a case book gives many cases; a file with no form header is one case) "
        "and print every quantity found, normalized, with the original line and column it came from.",
    )
    extract.add_argument("paths", nargs="+", metavar="PATH")
    add_format_arg(extract, ("table", "jsonl"))
    extract.add_argument(
        "--kind",
        action="append",
        metavar="KIND",
        help="only these kinds (money, persons, count, percent, area, duration, power, ratio, "
        "other); repeatable",
    )
    extract.set_defaults(handler=run_extract)


def _format_norm(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) and abs(value) < 1e18 else f"{value:,.4g}"


def run_extract(args: argparse.Namespace) -> int:
    kinds = set(args.kind or [])
    failed = 0
    table_rows: list[dict[str, object]] = []
    for path in args.paths:
        try:
            cases = parse_file(path)
        except CasekitError as exc:  # one broken file is reported and skipped; the others go on
            warn(f"skipped {path}: {exc}")
            failed += 1
            continue
        for case in cases:
            rows = [m.to_dict() for m in extract_metrics(case) if not kinds or m.kind in kinds]
            if args.format == "jsonl":
                print_jsonl(rows)
            else:
                for row in rows:
                    table_rows.append(
                        {
                            **row,
                            "norm": _format_norm(float(row["norm"])),
                            "table": "T" if row["table"] else "",
                        }
                    )
    if args.format == "table" and table_rows:
        print_table(table_rows, TABLE_COLUMNS)
    return 1 if failed and failed == len(args.paths) else 0
