"""The medicine's name in the published chapter: its current BNF name when it resolved to one presentation,
else the best-formed legacy name; never the upper-case shorthand of a legacy export."""

from __future__ import annotations

import csv
from pathlib import Path

from publish_fixtures import publish_workspace
from typer.testing import CliRunner

from harmonise.cli import app

CHESHIRE = [
    ["02.02", "Furosemide", "Tablets 20mg, 40mg", "Green", "1st", "F", "", "", "C1"],
    ["02.12", "Atorvastatin", "Tablets 20mg", "Green", "1st", "F", "", "", "C2"],
]
MERSEYSIDE = [
    ["02.02", "FUROSEMIDE", "Tabs 20 mg", "Green", "", ""],
    ["02.02", "FUROSEMIDE", "Tabs 40 mg", "Green", "", ""],
    ["02.02", "FUROSEMIDE", "Tabs 500 mg", "Red", "Renal and heart failure specialists only", ""],
    ["02.12", "ATORVASTATIN", "Tabs 20 mg", "Green", "", ""],
]


def test_published_names_are_current_or_best_formed(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws", cheshire=CHESHIRE, merseyside=MERSEYSIDE)
    result = CliRunner().invoke(app, ["--workspace", str(root), "--user", "secretariat", "publish", "--chapter", "2"])
    assert result.exit_code == 0, result.output
    version = root / "published" / "02-cardiovascular" / "v1"
    rows = list(csv.DictReader((version / "chapter.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["Drug"], r["Formulation"], r["Status"]) for r in rows] == [
        ("Furosemide", "Tablets 20mg, 40mg", "Green"),  # two strengths, no one presentation: Cheshire's hand
        ("Furosemide 500mg tablets", "", "Red"),  # Merseyside's 'FUROSEMIDE Tabs 500 mg', by its current name
        ("Atorvastatin 20mg tablets", "", "Green"),  # the current name states form and strength
    ]
    rationale = (version / "rationale.md").read_text(encoding="utf-8")
    assert "| **ADDED** | 02.02 | Furosemide 500mg tablets |" in rationale
    assert "FUROSEMIDE" not in rationale and "FUROSEMIDE" not in (version / "chapter.html").read_text(encoding="utf-8")
