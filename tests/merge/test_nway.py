"""N-way harmonisation: three legacy formularies at once, through merge, import and publish."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from merge_fixtures import CH02, small_chapter
from openpyxl import load_workbook
from review_fixtures import rows
from typer.testing import CliRunner

from harmonise.cli import app
from harmonise.merge.run import run_merge
from harmonise.workspace.config import load_workspace

WG = "reports/02-cardiovascular/working-group.xlsx"


def invoke(root: Path, *args: str) -> object:
    result = CliRunner().invoke(app, ["--workspace", str(root), "--user", "secretariat", *args])
    return result


def fill_every_row(path: Path) -> int:
    """A working-group member settles every row: adopt the first listed position, or retain both."""
    workbook = load_workbook(path)
    sheet = workbook["Decisions"]
    head = [c.value for c in sheet[1]]
    filled = 0
    for row in sheet.iter_rows(min_row=2):
        if row[head.index("Item")].value is None:
            continue
        cheshire = str(row[head.index("Cheshire position")].value)
        if "Ambr" in cheshire:  # Cheshire's word is not in its vocabulary: the group sets the status itself
            row[head.index("Decision")].value = "adopt status"
            row[head.index("Harmonised status")].value = "Green"
        else:
            row[head.index("Decision")].value = "retain both" if "not listed" in cheshire else "adopt Cheshire position"
        row[head.index("Rationale")].value = "Agreed at the March meeting"
        row[head.index("Meeting date")].value = dt.date(2024, 3, 12)
        row[head.index("Decided by")].value = "Dr Shah"
        filled += 1
    workbook.save(path)
    return filled


def test_workbooks_have_one_column_group_per_source(tmp_path: Path) -> None:
    root = small_chapter(tmp_path / "ws", three=True)
    assert invoke(root, "merge", "--chapter", "2").exit_code == 0
    head = [c.value for c in load_workbook(root / CH02 / "harmonised-draft.xlsx")["Harmonised"][1]]
    for source in ("Cheshire", "Merseyside", "Wirral"):
        assert f"{source}: drug" in head and f"{source}: status" in head
    wg_head = list(rows(root / WG)[0])
    assert {"Cheshire position", "Merseyside position", "Wirral position"} <= set(wg_head)


def test_three_source_round_trip_merge_import_publish(tmp_path: Path) -> None:
    root = small_chapter(tmp_path / "ws", three=True)
    assert invoke(root, "merge", "--chapter", "2").exit_code == 0
    refused = invoke(root, "publish", "--chapter", "2")
    assert refused.exit_code == 2 and "cannot be published" in " ".join(refused.output.split())
    assert fill_every_row(root / WG) > 0
    imported = invoke(root, "decisions", "import", str(root / WG))
    assert imported.exit_code == 0, imported.output
    assert invoke(root, "merge", "--chapter", "2").exit_code == 0
    workspace = load_workspace(root)
    [merge] = run_merge(workspace, [workspace.chapter("2")], write=False).chapters
    assert all(r.outcome.kind != "escalate" for r in merge.results), [
        (r.item.name, r.outcome.rationale) for r in merge.results if r.outcome.kind == "escalate"
    ]
    blocked = invoke(root, "publish", "--chapter", "2")  # the planted 'Ambr' is still in the source
    assert blocked.exit_code == 2 and "data error" in blocked.output, blocked.output
    checked = json.loads(invoke(root, "check", "--chapter", "2", "--json", "--no-report").output)
    ids = [f["id"] for c in checked["chapters"] for f in c["findings"] if f["severity"] == "error"]
    note = ("--rationale", "status typo; the group decided the item", "--meeting", "2024-03-12")
    assert invoke(root, "acknowledge", "--chapter", "2", *ids, *note).exit_code == 0
    published = invoke(root, "publish", "--chapter", "2")
    assert published.exit_code == 0, published.output
    final = load_workbook(next((root / "published" / "02-cardiovascular" / "v1").glob("*.xlsx")))
    head = [c.value for c in next(iter(final.worksheets))[1]]
    assert {"Cheshire legacy position", "Merseyside legacy position", "Wirral legacy position"} <= set(head)
    labels = {row[head.index("Status")].value for row in next(iter(final.worksheets)).iter_rows(min_row=2)}
    assert "All three legacy positions retained" in labels and "Both legacy positions retained" not in labels
    rationale = (root / "published" / "02-cardiovascular" / "v1" / "rationale.md").read_text(encoding="utf-8")
    assert "all three legacy positions retained" in rationale and "both" not in rationale.casefold()
    assert invoke(root, "audit", "verify").exit_code == 0
