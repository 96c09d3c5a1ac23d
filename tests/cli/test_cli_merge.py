"""``harmonise merge``'s summary: every chapter named in full on an 80-column terminal."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from bad_files import invoke
from merge_fixtures import CH02, small_chapter

LONG_SLUG = "02-cardiovascular-system-and-lipid-regulating-drugs"


def test_the_merge_summary_names_a_long_chapter_in_full_at_80_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_chapter(tmp_path / "ws")
    config = root / "harmonise.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + f"chapters:\n  - {{number: '2', slug: {LONG_SLUG}, title: Cardiovascular system and lipids}}\n",
        encoding="utf-8",
    )
    (root / CH02).rename(root / "chapters" / LONG_SLUG)
    monkeypatch.setattr(sys.modules["harmonise.cli.app"].console, "width", 80)
    result = invoke(root, "merge", "--chapter", "2")
    assert result.exit_code == 0, result.output
    table = result.output.split("draft:")[0]
    assert max(len(line) for line in table.splitlines()) <= 80
    assert "…" not in table
    rows = table.split("─")[-1].strip("\n").splitlines()  # under the heading rule: the chapter's lines
    assert "".join(line.split()[0] for line in rows if line.strip()) == LONG_SLUG
