"""``harmonise check``: load every source of the chosen chapters and report the data findings.

The report is both a list of ``Finding`` records (for the terminal and ``--json``) and, per chapter,
``reports/<NN-slug>/data-errors.xlsx``, laid out so a pharmacist can fix the source spreadsheet from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harmonise.matching.knowledge import Knowledge, load_knowledge
from harmonise.matching.parse import parse_name
from harmonise.model import Chapter
from harmonise.output.xlsx import new_workbook, save, write_table
from harmonise.sources.findings import KINDS, Finding
from harmonise.sources.load import ChapterLoad, load_chapter
from harmonise.workspace.config import Workspace

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
    chapters: list[ChapterCheck] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(c.errors for c in self.chapters)

    @property
    def warnings(self) -> int:
        return sum(c.warnings for c in self.chapters)

    def to_json(self) -> dict[str, object]:
        return {
            "errors": self.errors,
            "warnings": self.warnings,
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
    workbook = new_workbook()
    rows = [
        (f.severity, f.title, f.source, f.file, f.sheet, f.row, f.column, f.value, f.expected, f.message)
        for f in findings
    ]
    write_table(workbook.create_sheet("Data errors"), REPORT_HEADERS, rows, widths={"Message": 80}, wrap=["Message"])
    kinds = [(kind, title, description) for kind, (title, description) in KINDS.items()]
    write_table(workbook.create_sheet("What each problem means"), ("Kind", "Problem", "What it means"), kinds)
    target = workspace.reports_dir(loaded.chapter) / "data-errors.xlsx"
    save(workbook, target)
    return target


AMOUNT = re.compile(r"\d")


def strength_findings(loaded: ChapterLoad, knowledge: Knowledge) -> list[Finding]:
    """A warning for each entry whose strength text holds numbers the parser could not read as amounts.

    Such an entry can still be matched, but only as a candidate: the warning tells the pharmacist why.
    """
    found = []
    headers = {s.source: s.headers for s in loaded.sources}
    for entry in loaded.entries:
        text = entry.formulation or entry.name
        if not AMOUNT.search(text):
            continue
        key = parse_name(entry.display_name, knowledge)
        if key.strengths or key.options or key.ratio:
            continue
        p = entry.provenance
        field_name = "formulation" if entry.formulation else "drug"
        column = headers.get(entry.source, {}).get(field_name, field_name)
        found.append(
            Finding(
                "warning",
                "unparseable-strength",
                p.file,
                f"could not read a strength in {text!r} (expected amounts with units, such as 5mg, "
                "250mg/5ml or 100 micrograms)",
                p.sheet,
                p.row,
                column,
                text,
                source=entry.source,
            )
        )
    return found


def check_chapter(
    workspace: Workspace, chapter: Chapter, write: bool = True, knowledge: Knowledge | None = None
) -> ChapterCheck:
    loaded = load_chapter(workspace, chapter)
    findings = sort_findings([*loaded.findings, *strength_findings(loaded, knowledge or load_knowledge())])
    per_source = {s.source: len(s.entries) for s in loaded.sources}
    report = write_report(workspace, loaded, findings) if write else None
    return ChapterCheck(chapter, len(loaded.entries), per_source, findings, report)


def check_chapters(
    workspace: Workspace,
    chapters: Sequence[Chapter],
    write: bool = True,
    progress: Callable[[Chapter], None] | None = None,
) -> CheckReport:
    """Check each chapter in turn; ``progress`` is called after each (for a progress bar)."""
    report = CheckReport()
    knowledge = load_knowledge(workspace.knowledge_dirs)
    for chapter in chapters:
        report.chapters.append(check_chapter(workspace, chapter, write, knowledge))
        if progress:
            progress(chapter)
    return report
