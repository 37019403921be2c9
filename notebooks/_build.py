"""Regenerate the notebooks in this folder from `casekit.views.notebooks` (run: .venv/bin/python notebooks/_build.py).

The notebooks are defined in code so they stay reviewable and consistent; edit the cells there, not here.
A test fails when a committed notebook differs from what this script writes.
"""

from __future__ import annotations

from pathlib import Path

from casekit.views.notebooks import write_notebooks

if __name__ == "__main__":
    for path in write_notebooks(Path(__file__).resolve().parent):
        print(path)
