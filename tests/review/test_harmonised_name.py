"""The working group's harmonised name: typed beside a decision, recorded with it (register and audit log),
shown and published as the medicine's name by every later merge, and refused where it cannot apply."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from openpyxl import load_workbook
from review_fixtures import WORKBOOK, chapter_workspace, fill, merge, rows, workspace_of

from harmonise.audit import AuditLog
from harmonise.merge.run import run_merge
from harmonise.publish.content import final_rows
from harmonise.review.importer import import_decisions
from harmonise.review.layout import NAME

MEETING = dt.date(2024, 3, 12)
PLAVIX = "Clopidogrel 75mg tablets (Plavix®)"
NAMED = {
    # listed by Merseyside only as 'Clopidogrel (Plavix) Tabs 75mg': a brand, so shown by that legacy name
    "Clopidogrel (Plavix)": {
        "Decision": "adopt Merseyside position",
        NAME: f"  {PLAVIX} ",
        "Rationale": "Brand kept for the stroke clinic",
        "Meeting date": MEETING,
        "Decided by": "Dr Shah",
    }
}


def imported(root: Path, decisions: dict[str, dict[str, object]]) -> object:
    fill(root / WORKBOOK, decisions)
    return import_decisions(workspace_of(root), root / WORKBOOK, user="alice")


def test_a_harmonised_name_is_recorded_shown_and_published_and_survives_re_merges(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    merge(root)
    report = imported(root, NAMED)
    assert report.ok and [d.name for d in report.recorded] == [PLAVIX]  # type: ignore[attr-defined]
    register = yaml.safe_load((root / "decisions" / "02-cardiovascular.yaml").read_text(encoding="utf-8"))
    [record] = register["decisions"].values()
    assert record["name"] == PLAVIX and record["item"] == "Clopidogrel (Plavix) Tabs 75mg"
    [event] = [e for e in AuditLog(root / "reports" / "audit.jsonl").read() if e.kind == "decision"]
    assert event.data["harmonised_name"] == PLAVIX
    again = import_decisions(workspace_of(root), root / WORKBOOK, user="alice")
    assert again.ok and not again.recorded and len(again.unchanged) == 1  # importing twice changes nothing
    for _ in range(2):  # the next merge applies it, and so does every later one
        merge(root)
        draft = rows(root / "chapters/02-cardiovascular/harmonised-draft.xlsx", "Harmonised")
        row = next(r for r in draft if r["Item"] == PLAVIX)
        assert row["Merseyside: drug"] == "Clopidogrel (Plavix) Tabs 75mg"  # the legacy name stays visible
        assert row["Decided by"] == "working-group"
    workspace = workspace_of(root)
    [chapter] = run_merge(workspace, [workspace.chapter("2")], write=False).chapters
    published = next(r for r in final_rows(workspace.for_chapter(chapter.chapter), chapter) if r.drug == PLAVIX)
    assert published.formulation == "Tabs 75mg" and published.status == "green"


def test_a_harmonised_name_with_a_match_decision_is_refused_at_its_cell(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    merge(root)
    rejected = {
        "Doxazosin 4mg tablets": {
            "Decision": "reject match",
            NAME: "Doxazosin 4mg tablets (Cardura®)",
            "Rationale": "MR is not standard release",
            "Meeting date": MEETING,
            "Decided by": "Dr Shah",
        }
    }
    report = imported(root, rejected)
    [problem] = report.rejected  # type: ignore[attr-defined]
    assert f"column '{NAME}'" in str(problem) and "not with a match decision" in str(problem)
    assert not report.recorded  # type: ignore[attr-defined]


def test_a_workbook_written_before_the_harmonised_name_column_is_still_imported(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    merge(root)
    workbook = load_workbook(root / WORKBOOK)
    sheet = workbook["Decisions"]
    head = [c.value for c in sheet[1]]
    sheet.protection.sheet = False
    sheet.delete_cols(head.index(NAME) + 1)  # the layout of an earlier harmonise
    workbook.save(root / WORKBOOK)
    decision = {k: v for k, v in NAMED["Clopidogrel (Plavix)"].items() if k != NAME}
    report = imported(root, {"Clopidogrel (Plavix)": decision})
    assert report.ok and [(d.decision, d.name) for d in report.recorded] == [("adopt-source", "")]  # type: ignore[attr-defined]
