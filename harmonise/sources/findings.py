"""Data findings: a typed catalogue of what can be wrong in a legacy spreadsheet, and the located record.

Each kind has a title and a description, so the data-error report can explain itself to the pharmacist who
has to fix the source file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

KINDS: dict[str, tuple[str, str]] = {
    "missing-file": ("Missing spreadsheet", "The chapter folder has no file for this source."),
    "several-files": ("Several spreadsheets", "More than one file in the chapter folder matches this source."),
    "missing-sheet": ("Missing sheet", "The sheet named in harmonise.yaml is not in the workbook."),
    "no-header": ("No recognisable header", "No row holds the configured drug and status column headers."),
    "missing-column": ("Missing required column", "A column that harmonise needs is not in the header."),
    "duplicate-column": (
        "Duplicate column",
        "Two header cells match the same field; harmonise cannot tell which to use.",
    ),
    "empty-drug": ("Empty drug name", "A row has a status or other details but no drug name."),
    "bad-drug": ("Not a drug name", "The drug name cell holds a number, date or error value instead of text."),
    "unreadable-cell": (
        "Error or formula cell",
        "The cell holds an Excel error (such as #N/A) or a formula saved without its value, "
        "so it has no value to read.",
    ),
    "ambiguous-row": (
        "Heading or entry?",
        "A row holds only a name in the drug column, with no section number: it may be a heading or a drug "
        "whose other cells are empty. Its medicine is not read as 'not listed' by this source; number the "
        "heading (2.2 Diuretics), fill in the row, or have the working group acknowledge it.",
    ),
    "hidden-sheet": (
        "Hidden sheet skipped",
        "A hidden (or very hidden) sheet with the source's header was not read; name it with 'sheet:' in "
        "harmonise.yaml if it holds the formulary.",
    ),
    "blank-status": ("Blank status", "A drug has no status; every listed drug needs one."),
    "unknown-status": ("Unknown status word", "The status word is not in this source's vocabulary in harmonise.yaml."),
    "duplicate-entry": ("Duplicate entry", "The same drug and formulation is listed more than once in this source."),
    "conflicting-duplicate": (
        "Conflicting duplicate",
        "The same drug and formulation is listed more than once with different statuses.",
    ),
    "section-outside-chapter": ("Section outside the chapter", "The BNF section does not belong to this chapter."),
    "numeric-section": (
        "Section typed as a number",
        "A section typed as a number loses trailing zeros (2.10 reads as 2.1).",
    ),
    "unknown-membership": ("Unknown formulary membership", "The membership word is not one harmonise knows."),
    "unparseable-strength": ("Unparseable strength", "The strength text could not be read as amounts and units."),
}


@dataclass(frozen=True)
class Finding:
    """One located data finding, in the words a pharmacist needs to fix the source."""

    severity: Severity
    kind: str
    file: str
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    expected: str = ""
    source: str = ""

    @property
    def title(self) -> str:
        return KINDS[self.kind][0]

    @property
    def id(self) -> str:
        """A short stable name for this finding (kind, place and value): the working group acknowledges a
        data error by it, and a finding that moves to another row or changes value is a new one."""
        parts = (self.kind, self.file, self.sheet, str(self.row or ""), self.column, self.value)
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:8]

    @property
    def where(self) -> str:
        sheet = f"[{self.sheet}]" if self.sheet else ""
        row = f" row {self.row}" if self.row is not None else ""
        column = f", column {self.column!r}" if self.column else ""
        return f"{self.file}{sheet}{row}{column}"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"
