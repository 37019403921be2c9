"""The stages wired together for a workspace: ingest files into cases and metrics; run every stage.

    ingest(paths, workspace) -> IngestReport     read → repair → parse → metrics → save
    run(workspace, out_dir) -> RunSummary        the main job: every stage, ending in the reports

The stages themselves live in their packages; this module only wires them together. Reading cases and
metrics back (`load_cases`, `load_metrics`) is the workspace's job: see `casekit.store`.

Ingest is idempotent: a file whose bytes were ingested before is skipped; a changed file replaces the
cases it produced last time. A file that cannot be read is reported and skipped; the rest go on. How it
scales to an archive (worker processes, per-file commits, the workspace lock): `casekit.archive`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casekit.archive import FileOutcome, IngestReport, ingest
from casekit.errors import CasekitError
from casekit.rubric import DEFAULT_RUBRIC
from casekit.store import Workspace, cases_frame, load_metrics

__all__ = ["FileOutcome", "IngestReport", "RunSummary", "ingest", "run"]

if TYPE_CHECKING:
    import pandas as pd

    from casekit.batch import BatchResult, ReportPool
    from casekit.score.rank import RankResult


# `ingest` (one pass per file in worker processes, one catalog commit per file) lives in `casekit.archive`;
# it is re-exported here with its report types, where callers have always found it.


# -- the main job: every stage over one workspace -------------------------------------------------


@dataclass
class RunSummary:
    """What `run` produced, for the CLI to print and for tests to check."""

    cases: pd.DataFrame
    n_metrics: int
    index_backend: str = ""
    n_passages: int = 0
    ranking: RankResult | None = None
    batch: BatchResult | None = None
    stage_errors: dict[str, str] = field(default_factory=dict)


def run(
    workspace: str | os.PathLike[str] | Workspace | None = None,
    out_dir: str | os.PathLike[str] = "reports",
    rubric_path: str | os.PathLike[str] = DEFAULT_RUBRIC,
    jobs: int = 1,
    force: bool = False,
    batch: bool = True,
    say: Any = print,
) -> RunSummary:
    """The end-to-end main job on a workspace that already holds cases.

    cases → metrics → search index → pre-scores and ranking → papermill batch of reports (themes,
    ranking per 분야 × 시/군/구, HTML and Excel). A stage that fails is reported and the later stages
    that do not need it still run; the summary records every stage error.
    """
    # The later stages' packages (pandas, SciPy, scikit-learn, the score store, the batch) take ~1.5 s to
    # import; they are imported here so that `casekit ingest`, which needs none of them, starts in 0.3 s.
    from casekit.batch import ReportPool, pending_reports
    from casekit.batch.runner import workers_for
    from casekit.rubric import find_rubric

    ws = Workspace.resolve(workspace)
    rubric_path = find_rubric(os.fspath(rubric_path))
    # The report workers start first: while they import papermill and their kernels import casekit (a few
    # seconds each), this process computes the index, the pre-scores and the theme map.
    pool = None
    if batch:
        waiting = pending_reports(rubric_path, ws, out_dir, force=force)
        if waiting:
            pool = ReportPool(workers_for(waiting, jobs))
    try:
        return _run_stages(ws, out_dir, rubric_path, jobs, force, batch, say, pool)
    finally:
        if pool is not None:
            pool.close()


def _run_stages(
    ws: Workspace,
    out_dir: str | os.PathLike[str],
    rubric_path: Path,
    jobs: int,
    force: bool,
    batch: bool,
    say: Any,
    pool: ReportPool | None,
) -> RunSummary:
    """`run`'s stages in order, the report workers (`pool`) already starting."""
    from casekit.batch import run_batch
    from casekit.retrieval import build_index
    from casekit.rubric import load_rubric
    from casekit.score.prescore import prescore_cases, save_prescores
    from casekit.score.rank import rank_cases
    from casekit.score.store import ScoreStore

    cases = ws.load_cases()
    summary = RunSummary(cases=cases_frame(cases), n_metrics=0)
    say(f"[1/5] cases: {len(cases)} in {ws.cases_dir}")

    metrics = load_metrics(ws)
    summary.n_metrics = len(metrics)
    say(f"[2/5] metrics: {len(metrics)} outcome figures with source lines ({ws.metrics_path})")

    try:
        index = build_index(ws)
        summary.index_backend = index.spec.name
        summary.n_passages = len(index.passages)
        say(
            f"[3/5] search index: {summary.n_passages} passages, backend {summary.index_backend} ({ws.index_dir})"
        )
    except CasekitError as exc:
        summary.stage_errors["index"] = str(exc)
        say(f"[3/5] search index FAILED: {exc}")

    rubric = load_rubric(rubric_path)
    prescores = prescore_cases(cases, rubric, workspace=ws)
    save_prescores(ws, rubric, prescores)
    store = ScoreStore(ws) if ws.scores_db.is_file() else None
    summary.ranking = rank_cases(cases, rubric, store, prescores=prescores, workspace=ws)
    say(f"[4/5] ranking by {summary.ranking.basis} against {rubric_path}")

    if batch:
        summary.batch = run_batch(rubric_path, ws, out_dir, jobs=jobs, force=force, pool=pool)
        say(f"[5/5] reports: {summary.batch.index_html}")
    else:
        say("[5/5] reports: skipped (--no-batch)")
    return summary
