"""Escaped HTML for reports and the batch index page.

Case text comes from municipalities' files and is shown to organizers in a browser, so every value that
reaches HTML goes through `esc` (titles such as ``<script>alert(1)</script>`` must read as text). The
notebooks display tables through `table_html` rather than pandas' own HTML so the escaping does not depend
on pandas options, and nbconvert (which inserts ``text/html`` outputs verbatim) never sees raw case text.

Pages are self-contained (inline CSS, no external assets) so a report can be mailed or opened offline.
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from casekit.store import atomic_write_text

#: Page-level rules, only for standalone pages (inside JupyterLab they would restyle the whole app).
PAGE_CSS = """
body{font-family:"Noto Sans KR","Malgun Gothic","Apple SD Gothic Neo",NanumGothic,sans-serif;
margin:2em auto;max-width:72em;padding:0 1em;color:#222;line-height:1.5}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ccc}
"""
#: Rules scoped to casekit's own classes: safe to inject into notebook outputs.
CSS = """
.ck-note{color:#555;font-size:.92em}.ck-warn{background:#fff4e5;border-left:4px solid #f0a020;padding:.4em .8em}
table.ck-table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
table.ck-table th,table.ck-table td{border:1px solid #ccc;padding:.25em .55em;vertical-align:top}
.jp-RenderedHTMLCommon table.ck-table th,table.ck-table th{background:#f3f3f3;text-align:left;white-space:nowrap}
.jp-RenderedHTMLCommon table.ck-table td,table.ck-table td{text-align:left;max-width:28em}
.jp-RenderedHTMLCommon table.ck-table td.num,table.ck-table td.num{text-align:right;
font-variant-numeric:tabular-nums;white-space:nowrap}
.ck-scroll{overflow-x:auto;max-width:100%}
.ck-ok{color:#17702a;font-weight:bold}.ck-failed{color:#b00020;font-weight:bold}
.ck-skipped{color:#555;font-weight:bold}.ck-pending{color:#777}
pre.ck-error{white-space:pre-wrap;font-size:.85em;background:#fafafa;margin:0;max-width:40em}
"""


def esc(value: Any) -> str:
    """HTML-escape any value (quotes too, so it is safe in attributes); None and NaN become ''."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return html.escape(str(value), quote=True)


def href(path: str | os.PathLike[str]) -> str:
    """A relative link to a file whose name may hold Hangul, spaces or '#': percent-encoded, then escaped."""
    return esc(quote(Path(path).as_posix(), safe="/._-~"))


def _cell(value: Any, float_format: str) -> tuple[str, bool]:
    """Text of one table cell and whether it is numeric (right-aligned)."""
    if isinstance(value, bool):
        return esc(value), False
    if isinstance(value, int):
        return esc(value), True
    if isinstance(value, float):
        if math.isnan(value):
            return "", True
        return esc(format(value, float_format)), True
    if isinstance(value, (list, tuple)):
        return esc(", ".join(str(v) for v in value)), False
    return esc(value), False


def table_html(
    rows: Any,
    columns: Sequence[str] | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    float_format: str = ".2f",
    max_rows: int | None = None,
    index: bool = False,
    css_class: str = "ck-table",
) -> str:
    """An escaped HTML table from a DataFrame or a list of dicts.

    `headers` renames columns for display (e.g. ``{"municipality": "지자체"}``); `max_rows` cuts long tables
    and says how many rows were left out, so a report never silently drops data.
    """
    records, cols = table_records(rows, columns, index)
    total = len(records)
    if max_rows is not None:
        records = records[:max_rows]
    headers = headers or {}
    out = [f'<div class="ck-scroll"><table class="{esc(css_class)}"><thead><tr>']
    out += [f"<th>{esc(headers.get(c, c))}</th>" for c in cols]
    out.append("</tr></thead><tbody>")
    for record in records:
        out.append("<tr>")
        for col in cols:
            text, numeric = _cell(_scalar(record.get(col)), float_format)
            out.append(f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    if max_rows is not None and total > max_rows:
        out.append(f'<p class="ck-note">{esc(total - max_rows)} more rows not shown (of {esc(total)}).</p>')
    return "".join(out)


def _scalar(value: Any) -> Any:
    """numpy scalars → Python scalars so formatting treats them as numbers."""
    item = getattr(value, "item", None)
    if item is not None and getattr(value, "shape", None) == ():
        try:
            return item()
        except (TypeError, ValueError):
            return value
    return value


def table_records(
    rows: Any, columns: Sequence[str] | None = None, index: bool = False
) -> tuple[list[dict[str, Any]], list[str]]:
    """A DataFrame or a list of dicts as (records with string keys, column names in order): what a table
    renderer walks — the HTML tables here and the Excel sheets of `casekit.report.excel`."""
    to_dict = getattr(rows, "to_dict", None)
    if to_dict is not None and hasattr(rows, "columns"):  # a DataFrame
        frame = rows.reset_index() if index else rows
        records = frame.to_dict(orient="records")
        cols = list(columns) if columns is not None else [str(c) for c in frame.columns]
        return [{str(k): v for k, v in r.items()} for r in records], cols
    records = [dict(r) for r in rows]
    if columns is not None:
        return records, list(columns)
    keys: list[str] = []
    for record in records:
        keys += [k for k in record if k not in keys]
    return records, keys


def paragraph(text: str, css_class: str | None = None) -> str:
    cls = f' class="{esc(css_class)}"' if css_class else ""
    return f"<p{cls}>{esc(text)}</p>"


def heading(text: str, level: int = 2) -> str:
    level = min(max(level, 1), 6)
    return f"<h{level}>{esc(text)}</h{level}>"


def notice(text: str) -> str:
    """A highlighted sentence, used when a part of a report is missing and the reader must know why."""
    return paragraph(text, "ck-warn")


def page(title: str, body_html: str, *, subtitle: str | None = None) -> str:
    """A complete standalone HTML document. `body_html` must already be escaped (built with this module)."""
    sub = paragraph(subtitle, "ck-note") if subtitle else ""
    return (
        '<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(title)}</title>'
        f"<style>{PAGE_CSS}{CSS}</style></head><body><h1>{esc(title)}</h1>{sub}{body_html}</body></html>\n"
    )


STATUS_LABELS = {
    "ok": "완료 ok",
    "failed": "실패 failed",
    "skipped": "건너뜀 skipped (up to date)",
    "pending": "대기",
}


def index_page(
    entries: Iterable[Mapping[str, Any]],
    *,
    title: str = "casekit 보고서 목록 (reports)",
    subtitle: str | None = None,
    notes: Sequence[str] = (),
) -> str:
    """The batch's `index.html`: one row per report with its parameters, status, time, links and error.

    Each entry is a run's sidecar record as a dict: keys name, notebook, parameters, status, duration_s,
    error, outputs (paths relative to the index). Failed runs stay listed with their error so nothing is
    hidden; the counts at the top say at a glance whether the batch is complete.
    """
    entries = sorted(entries, key=lambda e: (str(e.get("notebook", "")), str(e.get("name", ""))))
    counts: dict[str, int] = {}
    for entry in entries:
        counts[str(entry.get("status"))] = counts.get(str(entry.get("status")), 0) + 1
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "no reports"
    body = [paragraph(f"{len(entries)} reports — {summary}", "ck-note")]
    body += [notice(n) for n in notes]
    body.append(
        '<table class="ck-table"><thead><tr><th>보고서 report</th><th>매개변수 parameters</th>'
        "<th>상태 status</th><th>수상 awards</th><th>소요 time (s)</th><th>파일 files</th><th>오류 error</th>"
        "</tr></thead><tbody>"
    )
    for entry in entries:
        status = str(entry.get("status", "pending"))
        outputs = entry.get("outputs") or {}
        main = outputs.get("html")
        name = esc(entry.get("title") or entry.get("name"))
        name_cell = f'<a href="{href(main)}">{name}</a>' if main else name
        params = entry.get("parameters") or {}
        shown = {k: v for k, v in params.items() if k not in ("workspace", "output_dir", "rubric")}
        param_text = "; ".join(f"{k}={v}" for k, v in shown.items())
        links = " · ".join(
            f'<a href="{href(path)}">{esc(kind)}</a>' for kind, path in sorted(outputs.items())
        )
        duration = entry.get("duration_s")
        dur = "" if duration is None else esc(f"{float(duration):.1f}")
        error = entry.get("error")
        err = f'<pre class="ck-error">{esc(error)}</pre>' if error else ""
        body.append(
            f"<tr><td>{name_cell}</td><td>{esc(param_text)}</td>"
            f'<td class="ck-{esc(status)}">{esc(STATUS_LABELS.get(status, status))}</td>'
            f"<td>{_awards_cell(entry.get('summary'))}</td>"
            f'<td class="num">{dur}</td><td>{links}</td><td>{err}</td></tr>'
        )
    body.append("</tbody></table>")
    return page(title, "".join(body), subtitle=subtitle)


def _awards_cell(summary: Any) -> str:
    """Winners of a ranking report, one per line; marked provisional when ranked by pre-scores."""
    if not isinstance(summary, Mapping):
        return ""
    lines = [f"{a.get('award')} {a.get('municipality') or ''}".strip() for a in summary.get("awards") or []]
    text = "<br>".join(esc(line) for line in lines)
    if summary.get("basis") == "prescores":
        text = '<span class="ck-warn">사전점수 기준 (pre-scores, provisional)</span><br>' + text
    return text


def write_page(path: Path, text: str) -> Path:
    atomic_write_text(path, text)
    return path
