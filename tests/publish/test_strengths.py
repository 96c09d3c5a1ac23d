"""Issue 13, item 1: strength-level truth, end to end through the CLI.

Two formularies list the same medicine with different strengths (spironolactone 25/50 mg vs 25/50/100 mg;
bisoprolol 1.25-10 mg on four rows vs one row adding 3.75 and 7.5 mg). The item goes to the working group, whose
workbook shows one row per strength with the formularies that list it; the group settles the strengths together
(one decision on the item) or one by one (a decision on a strength row); after ``decisions import``, ``merge``
and ``publish``, every strength any formulary listed is in the published chapter unless a decision removed it,
and the rationale lists the strengths added and removed for each formulary.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from publish_fixtures import SETTLE_RULES
from review_fixtures import WORKBOOK, chapter_workspace, fill, rows, write_sources
from typer.testing import CliRunner

from harmonise.cli import app
from harmonise.merge.run import run_merge
from harmonise.publish.content import final_rows
from harmonise.workspace.config import load_workspace

MEETING = "2024-03-12"
AMLODIPINE = ["02.06", "Amlodipine", "Tablets 5mg", "Green"]  # settled by R5 in both tests: a chapter, not one row
SPIRO_CHESHIRE = [AMLODIPINE, ["02.02", "Spironolactone", "Tablets 25mg, 50mg", "Green"]]
SPIRO_MERSEY = [AMLODIPINE, ["02.02", "SPIRONOLACTONE", "Tabs 25 mg, 50 mg, 100 mg", "Green"]]
BISOPROLOL = [["02.04", "Bisoprolol fumarate", f"Tablets {s}", "Green"] for s in ("1.25mg", "2.5mg", "5mg", "10mg")]
BISO_CHESHIRE = [AMLODIPINE, *BISOPROLOL]
BISO_MERSEY = [
    AMLODIPINE,
    ["02.04", "BISOPROLOL FUMARATE", "Tabs 1.25 mg, 2.5 mg, 3.75 mg, 5 mg, 7.5 mg, 10 mg", "Green"],
]


def invoke(root: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--workspace", str(root), "--user", "secretariat", *args])


def decided(rationale: str, status: str = "", decision: str = "adopt status") -> dict[str, str]:
    return {
        "Decision": decision,
        "Harmonised status": status,
        "Rationale": rationale,
        "Meeting date": MEETING,
        "Decided by": "Dr Shah",
    }


def workspace_with(tmp_path: Path, cheshire: list[list[str]], merseyside: list[list[str]]) -> Path:
    root = chapter_workspace(tmp_path)
    write_sources(root, cheshire, merseyside)
    assert invoke(root, "merge", "--chapter", "2").exit_code == 0
    return root


def decide_and_publish(root: Path, decisions: dict[str, dict[str, str]]) -> tuple[list[dict[str, str]], str]:
    """Fill the workbook, import it, merge again and publish; returns the chapter's rows and the rationale."""
    fill(root / WORKBOOK, decisions)
    imported = invoke(root, "decisions", "import", str(root / WORKBOOK))
    assert imported.exit_code == 0, imported.output
    assert invoke(root, "merge", "--chapter", "2").exit_code == 0
    published = invoke(root, "publish", "--chapter", "2")
    assert published.exit_code == 0, published.output
    folder = root / "published" / "02-cardiovascular" / "v1"
    text = (folder / "chapter.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text))), (folder / "rationale.md").read_text(encoding="utf-8")


def strengths_of(chapter: list[dict[str, str]], drug: str) -> dict[str, str]:
    """Published strength -> status, for every row of one drug."""
    out = {}
    for row in chapter:
        if row["Drug"].casefold() == drug.casefold():
            form = row["Formulation"].removeprefix("Tablets ").removeprefix("Tabs ")
            out.update({s.strip(): row["Status"] for s in form.split(",")})
    return out


def change_lines(rationale: str, formulary: str) -> list[str]:
    """The table rows of one formulary's section of 'Changes against each legacy formulary'."""
    section = rationale.split(f"### {formulary}", 1)[1].split("###", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| **")]


def test_spironolactone_adopted_together_publishes_every_strength_and_says_what_each_formulary_gains(
    tmp_path: Path,
) -> None:
    root = workspace_with(tmp_path, SPIRO_CHESHIRE, SPIRO_MERSEY)
    sheet = {r["Item"]: r for r in rows(root / WORKBOOK)}
    item = next(name for name in sheet if name.startswith("Spironolactone"))
    assert "strengths differ" in sheet[item]["Why escalated"]
    strength_rows = {n: r for n, r in sheet.items() if n.startswith("Strength ")}
    assert list(strength_rows) == [f"Strength {s} of {item}" for s in ("25mg", "50mg", "100mg")]
    hundred = strength_rows[f"Strength 100mg of {item}"]
    assert hundred["Cheshire position"] == "does not list 100mg"
    assert hundred["Merseyside position"] == "lists 100mg: Green"
    assert "listed by Merseyside; not listed by Cheshire" in hundred["Why escalated"]

    chapter, rationale = decide_and_publish(root, {"Spironolactone": decided("one position for both", "Green")})

    assert strengths_of(chapter, "Spironolactone") == {"25mg": "Green", "50mg": "Green", "100mg": "Green"}
    [cheshire] = change_lines(rationale, "Cheshire")
    assert "**STRENGTHS ADDED**" in cheshire and "lists 25mg, 50mg" in cheshire and "adds 100mg (Green)" in cheshire
    assert change_lines(rationale, "Merseyside") == []


def test_spironolactone_decided_strength_by_strength_gives_100mg_its_own_status(tmp_path: Path) -> None:
    root = workspace_with(tmp_path, SPIRO_CHESHIRE, SPIRO_MERSEY)
    item = next(r["Item"] for r in rows(root / WORKBOOK) if str(r["Item"]).startswith("Spironolactone"))
    decisions = {
        f"Strength 25mg of {item}": decided("as both formularies", "Green"),
        f"Strength 50mg of {item}": decided("as both formularies", "Green"),
        f"Strength 100mg of {item}": decided("heart failure: specialist starts it", "Amber initiated"),
    }

    chapter, rationale = decide_and_publish(root, decisions)

    assert strengths_of(chapter, "Spironolactone") == {"25mg": "Green", "50mg": "Green", "100mg": "Amber initiated"}
    [cheshire] = change_lines(rationale, "Cheshire")
    assert "adds 100mg (Amber initiated)" in cheshire
    assert "heart failure: specialist starts it" in rationale


def test_bisoprolol_adopted_together_keeps_3_75mg_and_7_5mg(tmp_path: Path) -> None:
    root = workspace_with(tmp_path, BISO_CHESHIRE, BISO_MERSEY)
    names = [str(r["Item"]) for r in rows(root / WORKBOOK)]
    item = "Bisoprolol fumarate Tablets 1.25mg, 2.5mg, 3.75mg, 5mg, 7.5mg, 10mg"
    assert names == [item, *[f"Strength {s} of {item}" for s in ("1.25mg", "2.5mg", "3.75mg", "5mg", "7.5mg", "10mg")]]

    chapter, rationale = decide_and_publish(root, {"Bisoprolol": decided("same product, all strengths", "Green")})

    every = ("1.25mg", "2.5mg", "3.75mg", "5mg", "7.5mg", "10mg")
    assert strengths_of(chapter, "Bisoprolol fumarate") == dict.fromkeys(every, "Green")
    [cheshire] = change_lines(rationale, "Cheshire")
    assert "adds 3.75mg (Green), 7.5mg (Green)" in cheshire
    assert "lists 1.25mg, 2.5mg, 5mg, 10mg" in cheshire


def test_bisoprolol_strength_removed_by_a_decision_is_listed_as_removed(tmp_path: Path) -> None:
    root = workspace_with(tmp_path, BISO_CHESHIRE, BISO_MERSEY)
    item = "Bisoprolol fumarate Tablets 1.25mg, 2.5mg, 3.75mg, 5mg, 7.5mg, 10mg"
    decisions = {
        "Bisoprolol": decided("same product", "Green"),
        f"Strength 7.5mg of {item}": decided("two 3.75mg tablets instead", decision="exclude"),
    }

    chapter, rationale = decide_and_publish(root, decisions)

    kept = ("1.25mg", "2.5mg", "3.75mg", "5mg", "10mg")
    assert strengths_of(chapter, "Bisoprolol fumarate") == dict.fromkeys(kept, "Green")
    [cheshire] = change_lines(rationale, "Cheshire")
    assert "adds 3.75mg (Green)" in cheshire and "7.5mg" not in cheshire.split("adds")[1]
    [merseyside] = change_lines(rationale, "Merseyside")
    assert "**STRENGTHS REMOVED**" in merseyside and "removes 7.5mg (excluded by the working group)" in merseyside


def test_a_strength_decided_alone_leaves_the_item_with_the_group(tmp_path: Path) -> None:
    root = workspace_with(tmp_path, SPIRO_CHESHIRE, SPIRO_MERSEY)
    item = next(r["Item"] for r in rows(root / WORKBOOK) if str(r["Item"]).startswith("Spironolactone"))
    fill(root / WORKBOOK, {f"Strength 100mg of {item}": decided("not needed", decision="exclude")})
    assert invoke(root, "decisions", "import", str(root / WORKBOOK)).exit_code == 0
    assert invoke(root, "merge", "--chapter", "2").exit_code == 0

    sheet = {r["Item"]: r for r in rows(root / WORKBOOK)}
    assert "still to decide: 25mg, 50mg" in sheet[item]["Why escalated"]
    refused = invoke(root, "publish", "--chapter", "2")
    assert refused.exit_code == 2 and "Spironolactone" in refused.output


def test_a_rule_that_adopts_an_item_publishes_every_strength(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    (root / "rules" / "default.yaml").write_text(SETTLE_RULES, encoding="utf-8")
    mersey = [AMLODIPINE, ["02.02", "SPIRONOLACTONE", "Tabs 25 mg, 50 mg, 100 mg", "Amber Recommended"]]
    write_sources(root, SPIRO_CHESHIRE, mersey)
    workspace = load_workspace(root)
    merge = run_merge(workspace, [workspace.chapter("2")], write=False).chapters[0]
    [spiro] = [r for r in merge.results if r.item.name.startswith("Spironolactone")]
    assert spiro.outcome.decided_by == "S5"  # the more restrictive status: no decision, no strength decision

    rows_out = [r for r in final_rows(workspace, merge) if r.drug == "Spironolactone"]
    assert [(r.formulation, r.status) for r in rows_out] == [("Tablets 25mg, 50mg, 100mg", "amber-recommended")]
