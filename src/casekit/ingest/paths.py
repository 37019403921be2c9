"""Which files an ingest reads, what each is called, and how names are shown.

Folders are walked for the files casekit reads; a symbolic link that leads outside the folder named is
skipped with a note (a link to /etc/passwd inside a submissions folder is not a submission). Each file
keeps the path it was reached by relative to the folder named (`rel`): two submissions with the same
file name in different folders (A/소개서.txt, B/소개서.txt) are told apart by it.

File names come from submitters: a name holding a newline or an ANSI escape must not print as a fake
line of output, so everything shown goes through `printable`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from casekit.ingest.readers import SUPPORTED_SUFFIXES

#: Control characters (C0, DEL, C1), lone surrogates (undecodable bytes in a name), bidirectional
#: overrides and zero-width characters: none may reach a terminal as they are.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control, bidi or surrogate character written as an escape (\\n → "\\x0a")."""
    return _UNPRINTABLE.sub(_escape, text)


def display_path(path: Path) -> str:
    """The path as users should see it: relative to the working directory when that is shorter."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
    return relative if len(relative) < len(str(path.resolve())) else str(path.resolve())


@dataclass(frozen=True)
class SourceFile:
    """A file to ingest: as reached, its absolute path (the catalog's key) and its path in the input."""

    path: Path
    key: str
    rel: str  # relative to the folder named, "/"-separated; for a named file, "<parent>/<name>"
    size: int


def _rel_of(path: Path, root: Path | None) -> str:
    if root is not None:
        relative = path.relative_to(root).as_posix()
        if "/" in relative:
            return relative
    # A file at the top of the folder named, or named itself: its folder's name tells it apart.
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def collect_sources(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[SourceFile], list[str]]:
    """The files to ingest (sorted within each folder, each once) and notes on what was skipped.

    A named file is always taken (so a bad one is reported, not silently skipped); inside folders only
    files with a suffix casekit reads, not hidden, and not leading (through a symbolic link) outside.
    """
    files: list[SourceFile] = []
    notes: list[str] = []
    seen: set[str] = set()

    def take(path: Path, root: Path | None) -> None:
        key = os.path.abspath(path)
        if key in seen:
            return
        seen.add(key)
        files.append(SourceFile(path, key, _rel_of(path, root), _size(path)))

    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            take(path, None)
            continue
        real_root = path.resolve()
        for child in sorted(path.rglob("*")):
            if child.name.startswith(".") or child.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            if not child.is_file():
                continue
            target = child.resolve()
            if not target.is_relative_to(real_root):
                notes.append(
                    f"skipped {printable(display_path(child))}: a symbolic link to "
                    f"{printable(str(target))}, outside {printable(display_path(path))}"
                )
                continue
            take(child, path)
    return files, notes
