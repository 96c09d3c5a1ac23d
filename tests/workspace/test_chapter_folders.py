"""Issue 13 item 6: no chapter left behind. A folder named by the chapter number and any slug is the
chapter's; a folder no chapter claims is reported by check (exit 1) and merge (a warning), with the closest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from merge_fixtures import small_chapter
from typer.testing import CliRunner

from harmonise.cli import app
from harmonise.workspace.config import load_workspace


def invoke(root: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--workspace", str(root), "--user", "tester", *args])


def test_a_folder_named_by_number_and_another_slug_is_checked_and_merged(tmp_path: Path) -> None:
    root = small_chapter(tmp_path / "ws")
    (root / "chapters" / "02-cardiovascular").rename(root / "chapters" / "02-cardiovascular-system")
    workspace = load_workspace(root)
    assert workspace.chapter_dir(workspace.chapter("2")).name == "02-cardiovascular-system"
    checked = json.loads(invoke(root, "check", "--all", "--json").output)
    assert [c["slug"] for c in checked["chapters"]] == ["02-cardiovascular"] and checked["unclaimed_folders"] == []
    assert checked["chapters"][0]["entries"] > 0
    merged = invoke(root, "merge", "--all")
    assert merged.exit_code == 0 and (root / "chapters/02-cardiovascular-system/harmonised-draft.xlsx").is_file()


def test_an_unclaimed_folder_fails_check_and_warns_in_merge_with_the_closest_chapter(tmp_path: Path) -> None:
    root = small_chapter(tmp_path / "ws")
    stray = root / "chapters" / "endocrine"
    stray.mkdir()
    checked = invoke(root, "check", "--all")
    assert checked.exit_code == 1
    text = " ".join(checked.output.split())
    assert (
        "chapters/endocrine/ is not a chapter of this workspace, so its spreadsheets are never checked or merged"
        in text
    )
    assert "did you mean chapters/06-endocrine/?" in text
    report = json.loads(invoke(root, "check", "--all", "--json").output)
    assert report["unclaimed_folders"] == [{"folder": "chapters/endocrine", "closest": "chapters/06-endocrine"}]
    merged = invoke(root, "merge", "--all")
    assert merged.exit_code == 0
    assert "warning: chapters/endocrine/ is not a chapter" in " ".join(merged.output.split())


def test_two_folders_claiming_one_chapter_are_refused(tmp_path: Path) -> None:
    root = small_chapter(tmp_path / "ws")
    (root / "chapters" / "02-cardiovascular").rename(root / "chapters" / "2-cardio")
    (root / "chapters" / "02-heart").mkdir()
    result = invoke(root, "check", "--chapter", "2")
    assert result.exit_code == 2 and "several folders under chapters/ claim it (02-heart, 2-cardio)" in " ".join(
        result.output.split()
    )
