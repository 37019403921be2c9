"""The main job end to end: `casekit run` on the seed workspace, stage by stage, optionally beside another checkout.

    .venv/bin/python benchmarks/bench_run.py [--rounds 3] [--compare OTHER_CHECKOUT/src] [--workspace data]

Each round copies the workspace (`data/`: the nine 2017 cases and their metrics) to a fresh temporary
folder and runs `casekit run --workspace COPY --out FRESH_DIR` as a child process, as `make demo` does
on a fresh checkout (no index, no pre-scores, no theme model, no reports yet). With `--compare`, the same
command runs from the other checkout's sources (PYTHONPATH) in the same round, the two alternating, so
both see the same machine load. Timed per run: wall time, the CPU seconds of the whole process tree
(the command, its workers and their kernels), and the stages from the moment each progress line
appears ([1/5] cases … [5/5] reports). Results go to stdout as a Markdown table and to
benchmarks/out/bench_run.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
STAGES = ("[1/5]", "[2/5]", "[3/5]", "[4/5]", "[5/5]")
STAGE_NAMES = {
    "[1/5]": "start + cases",
    "[2/5]": "metrics",
    "[3/5]": "search index",
    "[4/5]": "pre-scores + ranking",
    "[5/5]": "theme map + reports",
}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(src: Path, workspace: Path, tmp: Path, label: str) -> dict[str, Any]:
    ws = tmp / f"ws_{label}"
    out = tmp / f"out_{label}"
    shutil.rmtree(ws, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(
        workspace, ws, ignore=shutil.ignore_patterns("index", "themes", "prescores", "scores.sqlite*")
    )
    env = {**os.environ, "PYTHONPATH": str(src), "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "casekit", "run", "--workspace", str(ws), "--out", str(out)]
    cpu0, t0 = _children_cpu(), time.perf_counter()
    marks: dict[str, float] = {}
    with subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            for stage in STAGES:
                if line.startswith(stage) and stage not in marks:
                    marks[stage] = time.perf_counter() - t0
        code = proc.wait()
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    stages, before = {}, 0.0
    for stage in STAGES:
        if stage in marks:
            stages[STAGE_NAMES[stage]] = round(marks[stage] - before, 2)
            before = marks[stage]
    sidecars = {
        p.name.removesuffix(".run.json"): json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(out.glob("*.run.json"))
    }
    return {
        "label": label,
        "exit": code,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "stages_s": stages,
        "notebooks": {name: (s.get("status"), s.get("duration_s")) for name, s in sidecars.items()},
        "load_after": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workspace", type=Path, default=REPO / "data")
    parser.add_argument(
        "--compare", type=Path, default=None, help="another checkout's src/ to run beside this one"
    )
    args = parser.parse_args()
    sources = {"this": REPO / "src"}
    if args.compare is not None:
        sources["compare"] = args.compare.resolve()
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="casekit-bench-run-") as tmp:
        for round_no in range(args.rounds):
            order = list(sources.items()) if round_no % 2 == 0 else list(reversed(sources.items()))
            for label, src in order:
                record = run_once(src, args.workspace, Path(tmp), label)
                record["round"] = round_no + 1
                runs.append(record)
                print(f"round {round_no + 1} {label}: {record}", file=sys.stderr)
    record = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "sources": {k: str(v) for k, v in sources.items()},
        "runs": runs,
    }
    out_dir = REPO / "benchmarks" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "bench_run.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"\n{record['when']} · {record['machine']}\n")
    names = list(STAGE_NAMES.values())
    print("| round | checkout | load after | wall (s) | CPU (s) | " + " | ".join(names) + " |")
    print("|---|---|---|---|---|" + "---|" * len(names))
    for run in runs:
        cells = [str(run["stages_s"].get(n, "")) for n in names]
        print(
            f"| {run['round']} | {run['label']} | {run['load_after']} | {run['wall_s']} | {run['cpu_s']} | "
            + " | ".join(cells)
            + " |"
        )
    for label in sources:
        walls = [r["wall_s"] for r in runs if r["label"] == label]
        cpus = [r["cpu_s"] for r in runs if r["label"] == label]
        print(f"\n{label}: median wall {statistics.median(walls)} s, median CPU {statistics.median(cpus)} s")


if __name__ == "__main__":
    main()
