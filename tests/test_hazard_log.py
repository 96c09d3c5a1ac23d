"""The clinical hazard log stays honest: every hazard has each field, the hazards the project must cover are
there, and every test it names exists (found with ``ast``, so a parametrized test is named without ids)."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "docs" / "safety" / "hazard-log.md"
TEST_REF = re.compile(r"`(tests/[\w/]+\.py)::((?:\w+::)?\w+)`")
FIELDS = ("Cause", "Effect", "Severity", "Likelihood", "Mitigation", "Tests")
SEVERITIES = ("catastrophic", "major", "considerable", "significant", "minor")
LIKELIHOODS = ("very high", "high", "medium", "low", "very low")
REQUIRED = (
    "Wrong automatic match",
    "Legacy entry dropped",
    "Stale decision applied",
    "Status word mis-mapped",
    "Retained-both item published as settled",
    "Tampered audit log",
    "Unknown status silently defaulted",
    "Partial strength coverage adopted",
    "Decision lost on concurrent import",
    "Formula injection from an input cell",
    "Wrong chapter's workbook imported",
    "Strengths dropped after a decision",
)


def hazards() -> dict[str, str]:
    """``{heading: body}`` for every ``## Hnn`` section."""
    parts = re.split(r"^## (H\d\d .+)$", LOG.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@cache
def defined_tests(file: str) -> set[str]:
    """``name`` and ``Class::name`` of every test function in a test file."""
    tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {
                f"{node.name}::{f.name}"
                for f in node.body
                if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.name.startswith("test")
            }
    return names


def test_the_log_covers_every_required_hazard() -> None:
    titles = [heading.split(" ", 1)[1] for heading in hazards()]
    assert [r for r in REQUIRED if r not in titles] == []
    assert len(titles) == len(set(titles)) and len(titles) >= len(REQUIRED)


@pytest.mark.parametrize("heading", list(hazards()))
def test_each_hazard_has_every_field_and_at_least_one_test(heading: str) -> None:
    body = hazards()[heading]
    missing = [name for name in FIELDS if f"**{name}:**" not in body]
    assert missing == [], f"{heading}: missing {missing}"
    severity = re.search(r"\*\*Severity:\*\* (\w+)", body)
    likelihood = re.search(r"\*\*Likelihood:\*\* ([\w ]+?)\.", body)
    assert severity and severity.group(1) in SEVERITIES, heading
    assert likelihood and likelihood.group(1) in LIKELIHOODS, heading
    assert TEST_REF.search(body.split("**Tests:**", 1)[1]), f"{heading}: names no test"


def test_every_test_the_log_names_exists() -> None:
    refs = TEST_REF.findall(LOG.read_text(encoding="utf-8"))
    assert len(refs) >= 40
    missing = [
        f"{file}::{name}" for file, name in refs if not (ROOT / file).is_file() or name not in defined_tests(file)
    ]
    assert missing == []


def test_a_misspelt_test_name_would_be_caught() -> None:
    assert "test_partial_strength_coverage_is_never_adopted" in defined_tests("tests/merge/test_chapter.py")
    assert "test_partial_strength_coverage_is_never_adoptd" not in defined_tests("tests/merge/test_chapter.py")
