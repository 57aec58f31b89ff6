"""The house rules of the layout (issue 8), checked on the source.

Stages import only downward (corpus -> text -> stats -> analyses -> report -> run), the
analyses do not import each other, no module imports another package's private names,
modules stay under 400 lines, and an import inside a function says why in a comment
(start-up cost, optional dependency) on its line or on the comment line above its block.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ordbruk import paths

LIB = paths.ROOT / "lib" / "ordbruk"
MODULES = sorted(LIB.rglob("*.py"))
#: Rank of each stage: a module may import its own package and any of lower rank.
RANK = {
    "engine": 0, "errors": 0, "escape": 0, "figures": 0, "numbers": 0, "paths": 0, "progress": 0,
    "resources": 0, "versions": 0,
    "corpus": 1, "text": 2, "stats": 3,
    "overview": 4, "terms": 4, "rhetoric": 4, "topics": 4,
    "report": 5, "run": 6,
}  # fmt: skip
#: The one import across analyses: notebook 04 merges the families that terms/ defines,
#: so the family definitions keep one home (docs/architecture.md says so).
ACROSS = {("topics", "ordbruk.terms.families")}


def _package(path: Path) -> str:
    part = path.relative_to(LIB).parts[0]
    return "errors" if part == "__init__.py" else part.removesuffix(".py")


def _imports(path: Path):
    """Yield (node, in_function) for every import of an ordbruk module in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside = set()
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside |= {id(n) for n in ast.walk(fn) if isinstance(n, (ast.Import, ast.ImportFrom))}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, id(node) in inside


def _targets(node) -> list[tuple[str, list[str]]]:
    if isinstance(node, ast.ImportFrom):
        return [(node.module or "", [a.name for a in node.names])]
    return [(a.name, []) for a in node.names]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(LIB)))
def test_module_imports_only_downward_and_no_private_names(path):
    own = _package(path)
    for node, _ in _imports(path):
        for module, names in _targets(node):
            if module == "ordbruk.terms" and names == ["families"]:
                module = "ordbruk.terms.families"
            if not module.startswith("ordbruk.") or module == "ordbruk":
                continue
            target = module.split(".")[1]
            assert target in RANK, f"{path.name}:{node.lineno} imports unknown stage {target}"
            if target == own or (own, module) in ACROSS or RANK[target] == RANK[own] == 0:
                continue
            assert RANK[target] < RANK[own], (
                f"{path.relative_to(LIB)}:{node.lineno} imports {module}: "
                f"{own} may import only stages below it"
            )
            private = [n for n in names if n.startswith("_")]
            assert not private, f"{path.relative_to(LIB)}:{node.lineno} imports {private}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(LIB)))
def test_module_is_under_400_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) < 400


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(LIB)))
def test_imports_inside_functions_say_why(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    for node, in_function in _imports(path):
        if not in_function:
            continue
        row = node.lineno - 1
        while row > 0 and lines[row - 1].strip().startswith(("import ", "from ")):
            row -= 1  # the first line of a block of imports
        said = "#" in lines[node.lineno - 1] or lines[row - 1].strip().startswith("#")
        assert said, (
            f"{path.relative_to(LIB)}:{node.lineno}: an import inside a function needs a "
            "comment saying why (start-up cost, optional dependency)"
        )
