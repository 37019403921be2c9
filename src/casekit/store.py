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

Writes go through `atomic_write_text` so a crash never leaves half a file behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casekit.errors import WorkspaceError
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
