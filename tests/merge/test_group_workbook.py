"""The working-group workbook: what a pharmacist sees and may type, and what it carries for the import.

Also home of the builders the decisions tests share: a small chapter, a merge, and filling in the workbook
with openpyxl the way a working-group member would.
"""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook
from review_fixtures import WORKBOOK, chapter_workspace, merge, rows

from harmonise.review.layout import DECISION_COLUMNS, KEY_COLUMN, sign_items
from harmonise.workspace import key_id, read_key

ESCALATED = (
    "Atorvastatin",
    "Bisoprolol",
    "Clopidogrel 75mg tablets",  # shown by its current BNF name
    "Clopidogrel (Plavix)",  # a brand the formulary names: its own name
    "Digoxin",
    "Doxazosin 4mg tablets",
    "Doxazosin 4mg modified-release",
    "Ramipril",
)


def test_one_row_per_escalated_item_with_positions_reason_and_candidates(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    result = merge(root)
    table = rows(root / WORKBOOK)
    assert sorted(r["Item"] for r in table) == sorted(
        r.item.name for r in result.chapters[0].results if r.outcome.kind == "escalate"
    )
    assert all(any(r["Item"].startswith(n) for r in table) for n in ESCALATED)
    ramipril = next(r for r in table if r["Item"].startswith("Ramipril"))
    assert ramipril["Cheshire position"] == "Ramipril Capsules 2.5mg: Green"
    assert ramipril["Merseyside position"] == "Ramipril Capsules 2.5mg: Amber Recommended"
    assert ramipril["Why escalated"].startswith("R8 ")
    atorvastatin = next(r for r in table if r["Item"].startswith("Atorvastatin"))
    assert atorvastatin["Merseyside position"] == "not listed (non-formulary there)"
    clopidogrel = next(r for r in table if r["Item"] == "Clopidogrel 75mg tablets")
    assert clopidogrel["Candidate 1"].startswith("Clopidogrel (Plavix) Tabs 75mg (Merseyside: Green), score ")
    assert clopidogrel["Candidate 2"] is None
    keys = {r.item.name: r.item.key for r in result.chapters[0].results}
    assert all(r[KEY_COLUMN] == keys[r["Item"]] for r in table)
    assert list(table[0])[-1] == KEY_COLUMN


def test_only_the_decision_columns_can_be_edited(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    merge(root)
    workbook = load_workbook(root / WORKBOOK)
    sheet = workbook["Decisions"]
    head = [c.value for c in sheet[1]]
    assert sheet.protection.sheet and not sheet.protection.password
    for cell in sheet[2]:
        assert cell.protection.locked == (head[cell.column - 1] not in DECISION_COLUMNS), head[cell.column - 1]
    assert workbook.security.lockStructure
    assert workbook.sheetnames[0] == "Instructions"
    assert {name: workbook[name].sheet_state for name in ("Lists", "Items", "About")} == dict.fromkeys(
        ("Lists", "Items", "About"), "hidden"
    )


def test_drop_downs_offer_the_decisions_and_the_common_scale(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    merge(root)
    workbook = load_workbook(root / WORKBOOK)
    sheet = workbook["Decisions"]
    head = [c.value for c in sheet[1]]
    by_column = {}
    for validation in sheet.data_validations.dataValidation:
        column = head[next(iter(validation.sqref.ranges)).min_col - 1]
        by_column[column] = validation
    assert by_column["Decision"].type == by_column["Harmonised status"].type == "list"
    assert by_column["Which candidate (1-3)"].type == "whole"
    assert by_column["Meeting date"].type == "date"
    lists = [r for r in load_workbook(root / WORKBOOK)["Lists"].iter_rows(min_row=2, values_only=True)]
    words = [w for w, _ in lists if w]
    assert words == [
        "adopt status",
        "adopt Cheshire position",
        "adopt Merseyside position",
        "include",
        "exclude",
        "retain both",
        "defer",
        "confirm match",
        "confirm despite difference",
        "reject match",
    ]
    assert [s for _, s in lists if s][:2] == ["Green", "Amber recommended"]
    assert by_column["Decision"].formula1 == f"Lists!$A$2:$A${len(words) + 1}"


def test_about_sheet_names_the_chapter_and_signs_the_items(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    merge(root)
    about = {r["What"]: r["Value"] for r in rows(root / WORKBOOK, "About")}
    items = [[str(v) for v in r.values()] for r in rows(root / WORKBOOK, "Items")]
    key = read_key(root) or b""
    assert about["Chapter"] == "02-cardiovascular" and about["Key id"] == key_id(key)
    assert about["Signature"] == sign_items(key, "02-cardiovascular", about["Run"], about["Columns"], items)
    assert about["Protection"] == "no password"
    hidden = next(r for r in rows(root / WORKBOOK, "Items") if r["Item"] == "Clopidogrel 75mg tablets")
    assert [e["source"] for e in json.loads(hidden["Entries"])] == ["cheshire"]
    assert [e["name"] for e in json.loads(hidden["Candidates"])] == ["Clopidogrel (Plavix)"]


def test_instructions_explain_every_decision_word(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    merge(root)
    text = "\n".join(
        str(r[0]) for r in load_workbook(root / WORKBOOK)["Instructions"].iter_rows(values_only=True) if r[0]
    )
    assert "8 items need a decision" in text
    for word in ("adopt status:", "adopt Cheshire position:", "confirm match:", "reject match:", "defer:"):
        assert word in text
    assert "without a password" in text
