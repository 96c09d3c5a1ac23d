"""What loading gives: one ``SourceLoad`` per source of a chapter, gathered in a ``ChapterLoad``.

These records sit below both the chapter loader (``load.py``) and the sheet reader (``sheet.py``), which fill
them in, so neither has to import the other's module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from harmonise.model import Chapter, Entry, Provenance
from harmonise.sources.findings import Finding


@dataclass(frozen=True)
class Gap:
    """A row that may list a medicine but could not be read as an entry: its drug cell holds an error, a
    number or nothing, or it holds only a name (a heading or an entry?). ``name`` is empty when unknown;
    ``section`` is the section in force at that row. No rule may read the source as not listing what the
    row may hold."""

    source: str
    provenance: Provenance
    section: str
    name: str
    reason: str

    def describe(self) -> str:
        return f"{self.provenance}: {self.reason}"


@dataclass
class SourceLoad:
    """What loading one source of one chapter produced."""

    source: str
    file: Path | None
    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # field -> header text as written in the file
    gaps: list[Gap] = field(default_factory=list)


@dataclass
class ChapterLoad:
    """Every source of one chapter, loaded."""

    chapter: Chapter
    sources: list[SourceLoad]

    @property
    def entries(self) -> list[Entry]:
        return [e for s in self.sources for e in s.entries]

    @property
    def findings(self) -> list[Finding]:
        return [f for s in self.sources for f in s.findings]

    @property
    def gaps(self) -> list[Gap]:
        return [g for s in self.sources for g in s.gaps]

    @property
    def files(self) -> list[Path]:
        return [s.file for s in self.sources if s.file is not None]

    def entries_of(self, source: str) -> list[Entry]:
        return next((s.entries for s in self.sources if s.source == source), [])
