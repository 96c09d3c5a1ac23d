"""The workbooks harmonise writes open in a real spreadsheet application: LibreOffice converts them headless
(no repair prompt, no error), with the rule columns and the RAG colour fills intact; printed to PDF, the bundled
chapter 2 draft takes a few landscape pages (74 portrait ones before issue 15), its Print sheet and the
working-group workbook's print at a readable size, and no text runs out of its row's box (read from the PDF's
text layer with pdfplumber: LibreOffice does not size rows itself).

Skipped only where LibreOffice is not installed (``.ci/run`` installs it).
"""

from __future__ import annotations

import bisect
import re
import shutil
import subprocess
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pytest
from merge_fixtures import CH02, REPO, small_chapter
from typer.testing import CliRunner

from harmonise.cli import app
from harmonise.workspace.config import DEFAULT_SCALE

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def convert(path: Path, out: Path, profile: Path, to: str = "html") -> Path:
    """Convert ``path`` to HTML (or ``to``) with headless LibreOffice; returns the file written."""
    done = subprocess.run(
        [
            str(SOFFICE),
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            to,
            str(path),
            "--outdir",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    target = out / f"{path.stem}.{to}"
    assert done.returncode == 0 and target.is_file(), done.stdout + done.stderr
    assert "error" not in done.stderr.lower().replace("failed to launch javaldx", ""), done.stderr
    return target


def html_of(path: Path, tmp_path: Path) -> str:
    return convert(path, tmp_path / "out", tmp_path / "profile").read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = small_chapter(tmp_path_factory.mktemp("lo") / "ws")
    result = CliRunner().invoke(app, ["--workspace", str(root), "merge", "--chapter", "2"])
    assert result.exit_code == 0, result.output
    return root


def test_draft_chapter_opens_with_rule_columns_and_colours(merged: Path, tmp_path: Path) -> None:
    html = html_of(merged / CH02 / "harmonised-draft.xlsx", tmp_path)
    for header in ("R5 Same status in every formulary", "Harmonised status", "Cheshire: status", "Rationale"):
        assert header in html
    colours = {s.label: s.colour for s in DEFAULT_SCALE}
    for label in ("Green", "Black"):
        assert f'bgcolor="#{colours[label]}"' in html, label


def test_working_group_workbook_opens(merged: Path, tmp_path: Path) -> None:
    html = html_of(merged / "reports" / "02-cardiovascular" / "working-group.xlsx", tmp_path)
    assert "Why escalated" in html and "Decision" in html


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled example's chapter 2 draft and working-group workbook, merged and printed to PDF."""
    root = tmp_path_factory.mktemp("print") / "example"
    root.mkdir()
    shutil.copy(REPO / "harmonise.yaml", root / "harmonise.yaml")
    for folder in ("chapters", "rules"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("harmonised-draft.xlsx"))
    result = CliRunner().invoke(app, ["--workspace", str(root), "merge", "--chapter", "2"])
    assert result.exit_code == 0, result.output
    out, profile = root.parent / "pdf", root.parent / "profile"
    return {
        "draft": convert(root / CH02 / "harmonised-draft.xlsx", out, profile, "pdf"),
        "group": convert(root / "reports" / "02-cardiovascular" / "working-group.xlsx", out, profile, "pdf"),
    }


def runs_over(page: pdfplumber.page.Page) -> list[str]:
    """Text that leaves its row's box on a printed page: a character cut by a row's grid line, or two lines of
    text drawn over each other in one column (wrapped text running on into the next row's)."""
    rows = page.horizontal_edges
    columns = sorted({round(e["x0"], 1) for e in page.vertical_edges})
    found, lines = [], defaultdict(dict)
    for char in page.chars:
        if not char["text"].strip():
            continue
        middle, slack = (char["x0"] + char["x1"]) / 2, (char["bottom"] - char["top"]) * 0.2
        cut = [
            e for e in rows if e["x0"] <= middle <= e["x1"] and char["top"] + slack < e["top"] < char["bottom"] - slack
        ]
        if cut:
            found.append(f"{char['text']!r} at ({middle:.0f}, {char['top']:.0f}) is cut by a row's grid line")
        lines[bisect.bisect(columns, middle)].setdefault(round(char["top"], 1), char["bottom"])
    for column, tops in lines.items():
        ordered = sorted(tops.items())
        for (top, bottom), (next_top, _) in pairwise(ordered):
            if next_top < bottom - (bottom - top) * 0.3:
                found.append(f"column {column}: a line at {next_top:.0f} is drawn over the line at {top:.0f}")
    return found


def pages_of(pdf: pdfplumber.PDF, *header: str) -> list[pdfplumber.page.Page]:
    """The printed pages of the sheet whose header row (repeated on each page) holds ``header``."""
    return [page for page in pdf.pages if all(h in (page.extract_text() or "") for h in header)]


def body_sizes(page: pdfplumber.page.Page) -> list[float]:
    """Font sizes of the text above the footer."""
    return [c["size"] for c in page.chars if c["text"].strip() and c["top"] < page.height - 60]


def test_the_bundled_chapter_2_draft_prints_on_a_few_landscape_pages(printed: dict[str, Path]) -> None:
    with pdfplumber.open(printed["draft"]) as pdf:
        assert len(pages_of(pdf, "Current BNF name")) <= 12  # 74 portrait pages before the print setup
        assert all(page.width > page.height for page in pdf.pages)
        first = pdf.pages[0].extract_text()
    assert "Page 1 of" in first and "Chapter 2 Cardiovascular system" in first  # the footer
    with pdfplumber.open(printed["group"]) as pdf:
        assert len(pages_of(pdf, "Why escalated", "Match evidence")) <= 12
        assert all(page.width > page.height for page in pdf.pages)
        decisions = next(p for p in pdf.pages if "Why escalated" in (p.extract_text() or ""))
        assert decisions.horizontal_edges, "gridlines are printed"


@pytest.mark.parametrize(("name", "rows", "per_page"), [("draft", 132, 6), ("group", 31, 3)])
def test_the_print_sheet_is_readable_on_paper(printed: dict[str, Path], name: str, rows: int, per_page: int) -> None:
    """The wide screen sheet, fitted one page wide, prints at under 3 points; its Print sheet at 7.5 or more, on
    a bounded number of pages (``per_page`` items a page at least: an escalated item takes more room, with its
    reasons, candidates and strength rows), every item there."""
    with pdfplumber.open(printed[name]) as pdf:
        wide = pages_of(pdf, "Match evidence")
        paper = pages_of(pdf, "Legacy positions")
        assert wide and max(max(body_sizes(p)) for p in wide) < 3  # why the Print sheet exists
        assert paper and min(min(body_sizes(p)) for p in paper) >= 7.5
        assert len(paper) <= rows / per_page
        text = "\n".join(p.extract_text() or "" for p in paper)
    assert "Furosemide 500mg tablets" in text and "Page " in text
    if name == "group":  # every numbered row of the Decisions sheet is on paper
        assert {str(n) for n in range(1, rows + 1)} <= set(re.findall(r"^(\d+)(?=\D)", text, flags=re.MULTILINE))


@pytest.mark.parametrize("name", ["draft", "group"])
def test_no_text_runs_over_its_row_when_printed(printed: dict[str, Path], name: str) -> None:
    with pdfplumber.open(printed[name]) as pdf:
        problems = [f"page {n}: {p}" for n, page in enumerate(pdf.pages, start=1) for p in runs_over(page)]
        assert sum(len(page.chars) for page in pdf.pages) > 1000
    assert problems == [], problems[:10]
