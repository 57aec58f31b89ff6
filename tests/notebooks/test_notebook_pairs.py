"""Notebooks are committed without outputs and paired with a jupytext percent .py file."""

import re

import jupytext
import nbformat
import pytest
from jupytext.formats import guess_format

from ordbruk import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
SCRIPTS = sorted(p for p in paths.NOTEBOOKS_DIR.glob("*.py") if re.match(r"\d\d_", p.name))


def cells_of(path):
    nb = jupytext.read(path)
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def test_notebooks_folder_exists():
    assert paths.NOTEBOOKS_DIR.is_dir()


@pytest.mark.parametrize("ipynb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_percent_pair_with_same_cells(ipynb):
    py = ipynb.with_suffix(".py")
    assert py.exists(), (
        f"{ipynb.name}: no paired {py.name}; run `jupytext --set-formats ipynb,py:percent`"
    )
    fmt, _ = guess_format(py.read_text(encoding="utf-8"), ".py")
    assert fmt == "percent", f"{py.name}: expected jupytext percent format, found {fmt}"
    assert cells_of(ipynb) == cells_of(py), (
        f"{ipynb.name} and {py.name} differ; run `jupytext --sync`"
    )


@pytest.mark.parametrize("py", SCRIPTS, ids=lambda p: p.name)
def test_script_has_notebook_pair(py):
    assert py.with_suffix(".ipynb").exists(), (
        f"{py.name}: no paired notebook; run `jupytext --sync`"
    )


@pytest.mark.parametrize("ipynb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_no_outputs(ipynb):
    nb = nbformat.read(ipynb, as_version=4)
    for i, cell in enumerate(nb.cells, 1):
        if cell.cell_type == "code":
            assert not cell.outputs, f"{ipynb.name}: cell {i} has outputs; clear them"
            assert cell.execution_count is None, f"{ipynb.name}: cell {i} has an execution count"


@pytest.mark.parametrize(
    "py", sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.py")), ids=lambda p: p.name
)
def test_notebook_is_thin(py):
    # Issue 8: notes are built by the packages' notes.py, so a notebook keeps at most 80
    # lines of code outside its parameters cell (comments and blank lines not counted).
    nb = jupytext.read(py)
    n = sum(
        1
        for cell in nb.cells
        if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", [])
        for line in cell.source.splitlines()
        if line.strip() and not line.strip().startswith("#")
    )
    assert n <= 80, f"{py.name}: {n} lines of code outside the parameters cell (at most 80)"
