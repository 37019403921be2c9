"""`casekit batch`: ranking reports for every 분야 × group as HTML and Excel, with an index page.

    casekit batch --rubric R [--by field,group] [--jobs N] [--out DIR] [--force] [--scheduler ADDRESS]
                  [--no-themes] [--timeout S] [--format text|json]

Also `casekit notebooks [DIR]`, which (re)writes the four notebooks for JupyterLab.
"""

from __future__ import annotations

import argparse

from casekit.errors import BatchError
from casekit.rubric import DEFAULT_RUBRIC, find_rubric

from .common import add_workspace_arg, print_json, warn, workspace_from


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands to the `casekit` parser."""
    parser = sub.add_parser(
        "batch",
        help="run the ranking-report notebooks over every 분야 × group (HTML, Excel, index.html)",
        description="Execute notebooks/ranking_report.ipynb with papermill once per 분야 × group (and the themes "
        "notebook once), in parallel processes; export each to HTML (code hidden) and Excel, and write "
        "DIR/index.html. Finished reports are skipped unless --force; a failing report is listed with "
        "its error while the others finish.",
    )
    parser.add_argument(
        "--rubric",
        default=DEFAULT_RUBRIC,
        metavar="FILE",
        help=f"rubric YAML, or a name under ./rubrics/ (default: {DEFAULT_RUBRIC})",
    )
    add_workspace_arg(parser)
    parser.add_argument(
        "--by",
        default=None,
        metavar="KEYS",
        help="comma-separated keys to split reports by: field, group (default: the rubric's "
        "rank_within, else field,group; '' = one report over all cases)",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=1,
        metavar="N",
        help="at most N worker processes, one per 4 notebooks, each keeping one kernel (default 1)",
    )
    parser.add_argument("--out", default="reports", metavar="DIR", help="output directory (default: reports)")
    parser.add_argument("--force", action="store_true", help="re-run reports that are already up to date")
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run on a Dask cluster (tcp://host:8786); DIR must be shared with the workers",
    )
    parser.add_argument(
        "--no-themes", action="store_true", help="skip the themes notebook (and the theme maps)"
    )
    parser.add_argument("--timeout", type=int, default=900, metavar="S", help="per-cell timeout in seconds")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.set_defaults(handler=run)

    nbs = sub.add_parser(
        "notebooks", help="write the four casekit notebooks (judge review, search, themes, ranking)"
    )
    nbs.add_argument(
        "directory", nargs="?", default="notebooks", help="where to write them (default: notebooks)"
    )
    nbs.set_defaults(handler=write)


def run(args: argparse.Namespace) -> int:
    from casekit.batch import run_batch

    if args.jobs < 1:
        raise BatchError("--jobs must be at least 1")
    by = None if args.by is None else tuple(k.strip() for k in args.by.split(",") if k.strip())
    result = run_batch(
        find_rubric(args.rubric),
        workspace_from(args),
        args.out,
        by=by,
        jobs=args.jobs,
        force=args.force,
        scheduler=args.scheduler,
        extras=() if args.no_themes else ("themes",),
        timeout=args.timeout,
        progress=args.format == "text",
    )
    for note in result.notes:
        warn(note)
    if args.format == "json":
        print_json(result.to_dict())
    else:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(result.counts().items()))
        print(f"{len(result.runs)} reports ({counts}) in {result.wall_s:.1f} s")
        for run in result.failed:
            print(f"  FAILED {run.name}: {(run.error or '').splitlines()[0] if run.error else ''}")
        print(f"open {result.index_html}")
    return 0 if result.ok else 1


def write(args: argparse.Namespace) -> int:
    from casekit.views.notebooks import write_notebooks

    for path in write_notebooks(args.directory):
        print(path)
    return 0
