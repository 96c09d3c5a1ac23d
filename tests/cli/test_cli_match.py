"""``harmonise match`` through the command line: exit codes, messages, output file and --json parity."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from openpyxl import Workbook
from typer.testing import CliRunner

from harmonise.cli import app
from harmonise.matching import Named, match_names
from harmonise.matching.files import OUTPUT_COLUMNS

runner = CliRunner()


def write_csv(path: Path, rows: list[tuple[str, ...]], header: tuple[str, ...] = ("id", "name", "bnf_chapter")) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def lists(tmp_path: Path) -> tuple[Path, Path]:
    left = write_csv(
        tmp_path / "left.csv", [("A1", "Gliclazide_Tab 60mg M/R", "06"), ("A2", "Amlodipine 7mg tablets", "02")]
    )
    right = write_csv(
        tmp_path / "right.csv",
        [("B1", "Gliclazide 60mg modified-release tablets", "06"), ("B2", "Amlodipine 5mg tablets", "02")],
    )
    return left, right


def test_match_writes_the_csv_contract(tmp_path: Path) -> None:
    left, right = lists(tmp_path)
    out = tmp_path / "matches.csv"
    result = runner.invoke(app, ["match", str(left), str(right), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 automatic matches" in result.output
    with open(out, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == OUTPUT_COLUMNS
    assert [(r["left_id"], r["right_id"], r["decision"], r["rank"]) for r in rows] == [
        ("A1", "B1", "auto", "1"),
        ("A2", "B2", "candidate", "1"),
    ]
    assert "VETO strength differs" in rows[1]["evidence"]


def test_json_summary_matches_the_library(tmp_path: Path) -> None:
    left, right = lists(tmp_path)
    result = runner.invoke(app, ["match", str(left), str(right), "--out", str(tmp_path / "m.csv"), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    pairs = match_names(
        [Named("A1", "Gliclazide_Tab 60mg M/R", "06"), Named("A2", "Amlodipine 7mg tablets", "02")],
        [Named("B1", "Gliclazide 60mg modified-release tablets", "06"), Named("B2", "Amlodipine 5mg tablets", "02")],
    )
    assert summary["auto"] == sum(p.decision == "auto" for p in pairs)
    assert summary["candidates"] == sum(p.decision == "candidate" for p in pairs)


def test_xlsx_input(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["id", "name"])
    book.active.append(["X1", "Amlodipine 5mg tablets"])
    book.save(tmp_path / "left.xlsx")
    _, right = lists(tmp_path)
    result = runner.invoke(app, ["match", str(tmp_path / "left.xlsx"), str(right), "--out", str(tmp_path / "m.csv")])
    assert result.exit_code == 0, result.output
    assert "X1,B2,auto" in (tmp_path / "m.csv").read_text(encoding="utf-8")


def test_missing_file_exits_2_naming_it(tmp_path: Path) -> None:
    left, _ = lists(tmp_path)
    result = runner.invoke(app, ["match", str(left), str(tmp_path / "nope.csv"), "--out", str(tmp_path / "m.csv")])
    assert result.exit_code == 2
    assert "nope.csv: file not found" in result.output
    assert not (tmp_path / "m.csv").exists()


def test_missing_column_exits_2_naming_file_and_column(tmp_path: Path) -> None:
    left, _ = lists(tmp_path)
    bad = write_csv(tmp_path / "bad.csv", [("B1", "x")], header=("id", "drug"))
    result = runner.invoke(app, ["match", str(left), str(bad), "--out", str(tmp_path / "m.csv")])
    assert result.exit_code == 2
    assert "bad.csv row 1: missing column(s) 'name'" in result.output


def test_duplicate_id_exits_2_naming_the_row(tmp_path: Path) -> None:
    _, right = lists(tmp_path)
    dup = write_csv(tmp_path / "dup.csv", [("A1", "Amlodipine 5mg tablets", ""), ("A1", "Amlodipine 10mg tablets", "")])
    result = runner.invoke(app, ["match", str(dup), str(right), "--out", str(tmp_path / "m.csv")])
    assert result.exit_code == 2
    assert "dup.csv row 3" in result.output and "duplicate id 'A1' (first on row 2)" in result.output


def test_bad_reference_exits_2(tmp_path: Path) -> None:
    left, right = lists(tmp_path)
    result = runner.invoke(
        app, ["match", str(left), str(right), "--out", str(tmp_path / "m.csv"), "--reference", str(left)]
    )
    assert result.exit_code == 2
    assert "not a BNF Code Information CSV" in result.output
