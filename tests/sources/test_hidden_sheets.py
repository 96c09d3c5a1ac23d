"""Issue 13 item 5: hidden and very hidden sheets are not read unless harmonise.yaml names them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MERSEY_HEADER
from merge_fixtures import small_chapter
from openpyxl import load_workbook

from harmonise.sources.load import load_chapter
from harmonise.workspace.config import load_workspace

MERSEY = "chapters/02-cardiovascular/merseyside.xlsx"


def hide_a_sheet(root: Path, state: str) -> None:
    """Add to Merseyside's workbook a hidden sheet of old rows, as an export left them."""
    workbook = load_workbook(root / MERSEY)
    old = workbook.create_sheet("Old 2019")
    for row in (
        MERSEY_HEADER,
        ["02.05", "Doxazosin", "Tabs 4 mg", "Green"],
        ["02.05", "Moxonidine", "Tabs 200 mcg", "Green"],
    ):
        old.append(row)
    old.sheet_state = state
    workbook.save(root / MERSEY)


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_is_skipped_with_a_located_warning(tmp_path: Path, state: str) -> None:
    root = small_chapter(tmp_path / "ws")
    hide_a_sheet(root, state)
    workspace = load_workspace(root)
    loaded = load_chapter(workspace, workspace.chapter("2"))
    names = {e.name for e in loaded.entries_of("merseyside")}
    assert "Doxazosin" not in names and "AMLODIPINE" in names
    [finding] = [f for f in loaded.findings if f.kind == "hidden-sheet"]
    assert finding.severity == "warning" and finding.file == MERSEY and finding.sheet == "Old 2019"
    word = "hidden" if state == "hidden" else "very hidden"
    assert f"the {word} sheet 'Old 2019' has the source's header but was skipped" in finding.message
    assert "'sheet: Old 2019'" in finding.message


def test_a_hidden_sheet_named_in_the_config_is_read(tmp_path: Path) -> None:
    root = small_chapter(tmp_path / "ws")
    hide_a_sheet(root, "hidden")
    config = (root / "harmonise.yaml").read_text(encoding="utf-8")
    named = config.replace('    file: "merseyside.*"\n', '    file: "merseyside.*"\n    sheet: Old 2019\n')
    (root / "harmonise.yaml").write_text(named, encoding="utf-8")
    workspace = load_workspace(root)
    loaded = load_chapter(workspace, workspace.chapter("2"))
    assert {e.name for e in loaded.entries_of("merseyside")} == {"Doxazosin", "Moxonidine"}
    assert not [f for f in loaded.findings if f.kind == "hidden-sheet"]
