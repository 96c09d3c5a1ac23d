"""The draft harmonised chapter, ``chapters/<NN-slug>/harmonised-draft.xlsx``, made for people.

One row per harmonised item: every source's legacy position side by side (name, original word, common status,
line, notes, NICE TA, where it came from), the match and its evidence (a join the working group confirmed is
shown as ``working group`` with who, when and which meeting, never as an automatic match), one column per rule
with its verdict, then the deciding rule, outcome, harmonised status and rationale. RAG colour fills on
statuses, a filtered header, the item kept in view while scrolling right, a Print sheet (the item, every legacy
position, the outcome and why, readable on paper: ``merge.paper``), a summary sheet (counts per rule and per
outcome) and the rules themselves; every sheet prints landscape, one page wide.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harmonise import __version__
from harmonise.merge.chapter import ChapterMerge, ItemResult
from harmonise.merge.paper import LEGACY_POSITIONS, join, legacy_positions, position_text, print_sheet
from harmonise.model import Position, Scale, all_of
from harmonise.output import Footer, Sheet, columns, write_workbook
from harmonise.workspace import Workspace

SOURCE_FIELDS = ("drug", "status word", "status", "line", "notes", "NICE TA", "from")
# the Print sheet: what a pharmacist reads of each item on paper (``merge.paper``)
PRINT_COLUMNS = {
    "Section": 8,
    "Item": 28,
    LEGACY_POSITIONS: 42,
    "Outcome": 16,
    "Harmonised status": 11,
    "Decided by": 9,
    "Rationale": 40,
}


def position_cells(position: Position, scale: Scale) -> list[str]:
    entries = position.entries
    if not entries:
        return ["(not listed: non-formulary)", "", "non-formulary", "", "", "", ""]
    status = scale.label(position.status) if position.status else join([scale.label(s) for s in position.statuses])
    return [
        join([e.display_name for e in entries]),
        join(list(position.words)),
        status if entries[0].status or position.statuses else "UNKNOWN WORD",
        join(list(dict.fromkeys(e.line for e in entries))),
        join(list(dict.fromkeys(e.notes for e in entries))),
        join(list(dict.fromkeys(e.nice_ta for e in entries))),
        join([str(e.provenance) for e in entries]),
    ]


def outcome_label(result: ItemResult) -> str:
    positions = all_of(len(result.item.positions), "legacy positions")
    return {
        "adopt": "adopted",
        "escalate": f"pending chapter review ({positions} retained)",
        "retain-both": f"retain {positions}",
        "exclude": "excluded",
    }.get(result.outcome.kind, result.outcome.kind)


def headers(workspace: Workspace, merge: ChapterMerge) -> list[str]:
    out = ["Section", "Item", "BNF code", "Current BNF name"]
    for source in workspace.sources:
        out += [f"{source.name}: {f}" for f in SOURCE_FIELDS]
    out += ["Match", "Match level", "Match score", "Match evidence", "Candidates"]
    out += [f"{rule.id} {rule.title}" for rule in merge.rules.rules]
    out += ["Decided by", "Outcome", "Harmonised status", "Rationale", "Flags", "Item key"]
    return out


def row(workspace: Workspace, result: ItemResult) -> list[Any]:
    item, outcome, scale = result.item, result.outcome, workspace.scale
    cells: list[Any] = [item.section, item.name, item.bnf_code, item.bnf_name]
    for position in item.positions:
        cells += position_cells(position, scale)
    match = item.match
    candidates = join([f"{c.name} ({c.source}, {c.score:.0f}): {c.evidence}" for c in match.candidates[:3]])
    # a join the working group confirmed has no matcher score: it is labelled as the group's, never as 'auto'
    score = round(match.score, 1) if match.score and not match.confirmed else ""
    cells += [match.shown, match.shown_level, score, match.shown_evidence, candidates]
    cells += [v.summary if v.applies else "" for v in result.verdicts]
    status = scale.label(outcome.status) if outcome.status else ""
    cells += [outcome.decided_by, outcome_label(result), status, outcome.rationale, ", ".join(result.flags), item.key]
    return cells


def print_row(workspace: Workspace, result: ItemResult) -> list[Any]:
    """The item's row on the Print sheet: its legacy positions in one column, the outcome and why."""
    item, outcome = result.item, result.outcome
    positions = {source: position_text(workspace, item, source) for source in workspace.source_keys}
    status = workspace.scale.label(outcome.status) if outcome.status else ""
    why = outcome.rationale + (f"\nFlags: {', '.join(result.flags)}" if result.flags else "")
    legacy = legacy_positions(workspace, positions)
    return [item.section, item.name, legacy, outcome_label(result), status, outcome.decided_by, why]


def status_fills(scale: Scale) -> dict[str, tuple[str, str]]:
    """The fill and a contrasting font colour for each status label."""
    fills = {}
    for status in scale.statuses:
        dark = sum(int(status.colour[i : i + 2], 16) for i in (0, 2, 4)) < 384
        fills[status.label] = (status.colour, "FFFFFF" if dark else "000000")
    return fills


def summary_rows(workspace: Workspace, merge: ChapterMerge) -> list[list[Any]]:
    titles = {rule.id: rule.title for rule in merge.rules.rules}
    titles.update(
        {
            "default": "No rule applied: escalated by default",
            "data-error": "Data error in a legacy entry",
            "stale-decision": "Recorded decision out of date: back to the working group",
        }
    )
    rows: list[list[Any]] = [["Chapter", merge.chapter.label, ""], ["Items", len(merge.results), ""]]
    for source in merge.loaded.sources:
        rows.append([f"Entries from {workspace.source(source.source).name}", len(source.entries), ""])
    for kind, count in merge.count_by(lambda r: r.item.match.shown).items():
        rows.append([f"Match: {kind}", count, ""])
    for kind, count in merge.count_by(outcome_label).items():
        rows.append([f"Outcome: {kind}", count, ""])
    for decided_by, count in merge.count_by(lambda r: r.outcome.decided_by).items():
        rows.append([f"Decided by {decided_by}", count, titles.get(decided_by, "working-group decision")])
    return rows


def draft_sheets(workspace: Workspace, merge: ChapterMerge) -> list[Sheet]:
    """The Harmonised sheet (the item kept in view while scrolling right), its Print sheet, the Summary and the
    Rules."""
    head = headers(workspace, merge)
    fills = status_fills(workspace.scale)
    coloured = {h: fills for h in head if h.endswith(": status") or h == "Harmonised status"}
    return [
        Sheet(
            "Harmonised",
            columns(head, fills=coloured),
            [row(workspace, r) for r in merge.results],
            frozen=head.index("Item") + 1,
        ),
        print_sheet(
            PRINT_COLUMNS, [print_row(workspace, r) for r in merge.results], fills={"Harmonised status": fills}
        ),
        Sheet("Summary", columns(("What", "Count", "Detail")), summary_rows(workspace, merge), frozen=1),
        Sheet(
            "Rules",
            columns(("Rule", "Title", "Description"), width={"Description": 90}),
            [(r.id, r.title, r.description) for r in merge.rules.rules],
            frozen=1,
        ),
    ]


def draft_footer(merge: ChapterMerge) -> Footer:
    return Footer(f"Chapter {merge.chapter.label}", f"Draft harmonised chapter, harmonise {__version__}")


def write_draft(workspace: Workspace, merge: ChapterMerge, target: Path) -> Path:
    """Write the draft harmonised chapter workbook atomically; returns its path."""
    write_workbook(target, draft_sheets(workspace, merge), draft_footer(merge))
    return target
