"""The workspace on disk: where every stage keeps what it made.

Layout (default `data/` of the current directory; `--workspace DIR` or `CASEKIT_WORKSPACE` override):

    <workspace>/
      cases/<case_id>.json      one parsed case each (with repaired lines and their source map)
      catalog.sqlite            which source file (by sha256) produced which case ids, and every case's
                                metrics as extracted when it was committed (`casekit.catalog`)
      metrics.jsonl             every outcome metric of every case, in source order (exported from the
                                catalog after each ingest; readers re-export it when it is behind)
      .casekit.lock             held by whoever writes cases, the catalog or metrics.jsonl
      index/                    embedding cache and search indexes (rebuilt by `casekit index`)
      themes/                   fitted theme models and maps
      scores.sqlite             the judges' score store (SQLite, WAL)
      prescores/                pre-score suggestions per rubric

Writes go through `atomic_write_text` so a crash never leaves half a file behind. This module is the one
reader and writer of the case files and of `metrics.jsonl`: every stage that needs a case or its metrics
asks the `Workspace`, so the file formats live in one place.

No case is ever read without its metrics: `metric_rows` first checks (by size and mtime) that every case
file is the one the catalog extracted, extracts any that is not (a case written by hand, a run killed
between writing a case and committing it, a workspace from before the catalog) and re-exports
`metrics.jsonl`, so pre-scores and reports never see a case as having no figures merely because its
metrics were never written.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casekit.catalog import CATALOG_NAME, CaseRow, Catalog, file_sig, workspace_lock
from casekit.errors import WorkspaceError

if TYPE_CHECKING:
    import pandas as pd

    from casekit.metrics.model import Metric
    from casekit.parse.model import Case

ENV_VAR = "CASEKIT_WORKSPACE"
DEFAULT_WORKSPACE = "data"


def atomic_write_text(path: Path, text: str | Iterable[str], durable: bool = True) -> None:
    """Write `text` (a string, or pieces of one) to `path` via a temporary file and rename, so readers
    never see a partial file.

    `durable=False` skips the fsync: the rename is still atomic for every process, and a case file that
    power loss damaged is caught by its catalog signature and rewritten by the next ingest. Ingest writes
    thousands of case files; one fsync each was a large share of its time.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            if isinstance(text, str):
                handle.write(text)
            else:
                handle.writelines(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: Temporary files `atomic_write_text` leaves when its process is killed between creating and renaming.
_TEMP_NAME = re.compile(r"^\..+\.(?:json|jsonl)\.[A-Za-z0-9_]{6,}$")


# One encoder each, made once: `json.dumps(..., ensure_ascii=False)` builds a new encoder per call, which
# for tens of thousands of metric rows costs more than encoding them.
_CASE_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_METRIC_ENCODER = json.JSONEncoder(ensure_ascii=False)  # json.dumps' default separators, as always written


def case_json(case: Case) -> str:
    """A case file's text: compact JSON (the indented form took the slow pure-Python encoder)."""
    return _CASE_ENCODER.encode(case.to_dict()) + "\n"


def metrics_text(metrics: Iterable[Metric]) -> tuple[str, int]:
    """Metrics as `metrics.jsonl` lines, and how many."""
    encode = _METRIC_ENCODER.encode
    rows = [encode(metric.to_dict()) for metric in metrics]
    return "".join(row + "\n" for row in rows), len(rows)


@dataclass(frozen=True)
class Workspace:
    """Paths of one workspace; creating the object touches nothing on disk."""

    root: Path

    @classmethod
    def resolve(cls, workspace: str | os.PathLike[str] | Workspace | None = None) -> Workspace:
        """The workspace named by the argument, else $CASEKIT_WORKSPACE, else ./data."""
        if isinstance(workspace, Workspace):
            return workspace
        chosen = workspace or os.environ.get(ENV_VAR) or DEFAULT_WORKSPACE
        return cls(Path(chosen))

    @property
    def cases_dir(self) -> Path:
        return self.root / "cases"

    @property
    def sources_manifest(self) -> Path:
        """Where workspaces before the catalog listed their sources (read and written by nothing now)."""
        return self.cases_dir / "_sources.json"

    @property
    def catalog_path(self) -> Path:
        return self.root / CATALOG_NAME

    def lock(self, say: Callable[[str], None] | None = None) -> AbstractContextManager[None]:
        """The workspace's write lock (`casekit.catalog.workspace_lock`): one writer at a time."""
        return workspace_lock(self.root, say)

    def clean_temp_files(self) -> int:
        """Remove the temporary files a killed writer left (call holding the lock); returns how many."""
        removed = 0
        for folder in (self.cases_dir, self.root):
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                if _TEMP_NAME.match(path.name) and path.is_file():
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed

    @property
    def metrics_path(self) -> Path:
        return self.root / "metrics.jsonl"

    @property
    def index_dir(self) -> Path:
        return self.root / "index"

    @property
    def themes_dir(self) -> Path:
        return self.root / "themes"

    @property
    def scores_db(self) -> Path:
        return self.root / "scores.sqlite"

    @property
    def prescores_dir(self) -> Path:
        return self.root / "prescores"

    # -- cases ---------------------------------------------------------------------------------

    def case_path(self, case_id: str) -> Path:
        return self.cases_dir / f"{case_id}.json"

    def save_case(self, case: Case) -> Path:
        path = self.case_path(case.id)
        atomic_write_text(path, case_json(case))
        return path

    def case_ids(self) -> list[str]:
        if not self.cases_dir.is_dir():
            return []
        return sorted(p.stem for p in self.cases_dir.glob("*.json") if not p.name.startswith("_"))

    def load_case(self, case_id: str) -> Case:
        path = self.case_path(case_id)
        if not path.is_file():
            known = ", ".join(self.case_ids()[:10]) or "none"
            raise WorkspaceError(f"no case {case_id!r} in {self.cases_dir} (known: {known})")
        try:
            from casekit.parse.model import Case  # imported on use: `casekit search` never reads a case

            return Case.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError) as exc:
            raise WorkspaceError(f"{path}: damaged case record ({exc})") from exc

    def iter_cases(self) -> Iterator[Case]:
        """Every case in the workspace, in source order (by source, then first line)."""
        cases = [self.load_case(case_id) for case_id in self.case_ids()]
        yield from sorted(cases, key=lambda c: (c.source, c.line_start))

    def load_cases(self) -> list[Case]:
        cases = list(self.iter_cases())
        if not cases:
            raise WorkspaceError(
                f"no cases in {self.cases_dir}: run `casekit ingest PATH --workspace {self.root}` first"
            )
        return cases

    def delete_cases(self, case_ids: Iterable[str]) -> None:
        for case_id in case_ids:
            self.case_path(case_id).unlink(missing_ok=True)

    def find_case(self, key: str, cases: Iterable[Case] | None = None) -> Case:
        """The case a person names: its id, else the municipality of exactly one case.

        Judges and organizers write 수원시, not 수원시-423ec8; a name that fits no case, or several, is refused
        with the candidates rather than guessed. `cases` saves re-reading the workspace when the caller has
        them already.
        """
        known = {case.id: case for case in (self.iter_cases() if cases is None else cases)}
        if key in known:
            return known[key]
        matches = [case for case in known.values() if case.municipality == key]
        if len(matches) == 1:
            return matches[0]
        if matches:
            ids = ", ".join(sorted(case.id for case in matches))
            raise WorkspaceError(f"{key!r} names {len(matches)} cases ({ids}): use the case id")
        raise WorkspaceError(f"{key!r} is not a case id or the municipality of exactly one case")

    # -- metrics.jsonl: every outcome metric, one JSON object a line ----------------------------

    def save_metrics(self, metrics: Iterable[Metric]) -> int:
        """Write `metrics.jsonl` anew (atomically) from `metrics`; returns how many were written."""
        rows = [json.dumps(metric.to_dict(), ensure_ascii=False) for metric in metrics]
        atomic_write_text(self.metrics_path, "".join(row + "\n" for row in rows))
        return len(rows)

    def extract_metrics(self) -> int:
        """Extract the metrics of every case anew and store them; returns how many there are."""
        return self.sync_metrics(force=True)

    def _stale_cases(self, catalog: Catalog, force: bool) -> tuple[list[str], list[str]]:
        """(case ids whose metrics are missing or older than their file, catalog ids with no file)."""
        ids = self.case_ids()
        stored = catalog.case_sigs()
        current = {case_id: file_sig(self.case_path(case_id)) for case_id in ids}
        stale = list(ids) if force else [i for i in ids if stored.get(i) != current[i]]
        gone = [case_id for case_id in stored if case_id not in current]
        return stale, gone

    def sync_metrics(self, force: bool = False) -> int:
        """Make sure every case has its metrics in the catalog and `metrics.jsonl` is their export.

        Cheap when nothing changed (a stat per case file); otherwise takes the write lock, extracts the
        cases the catalog does not vouch for, and rewrites `metrics.jsonl` (streamed, in source order).
        Returns the number of metrics the workspace holds.
        """
        if not force and not self.catalog_path.is_file() and not self.case_ids():
            return 0
        with Catalog(self.catalog_path) as catalog:
            stale, gone = self._stale_cases(catalog, force)
            if not stale and not gone and catalog.export_is_current(self.metrics_path):
                return catalog.n_metrics()
        from casekit.metrics import extract_metrics  # imported on use: `casekit search` extracts nothing

        with self.lock(), Catalog(self.catalog_path) as catalog:
            stale, gone = self._stale_cases(catalog, force)  # again: another writer may have done it
            for start in range(0, max(len(stale), 1), 64):
                rows = []
                for case_id in stale[start : start + 64]:
                    path = self.case_path(case_id)
                    signature = file_sig(path)
                    case = self.load_case(case_id)
                    text, count = metrics_text(extract_metrics(case))
                    rows.append(CaseRow(case_id, case.source, case.line_start, signature or "", count, text))
                if rows or gone:
                    catalog.put_cases(rows, gone if start == 0 else ())
            if stale or gone or not catalog.export_is_current(self.metrics_path):
                self._export_metrics(catalog)
            return catalog.n_metrics()

    def _export_metrics(self, catalog: Catalog) -> None:
        generation = catalog.generation
        atomic_write_text(self.metrics_path, catalog.metrics_in_order())
        catalog.mark_exported(generation, self.metrics_path)

    def metric_rows(self, case_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """The stored metrics as dicts (keys `METRIC_KEYS`), in file order; only `case_ids`' when given.

        Every case of the workspace is covered: cases whose metrics were never stored (or were stored for
        an older version of the case file) are extracted and stored first (`sync_metrics`), so no reader
        ever takes a case for one without figures merely because its metrics were not written. A
        workspace without cases reads `metrics.jsonl` as it is.
        """
        self.sync_metrics()
        if not self.metrics_path.is_file():
            return []
        wanted = None if case_ids is None else set(case_ids)
        rows = []
        with self.metrics_path.open(encoding="utf-8") as handle:
            for number, raw in enumerate(handle, 1):
                if not raw.strip():
                    continue
                try:
                    row = json.loads(raw)
                except ValueError as exc:
                    raise WorkspaceError(
                        f"{self.metrics_path}: line {number}: damaged metric ({exc})"
                    ) from exc
                if wanted is None or row.get("case_id") in wanted:
                    rows.append(row)
        return rows

    # -- small JSON documents ------------------------------------------------------------------

    def read_json(self, path: Path, default: Any) -> Any:
        if not path.is_file():
            return default
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise WorkspaceError(f"{path}: damaged JSON ({exc})") from exc

    def write_json(self, path: Path, data: Any) -> None:
        atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


# -- frames: the tables organizers list and filter, and notebooks show --------------------------


def case_row(case: Case) -> dict[str, Any]:
    """The flat view of a case that tables, filters and notebooks use."""
    return {
        "id": case.id,
        "region": case.region,
        "municipality": case.municipality,
        "group": case.group,
        "field": case.field,
        "title": case.title,
        "pledges": list(case.pledges),
        "n_pledges": len(case.pledges),
        "n_sections": len(case.sections),
        "line_start": case.line_start,
        "line_end": case.line_end,
        "source": case.source,
        "year": case.year,
        "form": case.form,
        "summary": case.summary,
    }


# pandas is imported where a frame is made, not at the top: every CLI command imports this module, and
# `casekit --help` or `casekit ingest` should not pay for pandas.


def cases_frame(cases: Iterable[Case]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame([case_row(case) for case in cases])


def load_cases(workspace: str | os.PathLike[str] | Workspace | None = None) -> pd.DataFrame:
    """Every case of the workspace as a DataFrame (one row per case)."""
    return cases_frame(Workspace.resolve(workspace).load_cases())


def load_metrics(workspace: str | os.PathLike[str] | Workspace | None = None) -> pd.DataFrame:
    """Every stored metric of the workspace as a DataFrame (empty, with the columns, when there are none)."""
    import pandas as pd

    from casekit.metrics.model import METRIC_KEYS

    return pd.DataFrame(Workspace.resolve(workspace).metric_rows(), columns=list(METRIC_KEYS))
