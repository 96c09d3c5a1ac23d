"""``harmonise status``: one row per chapter folder, counted from an in-memory merge; the dashboard page."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CHESHIRE_HEADER, MERSEY_HEADER, write_xlsx
from publish_fixtures import publish_workspace
from typer.testing import CliRunner

from harmonise.cli import app
from harmonise.publish.dashboard import dashboard_html, workspace_status
from harmonise.publish.versions import publish_chapter
from harmonise.workspace.config import load_workspace

EVIL_TITLE = 'Test <img src=x onerror="alert(1)">'


def add_unreadable_chapter(root: Path) -> None:
    """Chapter 4 whose Merseyside file lacks the required status column: it cannot be merged."""
    folder = root / "chapters" / "04-central-nervous-system"
    write_xlsx(
        folder / "cheshire.xlsx",
        {"Formulary": [CHESHIRE_HEADER, ["04.01", "Zopiclone", "Tablets 7.5mg", "Green", "", "F", "", "", "Z1"]]},
    )
    write_xlsx(
        folder / "merseyside.xlsx",
        {"Sheet1": [[h for h in MERSEY_HEADER if h != "RAG Status"], ["04.01", "Zopiclone", "Tablets 7.5mg", "", ""]]},
    )


def test_status_counts_every_chapter_and_notes_a_publication(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws")
    add_unreadable_chapter(root)
    workspace = load_workspace(root)
    publish_chapter(workspace, workspace.chapter("2"), user="anna")
    two, four = workspace_status(workspace)
    assert (two.slug, two.entries_per_source) == ("02-cardiovascular", {"cheshire": 6, "merseyside": 5})
    assert two.items == 7 and two.matched_automatically == 4  # amlodipine, bisoprolol, warfarin, atorvastatin
    assert two.settled_by_rules == 6 and two.settled_by_rules_pct == 85.7  # every kind but retain-both
    assert (two.escalated, two.decided, two.retained_both, two.stale_decisions) == (0, 0, 1, 0)
    assert two.published_version == 1 and two.published_at.endswith("Z")
    assert four.error and "cannot be merged" in four.error and four.items == 0


def test_status_command_json_matches_library_and_writes_dashboard(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws", settle=False)
    result = CliRunner().invoke(app, ["--workspace", str(root), "status", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload == [s.to_dict() for s in workspace_status(load_workspace(root))]
    assert payload[0]["escalated"] == 3 and payload[0]["published_version"] is None
    page = (root / "reports" / "dashboard.html").read_text(encoding="utf-8")
    assert '<svg role="img" aria-label="Chapter 2 Cardiovascular system: 7 items: 4 settled by rules' in page
    plain = CliRunner().invoke(app, ["--workspace", str(root), "status"])
    assert plain.exit_code == 0 and "chapter 2 Cardiovascular system" in plain.output and "Dashboard:" in plain.output


def test_dashboard_page_is_escaped_and_self_contained(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws")
    config = (root / "harmonise.yaml").read_text(encoding="utf-8")
    (root / "harmonise.yaml").write_text(
        config.replace("title: Test harmonisation", f"title: '{EVIL_TITLE}'"), encoding="utf-8"
    )
    workspace = load_workspace(root)
    page = dashboard_html(workspace, workspace_status(workspace), "2025-01-01T00:00:00Z")
    assert "<img" not in page and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page  # autoescaped
    assert '<html lang="en-GB">' in page and '<th scope="col">By rules</th>' in page
    assert "<caption>Harmonisation progress by chapter</caption>" in page
    assert "6 (85.7%)" in page and "<script" not in page and "https://" not in page
