"""Notes and NICE TA references merged from every legacy entry of an item: said once, never dropped."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from publish_fixtures import publish_workspace
from typer.testing import CliRunner

from harmonise.cli import app
from harmonise.publish.notes import merge_nice_ta, merge_notes


@pytest.mark.parametrize(
    ("notes", "merged"),
    [
        # the same note in another hand: case, spacing and a final full stop set aside
        (["Lipid clinic only.", "lipid  clinic only"], "Lipid clinic only."),
        (["Prescribe by brand: Zemtard®", "PRESCRIBE BY BRAND: Zemtard®;"], "Prescribe by brand: Zemtard®"),
        # contained in another is not the same: 'only' changes what the note says, so both stay
        (["Lipid clinic only", "Lipid clinic"], "Lipid clinic only; Lipid clinic"),
        (
            ["Prescribe by brand: Adalat® LA", "Prescribe by brand"],
            "Prescribe by brand: Adalat® LA; Prescribe by brand",
        ),
        # a note made of parts: a part said again by another formulary is said once, the rest kept in order
        (
            ["Short-term use only (2-4 weeks); Schedule 4 controlled drug", "short-term use only (2-4 weeks)"],
            "Short-term use only (2-4 weeks); Schedule 4 controlled drug",
        ),
        (
            ["Renal and heart failure specialists only\nNot for initiation in primary care", ""],
            ("Renal and heart failure specialists only; Not for initiation in primary care"),
        ),
        (["", "  ", ";"], ""),
    ],
)
def test_notes_are_said_once_and_never_dropped(notes: list[str], merged: str) -> None:
    assert merge_notes(notes) == merged


@pytest.mark.parametrize(
    ("cells", "merged"),
    [
        (["TA420; TA236", "TA236, TA420"], "TA236; TA420"),  # the cell the issue quotes, from two formularies
        (["TA 420", "ta420", "TA420", "TA-420"], "TA420"),
        (["TA94", "TA 393"], "TA94; TA393"),  # by appraisal number, not as text (TA393 before TA94)
        (["TA249 and TA355", "TA256/TA275"], "TA249; TA256; TA275; TA355"),
        # words beside a reference are kept with it, the reference normalised
        (["ta 223 not recommended", "TA223"], "TA223; TA223 not recommended"),
        (["TA385", "NICE TA pending"], "TA385; NICE TA pending"),
        (["", ""], ""),
    ],
)
def test_nice_ta_references_are_normalised_deduplicated_and_sorted(cells: list[str], merged: str) -> None:
    assert merge_nice_ta(cells) == merged


TICAGRELOR_CHESHIRE = [
    "02.09",
    "Ticagrelor",
    "Tablets 90mg",
    "Red",
    "",
    "F",
    "After MI, with aspirin.",
    "TA420; TA236",
    "C9",
]
TICAGRELOR_MERSEY = [
    "02.09",
    "TICAGRELOR",
    "Tabs 90 mg",
    "Red",
    "after MI, with aspirin; Cardiology initiation",
    "TA 236, ta420",
]


def test_published_chapter_merges_the_notes_and_references_of_both_formularies(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws", cheshire=[TICAGRELOR_CHESHIRE], merseyside=[TICAGRELOR_MERSEY])
    result = CliRunner().invoke(app, ["--workspace", str(root), "--user", "secretariat", "publish", "--chapter", "2"])
    assert result.exit_code == 0, result.output
    path = root / "published" / "02-cardiovascular" / "v1" / "chapter.csv"
    [row] = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert row["Notes"] == "After MI, with aspirin.; Cardiology initiation"
    assert row["NICE TA"] == "TA236; TA420"
