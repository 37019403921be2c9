"""`casekit outcomes`: the outcome indicators of the workspace's cases (일자리, 예산·사업비, 참여·수혜 인원 …)."""

from __future__ import annotations

import argparse
from pathlib import Path

from casekit.cli.common import add_format_arg, add_workspace_arg, print_json, print_table, workspace_from

TABLE_COLUMNS = ("municipality", "category_name", "figure", "temporal", "headline", "line", "label")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands to the `casekit` parser."""
    outcomes = sub.add_parser(
        "outcomes",
        help="outcome indicators per case (jobs, budget, beneficiaries …) with their headline figures",
        description="Place every metric of the workspace's cases in an outcome category of the taxonomy "
        "and mark per case and category the headline figure a judge would quote. JSON is an array of "
        "{case_id, municipality, category, category_name, label, value, unit, norm, temporal, line, col, "
        "headline, …}.",
    )
    add_workspace_arg(outcomes)
    outcomes.add_argument("--case", metavar="ID", help="only this case (its id, or its municipality)")
    add_format_arg(outcomes, ("table", "json", "xlsx"))
    outcomes.add_argument("--headline", action="store_true", help="only the headline figure per category")
    outcomes.add_argument(
        "--output", metavar="FILE", help="xlsx: where to write the workbook (default outcomes.xlsx)"
    )
    outcomes.add_argument("--taxonomy", metavar="FILE", help="a taxonomy YAML instead of the bundled one")
    outcomes.set_defaults(handler=run_outcomes)


def run_outcomes(args: argparse.Namespace) -> int:
    from casekit.outcomes import format_figure, headline_table, load_taxonomy, outcomes

    taxonomy = load_taxonomy(args.taxonomy) if args.taxonomy else None
    frame = outcomes(workspace_from(args), case=args.case, headline_only=args.headline, taxonomy=taxonomy)
    if args.format == "json":
        print_json(frame.astype(object).where(frame.notna(), None).to_dict(orient="records"))
    elif args.format == "xlsx":
        from casekit.report.excel import write_outcomes_workbook

        target = Path(args.output or "outcomes.xlsx")
        write_outcomes_workbook(frame, target, headline_table(frame, taxonomy))
        print(f"wrote {target} ({len(frame)} indicators)")
    else:
        rows = [
            {**record, "figure": format_figure(record), "headline": "★" if record["headline"] else ""}
            for record in frame.to_dict(orient="records")
        ]
        print_table(rows, TABLE_COLUMNS)
    return 0
