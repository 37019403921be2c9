"""Builds the workspaces the view, report, batch and notebook tests share (the `scored` fixtures of tests/conftest.py).

A copy of the seeded workspace, plus:
* a tenth case whose title and municipality are HTML/JS (`<script>alert(1)</script>`), in the same group, so
  every report must escape it;
* three expert judges with seeded scores on every case, one judge with a conflict of interest (a 수원시
  official, refused on 수원시's case), and one abstention — the situations a real year has.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

from casekit.store import Workspace

REPO = Path(__file__).resolve().parents[2]
RUBRIC = REPO / "rubrics" / "manifesto_2017.yaml"
EVIL_TITLE = "<script>alert(1)</script>"
EVIL_ID = "악성시-000000"
JUDGES = ("E1", "E2", "E3")


def copy_workspace(seed: Workspace, target: Path) -> Workspace:
    shutil.copytree(seed.root, target)
    return Workspace(target)


def add_evil_case(ws: Workspace) -> str:
    """Clone the first case under an id whose title/municipality are markup; returns its id."""
    first = ws.case_ids()[0]
    data = json.loads(ws.case_path(first).read_text(encoding="utf-8"))
    data.update(
        id=EVIL_ID,
        title=EVIL_TITLE,
        municipality="<b>악성시</b>",
        line_start=data["line_start"] + 100000,
        line_end=data["line_end"] + 100000,
    )
    data["lines"] = [dict(line, number=line["number"] + 100000) for line in data["lines"]]
    for section in data["sections"]:
        section["line_start"] += 100000
        section["line_end"] += 100000
    ws.case_path(EVIL_ID).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    ws.sync_metrics()  # store its metrics now, as ingest would, so later readers find the workspace as left
    return EVIL_ID


def add_scores(ws: Workspace, seed: int = 7) -> dict[str, object]:
    """Three judges score every case (seeded), plus a conflicted official and one abstention."""
    from casekit.rubric import load_rubric
    from casekit.score.store import ScoreStore

    rubric = load_rubric(RUBRIC)
    rng = random.Random(seed)
    cases = ws.load_cases()
    written = rubric.stages[0]
    with ScoreStore(ws) as store:
        store.register_cases(cases)
        for judge in JUDGES:
            store.add_judge(judge, name=f"전문가 {judge}", kind="expert")
        store.add_judge("O1", name="수원시 공무원", kind="official", municipality="수원시", region="경기")
        for case in cases:
            for judge in JUDGES:
                for crit in written.criteria:
                    top = float(crit.max_points or 0)
                    store.save_score(
                        judge, case.id, crit.id, round(rng.uniform(0.4, 1.0) * top * 2) / 2, rubric=rubric
                    )
        store.abstain("E3", cases[-1].id, reason="knows the team")
    return {"rubric": rubric, "n_cases": len(cases)}
