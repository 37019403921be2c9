"""Papermill batches: one executed notebook per parameter set, in parallel processes, resumable.

Public API::

    run_batch(rubric, workspace, out_dir, by=("field", "group"), jobs=1, force=False,
              scheduler=None, extras=("themes",)) -> BatchResult
    ranking_jobs(rubric, workspace, out_dir, by=...) -> (list[ReportJob], notes)
    run_jobs(jobs, out_dir, parallel=1, force=False, scheduler=None) -> BatchResult
    execute_job(job, out_dir) -> RunRecord        # one notebook: papermill → .ipynb, .html, sidecar
    ReportPool(workers)                           # worker processes with kept kernels, started ahead
    pending_reports(rubric, workspace, out_dir) -> int   # notebooks a batch would run now

The modules follow a batch's path:

    casekit.batch.jobs        ReportJob, the 분야 × 구분 grid, the templates (notebook_dir), inputs_digest
    casekit.batch.execute     execute_job: papermill, HTML export, the sidecars
    casekit.batch.kernels     KernelSession: one kernel kept for many notebooks, its environment
    casekit.batch.runner      run_jobs / run_batch: up-to-date checks, the theme fit, the pool or Dask
    casekit.batch.index_page  write_index: index.html from the sidecars

A job whose sidecar says "ok" with the same parameters and input digest (rubric, cases, metrics, judges'
scores) and whose outputs still exist is skipped unless `force`; a failing notebook is recorded with its
error while the other jobs finish. The batch executes the notebooks of `casekit.views`; nothing below it
imports it.
"""

from __future__ import annotations

from casekit.batch.execute import RunRecord, execute_job, export_html, read_sidecar
from casekit.batch.index_page import write_index
from casekit.batch.jobs import ReportJob, inputs_digest, notebook_dir, ranking_grid, ranking_jobs
from casekit.batch.runner import BatchResult, ReportPool, pending_reports, run_batch, run_jobs

__all__ = [
    "BatchResult",
    "ReportJob",
    "ReportPool",
    "RunRecord",
    "execute_job",
    "export_html",
    "inputs_digest",
    "notebook_dir",
    "pending_reports",
    "ranking_grid",
    "ranking_jobs",
    "read_sidecar",
    "run_batch",
    "run_jobs",
    "write_index",
]
