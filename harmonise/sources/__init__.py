"""Sources: each legacy spreadsheet of a chapter read into located ``Entry`` records and ``Finding``s.

Takes: a ``Workspace`` and a chapter. Gives: a ``ChapterLoad`` (per source: its file, entries and findings),
and for ``harmonise check`` a ``CheckReport`` with the data-error workbook. Nothing here knows about drugs.
"""

from __future__ import annotations

from harmonise.sources.check import ChapterCheck, CheckReport, EntryCheck, check_chapters
from harmonise.sources.findings import KINDS, Finding, Severity
from harmonise.sources.load import find_source_file, load_chapter
from harmonise.sources.loaded import ChapterLoad, Gap, SourceLoad
from harmonise.sources.tables import Table, check_zip, read_tables

__all__ = [
    "KINDS",
    "ChapterCheck",
    "ChapterLoad",
    "CheckReport",
    "EntryCheck",
    "Finding",
    "Gap",
    "Severity",
    "SourceLoad",
    "Table",
    "check_chapters",
    "check_zip",
    "find_source_file",
    "load_chapter",
    "read_tables",
]
