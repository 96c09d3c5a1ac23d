"""``export_tables``: the API's frames written as CSV, xlsx and Parquet, read back equal, reproducible, inert."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest
from api_fixtures import decided_workspace, read_csv_table
from bad_files import raw_xlsx
from conftest import CHESHIRE_HEADER, MERSEY_HEADER
from openpyxl import load_workbook

from harmonise import api
from harmonise.api import TABLES
from harmonise.api.columns import TIME
from harmonise.errors import InputError
from harmonise.output.xlsx import FORMULA_STARTS

LINK = '=HYPERLINK("http://x","click")'


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> api.Frames:
    return api.load(decided_workspace(tmp_path_factory.mktemp("export")))


def export(frames: api.Frames, file_format: str, out: Path, *tables: str) -> list[api.Exported]:
    return api.export_tables(frames, [frames.workspace.chapter("2")], file_format, tables, out)


def test_csv_reads_back_as_the_frames(frames: api.Frames, tmp_path: Path) -> None:
    written = export(frames, "csv", tmp_path)
    assert [(w.table, w.path) for w in written] == [(t, tmp_path / "02-cardiovascular" / f"{t}.csv") for t in TABLES]
    for w in written:
        pd.testing.assert_frame_equal(read_csv_table(w.path, w.table), frames.table(w.table, 2))
        assert w.rows == len(frames.table(w.table, 2))


@pytest.mark.skipif(importlib.util.find_spec("pyarrow") is None, reason="pyarrow is not installed")
def test_parquet_keeps_the_dtypes(frames: api.Frames, tmp_path: Path) -> None:
    for w in export(frames, "parquet", tmp_path):
        pd.testing.assert_frame_equal(pd.read_parquet(w.path), frames.table(w.table, 2))


def test_xlsx_holds_the_same_values_with_times_in_utc(frames: api.Frames, tmp_path: Path) -> None:
    (written,) = export(frames, "xlsx", tmp_path, "decisions")
    sheet = load_workbook(written.path)["decisions"]
    rows = list(sheet.iter_rows(values_only=True))
    expected = frames.decisions(2)
    assert list(rows[0]) == list(expected.columns) and len(rows) == len(expected) + 1
    for row, (_, want) in zip(rows[1:], expected.iterrows(), strict=True):
        for column, value in zip(expected.columns, row, strict=True):
            if TABLES["decisions"].columns[list(expected.columns).index(column)].dtype == TIME:
                assert value == want[column].tz_convert("UTC").tz_localize(None).to_pydatetime()
            elif pd.isna(want[column]):
                assert value is None
            else:
                assert value == want[column], column


def test_only_the_tables_asked_for_in_their_documented_order(frames: api.Frames, tmp_path: Path) -> None:
    written = export(frames, "csv", tmp_path, "audit", "items")
    assert [w.table for w in written] == ["items", "audit"]
    assert sorted(p.name for p in (tmp_path / "02-cardiovascular").iterdir()) == ["audit.csv", "items.csv"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_two_exports_are_byte_identical(frames: api.Frames, tmp_path: Path, file_format: str) -> None:
    first = [w.path.read_bytes() for w in export(frames, file_format, tmp_path / "one")]
    second = [w.path.read_bytes() for w in export(frames, file_format, tmp_path / "two")]
    assert first == second


def test_the_default_folder_is_reports_export(frames: api.Frames) -> None:
    (written,) = api.export_tables(frames, [frames.workspace.chapter("2")], "csv", ["outcomes"])
    assert written.path == frames.workspace.root / "reports" / "export" / "02-cardiovascular" / "outcomes.csv"


def test_parquet_without_pyarrow_says_how_to_get_it(
    frames: api.Frames, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a))
    with pytest.raises(InputError, match=r"pip install 'harmonise\[parquet\]'.*nothing was written"):
        export(frames, "parquet", tmp_path)
    assert not tmp_path.joinpath("02-cardiovascular").exists()


@pytest.mark.parametrize(
    "file_format, tables, message",
    [("pdf", (), "unknown format 'pdf'; use one of csv, xlsx, parquet"), ("csv", ("outcome",), "unknown table")],
)
def test_a_bad_request_writes_nothing(
    frames: api.Frames, tmp_path: Path, file_format: str, tables: tuple[str, ...], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        export(frames, file_format, tmp_path, *tables)
    assert not any(tmp_path.iterdir())


def test_formula_like_legacy_text_stays_inert(tmp_path: Path) -> None:
    root = decided_workspace(tmp_path)
    raw_xlsx(
        root / "chapters/02-cardiovascular/cheshire.xlsx",
        {"Sheet1": [CHESHIRE_HEADER, ["02.08", LINK, "Tablets 1mg", "Green", "", "F", "@SUM(A1)", "", "C2"]]},
    )
    raw_xlsx(
        root / "chapters/02-cardiovascular/merseyside.xlsx",
        {"Sheet1": [MERSEY_HEADER, ["02.03", "+Amiodarone", "Tablets 100mg", "Red", "-1+2", ""]]},
    )
    frames = api.load(root)
    assert LINK in set(frames.entries(2)["name"])
    for w in export(frames, "csv", tmp_path / "out", "entries"):
        text = w.path.read_text("utf-8")
        assert f"'{LINK}".replace('"', '""') in text and "'+Amiodarone" in text and "'@SUM(A1)" in text
    (book,) = export(frames, "xlsx", tmp_path / "out", "entries")
    cells = [c for row in load_workbook(book.path)["entries"].iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert {c.value for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA_STARTS)} >= {
        LINK,
        "+Amiodarone",
    }


def test_a_folder_outside_the_workspace_is_the_users_own(
    frames: api.Frames, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "analysis").mkdir()
    monkeypatch.chdir(tmp_path)
    (written,) = export(frames, "csv", Path("analysis"), "items")
    assert written.path == tmp_path / "analysis" / "02-cardiovascular" / "items.csv" and written.path.is_file()


def test_a_linked_export_folder_inside_the_workspace_is_refused(tmp_path: Path) -> None:
    frames = api.load(decided_workspace(tmp_path / "one"))
    elsewhere = tmp_path / "someone-elses"
    elsewhere.mkdir()
    (frames.workspace.root / "reports" / "export").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(InputError, match="reports/export is a symbolic link"):
        api.export_tables(frames, [frames.workspace.chapter("2")], "csv", ["items"])
    assert not any(elsewhere.iterdir())
