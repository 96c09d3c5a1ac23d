"""Every page harmonise writes comes from a Jinja2 template with autoescape on: no module builds markup from
strings, every template escapes what it is given, and the templates ship with the package."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from harmonise.output.pages import environment, render_page

PACKAGE = Path(__file__).resolve().parents[2] / "harmonise"
TAG = re.compile(r"<(html|head|body|table|tr|td|th|p|h[1-6]|ul|li|section|form|svg|span|a)[\s>]", re.I)
TEMPLATES = sorted(PACKAGE.glob("*/templates/*.html"))


def markup_literals(path: Path) -> list[tuple[int, str]]:
    """String literals (parts of f-strings included, docstrings left out) that hold an HTML tag."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        (node.lineno, node.value[:60])
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
        if TAG.search(node.value)
    ]


def test_the_scan_sees_string_built_markup() -> None:
    assert TAG.search('f"<td>{esc(row.drug)}</td>"') and TAG.search("<html lang='en-GB'>")
    assert not TAG.search("Amlodipine <5mg> tablets") and not TAG.search("a < b and c > d")


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_builds_html_from_strings(path: Path) -> None:
    assert markup_literals(path) == []


@pytest.mark.parametrize("template", [p.name for p in TEMPLATES])
def test_every_template_escapes_what_it_is_given(template: str) -> None:
    package = "harmonise.output" if (PACKAGE / "output" / "templates" / template).is_file() else "harmonise.publish"
    env = environment(package)
    assert env.autoescape is True
    compiled = env.from_string("{{ value }}")
    assert str(compiled.render(value="<script>alert(1)</script> Warfarin")) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; Warfarin"
    )
    assert env.get_template(template) is not None


def test_a_page_escapes_its_title() -> None:
    page = render_page("base.html", title='Formulary <img src=x onerror="alert(1)">')
    assert "<img" not in page and "<title>Formulary &lt;img src=x onerror=&#34;alert(1)&#34;&gt;</title>" in page


def test_templates_are_package_data() -> None:
    data = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = data["tool"]["setuptools"]["package-data"]["harmonise"]
    for template in TEMPLATES:
        relative = template.relative_to(PACKAGE)
        assert any(relative.match(p) for p in patterns), f"{relative} is not package data in pyproject.toml"
