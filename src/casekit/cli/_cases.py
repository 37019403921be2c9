"""`casekit ingest`, `casekit parse`, `casekit cases`: getting case reports in and looking at them."""

from __future__ import annotations

import argparse
import sys

from casekit.cli.common import (
    add_format_arg,
    add_workspace_arg,
    print_json,
    print_table,
    warn,
    workspace_from,
)
from casekit.errors import IngestError
from casekit.ingest import DEFAULT_MAX_BYTES, iter_source_files, printable
from casekit.parse import parse_file
from casekit.pipeline import ingest

CASE_COLUMNS = ("id", "region", "municipality", "group", "field", "n_pledges", "n_sections", "lines", "title")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ingest = sub.add_parser(
        "ingest", help="read case reports (txt/md/pdf/hwpx, files or folders) into the workspace"
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH")
    add_workspace_arg(ingest)
    ingest.add_argument("--strict", action="store_true", help="exit non-zero if any file could not be read")
    ingest.add_argument("--force", action="store_true", help="re-parse files even if unchanged")
    ingest.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default: every core once there are a few MB to read)",
    )
    ingest.add_argument(
        "--max-size",
        type=float,
        default=DEFAULT_MAX_BYTES / 1024 / 1024,
        metavar="MB",
        help="refuse files larger than this (default: %(default).0f MB; 0: no limit)",
    )
    ingest.set_defaults(handler=run_ingest)

    parse = sub.add_parser("parse", help="parse case reports and print them (nothing is stored)")
    parse.add_argument("paths", nargs="+", metavar="PATH")
    add_format_arg(parse, ("table", "json"))
    parse.add_argument("--with-lines", action="store_true", help="JSON: include the repaired lines")
    parse.set_defaults(handler=run_parse)

    cases = sub.add_parser("cases", help="list the cases in the workspace")
    add_workspace_arg(cases)
    add_format_arg(cases, ("table", "json"))
    cases.set_defaults(handler=run_cases)


def _row(case_dict: dict) -> dict:  # type: ignore[type-arg]
    return {
        **case_dict,
        "n_pledges": len(case_dict.get("pledges", [])),
        "n_sections": len(case_dict.get("sections", [])),
        "lines": f"{case_dict['line_start']}-{case_dict['line_end']}",
    }


def run_ingest(args: argparse.Namespace) -> int:
    ws = workspace_from(args)
    max_bytes = int(args.max_size * 1024 * 1024) if args.max_size > 0 else None
    report = ingest(args.paths, ws, force=args.force, jobs=args.jobs, max_bytes=max_bytes, say=warn)
    # File names come from submitters: printed escaped, so a name with a newline or an ANSI escape
    # cannot forge a line of this output.
    for note in report.notes:
        warn(note)
    for outcome in report.files:
        name = printable(outcome.path)
        if outcome.status == "failed":
            warn(f"skipped {name}: {printable(outcome.reason)}")
            continue
        print(f"{outcome.status:9} {name}: {len(outcome.case_ids)} case(s)")
        for warning in outcome.warnings:
            warn(f"{name}: {printable(warning)}")
    print(
        f"workspace {printable(str(ws.root))}: {len(ws.case_ids())} case(s), {report.metrics_written} metric(s)"
    )
    if not report.readable or (args.strict and report.failed):
        return 1
    return 0


def run_parse(args: argparse.Namespace) -> int:
    records: list[dict] = []  # type: ignore[type-arg]
    failures = 0
    for path in iter_source_files(args.paths):
        try:
            cases = parse_file(path)
        except IngestError as exc:
            warn(f"skipped {printable(exc.path)}: {printable(exc.reason)}")
            failures += 1
            continue
        records.extend(case.to_dict(with_lines=args.with_lines) for case in cases)
    if args.format == "json":
        print_json(records)
    else:
        print_table([_row(r) for r in records], CASE_COLUMNS)
    return 1 if failures and not records else 0


def run_cases(args: argparse.Namespace) -> int:
    ws = workspace_from(args)
    records = [case.to_dict(with_lines=False) for case in ws.load_cases()]
    if args.format == "json":
        print_json(records)
    else:
        print_table([_row(r) for r in records], CASE_COLUMNS)
    sys.stdout.flush()
    return 0
