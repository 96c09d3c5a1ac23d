"""A merged chapter and its working-group workbook, filled in as a pharmacist would: shared by the
working-group, decisions and N-way tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from conftest import CHESHIRE_HEADER, MERSEY_HEADER, make_workspace, write_xlsx
from openpyxl import load_workbook

from harmonise.merge.run import MergeRun, run_merge
from harmonise.workspace.config import Workspace, load_workspace

RULES = Path(__file__).resolve().parents[1] / "rules" / "default.yaml"


CH02 = "chapters/02-cardiovascular"


WORKBOOK = "reports/02-cardiovascular/working-group.xlsx"

# What the working group decided at its first meeting, as typed into the workbook (see ``fill``).
MEETING = dt.date(2024, 3, 12)
DECIDED = {
    "Ramipril": {
        "Decision": "adopt status",
        "Harmonised status": "Amber recommended",
        "Rationale": "Initiation in primary care is safe",
        "Meeting date": MEETING,
        "Decided by": "Dr Shah",
    },
    "Bisoprolol": {"Decision": "defer", "Meeting date": MEETING, "Decided by": "Dr Shah"},
    "Atorvastatin": {
        "Decision": "adopt Cheshire position",
        "Rationale": "First-line statin",
        "Meeting date": MEETING,
        "Decided by": "Dr Shah",
    },
    "Doxazosin 4mg tablets": {
        "Decision": "reject match",
        "Which candidate (1-3)": 1,
        "Rationale": "MR is not standard release",
        "Meeting date": MEETING,
        "Decided by": "Dr Shah",
    },
}


CHESHIRE = [
    ["02.05", "Amlodipine", "Tablets 5mg", "Green"],  # same everywhere: R5 adopts it
    ["02.05", "Ramipril", "Capsules 2.5mg", "Green"],  # statuses differ: R8 escalates
    ["02.12", "Atorvastatin", "Tablets 20mg", "Green"],  # Merseyside does not list it: R7
    ["02.04", "Bisoprolol", "Tablets 5mg", "Green"],  # statuses differ: R8
    ["02.06", "Nifedipine", "Capsules 5mg", "Black"],  # black, not listed elsewhere: R6 excludes
    ["02.09", "Clopidogrel", "Tablets 75mg", "Green"],  # only a candidate match (brand in brackets): R4
    ["02.05", "Doxazosin", "Tablets 4mg", "Green"],  # only a candidate match (standard vs MR): R4
    ["02.01", "Digoxin", "Tablets 125micrograms", "Green"],  # R7, left undecided in the tests
]


MERSEYSIDE = [
    ["02.05", "Amlodipine", "Tablets 5mg", "Green"],
    ["02.05", "Ramipril", "Capsules 2.5mg", "Amber Recommended"],
    ["02.04", "Bisoprolol", "Tablets 5mg", "Amber Initiated"],
    ["02.09", "Clopidogrel (Plavix)", "Tabs 75mg", "Green"],
    ["02.05", "Doxazosin MR", "Tablets 4mg", "Green"],
]


def write_sources(root: Path, cheshire: list[list[str]] = CHESHIRE, merseyside: list[list[str]] = MERSEYSIDE) -> None:
    """(Re)write the chapter's two legacy spreadsheets from short rows: section, drug, formulation, status."""
    write_xlsx(
        root / CH02 / "cheshire.xlsx",
        {"Sheet1": [CHESHIRE_HEADER, *[[s, d, f, st, "", "", "", "", ""] for s, d, f, st in cheshire]]},
    )
    write_xlsx(
        root / CH02 / "merseyside.xlsx",
        {"Sheet1": [MERSEY_HEADER, *[[s, d, f, st, "", ""] for s, d, f, st in merseyside]]},
    )


def chapter_workspace(tmp_path: Path) -> Path:
    """A workspace with the shipped default rules and chapter 2 from two small legacy formularies."""
    root = make_workspace(tmp_path / "ws", rules=RULES.read_text(encoding="utf-8"))
    write_sources(root)
    return root


def merge(root: Path, user: str = "alice") -> MergeRun:
    workspace = load_workspace(root)
    return run_merge(workspace, [workspace.chapter("2")], user=user)


def workspace_of(root: Path) -> Workspace:
    return load_workspace(root)


def rows(path: Path, sheet: str = "Decisions") -> list[dict[str, Any]]:
    """A sheet's rows as {header: value}."""
    table = list(load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(table[0], row, strict=False)) for row in table[1:]]


def fill(path: Path, decisions: Mapping[str, Mapping[str, Any]], target: Path | None = None) -> Path:
    """Type into the yellow columns as a member would: ``{start of the item name: {column: value}}``."""
    workbook = load_workbook(path)
    sheet = workbook["Decisions"]
    head = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        name = str(row[head.index("Item")].value)
        wanted = [values for start, values in decisions.items() if name.startswith(start)]
        for column, value in (wanted[0] if wanted else {}).items():
            row[head.index(column)].value = value
    workbook.save(target or path)
    return target or path
