"""Issue 13: a data error never reads as absence, and what is published is what the group reviewed.

End to end through the CLI on realistic spreadsheets: an Excel error in a drug cell, a drug name alone on its
row, a legacy file changed between the reviewed merge and the publication; nothing lost on the way (every row
of every source is in exactly one item or a located finding).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bad_files import NA_ERROR, raw_xlsx
from conftest import CHESHIRE_HEADER, MERSEY_HEADER, write_xlsx
from publish_fixtures import MERSEY_ROWS, merged, publish_workspace
from typer.testing import CliRunner

from harmonise.audit import AuditLog
from harmonise.cli import app
from harmonise.merge.run import run_merge
from harmonise.workspace.config import load_workspace

CH02 = "chapters/02-cardiovascular"
CHESHIRE = f"{CH02}/cheshire.xlsx"


def invoke(root: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--workspace", str(root), "--user", "secretariat", *args])


def flat(text: str) -> str:
    return " ".join(text.split())


def diuretics_workspace(root: Path, cheshire_row: list[Any]) -> Path:
    """Cheshire lists furosemide and ``cheshire_row`` in 2.2 Diuretics; Merseyside lists spironolactone as
    Black, so the default rule R6 would exclude it if Cheshire were read as not listing it."""
    root = publish_workspace(root, settle=False, merge=False)
    rows = [
        ["Cheshire Joint Formulary"],
        [],
        CHESHIRE_HEADER,
        ["2.2 Diuretics"],
        [None, "Furosemide", "Tablets 20mg", "Green", "1st", "F"],
        cheshire_row,
    ]
    raw_xlsx(root / CHESHIRE, {"Formulary": rows})
    mersey = [
        MERSEY_HEADER,
        ["02.02", "Furosemide", "Tablets 20mg", "Green"],
        ["02.02", "Spironolactone", "Tablets 25mg", "Black"],
    ]
    write_xlsx(root / CH02 / "merseyside.xlsx", {"Sheet1": mersey})
    return root


def merged_results(root: Path) -> Any:
    workspace = load_workspace(root)
    return run_merge(workspace, [workspace.chapter("2")], write=False).chapters[0]


def assert_nothing_lost(merge: Any, unread_rows: set[int]) -> None:
    """Every loaded entry is in exactly one item; every row not loaded is a located finding."""
    placed = sorted(e.key for r in merge.results for e in r.item.entries)
    assert placed == sorted(e.key for e in merge.loaded.entries)
    located = {f.row for f in merge.findings if f.file == CHESHIRE and f.severity == "error"}
    assert unread_rows <= located


def test_an_error_in_a_drug_cell_is_not_read_as_not_listed(tmp_path: Path) -> None:
    root = diuretics_workspace(tmp_path / "ws", [None, NA_ERROR, "Tablets 25mg", "Green", "1st", "F"])
    merge = merged_results(root)
    [spiro] = [r for r in merge.results if r.item.name.startswith("Spironolactone")]
    assert spiro.outcome.kind == "escalate" and spiro.outcome.decided_by == "data-error"
    assert f"cheshire may list this medicine on a row that could not be read ({CHESHIRE}[Formulary] row 6" in (
        spiro.outcome.rationale
    )
    assert "not listed by" not in spiro.outcome.rationale
    assert_nothing_lost(merge, {6})
    assert invoke(root, "merge", "--chapter", "2").exit_code == 0
    refused = flat(invoke(root, "publish", "--chapter", "2").output)
    assert "Spironolactone" in refused and "could not be read" in refused


def test_a_drug_name_alone_on_its_row_is_a_finding_and_its_medicine_goes_to_the_group(tmp_path: Path) -> None:
    root = diuretics_workspace(tmp_path / "ws", [None, "Spironolactone"])
    checked = invoke(root, "check", "--chapter", "2", "--json")
    assert checked.exit_code == 1
    [finding] = [f for c in json.loads(checked.output)["chapters"] for f in c["findings"]]
    assert (finding["kind"], finding["file"], finding["row"], finding["column"]) == (
        "ambiguous-row",
        CHESHIRE,
        6,
        "Drug",
    )
    assert "'Spironolactone' is alone on its row: a heading or a drug" in finding["message"]
    merge = merged_results(root)
    [spiro] = [r for r in merge.results if r.item.name.startswith("Spironolactone")]
    assert spiro.outcome.decided_by == "data-error" and "alone on its row" in spiro.outcome.rationale
    assert_nothing_lost(merge, {6})


def test_a_numbered_heading_is_still_a_heading(tmp_path: Path) -> None:
    root = diuretics_workspace(tmp_path / "ws", ["2.2.3 Potassium-sparing diuretics"])
    assert invoke(root, "check", "--chapter", "2").exit_code == 0


def settled_with_a_data_error(root: Path) -> Path:
    """The settling fixture with one unreadable row in a section nobody else lists (so no item is held)."""
    root = publish_workspace(root, merge=False)
    from publish_fixtures import CHESHIRE_ROWS

    rows = [CHESHIRE_HEADER, *CHESHIRE_ROWS, ["02.13", NA_ERROR, "Injection 3%", "Red", "", "F"]]
    raw_xlsx(root / CHESHIRE, {"Formulary": rows})
    return merged(root)


def test_publish_refuses_an_unacknowledged_data_error_then_publishes_once_acknowledged(tmp_path: Path) -> None:
    root = settled_with_a_data_error(tmp_path / "ws")
    refused = invoke(root, "publish", "--chapter", "2")
    assert refused.exit_code == 2
    message = flat(refused.output)
    assert "1 data error(s) in the legacy spreadsheets are neither fixed nor acknowledged" in message
    where = f"{CHESHIRE}[Formulary] row 8, column 'Drug': the cell holds the Excel error #N/A"
    assert where in message
    [finding_id] = re.findall(r"data error ([0-9a-f]{8}): ", message)
    assert not (root / "published").exists() or not any((root / "published").rglob("v*"))
    bad = invoke(root, "acknowledge", "--chapter", "2", "deadbeef", "--rationale", "x", "--meeting", "2024-03-12")
    assert bad.exit_code == 2 and finding_id in bad.output
    note = ("--rationale", "row withdrawn in the source system", "--meeting", "2024-03-12", "--by", "J Bloggs")
    assert invoke(root, "acknowledge", "--chapter", "2", finding_id, *note).exit_code == 0
    record = (root / "decisions" / "02-cardiovascular.data-errors.yaml").read_text(encoding="utf-8")
    assert finding_id in record and "row withdrawn in the source system" in record and "J Bloggs" in record
    events = [e for e in AuditLog(root / "reports/audit.jsonl").read() if e.kind == "decision"]
    assert events[-1].data["decision"] == "acknowledge data error" and events[-1].data["meeting"] == "2024-03-12"
    published = invoke(root, "publish", "--chapter", "2")
    assert published.exit_code == 0, published.output


def test_publish_refuses_when_a_legacy_file_changed_since_the_reviewed_merge(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws")
    rows = [MERSEY_HEADER, *MERSEY_ROWS]
    rows[1] = ["02.02", "Amlodipine", "Tablets 5mg", "Black", "", ""]  # reviewed as Green
    write_xlsx(root / CH02 / "merseyside.xlsx", {"Sheet1": rows})
    refused = invoke(root, "publish", "--chapter", "2")
    assert refused.exit_code == 2
    message = flat(refused.output)
    assert "differs from the draft the last merge" in message
    assert f"{CH02}/merseyside.xlsx: changed since the last merge" in message
    assert "cheshire.xlsx" not in message
    assert not (root / "published" / "02-cardiovascular" / "v1").exists()
    assert invoke(root, "merge", "--chapter", "2").exit_code == 0
    assert invoke(root, "publish", "--chapter", "2").exit_code == 0


def test_publish_names_a_changed_rule_file_config_and_new_register(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws")
    (root / "rules" / "settle.yaml").write_text(
        (root / "rules" / "settle.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    (root / "harmonise.yaml").write_text((root / "harmonise.yaml").read_text(encoding="utf-8") + "\n")
    (root / "decisions").mkdir(exist_ok=True)
    (root / "decisions" / "02-cardiovascular.yaml").write_text("version: 1\ndecisions: {}\n", encoding="utf-8")
    message = flat(invoke(root, "publish", "--chapter", "2").output)
    assert "rules/settle.yaml: changed since the last merge" in message
    assert "harmonise.yaml: changed since the last merge" in message
    assert "decisions/02-cardiovascular.yaml: new since the last merge" in message


def test_a_chapter_never_merged_is_not_published(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws", merge=False)
    refused = invoke(root, "publish", "--chapter", "2")
    assert refused.exit_code == 2 and "it has not been merged" in flat(refused.output)


def _only_finding(root: Path) -> str:
    refused = invoke(root, "publish", "--chapter", "2")
    [finding_id] = re.findall(r"data error ([0-9a-f]{8}): ", flat(refused.output))
    return finding_id


def test_an_acknowledgement_whose_event_cannot_be_logged_is_not_saved(tmp_path: Path, monkeypatch: Any) -> None:
    """Write-ahead like ``decisions import``: the audit event first, then the register; a full disk while
    logging leaves no acknowledgement that the log does not account for."""
    root = settled_with_a_data_error(tmp_path / "ws")
    finding_id = _only_finding(root)
    before = AuditLog(root / "reports/audit.jsonl").read()

    def full_disk(self: Any, payload: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("harmonise.audit._write_all", lambda handle, payload: full_disk(None, payload))
    note = ("--rationale", "row withdrawn in the source system", "--meeting", "2024-03-12")
    failed = invoke(root, "acknowledge", "--chapter", "2", finding_id, *note)
    assert failed.exit_code == 2, failed.output
    assert "the disk is full" in flat(failed.output)
    assert not (root / "decisions" / "02-cardiovascular.data-errors.yaml").exists()
    assert not list((root / "decisions").glob("*.pending"))
    assert AuditLog(root / "reports/audit.jsonl").read() == before
    monkeypatch.undo()
    assert invoke(root, "acknowledge", "--chapter", "2", finding_id, *note).exit_code == 0
    assert invoke(root, "publish", "--chapter", "2").exit_code == 0


def test_a_hand_written_acknowledgement_is_not_applied_at_publish(tmp_path: Path) -> None:
    """An acknowledgement with no ``decision`` event (written by hand) does not let a data error through."""
    root = settled_with_a_data_error(tmp_path / "ws")
    finding_id = _only_finding(root)
    (root / "decisions").mkdir(exist_ok=True)
    (root / "decisions" / "02-cardiovascular.data-errors.yaml").write_text(
        "chapter: 02-cardiovascular\nacknowledged:\n"
        f"  {finding_id}:\n    where: somewhere\n    message: m\n    rationale: looks fine to me\n"
        "    meeting: '2024-03-12'\n    by: someone\n",
        encoding="utf-8",
    )
    refused = invoke(root, "publish", "--chapter", "2")
    assert refused.exit_code == 2
    message = flat(refused.output)
    assert "no decision event in the audit log" in message and finding_id in message
    assert not (root / "published").exists() or not any((root / "published").rglob("v*"))
