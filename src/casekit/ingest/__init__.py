"""Ingest: read source files (txt/md, pdf, hwpx), repair extraction damage, keep the map to source lines.

read_source(path) -> SourceDocument     one file, repaired, with its line map
iter_source_files(paths)                expand folders into the files casekit can read
collect_sources(paths)                  the same, with each file's key and the notes on what was skipped
printable(name)                         a file name safe to print (control characters escaped)
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from casekit.ingest.html import html_lines, is_html
from casekit.ingest.model import Line, SourceDocument
from casekit.ingest.paths import SourceFile, collect_sources, display_path, printable
from casekit.ingest.readers import DEFAULT_MAX_BYTES, HTML_SUFFIXES, read_bytes, read_lines
from casekit.ingest.repair import repair_lines, repair_text

__all__ = [
    "Line",
    "SourceDocument",
    "read_source",
    "iter_source_files",
    "repair_lines",
    "repair_text",
    "display_path",
    "printable",
    "collect_sources",
    "SourceFile",
    "read_bytes",
    "DEFAULT_MAX_BYTES",
]


def read_source(
    path: str | os.PathLike[str], data: bytes | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> SourceDocument:
    """Read and repair one file. Raises `IngestError` (one clear reason) when it cannot be read.

    `data`: the file's bytes when the caller read them already; `max_bytes`: the size limit otherwise.
    """
    file_path = Path(path)
    raw_lines, encoding, data = read_lines(file_path, data, max_bytes)
    suffix = file_path.suffix.lower()
    if is_html(raw_lines, suffix):  # tables kept as tables (casekit.ingest.html)
        lines = html_lines(raw_lines, whole_page=suffix in HTML_SUFFIXES)
    else:
        lines = repair_lines(raw_lines)
    warnings: list[str] = []
    if encoding not in ("pdf", "hwpx", "utf-16") and b"\x00" in data:
        nuls = data.count(b"\x00")
        warnings.append(f"{nuls} stray NUL byte(s) removed (converter damage)")
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
    only files with a suffix casekit reads are taken, and none that links outside the folder
    (`collect_sources` says which were skipped).
    """
    files, _ = collect_sources(paths)
    for source in files:
        yield source.path
