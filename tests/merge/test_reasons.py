"""Precise reasons and evidence (issue 13, item 7).

The scenario of the issue: "Uncertain match: confirm these are the same product" was given for a candidate
the tool had vetoed and for a certain match whose strengths differ; the working-group workbook had no evidence
column; a bisoprolol item made of four strength rows and another formulary's six-strength row was named after
its first strength (1.25 mg) in the minutes, the rationale and the audit log.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from review_fixtures import (
    CHESHIRE,
    MERSEYSIDE,
    WORKBOOK,
    chapter_workspace,
    fill,
    merge,
    rows,
    workspace_of,
    write_sources,
)

from harmonise.audit import AuditLog
from harmonise.merge.naming import whole_name
from harmonise.model import Entry, Item, Position, Provenance
from harmonise.publish.content import rationale
from harmonise.review.importer import import_decisions
from harmonise.review.minutes import write_minutes

BISOPROLOL = "Bisoprolol Tablets 1.25mg, 2.5mg, 3.75mg, 5mg, 7.5mg, 10mg"
CHESHIRE_ROWS = [
    *[r for r in CHESHIRE if r[1] != "Bisoprolol"],
    *[["02.04", "Bisoprolol", f"Tablets {s}", "Green"] for s in ("1.25mg", "2.5mg", "5mg", "10mg")],
    ["02.02", "Spironolactone", "Tablets 25mg, 50mg", "Green"],
]
MERSEYSIDE_ROWS = [
    *[r for r in MERSEYSIDE if r[1] != "Bisoprolol"],
    ["02.04", "BISOPROLOL", "Tabs 1.25 mg, 2.5 mg, 3.75 mg, 5 mg, 7.5 mg, 10 mg", "Green"],
    ["02.02", "SPIRONOLACTONE", "Tabs 25 mg, 50 mg, 100 mg", "Green"],
]


@pytest.fixture
def strengths(tmp_path: Path) -> Path:
    root = chapter_workspace(tmp_path)
    write_sources(root, CHESHIRE_ROWS, MERSEYSIDE_ROWS)
    merge(root)
    return root


def shown(root: Path, start: str) -> dict[str, object]:
    return next(r for r in rows(root / WORKBOOK) if str(r["Item"]).startswith(start))


def test_each_escalation_reason_says_what_is_unknown(strengths: Path) -> None:
    reasons = {str(r["Item"]): str(r["Why escalated"]) for r in rows(strengths / WORKBOOK)}
    assert not [r for r in reasons.values() if "confirm these are the same product" in r]
    assert reasons["Doxazosin 4mg tablets"].startswith(
        "R4 Match not settled: vetoed candidate Doxazosin MR Tablets 4mg (Merseyside): release differs: "
        "modified-release vs standard; the tool holds them different products"
    )
    assert reasons["Clopidogrel 75mg tablets"].startswith(
        "R4 Match not settled: possible match with Clopidogrel (Plavix) Tabs 75mg (Merseyside, score 96): "
        "confirm or reject it"
    )
    assert reasons["Spironolactone Tablets 25mg, 50mg, 100mg"].startswith(
        "R4 Match not settled: same product, strengths differ: Cheshire does not list 100mg"
    )
    assert reasons[BISOPROLOL].startswith(
        "R4 Match not settled: same product, strengths differ: Cheshire does not list 3.75mg, 7.5mg"
    )
    assert reasons["Ramipril 2.5mg capsules"].startswith("R8 Formularies disagree on status")


def test_working_group_workbook_shows_the_evidence_of_each_match(strengths: Path) -> None:
    assert "Match evidence" in rows(strengths / WORKBOOK)[0]
    assert str(shown(strengths, "Spironolactone")["Match evidence"]).startswith(
        "strengths differ: cheshire does not list 100mg\nmerseyside: normalised: same substance spironolactone"
    )
    assert "VETO release differs" in str(shown(strengths, "Doxazosin 4mg tablets")["Match evidence"])
    assert shown(strengths, "Ramipril")["Match evidence"] == (
        "merseyside: identical name to the entry of cheshire: Ramipril Capsules 2.5mg"
    )
    assert shown(strengths, "Atorvastatin")["Match evidence"] == "no match: listed by one formulary only"


def test_multi_strength_item_is_named_whole_in_minutes_rationale_and_audit(strengths: Path) -> None:
    assert shown(strengths, "Bisoprolol")["Item"] == BISOPROLOL
    decision = {
        "Decision": "adopt status",
        "Harmonised status": "Green",
        "Rationale": "Every strength first line",
        "Meeting date": dt.date(2024, 3, 12),
        "Decided by": "Dr Shah",
    }
    workspace = workspace_of(strengths)
    assert import_decisions(workspace, fill(strengths / WORKBOOK, {"Bisoprolol": decision}), "alice").ok
    run = merge(strengths)
    minutes = write_minutes(workspace, "2024-03-12").path.read_text(encoding="utf-8")
    assert f"**{BISOPROLOL}**: adopt status Green" in minutes
    notes = rationale(workspace, run.chapters[0]).decisions
    assert [n.drug for n in notes if n.drug.startswith("Bisoprolol")] == [BISOPROLOL]
    names = {
        e.data["item_name"] for e in AuditLog(strengths / "reports/audit.jsonl").read() if "Bisoprolol" in str(e.data)
    }
    assert names == {BISOPROLOL}


def item_of(*names: str) -> Item:
    entries = tuple(Entry(f"s{i}", n, Provenance("f.xlsx", "", i)) for i, n in enumerate(names))
    return Item("k", "2", "", names[0], tuple(Position(e.source, (e,)) for e in entries))


@pytest.mark.parametrize(
    ("names", "whole"),
    [
        (
            ("Digoxin Tablets 62.5 micrograms", "DIGOXIN Tabs 125 mcg, 62.5 mcg, 250 mcg"),
            "Digoxin Tablets 62.5 micrograms, 125 mcg, 250 mcg",
        ),
        (("Furosemide Tablets 40mg", "Furosemide Tablets 1g, 20mg"), "Furosemide Tablets 20mg, 40mg, 1g"),
        (
            ("GTN patches 5mg/24 hours", "GTN patches 10 mg/24 hours"),
            "GTN patches 5mg/24 hours, 10mg/24 hours",
        ),
        (("Amlodipine Tablets 5mg", "AMLODIPINE Tabs 5 mg"), "Amlodipine Tablets 5mg"),  # nothing to add
        (
            ("Estradiol patches 25, 50 micrograms", "Estradiol patches 75 micrograms"),
            "Estradiol patches 25, 50 micrograms",
        ),
        (
            ("Diltiazem MR capsules 90mg (twice daily)", "DILTIAZEM MR caps 120 mg"),
            "Diltiazem MR capsules 90mg (twice daily)",
        ),
    ],
)
def test_whole_name_lists_every_strength_in_order_or_leaves_an_unclear_name(names: tuple[str, ...], whole: str) -> None:
    assert whole_name(item_of(*names)) == whole
