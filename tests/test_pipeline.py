"""Ingest over a workspace: a folder with bad files goes on past them, re-ingest is idempotent, and the
main job runs every stage on the seed cases."""

from __future__ import annotations

from pathlib import Path

from casekit.pipeline import ingest, run
from casekit.retrieval import DEFAULT_BACKEND
from casekit.store import Workspace
from tests.ingest.test_readers import FORM


def test_batch_goes_on_past_bad_files_and_is_idempotent(tmp_path, seed_path):
    good = tmp_path / "in" / "jinan.txt"
    good.parent.mkdir()
    good.write_text(FORM, encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "photo.pdf").write_bytes(b"%PDF-1.7 broken")
    ws = Workspace(tmp_path / "ws")
    report = ingest([tmp_path / "in", seed_path], ws)
    assert sorted(Path(f.path).name for f in report.failed) == ["empty.txt", "photo.pdf"]
    assert len(report.case_ids) == 10
    assert len(ws.case_ids()) == 10
    assert ws.metrics_path.is_file()
    again = ingest([tmp_path / "in", seed_path], ws)
    assert {f.status for f in again.readable} == {"unchanged"}
    assert sorted(ws.case_ids()) == sorted(report.case_ids)
    # A changed file replaces its cases instead of adding more.
    good.write_text(FORM.replace("진안군", "무주군"), encoding="utf-8")
    third = ingest([good], ws)
    assert third.files[0].status == "ingested"
    assert len(ws.case_ids()) == 10
    assert any(c.municipality == "무주군" for c in ws.iter_cases())
    assert not any(c.municipality == "진안군" for c in ws.iter_cases())


def test_ingest_stores_every_case_with_its_metrics(tmp_path, seed_path):
    ws = Workspace(tmp_path / "ws")
    report = ingest([seed_path], ws)
    assert report.metrics_written == len(ws.metric_rows()) > 700
    assert {row["case_id"] for row in ws.metric_rows()} == set(ws.case_ids())


def test_run_without_batch_gives_every_stage(writable_seed_workspace, tmp_path):
    said: list[str] = []
    summary = run(writable_seed_workspace, out_dir=tmp_path / "reports", batch=False, say=said.append)
    assert len(summary.cases) == 9
    assert summary.n_metrics == len(writable_seed_workspace.metric_rows())
    assert summary.n_passages > 100 and summary.index_backend == DEFAULT_BACKEND
    assert summary.ranking.basis == "prescores"  # no judges' scores yet: provisional
    assert summary.batch is None and not summary.stage_errors
    assert [line[:5] for line in said] == ["[1/5]", "[2/5]", "[3/5]", "[4/5]", "[5/5]"]
    assert "skipped" in said[-1]
