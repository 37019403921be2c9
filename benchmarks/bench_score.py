"""Scoring speed: pre-scores, score-store writes (single and concurrent), CSV import, and ranking.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_score.py [--cases 500] [--judges 10] [--bootstrap 200]

Prints a Markdown table to paste into docs/benchmarks.md (machine and date included). Synthetic cases
come from benchmarks/synth.py (seeded), judges' points from a seeded RNG.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import platform
import random
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import generate_case_book  # noqa: E402

from casekit.parse import parse_file  # noqa: E402
from casekit.rubric import load_rubric  # noqa: E402
from casekit.score.csv_io import import_scores_csv  # noqa: E402
from casekit.score.prescore import prescore_cases  # noqa: E402
from casekit.score.rank import rank_cases  # noqa: E402
from casekit.score.store import ScoreStore  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seeds" / "004_2e6d3bf8b3fb2223.txt"
RUBRIC = REPO / "rubrics" / "manifesto_2017.yaml"


def _writer(db: str, judge: str, case_ids: list[str], n: int, start) -> None:  # type: ignore[no-untyped-def]
    rubric = load_rubric(RUBRIC)
    crits = rubric.criteria
    start.wait()
    with ScoreStore(Path(db)) as store:
        for i in range(n):
            crit = crits[i % len(crits)]
            store.save_score(judge, case_ids[(i // len(crits)) % len(case_ids)], crit.id, 1.0, rubric=rubric)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--judges", type=int, default=10)
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--saves", type=int, default=400, help="saves per process in the write tests")
    args = parser.parse_args()
    rubric = load_rubric(RUBRIC)
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        if SEED.is_file():
            seed_cases = parse_file(SEED)
            prescore_cases(seed_cases, rubric)  # warm Kiwi and the metrics extractor
            t = time.perf_counter()
            prescore_cases(seed_cases, rubric)
            dt = time.perf_counter() - t
            rows.append(
                (
                    "pre-scores, seed book",
                    f"{len(seed_cases)} cases",
                    f"{dt * 1000:.0f} ms ({len(seed_cases) / dt:.1f} cases/s)",
                )
            )
        book = tmpdir / "synthetic.txt"
        book.write_text(generate_case_book(args.cases, seed=0), encoding="utf-8")
        cases = parse_file(book)
        t = time.perf_counter()
        prescore_cases(cases, rubric)
        dt = time.perf_counter() - t
        rows.append(
            (
                "pre-scores, synthetic book",
                f"{len(cases)} cases",
                f"{dt:.1f} s ({len(cases) / dt:.0f} cases/s)",
            )
        )

        db = tmpdir / "scores.sqlite"
        store = ScoreStore(db)
        store.register_cases(cases)
        judges = [f"J{i:02d}" for i in range(args.judges)]
        for judge in judges:
            store.add_judge(judge)
        case_ids = [c.id for c in cases]
        t = time.perf_counter()
        for i in range(args.saves):
            crit = rubric.criteria[i % len(rubric.criteria)]
            store.save_score(judges[0], case_ids[i // len(rubric.criteria)], crit.id, 1.0, rubric=rubric)
        dt = time.perf_counter() - t
        rows.append(
            (
                "save_score, 1 process (synchronous=FULL)",
                f"{args.saves} saves",
                f"{dt * 1000 / args.saves:.2f} ms/save ({args.saves / dt:.0f}/s)",
            )
        )
        ctx = mp.get_context("spawn")
        start = ctx.Event()
        procs = [
            ctx.Process(target=_writer, args=(str(db), j, case_ids, args.saves, start)) for j in judges[1:5]
        ]
        for p in procs:
            p.start()
        time.sleep(3)  # let the children import casekit before the clock starts
        t = time.perf_counter()
        start.set()
        for p in procs:
            p.join()
        dt = time.perf_counter() - t
        total = args.saves * len(procs)
        lost = total - int(
            store.scores_frame().query("judge_id in @judges[1:5]", local_dict={"judges": judges}).shape[0]
        )
        rows.append(
            (
                f"save_score, {len(procs)} processes at once",
                f"{total} saves",
                f"{total / dt:.0f} saves/s overall; {lost} lost",
            )
        )
        store.close()

        rng = random.Random(0)
        csv_path = tmpdir / "scores.csv"
        with csv_path.open("w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            out.writerow(["judge", "case_id", "criterion", "points"])
            for case in cases:
                quality = rng.uniform(0.3, 0.95)
                for judge in judges:
                    lean = (judges.index(judge) % 7 - 3) / 30
                    for crit in rubric.criteria:
                        top = float(crit.max_points or 0)
                        value = min(top, max(0.0, round((quality + lean + rng.gauss(0, 0.08)) * top * 2) / 2))
                        out.writerow([judge, case.id, crit.id, value])
        n_rows = len(cases) * len(judges) * len(rubric.criteria)
        fresh = ScoreStore(tmpdir / "import.sqlite")
        fresh.register_cases(cases)
        for judge in judges:
            fresh.add_judge(judge)
        t = time.perf_counter()
        report = import_scores_csv(fresh, csv_path, rubric)
        dt = time.perf_counter() - t
        rows.append(
            (
                "scores import (one transaction)",
                f"{n_rows:,} rows",
                f"{dt:.1f} s ({n_rows / dt:,.0f} rows/s); {len(report.errors)} bad",
            )
        )
        for boot in (0, args.bootstrap):
            t = time.perf_counter()
            result = rank_cases(cases, rubric, fresh, bootstrap=boot, seed=0)
            dt = time.perf_counter() - t
            rows.append(
                (f"rank_cases, bootstrap {boot}", f"{len(cases)} cases × {len(judges)} judges", f"{dt:.1f} s")
            )
        widest = int((result.frame.rank_hi - result.frame.rank_lo).max())
        fresh.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"Machine: {platform.machine()}, Python {platform.python_version()}; date {date.today().isoformat()}; "
        f"peak RSS {peak:.0f} MB; widest 90% rank interval {widest} places\n"
    )
    print("| step | size | time |")
    print("|---|---|---|")
    for name, size, time_text in rows:
        print(f"| {name} | {size} | {time_text} |")


if __name__ == "__main__":
    main()
