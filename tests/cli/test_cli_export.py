"""``harmonise export`` through the CLI: the files written, what it says, and the JSON equal to the library's."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from api_fixtures import decided_workspace, read_csv_table
from typer.testing import CliRunner

from harmonise import api
from harmonise.cli import app


def invoke(root: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--workspace", str(root), "export", *args])


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return decided_workspace(tmp_path_factory.mktemp("cli-export"))


def test_export_writes_every_table_of_the_chapter(root: Path) -> None:
    result = invoke(root, "--chapter", "2")
    assert result.exit_code == 0, result.output
    folder = root / "reports" / "export" / "02-cardiovascular"
    assert "Wrote 5 file(s)" in result.output and "02-cardiovascular/outcomes.csv" in result.output
    frames = api.load(root)
    for table in api.TABLES:
        pd.testing.assert_frame_equal(read_csv_table(folder / f"{table}.csv", table), frames.table(table, 2))


def test_json_lists_what_the_library_wrote(root: Path, tmp_path: Path) -> None:
    result = invoke(root, "-c", "2", "--format", "xlsx", "--table", "decisions", "--out", str(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {
            "chapter": "2",
            "table": "decisions",
            "rows": len(api.load(root).decisions(2)),
            "path": str(tmp_path / "02-cardiovascular" / "decisions.xlsx"),
        }
    ]


def test_parquet_without_pyarrow_is_an_input_error(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a))
    result = invoke(root, "-c", "2", "-f", "parquet")
    assert result.exit_code == 2 and "harmonise[parquet]" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (("-c", "2", "-f", "ods"), "unknown format 'ods'"),
        (("-c", "2", "-t", "entry"), "unknown table 'entry'; the tables are entries, items"),
        (("-c", "19"), "unknown chapter '19'"),
        ((), "say which chapter"),
    ],
)
def test_bad_options_exit_2_with_a_message(root: Path, args: tuple[str, ...], message: str) -> None:
    result = invoke(root, *args)
    assert result.exit_code == 2 and message in " ".join(result.output.split()), result.output
