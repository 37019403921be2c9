"""Ingest: read source files (txt/md, pdf, hwpx), repair extraction damage, keep the map to source lines.

read_source(path) -> SourceDocument     one file, repaired, with its line map
iter_source_files(paths)                expand folders into the files casekit can read
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from casekit.ingest.html import html_lines, is_html
from casekit.ingest.model import Line, SourceDocument
from casekit.ingest.readers import HTML_SUFFIXES, SUPPORTED_SUFFIXES, read_lines
from casekit.ingest.repair import repair_lines, repair_text

__all__ = [
    "Line",
    "SourceDocument",
    "read_source",
    "iter_source_files",
    "repair_lines",
    "repair_text",
    "display_path",
]


def display_path(path: Path) -> str:
    """The path as users should see it: relative to the working directory when that is shorter."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
    return relative if len(relative) < len(str(path.resolve())) else str(path.resolve())


def read_source(path: str | os.PathLike[str]) -> SourceDocument:
    """Read and repair one file. Raises `IngestError` (one clear reason) when it cannot be read."""
    file_path = Path(path)
    raw_lines, encoding, data = read_lines(file_path)
    suffix = file_path.suffix.lower()
    if is_html(raw_lines, suffix):  # tables kept as tables (casekit.ingest.html)
        lines = html_lines(raw_lines, whole_page=suffix in HTML_SUFFIXES)
    else:
        lines = repair_lines(raw_lines)
    warnings: list[str] = []
    if not lines:
        warnings.append("no text after repair")
    return SourceDocument(
        path=display_path(file_path),
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        lines=lines,
        line_count=len(raw_lines),
        warnings=warnings,
    )


def iter_source_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files named, and the readable files inside folders named (sorted, hidden files skipped).

    A named file is always yielded (so a bad one is reported, not silently skipped); inside folders
    only files with a suffix casekit reads are taken.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (
                    child.is_file()
                    and not child.name.startswith(".")
                    and child.suffix.lower() in SUPPORTED_SUFFIXES
                ):
                    yield child
        else:
            yield path
