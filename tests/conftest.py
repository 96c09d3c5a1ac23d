"""Shared test builders: readable tables -> spreadsheets, and small workspaces in ``tmp_path``."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

TWO_SOURCE_CONFIG = """\
version: 1
title: Test harmonisation
sources:
  - key: cheshire
    name: Cheshire
    file: "cheshire.*"
    columns:
      drug: [Drug, Drug name]
      formulation: [Formulation / Strength, Formulation]
      section: [BNF Section]
      status: [Status]
      line: [Line]
      membership: [Formulary]
      notes: [Notes]
      nice_ta: [NICE TA]
      id: [Ref]
    statuses:
      green: [Green]
      amber-recommended: [Green SR]
      amber-initiated: [Green SI]
      shared-care: [Amber SCG]
      red: [Red, Hospital Only]
      black: [Black, DNP]
      grey: [Grey]
  - key: merseyside
    name: Merseyside
    file: "merseyside.*"
    columns:
      drug: [Medicine]
      formulation: [Form]
      section: [Chapter/Section]
      status: [RAG Status]
      notes: [Comments]
      nice_ta: [TA]
    statuses:
      green: [Green]
      amber-recommended: [Amber Recommended]
      amber-initiated: [Amber Initiated]
      shared-care: [Amber Patient Retained, Amber retained, Purple]
      red: [Red]
      grey: [Grey]
      black: [Black]
rules: rules/default.yaml
"""

CHESHIRE_HEADER = [
    "BNF Section",
    "Drug",
    "Formulation / Strength",
    "Status",
    "Line",
    "Formulary",
    "Notes",
    "NICE TA",
    "Ref",
]
MERSEY_HEADER = ["Chapter/Section", "Medicine", "Form", "RAG Status", "Comments", "TA"]


def write_xlsx(
    path: Path, sheets: dict[str, Sequence[Sequence[Any]]], merges: dict[str, Sequence[str]] | None = None
) -> Path:
    """Write ``{sheet name: rows}`` to an xlsx file; ``merges`` lists ranges such as ``A1:D1`` per sheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for cells in (merges or {}).get(name, ()):
            sheet.merge_cells(cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> Path:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def make_workspace(root: Path, config: str = TWO_SOURCE_CONFIG, rules: str | None = None) -> Path:
    """A workspace folder with ``harmonise.yaml`` (and a rules file when given)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "harmonise.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
    if rules is not None:
        (root / "rules").mkdir(exist_ok=True)
        (root / "rules" / "default.yaml").write_text(textwrap.dedent(rules), encoding="utf-8")
    return root


@pytest.fixture
def workspace_dir(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


@pytest.fixture(autouse=True)
def no_pdf_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDF starts LibreOffice for seconds per paper: publishing and ``rules explain`` write none in tests, except
    in the committee-paper tests, which name the program themselves (``HARMONISE_SOFFICE``)."""
    monkeypatch.setenv("HARMONISE_SOFFICE", "off")


def soffice_or_skip() -> str:
    """LibreOffice's program (its Writer converts the committee papers to PDF), or skip the test without it."""
    import shutil

    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice not found (install Debian's libreoffice-writer-nogui; .ci/run does)")
    return found
