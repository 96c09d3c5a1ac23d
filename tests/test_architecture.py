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


# ---- the house in wings: stages that only look down, no import cycles ---------------------------------------

# Top to bottom. A stage may import a stage on a lower line; stages on one line are independent siblings.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("cli",),
    ("api",),  # the pandas API: reads every stage; only the CLI imports it (its export command)
    ("publish",),
    ("merge",),  # a merge applies the register and writes the working-group workbook: it sits above review
    ("review",),
    ("rules", "matching"),
    ("sources",),
    ("workspace", "audit"),
    ("output",),
    ("model",),
    ("errors",),
    ("harmonise",),  # the package itself: only __version__
)
RANK = {stage: rank for rank, line in enumerate(LAYERS) for stage in line}
STAGES = {stage for line in LAYERS for stage in line} - {"harmonise"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Every harmonise module a file imports (top level, inside functions and under TYPE_CHECKING alike)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name.split(".")[0] == "harmonise"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "harmonise":
            found.append((node.module, node.lineno))
    return found


def stage_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "harmonise"


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {m: sorted({i for i, _ in imports_of(p) if i in MODULES and i != m}) for m, p in MODULES.items()}


def test_every_module_belongs_to_a_layer() -> None:
    assert {stage_of(m) for m in MODULES} <= set(RANK), {stage_of(m) for m in MODULES} - set(RANK)


def layering_violations(graph: dict[str, list[str]]) -> list[str]:
    """``a -> b`` for every import of a stage by a stage on the same or a higher line."""
    bad = []
    for importer, imported in graph.items():
        for target in imported:
            a, b = stage_of(importer), stage_of(target)
            if a != b and RANK[a] >= RANK[b]:
                bad.append(f"{importer} ({a}) imports {target} ({b})")
    return bad


def test_no_stage_imports_a_stage_above_it_or_beside_it() -> None:
    assert layering_violations(GRAPH) == []


def test_the_layering_check_catches_an_upward_import() -> None:
    # the check itself must be able to fail: sources importing matching is what it exists to refuse
    assert layering_violations({"harmonise.sources.check": ["harmonise.matching.parse"]}) == [
        "harmonise.sources.check (sources) imports harmonise.matching.parse (matching)"
    ]


def cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, []):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_between_modules() -> None:
    # a package's __init__ re-exports its modules; that edge (and a module importing its own package) is not a
    # cycle of design, so package inits are left out of this graph
    graph = {m: [t for t in ts if t in MODULES and not is_package(t)] for m, ts in GRAPH.items() if not is_package(m)}
    assert cycles(graph) == []
    assert cycles({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}) == [["a", "b", "c"]]


def is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def test_no_import_cycles_between_stages() -> None:
    graph: dict[str, set[str]] = {}
    for importer, imported in GRAPH.items():
        graph.setdefault(stage_of(importer), set()).update(
            stage_of(t) for t in imported if stage_of(t) != stage_of(importer)
        )
    assert cycles({k: sorted(v) for k, v in graph.items()}) == []


@pytest.mark.parametrize("module", sorted(MODULES), ids=str)
def test_other_stages_are_imported_through_their_package(module: str) -> None:
    """``from harmonise.matching import match_names``, never ``from harmonise.matching.match import ...``."""
    own = stage_of(module)
    inner = [
        f"line {line}: {target}"
        for target, line in imports_of(MODULES[module])
        if stage_of(target) in STAGES
        and stage_of(target) != own
        and target != f"harmonise.{stage_of(target)}"
        and stage_of(target) not in ("cli",)
    ]
    assert inner == []


@pytest.mark.parametrize("stage", sorted(STAGES - {"cli", "model", "errors", "audit"}))
def test_every_stage_says_what_it_takes_and_gives(stage: str) -> None:
    init = PACKAGE / stage / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
    assert "Takes:" in doc and "Gives:" in doc, f"{init}: the docstring says what the stage takes and gives"
