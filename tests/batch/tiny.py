"""A tiny notebook and three jobs over it, for the batch tests: fast kernels, a failure on demand."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import v4

from casekit.batch import ReportJob

SOURCE_MARKER = "SOURCE_ONLY_MARKER"


def tiny_notebook(path: Path) -> Path:
    """A notebook that writes `<out>/<name>.txt`, prints its parameters, and fails when told to."""
    nb = v4.new_notebook(
        cells=[
            v4.new_code_cell(
                'name = "x"\nout = "."\nfail = False\nvalue = 1', metadata={"tags": ["parameters"]}
            ),
            v4.new_code_cell(
                f"# {SOURCE_MARKER}\nfrom pathlib import Path\n"
                "if fail:\n    raise ValueError(f'boom in {name}')\n"
                "Path(out, name + '.txt').write_text(str(value * 2), encoding='utf-8')\n"
                "print('visible-output', name, value)"
            ),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.write(nb, path)
    return path


def tiny_jobs(template: Path, out: Path, fail: str = "b", value: int = 1) -> list[ReportJob]:
    return [
        ReportJob(
            name=n,
            notebook=str(template),
            title=f"job {n}",
            parameters={"name": n, "out": str(out), "fail": n == fail, "value": value},
        )
        for n in ("a", "b", "c")
    ]
