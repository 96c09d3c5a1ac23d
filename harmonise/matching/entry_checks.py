"""What the matching stage checks in a chapter's entries for ``harmonise check``: strengths it cannot read.

An entry whose strength text holds numbers the parser could not read as amounts can still be matched, but
only as a candidate; the warning tells the pharmacist why, with the file, sheet, row and column to fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from harmonise.matching.knowledge import Knowledge, load_knowledge
from harmonise.matching.parse import parse_name
from harmonise.sources import ChapterLoad, Finding
from harmonise.workspace import Workspace

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


def entry_checks(workspace: Workspace) -> list[Callable[[ChapterLoad], list[Finding]]]:
    """The checks ``harmonise check`` runs on every loaded chapter, with the workspace's drug knowledge."""
    knowledge = load_knowledge(workspace.knowledge_dirs)
    return [lambda loaded: strength_findings(loaded, knowledge)]
