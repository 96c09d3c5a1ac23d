"""``harmonise decisions import`` and ``minutes`` through the CLI: exit codes and the messages people read."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from review_fixtures import WORKBOOK, chapter_workspace, fill, merge
from typer.testing import CliRunner

from harmonise.cli import app

runner = CliRunner()
MEETING = dt.date(2024, 3, 12)
REGISTER = "decisions/02-cardiovascular.yaml"
GOOD = {
    "Decision": "adopt status",
    "Harmonised status": "Amber recommended",
    "Rationale": "Safe in primary care",
    "Meeting date": MEETING,
    "Decided by": "Dr Shah",
}


def invoke(root: Path, *args: str) -> Any:
    return runner.invoke(app, ["--workspace", str(root), "--user", "alice", "decisions", *args])


@pytest.fixture
def merged(tmp_path: Path) -> Path:
    root = chapter_workspace(tmp_path)
    merge(root)
    return root


def test_import_records_decisions_and_says_what(merged: Path) -> None:
    fill(
        merged / WORKBOOK,
        {
            "Ramipril": GOOD,
            "Bisoprolol": {"Decision": "defer", "Meeting date": "12/03/2024", "Decided by": "Dr Shah"},
        },
    )
    result = invoke(merged, "import", str(merged / WORKBOOK))
    assert result.exit_code == 0, result.output
    assert "2 recorded:" in result.output
    assert "Ramipril 2.5mg capsules: adopt status Amber recommended (meeting 2024-03-12, Dr Shah)" in _flat(
        result.output
    )
    assert "6 rows without a decision, skipped" in _flat(result.output)
    register = (merged / REGISTER).read_text(encoding="utf-8")
    assert "decision: adopt-status" in register and "status: amber-recommended" in register
    assert "rationale: Safe in primary care" in register and "imported_by: alice" in register


def test_importing_the_same_file_twice_changes_nothing(merged: Path) -> None:
    fill(merged / WORKBOOK, {"Ramipril": GOOD})
    assert invoke(merged, "import", str(merged / WORKBOOK)).exit_code == 0
    register = (merged / REGISTER).read_bytes()
    log = (merged / "reports/audit.jsonl").read_bytes()
    again = invoke(merged, "import", str(merged / WORKBOOK))
    assert again.exit_code == 0
    assert "1 already recorded, skipped" in _flat(again.output)
    assert (merged / REGISTER).read_bytes() == register
    assert (merged / "reports/audit.jsonl").read_bytes() == log


BAD_ROWS = [
    (
        {"Decision": "adpot status"},
        "Decision",
        "'adpot status' is not a decision (did you mean adopt status?)",
    ),
    ({"Harmonised status": None}, "Harmonised status", "'adopt status' needs a harmonised status"),
    ({"Harmonised status": "Ambre"}, "Harmonised status", "'Ambre' is not a status on the common scale"),
    (
        {"Meeting date": "next Tuesday"},
        "Meeting date",
        "'next Tuesday' is not a date; write it as YYYY-MM-DD",
    ),
    ({"Meeting date": dt.date.today() + dt.timedelta(days=30)}, "Meeting date", "is in the future"),
    ({"Meeting date": None}, "Meeting date", "the meeting date is required"),
    ({"Rationale": None}, "Rationale", "a rationale is required"),
    ({"Decided by": " "}, "Decided by", "say who decided"),
    ({"Decision": "exclude"}, "Harmonised status", "a harmonised status only goes with 'adopt status'"),
    (
        {"Which candidate (1-3)": 2},
        "Which candidate (1-3)",
        "a candidate number only goes with 'confirm match', 'confirm despite difference' or 'reject match'",
    ),
    ({"Decision": None}, "Decision", "no decision chosen, but other yellow columns are filled"),
    ({"Item key": "0123456789abcdef"}, "Item key", "'0123456789abcdef' is not an item of this workbook"),
    ({"Merseyside position": "Ramipril: Green"}, "Merseyside position", "this protected column was changed"),
]


@pytest.mark.parametrize(("change", "column", "message"), BAD_ROWS, ids=[c for _, c, _ in BAD_ROWS])
def test_bad_row_is_rejected_with_its_location_and_good_rows_are_kept(
    merged: Path, change: dict[str, Any], column: str, message: str
) -> None:
    fill(merged / WORKBOOK, {"Ramipril": {**GOOD, **change}, "Bisoprolol": {**GOOD, "Rationale": "agreed"}})
    row = next(
        i
        for i, r in enumerate(load_workbook(merged / WORKBOOK)["Decisions"].iter_rows(values_only=True), start=1)
        if str(r[2]).startswith("Ramipril")
    )
    result = invoke(merged, "import", str(merged / WORKBOOK))
    assert result.exit_code == 1, result.output
    where = f"reports/02-cardiovascular/working-group.xlsx[Decisions] row {row}, column '{column}': "
    assert where in _flat(result.output)
    assert message in _flat(result.output)
    assert "1 recorded:" in result.output and "Bisoprolol" in (merged / REGISTER).read_text(encoding="utf-8")
    assert "Ramipril" not in (merged / REGISTER).read_text(encoding="utf-8")


def _flat(text: str) -> str:
    """Rich wraps long lines in the test terminal; compare with the wrapping undone."""
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("start", "change", "column", "message"),
    [
        (
            "Atorvastatin",
            {"Decision": "adopt Merseyside position", "Harmonised status": None},
            "Decision",
            "Merseyside does not list this item; choose 'exclude' or 'adopt status'",
        ),
        (
            "Ramipril",
            {"Decision": "adopt Cheshire position", "Harmonised status": "Red"},
            "Harmonised status",
            "the status given differs from Cheshire's position (Green); leave it blank",
        ),
        (
            "Ramipril",
            {"Decision": "confirm match", "Harmonised status": None},
            "Decision",
            "this row shows no candidate match to confirm or reject",
        ),
        (
            "Clopidogrel 75mg tablets",
            {"Decision": "confirm match", "Harmonised status": None, "Which candidate (1-3)": 3},
            "Which candidate (1-3)",
            "3 is not a candidate number on this row (1-1)",
        ),
    ],
)
def test_decision_that_does_not_fit_the_row_is_rejected(
    merged: Path, start: str, change: dict[str, Any], column: str, message: str
) -> None:
    fill(merged / WORKBOOK, {start: {**GOOD, **change}})
    result = invoke(merged, "import", str(merged / WORKBOOK))
    assert result.exit_code == 1
    assert f"column '{column}': {message}" in _flat(result.output)
    assert not (merged / REGISTER).exists()


def test_conflicting_decision_is_refused_and_the_recorded_one_kept(merged: Path) -> None:
    fill(merged / WORKBOOK, {"Ramipril": GOOD})
    assert invoke(merged, "import", str(merged / WORKBOOK)).exit_code == 0
    recorded = (merged / REGISTER).read_bytes()
    other = fill(
        merged / WORKBOOK,
        {"Ramipril": {**GOOD, "Harmonised status": "Red"}},
        merged / "reports/02-cardiovascular/second.xlsx",
    )
    result = invoke(merged, "import", str(other))
    assert result.exit_code == 1
    assert (
        "a different decision is already recorded for Ramipril 2.5mg capsules: adopt status Amber recommended"
        in _flat(result.output)
    )
    assert "It was kept; to change it, record the new decision with a later meeting date" in _flat(result.output)
    assert (merged / REGISTER).read_bytes() == recorded


def test_later_meeting_replaces_a_decision_and_keeps_the_old_in_history(merged: Path) -> None:
    fill(merged / WORKBOOK, {"Ramipril": GOOD})
    invoke(merged, "import", str(merged / WORKBOOK))
    fill(
        merged / WORKBOOK,
        {"Ramipril": {**GOOD, "Harmonised status": "Red", "Meeting date": dt.date(2024, 4, 9)}},
    )
    result = invoke(merged, "import", "--json", str(merged / WORKBOOK))
    assert result.exit_code == 0
    assert [d["status"] for d in json.loads(result.output)["superseded"]] == ["red"]
    register = (merged / REGISTER).read_text(encoding="utf-8")
    assert "status: red" in register and "history:" in register and "status: amber-recommended" in register


def test_workbook_of_another_chapter_is_refused(merged: Path) -> None:
    elsewhere = merged / "reports/04-central-nervous-system/working-group.xlsx"
    elsewhere.parent.mkdir(parents=True)
    shutil.copy(merged / WORKBOOK, elsewhere)
    result = invoke(merged, "import", str(elsewhere))
    assert result.exit_code == 2
    assert (
        "working-group workbook of chapter 02-cardiovascular, but it is in the folder of chapter "
        "04-central-nervous-system; nothing was imported" in _flat(result.output)
    )
    asked = invoke(merged, "import", "--chapter", "4", str(merged / WORKBOOK))
    assert asked.exit_code == 2
    assert "not of chapter 04-central-nervous-system" in _flat(asked.output)


def test_altered_hidden_sheet_or_other_file_is_refused(merged: Path) -> None:
    workbook = load_workbook(merged / WORKBOOK)
    workbook["Items"]["B2"].value = "Something else"
    workbook.save(merged / "reports/tampered.xlsx")
    result = invoke(merged, "import", str(merged / "reports/tampered.xlsx"))
    assert result.exit_code == 2 and "does not match its signature" in _flat(result.output)
    (merged / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    assert "cannot be read as an Excel workbook" in _flat(invoke(merged, "import", str(merged / "notes.xlsx")).output)
    shutil.copy(merged / "chapters/02-cardiovascular/cheshire.xlsx", merged / "reports/cheshire.xlsx")
    other = invoke(merged, "import", str(merged / "reports/cheshire.xlsx"))
    assert other.exit_code == 2 and "not a harmonise working-group workbook" in _flat(other.output)


def test_minutes_list_the_meeting_decisions_by_chapter(merged: Path) -> None:
    fill(
        merged / WORKBOOK,
        {
            "Ramipril": GOOD,
            "Bisoprolol": {
                "Decision": "defer",
                "Meeting date": MEETING,
                "Decided by": "Dr Shah",
                "Rationale": "await NICE",
            },
            "Doxazosin 4mg tablets": {
                "Decision": "reject match",
                "Rationale": "MR differs",
                "Meeting date": MEETING,
                "Decided by": "Dr Shah",
            },
        },
    )
    assert invoke(merged, "import", str(merged / WORKBOOK)).exit_code == 0
    result = invoke(merged, "minutes", "--meeting", "2024-03-12")
    assert result.exit_code == 0, result.output
    text = (merged / "reports/minutes-2024-03-12.md").read_text(encoding="utf-8")
    assert text.startswith("# Harmonisation working group: 12 March 2024\n")
    assert "## Chapter 2 Cardiovascular system" in text
    assert (
        "- **Ramipril 2.5mg capsules**: adopt status Amber recommended. Decided by Dr Shah. "
        "Rationale: Safe in primary care" in text
    )
    assert "### Deferred to the chapter review (both legacy positions retained)\n\n- **Bisoprolol 5mg tablets**" in text
    assert "reject match with Doxazosin MR Tablets 4mg (Merseyside)" in text


def test_minutes_for_a_meeting_without_decisions_says_which_exist(merged: Path) -> None:
    fill(merged / WORKBOOK, {"Ramipril": GOOD})
    invoke(merged, "import", str(merged / WORKBOOK))
    result = invoke(merged, "minutes", "--meeting", "2024-05-01")
    assert result.exit_code == 2
    assert "no decisions are recorded for a meeting on 2024-05-01 (recorded meetings: 2024-03-12)" in _flat(
        result.output
    )
    assert invoke(merged, "minutes", "--meeting", "12th May").exit_code == 2
