"""Run every benchmark at the sizes docs/benchmarks.md reports (`make bench`); takes 10–20 minutes.

    .venv/bin/python benchmarks/run_all.py            # everything, at the documented sizes
    .venv/bin/python benchmarks/run_all.py --quick    # small sizes, a smoke run of every script

Each script prints its own Markdown table with the machine and date; paste the figures into
docs/benchmarks.md under the stage's heading. A failing script is reported and the others still run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

FULL = [
    ["bench_parse.py", "--cases", "1000"],
    ["bench_metrics.py"],
    ["bench_search.py", "--cases", "10000", "--quality"],
    ["bench_themes.py", "speed", "--n", "10000"],
    ["bench_themes.py", "quality"],
    ["bench_score.py", "--cases", "500"],
    ["bench_batch.py", "--n", "400", "--jobs", "1", "2"],
]
QUICK = [
    ["bench_parse.py", "--cases", "100", "--repeat", "1"],
    ["bench_metrics.py", "--synthetic-mb", "2", "--repeats", "1"],
    ["bench_search.py", "--cases", "300"],
    ["bench_themes.py", "speed", "--n", "300"],
    ["bench_score.py", "--cases", "50", "--bootstrap", "20"],
    ["bench_batch.py", "--n", "40", "--jobs", "2"],
]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes: check every script runs")
    args = parser.parse_args()
    failures = []
    for command in QUICK if args.quick else FULL:
        print(f"\n## {' '.join(command)}\n", flush=True)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]], check=False)
        print(f"\n({time.perf_counter() - start:.0f} s, exit {result.returncode})", flush=True)
        if result.returncode:
            failures.append(command[0])
    if failures:
        print(f"\nfailed: {', '.join(failures)}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
