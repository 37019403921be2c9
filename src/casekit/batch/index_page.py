"""The batch's `index.html`: every report with its status, time, links, error and award winners.

The page is built from the runs' sidecars (and each ranking report's `<name>.summary.json`), never from the
notebooks, so it is written in a moment at the end of a batch and after a resumed one; its markup is
`casekit.report.html.index_page`, the renderer every casekit page shares.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from casekit.report.html import index_page
from casekit.store import atomic_write_text

from .execute import RunRecord


def write_index(
    out_dir: Path, runs: Sequence[RunRecord], *, notes: Sequence[str] = (), title: str | None = None
) -> Path:
    """`out_dir/index.html`: every report with its status, time, links and error (see report.html)."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    entries = []
    for run in runs:
        entry = run.to_dict()
        summary = run.outputs.get("summary.json")
        if summary and run.status in ("ok", "skipped"):
            try:
                entry["summary"] = json.loads((out_dir / summary).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                pass  # the index still links the report; the winners column stays empty
        entries.append(entry)
    page = index_page(
        entries,
        title=title or "casekit 보고서 목록 (reports)",
        subtitle=f"casekit batch · {when}",
        notes=notes,
    )
    path = out_dir / "index.html"
    atomic_write_text(path, page)
    return path
