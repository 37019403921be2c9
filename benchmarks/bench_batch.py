"""Batch reports: wall time of the ranking-report batch for a synthetic year, with and without `--jobs 2`.

    .venv/bin/python benchmarks/bench_batch.py [--n 400] [--judges 3] [--seed 0] [--jobs 1 2]

Generates `--n` cases with `benchmarks/synth.py` (the five 2017 분야 × 시/군/구: 15 groups), ingests them
into a fresh workspace, imports seeded judges' scores for the written stage (one CSV, one transaction), then
times `casekit.batch.run_batch` (the theme map fitted in this process, then 15 ranking notebooks + the themes
notebook, HTML + Excel each, on workers that keep one kernel each) once per `--jobs` value with `force=True`,
and once more resumed (everything up to date → skipped). CPU seconds of
this process and its children are given next to wall time: the machine is shared, and load from other
work inflates wall time but not CPU time. Results go to stdout as a Markdown table and to
benchmarks/out/bench_batch.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def prepare(root: Path, n: int, judges: int, seed: int) -> tuple[Any, Path, dict[str, Any]]:
    from benchmarks.synth import write_archive
    from casekit.pipeline import ingest
    from casekit.rubric import load_rubric
    from casekit.score.csv_io import import_scores_csv
    from casekit.score.store import ScoreStore
    from casekit.store import Workspace

    # A private copy: the scores carry the rubric's version hash, and an edit of the repository's rubric
    # during the run would (rightly) make every report refuse the scores.
    rubric_path = root / "manifesto_2017.yaml"
    rubric_path.write_bytes((REPO / "rubrics" / "manifesto_2017.yaml").read_bytes())
    rubric = load_rubric(rubric_path)
    files = write_archive(root / "archive", n, seed=seed, per_file=100)
    ws = Workspace(root / "data")
    t0 = time.perf_counter()
    ingest([p for p in files if p.suffix == ".txt"], ws)
    ingest_s = time.perf_counter() - t0
    cases = ws.load_cases()
    rng = random.Random(seed)
    scores = root / "scores.csv"
    with scores.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["judge", "case_id", "criterion", "points"])
        for case in cases:
            for j in range(judges):
                for crit in rubric.stages[0].criteria:
                    top = float(crit.max_points or 0)
                    writer.writerow(
                        [f"J{j + 1}", case.id, crit.id, round(rng.uniform(0.4, 1.0) * top * 2) / 2]
                    )
    with ScoreStore(ws) as store:
        for j in range(judges):
            store.add_judge(f"J{j + 1}", kind="expert")
        report = import_scores_csv(store, scores, rubric, cases=cases)
    groups = sorted({(c.field, c.group) for c in cases})
    return (
        ws,
        rubric_path,
        {"cases": len(cases), "groups": len(groups), "ingest_s": round(ingest_s, 1), "scores": report.stored},
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--judges", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    from casekit.batch import run_batch

    with tempfile.TemporaryDirectory(prefix="casekit-bench-batch-") as tmp:
        root = Path(tmp)
        ws, rubric, info = prepare(root, args.n, args.judges, args.seed)
        print(f"prepared: {info}", file=sys.stderr)
        runs = []
        for jobs in args.jobs:
            out = root / f"reports_j{jobs}"
            cpu0, t0 = _cpu(), time.perf_counter()
            result = run_batch(rubric, ws, out, jobs=jobs, force=True, progress=False)
            wall, cpu = time.perf_counter() - t0, _cpu() - cpu0
            durations = sorted(r.duration_s or 0 for r in result.runs)
            runs.append(
                {
                    "jobs": jobs,
                    "notebooks": len(result.runs),
                    "ok": result.counts().get("ok", 0),
                    "failed": len(result.failed),
                    "wall_s": round(wall, 1),
                    "cpu_s": round(cpu, 1),
                    "per_notebook_median_s": round(durations[len(durations) // 2], 1),
                    "per_notebook_max_s": round(durations[-1], 1),
                }
            )
            print(f"jobs={jobs}: {runs[-1]}", file=sys.stderr)
            for failed in result.failed:
                print(f"  failed {failed.name}: {failed.error}", file=sys.stderr)
        t0 = time.perf_counter()
        resumed = run_batch(
            rubric, ws, root / f"reports_j{args.jobs[-1]}", jobs=args.jobs[-1], progress=False
        )
        resume_s = time.perf_counter() - t0
    record = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_avg_at_end": os.getloadavg()[0],
        "n_cases": args.n,
        **info,
        "judges": args.judges,
        "runs": runs,
        "resumed": {"wall_s": round(resume_s, 1), "statuses": resumed.counts()},
    }
    out_dir = REPO / "benchmarks" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "bench_batch.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"\n{record['when']} · {record['machine']} · load average at end {record['load_avg_at_end']:.1f}")
    print(
        f"{info['cases']} synthetic cases in {info['groups']} 분야 × 구분 groups, {info['scores']} judges' scores\n"
    )
    print("| --jobs | notebooks | ok | wall (s) | CPU (s) | per notebook median / max (s) |")
    print("|---|---|---|---|---|---|")
    for run in runs:
        print(
            f"| {run['jobs']} | {run['notebooks']} | {run['ok']} | {run['wall_s']} | {run['cpu_s']} | "
            f"{run['per_notebook_median_s']} / {run['per_notebook_max_s']} |"
        )
    counts = ", ".join(f"{k} {v}" for k, v in sorted(resumed.counts().items()))
    print(
        f"| resumed (up to date) | {sum(resumed.counts().values())} | {counts} | "
        f"{record['resumed']['wall_s']} | | |"
    )


if __name__ == "__main__":
    main()
