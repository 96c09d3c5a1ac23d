"""The Print sheets (issue 15): beside the draft's Harmonised sheet and the working-group workbook's Decisions
sheet, a sheet with the columns a reader needs on paper, narrow enough to print at a readable size; the screen
sheets are unchanged, and what the group types on the Decisions sheet is still what the import reads (the Print
sheet leaves room to write by hand and takes no typing). How it prints is checked in LibreOffice by
``test_libreoffice.py``."""

from __future__ import annotations

from pathlib import Path

import pytest
from merge_fixtures import CH02, small_chapter
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from review_fixtures import DECIDED, WORKBOOK, chapter_workspace, fill, merge, rows, workspace_of

from harmonise.review.importer import import_decisions

DRAFT = f"{CH02}/harmonised-draft.xlsx"
# a landscape A4 page holds about 135 characters of Arial 10 at full size: 165 prints at 80% (8 points) or more
MOST_CHARACTERS = 165


def print_sheet(path: Path) -> Worksheet:
    return load_workbook(path)["Print"]


def table(sheet: Worksheet) -> list[dict[str, object]]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def total_width(sheet: Worksheet) -> float:
    return sum(d.width * ((d.max or 0) - (d.min or 0) + 1) for d in sheet.column_dimensions.values())


def test_the_draft_prints_each_item_with_every_position_outcome_and_rule(tmp_path: Path) -> None:
    root = small_chapter(tmp_path / "ws", three=True)
    run = merge(root)
    sheet = print_sheet(root / DRAFT)
    assert load_workbook(root / DRAFT).sheetnames == ["Harmonised", "Print", "Summary", "Rules"]
    head = [c.value for c in sheet[1]]
    assert head == ["Section", "Item", "Legacy positions", "Outcome", "Harmonised status", "Decided by", "Rationale"]
    assert total_width(sheet) <= MOST_CHARACTERS and sheet.print_title_rows == "$1:$1"
    printed = table(sheet)
    assert [r["Item"] for r in printed] == [r.item.name for r in run.chapters[0].results]  # the screen's order
    amlodipine = next(r for r in printed if r["Item"] == "Amlodipine Tablets 5mg")
    assert str(amlodipine["Legacy positions"]).splitlines() == [
        "Cheshire: Amlodipine Tablets 5mg: Green",
        "Cheshire: Amlodipine Tablets 10mg: Green",  # each line says whose it is
        "Merseyside: AMLODIPINE Tabs 5 mg, 10 mg: Green",
        "Wirral: Amlodipine 5mg tablets: Formulary (Green)",
    ]
    ticagrelor = next(r for r in printed if str(r["Item"]).lower().startswith("ticagrelor"))
    assert str(ticagrelor["Legacy positions"]).startswith("Cheshire: not listed (non-formulary there)\n")
    decided = [r for r in printed if r["Harmonised status"]]
    assert decided and all(str(r["Rationale"]).startswith(f"{r['Decided by']} ") for r in decided)
    # the screen sheet is as it was: every column, the item kept in view
    screen = load_workbook(root / DRAFT)["Harmonised"]
    assert screen.freeze_panes == "C2" and screen.max_column > 30


def test_the_working_group_prints_each_row_with_room_for_the_decision(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    merge(root)
    workbook = load_workbook(root / WORKBOOK)
    sheet = workbook["Print"]
    visible = [s.title for s in workbook.worksheets if s.sheet_state == "visible"]
    assert visible == ["Instructions", "Decisions", "Print"]
    assert [c.value for c in sheet[1]] == [
        "No.",
        "Item",
        "Legacy positions",
        "Why escalated",
        "Candidate matches",
        "Decision (write in)",
        "Rationale (write in)",
    ]
    assert total_width(sheet) <= MOST_CHARACTERS and sheet.protection.sheet  # nothing is typed here
    printed, decisions = table(sheet), rows(root / WORKBOOK)
    assert [(r["No."], r["Item"]) for r in printed] == [(r["No."], r["Item"]) for r in decisions]
    doxazosin = next(r for r in printed if r["Item"] == "Doxazosin 4mg tablets")
    assert str(doxazosin["Candidate matches"]).startswith("1. Doxazosin MR Tablets 4mg (Merseyside: Green), score ")
    assert "differs: release differs" in str(doxazosin["Candidate matches"])  # why the matcher held them apart
    ramipril = next(r for r in printed if str(r["Item"]).startswith("Ramipril"))
    assert ramipril["Legacy positions"] == (
        "Cheshire: Ramipril Capsules 2.5mg: Green\nMerseyside: Ramipril Capsules 2.5mg: Amber Recommended"
    )
    assert ramipril["Why escalated"] == next(r for r in decisions if r["Item"] == ramipril["Item"])["Why escalated"]
    # the Decisions sheet is as it was: frozen item and positions, yellow inputs, drop-downs, protection
    screen = workbook["Decisions"]
    assert screen.freeze_panes == "F2" and screen.protection.sheet and screen.data_validations.dataValidation


def test_the_print_sheet_leaves_the_decision_to_write_and_nothing_to_type(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    merge(root)
    sheet = print_sheet(root / WORKBOOK)
    assert [c.value for c in sheet[1]][-2:] == ["Decision (write in)", "Rationale (write in)"]
    assert sheet.protection.sheet and all(cell.protection.locked for row in sheet.iter_rows() for cell in row)
    assert all(row[-2:] == (None, None) for row in sheet.iter_rows(min_row=2, values_only=True))
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]  # no formula, as everywhere


def test_decisions_typed_beside_the_print_sheet_are_imported_as_before(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    merge(root)
    report = import_decisions(workspace_of(root), fill(root / WORKBOOK, DECIDED), "alice")
    assert report.ok and len(report.recorded) == len(DECIDED), report.rejected
    rerun = merge(root)
    settled = {r.item.name.split()[0]: r.outcome for r in rerun.chapters[0].results}
    assert settled["Ramipril"].status == "amber-recommended" and settled["Ramipril"].decided_by == "working-group"
    # decided items leave the workbook; the Print sheet follows the Decisions sheet
    left = [r["Item"] for r in rows(root / WORKBOOK)]
    assert [r["Item"] for r in table(print_sheet(root / WORKBOOK))] == left and "Ramipril" not in " ".join(left)


@pytest.mark.parametrize("three", [False, True])
def test_legacy_positions_name_every_formulary_however_many(tmp_path: Path, three: bool) -> None:
    root = small_chapter(tmp_path / "ws", three=three)
    merge(root)
    names = ["Cheshire", "Merseyside", *(["Wirral"] if three else [])]
    for path in (root / DRAFT, root / WORKBOOK):
        for printed in table(print_sheet(path)):
            whose = [line.split(": ")[0] for line in str(printed["Legacy positions"]).splitlines()]
            assert list(dict.fromkeys(whose)) == names and set(whose) == set(names), printed
