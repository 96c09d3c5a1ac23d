"""``harmonise check``: load every source of the chosen chapters and report the data findings.

The report is both a list of ``Finding`` records (for the terminal and ``--json``) and, per chapter,
``reports/<NN-slug>/data-errors.xlsx``, laid out so a pharmacist can fix the source spreadsheet from it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harmonise.model import Chapter
from harmonise.output import Footer, Sheet, columns, write_workbook
from harmonise.sources.findings import KINDS, Finding
from harmonise.sources.load import ChapterLoad, load_chapter
from harmonise.workspace import Workspace

REPORT_HEADERS = ("Severity", "Problem", "Source", "File", "Sheet", "Row", "Column", "Value", "Expected", "Message")


@dataclass
class ChapterCheck:
    chapter: Chapter
    entries: int
    entries_per_source: dict[str, int]
    findings: list[Finding]
    report: Path | None = None

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")


@dataclass
class CheckReport:
    """Every checked chapter, and the folders under ``chapters/`` that no configured chapter claims (each with
    the closest chapter's folder): their spreadsheets would be silently left out, so they count as errors."""

    chapters: list[ChapterCheck] = field(default_factory=list)
    unclaimed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(c.errors for c in self.chapters) + len(self.unclaimed)

    @property
    def warnings(self) -> int:
        return sum(c.warnings for c in self.chapters)

    def to_json(self) -> dict[str, object]:
        return {
            "errors": self.errors,
            "warnings": self.warnings,
            "unclaimed_folders": [
                {"folder": f"chapters/{name}", "closest": f"chapters/{close}" if close else None}
                for name, close in self.unclaimed
            ],
            "chapters": [
                {
                    "chapter": c.chapter.number,
                    "slug": c.chapter.slug,
                    "entries": c.entries,
                    "entries_per_source": c.entries_per_source,
                    "report": str(c.report) if c.report else None,
                    "findings": [finding_json(f) for f in c.findings],
                }
                for c in self.chapters
            ],
        }


def finding_json(finding: Finding) -> dict[str, object]:
    return {
        "id": finding.id,
        "severity": finding.severity,
        "kind": finding.kind,
        "title": finding.title,
        "source": finding.source,
        "file": finding.file,
        "sheet": finding.sheet,
        "row": finding.row,
        "column": finding.column,
        "value": finding.value,
        "expected": finding.expected,
        "message": finding.message,
    }


def sort_findings(findings: Sequence[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.file, f.sheet, f.row or 0, f.severity != "error", f.kind))


def write_report(workspace: Workspace, loaded: ChapterLoad, findings: Sequence[Finding]) -> Path:
    """Write ``reports/<slug>/data-errors.xlsx``: the findings, then a sheet explaining each kind."""
    rows = [
        (f.severity, f.title, f.source, f.file, f.sheet, f.row, f.column, f.value, f.expected, f.message)
        for f in findings
    ]
    kinds = [(kind, title, description) for kind, (title, description) in KINDS.items()]
    target = workspace.reports_dir(loaded.chapter) / "data-errors.xlsx"
    sheets = [
        Sheet("Data errors", columns(REPORT_HEADERS, width={"Message": 80}), rows, frozen=2),
        Sheet("What each problem means", columns(("Kind", "Problem", "What it means")), kinds, frozen=1),
    ]
    write_workbook(target, sheets, Footer(f"Chapter {loaded.chapter.label}", "Data errors in the legacy files"))
    return target


EntryCheck = Callable[[ChapterLoad], list[Finding]]
"""A check of a loaded chapter's entries contributed by a later stage (matching reads strengths)."""


def check_chapter(
    workspace: Workspace, chapter: Chapter, write: bool = True, entry_checks: Sequence[EntryCheck] = ()
) -> ChapterCheck:
    loaded = load_chapter(workspace, chapter)
    findings = sort_findings([*loaded.findings, *(f for check in entry_checks for f in check(loaded))])
    per_source = {s.source: len(s.entries) for s in loaded.sources}
    report = write_report(workspace, loaded, findings) if write else None
    return ChapterCheck(chapter, len(loaded.entries), per_source, findings, report)


def check_chapters(
    workspace: Workspace,
    chapters: Sequence[Chapter],
    write: bool = True,
    progress: Callable[[Chapter], None] | None = None,
    entry_checks: Sequence[EntryCheck] = (),
) -> CheckReport:
    """Check each chapter in turn; ``progress`` is called after each (for a progress bar). Folders under
    ``chapters/`` that no configured chapter claims are reported whatever chapters are checked.

    ``entry_checks`` come from later stages (``harmonise.matching.entry_checks``): the loader cannot judge
    whether a strength is readable, the drug-name parser can.
    """
    report = CheckReport(unclaimed=workspace.unclaimed_folders())
    for chapter in chapters:
        report.chapters.append(check_chapter(workspace, chapter, write, entry_checks))
        if progress:
            progress(chapter)
    return report
