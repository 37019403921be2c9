"""What a batch runs: one `ReportJob` per notebook execution — the ranking report per 분야 × 구분, the extras.

The grid comes from the workspace's cases (every combination of the `by` keys they hold, with a note
naming the cases that cannot be placed), the templates from `notebook_dir`, and every job carries the
digest of what its notebook reads (`inputs_digest`), so a resumed batch re-runs exactly the reports whose
inputs changed. Nothing here executes a notebook: see `casekit.batch.execute`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casekit import __version__
from casekit.errors import BatchError, CasekitError
from casekit.rubric import load_rubric
from casekit.score.schema import content_digest
from casekit.store import Workspace
from casekit.views.names import ALL_LABEL, report_name
from casekit.views.notebooks import write_notebooks

RANK_KEYS = ("field", "group")
#: The theme fit the themes notebook makes (its parameters below) and the ranking reports map:
#: `casekit.themes.cached.current_themes` arguments. k None in the notebook is "auto" here.
THEMES_FIT: dict[str, Any] = {"level": "case", "method": "kmeans", "k": "auto", "seed": 0}
#: Korean names of the keys reports are split by, for titles.
KEY_LABELS = {"field": "분야", "group": "구분"}


@dataclass(frozen=True)
class ReportJob:
    """One notebook to execute: which template, with which parameters, written under which name."""

    name: str  # output stem, unique in the batch: <name>.ipynb, <name>.html, <name>.run.json, <name>.xlsx …
    notebook: str  # path of the template notebook
    parameters: dict[str, Any]
    title: str = ""
    inputs: str = ""  # digest of what the notebook reads (see `inputs_digest`): a change makes it run again


def notebook_dir() -> Path:
    """The folder of template notebooks: the repository's `notebooks/`, else generated ones in a cache.

    A source checkout uses `notebooks/` (what the judge opens in JupyterLab is what the batch runs); an
    installed wheel has no `notebooks/`, so the same notebooks are generated from
    `casekit.views.notebooks` into a per-version folder.
    """
    repo = Path(__file__).resolve().parents[3] / "notebooks"
    if (repo / "ranking_report.ipynb").is_file():
        return repo
    cache = (
        Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        / "casekit"
        / f"notebooks-{__version__}"
    )
    if not (cache / "ranking_report.ipynb").is_file():
        write_notebooks(cache)
    return cache


def inputs_digest(workspace: Workspace, rubric: Path | None = None, *, scores: bool = True) -> str:
    """A digest of what the reports read, so a resumed batch re-runs a report whose inputs changed.

    Covers the rubric file's bytes, every case file (name, size, mtime: re-ingesting the same bytes leaves
    them untouched), metrics.jsonl, and — with `scores` — the judges' scores, exclusions and judges'
    affiliations read from the score store (`casekit.score.schema.content_digest`). Without this,
    re-running the batch after judges saved new scores would skip every report as "up to date" and show
    the old ranking.
    """
    digest = hashlib.sha256()
    if rubric is not None and rubric.is_file():
        digest.update(rubric.read_bytes())
    for path in sorted(workspace.cases_dir.glob("*.json")) if workspace.cases_dir.is_dir() else []:
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    if workspace.metrics_path.is_file():
        stat = workspace.metrics_path.stat()
        digest.update(f"metrics:{stat.st_size}:{stat.st_mtime_ns};".encode())
    if scores:
        digest.update(content_digest(workspace.scores_db))
    return digest.hexdigest()[:16]


def ranking_grid(workspace: Workspace, by: Sequence[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Every combination of `by` values the workspace's cases hold, with the count of cases in each.

    Cases missing a key's value (no 분야 recognised, say) cannot be ranked within that key; they are counted
    and named in a note rather than silently dropped or lumped together.
    """
    unknown = [key for key in by if key not in RANK_KEYS]
    if unknown:
        raise BatchError(f"cannot split reports by {unknown}: choose from {list(RANK_KEYS)}")
    cases = workspace.load_cases()
    counts: dict[tuple[Any, ...], int] = {}
    missing: list[str] = []
    for case in cases:
        values = tuple(getattr(case, key) for key in by)
        if any(v in (None, "") for v in values):
            missing.append(case.id)
            continue
        counts[values] = counts.get(values, 0) + 1
    notes = []
    if missing:
        shown = ", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
        keys = "/".join(KEY_LABELS.get(k, k) for k in by)
        notes.append(f"{len(missing)} case(s) have no {keys} and appear in no ranking report: {shown}")
    grid = [
        dict(zip(by, values), n_cases=n) for values, n in sorted(counts.items(), key=lambda kv: str(kv[0]))
    ]
    return grid, notes


def ranking_jobs(
    rubric: str | os.PathLike[str],
    workspace: Workspace | str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    by: Sequence[str] = RANK_KEYS,
    *,
    templates: Path | None = None,
    extras: Sequence[str] = ("themes",),
) -> tuple[list[ReportJob], list[str]]:
    """The batch's jobs: one ranking report per `by` combination, plus `extras` run once (themes)."""
    ws = Workspace.resolve(workspace)
    rubric_path = Path(rubric).resolve()
    if not rubric_path.is_file():
        raise BatchError(f"rubric {rubric} not found")
    templates = templates or notebook_dir()
    out = Path(out_dir).resolve()
    root = str(ws.root.resolve())
    grid, notes = ranking_grid(ws, by)
    with_scores = inputs_digest(ws, rubric_path)
    cases_only = inputs_digest(ws, None, scores=False)
    jobs = []
    for cell in grid:
        values = {key: cell.get(key) for key in RANK_KEYS}
        title_bits = [
            f"{KEY_LABELS[k]} {values[k] if values[k] is not None else ALL_LABEL}" for k in RANK_KEYS
        ]
        jobs.append(
            ReportJob(
                name=report_name("ranking_report", values),
                notebook=str(templates / "ranking_report.ipynb"),
                parameters={
                    "rubric": str(rubric_path),
                    "field": values["field"],
                    "group": values["group"],
                    "workspace": root,
                    "output_dir": str(out),
                },
                title=f"순위 보고서 ranking — {' · '.join(title_bits)} ({cell['n_cases']}건)",
                inputs=with_scores,
            )
        )
    for extra in extras:
        if extra == "themes":
            jobs.append(
                ReportJob(
                    name="themes",
                    notebook=str(templates / "themes.ipynb"),
                    parameters={
                        "k": None,
                        "method": THEMES_FIT["method"],
                        "level": THEMES_FIT["level"],
                        "workspace": root,
                        "output_dir": str(out),
                    },
                    title="주제 지도 themes",
                    inputs=cases_only,
                )
            )
        elif extra == "search":
            jobs.append(
                ReportJob(
                    name="search_similar",
                    notebook=str(templates / "search_similar.ipynb"),
                    parameters={
                        "query": None,
                        "case_id": None,
                        "top_k": 10,
                        "field": None,
                        "region": None,
                        "workspace": root,
                    },
                    title="유사 사례 similar cases",
                    inputs=cases_only,
                )
            )
        else:
            raise BatchError(f"unknown extra report {extra!r}: choose from ['themes', 'search']")
    return jobs, notes


def rubric_rank_keys(rubric: str | os.PathLike[str]) -> tuple[str, ...]:
    """The rubric's `rank_within` (where it names keys reports can split by), else 분야 × 구분."""
    try:
        keys = tuple(load_rubric(Path(rubric)).model.rank_within or ())
    except CasekitError as exc:
        raise BatchError(f"cannot load rubric: {exc}") from exc
    return tuple(k for k in keys if k in RANK_KEYS) or RANK_KEYS
