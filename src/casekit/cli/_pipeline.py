"""`casekit run`: the main job end to end on a workspace (what `make demo` runs)."""

from __future__ import annotations

import argparse
import sys

from casekit.cli.common import add_workspace_arg, print_table, workspace_from
from casekit.rubric import DEFAULT_RUBRIC

CASE_COLUMNS = ("municipality", "region", "group", "field", "n_pledges", "n_sections", "lines", "title")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    run = sub.add_parser(
        "run",
        help="the main job: cases → metrics → index → pre-scores and ranking → HTML/Excel reports",
        description="Run every stage on the workspace's cases and write the reports (nothing is downloaded).",
    )
    add_workspace_arg(run)
    run.add_argument(
        "--out", default="reports", metavar="DIR", help="where the reports go (default: reports)"
    )
    run.add_argument(
        "--rubric",
        default=None,
        metavar="FILE",
        help="rubric YAML or name under ./rubrics/ (default: manifesto_2017)",
    )
    run.add_argument(
        "--jobs",
        type=int,
        default=2,
        metavar="N",
        help="notebooks run in at most N worker processes, one per 4 notebooks, each keeping one kernel "
        "(default: 2)",
    )
    run.add_argument("--force", action="store_true", help="re-run reports that are already up to date")
    run.add_argument("--no-batch", action="store_true", help="stop before the papermill reports")
    run.set_defaults(handler=run_all)


def run_all(args: argparse.Namespace) -> int:
    from casekit.pipeline import run

    def say(message: str) -> None:
        print(message, flush=True)

    summary = run(
        workspace_from(args),
        out_dir=args.out,
        rubric_path=args.rubric or DEFAULT_RUBRIC,
        jobs=args.jobs,
        force=args.force,
        batch=not args.no_batch,
        say=say,
    )
    print()
    rows = summary.cases.assign(
        lines=summary.cases.line_start.astype(str) + "-" + summary.cases.line_end.astype(str)
    )
    print_table(rows.to_dict(orient="records"), CASE_COLUMNS)
    if summary.ranking is not None:
        print()
        print(summary.ranking.to_table())
    failed = 0
    if summary.batch is not None:
        failed = len(summary.batch.failed)
        counts = ", ".join(f"{n} {status}" for status, n in sorted(summary.batch.counts().items()))
        print()
        print(f"Reports: {summary.batch.index_html.resolve()}  ({counts})")
    for stage, error in summary.stage_errors.items():
        print(f"casekit: stage {stage} failed: {error}", file=sys.stderr)
    return 1 if failed or summary.stage_errors else 0
