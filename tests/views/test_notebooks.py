"""The notebooks: committed files match the generator, parameters cells hold only literals papermill can override."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import papermill
import pytest

from casekit.views.notebooks import NOTEBOOKS, notebook_text, write_notebooks

REPO = Path(__file__).resolve().parents[2]
EXPECTED_PARAMETERS = {
    "judge_review": ["case_id", "judge_id", "rubric", "workspace"],
    "search_similar": ["query", "case_id", "top_k", "field", "region", "workspace"],
    "themes": ["k", "method", "level", "workspace", "output_dir"],
    "ranking_report": ["rubric", "field", "group", "workspace", "output_dir"],
}


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_committed_notebook_is_what_the_generator_writes(name: str) -> None:
    committed = (REPO / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8")
    assert committed == notebook_text(name), "run: .venv/bin/python notebooks/_build.py"


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_parameters_cell_is_tagged_and_literal(name: str) -> None:
    nb = nbformat.reads(notebook_text(name), as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    tree = ast.parse(tagged[0].source)
    for node in tree.body:  # nothing derived: papermill only overrides what it injects
        assert isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant), ast.dump(node)
    params = papermill.inspect_notebook(str(REPO / "notebooks" / f"{name}.ipynb"))
    assert list(params) == EXPECTED_PARAMETERS[name]
    assert nb.metadata.kernelspec.name == "python3"


def test_write_notebooks_is_idempotent(tmp_path) -> None:  # type: ignore[no-untyped-def]
    paths = write_notebooks(tmp_path)
    stamps = [p.stat().st_mtime_ns for p in paths]
    assert [p.name for p in paths] == [f"{n}.ipynb" for n in NOTEBOOKS]
    assert [
        p.stat().st_mtime_ns for p in write_notebooks(tmp_path)
    ] == stamps  # unchanged files not rewritten
