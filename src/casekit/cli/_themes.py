"""`casekit themes`: cluster the workspace's cases (or passages) into labelled themes, draw the map,
and place new case files on the saved themes (`--place`). All logic lives in casekit.themes; the map is
casekit.report.plots.theme_map."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .common import add_format_arg, add_workspace_arg, print_json, warn, workspace_from


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands to the `casekit` parser."""
    parser = sub.add_parser(
        "themes",
        help="cluster cases into labelled themes, draw the theme map, place new cases on it",
        description="Cluster the workspace's cases (or passages) into themes labelled with Korean terms "
        "(c-TF-IDF over Kiwi nouns). The fitted model is saved under <workspace>/themes/<level>/ so "
        "`--place FILE` can put new cases on it without refitting.",
    )
    add_workspace_arg(parser)
    parser.add_argument(
        "--k", default="auto", help="number of themes, or 'auto' to choose by silhouette (default)"
    )
    parser.add_argument(
        "--method",
        choices=["kmeans", "agglomerative", "hdbscan"],
        default="kmeans",
        help="clustering backend (default: kmeans)",
    )
    parser.add_argument(
        "--level",
        choices=["case", "passage"],
        default="case",
        help="cluster whole cases or their sections (default: case)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of every random step (default: 0)")
    parser.add_argument(
        "--embedder",
        default="lexical",
        metavar="NAME",
        help="'lexical' (default: TF-IDF+SVD fitted on the corpus) or a sentence-transformers "
        "model for casekit.embed.make_embedder (minilm, a path …)",
    )
    parser.add_argument("--plot", metavar="PATH", help="write the 2-D theme map as a PNG")
    parser.add_argument(
        "--crosstab",
        choices=["field", "region", "municipality"],
        help="also print themes × 분야/region/municipality counts (table format)",
    )
    parser.add_argument(
        "--place",
        nargs="+",
        metavar="FILE",
        help="place the cases of these files on the saved themes (no refitting)",
    )
    parser.add_argument(
        "--no-save", action="store_true", help="do not save the fitted model in the workspace"
    )
    add_format_arg(parser, ["table", "json"])
    parser.set_defaults(handler=run_themes)


def run_themes(args: argparse.Namespace) -> int:
    from casekit.themes import ThemeModel, fit_themes

    ws = workspace_from(args)
    if args.place:
        return _place(args, ws, ThemeModel)
    if args.method == "hdbscan" and args.k != "auto":
        warn("--k is ignored by hdbscan, which finds the number of themes itself")
    cases = ws.load_cases()
    embedder = _embedder(args.embedder)
    model = fit_themes(
        cases,
        level=args.level,
        method=args.method,
        k=args.k,
        seed=args.seed,
        embedder=embedder,
        cache_dir=ws.index_dir / "cache" if embedder is not None else None,
    )
    if not args.no_save:
        model.save(ws)
    if args.plot:
        warn(f"theme map written to {_save_map(model, args.plot)}")
    if args.format == "json":
        print_json(model.to_records())
        return 0
    _print_themes_table(model)
    if args.crosstab:
        sys.stdout.write("\n" + model.crosstab(args.crosstab).to_string() + "\n")
    return 0


def _embedder(name: str) -> Any:
    """None for the corpus lexical embedder (fitted inside fit_themes), else a named dense embedder."""
    if name == "lexical":
        return None
    from casekit.embed import make_embedder

    return make_embedder(name)


def _save_map(model: Any, path: str, new: Any = None) -> Path:
    """Draw the theme map (with `new` placed cases as stars) and write it as a PNG at `path`."""
    from casekit.report.plots import save_figure, theme_map

    return save_figure(theme_map(model, new=new), path, dpi=None, tight=True)


def _print_themes_table(model: Any) -> None:
    from casekit.themes import readable_terms

    params = model.params
    chosen = params.get("chosen_k", len([t for t in model.themes if t.theme_id >= 0]))
    header = (
        f"{len(model.units)} {model.level}s → {chosen} themes ({model.method}, seed {model.seed}"
        + (f", silhouette {params['silhouette_final']}" if "silhouette_final" in params else "")
        + (f", {params['n_outliers']} outliers" if params.get("n_outliers") else "")
        + ")"
    )
    sys.stdout.write(header + "\n")
    for theme in model.themes:
        sys.stdout.write(f"\n[{theme.theme_id}] {theme.label}  (size {theme.size})\n")
        if theme.terms:
            sys.stdout.write("    terms: " + ", ".join(readable_terms(theme.terms)) + "\n")
        shown = theme.representatives or theme.members[:5]
        units = {u.id: u for u in model.units}
        for unit_id in shown:
            unit = units[unit_id]
            where = f"lines {unit.line_start}-{unit.line_end}"
            name = unit.title if model.level == "case" else f"{unit.title} / {unit.heading or '—'}"
            sys.stdout.write(f"    · {unit_id} ({where}) {name[:60]}\n")


def _place(args: argparse.Namespace, ws: Any, model_cls: Any) -> int:
    from casekit.errors import CasekitError
    from casekit.parse import parse_file

    model = model_cls.load(ws, args.level)
    cases = []
    for path in args.place:
        try:
            cases.extend(parse_file(path))
        except CasekitError as exc:
            warn(f"skipped {path}: {exc}")
    if not cases:
        warn("no cases to place")
        return 1
    placed = model.transform(cases, embedder=None if model.embedder is not None else _embedder(args.embedder))
    if args.plot:
        warn(f"theme map written to {_save_map(model, args.plot, new=placed)}")
    if args.format == "json":
        print_json(placed.to_dict(orient="records"))
        return 0
    columns = [
        c
        for c in ("unit_id", "theme_id", "theme_label", "nearest_theme", "similarity", "title")
        if c in placed.columns
    ]
    sys.stdout.write(placed[columns].to_string(index=False) + "\n")
    return 0
