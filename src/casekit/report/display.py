"""Showing report pieces in a notebook: escaped HTML, tables, figures, notices.

The notebooks call these instead of relying on rich reprs: figures go out as explicit PNG bytes (works
under any matplotlib backend, including papermill's headless kernels), and tables as HTML built by
`casekit.report.html` (escaped, whatever pandas' options say). Outside IPython they print plain text, so
the same report code runs in scripts and tests.
"""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING, Any

from IPython.display import HTML, Image, display

from . import html as H

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure


def figure_png(fig: Figure, *, dpi: int = 110) -> bytes:
    """PNG bytes of a figure, for embedding in HTML or displaying in a notebook without a file (any backend)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


#: Set by the batch for the kernels it starts: nobody can press a button in a headless run.
HEADLESS_ENV = "CASEKIT_HEADLESS"


def widgets_wanted() -> bool:
    """Whether to build ipywidgets: not in a headless (papermill batch) kernel.

    Besides being useless there, widget comm messages can leave nbclient waiting on a kernel that is
    already idle (jupyter/nbclient#312); a batch must never hang on a form nobody will fill in.
    """
    return os.environ.get(HEADLESS_ENV) != "1"


def show_html(markup: str) -> None:
    """Display HTML that was built by casekit.report.html (already escaped)."""
    display(HTML(markup))


def show_style() -> None:
    """The report's CSS, once at the top of a notebook, so tables and notices look the same in the HTML export."""
    show_html(f"<style>{H.CSS}</style>")


def show_table(rows: Any, columns: Any = None, **options: Any) -> None:
    show_html(H.table_html(rows, columns, **options))


def show_notice(text: str) -> None:
    """One highlighted sentence saying what is missing and why, instead of a traceback."""
    show_html(H.notice(text))


def show_text(text: str, level: int | None = None) -> None:
    show_html(H.heading(text, level) if level else H.paragraph(text))


def show_figure(fig: Figure, *, dpi: int = 110) -> bytes:
    """Display a figure as PNG and return the bytes (so a report can save them without drawing again)."""
    png = figure_png(fig, dpi=dpi)
    show_png(png)
    return png


def show_png(png: bytes) -> None:
    display(Image(data=png, format="png"))
