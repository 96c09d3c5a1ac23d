"""``harmonise check``: every finding located, the data-error report a pharmacist can work from, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CHESHIRE_HEADER, MERSEY_HEADER, write_xlsx
from openpyxl import load_workbook
from typer.testing import CliRunner

from harmonise.cli import app

CH02 = "chapters/02-cardiovascular"


def chapter(root: Path, cheshire_rows: list[list[object]]) -> Path:
    write_xlsx(root / CH02 / "cheshire.xlsx", {"Formulary": [CHESHIRE_HEADER, *cheshire_rows]})
    write_xlsx(
        root / CH02 / "merseyside.xlsx", {"Formulary": [MERSEY_HEADER, ["2.12", "ATORVASTATIN", "Tabs 20 mg", "Green"]]}
    )
    return root


def invoke(root: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["--workspace", str(root), "check", *args])


def test_unreadable_strength_is_a_warning_and_readable_ones_are_not(workspace_dir: Path) -> None:
    chapter(
        workspace_dir,
        [
            ["2.12", "Atorvastatin", "Tablets 20", "Green"],  # a number without a unit
            ["2.7.3", "Adrenaline", "Injection 1 in 1000", "Red"],  # a ratio strength the parser does not read
            ["2.12", "Simvastatin", "Tablets 40mg", "Green"],
            ["2.12", "Ezetimibe", "Tablets", "Green"],  # no strength given at all: nothing to warn
            ["2.2.1", "Co-amilofruse", "Tablets 5/40", "Green"],  # co- name ratio: readable
        ],
    )
    result = invoke(workspace_dir, "--chapter", "2", "--json")
    assert result.exit_code == 0, result.output  # warnings only
    warnings = [f for c in json.loads(result.stdout)["chapters"] for f in c["findings"]]
    assert [(f["kind"], f["row"], f["column"], f["value"]) for f in warnings] == [
        ("unparseable-strength", 2, "Formulation / Strength", "Tablets 20"),
        ("unparseable-strength", 3, "Formulation / Strength", "Injection 1 in 1000"),
    ]


def test_errors_exit_1_and_the_report_names_every_location(workspace_dir: Path) -> None:
    chapter(workspace_dir, [["2.12", "Atorvastatin", "Tablets 20mg", "Ambr"], ["2.12", None, "Tablets 40mg", "Green"]])
    result = invoke(workspace_dir, "--all")
    assert result.exit_code == 1
    assert "1 errors" not in result.output and "2 errors, 0 warnings" in " ".join(result.output.split())
    report = load_workbook(workspace_dir / "reports" / "02-cardiovascular" / "data-errors.xlsx")
    rows = list(report["Data errors"].iter_rows(values_only=True))
    assert rows[0][:8] == ("Severity", "Problem", "Source", "File", "Sheet", "Row", "Column", "Value")
    assert [(r[1], r[5], r[6], r[7]) for r in rows[1:]] == [
        ("Unknown status word", 2, "Status", "Ambr"),
        ("Empty drug name", 3, "Drug", None),
    ]
    assert "What each problem means" in report.sheetnames


def test_check_without_a_chapter_is_a_usage_error(workspace_dir: Path) -> None:
    result = invoke(workspace_dir)
    assert result.exit_code == 2 and "--chapter N" in result.output


def test_check_json_equals_the_library_report(workspace_dir: Path) -> None:
    from harmonise.matching import entry_checks
    from harmonise.sources import check_chapters
    from harmonise.workspace import load_workspace

    chapter(workspace_dir, [["2.12", "Atorvastatin", "Tablets 20mg", "Ambr"]])
    result = invoke(workspace_dir, "--chapter", "2", "--json", "--no-report")
    workspace = load_workspace(workspace_dir)
    checks = entry_checks(workspace)
    expected = check_chapters(workspace, [workspace.chapter("2")], write=False, entry_checks=checks).to_json()
    assert json.loads(result.stdout) == expected
    assert not (workspace_dir / "reports").exists()
