"""A forged working-group workbook is refused (issue 14, item 4): the workbook is signed with a per-workspace
secret key (HMAC-SHA256), and an import accepts decisions only for items the merge that wrote it escalated.
A workbook written before signing is refused with what to do, and merge still keeps its typed decisions."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from forge_fixtures import from_other_workspace, keyed_forge, old_format, settled_item, unkeyed_forge
from openpyxl import load_workbook
from review_fixtures import WORKBOOK, chapter_workspace, fill, merge, rows, workspace_of
from typer.testing import CliRunner

from harmonise.cli import app
from harmonise.errors import InputError
from harmonise.review.importer import import_decisions
from harmonise.workspace.secret import KEY_NAME, read_key, workspace_key

runner = CliRunner()
KEY = f"reports/{KEY_NAME}"
REGISTER = "decisions/02-cardiovascular.yaml"
HISTORY = "reports/02-cardiovascular/history"
RAMIPRIL = {
    "Decision": "retain both",
    "Rationale": "Await the chapter review",
    "Meeting date": "2024-03-12",
    "Decided by": "Dr Shah",
}


def flat(text: str) -> str:
    return " ".join(text.split())


def cli(root: Path, *args: str) -> Any:
    return runner.invoke(app, ["--workspace", str(root), "--user", "alice", *args])


@pytest.fixture
def merged(tmp_path: Path) -> Path:
    root = chapter_workspace(tmp_path)
    merge(root)
    return root


def test_merge_creates_a_private_key_once_and_keeps_it(merged: Path) -> None:
    key = (merged / KEY).read_bytes()
    assert stat.S_IMODE((merged / KEY).stat().st_mode) == 0o600
    assert len(read_key(merged) or b"") == 32
    merge(merged)
    assert (merged / KEY).read_bytes() == key
    about = {r["What"]: r["Value"] for r in rows(merged / WORKBOOK, "About")}
    assert len(about["Signature"]) == 64 and about["Run"] and about["Key id"]


def test_the_key_is_created_atomically_by_racing_commands(tmp_path: Path) -> None:
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: workspace_key(tmp_path), range(16)))
    assert len(keys) == 1 and not [p for p in (tmp_path / "reports").iterdir() if p.name != KEY_NAME]


def test_a_damaged_key_file_is_a_located_error(merged: Path) -> None:
    (merged / KEY).write_text("not a key\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"reports/\.workspace-key: not a harmonise workspace key"):
        import_decisions(workspace_of(merged), merged / WORKBOOK, "alice")


def test_a_genuine_workbook_is_still_imported(merged: Path) -> None:
    fill(merged / WORKBOOK, {"Ramipril": RAMIPRIL})
    report = import_decisions(workspace_of(merged), merged / WORKBOOK, "alice")
    assert report.ok and [d.item for d in report.recorded] == ["Ramipril 2.5mg capsules"]


def test_a_recomputed_unkeyed_fingerprint_is_refused(merged: Path) -> None:
    unkeyed_forge(merged, WORKBOOK, "reports/forged.xlsx")
    with pytest.raises(InputError, match="does not match its signature") as refused:
        import_decisions(workspace_of(merged), merged / "reports/forged.xlsx", "alice")
    assert "nothing was imported" in str(refused.value) and not (merged / REGISTER).exists()


def test_a_forged_exclude_for_an_adopted_item_is_rejected_naming_the_item_and_rule(merged: Path) -> None:
    keyed_forge(merged, WORKBOOK, "reports/forged.xlsx")  # even signed with the workspace's own key
    _, name, rule = settled_item(merged)
    report = import_decisions(workspace_of(merged), merged / "reports/forged.xlsx", "alice")
    assert not report.recorded and not (merged / REGISTER).exists()
    (problem,) = report.rejected
    assert problem.where == "reports/forged.xlsx[Decisions] row 2, column 'Item key'"
    assert f"{name} was not escalated by the merge that wrote this workbook: rule {rule} settled it" in str(problem)


def test_a_workbook_from_another_workspace_is_refused(merged: Path) -> None:
    from_other_workspace(merged, WORKBOOK, "reports/foreign.xlsx")
    with pytest.raises(InputError, match="was not signed by this workspace") as refused:
        import_decisions(workspace_of(merged), merged / "reports/foreign.xlsx", "alice")
    assert "written by another workspace" in str(refused.value)


def test_import_with_the_key_missing_says_so_and_creates_no_key(merged: Path) -> None:
    (merged / KEY).unlink()
    with pytest.raises(InputError, match=r"the workspace key reports/\.workspace-key is missing") as refused:
        import_decisions(workspace_of(merged), merged / WORKBOOK, "alice")
    assert "restore the key" in str(refused.value) and not (merged / KEY).exists()


def test_a_workbook_whose_run_is_not_in_the_audit_log_is_refused(merged: Path) -> None:
    workbook = load_workbook(merged / WORKBOOK)
    for row in workbook["About"].iter_rows(min_row=2):
        if row[0].value == "Run":
            row[1].value = "0" * 32
    from forge_fixtures import resign

    resign(workbook, read_key(merged) or b"")
    workbook.save(merged / "reports/rerun.xlsx")
    with pytest.raises(InputError, match="is not in the audit log"):
        import_decisions(workspace_of(merged), merged / "reports/rerun.xlsx", "alice")


def test_an_old_format_workbook_is_refused_with_what_to_do(merged: Path) -> None:
    old_format(merged, WORKBOOK)
    fill(merged / WORKBOOK, {"Ramipril": RAMIPRIL})
    with pytest.raises(InputError, match="before workbooks were signed") as refused:
        import_decisions(workspace_of(merged), merged / WORKBOOK, "alice")
    assert "harmonise merge" in str(refused.value) and "--beside" in str(refused.value)


def test_merge_replaces_an_old_format_workbook_without_typed_decisions(merged: Path) -> None:
    old_format(merged, WORKBOOK)
    old = (merged / WORKBOOK).read_bytes()
    result = cli(merged, "merge", "--chapter", "2")
    assert result.exit_code == 0, result.output
    (copy,) = (merged / HISTORY).iterdir()
    assert copy.read_bytes() == old
    assert "Signature" in {r["What"] for r in rows(merged / WORKBOOK, "About")}


def test_merge_keeps_an_old_format_workbook_with_typed_decisions_and_beside_works(merged: Path) -> None:
    old_format(merged, WORKBOOK)
    fill(merged / WORKBOOK, {"Ramipril": RAMIPRIL})
    typed = (merged / WORKBOOK).read_bytes()
    refused = cli(merged, "merge", "--chapter", "2")
    assert refused.exit_code == 2 and "before workbooks were signed" in flat(refused.output)
    first = cli(merged, "merge", "--chapter", "2", "--import-first")
    assert first.exit_code == 2 and "before workbooks were signed" in flat(first.output)
    beside = cli(merged, "merge", "--chapter", "2", "--beside")
    assert beside.exit_code == 0, beside.output
    assert (merged / WORKBOOK).read_bytes() == typed
    (new,) = (merged / "reports/02-cardiovascular").glob("working-group-*.xlsx")
    fill(new, {"Ramipril": RAMIPRIL})  # the decisions typed again into the new workbook
    assert import_decisions(workspace_of(merged), new, "alice").recorded


def test_after_the_key_is_lost_merge_writes_a_new_workbook_and_keeps_typed_ones(merged: Path) -> None:
    (merged / KEY).unlink()
    fill(merged / WORKBOOK, {"Ramipril": RAMIPRIL})
    refused = cli(merged, "merge", "--chapter", "2")
    assert refused.exit_code == 2 and "the workspace key reports/.workspace-key is missing" in flat(refused.output)
    assert not (merged / KEY).exists()
    beside = cli(merged, "merge", "--chapter", "2", "--beside")
    assert beside.exit_code == 0, beside.output
    (new,) = (merged / "reports/02-cardiovascular").glob("working-group-*.xlsx")
    fill(new, {"Ramipril": RAMIPRIL})
    assert import_decisions(workspace_of(merged), new, "alice").recorded
