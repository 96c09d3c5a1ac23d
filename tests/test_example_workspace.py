"""The bundled example workspace: its config loads, its files are what ``tools/make_example.py`` writes,
and its data holds exactly the deliberate problems that ``chapters/README.md`` lists."""

from __future__ import annotations

import csv
import importlib.util
import io
import re
import sys
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest

from harmonise.sources.load import load_chapter
from harmonise.workspace.config import load_workspace

ROOT = Path(__file__).resolve().parent.parent
CHAPTER_SLUGS = ("02-cardiovascular", "04-central-nervous-system", "06-endocrine")
DELIBERATE = {("chapters/04-central-nervous-system/cheshire.xlsx", "Sheet1", 45, "Status", "Ambr SCG")}


def _make_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_example", ROOT / "tools" / "make_example.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


make_example = _make_example()


def read_values(path: Path) -> dict[str, list[list[object]]]:
    """Cell values of every sheet (a CSV is one sheet), as lists of rows."""
    if path.suffix == ".csv":
        text = path.read_bytes().decode("cp1252")
        return {"": [list(row) for row in csv.reader(io.StringIO(text, newline=""))]}
    workbook = openpyxl.load_workbook(path, read_only=False)
    values = {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in workbook.worksheets}
    values["<merged>"] = [sorted(str(r) for ws in workbook.worksheets for r in ws.merged_cells.ranges)]
    return values


def columns_of(sheet) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Where the drug name and the status are in a sheet's rows (Wirral's export has neither a section
    column nor a separate formulation column)."""
    return (0, 1) if sheet.source == "wirral" else (1, 3)


def test_the_config_loads_with_its_sources() -> None:
    workspace = load_workspace(ROOT)
    assert workspace.source_keys == ("cheshire", "merseyside", "wirral")
    assert tuple(c.slug for c in workspace.chapters_present()) == CHAPTER_SLUGS
    chapter_sources = {c.slug: tuple(s.key for s in workspace.sources_for(c)) for c in workspace.chapters_present()}
    assert chapter_sources == {
        "02-cardiovascular": ("cheshire", "merseyside"),
        "04-central-nervous-system": ("cheshire", "merseyside"),
        "06-endocrine": ("cheshire", "merseyside", "wirral"),
    }


@pytest.mark.parametrize("slug", CHAPTER_SLUGS)
def test_each_chapter_has_one_file_per_source(slug: str) -> None:
    folder = ROOT / "chapters" / slug
    workspace = load_workspace(ROOT)
    for source in workspace.sources_for(workspace.chapter(slug)):
        assert len(list(folder.glob(source.file))) == 1, f"{slug}: {source.file}"


def test_regenerating_gives_the_committed_files(tmp_path: Path) -> None:
    written = make_example.write_example(tmp_path)
    assert len(written) == 7
    for path in written:
        committed = ROOT / "chapters" / path.relative_to(tmp_path)
        assert committed.is_file(), f"{committed} is not committed; run tools/make_example.py"
        assert read_values(path) == read_values(committed), f"{committed} differs from tools/make_example.py"


def test_regenerating_is_byte_for_byte_stable(tmp_path: Path) -> None:
    first = [p.read_bytes() for p in make_example.write_example(tmp_path / "a")]
    second = [p.read_bytes() for p in make_example.write_example(tmp_path / "b")]
    assert first == second


@pytest.mark.parametrize("sheet", make_example.example_sheets(), ids=lambda s: f"{s.chapter}/{s.file_name}")
def test_each_source_has_100_to_300_clean_rows(sheet) -> None:  # type: ignore[no-untyped-def]
    drug, status = columns_of(sheet)
    data = [r for r in sheet.rows[sheet.header_row :] if r[drug]]
    assert 100 <= len(data) <= 300
    assert all(r[status] and str(r[status]).strip() for r in data), "blank status"
    products = [tuple(" ".join(str(v or "").split()).casefold() for v in r[drug:status]) for r in data]
    assert len(products) == len(set(products)), "duplicate product rows"


def test_only_the_deliberate_status_word_is_unknown() -> None:
    workspace = load_workspace(ROOT)
    unknown = set()
    for sheet in make_example.example_sheets():
        source = workspace.source(sheet.source)
        drug, status = columns_of(sheet)
        for number, row in enumerate(sheet.rows, start=1):
            if number > sheet.header_row and row[drug] and source.status_of(str(row[status])) is None:
                path = f"chapters/{sheet.chapter}/{sheet.file_name}"
                unknown.add((path, sheet.sheet_name, number, "Status", row[status]))
    assert unknown == DELIBERATE


def test_check_finds_exactly_the_deliberate_problems() -> None:
    workspace = load_workspace(ROOT)
    found = set()
    for chapter in workspace.chapters_present():
        loaded = load_chapter(workspace, chapter)
        assert len(loaded.files) == len(workspace.sources_for(chapter))
        found |= {(f.file, f.sheet, f.row, f.column, f.value) for f in loaded.findings}
    assert found == DELIBERATE


def test_the_readme_lists_the_deliberate_problems() -> None:
    readme = (ROOT / "chapters" / "README.md").read_text(encoding="utf-8")
    for file, sheet, row, column, value in DELIBERATE:
        line = next(ln for ln in readme.splitlines() if file in ln)
        assert re.search(rf"\b{row}\b", line) and sheet in line and column in line and value in line
