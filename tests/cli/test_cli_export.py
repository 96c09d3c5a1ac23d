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
from harmonise.audit import AuditLog
from harmonise.cli import app
from harmonise.output import sha256_file


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
        expected = frames.table(table, 2)
        if table == "audit":  # the export's own event is logged after its files are written
            assert expected["kind"].iloc[-1] == "export"
            expected = expected.iloc[:-1]
        pd.testing.assert_frame_equal(read_csv_table(folder / f"{table}.csv", table), expected)


def test_an_export_is_recorded_in_the_audit_log_with_each_file_and_who_ran_it(root: Path, tmp_path: Path) -> None:
    args = ["--workspace", str(root), "--user", "J Bloggs", "export", "-c", "2", "-f", "xlsx", "--out", str(tmp_path)]
    result = CliRunner().invoke(app, [*args, "--table", "outcomes", "--table", "items"])
    assert result.exit_code == 0, result.output
    log = AuditLog(root / "reports" / "audit.jsonl")
    event = log.read()[-1]
    folder = tmp_path / "02-cardiovascular"
    assert (event.kind, event.user) == ("export", "J Bloggs") and log.verify().ok
    assert event.data == {
        "chapter": "02-cardiovascular",
        "number": "2",
        "format": "xlsx",
        "tables": ["items", "outcomes"],
        "folder": folder.as_posix(),  # outside the workspace: named in full
        "files": {name: sha256_file(folder / name) for name in ("items.xlsx", "outcomes.xlsx")},
        "rows": {"items": len(api.load(root).items(2)), "outcomes": len(api.load(root).outcomes(2))},
    }
    why = CliRunner().invoke(app, ["--workspace", str(root), "audit", "verify"])
    assert why.exit_code == 0, why.output


def test_two_exports_differ_only_by_the_first_ones_event(root: Path, tmp_path: Path) -> None:
    for out in ("one", "two"):
        assert invoke(root, "--chapter", "2", "--out", str(tmp_path / out)).exit_code == 0
    one, two = (tmp_path / out / "02-cardiovascular" for out in ("one", "two"))
    for table in api.TABLES:
        if table != "audit":
            assert (one / f"{table}.csv").read_bytes() == (two / f"{table}.csv").read_bytes(), table
    first, second = (read_csv_table(folder / "audit.csv", "audit") for folder in (one, two))
    pd.testing.assert_frame_equal(second.iloc[: len(first)], first)
    (added,) = second.iloc[len(first) :].itertuples()
    assert added.kind == "export" and json.loads(added.data)["folder"] == one.as_posix()


def test_an_export_writes_nothing_when_the_audit_log_does_not_verify(tmp_path: Path) -> None:
    root = decided_workspace(tmp_path / "ws")
    log = root / "reports" / "audit.jsonl"
    log.write_bytes(b"".join(log.read_bytes().splitlines(keepends=True)[:-1]))  # the last event removed
    result = invoke(root, "-c", "2")
    assert result.exit_code == 2 and "does not verify" in " ".join(result.output.split()), result.output
    assert not (root / "reports" / "export").exists()


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
