"""Publishing a chapter: refused while items are unsettled; versioned read-only folders never overwritten;
the final chapter (xlsx, CSV, web page) and the committee's rationale summary, built by the real pipeline."""

from __future__ import annotations

import csv
import json
import stat
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from publish_fixtures import SCRIPT_NAME, publish_workspace
from typer.testing import CliRunner

from harmonise.audit import AuditLog
from harmonise.cli import app
from harmonise.errors import InputError
from harmonise.merge.run import run_merge
from harmonise.output.files import sha256_file
from harmonise.publish.content import rationale
from harmonise.publish.versions import publish_chapter, publish_merged
from harmonise.workspace.config import load_workspace


def fixed_clock() -> datetime:
    return datetime(2025, 3, 4, 10, 30, tzinfo=UTC)


def invoke(root: Path, *args: str) -> object:
    return CliRunner().invoke(app, ["--workspace", str(root), "--user", "secretariat", *args])


def test_unfinished_chapter_is_refused_with_its_blocking_items(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws", settle=False)
    result = invoke(root, "publish", "--chapter", "2")
    assert result.exit_code == 2, result.output
    out = " ".join(result.output.split())
    assert "cannot be published: 3 item(s)" in out
    for name, rule in (("Bisoprolol", "R8"), ("Nicorandil", "R7"), ("Amiodarone", "R7")):
        assert name in out and rule in out
    assert "Amlodipine" not in out
    assert not (root / "published").exists()  # refused before anything is written


def test_second_publish_is_version_2_and_leaves_version_1_untouched(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws")
    first = invoke(root, "publish", "--chapter", "2")
    assert first.exit_code == 0, first.output
    v1 = root / "published" / "02-cardiovascular" / "v1"
    before = {p.name: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode)) for p in v1.iterdir()}
    assert set(before) == {
        "chapter.xlsx",
        "chapter.csv",
        "chapter.html",
        "rationale.md",
        "rationale.html",
        "rationale.docx",
        "manifest.json",
    }
    assert {mode for _, mode in before.values()} == {0o444}
    second = invoke(root, "publish", "--chapter", "2", "--json")
    assert second.exit_code == 0, second.output
    assert json.loads(second.output)["version"] == 2
    assert (root / "published" / "02-cardiovascular" / "v2" / "chapter.xlsx").is_file()
    after = {p.name: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode)) for p in v1.iterdir()}
    assert after == before
    assert sorted(p.name for p in v1.parent.iterdir()) == ["v1", "v2"]  # no temporary folder left behind


def test_manifest_and_audit_event_carry_every_file_hash(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws")
    workspace = load_workspace(root)
    publication = publish_chapter(workspace, workspace.chapter("2"), user="anna", clock=fixed_clock)
    manifest = json.loads((publication.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == 1 and manifest["by"] == "anna" and manifest["chapter"] == "2"
    assert manifest["published_at"] == "2025-03-04T10:30:00Z"
    assert manifest["rules_digest"] == run_merge(workspace, [workspace.chapter("2")], write=False).rules.digest
    for name, digest in manifest["files"].items():
        assert sha256_file(publication.folder / name) == digest
    events = [e for e in AuditLog(root / "reports" / "audit.jsonl").read() if e.kind == "publication"]
    assert len(events) == 1 and events[0].user == "anna"
    assert events[0].data["version"] == 1 and events[0].data["chapter"] == "2"
    assert events[0].data["files"]["manifest.json"] == sha256_file(publication.folder / "manifest.json")
    assert {k: v for k, v in events[0].data["files"].items() if k != "manifest.json"} == manifest["files"]


def test_existing_version_folder_is_never_overwritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = publish_workspace(tmp_path / "ws")
    workspace = load_workspace(root)
    monkeypatch.setattr("harmonise.publish.versions.next_version", lambda folder: 1)
    (root / "published" / "02-cardiovascular" / "v1").mkdir(parents=True)
    (root / "published" / "02-cardiovascular" / "v1" / "keep.txt").write_text("earlier", encoding="utf-8")
    with pytest.raises(InputError, match="already exists"):
        publish_chapter(workspace, workspace.chapter("2"), user="anna")
    assert (root / "published" / "02-cardiovascular" / "v1" / "keep.txt").read_text(encoding="utf-8") == "earlier"
    assert sorted(p.name for p in (root / "published" / "02-cardiovascular").iterdir()) == ["v1"]


def read_final_xlsx(path: Path) -> list[dict[str, object]]:
    sheet = load_workbook(path)["Chapter"]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_final_chapter_holds_adopted_and_retained_items_only(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws")
    workspace = load_workspace(root)
    folder = publish_chapter(workspace, workspace.chapter("2"), user="anna").folder
    rows = {r["Drug"]: r for r in read_final_xlsx(folder / "chapter.xlsx")}
    assert set(rows) == {
        "Amlodipine 5mg tablets",  # shown by their current BNF names
        "Bisoprolol 2.5mg tablets",
        "Nicorandil 10mg tablets",
        SCRIPT_NAME,  # no current presentation: its legacy name
        "Atorvastatin 20mg tablets",
        "Amiodarone 100mg tablets",
    }
    assert "Doxazosin" not in rows  # excluded
    assert rows["Bisoprolol 2.5mg tablets"]["Status"] == "Amber recommended"
    assert (
        rows["Amiodarone 100mg tablets"]["Status code"] == "red"
        and rows["Amiodarone 100mg tablets"]["Decided by"] == "S3"
    )
    nicorandil = rows["Nicorandil 10mg tablets"]
    assert nicorandil["Flag"] == "pending chapter review" and nicorandil["Status code"] == "retain-both"
    assert nicorandil["Cheshire legacy position"] == "Green, 2nd"
    assert nicorandil["Merseyside legacy position"] == "not listed (non-formulary)"
    assert (
        rows["Atorvastatin 20mg tablets"]["NICE TA"] == "TA94"
        and rows["Atorvastatin 20mg tablets"]["Section"] == "02.12"
    )
    assert rows["Amlodipine 5mg tablets"]["Notes"] == "+SUM(A1:A9)"  # stored as inert text, not a formula
    cell = next(c for c in load_workbook(folder / "chapter.xlsx")["Chapter"]["G"] if c.value == "+SUM(A1:A9)")
    assert cell.data_type == "s"
    with open(folder / "chapter.csv", encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    assert len(records) == 6
    assert next(r for r in records if r["Drug"] == "Amlodipine 5mg tablets")["Notes"] == "'+SUM(A1:A9)"


def test_chapter_page_escapes_content_and_is_accessible(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws")
    workspace = load_workspace(root)
    text = (publish_chapter(workspace, workspace.chapter("2"), user="anna").folder / "chapter.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Warfarin" in text
    assert '<html lang="en-GB">' in text and text.count("<script>") == 1  # only the page's own inline script
    assert '<label for="search">' in text and '<label for="status-filter">' in text
    assert '<th scope="col">Medicine</th>' in text and '<th scope="row">' in text
    assert "<h2>Section 02.02</h2>" in text and "pending chapter review" in text
    assert "http://" not in text and "https://" not in text and " src=" not in text  # nothing fetched
    assert "background:#00843D;color:#FFFFFF" in text  # green badge with white text (contrast >= 4.5)


def test_rationale_counts_decisions_retained_and_changes(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws")
    workspace = load_workspace(root)
    merge = run_merge(workspace, [workspace.chapter("2")], write=False).chapters[0]
    summary = rationale(workspace, merge)
    assert summary.items == 7 and summary.published == 6
    assert dict(summary.by_outcome) == {"adopt": 5, "retain-both": 1, "exclude": 1}
    assert [(rule, n) for rule, _, n in summary.by_rule] == [("S1", 3), ("S2", 1), ("S3", 1), ("S4", 1), ("S5", 1)]
    assert [n.drug for n in summary.retained] == ["Nicorandil 10mg tablets"]
    assert [n.drug for n in summary.excluded] == ["Doxazosin 4mg modified-release tablets"]
    assert summary.decisions == ()  # no working-group decisions recorded
    cheshire = {(c.kind, c.drug.split()[0]) for c in summary.changes["cheshire"]}
    assert cheshire == {("added", "Amiodarone"), ("removed", "Doxazosin"), ("status changed", "Bisoprolol")}
    assert summary.changes["merseyside"] == ()


def test_rationale_files_show_counts_and_highlight_changes(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws")
    workspace = load_workspace(root)
    folder = publish_chapter(workspace, workspace.chapter("2"), user="anna", clock=fixed_clock).folder
    markdown = (folder / "rationale.md").read_text(encoding="utf-8")
    assert "| adopted | 5 |" in markdown and "| both legacy positions retained | 1 |" in markdown
    assert "| S1 | Same status everywhere | 3 |" in markdown
    assert "## Legacy positions retained, awaiting chapter review (1)" in markdown
    assert "1 added, 1 removed, 1 status changed." in markdown and "**STATUS CHANGED**" in markdown
    page = (folder / "rationale.html").read_text(encoding="utf-8")
    assert '<mark class="removed">removed</mark>' in page and '<mark class="added">added</mark>' in page
    assert "<script>" not in page and '<html lang="en-GB">' in page


def test_a_stale_decision_blocks_publication(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws")
    workspace = load_workspace(root)
    merge = run_merge(workspace, [workspace.chapter("2")], write=False).chapters[0]
    assert merge.stale == []  # type: ignore[attr-defined]  # no register: nothing stale
    stale = SimpleNamespace(item_name="Digoxin 125mg", reason="Cheshire's status changed")
    merge.stale = [stale]  # type: ignore[attr-defined]
    with pytest.raises(InputError) as refused:
        publish_merged(workspace, merge, user="anna")
    assert [str(p) for p in refused.value.problems] == ["Digoxin 125mg: stale decision: Cheshire's status changed"]
    assert not (root / "published").exists()
