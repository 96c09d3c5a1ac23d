"""The BNF reference on by default, ``--no-reference``, ``reference: none`` and ``harmonise reference build``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import TWO_SOURCE_CONFIG, make_workspace
from typer.testing import CliRunner

from harmonise.audit import AuditLog
from harmonise.cli import app
from harmonise.matching import reference_path, workspace_reference
from harmonise.workspace import load_workspace

runner = CliRunner()
RELEASE_HEADER = (
    "BNF Chapter,BNF Chapter Code,BNF Chemical Substance,BNF Chemical Substance Code,BNF Product,"
    "BNF Product Code,BNF Presentation,BNF Presentation Code"
)
# a release as NHSBSA would publish it a year on: one brand that no knowledge file names yet
NEWER_RELEASE = [
    "Musculoskeletal and Joint Diseases,10,Aceclofenac,100101080,Preservex,100101080BB,Preservex 100mg tablets,"
    "100101080BBAAAA",
    "Musculoskeletal and Joint Diseases,10,Aceclofenac,100101080,Aceclofenac,100101080AA,Aceclofenac 100mg tablets,"
    "100101080AAAAAA",
    "Musculoskeletal and Joint Diseases,10,Aceclofenac,100101080,Aceclofenac,100101080AA,MDR BNF code - DO NOT USE,"
    "100101080AAABAB",
]


def write_list(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([("id", "name", "bnf_chapter"), *rows])
    return path


def brand_lists(tmp_path: Path) -> tuple[Path, Path]:
    left = write_list(tmp_path / "left.csv", [("L1", "Preservex 100mg tablets", "10")])
    right = write_list(
        tmp_path / "right.csv", [("R1", "Aceclofenac 100mg tablets", "10"), ("R2", "Aceclofenac 200mg tablets", "10")]
    )
    return left, right


def decisions(out: Path) -> list[tuple[str, str, str]]:
    with open(out, encoding="utf-8") as handle:
        return [(r["left_id"], r["right_id"], r["decision"]) for r in csv.DictReader(handle)]


def test_match_uses_the_shipped_reference_by_default_and_not_with_no_reference(tmp_path: Path) -> None:
    left, right = brand_lists(tmp_path)
    out = tmp_path / "with.csv"
    assert runner.invoke(app, ["match", str(left), str(right), "--out", str(out)]).exit_code == 0
    assert ("L1", "R1", "auto") in decisions(out)  # Preservex is aceclofenac: only the reference knows
    bare = tmp_path / "without.csv"
    result = runner.invoke(app, ["match", str(left), str(right), "--out", str(bare), "--no-reference"])
    assert result.exit_code == 0, result.output
    assert ("L1", "R1", "auto") not in decisions(bare)


def test_reference_and_no_reference_together_is_a_usage_error(tmp_path: Path) -> None:
    left, right = brand_lists(tmp_path)
    args = ["match", str(left), str(right), "--out", str(tmp_path / "m.csv"), "--no-reference"]
    result = runner.invoke(app, [*args, "--reference", str(left)])
    assert result.exit_code == 2 and "contradict" in result.output
    assert not (tmp_path / "m.csv").exists()


def test_a_workspace_uses_the_shipped_reference_unless_it_says_none(tmp_path: Path) -> None:
    default = load_workspace(make_workspace(tmp_path / "default"))
    assert workspace_reference(default) is not None
    assert reference_path(default).name == "bnf-code-information-2024-11.json.gz"  # type: ignore[union-attr]
    off = load_workspace(make_workspace(tmp_path / "off", TWO_SOURCE_CONFIG + "reference: none\n"))
    assert off.reference_off and workspace_reference(off) is None


def test_reference_build_writes_the_pack_into_the_workspace_and_logs_it(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    release = tmp_path / "bnf-code-information-2025-11.csv"
    release.write_text("\n".join([RELEASE_HEADER, *NEWER_RELEASE]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["--workspace", str(root), "--user", "pat", "reference", "build", str(release)])
    assert result.exit_code == 0, result.output
    assert "release 2025-11, 2 presentations" in " ".join(result.output.split())
    assert (root / "reference" / "bnf-code-information.json.gz").is_file()
    info = runner.invoke(app, ["--workspace", str(root), "reference", "info", "--json"])
    assert json.loads(info.stdout)["release"] == "2025-11" and json.loads(info.stdout)["presentations"] == 2
    events = AuditLog(root / "reports" / "audit.jsonl").read()
    assert [(e.kind, e.user, e.data["release"], e.data["source"]) for e in events] == [
        ("reference", "pat", "2025-11", "bnf-code-information-2025-11.csv")
    ]


def test_reference_build_of_a_file_that_is_not_a_release_writes_nothing(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    wrong = write_list(tmp_path / "bnf-2025-11.csv", [("L1", "Preservex 100mg tablets", "10")])
    result = runner.invoke(app, ["--workspace", str(root), "reference", "build", str(wrong)])
    assert result.exit_code == 2
    assert "not a BNF Code Information CSV: missing column(s)" in " ".join(result.output.split())
    assert not (root / "reference").exists() and not (root / "reports").exists()
