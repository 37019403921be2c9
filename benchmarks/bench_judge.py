"""The judge's first Run All of notebooks/judge_review.ipynb, with widgets on as in JupyterLab.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_judge.py [--before DIR] [--repeat 3]

Each run is a fresh kernel executing the notebook with papermill (parameters: the workspace, the rubric,
a registered judge); the figure is the sum of the cells' own durations, i.e. Run All in a notebook whose
kernel is already up (kernel start-up, ~1-2 s, is not counted: JupyterLab starts it when the notebook
opens). Three states of the workspace, each copied fresh for every run:

* built      what `casekit run` leaves: cases, metrics, search index, saved pre-scores;
* stale      built, but the rubric was edited afterwards (saved pre-scores no longer match its version),
             so the notebook recomputes the pre-scores;
* ingested   what `casekit ingest` leaves: cases and metrics only (no index, no pre-scores, no caches).

`--before DIR` names another checkout (e.g. `git archive main src notebooks | tar -x -C DIR`): its src/
and notebook run the same way, alternating with this one run by run, so both see the same machine load.
Prints a Markdown table (medians, per-cell breakdown of the slowest cells) with the machine and load.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUBRIC = REPO / "rubrics" / "manifesto_2017.yaml"
STATES = ("built", "stale", "ingested")


def _prepare(seed_ws: Path, built_ws: Path, state: str, target: Path, rubric_dir: Path) -> tuple[Path, Path]:
    """A fresh workspace in `state` at `target`, and the rubric file to give the notebook."""
    if target.exists():
        shutil.rmtree(target)
    if state == "ingested":
        shutil.copytree(seed_ws, target)
    else:
        shutil.copytree(built_ws, target)
    rubric = RUBRIC
    if state == "stale":  # same rules, one more comment line: another version hash, the saved ones are stale
        rubric = rubric_dir / "manifesto_2017.yaml"
        if not rubric.is_file():
            rubric_dir.mkdir(parents=True, exist_ok=True)
            rubric.write_text(
                RUBRIC.read_text(encoding="utf-8") + "\n# edited after the run\n", encoding="utf-8"
            )
    if state == "ingested":
        _register(target, REPO / "src")
    return target, rubric


def _register(ws: Path, src: Path) -> None:
    code = (
        "import sys; from casekit.score.store import ScoreStore\n"
        f"with ScoreStore({str(ws)!r}) as s: s.add_judge('BJ1', name='벤치 심사위원', kind='expert')"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=dict(os.environ, PYTHONPATH=str(src)))


def _run(tree: Path, ws: Path, rubric: Path, out: Path) -> tuple[float, list[tuple[str, float]]]:
    """Execute `tree`'s judge notebook on `ws`; (sum of cell durations, [(cell source, seconds)])."""
    import nbformat

    env = dict(os.environ, PYTHONPATH=str(tree / "src"), HF_HUB_OFFLINE="1")
    env.pop("CASEKIT_HEADLESS", None)  # widgets on, as for a judge in JupyterLab
    env.pop("CASEKIT_JUDGE", None)
    cmd = [
        sys.executable, "-m", "papermill", str(tree / "notebooks" / "judge_review.ipynb"), str(out),
        "-p", "workspace", str(ws), "-p", "rubric", str(rubric), "-p", "judge_id", "BJ1",
        "--cwd", str(tree / "notebooks"), "--no-progress-bar", "--log-level", "ERROR",
    ]  # fmt: skip
    for _attempt in range(
        3
    ):  # a widget comm can leave nbclient waiting on an idle kernel (jupyter/nbclient#312)
        try:
            subprocess.run(cmd, check=True, env=env, capture_output=True, timeout=180)
            break
        except subprocess.TimeoutExpired:
            print(f"{tree}: papermill hung on an idle kernel, run again", file=sys.stderr)
    else:
        raise SystemExit(f"{tree}: papermill hung three times")
    nb = nbformat.read(out, as_version=4)
    cells = [
        (c.source.strip().splitlines()[-1][:40], float(c.metadata.get("papermill", {}).get("duration") or 0))
        for c in nb.cells
        if c.cell_type == "code"
    ]
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        raise SystemExit(f"{tree}: the notebook failed: {errors[0].get('evalue')}")
    return sum(d for _, d in cells), cells


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", type=Path, help="another checkout to measure side by side")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--states", default=",".join(STATES))
    args = parser.parse_args()
    trees = {"after": REPO} | ({"before": args.before.resolve()} if args.before else {})
    states = [s for s in args.states.split(",") if s]
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        seed_ws = tmpdir / "seed"
        shutil.copytree(
            REPO / "data", seed_ws, ignore=shutil.ignore_patterns("index", "themes", "prescores", "scores*")
        )
        built_ws = tmpdir / "built"
        shutil.copytree(seed_ws, built_ws)
        subprocess.run(
            [sys.executable, "-m", "casekit", "run", "--workspace", str(built_ws), "--out", str(tmpdir / "r"), "--no-batch"],
            check=True, capture_output=True, env=dict(os.environ, PYTHONPATH=str(REPO / "src"), HF_HUB_OFFLINE="1"),
        )  # fmt: skip
        _register(built_ws, REPO / "src")
        load_before = os.getloadavg()
        results: dict[tuple[str, str], list[tuple[float, list[tuple[str, float]]]]] = {}
        for state in states:
            for rep in range(args.repeat):
                order = list(trees.items()) if rep % 2 == 0 else list(reversed(trees.items()))
                for label, tree in order:
                    ws, rubric = _prepare(seed_ws, built_ws, state, tmpdir / "ws", tmpdir / "rubric")
                    results.setdefault((state, label), []).append(
                        _run(tree, ws, rubric, tmpdir / "out.ipynb")
                    )
                    print(
                        f"{state:9} {label:6} run {rep + 1}: {results[(state, label)][-1][0]:.2f} s",
                        file=sys.stderr,
                    )
        load_after = os.getloadavg()
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"Machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}; {stamp}; "
          f"load average {load_before[0]:.1f} → {load_after[0]:.1f}; median of {args.repeat} fresh kernels.\n")  # fmt: skip
    labels = list(trees)
    print(
        "| workspace | "
        + " | ".join(f"Run All, {lb}" for lb in labels)
        + " | slowest cells ("
        + labels[-1]
        + ") |"
    )
    print("|---|" + "---:|" * len(labels) + "---|")
    for state in states:
        medians = [statistics.median(t for t, _ in results[(state, lb)]) for lb in labels]
        runs = results[(state, labels[0])]
        mid = sorted(runs, key=lambda r: r[0])[len(runs) // 2][1]
        slow = ", ".join(f"`{src}` {d:.2f} s" for src, d in sorted(mid, key=lambda x: -x[1])[:3])
        print(f"| {state} | " + " | ".join(f"{m:.2f} s" for m in medians) + f" | {slow} |")
    if "before" in trees:
        for state in states:
            for label in labels:
                mid = sorted(results[(state, label)], key=lambda r: r[0])[len(results[(state, label)]) // 2][
                    1
                ]
                cells = ", ".join(f"`{s}` {d:.2f}" for s, d in mid)
                print(f"\n{state}, {label}: {cells}")


if __name__ == "__main__":
    main()
