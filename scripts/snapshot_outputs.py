"""Write what casekit's commands print on the seed book into one folder, so two checkouts can be diffed.

A refactor that promises "behaviour unchanged" is checked by running this before and after and
comparing the folders (`diff -r before/ after/`): `parse`, `extract`, `search` for five queries,
`similar`, `themes`, `prescore`, `rank` (pre-scores and judges' scores), `scores export`, and the
batch's summary JSON. Times, absolute paths and timestamps are masked so that only behaviour differs.

    .venv/bin/python scripts/snapshot_outputs.py OUT_DIR [--seed PATH] [--no-batch]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seeds" / "004_2e6d3bf8b3fb2223.txt"
QUERIES = (
    "경력단절 여성의 재취업 교육",
    "해외 무역사절단과 국외 박람회 참가",
    "사회적기업 판로 개척",
    "주민 참여 마을공동체",
    "청년 일자리 창출 예산",
)
# Masks for what legitimately changes from run to run: elapsed times, temp paths, timestamps.
_MASKS = (
    (re.compile(r"\d+(\.\d+)?\s?(ms|s)\b"), "<time>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(\+\d{2}:\d{2}|Z)?"), "<timestamp>"),
    (
        re.compile(r'"(elapsed|seconds|duration|wall|started|finished|created|time)[a-z_]*": [^,}\n]+'),
        r'"\1": <masked>',
    ),
    # the batch's input digest covers file times and the score rows' timestamps
    (re.compile(r'"inputs": "[0-9a-f]+"'), '"inputs": <masked>'),
)


def _mask(text: str, tmp: Path) -> str:
    text = text.replace(str(tmp), "<tmp>").replace(str(REPO), "<repo>")
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=Path, default=SEED)
    parser.add_argument("--no-batch", action="store_true")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    casekit = [str(Path(sys.executable).with_name("casekit"))]
    env = dict(os.environ, HF_HUB_OFFLINE="1", CASEKIT_PURE=os.environ.get("CASEKIT_PURE", ""))
    with tempfile.TemporaryDirectory(prefix="casekit-snap-") as tmpdir:
        tmp = Path(tmpdir)
        ws = tmp / "data"
        shutil.copytree(REPO / "data" / "cases", ws / "cases")
        shutil.copy2(REPO / "data" / "metrics.jsonl", ws / "metrics.jsonl")
        wsarg = ["--workspace", str(ws)]
        rubric = str(REPO / "rubrics" / "manifesto_2017.yaml")
        scores = REPO / "tests" / "score" / "data"

        def run(name: str, *argv: str) -> None:
            proc = subprocess.run(casekit + list(argv), capture_output=True, text=True, env=env, cwd=tmp)
            body = f"$ casekit {' '.join(argv)}\n[exit {proc.returncode}]\n{proc.stdout}\n[stderr]\n{proc.stderr}"
            (out / f"{name}.txt").write_text(_mask(body, tmp), encoding="utf-8")
            print(f"{name}: exit {proc.returncode}", flush=True)

        run("parse_json", "parse", str(args.seed), "--format", "json")
        run("parse_table", "parse", str(args.seed), "--format", "table")
        run("extract_jsonl", "extract", str(args.seed), "--format", "jsonl")
        run("extract_table", "extract", str(args.seed), "--format", "table")
        run("cases", "cases", *wsarg)
        run("index", "index", *wsarg, "--quiet")
        for i, query in enumerate(QUERIES):
            run(f"search_{i}", "search", query, *wsarg, "--format", "json")
            run(f"search_{i}_table", "search", query, *wsarg, "--top-k", "5")
        run("similar", "similar", "경산시", *wsarg, "--format", "json")
        run("duplicates", "duplicates", *wsarg, "--format", "json")
        run("themes", "themes", *wsarg, "--format", "json", "--no-save")
        run("themes_passage", "themes", *wsarg, "--level", "passage", "--format", "json", "--no-save")
        run("prescore", "prescore", *wsarg, "--rubric", rubric, "--format", "json")
        run("rank_prescores", "rank", *wsarg, "--rubric", rubric, "--format", "json")
        run("judges_import", "judges", "import", str(scores / "judges.csv"), *wsarg)
        run("scores_import", "scores", "import", str(scores / "scores.csv"), *wsarg, "--rubric", rubric)
        run("rank_json", "rank", *wsarg, "--rubric", rubric, "--format", "json")
        run("rank_table", "rank", *wsarg, "--rubric", rubric)
        run("queue", "scores", "queue", "E1", *wsarg, "--rubric", rubric)
        run("export", "scores", "export", *wsarg, "--rubric", rubric)
        if not args.no_batch:
            reports = tmp / "reports"
            run(
                "batch",
                "batch",
                *wsarg,
                "--rubric",
                rubric,
                "--out",
                str(reports),
                "--jobs",
                "2",
                "--format",
                "json",
            )
            for summary in sorted(reports.rglob("*summary.json")):
                data = json.loads(summary.read_text(encoding="utf-8"))
                text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
                (out / f"batch__{summary.name}").write_text(_mask(text, tmp), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
