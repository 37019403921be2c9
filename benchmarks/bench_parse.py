"""Parse speed: the real seed book and a synthetic book of 1,000 cases (read → repair → parse).

    .venv/bin/python benchmarks/bench_parse.py [--cases 1000] [--repeat 5]

Prints a Markdown table to paste into docs/benchmarks.md (the machine and date are printed too).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import generate_case_book, synth_cases  # noqa: E402

from casekit.parse import parse_file  # noqa: E402

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "004_2e6d3bf8b3fb2223.txt"


def measure(path: Path, repeat: int) -> tuple[float, int]:
    times = []
    count = 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = len(parse_file(path))
        times.append(time.perf_counter() - start)
    return statistics.median(times), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = []
    if SEED.is_file():
        seconds, count = measure(SEED, args.repeat)
        rows.append(("seed book (2017, 9 cases)", SEED.stat().st_size, count, seconds))
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "synthetic.txt"
        book.write_text(generate_case_book(args.cases, seed=0), encoding="utf-8")
        seconds, count = measure(book, max(1, args.repeat // 2))
        rows.append((f"synthetic book ({args.cases} cases)", book.stat().st_size, count, seconds))
        truth = synth_cases(args.cases, seed=0)
        parsed = parse_file(book)
        agree = sum(p.municipality == t.municipality and p.field == t.field for p, t in zip(parsed, truth))
    print(
        f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}; "
        f"date {date.today().isoformat()}\n"
    )
    print("| input | size | cases | median time | cases/s | MB/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, size, count, seconds in rows:
        print(
            f"| {name} | {size / 1e6:.2f} MB | {count} | {seconds * 1000:.0f} ms | {count / seconds:,.0f} | "
            f"{size / 1e6 / seconds:.2f} |"
        )
    print(f"\nSynthetic cases whose municipality and field were parsed as generated: {agree}/{len(truth)}")


if __name__ == "__main__":
    main()
