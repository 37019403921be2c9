"""Theme clustering: speed and memory on the synthetic archive, and quality on corpora with known groups.

    .venv/bin/python benchmarks/bench_themes.py speed --n 10000            # time + peak RSS per method
    .venv/bin/python benchmarks/bench_themes.py quality                    # purity / NMI / ARI per method

`speed` generates the archive with `benchmarks/synth.py`, parses it with casekit's parser, embeds the
cases once with the default corpus embedder (cached as .npy), then runs each clustering method in a
fresh subprocess so every peak-RSS figure is that method's own. Wall and CPU seconds are both given:
the machine is shared, and CPU time is what load on other cores does not inflate.

`quality` scores themes against known groups: the 20-case five-분야 test corpus (cases and passages),
the seed book's passages labelled by topic by hand (tests/themes/seed_topics.py), and 1,000 synthetic
cases (their 분야 and their finer generator theme), for each method and both lexical analyzers.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "themes"))

import numpy as np  # noqa: E402

METHODS = ("kmeans", "agglomerative", "hdbscan")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _synth_cases(n: int, seed: int, workdir: Path) -> tuple[list[Any], list[Any], dict[str, float]]:
    """Parsed synthetic cases (in generator order) and their ground truth, with parse timing."""
    from benchmarks.synth import write_archive
    from casekit.parse import parse_file

    truth = [json.loads(line) for line in (_archive(n, seed, workdir, write_archive) / "labels.jsonl").open()]
    t0, c0 = time.perf_counter(), _cpu()
    cases = []
    for path in sorted((workdir / f"archive_{n}_{seed}").glob("book_*.txt")):
        cases.extend(parse_file(path))
    timing = {"parse_wall_s": time.perf_counter() - t0, "parse_cpu_s": _cpu() - c0}
    if len(cases) != len(truth):
        raise SystemExit(f"parser found {len(cases)} cases in an archive of {len(truth)}")
    return cases, truth, timing


def _archive(n: int, seed: int, workdir: Path, write_archive: Any) -> Path:
    directory = workdir / f"archive_{n}_{seed}"
    if not (directory / "labels.jsonl").is_file():
        write_archive(directory, n, seed=seed, per_file=100)
    return directory


def prepare(n: int, seed: int, workdir: Path) -> dict[str, Any]:
    """Parse and embed the archive once; later method runs load the cached matrix."""
    from casekit.embed.corpus import CorpusLexicalEmbedder
    from casekit.themes import case_units, place_stopwords

    cases, truth, timing = _synth_cases(n, seed, workdir)
    units = case_units(cases)
    t0, c0 = time.perf_counter(), _cpu()
    embedder = CorpusLexicalEmbedder(seed=seed, stopwords=place_stopwords(units))
    matrix = embedder.fit_encode([u.text for u in units])
    timing.update(embed_wall_s=time.perf_counter() - t0, embed_cpu_s=_cpu() - c0)
    np.save(workdir / f"emb_{n}_{seed}.npy", matrix)
    with (workdir / f"units_{n}_{seed}.pkl").open("wb") as handle:
        pickle.dump((units, truth), handle)
    timing.update(
        n_cases=len(units),
        dim=int(matrix.shape[1]),
        chars=sum(len(u.text) for u in units),
        prepare_peak_rss_mb=_peak_mb(),
        embedder=embedder.model_id,
    )
    return timing


def run_one(method: str, n: int, seed: int, k: str, workdir: Path) -> dict[str, Any]:
    """One method on the cached archive: fit (cluster + labels + map), then score against the truth."""
    from casekit.themes import evaluate, fit_themes

    with (workdir / f"units_{n}_{seed}.pkl").open("rb") as handle:
        units, truth = pickle.load(handle)
    matrix = np.load(workdir / f"emb_{n}_{seed}.npy")
    from casekit.korean import get_kiwi

    get_kiwi()  # Kiwi's one-second start-up is not clustering
    base_rss = _peak_mb()
    t0, c0 = time.perf_counter(), _cpu()
    model = fit_themes(units=units, embeddings=matrix, method=method, k=k, seed=seed)
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    scores_theme = evaluate(model, [t["theme"] for t in truth])
    scores_field = evaluate(model, [t["field"] for t in truth])
    return {
        "method": method,
        "n": n,
        "k": k,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "peak_rss_mb": round(_peak_mb()),
        "rss_before_fit_mb": round(base_rss),
        "themes": scores_theme["themes"],
        "outliers": scores_theme["outliers"],
        "nmi_theme": scores_theme["nmi"],
        "purity_theme": scores_theme["purity"],
        "nmi_field": scores_field["nmi"],
        "purity_field": scores_field["purity"],
        "stages_wall_s": model.timings,
        "chosen_k": model.params.get("chosen_k"),
        "labels": [t.label for t in model.themes[:6]],
    }


def speed(args: argparse.Namespace) -> None:
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    prep = _subprocess(["prepare", "--n", str(args.n), "--seed", str(args.seed), "--workdir", str(workdir)])
    print(json.dumps(prep, ensure_ascii=False))
    results = [prep]
    for method in args.methods.split(","):
        row = _subprocess(
            [
                "one",
                "--method",
                method,
                "--n",
                str(args.n),
                "--seed",
                str(args.seed),
                "--k",
                args.k,
                "--workdir",
                str(workdir),
            ]
        )
        print(json.dumps(row, ensure_ascii=False))
        results.append(row)
    _write(args.out, results)


def _subprocess(argv: list[str]) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, *argv], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[0]} failed:\n{proc.stderr[-3000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def quality(args: argparse.Namespace) -> None:
    """Purity / NMI / ARI of every method and both lexical analyzers on corpora whose grouping is known."""
    from seed_topics import topic_of
    from themes_corpus import build_cases

    from casekit.embed.corpus import CorpusLexicalEmbedder
    from casekit.parse import parse_file
    from casekit.themes import (
        case_units,
        evaluate,
        fit_themes,
        passage_units,
        place_stopwords,
    )

    fixture = build_cases()
    passages = passage_units(fixture)
    field_of = {c.id: c.field for c in fixture}
    seed_book = REPO.parent / "shared" / "seeds" / "004_2e6d3bf8b3fb2223.txt"
    seed_passages = passage_units(parse_file(seed_book))
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    synth, truth, _ = _synth_cases(args.n_synth, args.seed, workdir)
    synth_units = case_units(synth)
    corpora: list[tuple[str, list[Any], list[Any]]] = [
        ("fixture 20 cases / 5 분야", case_units(fixture), [c.field for c in fixture]),
        (f"fixture {len(passages)} passages / 5 분야", passages, [field_of[u.case_id] for u in passages]),
        (
            f"seed {len(seed_passages)} passages / 5 hand topics",
            seed_passages,
            [topic_of(u.line_start, u.line_end) for u in seed_passages],
        ),
        (
            f"synthetic {len(synth)} cases / {len({t['theme'] for t in truth})} themes",
            synth_units,
            [t["theme"] for t in truth],
        ),
        (f"synthetic {len(synth)} cases / 5 분야", synth_units, [t["field"] for t in truth]),
    ]
    rows: list[dict[str, Any]] = []
    for name, units, truth_labels in corpora:
        n_groups = len(set(truth_labels))
        for analyzer in ("char", "morph"):
            embedder = CorpusLexicalEmbedder(
                seed=args.seed, stopwords=place_stopwords(units), analyzer=analyzer
            )
            matrix = embedder.fit_encode([u.text for u in units])
            for method in METHODS:
                for k in ("auto", str(n_groups)):
                    if method == "hdbscan" and k != "auto":
                        continue
                    t0 = time.perf_counter()
                    model = fit_themes(units=units, embeddings=matrix, method=method, k=k, seed=args.seed)
                    row = {
                        "corpus": name,
                        "embedder": analyzer,
                        "method": method,
                        "k": k,
                        **evaluate(model, truth_labels),
                        "wall_s": round(time.perf_counter() - t0, 1),
                    }
                    print(json.dumps(row, ensure_ascii=False), flush=True)
                    rows.append(row)
    _write(args.out, rows)
    print()
    print("| corpus | embedder | method | k | themes | outliers | purity | NMI | ARI |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['corpus']} | {r['embedder']} | {r['method']} | {r['k']} | {r['themes']} | {r['outliers']} | "
            f"{r['purity']:.2f} | {r['nmi']:.2f} | {r['ari']:.2f} |"
        )


def _write(out: str | None, rows: list[dict[str, Any]]) -> None:
    if out:
        meta = {
            "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}",
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load": os.getloadavg(),
        }
        Path(out).write_text(
            json.dumps({"meta": meta, "rows": rows}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="mode", required=True)
    default_workdir = str(Path(tempfile.gettempdir()) / "casekit_bench_themes")
    p_speed = sub.add_parser("speed")
    p_speed.add_argument("--n", type=int, default=10_000)
    p_speed.add_argument("--methods", default=",".join(METHODS))
    p_speed.add_argument("--k", default="auto")
    p_quality = sub.add_parser("quality")
    p_quality.add_argument("--n-synth", type=int, default=1000)
    p_prepare = sub.add_parser("prepare")
    p_prepare.add_argument("--n", type=int, required=True)
    p_one = sub.add_parser("one")
    p_one.add_argument("--method", required=True)
    p_one.add_argument("--n", type=int, required=True)
    p_one.add_argument("--k", default="auto")
    for p in (p_speed, p_quality, p_prepare, p_one):
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--workdir", default=default_workdir)
        p.add_argument("--out", default=None, help="also write the rows as JSON here")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.mode == "speed":
        speed(args)
    elif args.mode == "quality":
        quality(args)
    elif args.mode == "prepare":
        print(json.dumps(prepare(args.n, args.seed, Path(args.workdir)), ensure_ascii=False))
    else:
        print(
            json.dumps(
                run_one(args.method, args.n, args.seed, args.k, Path(args.workdir)), ensure_ascii=False
            )
        )


if __name__ == "__main__":
    main()
