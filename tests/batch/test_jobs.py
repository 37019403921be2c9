"""The batch's jobs: the grid follows the cases and names those it cannot place; the input digest."""

from __future__ import annotations

import json
from pathlib import Path

from casekit.batch import inputs_digest, ranking_jobs
from casekit.rubric import load_rubric
from casekit.score.store import ScoreStore


def test_grid_follows_the_cases_and_names_cases_it_cannot_place(writable_seed_workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = writable_seed_workspace
    rubric = Path(__file__).resolve().parents[2] / "rubrics" / "manifesto_2017.yaml"
    lost = ws.case_ids()[0]
    data = json.loads(ws.case_path(lost).read_text(encoding="utf-8"))
    data["field"] = None
    ws.case_path(lost).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    jobs, notes = ranking_jobs(rubric, ws, tmp_path / "out", ("field", "group"), extras=())
    assert [j.name for j in jobs] == ["ranking_report__사회적경제__시"]
    assert "(8건)" in jobs[0].title and jobs[0].parameters["workspace"] == str(ws.root.resolve())
    assert len(notes) == 1 and lost in notes[0] and "분야/구분" in notes[0]
    whole, _ = ranking_jobs(rubric, ws, tmp_path / "out", (), extras=("themes", "search"))
    assert [j.name for j in whole] == ["ranking_report__전체__전체", "themes", "search_similar"]
    assert whole[0].parameters["field"] is None and "(9건)" in whole[0].title


def test_inputs_digest_follows_scores_and_rubric_not_noise(writable_seed_workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = writable_seed_workspace
    rubric = tmp_path / "r.yaml"
    rubric.write_bytes((Path(__file__).resolve().parents[2] / "rubrics" / "manifesto_2017.yaml").read_bytes())
    first = inputs_digest(ws, rubric)
    cases_only = inputs_digest(ws, rubric, scores=False)
    assert inputs_digest(ws, rubric) == first  # stable when nothing changed
    with ScoreStore(ws) as store:
        store.add_judge("E1")
        store.save_score("E1", ws.case_ids()[0], "fit", 10, rubric=load_rubric(rubric))
    scored = inputs_digest(ws, rubric)
    assert scored != first and inputs_digest(ws, rubric, scores=False) == cases_only  # themes need not re-run
    rubric.write_text(rubric.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert inputs_digest(ws, rubric) != scored
