"""Every notebook executed with papermill on the seed cases, asserting on what it produced.

The ranking report and themes notebooks run through `casekit.batch.run_batch` exactly as `casekit batch`
does; the judge review and search notebooks run through the same `execute_job`.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

import nbformat
import openpyxl
import pytest

from casekit.batch import ReportJob, execute_job, notebook_dir, pending_reports, run_batch

pytestmark = pytest.mark.slow


def _outputs(path) -> str:  # type: ignore[no-untyped-def]
    """All text/html, text/plain and stream output of an executed notebook, joined."""
    nb = nbformat.read(path, as_version=4)
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            parts.append(str(data.get("text/html", "")) + str(out.get("text", "")))
    return "\n".join(parts)


def _images(path) -> int:  # type: ignore[no-untyped-def]
    nb = nbformat.read(path, as_version=4)
    return sum("image/png" in out.get("data", {}) for c in nb.cells for out in c.get("outputs", []))


def test_batch_of_ranking_reports_and_themes(scored_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    out = tmp_path / "reports"
    assert pending_reports(helpers.RUBRIC, ws, out) == 2
    result = run_batch(helpers.RUBRIC, ws, out, jobs=2, progress=False)
    assert result.ok, [(r.name, r.error) for r in result.failed]
    assert (
        pending_reports(helpers.RUBRIC, ws, out) == 0
        and pending_reports(helpers.RUBRIC, ws, out, force=True) == 2
    )
    names = [r.name for r in result.runs]
    assert names == ["ranking_report__사회적경제__시", "themes"]  # the seed book is one 분야 × group

    ranking = next(r for r in result.runs if r.name.startswith("ranking_report"))
    assert set(ranking.outputs) >= {"ipynb", "html", "xlsx", "figures"}
    sidecar = json.loads((out / f"{ranking.name}.run.json").read_text(encoding="utf-8"))
    assert sidecar["parameters"]["field"] == "사회적경제" and sidecar["parameters"]["group"] == "시"

    html = (out / ranking.outputs["html"]).read_text(encoding="utf-8")
    assert helpers.EVIL_TITLE not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "RankingReport.build" not in html  # code cells hidden
    assert "최우수상" in html and "심사위원 점수" in html

    book = openpyxl.load_workbook(out / ranking.outputs["xlsx"])
    sheet = book["순위 ranking"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, [c.value for c in r])) for r in sheet.iter_rows(min_row=2)]
    assert len(rows) == 10
    assert [r["award"] for r in rows[:3]] == ["최우수상", "우수상", "우수상"] and rows[3]["award"] is None
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)

    figures = {p.name for p in (out / ranking.outputs["figures"]).iterdir()}
    assert {
        "score_distribution.png",
        "totals_by_judge.png",
        "rank_intervals.png",
        "metric_overview.png",
        "theme_map.png",
    } <= figures  # theme map present: fitted before any notebook started
    assert _images(out / ranking.outputs["ipynb"]) >= 5

    themes = next(r for r in result.runs if r.name == "themes")
    theme_book = openpyxl.load_workbook(out / themes.outputs["xlsx"])
    assigned = list(theme_book["배정 assignments"].iter_rows(min_row=2, values_only=True))
    assert len(assigned) == 10  # every case placed on a theme
    assert (ws.themes_dir).is_dir() and any(ws.themes_dir.iterdir())  # model saved for the reports

    summary = json.loads((out / ranking.outputs["summary.json"]).read_text(encoding="utf-8"))
    assert summary["basis"] == "judges" and summary["n_cases"] == 10
    assert [a["municipality"] for a in summary["awards"]] == [r["municipality"] for r in rows[:3]]
    index = result.index_html.read_text(encoding="utf-8")
    assert "ok: 2" in index and "ranking_report__%EC%82%AC" in index
    assert f"최우수상 {rows[0]['municipality']}" in index  # winners at a glance on the index page

    again = run_batch(helpers.RUBRIC, ws, out, jobs=2, progress=False)
    assert {r.status for r in again.runs} == {"skipped"}

    # a judge saves a new score: the ranking report is stale and runs again, the themes (cases only) do not
    from casekit.rubric import load_rubric
    from casekit.score.store import ScoreStore

    with ScoreStore(ws) as store:
        store.add_judge("N9", kind="citizen")
        store.save_score("N9", rows[-1]["case_id"], "fit", 14, rubric=load_rubric(helpers.RUBRIC))
    assert pending_reports(helpers.RUBRIC, ws, out) == 1
    third = run_batch(helpers.RUBRIC, ws, out, jobs=2, progress=False)
    assert {r.name: r.status for r in third.runs} == {ranking.name: "ok", "themes": "skipped"}


def _digest(path) -> str:  # type: ignore[no-untyped-def]
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT * FROM scores ORDER BY 1, 2, 3, 4").fetchall()
        history = conn.execute("SELECT COUNT(*) FROM history").fetchone()
    return hashlib.sha256(repr((rows, history)).encode()).hexdigest()


def test_judge_review_renders_the_sheet_and_saves_nothing(scored_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    before = _digest(ws.scores_db)
    job = ReportJob(
        name="judge_review",
        notebook=str(notebook_dir() / "judge_review.ipynb"),
        parameters={
            "case_id": None,
            "judge_id": "E1",
            "rubric": str(helpers.RUBRIC),
            "workspace": str(ws.root),
        },
    )
    record = execute_job(job, tmp_path)
    assert record.status == "ok", record.error
    text = _outputs(tmp_path / "judge_review.ipynb")
    from casekit.views.review import JudgeReview

    expected = JudgeReview(ws, helpers.RUBRIC, "E1")  # the same queue decides which case opens
    assert f"{expected.case.municipality}" in text and "관련공약" in text
    assert "사전점수" in text and "등급 기준" in text and "내 점수" in text
    assert "공약과 사업이 명확히 연결" in text  # level descriptors of 적합성
    nb = nbformat.read(tmp_path / "judge_review.ipynb", as_version=4)
    sheet = next(str(o["data"]["text/html"]) for c in nb.cells if "show_sheet" in c.source for o in c.outputs)
    mine = expected.my_scores().set_index("criterion")["points"]
    assert len(mine) == 5
    for (
        crit
    ) in expected.rubric.criteria:  # the sheet shows what this judge has stored, criterion by criterion
        row = sheet.split(f"<td>{crit.id}</td>")[1].split("</tr>")[0]
        if crit.id in mine.index:
            assert f'<td class="num">{mine[crit.id]:.1f}</td>' in row
    form = [c for c in nb.cells if "review.form()" in c.source][0]
    # Headless, the form is a sentence, not a widget: nobody can press its buttons, and widget comms can
    # leave nbclient waiting on an idle kernel. tests/report drives the real form in-process.
    assert len(form.outputs) == 1 and "JupyterLab" in form.outputs[0]["data"]["text/html"]
    assert "application/vnd.jupyter.widget-view+json" not in form.outputs[0]["data"]
    for cell in nb.cells:  # no traceback, no warning box, no DataFrame echoed under a cell
        kinds = {o["output_type"] for o in cell.get("outputs", [])}
        assert not kinds & {"error", "stream", "execute_result"}, (cell.source, kinds)
    assert _digest(ws.scores_db) == before


def test_judge_review_with_an_unregistered_judge_says_one_thing(scored_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    job = ReportJob(name="judge_review", notebook=str(notebook_dir() / "judge_review.ipynb"),
                    parameters={"case_id": None, "judge_id": "J9", "rubric": None, "workspace": str(ws.root)})
    record = execute_job(job, tmp_path)
    assert record.status == "ok", record.error
    nb = nbformat.read(tmp_path / "judge_review.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert len(outputs) == 1 and outputs[0]["output_type"] == "display_data"  # one message, not one per cell
    text = str(outputs[0]["data"]["text/html"])
    assert "등록되어 있지 않습니다" in text and "casekit judges add J9" in text and "E1" in text


def test_search_notebook_finds_the_passage_and_neighbours(scored_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    cheongju = next(c for c in ws.load_cases() if c.municipality == "청주시")
    job = ReportJob(
        name="search_similar",
        notebook=str(notebook_dir() / "search_similar.ipynb"),
        parameters={
            "query": "경력단절 여성 재취업 교육",
            "case_id": cheongju.id,
            "top_k": 5,
            "field": None,
            "region": None,
            "workspace": str(ws.root),
        },
    )
    record = execute_job(job, tmp_path)
    assert record.status == "ok", record.error
    nb = nbformat.read(tmp_path / "search_similar.ipynb", as_version=4)
    hits_html = next(
        str(o["data"]["text/html"])
        for c in nb.cells
        if "show_search" in c.source
        for o in c.outputs
        if "text/html" in o.get("data", {}) and "ck-table" in str(o["data"]["text/html"])
    )
    first_row = hits_html.split("<tbody>")[1].split("</tr>")[0]
    assert "청주시" in first_row  # the 청주시 case (경력단절 여성) answers the question first
    similar_html = "".join(
        str(o["data"].get("text/html", ""))
        for c in nb.cells
        if "show_similar" in c.source
        for o in c.outputs
        if "data" in o
    )
    assert cheongju.title in similar_html and similar_html.count("<tr>") >= 6  # heading + 5 neighbours


def test_themes_notebook_degrades_clearly_without_cases(tmp_path) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty"
    job = ReportJob(
        name="themes",
        notebook=str(notebook_dir() / "themes.ipynb"),
        parameters={
            "k": 2,
            "method": "kmeans",
            "level": "case",
            "workspace": str(empty),
            "output_dir": str(tmp_path),
        },
    )
    record = execute_job(job, tmp_path)
    assert record.status == "failed" and "WorkspaceError" in (record.error or "")
    assert "casekit ingest" in (record.error or "")  # the error says what to do


def test_cli_batch_end_to_end(scored_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    helpers, ws = scored_copy
    out = tmp_path / "reports"
    cmd = [
        sys.executable,
        "-m",
        "casekit",
        "batch",
        "--rubric",
        str(helpers.RUBRIC),
        "--workspace",
        str(ws.root),
        "--out",
        str(out),
        "--no-themes",
        "--format",
        "json",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    assert result["counts"] == {"ok": 1} and (out / "index.html").is_file()
    run = result["runs"][0]
    assert run["outputs"]["xlsx"] == "ranking_report__사회적경제__시.xlsx"
    notebooks = subprocess.run(
        [sys.executable, "-m", "casekit", "notebooks", str(tmp_path / "nb")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert notebooks.returncode == 0 and len(list((tmp_path / "nb").glob("*.ipynb"))) == 4
