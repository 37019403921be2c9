"""Search benchmark: index build time and peak memory, query latency, and retrieval quality per backend.

    python benchmarks/bench_search.py                      # 10,000 synthetic cases, default backend
    python benchmarks/bench_search.py --cases 1000 --backend lexical+cong
    python benchmarks/bench_search.py --quality-only       # MRR@10 / nDCG@10 on the seed query set

Speed is measured on a synthetic archive (benchmarks/synth.py, deterministic by --seed): the cases are
parsed and saved into a fresh workspace first (not timed as indexing), then `build_index` runs in a child
process so its peak RSS (ru_maxrss) is its own, then another child loads the index and times queries
(warm: after the first query has loaded Kiwi; the cold first query is reported separately).
Results are printed as JSON and, with --out, written to a file; docs/benchmarks.md quotes them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

QUALITY_BACKENDS = ["ngram", "ngram+cong", "lexical", "lexical+cong", "dense:minilm", "hybrid:minilm"]


def _peak_mb() -> float:
    """Peak resident memory of this process.

    VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork+exec, so a child
    started by a parent that once held a model would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
    }


def prepare(workdir: Path, n_cases: int, seed: int) -> dict[str, Any]:
    """Generate the archive, parse it and save the cases into `workdir/ws` (skipped if already there)."""
    from benchmarks.synth import write_archive
    from casekit.parse import parse_file
    from casekit.store import Workspace

    ws = Workspace(workdir / "ws")
    marker = workdir / f"prepared-{n_cases}-{seed}.json"
    if marker.is_file():
        return dict(json.loads(marker.read_text()))
    started = time.perf_counter()
    paths = write_archive(workdir / "archive", n_cases, seed=seed)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    count = 0
    chars = 0
    for path in paths:
        for case in parse_file(path):
            ws.save_case(case)
            count += 1
            chars += sum(len(line.text) for line in case.lines)
    info = {
        "cases": count,
        "chars": chars,
        "files": len(paths),
        "generate_s": round(generated, 2),
        "parse_and_save_s": round(time.perf_counter() - started, 2),
    }
    marker.write_text(json.dumps(info))
    return info


def phase_build(workspace: str, backend: str) -> dict[str, Any]:
    from casekit.retrieval import build_index

    started = time.perf_counter()
    index = build_index(workspace, backend)
    seconds = time.perf_counter() - started
    return {
        "backend": index.spec.name,
        "passages": len(index.passages),
        "cases": len(index.cases),
        "build_s": round(seconds, 2),
        "peak_rss_mb": round(_peak_mb(), 1),
        "index_mb": round(
            sum(f.stat().st_size for f in Path(workspace, "index").glob("*") if f.is_file()) / 2**20, 1
        ),
    }


def _synthetic_queries(n: int, seed: int) -> list[str]:
    """Questions built from the generator's vocabulary plus the labelled seed queries."""
    from benchmarks.synth import THEMES
    from casekit.retrieval.evaluate import load_queries

    rng = random.Random(seed)
    themes = [theme for group in THEMES.values() for theme in group]
    queries = [q.query for q in load_queries(REPO / "tests" / "retrieval" / "queries.yaml")]
    while len(queries) < n:
        theme = rng.choice(themes)
        queries.append(
            f"{rng.choice(theme.targets)} {rng.choice(theme.actions)} {rng.choice(theme.programs)}"
        )
    rng.shuffle(queries)
    return queries[:n]


def phase_query(workspace: str, n_queries: int, seed: int) -> dict[str, Any]:
    import numpy as np

    from casekit.retrieval import SearchIndex, hits

    started = time.perf_counter()
    index = SearchIndex.load(Path(workspace) / "index")
    load_s = time.perf_counter() - started
    queries = _synthetic_queries(n_queries, seed)
    started = time.perf_counter()
    hits(index, queries[0], 10)
    first_s = time.perf_counter() - started
    latencies = []
    for query in queries:
        started = time.perf_counter()
        hits(index, query, 10)
        latencies.append((time.perf_counter() - started) * 1000)
    filtered = []
    for query in queries[:50]:
        started = time.perf_counter()
        hits(index, query, 10, field="청년문제해소", group="군")
        filtered.append((time.perf_counter() - started) * 1000)
    return {
        "queries": len(latencies),
        "load_s": round(load_s, 2),
        "first_query_s": round(first_s, 2),
        "p50_ms": round(float(np.percentile(latencies, 50)), 1),
        "p95_ms": round(float(np.percentile(latencies, 95)), 1),
        "max_ms": round(max(latencies), 1),
        "filtered_p95_ms": round(float(np.percentile(filtered, 95)), 1),
        "peak_rss_mb": round(_peak_mb(), 1),
    }


def phase_duplicates(workspace: str) -> dict[str, Any]:
    from casekit.retrieval import duplicates

    started = time.perf_counter()
    pairs = duplicates(0.8, workspace)
    return {
        "duplicates_s": round(time.perf_counter() - started, 2),
        "pairs": len(pairs),
        "peak_rss_mb": round(_peak_mb(), 1),
    }


def quality(backends: list[str]) -> list[dict[str, Any]]:
    """MRR@10 / nDCG@10 of each backend on the labelled seed queries (plus build time on the seed)."""
    from casekit.parse import parse_file
    from casekit.retrieval.evaluate import evaluate, load_queries

    seed = REPO.parent / "shared" / "seeds" / "004_2e6d3bf8b3fb2223.txt"
    seed = Path(os.environ.get("CASEKIT_SEED", seed))
    cases = parse_file(seed)
    queries = load_queries(REPO / "tests" / "retrieval" / "queries.yaml")
    from casekit.retrieval import SearchIndex

    rows = []
    for backend in backends:
        started = time.perf_counter()
        index = SearchIndex.build(cases, backend)
        build_s = time.perf_counter() - started
        result = evaluate(index, queries, k=10)
        rows.append({**result.summary(), "seed_build_s": round(build_s, 2)})
        print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr)
    return rows


def dense_rate(n: int = 200) -> dict[str, Any]:
    """Passages per second of the packaged MiniLM on 2 cores (to extrapolate a dense 10,000-case build)."""
    from benchmarks.synth import generate_case_book
    from casekit.embed import make_embedder

    lines = [line for line in generate_case_book(20, seed=3).splitlines() if line.strip()]
    texts = ["\n".join(lines[i : i + 8]) for i in range(0, len(lines), 8)][:n]
    embedder = make_embedder("minilm")
    embedder.encode(texts[:2])
    started = time.perf_counter()
    embedder.encode(texts)
    seconds = time.perf_counter() - started
    return {
        "model": embedder.model_id,
        "passages": len(texts),
        "passages_per_s": round(len(texts) / seconds, 1),
    }


def _child(*args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--backend", default="ngram+cong")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument(
        "--workdir", default=None, help="keep the archive and workspace here (default: a temp dir)"
    )
    parser.add_argument("--duplicates", action="store_true", help="also time near-duplicate detection")
    parser.add_argument("--quality", action="store_true", help="also score every backend on the seed queries")
    parser.add_argument("--quality-only", action="store_true")
    parser.add_argument("--dense-rate", action="store_true", help="also measure MiniLM passages/s")
    parser.add_argument("--out", default=None, help="write the JSON result here")
    parser.add_argument("--phase", choices=["build", "query", "duplicates"], help=argparse.SUPPRESS)
    parser.add_argument("--workspace", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase == "build":
        print(json.dumps(phase_build(args.workspace, args.backend)))
        return
    if args.phase == "query":
        print(json.dumps(phase_query(args.workspace, args.queries, args.seed)))
        return
    if args.phase == "duplicates":
        print(json.dumps(phase_duplicates(args.workspace)))
        return

    result: dict[str, Any] = {"machine": _machine()}
    if args.quality or args.quality_only:
        result["quality"] = quality(QUALITY_BACKENDS)
    if not args.quality_only:
        workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="casekit-bench-"))
        workdir.mkdir(parents=True, exist_ok=True)
        result["archive"] = prepare(workdir, args.cases, args.seed)
        print(json.dumps(result["archive"]), file=sys.stderr)
        ws = str(workdir / "ws")
        result["build"] = _child("--phase", "build", "--workspace", ws, "--backend", args.backend)
        print(json.dumps(result["build"]), file=sys.stderr)
        result["query"] = _child(
            "--phase", "query", "--workspace", ws, "--queries", str(args.queries), "--seed", str(args.seed)
        )
        print(json.dumps(result["query"]), file=sys.stderr)
        # re-indexing unchanged cases (a second `casekit index`)
        result["rebuild"] = _child("--phase", "build", "--workspace", ws, "--backend", args.backend)
        if args.duplicates:
            result["duplicates"] = _child("--phase", "duplicates", "--workspace", ws)
            print(json.dumps(result["duplicates"]), file=sys.stderr)
    if args.dense_rate:
        result["dense_rate"] = dense_rate()
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
