"""Metrics extraction speed: casekit vs a bare regular-expression number scan vs quantulum3.

    .venv/bin/python benchmarks/bench_metrics.py                  # seed book + 50 MB synthetic corpus
    .venv/bin/python benchmarks/bench_metrics.py --synthetic-mb 5 --json out.json

All three read the same decoded text. "bare regex" is `re.findall(r"\\d+(?:[.,]\\d+)*", text)`: the floor
for any extractor that looks at every number. casekit is timed on `extract_from_lines` over the `Line`
records ingest hands it, and separately with making those records from the text (the comparison with
quantulum3, which reads text, uses the latter). The corpus is read in ~1 MB pieces (about two case books),
casekit and the regex alternating piece by piece; times are this process's CPU time (the machine is
shared), each figure the best total of `--repeats` passes. quantulum3 (a bench-only dependency) runs once on
the seed book and on a slice of the synthetic corpus (at ~0.03 MB/s the full 50 MB would take hours);
its bundled classifier does not unpickle under scikit-learn 1.9, so `USE_CLF = False` as the issue says.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import re
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from benchmarks.synth import generate_case_book  # noqa: E402
from casekit.ingest.model import Line  # noqa: E402
from casekit.metrics import extract_from_lines  # noqa: E402
from casekit.metrics.model import Metric  # noqa: E402

SEED = REPO.parent / "shared" / "seeds" / "004_2e6d3bf8b3fb2223.txt"
BARE = re.compile(r"\d+(?:[.,]\d+)*")
#: CPU time of this process: the machine is shared (other builds and tests run beside the benchmark),
#: and wall time would charge their load to whichever run it happened to interrupt.
clock = time.process_time


def make_lines(text: str) -> list[Line]:
    """What ingest hands the extractor: one `Line` per non-blank line (here with no repair map)."""
    return [Line(t, i + 1) for i, t in enumerate(text.split("\n")) if t.strip()]


def casekit_extract(text: str) -> list[Metric]:
    return extract_from_lines(make_lines(text))


def bare_scan(text: str) -> list[str]:
    return BARE.findall(text)


def bare_scan_positions(text: str) -> list[tuple[int, str]]:
    """The same scan keeping where each number is (what evidence needs): a second, fairer floor."""
    return [(m.start(), m.group()) for m in BARE.finditer(text)]


def chunks_of(text: str, size: int = 1_000_000) -> list[str]:
    """`text` cut at line ends into pieces of about `size` characters (a case book or so each)."""
    pieces: list[str] = []
    start = 0
    while start < len(text):
        end = text.find("\n", start + size)
        end = len(text) if end < 0 else end
        pieces.append(text[start:end])
        start = end + 1
    return pieces


def interleaved(
    repeats: int, pieces: list[str]
) -> tuple[float, float, float, float, int, int, collections.Counter[str]]:
    """Best total time of casekit and of the bare regex over `pieces`, the two alternating piece by
    piece so that load from other processes on the machine falls on both alike. Results are counted
    and dropped, as a pipeline writing metrics case by case would."""
    best_case = best_bare = best_lines = best_pos = float("inf")
    metrics = numbers = 0
    kinds: collections.Counter[str] = collections.Counter()
    for _ in range(repeats):
        t_case = t_bare = t_lines = t_pos = 0.0
        metrics = numbers = 0
        kinds = collections.Counter()
        for piece in pieces:
            start = clock()
            found = bare_scan(piece)
            t_bare += clock() - start
            numbers += len(found)
            start = clock()
            bare_scan_positions(piece)
            t_pos += clock() - start
            start = clock()
            lines = make_lines(piece)
            middle = clock()
            extracted = extract_from_lines(lines)
            t_case += clock() - middle
            t_lines += middle - start
            metrics += len(extracted)
            kinds.update(m.kind for m in extracted)
            del extracted, lines
        best_case, best_bare, best_lines = min(best_case, t_case), min(best_bare, t_bare), min(best_lines, t_lines)
        best_pos = min(best_pos, t_pos)
    return best_case, best_lines, best_bare, best_pos, metrics, numbers, kinds


def quantulum_run(text: str) -> dict[str, Any]:
    from quantulum3 import classifier

    classifier.USE_CLF = False
    from quantulum3 import parser

    start = clock()
    quantities = parser.parse(text)
    seconds = clock() - start
    units = collections.Counter(q.unit.name for q in quantities)
    return {
        "mb": len(text.encode("utf-8")) / 1e6,
        "seconds": seconds,
        "mb_per_s": len(text.encode("utf-8")) / 1e6 / seconds,
        "quantities": len(quantities),
        "dimensionless": units.get("dimensionless", 0),
        "units": dict(units.most_common(8)),
        "korean_examples": [
            {"surface": q.surface, "value": q.value, "unit": q.unit.name}
            for q in quantities
            if any("가" <= ch <= "힣" for ch in q.surface) or q.surface.endswith(("명", "개", "원"))
        ][:8],
    }


def synthetic_corpus(megabytes: float) -> str:
    """Synthetic case books (benchmarks/synth.py), seeds 0, 1, 2 … until `megabytes` of UTF-8."""
    parts: list[str] = []
    size = 0
    seed = 0
    while size < megabytes * 1e6:
        book = generate_case_book(200, seed=seed)
        parts.append(book)
        size += len(book.encode("utf-8"))
        seed += 1
    return "\n".join(parts)


def measure(name: str, text: str, repeats: int) -> dict[str, Any]:
    mb = len(text.encode("utf-8")) / 1e6
    t_case, t_lines, t_bare, t_pos, metrics, numbers, kinds = interleaved(repeats, chunks_of(text))
    return {
        "corpus": name,
        "mb": mb,
        "casekit_s": t_case,
        "casekit_mb_per_s": mb / t_case,
        "line_records_s": t_lines,
        "text_to_metrics_mb_per_s": mb / (t_case + t_lines),
        "bare_regex_s": t_bare,
        "bare_regex_mb_per_s": mb / t_bare,
        "slowdown_vs_bare_regex": t_case / t_bare,
        "slowdown_vs_bare_regex_with_line_records": (t_case + t_lines) / t_bare,
        "bare_regex_positions_mb_per_s": mb / t_pos,
        "slowdown_vs_bare_regex_positions": t_case / t_pos,
        "metrics": metrics,
        "numbers": numbers,
        "kinds": dict(kinds.most_common()),
    }


def rss_mb() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed-book", type=Path, default=SEED)
    parser.add_argument("--synthetic-mb", type=float, default=50.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quantulum-slice-kb", type=float, default=100.0,
                        help="quantulum3 runs on this much of the synthetic corpus (0: skip)")
    parser.add_argument("--no-quantulum", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)

    results: dict[str, Any] = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_before": os.getloadavg(),
    }
    seed_text = args.seed_book.read_text(encoding="utf-8")
    results["seed"] = measure("seed book", seed_text, max(args.repeats, 5))
    if not args.no_quantulum:
        results["seed"]["quantulum3"] = quantulum_run(seed_text)

    build_start = clock()
    corpus = synthetic_corpus(args.synthetic_mb)
    results["synthetic_build_s"] = clock() - build_start
    results["synthetic"] = measure(f"synthetic {args.synthetic_mb:g} MB", corpus, args.repeats)
    # Memory: the whole corpus in one call, every metric kept (the worst case for a single huge file).
    before = rss_mb()
    start = clock()
    kept = casekit_extract(corpus)
    results["synthetic"]["one_call_s"] = clock() - start
    results["synthetic"]["one_call_rss_growth_mb"] = rss_mb() - before
    results["synthetic"]["one_call_metrics"] = len(kept)
    del kept
    if not args.no_quantulum and args.quantulum_slice_kb > 0:
        cut = corpus[: int(args.quantulum_slice_kb * 1000 / 2.5)]  # ~2.5 UTF-8 bytes per character here
        results["synthetic"]["quantulum3"] = quantulum_run(cut[: cut.rfind("\n")])

    for key in ("seed", "synthetic"):
        row = results[key]
        q = row.get("quantulum3")
        speedup = f", {row['text_to_metrics_mb_per_s'] / q['mb_per_s']:.0f}× quantulum3's speed" if q else ""
        print(f"{row['corpus']}: {row['mb']:.3f} MB, casekit {row['casekit_mb_per_s']:.2f} MB/s "
              f"({row['metrics']} metrics; {row['text_to_metrics_mb_per_s']:.2f} MB/s counting Line records), "
              f"bare regex {row['bare_regex_mb_per_s']:.1f} MB/s ({row['numbers']} numbers), casekit is "
              f"{row['slowdown_vs_bare_regex']:.1f}× slower ({row['slowdown_vs_bare_regex_with_line_records']:.1f}×; "
              f"{row['slowdown_vs_bare_regex_positions']:.1f}× a scan keeping positions at "
              f"{row['bare_regex_positions_mb_per_s']:.1f} MB/s){speedup}")
        if q:
            print(f"  quantulum3 on {q['mb']:.3f} MB: {q['mb_per_s']:.4f} MB/s, {q['quantities']} quantities, "
                  f"{q['dimensionless']} dimensionless; units {q['units']}")
    syn = results["synthetic"]
    print(f"  one call over the whole {syn['mb']:.0f} MB keeping all {syn['one_call_metrics']} metrics: "
          f"{syn['one_call_s']:.1f} s, RSS +{syn['one_call_rss_growth_mb']:.0f} MB")
    results["load_average_after"] = os.getloadavg()
    print(f"load average before/after: {results['load_average_before']} / {results['load_average_after']}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
