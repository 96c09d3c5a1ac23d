"""Layering you can check: the library never imports the CLI's libraries (typer, rich) and never prints;
only ``harmonise/cli`` talks to the terminal."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "harmonise"
LIBRARY = sorted(p for p in PACKAGE.rglob("*.py") if "cli" not in p.relative_to(PACKAGE).parts)
TERMINAL_ONLY = {"typer", "rich", "click"}


def imported_roots(tree: ast.AST) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_library_module_stays_off_the_terminal(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not imported_roots(tree) & TERMINAL_ONLY, f"{path.name} imports {imported_roots(tree) & TERMINAL_ONLY}"
    prints = [
        n.lineno
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and getattr(n.func, "id", "") == "print"
        and path.relative_to(PACKAGE) != Path("rules", "doc.py")
    ]  # rules/doc.py is the documented generator script
    assert not prints, f"{path.name} prints at lines {prints}"


def test_the_library_is_found() -> None:
    assert len(LIBRARY) > 20 and PACKAGE / "merge" / "chapter.py" in LIBRARY


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=PACKAGE.parent, capture_output=True, text=True, check=False
    )


@pytest.mark.skipif(importlib.util.find_spec("ruff") is None, reason="ruff is not installed (pip install -e '.[test]')")
def test_ruff_check_and_format_are_clean() -> None:
    paths = ("harmonise", "tests", "benchmarks", "tools")
    check = run_tool("ruff", "check", *paths)
    assert check.returncode == 0, check.stdout + check.stderr
    formatted = run_tool("ruff", "format", "--check", *paths)
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed (pip install -e '.[test]')")
def test_mypy_is_clean() -> None:
    result = run_tool("mypy", "harmonise")
    assert result.returncode == 0, result.stdout + result.stderr
