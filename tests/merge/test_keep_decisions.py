"""Never lose typed decisions (issue 13, item 3): a re-run of ``merge`` never overwrites a working-group
workbook holding decisions not yet imported, and every workbook it overwrites is kept as a dated copy.

The scenario of the issue: the group fills in the workbook at its meeting; before anyone imports it, someone
runs ``merge`` again. Today's answer: the merge refuses (exit 2, nothing written) naming the workbook and the
rows, or imports them first (``--import-first``), or writes the new workbook beside it (``--beside``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from review_fixtures import WORKBOOK, chapter_workspace, fill, merge, rows, workspace_of
from typer.testing import CliRunner

from harmonise.cli import app
from harmonise.review.importer import import_decisions

runner = CliRunner()
MEETING = dt.date(2024, 3, 12)
REGISTER = "decisions/02-cardiovascular.yaml"
DRAFT = "chapters/02-cardiovascular/harmonised-draft.xlsx"
HISTORY = "reports/02-cardiovascular/history"
RAMIPRIL = {
    "Decision": "adopt status",
    "Harmonised status": "Amber recommended",
    "Rationale": "Safe in primary care",
    "Meeting date": MEETING,
    "Decided by": "Dr Shah",
}
NO_DATE = {"Decision": "retain both", "Rationale": "Await the review", "Decided by": "Dr Shah"}


def run_merge_cli(root: Path, *options: str) -> Any:
    return runner.invoke(app, ["--workspace", str(root), "--user", "alice", "merge", "--chapter", "2", *options])


def flat(text: str) -> str:
    return " ".join(text.split())


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the workspace's outputs, to show that nothing was written."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in ("reports", "chapters", "decisions")
        if (root / folder).exists()
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def typed(tmp_path: Path) -> Path:
    """Merged once; the group then typed two decisions (one with its meeting date missing), not imported."""
    root = chapter_workspace(tmp_path)
    merge(root)
    fill(root / WORKBOOK, {"Ramipril": RAMIPRIL, "Bisoprolol": NO_DATE})
    return root


def row_of(root: Path, start: str) -> int:
    return next(n for n, r in enumerate(rows(root / WORKBOOK), start=2) if str(r["Item"]).startswith(start))


def test_rerun_refuses_to_overwrite_typed_decisions_and_writes_nothing(typed: Path) -> None:
    before = snapshot(typed)
    result = run_merge_cli(typed)
    assert result.exit_code == 2, result.output
    message = flat(result.output)
    assert f"{WORKBOOK} holds 2 typed decision(s) not recorded in the decisions register" in message
    assert "nothing was written" in message and "--import-first" in message and "--beside" in message
    ramipril, bisoprolol = row_of(typed, "Ramipril"), row_of(typed, "Bisoprolol")
    assert f"{WORKBOOK}[Decisions] row {ramipril}: Ramipril 2.5mg capsules: 'adopt status': not imported yet" in message
    assert f"{WORKBOOK}[Decisions] row {bisoprolol}: Bisoprolol" in message
    assert "the meeting date is required" in message
    assert snapshot(typed) == before  # the typed workbook, the draft, the audit log: all as they were


def test_import_first_records_the_typed_decisions_then_merges(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    merge(root)
    fill(root / WORKBOOK, {"Ramipril": RAMIPRIL})
    result = run_merge_cli(root, "--import-first")
    assert result.exit_code == 0, result.output
    assert "decisions imported first from the working-group workbook: 1" in flat(result.output)
    assert "adopt-status" in (root / REGISTER).read_text(encoding="utf-8")
    assert not any(str(r["Item"]).startswith("Ramipril") for r in rows(root / WORKBOOK))  # decided: not asked again
    (copy,) = (root / HISTORY).iterdir()
    kept = [r for r in rows(copy) if str(r["Item"]).startswith("Ramipril")]
    assert kept[0]["Decision"] == "adopt status" and kept[0]["Rationale"] == "Safe in primary care"


def test_import_first_still_refuses_while_a_typed_row_is_rejected(typed: Path) -> None:
    workbook = (typed / WORKBOOK).read_bytes()
    result = run_merge_cli(typed, "--import-first")
    assert result.exit_code == 2, result.output
    message = flat(result.output)
    assert "holds 1 typed decision(s) after importing it, not recorded" in message
    assert f"row {row_of(typed, 'Bisoprolol')}: Bisoprolol" in message and "the meeting date is required" in message
    assert "adopt-status" in (typed / REGISTER).read_text(encoding="utf-8")  # the valid row was recorded
    assert (typed / WORKBOOK).read_bytes() == workbook and not (typed / HISTORY).exists()


def test_beside_leaves_the_filled_workbook_and_writes_the_new_one_next_to_it(typed: Path) -> None:
    workbook = (typed / WORKBOOK).read_bytes()
    result = run_merge_cli(typed, "--beside")
    assert result.exit_code == 0, result.output
    assert (typed / WORKBOOK).read_bytes() == workbook
    (new,) = (typed / "reports/02-cardiovascular").glob("working-group-*.xlsx")
    assert [r["Decision"] for r in rows(new)] == [None] * len(rows(new))
    assert "left in place" in flat(result.output) and new.name in flat(result.output)
    report = import_decisions(workspace_of(typed), typed / WORKBOOK, "alice")  # the typed work is still there
    assert [d.item for d in report.recorded] == ["Ramipril 2.5mg capsules"]


def test_imported_workbook_is_overwritten_and_kept_as_a_dated_copy(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    merge(root)
    fill(root / WORKBOOK, {"Ramipril": RAMIPRIL})
    assert import_decisions(workspace_of(root), root / WORKBOOK, "alice").ok
    typed = (root / WORKBOOK).read_bytes()
    result = run_merge_cli(root)
    assert result.exit_code == 0, result.output
    (copy,) = (root / HISTORY).glob("working-group-*Z.xlsx")
    assert copy.read_bytes() == typed
    assert "previous working-group workbook kept as" in flat(result.output)
    assert run_merge_cli(root).exit_code == 0 and len(list((root / HISTORY).iterdir())) == 2  # one per overwrite


def test_workbook_that_cannot_be_read_is_never_overwritten(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    merge(root)
    sheet = load_workbook(root / WORKBOOK)
    sheet["Items"]["B2"] = "edited by hand"  # the hidden sheet no longer matches its fingerprint
    sheet.save(root / WORKBOOK)
    before = snapshot(root)
    result = run_merge_cli(root)
    assert result.exit_code == 2, result.output
    assert f"{WORKBOOK}: cannot tell whether this working-group workbook holds decisions not yet imported" in flat(
        result.output
    )
    assert snapshot(root) == before


def test_import_first_and_beside_together_is_a_usage_error(typed: Path) -> None:
    result = run_merge_cli(typed, "--import-first", "--beside")
    assert result.exit_code == 2 and "choose one of --import-first and --beside" in result.output


def test_beside_leaves_a_workbook_that_cannot_be_read_and_writes_the_new_one_next_to_it(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    merge(root)
    sheet = load_workbook(root / WORKBOOK)
    sheet["Items"]["B2"] = "edited by hand"  # the message of the refusal above names --beside: it must work
    sheet.save(root / WORKBOOK)
    before = (root / WORKBOOK).read_bytes()
    result = run_merge_cli(root, "--beside")
    assert result.exit_code == 0, result.output
    assert (root / WORKBOOK).read_bytes() == before
    assert len(list((root / "reports/02-cardiovascular").glob("working-group-*.xlsx"))) == 1
