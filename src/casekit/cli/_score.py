"""CLI of rubrics, pre-scores, the judges' score store and ranking (logic lives in casekit.rubric / casekit.score).

casekit rubric validate FILE...
casekit prescore --rubric R [--case ID] [--format table|json|jsonl]
casekit judges add ID [--name N] [--kind expert|official|citizen|organizer] [--municipality M] [--region R]
casekit judges list | judges import FILE.csv | judges assign JUDGE CASE...
casekit scores import FILE.csv --rubric R [--strict]      (judge, case_id, criterion, points[, comment])
casekit scores export [--rubric R] [--out PATH]
casekit scores set JUDGE CASE CRITERION POINTS --rubric R [--comment C]
casekit scores delete JUDGE CASE CRITERION --rubric R
casekit scores abstain JUDGE CASE [--reason]   |   scores recuse JUDGE [CASE] [--reason] [--withdraw]
casekit scores history [--judge J] [--case C]  |   scores queue JUDGE --rubric R

Every command that changes the store takes `--as ID`, the one acting (default: $CASEKIT_JUDGE, else the
JUDGE argument itself). A judge acts only on their own scores; acting for another judge, withdrawing a
recusal and — once an organizer is registered — registering judges or assigning cases need an organizer id
(`judges add ORG --kind organizer` registers one; the first needs no --as).
casekit rank --rubric R [--group G] [--field F] [--format table|json|xlsx] [--out PATH] [options]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from casekit.errors import CasekitError
from casekit.rubric import DEFAULT_RUBRIC, Rubric, find_rubric, load_rubric
from casekit.store import Workspace, atomic_write_text

from .common import add_format_arg, add_workspace_arg, print_json, print_jsonl, warn, workspace_from

if TYPE_CHECKING:
    from casekit.score.store import ScoreStore


def _rubric(args: argparse.Namespace) -> Rubric:
    return load_rubric(find_rubric(args.rubric))


def _store(ws: Workspace) -> ScoreStore:
    from casekit.score.store import ScoreStore

    return ScoreStore(ws)


def _actor(args: argparse.Namespace) -> str | None:
    """Who acts: --as, else $CASEKIT_JUDGE (the judge at this keyboard), else None (the judge itself)."""
    return getattr(args, "as_actor", None) or os.environ.get("CASEKIT_JUDGE") or None


def _add_actor_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_actor",
        metavar="ID",
        help="who acts (recorded in the history): a judge acts on their own data, an organizer on anyone's "
        "(default: $CASEKIT_JUDGE, else the judge named)",
    )


def _add_rubric_arg(parser: argparse.ArgumentParser, required: bool = True) -> None:
    """--rubric; where one is needed it defaults to the 2017 manifesto rubric."""
    parser.add_argument(
        "--rubric",
        default=DEFAULT_RUBRIC if required else None,
        metavar="R",
        help=f"rubric YAML file, or a name under ./rubrics/ (default: {DEFAULT_RUBRIC})"
        if required
        else "rubric YAML file or name",
    )


# -- handlers -----------------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    status = 0
    for path in args.files:
        try:
            rubric = load_rubric(path)
        except CasekitError as exc:
            print(f"casekit: error: {exc}", file=sys.stderr)
            status = 2
            continue
        stages = ", ".join(f"{s.name} {s.points:g}×{s.weight:g}" for s in rubric.stages)
        crits = ", ".join(f"{c.name} {c.max_points:g}" for c in rubric.criteria)
        print(f"ok {path}: {rubric.id} (version {rubric.version}); stages: {stages}; criteria: {crits}")
    return status


def _prescore(args: argparse.Namespace) -> int:
    from casekit.score.prescore import prescore_cases, prescore_totals, prescores_frame, save_prescores

    ws = workspace_from(args)
    rubric = _rubric(args)
    cases = ws.load_cases()
    if args.case:
        wanted = {ws.find_case(key, cases).id for key in args.case}
        cases = [c for c in cases if c.id in wanted]
    embedder = None
    if args.embedder:
        from casekit.embed import make_embedder

        embedder = make_embedder(args.embedder)
    results = prescore_cases(cases, rubric, workspace=ws, embedder=embedder)
    path = save_prescores(ws, rubric, results) if not args.case else None
    note = "pre-scores are SUGGESTIONS from text signals, never final scores"
    if args.format == "json":
        print_json(
            {
                "note": note,
                "rubric": {"id": rubric.id, "version": rubric.version},
                "suggestions": [p.to_dict() for p in results],
                "totals": prescore_totals(results, rubric).to_dict(orient="records"),
            }
        )
    elif args.format == "jsonl":
        print_jsonl(p.to_dict() for p in results)
    else:
        frame = prescores_frame(results)
        names = {c.id: c.municipality or c.id for c in cases}
        frame.insert(1, "municipality", frame["case_id"].map(names))
        print(f"* {note}; evidence lines are original line numbers")
        print(
            frame[
                ["municipality", "name", "points", "max_points", "signal_summary", "evidence_lines"]
            ].to_string(index=False)
        )
    if path:
        warn(f"saved {len(results)} suggestions to {path}")
    return 0


def _judges_add(args: argparse.Namespace) -> int:
    judge = _store(workspace_from(args)).add_judge(
        args.id,
        name=args.name,
        kind=args.kind,
        municipality=args.municipality,
        region=args.region,
        actor=_actor(args),
    )
    print(
        f"{'organizer' if judge.is_organizer else 'judge'} {judge.id} ({judge.name}, {judge.kind}; "
        f"affiliation: {judge.municipality or '-'} / {judge.region or '-'})"
    )
    if judge.note:
        warn(judge.note)
    return 0


def _judges_list(args: argparse.Namespace) -> int:
    store = _store(workspace_from(args))
    judges = store.judges() + store.organizers()
    if args.format == "json":
        print_json([j.__dict__ for j in judges])
    else:
        for j in judges:
            print(f"{j.id}\t{j.name}\t{j.kind}\t{j.municipality or '-'}\t{j.region or '-'}")
    return 0


def _judges_assign(args: argparse.Namespace) -> int:
    ws = workspace_from(args)
    cases = list(ws.iter_cases())
    ids = [ws.find_case(key, cases).id for key in args.cases]
    n = _store(ws).assign(args.judge, ids, actor=_actor(args))
    print(f"assigned {n} case(s) to {args.judge}")
    return 0


def _judges_import(args: argparse.Namespace) -> int:
    from casekit.score.csv_io import import_judges_csv

    n = import_judges_csv(_store(workspace_from(args)), args.file, actor=_actor(args))
    print(f"imported {n} judge(s) from {args.file}")
    return 0


def _scores_import(args: argparse.Namespace) -> int:
    from casekit.score.csv_io import import_scores_csv

    ws = workspace_from(args)
    rubric = _rubric(args)
    cases = list(ws.iter_cases())
    report = import_scores_csv(
        _store(ws), args.file, rubric, strict=args.strict, cases=cases, actor=_actor(args)
    )
    for line, error in report.errors:
        warn(f"{args.file}: line {line}: {error} (row skipped)")
    print(
        f"{args.file}: {report.stored} stored, {report.unchanged} unchanged, "
        f"{report.abstentions} abstention(s), {len(report.errors)} bad row(s) skipped"
    )
    return 1 if report.errors else 0


def _scores_export(args: argparse.Namespace) -> int:
    from casekit.score.csv_io import export_scores_csv

    rubric = _rubric(args) if args.rubric else None
    store = _store(workspace_from(args))
    if args.out:
        n = export_scores_csv(store, args.out, rubric)
        warn(f"wrote {n} score(s) to {args.out}")
    else:
        export_scores_csv(store, sys.stdout, rubric)
    return 0


def _scores_set(args: argparse.Namespace) -> int:
    ws = workspace_from(args)
    rubric = _rubric(args)
    store = _store(ws)
    case_id = ws.find_case(args.case).id
    points = store.save_score(
        args.judge,
        case_id,
        args.criterion,
        args.points,
        comment=args.comment,
        rubric=rubric,
        actor=_actor(args),
    )
    print(f"saved: {args.judge} {case_id} {args.criterion} = {points:g}")
    return 0


def _scores_delete(args: argparse.Namespace) -> int:
    ws = workspace_from(args)
    case_id = ws.find_case(args.case).id
    deleted = _store(ws).delete_score(args.judge, case_id, args.criterion, _rubric(args), actor=_actor(args))
    print(f"{'deleted' if deleted else 'nothing stored'}: {args.judge} {case_id} {args.criterion}")
    return 0


def _scores_abstain(args: argparse.Namespace) -> int:
    ws = workspace_from(args)
    case_id = ws.find_case(args.case).id
    _store(ws).abstain(args.judge, case_id, reason=args.reason, withdraw=args.withdraw, actor=_actor(args))
    print(f"{'withdrawn: ' if args.withdraw else ''}{args.judge} abstains on {case_id}")
    return 0


def _scores_recuse(args: argparse.Namespace) -> int:
    ws = workspace_from(args)
    case_id = ws.find_case(args.case).id if args.case else None
    _store(ws).recuse(args.judge, case_id, reason=args.reason, by=_actor(args), withdraw=args.withdraw)
    print(f"{'withdrawn: ' if args.withdraw else ''}{args.judge} recused from {case_id or 'every case'}")
    return 0


def _scores_history(args: argparse.Namespace) -> int:
    frame = _store(workspace_from(args)).history(judge_id=args.judge, case_id=args.case)
    if args.format == "json":
        print_json(frame.to_dict(orient="records"))
    else:
        cols = [
            "seq",
            "at",
            "actor",
            "action",
            "judge_id",
            "case_id",
            "criterion",
            "old_points",
            "new_points",
            "comment",
        ]
        print(frame[cols].to_string(index=False, na_rep="-") if len(frame) else "no history yet")
    return 0


def _scores_queue(args: argparse.Namespace) -> int:
    from casekit.score.queue import review_queue

    ws = workspace_from(args)
    rubric = _rubric(args)
    frame = review_queue(_store(ws), args.judge, ws.load_cases(), rubric)
    if args.format == "json":
        print_json(frame.to_dict(orient="records"))
    else:
        print(frame.to_string(index=False) if len(frame) else f"nothing left for {args.judge} to score")
    return 0


def _rank(args: argparse.Namespace) -> int:
    from casekit.report.excel import write_ranking_workbook
    from casekit.score.rank import rank_cases

    ws = workspace_from(args)
    rubric = _rubric(args)
    cases = ws.load_cases()
    store = _store(ws) if ws.scores_db.is_file() else None
    result = rank_cases(
        cases,
        rubric,
        store,
        group=args.group,
        field=args.field,
        normalize=args.normalize,
        trim=args.trim,
        min_judges=args.min_judges,
        bootstrap=args.bootstrap,
        seed=args.seed,
        workspace=ws,
        accept_rubric_change=args.accept_rubric_change,
    )
    if result.basis == "prescores":
        warn("no judges' scores yet: the ranking below is by PRE-SCORES (suggestions), not by judges")
    if args.format == "xlsx":
        out = args.out or f"rank_{rubric.id}.xlsx"
        write_ranking_workbook(result, out)
        print(f"wrote {out} ({len(result.frame)} cases, basis: {result.basis})")
    elif args.format == "json":
        if args.out:
            atomic_write_text(
                Path(args.out), json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n"
            )
            print(f"wrote {args.out} (basis: {result.basis})")
        else:
            print_json(result.to_json())
    else:
        text = result.to_table()
        if args.out:
            atomic_write_text(Path(args.out), text + "\n")
            print(f"wrote {args.out} (basis: {result.basis})")
        else:
            print(text)
    return 0


# -- registration -------------------------------------------------------------------------------


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands to the `casekit` parser."""
    rubric = sub.add_parser("rubric", help="check rubric YAML files")
    rsub = rubric.add_subparsers(dest="rubric_command", metavar="ACTION", required=True)
    validate = rsub.add_parser(
        "validate", help="validate rubric files; errors name the file, key path and line"
    )
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(handler=_validate)

    prescore = sub.add_parser(
        "prescore", help="suggest per-criterion points from each case's text, with evidence"
    )
    add_workspace_arg(prescore)
    _add_rubric_arg(prescore)
    prescore.add_argument("--case", action="append", metavar="ID", help="only this case (id or municipality)")
    prescore.add_argument(
        "--embedder",
        metavar="NAME",
        help="measure novelty with this embedding model (e.g. minilm; default: TF-IDF over "
        "Kiwi morphemes, offline and Korean-aware)",
    )
    add_format_arg(prescore, ["table", "json", "jsonl"])
    prescore.set_defaults(handler=_prescore)

    judges = sub.add_parser("judges", help="the judges of the score store")
    jsub = judges.add_subparsers(dest="judges_command", metavar="ACTION", required=True)
    add = jsub.add_parser(
        "add", help="add or update a judge (affiliation is checked for conflicts of interest)"
    )
    add.add_argument("id")
    add.add_argument("--name")
    add.add_argument(
        "--kind",
        default="expert",
        choices=["expert", "official", "citizen", "organizer"],
        help="organizer: registers judges, recuses, may act for judges (--as); does not score",
    )
    add.add_argument(
        "--municipality",
        help="affiliated municipality (수원시, 경기 수원시 …: checked against the gazetteer)",
    )
    add.add_argument("--region", help="affiliated region (e.g. 경기)")
    _add_actor_arg(add)
    add_workspace_arg(add)
    add.set_defaults(handler=_judges_add)
    jlist = jsub.add_parser("list", help="list judges")
    add_workspace_arg(jlist)
    add_format_arg(jlist, ["table", "json"])
    jlist.set_defaults(handler=_judges_list)
    assign = jsub.add_parser("assign", help="assign cases to a judge (they come first in the judge's queue)")
    assign.add_argument("judge")
    assign.add_argument("cases", nargs="+", metavar="CASE", help="case id or municipality")
    _add_actor_arg(assign)
    add_workspace_arg(assign)
    assign.set_defaults(handler=_judges_assign)
    jimp = jsub.add_parser("import", help="add judges from a CSV: id, name, kind, municipality, region")
    jimp.add_argument("file")
    _add_actor_arg(jimp)
    add_workspace_arg(jimp)
    jimp.set_defaults(handler=_judges_import)

    scores = sub.add_parser(
        "scores", help="the judges' scores: import, export, set, abstain, recuse, history"
    )
    ssub = scores.add_subparsers(dest="scores_command", metavar="ACTION", required=True)
    imp = ssub.add_parser(
        "import",
        help="import judge, case_id, criterion, points[, comment] rows "
        "(bad rows reported by line and skipped)",
    )
    imp.add_argument("file")
    _add_rubric_arg(imp)
    imp.add_argument("--strict", action="store_true", help="any bad row imports nothing")
    _add_actor_arg(imp)
    add_workspace_arg(imp)
    imp.set_defaults(handler=_scores_import)
    exp = ssub.add_parser("export", help="write every score as CSV (stdout, or --out)")
    _add_rubric_arg(exp, required=False)
    exp.add_argument("--out", metavar="PATH")
    add_workspace_arg(exp)
    exp.set_defaults(handler=_scores_export)
    sset = ssub.add_parser("set", help="save one score")
    sset.add_argument("judge")
    sset.add_argument("case", help="case id (or the municipality of exactly one case)")
    sset.add_argument("criterion", help="criterion id or Korean name")
    sset.add_argument("points", type=float)
    sset.add_argument("--comment")
    _add_rubric_arg(sset)
    _add_actor_arg(sset)
    add_workspace_arg(sset)
    sset.set_defaults(handler=_scores_set)
    sdel = ssub.add_parser("delete", help="clear one stored score (logged in the history)")
    sdel.add_argument("judge")
    sdel.add_argument("case", help="case id (or the municipality of exactly one case)")
    sdel.add_argument("criterion", help="criterion id or Korean name")
    _add_rubric_arg(sdel)
    _add_actor_arg(sdel)
    add_workspace_arg(sdel)
    sdel.set_defaults(handler=_scores_delete)
    abst = ssub.add_parser("abstain", help="a judge abstains on a case (their scores leave its mean)")
    abst.add_argument("judge")
    abst.add_argument("case")
    abst.add_argument("--reason")
    abst.add_argument("--withdraw", action="store_true")
    _add_actor_arg(abst)
    add_workspace_arg(abst)
    abst.set_defaults(handler=_scores_abstain)
    rec = ssub.add_parser(
        "recuse", help="bar a judge from a case (or from every case); --as the organizer, or the judge"
    )
    rec.add_argument("judge")
    rec.add_argument("case", nargs="?")
    rec.add_argument("--reason")
    rec.add_argument("--withdraw", action="store_true", help="lift the recusal (organizers only)")
    _add_actor_arg(rec)
    add_workspace_arg(rec)
    rec.set_defaults(handler=_scores_recuse)
    hist = ssub.add_parser("history", help="the append-only log of every change")
    hist.add_argument("--judge")
    hist.add_argument("--case")
    add_format_arg(hist, ["table", "json"])
    add_workspace_arg(hist)
    hist.set_defaults(handler=_scores_history)
    queue = ssub.add_parser("queue", help="cases a judge may still score, fewest reviews first")
    queue.add_argument("judge")
    _add_rubric_arg(queue)
    add_format_arg(queue, ["table", "json"])
    add_workspace_arg(queue)
    queue.set_defaults(handler=_scores_queue)

    rank = sub.add_parser(
        "rank", help="rank cases within 분야 × group with awards, agreement and rank intervals"
    )
    _add_rubric_arg(rank)
    rank.add_argument("--group", help="only this group (시, 군, 구 …)")
    rank.add_argument("--field", help="only this 분야")
    add_format_arg(rank, ["table", "json", "xlsx"])
    rank.add_argument(
        "--out", metavar="PATH", help="write to a file (required name for xlsx: default rank_<id>.xlsx)"
    )
    rank.add_argument(
        "--normalize", choices=["none", "zscore"], help="per-judge z-normalization (rubric default)"
    )
    rank.add_argument(
        "--trim",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="trimmed mean: drop highest and lowest judge when enough judges (rubric default)",
    )
    rank.add_argument("--min-judges", type=int, help="fewer judges on a stage: listed, not ranked")
    rank.add_argument("--bootstrap", type=int, help="resamples of the judges for rank intervals (0 = off)")
    rank.add_argument("--seed", type=int, help="seed of the bootstrap (recorded in the output)")
    rank.add_argument(
        "--accept-rubric-change",
        action="store_true",
        help="include scores given under an older version of the rubric file",
    )
    add_workspace_arg(rank)
    rank.set_defaults(handler=_rank)
