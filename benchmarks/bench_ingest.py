"""Ingest at archive scale: synthetic submissions of real-report size, one case per file, into a fresh
workspace; wall time, MB/s, the ratio to a bare regex scan of the same bytes, and peak memory of the
whole process tree (the ingest and its worker processes, sampled from /proc).

    .venv/bin/python benchmarks/bench_ingest.py [--files 500 2000] [--tree SRC_DIR ...] [--repeat 1]

Each `--tree` is a casekit source folder (default: this checkout's `src/`); give two to compare a change
with the tree before it side by side, in one run on the same files. Each ingest runs in its own process
(`PYTHONPATH=<tree>`), so a tree's import time and its workers are counted, as a user would see them.

The files are the cases of `benchmarks/synth.py` (seed 0), each lengthened with the bodies of the cases
after it to ≈ 12.5 KB, the size of a 2017 case-book report (the seed book: 114 KB for nine cases).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import synth_cases  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
TARGET_BYTES = 12_500  # a 2017 case-book report: the seed book holds nine in 114 KB

#: The bare scan the ingest is compared with: read the bytes, decode, find every Korean quantity.
_QUANTITY = re.compile(r"\d[\d,.]*\s*(?:천원|백만원|억원|만원|원|명|개소|개|건|%|㎡|회)")

_INGEST = (
    "import sys\n"
    "from casekit.pipeline import ingest\n"
    "report = ingest([sys.argv[1]], sys.argv[2])\n"
    "print(len(report.case_ids), len(report.failed))\n"
)


def write_submissions(directory: Path, n_files: int, seed: int = 0) -> int:
    """One case per file (sub_00000.txt …), lengthened with the next cases' bodies; returns total bytes."""
    cases = synth_cases(n_files + 12, seed)
    directory.mkdir(parents=True, exist_ok=True)
    total = 0
    for index in range(n_files):
        parts = [cases[index].text]
        for other in cases[index + 1 : index + 12]:
            if sum(len(part.encode("utf-8")) for part in parts) >= TARGET_BYTES:
                break
            marker = f"\n {other.title}\n"
            at = other.text.find(marker)
            parts.append(other.text[at + len(marker) :] if at >= 0 else "")
        data = "".join(parts).encode("utf-8")
        (directory / f"sub_{index:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def bare_regex_seconds(directory: Path) -> float:
    start = time.perf_counter()
    found = 0
    for path in sorted(directory.glob("*.txt")):
        found += len(_QUANTITY.findall(path.read_bytes().decode("utf-8")))
    assert found
    return time.perf_counter() - start


def _tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_ingest(tree: Path, inputs: Path, workspace: Path) -> tuple[float, float, int, str]:
    """(wall seconds, CPU seconds of the process and its workers, peak tree RSS bytes, stdout) of one
    ingest in a fresh process."""
    env = dict(os.environ, PYTHONPATH=str(tree), HF_HUB_OFFLINE="1")
    cpu = _children_cpu()
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", _INGEST, str(inputs), str(workspace)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.05)
    wall = time.perf_counter() - start
    cpu = _children_cpu() - cpu  # workers are waited for by the ingest, so their time is counted too
    out = process.stdout.read() if process.stdout else ""
    if process.returncode:
        raise SystemExit(f"ingest with {tree} failed ({process.returncode})")
    return wall, cpu, peak, out.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--tree", type=Path, nargs="+", default=[REPO / "src"])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load {os.getloadavg()[0]:.2f}\n"
    )
    print(
        "| tree | files | MB | fresh ingest wall (s) | MB/s wall | × bare regex | CPU (s) | MB per CPU-s | "
        "peak RSS, tree (MB) | re-ingest wall (s) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="bench_ingest_") as tmp:
        for n_files in args.files:
            inputs = Path(tmp) / f"in_{n_files}"
            size = write_submissions(inputs, n_files)
            regex = min(bare_regex_seconds(inputs) for _ in range(3))
            for repeat in range(args.repeat):
                for number, tree in enumerate(args.tree):
                    workspace = Path(tmp) / f"ws_{n_files}_{number}_{repeat}"
                    wall, cpu, peak, out = run_ingest(tree.resolve(), inputs, workspace)
                    again, _, _, _ = run_ingest(tree.resolve(), inputs, workspace)
                    print(
                        f"| {tree} | {n_files} | {size / 1e6:.1f} | {wall:.2f} | {size / 1e6 / wall:.2f} | "
                        f"{wall / regex:.0f} | {cpu:.1f} | {size / 1e6 / cpu:.2f} | {peak / 1e6:.0f} | {again:.2f} |",
                        flush=True,
                    )
                    print(f"<!-- cases, failed: {out}; bare regex {regex:.3f} s -->", flush=True)
    print(f"\nload after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
