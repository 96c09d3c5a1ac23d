"""Working-group joins are labelled as such (issue 13, item 4).

The scenario of the issue: the group confirms a candidate the tool itself vetoed (doxazosin modified-release
against standard release) and the joined item then looked like the matcher's automatic, score-100 match.
Now a plain 'confirm match' of a vetoed candidate is refused with a located message; 'confirm despite
difference' with a rationale is recorded with the veto it overrode, and the import says so; and a join the
group confirmed is shown as the group's (who, when, which meeting) in the draft, the working-group workbook,
the audit log, the minutes and the published chapter and rationale.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from review_fixtures import MERSEYSIDE, WORKBOOK, chapter_workspace, fill, merge, rows, workspace_of, write_sources
from typer.testing import CliRunner

from harmonise.audit import AuditLog
from harmonise.cli import app
from harmonise.merge.chapter import ItemResult
from harmonise.publish.content import final_row, rationale

runner = CliRunner()
MEETING = dt.date(2024, 3, 12)
DRAFT = "chapters/02-cardiovascular/harmonised-draft.xlsx"
VETO = "release differs: modified-release vs standard"


def decided(word: str, rationale: str = "Same product in practice") -> dict[str, Any]:
    return {
        "Decision": word,
        "Which candidate (1-3)": 1,
        "Rationale": rationale,
        "Meeting date": MEETING,
        "Decided by": "Dr Shah",
    }


def import_cli(root: Path, *options: str) -> Any:
    args = ["--workspace", str(root), "--user", "alice", "decisions", "import", str(root / WORKBOOK), *options]
    return runner.invoke(app, args)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def merged(tmp_path: Path) -> Path:
    root = chapter_workspace(tmp_path)
    merge(root)
    return root


def row_of(root: Path, name: str) -> int:
    return next(n for n, r in enumerate(rows(root / WORKBOOK), start=2) if r["Item"] == name)


def test_plain_confirm_of_a_vetoed_candidate_is_rejected_naming_the_veto(merged: Path) -> None:
    fill(merged / WORKBOOK, {"Doxazosin 4mg tablets": decided("confirm match")})
    result = import_cli(merged)
    assert result.exit_code == 1, result.output
    where = f"{WORKBOOK}[Decisions] row {row_of(merged, 'Doxazosin 4mg tablets')}, column 'Decision'"
    assert (
        f"{where}: candidate 1 (Doxazosin MR Tablets 4mg) was vetoed by the matcher: {VETO}. If the group is sure "
        "they are the same product, choose 'confirm despite difference' and give the rationale"
    ) in flat(result.output)
    assert not (merged / "decisions/02-cardiovascular.yaml").exists()


def test_confirm_despite_difference_needs_a_vetoed_candidate_and_a_rationale(merged: Path) -> None:
    fill(
        merged / WORKBOOK,
        {
            "Clopidogrel 75mg tablets": decided("confirm despite difference"),
            "Doxazosin 4mg tablets": decided("confirm despite difference", rationale=""),
        },
    )
    result = import_cli(merged)
    assert result.exit_code == 1, result.output
    output = flat(result.output)
    clopidogrel = row_of(merged, "Clopidogrel 75mg tablets")
    assert (
        f"row {clopidogrel}, column 'Decision': the matcher found no difference between this row and candidate 1 "
        "(Clopidogrel (Plavix) Tabs 75mg); choose 'confirm match'"
    ) in output
    assert f"row {row_of(merged, 'Doxazosin 4mg tablets')}, column 'Rationale': a rationale is required" in output


def confirm_doxazosin_despite_the_veto(root: Path) -> Any:
    fill(root / WORKBOOK, {"Doxazosin 4mg tablets": decided("confirm despite difference", "Prescribed as MR locally")})
    result = import_cli(root, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_confirm_despite_difference_is_recorded_with_the_veto_and_the_import_says_it(merged: Path) -> None:
    joined = decided("confirm despite difference", "Prescribed as MR locally")
    fill(merged / WORKBOOK, {"Doxazosin 4mg tablets": joined})
    result = import_cli(merged)
    assert result.exit_code == 0, result.output
    assert (
        f"Doxazosin 4mg tablets: confirm match despite the matcher's veto ({VETO}) with Doxazosin MR Tablets 4mg "
        "(Merseyside) (meeting 2024-03-12, Dr Shah)"
    ) in flat(result.output)
    register = (merged / "decisions/02-cardiovascular.yaml").read_text(encoding="utf-8")
    assert "decision: confirm-despite-difference" in register and f"veto: '{VETO}'" in register
    (event,) = [e for e in AuditLog(merged / "reports/audit.jsonl").read() if e.kind == "decision"]
    assert event.data["veto_overridden"] == VETO and event.data["candidate"] == "Doxazosin MR Tablets 4mg"


def joined(root: Path) -> ItemResult:
    run = merge(root)
    return next(r for r in run.chapters[0].results if len(r.item.entries) == 2 and "Doxazosin" in r.item.name)


def test_a_join_the_group_confirmed_never_looks_like_the_matchers(merged: Path) -> None:
    confirm_doxazosin_despite_the_veto(merged)
    result = joined(merged)
    label = (
        f"joined by the working group, despite the matcher's veto ({VETO}) (meeting 2024-03-12, Dr Shah): "
        "Prescribed as MR locally"
    )
    draft = load_workbook(merged / DRAFT)["Harmonised"]
    head = [c.value for c in draft[1]]
    row = next(
        dict(zip(head, r, strict=True))
        for r in draft.iter_rows(min_row=2, values_only=True)
        if r[1] == result.item.name
    )
    assert (row["Match"], row["Match level"], row["Match score"]) == (
        "working group",
        "confirmed by the working group",
        None,
    )
    assert label in row["Match evidence"] and label in row["Rationale"]
    assert "auto" not in {row["Match"], row["Match level"]} and row["Match score"] != 100
    outcome = [
        e
        for e in AuditLog(merged / "reports/audit.jsonl").read()
        if e.kind == "outcome" and e.data["item_key"] == result.item.key
    ]
    assert label in outcome[-1].data["after"]["rationale"]
    assert result.outcome.decided_by == "R5"  # both list it as Green: a rule settles the joined item
    workspace = workspace_of(merged)
    published = final_row(workspace, result)
    assert published.flag == "joined by the working group despite a difference (meeting 2024-03-12, Dr Shah)"
    notes = rationale(workspace, merge(merged).chapters[0]).decisions  # the committee sees it with the decisions
    assert any(n.drug == result.item.name and label in n.rationale for n in notes)


def test_a_confirmed_join_still_to_decide_is_labelled_in_the_working_group_workbook(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    amber = [[*r[:3], "Amber Recommended"] if r[1] == "Doxazosin MR" else r for r in MERSEYSIDE]
    write_sources(root, merseyside=amber)  # the statuses differ: the joined item comes back to the group (R8)
    merge(root)
    confirm_doxazosin_despite_the_veto(root)
    result = joined(root)
    assert result.outcome.decided_by == "R8"
    shown = next(r for r in rows(root / WORKBOOK) if r["Item"] == result.item.name)
    assert shown["Match evidence"].startswith(
        "Doxazosin Tablets 4mg and Doxazosin MR Tablets 4mg joined by the working group, despite the matcher's veto"
    )
    assert "(meeting 2024-03-12, Dr Shah)" in shown["Why escalated"]
