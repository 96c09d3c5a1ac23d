"""A chapter merged and (optionally) settled, ready to publish: shared by the publishing, dashboard, diff and
safety tests."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from conftest import CHESHIRE_HEADER, MERSEY_HEADER, make_workspace, write_xlsx

REPO = Path(__file__).resolve().parents[1]


SCRIPT_NAME = "<script>alert(1)</script> Warfarin"


CHESHIRE_ROWS = [
    ["02.02", "Amlodipine", "Tablets 5mg", "Green", "1st", "F", "+SUM(A1:A9)", "", "C1"],
    ["02.04", "Bisoprolol fumarate", "Tablets 2.5mg", "Green", "1st", "F", "", "", "C2"],
    ["02.05", "Doxazosin", "Modified-release tablets 4mg", "Black", "", "NF", "", "", "C3"],
    ["02.06", "Nicorandil", "Tablets 10mg", "Green", "2nd", "F", "", "", "C4"],
    ["02.08", SCRIPT_NAME, "Tablets 1mg", "Green", "", "F", "", "", "C5"],
    ["02.12", "Atorvastatin", "Tablets 20mg", "Red", "", "F", "", "TA94", "C6"],
]


MERSEY_ROWS = [
    ["02.02", "Amlodipine", "Tablets 5mg", "Green", "", ""],
    ["02.04", "Bisoprolol fumarate", "Tablets 2.5mg", "Amber Recommended", "", ""],
    ["02.08", SCRIPT_NAME, "Tablets 1mg", "Green", "", ""],
    ["02.12", "Atorvastatin", "Tablets 20mg", "Red", "", "TA94"],
    ["02.03", "Amiodarone", "Tablets 100mg", "Red", "Specialist initiation", ""],
]


# A rule file that settles every item of the chapter above, with one outcome of each kind:
# S1 adopts amlodipine, warfarin, atorvastatin; S2 excludes doxazosin; S3 adopts Merseyside's amiodarone
# (added for Cheshire); S4 retains both for nicorandil; S5 adopts the stricter status for bisoprolol.
SETTLE_RULES = """\
version: 1
title: Settle everything (test)
rules:
  - id: S1
    title: Same status everywhere
    description: Identical positions are adopted.
    when: {all: [{matched: auto}, {same: status}]}
    then: {adopt: status}
  - id: S2
    title: Black where listed
    description: Black where listed and absent elsewhere is excluded.
    when: {all: [{absent: any}, {every-listing-source: {status: [black, non-formulary]}}]}
    then: {exclude: "black where listed"}
  - id: S3
    title: Merseyside only
    description: Listed by Merseyside only, adopt Merseyside's position.
    when: {absent: any}
    then: {adopt-source: merseyside}
  - id: S4
    title: Cheshire only
    description: Listed by Cheshire only, keep both positions until the chapter review.
    when: {absent: any}
    then: {retain-both: "only Cheshire lists it"}
  - id: S5
    title: Statuses differ
    description: Adopt the more restrictive status.
    when: {differ: status}
    then: {adopt: more-restrictive}
"""


def merged(root: Path) -> Path:
    """Merge chapter 2 as ``harmonise merge`` does (workbooks, audit run event): the draft a group reviews, and
    the inputs ``publish`` checks it is publishing."""
    from harmonise.merge import run_merge
    from harmonise.workspace import load_workspace

    workspace = load_workspace(root)
    run_merge(workspace, [workspace.chapter("2")], user="pharmacist")
    return root


def publish_workspace(
    root: Path,
    settle: bool = True,
    merge: bool = True,
    cheshire: Sequence[Sequence[object]] = CHESHIRE_ROWS,
    merseyside: Sequence[Sequence[object]] = MERSEY_ROWS,
) -> Path:
    """A two-source workspace with chapter 2 (the rows above unless given) and the shipped default rules (or the
    settling rules), merged (unless ``merge`` is false) so that it can be published."""
    make_workspace(root)
    (root / "rules").mkdir(exist_ok=True)
    shutil.copy(REPO / "rules" / "default.yaml", root / "rules" / "default.yaml")
    (root / "rules" / "settle.yaml").write_text(SETTLE_RULES, encoding="utf-8")
    if settle:
        config = (root / "harmonise.yaml").read_text(encoding="utf-8")
        settled = config.replace("rules/default.yaml", "rules/settle.yaml")
        (root / "harmonise.yaml").write_text(settled, encoding="utf-8")
    folder = root / "chapters" / "02-cardiovascular"
    write_xlsx(folder / "cheshire.xlsx", {"Formulary": [CHESHIRE_HEADER, *cheshire]})
    write_xlsx(folder / "merseyside.xlsx", {"Sheet1": [MERSEY_HEADER, *merseyside]})
    return merged(root) if merge else root


CNS_CHESHIRE_ROWS = [
    ["04.03", "Sertraline", "Tablets 50mg", "Green", "1st", "F", "", "", "N1"],
    ["04.01", "Zopiclone", "Tablets 7.5mg", "Green", "", "F", "Short-term use only", "", "N2"],
    ["04.02", "Quetiapine", "Tablets 25mg", "Amber SCG", "", "F", "", "", "N3"],
]
CNS_MERSEY_ROWS = [
    ["04.03", "Sertraline", "Tablets 50mg", "Green", "", ""],
    ["04.01", "Zopiclone", "Tablets 7.5mg", "Amber Recommended", "", ""],
    ["04.02", "Quetiapine", "Tablets 25mg", "Amber Patient Retained", "", ""],
    ["04.01", "Melatonin", "Modified-release tablets 2mg", "Red", "Paediatric sleep clinic", "TA999"],
]


def add_cns_chapter(root: Path) -> Path:
    """Chapter 4 (central nervous system) beside chapter 2, merged with the same settling rules: sertraline and
    quetiapine adopted, zopiclone the stricter status, melatonin Merseyside's Red."""
    from harmonise.merge import run_merge
    from harmonise.workspace import load_workspace

    folder = root / "chapters" / "04-central-nervous-system"
    write_xlsx(folder / "cheshire.xlsx", {"Formulary": [CHESHIRE_HEADER, *CNS_CHESHIRE_ROWS]})
    write_xlsx(folder / "merseyside.xlsx", {"Sheet1": [MERSEY_HEADER, *CNS_MERSEY_ROWS]})
    workspace = load_workspace(root)
    run_merge(workspace, [workspace.chapter("4")], user="pharmacist")
    return root
