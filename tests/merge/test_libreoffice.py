"""The workbooks harmonise writes open in a real spreadsheet application: LibreOffice converts them headless
(no repair prompt, no error), with the rule columns and the RAG colour fills intact.

Skipped only where LibreOffice is not installed (``.ci/run`` installs it).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from merge_fixtures import CH02, small_chapter
from typer.testing import CliRunner

from harmonise.cli import app
from harmonise.workspace.config import DEFAULT_SCALE

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def convert(path: Path, out: Path, profile: Path) -> str:
    """Convert ``path`` to HTML with headless LibreOffice; returns the HTML."""
    done = subprocess.run(
        [
            str(SOFFICE),
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "html",
            str(path),
            "--outdir",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    target = out / (path.stem + ".html")
    assert done.returncode == 0 and target.is_file(), done.stdout + done.stderr
    assert "error" not in done.stderr.lower().replace("failed to launch javaldx", ""), done.stderr
    return target.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = small_chapter(tmp_path_factory.mktemp("lo") / "ws")
    result = CliRunner().invoke(app, ["--workspace", str(root), "merge", "--chapter", "2"])
    assert result.exit_code == 0, result.output
    return root


def test_draft_chapter_opens_with_rule_columns_and_colours(merged: Path, tmp_path: Path) -> None:
    html = convert(merged / CH02 / "harmonised-draft.xlsx", tmp_path / "out", tmp_path / "profile")
    for header in ("R5 Same status in every formulary", "Harmonised status", "Cheshire: status", "Rationale"):
        assert header in html
    colours = {s.label: s.colour for s in DEFAULT_SCALE}
    for label in ("Green", "Black"):
        assert f'bgcolor="#{colours[label]}"' in html, label


def test_working_group_workbook_opens(merged: Path, tmp_path: Path) -> None:
    html = convert(
        merged / "reports" / "02-cardiovascular" / "working-group.xlsx", tmp_path / "out", tmp_path / "profile"
    )
    assert "Why escalated" in html and "Decision" in html
