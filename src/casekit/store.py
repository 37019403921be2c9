"""The workspace on disk: where every stage keeps what it made.

Layout (default `data/` of the current directory; `--workspace DIR` or `CASEKIT_WORKSPACE` override):

    <workspace>/
      cases/<case_id>.json      one parsed case each (with repaired lines and their source map)
      cases/_sources.json       which source file (by sha256) produced which case ids
      metrics.jsonl             every outcome metric of every case (written on ingest)
      index/                    embedding cache and search indexes (rebuilt by `casekit index`)
      themes/                   fitted theme models and maps
      scores.sqlite             the judges' score store (SQLite, WAL)
      prescores/                pre-score suggestions per rubric

Writes go through `atomic_write_text` so a crash never leaves half a file behind. This module is the one
reader and writer of the case files and of `metrics.jsonl`: every stage that needs a case or its metrics
asks the `Workspace`, so the file formats live in one place.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casekit.errors import WorkspaceError

if TYPE_CHECKING:
    import pandas as pd

    from casekit.metrics.model import Metric
    from casekit.parse.model import Case

ENV_VAR = "CASEKIT_WORKSPACE"
DEFAULT_WORKSPACE = "data"


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file and rename, so readers never see a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
        return self.cases_dir / "_sources.json"

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
        atomic_write_text(path, json.dumps(case.to_dict(), ensure_ascii=False, indent=1) + "\n")
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
        """Extract the metrics of every case and store them (cheap: regular expressions)."""
        from casekit.metrics import extract_metrics

        return self.save_metrics(metric for case in self.iter_cases() for metric in extract_metrics(case))

    def metric_rows(self, case_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """The stored metrics as dicts (keys `METRIC_KEYS`), in file order; only `case_ids`' when given.

        A workspace whose cases were never extracted (no `metrics.jsonl`) gets its metrics extracted and
        stored first, so no reader ever sees a case without metrics merely because the file is missing.
        """
        if not self.metrics_path.is_file():
            if not self.case_ids():
                return []
            self.extract_metrics()
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
