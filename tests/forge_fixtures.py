"""Forging a working-group workbook, as the hostile review did (issue 14, item 4): shared by the signing tests
and the bad-input catalogue.

* ``unkeyed_forge``: an ``exclude`` for an item the rules adopted, the hidden sheets edited to match, and the
  fingerprint recomputed the way anyone can (an unkeyed SHA-256 of the chapter slug and the Items rows);
* ``keyed_forge``: the same, signed with the workspace's own key (someone who could read the key file): what
  stops it is that the merge which wrote the workbook did not escalate the item;
* ``old_format``: a workbook as harmonise wrote it before workbooks were signed (format 1);
* ``from_other_workspace``: the workbook of another workspace's merge of the same chapter.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from typer.testing import CliRunner

from harmonise.cli import app
from harmonise.review.layout import sign_items
from harmonise.workspace.secret import read_key

OUTCOMES = "reports/02-cardiovascular/outcomes.json"
SIGNATURE_ROWS = ("Fingerprint", "Signature")


def settled_item(root: Path) -> tuple[str, str, str]:
    """(key, name, rule) of the first item the rules settled without the working group (adopted or excluded)."""
    items = json.loads((root / OUTCOMES).read_text(encoding="utf-8"))["items"]
    key, item = next((k, v) for k, v in sorted(items.items()) if v["kind"] in ("adopt", "exclude"))
    return key, item["name"], item["decided_by"]


def about(workbook: Workbook) -> dict[str, Any]:
    return {str(r[0]): r[1] for r in workbook["About"].iter_rows(min_row=2, values_only=True) if r[0]}


def items_rows(workbook: Workbook, width: int) -> list[list[str]]:
    return [
        ["" if v is None else str(v) for v in r[:width]]
        for r in workbook["Items"].iter_rows(min_row=2, values_only=True)
        if r and r[0]
    ]


def unkeyed(slug: str, rows: list[list[str]]) -> str:
    """The fingerprint harmonise wrote before workbooks were signed: anyone can compute it."""
    payload = json.dumps([slug, rows], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def forge_exclude(workbook: Workbook, key: str) -> None:
    """Row 2 of the Decisions sheet (and its Items row) re-keyed to ``key``, with a complete ``exclude``."""
    sheet = workbook["Decisions"]
    head = [c.value for c in sheet[1]]
    old = sheet.cell(row=2, column=len(head)).value
    sheet.cell(row=2, column=len(head)).value = key
    typed = {"Decision": "exclude", "Rationale": "withdrawn", "Meeting date": "2024-03-12", "Decided by": "Dr Shah"}
    for column, value in typed.items():
        sheet.cell(row=2, column=head.index(column) + 1).value = value
    for row in workbook["Items"].iter_rows(min_row=2):
        if row[0].value == old:
            row[0].value = key
            if len(row) > 6 and row[6].value == old:
                row[6].value = key


def set_about(workbook: Workbook, name: str, value: str) -> None:
    for row in workbook["About"].iter_rows(min_row=2):
        if row[0].value == name:
            row[1].value = value
            return
    workbook["About"].append([name, value])


def unkeyed_forge(root: Path, workbook_path: str, target: str) -> None:
    """The forged exclude, with the fingerprint recomputed unkeyed (what the hostile review did)."""
    workbook = load_workbook(root / workbook_path)
    forge_exclude(workbook, settled_item(root)[0])
    info = about(workbook)
    width = 7 if "Signature" in info else 6
    fingerprint = unkeyed(str(info["Chapter"]), items_rows(workbook, width))
    for name in SIGNATURE_ROWS:
        if name in info:
            set_about(workbook, name, fingerprint)
    workbook.save(root / target)


def keyed_forge(root: Path, workbook_path: str, target: str) -> None:
    """The forged exclude, signed with the workspace's own key."""
    workbook = load_workbook(root / workbook_path)
    forge_exclude(workbook, settled_item(root)[0])
    resign(workbook, read_key(root) or b"")
    workbook.save(root / target)


def resign(workbook: Workbook, key: bytes) -> None:
    info = about(workbook)
    signature = sign_items(key, str(info["Chapter"]), str(info["Run"]), str(info["Columns"]), items_rows(workbook, 7))
    set_about(workbook, "Signature", signature)


def old_format(root: Path, workbook_path: str, target: str = "") -> None:
    """The workbook as format 1 wrote it: six Items columns, an unkeyed fingerprint, no run, key id or signature."""
    workbook = load_workbook(root / workbook_path)
    workbook["Items"].delete_cols(7)
    info = about(workbook)
    sheet = workbook["About"]
    for number in range(sheet.max_row, 1, -1):
        if sheet.cell(row=number, column=1).value in ("Run", "Key id", "Signature"):
            sheet.delete_rows(number)
    set_about(workbook, "Format", "harmonise working-group workbook 1")
    set_about(workbook, "Fingerprint", unkeyed(str(info["Chapter"]), items_rows(workbook, 6)))
    workbook.save(root / (target or workbook_path))


def from_other_workspace(root: Path, workbook_path: str, target: str) -> None:
    """Merge a copy of the workspace with a key of its own, and bring its workbook back here."""
    other = root.parent / f"{root.name}-other"
    shutil.copytree(root, other)
    (other / "reports" / ".workspace-key").unlink()
    result = CliRunner().invoke(app, ["--workspace", str(other), "merge", "--chapter", "2"])
    assert result.exit_code == 0, result.output
    (root / target).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(other / workbook_path, root / target)
