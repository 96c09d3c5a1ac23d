"""The API's docs stay honest: docs/api.md is generated from the table definitions, and the README's notebook
example runs on the bundled example workspace and gives what it says."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from harmonise.api.doc import render_reference

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_tables_reference_is_up_to_date() -> None:
    assert (ROOT / "docs" / "api.md").read_text(encoding="utf-8") == render_reference(), (
        "run: python -m harmonise.api.doc > docs/api.md"
    )


def readme_example() -> str:
    section = README.split("## Tables for analysts: the pandas API", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"```python\n(.+?)\n```", section, re.S)
    return code


def test_the_readme_notebook_example_runs_on_the_bundled_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("harmonise.yaml", "chapters", "rules"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    names: dict[str, object] = {}
    exec(compile(readme_example(), "README.md", "exec"), names)
    by_rule, outcomes, changed = names["by_rule"], names["outcomes"], names["changed"]
    assert isinstance(by_rule, pd.Series) and isinstance(outcomes, pd.DataFrame)
    assert by_rule.sum() == len(outcomes) > 50 and "R5" in by_rule.index
    assert isinstance(changed, pd.DataFrame) and set(changed.columns) >= {"name", "status", "status_harmonised"}
    assert isinstance(names["events"], pd.DataFrame) and os.getcwd() == str(tmp_path)
