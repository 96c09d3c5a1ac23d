"""The working-group loop end to end: merge -> fill in the workbook -> import -> merge again.

Decided items are settled with the group's status and rationale, deferred ones retained both, the rest still
escalated; a decision whose legacy entries changed goes back to the group; one whose entries are gone is
reported; and every step is in the audit log.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from openpyxl import load_workbook
from review_fixtures import (
    CHESHIRE,
    DECIDED,
    MEETING,
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
from harmonise.merge.chapter import ItemResult
from harmonise.merge.run import MergeRun
from harmonise.review.importer import import_decisions
from harmonise.review.register import load_register, register_path


def result_for(run: MergeRun, start: str) -> ItemResult:
    return next(r for r in run.chapters[0].results if r.item.name.startswith(start))


def decide_and_rerun(tmp_path: Path) -> tuple[Path, MergeRun]:
    root = chapter_workspace(tmp_path)
    merge(root)
    report = import_decisions(workspace_of(root), fill(root / WORKBOOK, DECIDED), "alice")
    assert report.ok, report.rejected
    return root, merge(root)


def test_decided_items_are_settled_and_the_rest_stay_with_the_group(tmp_path: Path) -> None:
    root, run = decide_and_rerun(tmp_path)
    ramipril = result_for(run, "Ramipril").outcome
    assert (ramipril.kind, ramipril.status, ramipril.decided_by) == (
        "adopt",
        "amber-recommended",
        "working-group",
    )
    assert ramipril.rationale == "Initiation in primary care is safe (working group, meeting 2024-03-12, Dr Shah)"
    atorvastatin = result_for(run, "Atorvastatin").outcome
    assert (atorvastatin.kind, atorvastatin.status, atorvastatin.source) == ("adopt", "green", "cheshire")
    bisoprolol = result_for(run, "Bisoprolol")
    assert (bisoprolol.outcome.kind, bisoprolol.flags) == ("retain-both", ("pending chapter review",))
    assert result_for(run, "Digoxin").outcome.kind == "escalate"
    doxazosin = result_for(run, "Doxazosin 4mg tablets")
    assert doxazosin.item.match.candidates == () and doxazosin.outcome.decided_by == "R7"  # never offered again
    still = sorted(r["Item"] for r in rows(root / WORKBOOK))
    assert still == [
        "Clopidogrel (Plavix) Tabs 75mg",  # a brand the formulary names keeps its own name
        "Clopidogrel 75mg tablets",  # the others are shown by their current BNF names
        "Digoxin 125microgram tablets",
        "Doxazosin 4mg modified-release tablets",
        "Doxazosin 4mg tablets",
    ]


def test_draft_shows_undecided_items_as_pending_chapter_review(tmp_path: Path) -> None:
    root, _ = decide_and_rerun(tmp_path)
    draft = rows(root / "chapters/02-cardiovascular/harmonised-draft.xlsx", "Harmonised")
    by_item = {r["Item"]: r for r in draft}
    assert by_item["Digoxin 125microgram tablets"]["Outcome"] == (
        "pending chapter review (both legacy positions retained)"
    )
    assert by_item["Bisoprolol 5mg tablets"]["Flags"] == "pending chapter review"
    assert by_item["Ramipril 2.5mg capsules"]["Harmonised status"] == "Amber recommended"


def test_confirmed_match_joins_the_entries_into_one_item(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    merge(root)
    confirm = {
        "Clopidogrel 75mg tablets": {
            "Decision": "confirm match",
            "Rationale": "same product in practice",
            "Meeting date": MEETING,
            "Decided by": "Dr Shah",
        }
    }  # one candidate: its number may be left blank
    assert import_decisions(workspace_of(root), fill(root / WORKBOOK, confirm), "alice").ok
    run = merge(root)
    joined = result_for(run, "Clopidogrel")
    assert [e.source for e in joined.item.entries] == ["cheshire", "merseyside"]
    assert joined.item.match.level == "confirmed"
    assert joined.outcome.decided_by == "R5"  # the joined item gets its own rule (or decision)
    assert sum(r.item.name.startswith("Clopidogrel") for r in run.chapters[0].results) == 1
    assert not any(r["Item"].startswith("Clopidogrel") for r in rows(root / WORKBOOK))


def test_changed_legacy_entry_makes_the_decision_stale(tmp_path: Path) -> None:
    root, _ = decide_and_rerun(tmp_path)
    write_sources(root, merseyside=[r if r[1] != "Ramipril" else [*r[:3], "Red"] for r in MERSEYSIDE])
    run = merge(root)
    ramipril = result_for(run, "Ramipril").outcome
    assert (ramipril.kind, ramipril.decided_by) == ("escalate", "stale-decision")
    assert "adopt status Amber recommended (meeting 2024-03-12, Dr Shah)" in ramipril.rationale
    assert "merseyside Ramipril Capsules 2.5mg: status 'Amber Recommended' is now 'Red'" in ramipril.rationale
    row = next(r for r in rows(root / WORKBOOK) if r["Item"].startswith("Ramipril"))
    assert row["Previous decision"].startswith("adopt status Amber recommended (meeting 2024-03-12, Dr Shah)")
    events = AuditLog(root / "reports/audit.jsonl").read()
    stale = [e for e in events if e.kind == "decision-stale"]
    assert [e.data["item_name"] for e in stale] == ["Ramipril 2.5mg capsules"]
    merge(root)
    assert len([e for e in AuditLog(root / "reports/audit.jsonl").read() if e.kind == "decision-stale"]) == 1


def test_stale_item_decided_again_is_settled_and_the_old_decision_kept(tmp_path: Path) -> None:
    root, _ = decide_and_rerun(tmp_path)
    write_sources(root, merseyside=[r if r[1] != "Ramipril" else [*r[:3], "Red"] for r in MERSEYSIDE])
    merge(root)
    again = {
        "Ramipril": {
            "Decision": "adopt Merseyside position",
            "Rationale": "Specialist only now",
            "Meeting date": dt.date(2024, 4, 9),
            "Decided by": "Dr Shah",
        }
    }
    assert import_decisions(workspace_of(root), fill(root / WORKBOOK, again), "alice").ok
    run = merge(root)
    assert (result_for(run, "Ramipril").outcome.status, run.reviews["02-cardiovascular"].stale) == ("red", {})
    workspace = workspace_of(root)
    chapter = workspace.chapter("2")
    register = load_register(register_path(workspace, chapter), chapter, workspace.scale)
    assert sorted(d.meeting for d in register.decisions.values() if d.item.startswith("Ramipril")) == [
        "2024-03-12",
        "2024-04-09",
    ]


def test_decision_on_entries_no_longer_listed_is_reported_vanished(tmp_path: Path) -> None:
    root, _ = decide_and_rerun(tmp_path)
    write_sources(root, cheshire=[r for r in CHESHIRE if r[1] != "Atorvastatin"])
    run = merge(root)
    assert [d.item for d in run.reviews["02-cardiovascular"].vanished] == ["Atorvastatin 20mg tablets"]
    vanished = [e for e in AuditLog(root / "reports/audit.jsonl").read() if e.kind == "decision-vanished"]
    assert vanished[0].data["reason"] == "none of the legacy entries decided is listed any more"


def test_audit_log_records_runs_decisions_and_changed_outcomes(tmp_path: Path) -> None:
    root, _ = decide_and_rerun(tmp_path)
    log = AuditLog(root / "reports/audit.jsonl")
    assert log.verify().ok
    events = log.read()
    assert [e.kind for e in events].count("run") == 2
    first_run = events[0].data
    assert set(first_run["inputs"]) == {
        "chapters/02-cardiovascular/cheshire.xlsx",
        "chapters/02-cardiovascular/merseyside.xlsx",
        "rules/default.yaml",
        "reference:bnf-code-information-2024-11.json.gz",  # the shipped BNF reference the matcher used
    }
    assert first_run["inputs"]["reference:bnf-code-information-2024-11.json.gz"]["sha256"]
    assert first_run["rules"] and first_run["config"]["sha256"]
    decisions = [e for e in events if e.kind == "decision"]
    assert sorted(e.data["item_name"] for e in decisions) == sorted(
        [
            "Ramipril 2.5mg capsules",
            "Bisoprolol 5mg tablets",
            "Atorvastatin 20mg tablets",
            "Doxazosin 4mg tablets",
        ]
    )
    second = events[[i for i, e in enumerate(events) if e.kind == "run"][1] :]
    changed = {e.data["item_name"]: e.data for e in second if e.kind == "outcome"}
    assert set(changed) == {
        "Ramipril 2.5mg capsules",
        "Bisoprolol 5mg tablets",
        "Atorvastatin 20mg tablets",
        "Doxazosin 4mg tablets",
        "Doxazosin 4mg modified-release tablets",
    }
    assert changed["Ramipril 2.5mg capsules"]["before"] == {
        "kind": "escalate",
        "status": None,
        "decided_by": "R8",
    }
    assert changed["Ramipril 2.5mg capsules"]["after"]["decided_by"] == "working-group"
    assert all(e.user == "alice" for e in events)
    assert (root / "reports/02-cardiovascular/outcomes.json").is_file()


def test_unchanged_rerun_logs_no_outcome_events(tmp_path: Path) -> None:
    root, _ = decide_and_rerun(tmp_path)
    before = len(AuditLog(root / "reports/audit.jsonl").read())
    merge(root)
    after = AuditLog(root / "reports/audit.jsonl").read()
    assert [e.kind for e in after[before:]] == ["run"]


def _import(root: str, path: str) -> tuple[int, int]:
    report = import_decisions(workspace_of(Path(root)), Path(path), "alice")
    return len(report.recorded), len(report.unchanged)


def test_two_imports_at_once_record_each_decision_once(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    merge(root)
    filled = fill(root / WORKBOOK, DECIDED)
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_import, [str(root)] * 2, [str(filled)] * 2))
    assert sorted(results) == [(0, 4), (4, 0)]
    log = AuditLog(root / "reports/audit.jsonl")
    assert log.verify().ok and [e.kind for e in log.read()].count("decision") == 4
    workspace = workspace_of(root)
    chapter = workspace.chapter("2")
    assert len(load_register(register_path(workspace, chapter), chapter, workspace.scale).decisions) == 4
    assert load_workbook(filled)["Decisions"].protection.sheet
