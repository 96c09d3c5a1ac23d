"""The working-group workbook, ``reports/<NN-slug>/working-group.xlsx``, made for a pharmacist to fill in.

Sheets: **Instructions** (read first); **Decisions**, one row per unsettled item with each source's legacy
position, why it was escalated, the evidence of the item's match (a join the group confirmed labelled as
such), a previous decision that went out of date, up to three candidate matches with their evidence, then the
yellow decision columns (drop-down lists for the decision, the candidate and the harmonised status; free text
for the rationale; a date; who decided) and the item key last. The sheet is protected without a password so
only the yellow columns can be typed in; the item and its positions stay in view while scrolling right to
them, and every sheet prints landscape, one page wide. **Print** is what the group reads on paper: each row's
item, positions, reasons and candidates at a readable size, with room to write the decision by hand
(``merge.paper``; protected: decisions are typed on the Decisions sheet alone). Hidden sheets: **Lists** (the
drop-down values), **Items** (per item key: the legacy entries and candidates the group saw, and a check value
per protected cell so an edit is detected on import, and the matcher's veto of each candidate so a plain 'confirm
match' of a vetoed candidate is refused, and the key of the escalated item each row decides), **About** (chapter
slug, the columns, the id of the merge run that wrote it, and a signature of all that and the Items sheet keyed
with the workspace's secret key, so that an altered, forged or foreign workbook is refused: ``review.layout``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from harmonise.merge.chapter import ChapterMerge, ItemResult
from harmonise.merge.paper import (
    LEGACY_POSITIONS,
    WRITE_DECISION,
    WRITE_RATIONALE,
    legacy_positions,
    position_text,
    print_sheet,
    status_words,
)
from harmonise.model import Candidate, Entry, Item, StrengthListing
from harmonise.output import Column, Footer, Sheet, columns, write_workbook
from harmonise.review import (
    ABOUT_SHEET,
    CANDIDATE,
    DECIDED_BY,
    DECISION,
    DECISION_COLUMNS,
    DECISION_SHEET,
    FORMAT,
    ITEM_COLUMNS,
    ITEMS_SHEET,
    KEY_COLUMN,
    LISTS_SHEET,
    MAX_CANDIDATES,
    MEETING,
    NAME,
    RATIONALE,
    STATUS,
    DecidedEntry,
    check_value,
    decision_words,
    sign_items,
    strength_fingerprint,
)
from harmonise.workspace import Workspace, key_id, workspace_key

INPUT_WIDTHS = {DECISION: 24, CANDIDATE: 11, STATUS: 20, NAME: 30, RATIONALE: 50, MEETING: 12, DECIDED_BY: 18}
NOTE = (
    "The Decisions sheet is protected without a password so that only the yellow columns can be typed "
    "in (Review > Unprotect Sheet lifts it; edits to other columns are detected and the row is refused)."
)


def unsettled(merge: ChapterMerge) -> list[ItemResult]:
    """Items escalated to the working group, in chapter order."""
    return [r for r in merge.results if r.outcome.kind == "escalate"]


def info_headers(workspace: Workspace) -> list[str]:
    """The protected columns, before the decision columns."""
    return [
        "No.",
        "Section",
        "Item",
        *[f"{s.name} position" for s in workspace.sources],
        "Why escalated",
        "Match evidence",
        "Previous decision",
        *[f"Candidate {n}" for n in range(1, MAX_CANDIDATES + 1)],
    ]


def candidate_entries(item: Item, entries: Mapping[str, Entry]) -> list[Entry]:
    """The item's candidate matches (best first, at most three) as legacy entries."""
    return [entries[c.entry_key] for c in item.match.candidates[:MAX_CANDIDATES] if c.entry_key in entries]


def candidate_label(workspace: Workspace, entry: Entry, candidate: Candidate) -> str:
    """``AMLODIPINE Tabs 10 mg (Merseyside: Green), score 72``."""
    source = workspace.source(entry.source).name
    return f"{entry.display_name} ({source}: {entry.status_word}), score {candidate.score:.0f}"


def candidate_lines(workspace: Workspace, item: Item, candidates: list[Entry]) -> str:
    """The candidates on paper, numbered as the group picks them, with the difference the matcher found (the full
    evidence is on the Decisions sheet)."""
    found = {c.entry_key: c for c in item.match.candidates}
    lines = []
    for number, entry in enumerate(candidates, start=1):
        candidate = found[entry.key]
        differs = f"; differs: {'; '.join(candidate.vetoes)}" if candidate.vetoes else ""
        lines.append(f"{number}. {candidate_label(workspace, entry, candidate)}{differs}")
    return "\n".join(lines)


def info_row(
    workspace: Workspace, number: int, result: ItemResult, candidates: list[Entry], previous: str
) -> list[Any]:
    item = result.item
    found = {c.entry_key: c for c in item.match.candidates}
    shown = [f"{candidate_label(workspace, e, found[e.key])}. {found[e.key].evidence}" for e in candidates]
    shown += [""] * (MAX_CANDIDATES - len(shown))
    return [
        number,
        item.section,
        item.name,
        *[position_text(workspace, item, s) for s in workspace.source_keys],
        result.outcome.rationale,
        evidence_text(item),
        previous,
        *shown,
    ]


def evidence_text(item: Item) -> str:
    """The evidence of the item's match, one line per join; says so when its rows were not matched at all."""
    if not item.match.shown_evidence:
        return "no match: listed by one formulary only" if len(item.entries) == 1 else ""
    return "\n".join(item.match.shown_evidence.split(" | "))


def items_row(result: ItemResult, candidates: list[Entry], info: list[Any]) -> list[str]:
    """The hidden record of what the group saw for one row."""
    entries = [DecidedEntry.of(e).record() for e in result.item.entries]
    return [
        result.item.key,
        result.item.name,
        json.dumps(entries, ensure_ascii=False),
        json.dumps([DecidedEntry.of(e).record() for e in candidates], ensure_ascii=False),
        json.dumps([check_value(v) for v in info], ensure_ascii=False),
        json.dumps([candidate_veto(result.item, e) for e in candidates], ensure_ascii=False),
        result.item.key,
    ]


def strength_row(workspace: Workspace, number: int, item: Item, listing: StrengthListing) -> list[Any]:
    """The row under an item whose formularies list different strengths: one strength, which formularies list
    it and with what status; its decision (if any) overrides the item's decision for this strength only."""
    names = {s.key: s.name for s in workspace.sources}
    listing_sources = [p.source for p in item.positions if p.present]
    missing = [names[s] for s in listing_sources if s not in listing.sources]
    listed = ", ".join(names[s] for s in listing.sources)
    who = f"listed by {listed}; not listed by {', '.join(missing)}" if missing else f"listed by all ({listed})"
    why = (
        f"Strength {listing.label}: {who}. Leave blank to follow the decision on item {number} "
        "(every strength together), or decide this strength on its own here (for example exclude it, or give it "
        "its own status)."
    )
    return [
        f"{number}.{item.strengths.index(listing) + 1}",
        item.section,
        strength_name(item, listing),
        *[strength_position(workspace, item, listing, s) for s in workspace.source_keys],
        why,
        "",
        "",
        *[""] * MAX_CANDIDATES,
    ]


def strength_name(item: Item, listing: StrengthListing) -> str:
    return f"Strength {listing.label} of {item.name}"


def strength_position(workspace: Workspace, item: Item, listing: StrengthListing, source: str) -> str:
    """What one formulary says about one strength: its status for it, or that it does not list it."""
    position = item.position(source)
    if not position.present:
        return "not listed (non-formulary there)"
    entries = [e for e in position.entries if e.key in listing.entry_keys]
    if not entries:
        return f"does not list {listing.label}"
    return f"lists {listing.label}: " + ", ".join(dict.fromkeys(status_words(workspace, e) for e in entries))


def strength_items_row(item: Item, listing: StrengthListing, info: list[Any]) -> list[str]:
    """The hidden record of a strength row: its own key, and the legacy entries that list the strength."""
    entries = [DecidedEntry.of(e).record() for e in item.entries if e.key in listing.entry_keys]
    return [
        strength_fingerprint(item.key, listing.strength),
        strength_name(item, listing),
        json.dumps(entries, ensure_ascii=False),
        "[]",
        json.dumps([check_value(v) for v in info], ensure_ascii=False),
        "[]",
        item.key,
    ]


def candidate_veto(item: Item, entry: Entry) -> str:
    """Why the matcher believes ``entry`` is another product than the item ('' when it found no difference)."""
    found = next((c for c in item.match.candidates if c.entry_key == entry.key), None)
    return "; ".join(found.vetoes) if found else ""


def write_working_group(
    workspace: Workspace, merge: ChapterMerge, target: Path, run_id: str, previous: Mapping[str, str] | None = None
) -> Path:
    """Write the workbook atomically, signed as written by merge run ``run_id`` (the workspace key is created
    if the workspace has none yet); ``previous`` maps item keys to an out-of-date decision to show."""
    sheets, footer = working_group_sheets(workspace, merge, run_id, previous)
    # the structure is locked without a password: stops unhiding the hidden sheets by accident
    write_workbook(target, sheets, footer, lock_structure=True)
    return target


def working_group_sheets(
    workspace: Workspace, merge: ChapterMerge, run_id: str, previous: Mapping[str, str] | None = None
) -> tuple[list[Sheet], Footer]:
    """The working-group workbook's sheets and page footer (see ``write_working_group``)."""
    by_key = {e.key: e for e in merge.loaded.entries}
    info, hidden, paper, head = [], [], [], info_headers(workspace)
    for number, result in enumerate(unsettled(merge), start=1):
        candidates = candidate_entries(result.item, by_key)
        row = info_row(workspace, number, result, candidates, (previous or {}).get(result.item.key, ""))
        info.append(row)
        hidden.append(items_row(result, candidates, row))
        paper.append(print_row(workspace, row, candidate_lines(workspace, result.item, candidates), head))
        for listing in result.item.strengths if result.item.strengths_differ else ():
            row = strength_row(workspace, number, result.item, listing)
            info.append(row)
            hidden.append(strength_items_row(result.item, listing, row))
            paper.append(print_row(workspace, row, "", head))
    lists, columns_of_lists = list_rows(workspace)
    sheets = [
        instructions_sheet(workspace, merge, len(unsettled(merge))),
        decisions_sheet(workspace, info, hidden, columns_of_lists),
        print_sheet(PRINT_COLUMNS, paper),
        Sheet(LISTS_SHEET, columns(("Decisions", "Statuses")), lists, hidden=True),
        Sheet(ITEMS_SHEET, columns(ITEM_COLUMNS), hidden, hidden=True),
        Sheet(ABOUT_SHEET, columns(("What", "Value")), about_rows(workspace, merge, run_id, hidden), hidden=True),
    ]
    return sheets, Footer(f"Chapter {merge.chapter.label}", f"Working-group decisions, merge run {run_id}")


def about_rows(
    workspace: Workspace, merge: ChapterMerge, run_id: str, hidden: list[list[str]]
) -> list[tuple[str, str]]:
    """The hidden About sheet: what the workbook is, which merge run wrote it, and its signature."""
    key, columns = workspace_key(workspace.root), json.dumps(info_headers(workspace))
    return [
        ("Format", FORMAT),
        ("Chapter", merge.chapter.slug),
        ("Chapter title", merge.chapter.label),
        ("Columns", columns),
        ("Run", run_id),
        ("Key id", key_id(key)),
        ("Signature", sign_items(key, merge.chapter.slug, run_id, columns, hidden)),
        ("Protection", "no password"),
    ]


def list_rows(workspace: Workspace) -> tuple[list[list[str | None]], dict[str, str]]:
    """The drop-down values (hidden Lists sheet) and the range each drop-down draws from."""
    words = list(decision_words(workspace))
    labels = [s.label for s in workspace.scale.statuses]
    rows = [
        [words[i] if i < len(words) else None, labels[i] if i < len(labels) else None]
        for i in range(max(len(words), len(labels)))
    ]
    ranges = {
        DECISION: f"={LISTS_SHEET}!$A$2:$A${len(words) + 1}",
        STATUS: f"={LISTS_SHEET}!$B$2:$B${len(labels) + 1}",
    }
    return rows, ranges


def validations(lists: Mapping[str, str]) -> dict[str, dict[str, object]]:
    """Drop-downs for the decision, the status and the candidate; a date check for the meeting."""
    rules: dict[str, dict[str, object]] = {
        DECISION: {"validate": "list", "source": lists[DECISION], "input_message": "Choose a decision."},
        STATUS: {"validate": "list", "source": lists[STATUS], "input_message": "Choose a status from the scale."},
        CANDIDATE: {
            "validate": "integer",
            "criteria": "between",
            "minimum": 1,
            "maximum": MAX_CANDIDATES,
            "input_message": f"Type the number of the candidate, 1 to {MAX_CANDIDATES}.",
        },
        MEETING: {
            "validate": "date",
            "criteria": "between",
            "minimum": date(2000, 1, 1),
            "maximum": date(2100, 12, 31),
            "input_message": "Type the meeting date, for example 2024-03-12.",
        },
    }
    for name, rule in rules.items():
        rule.update(input_title=name, error_title=name, error_message=rule["input_message"], error_type="stop")
    return rules


# the Print sheet: what the group reads of each row on paper, with room to write what it decides (``merge.paper``)
PRINT_COLUMNS = {
    "No.": 6,
    "Item": 23,
    LEGACY_POSITIONS: 33,
    "Why escalated": 29,
    "Candidate matches": 29,
    WRITE_DECISION: 15,
    WRITE_RATIONALE: 21,
}


def print_row(workspace: Workspace, info: list[Any], candidates: str, head: list[str]) -> list[Any]:
    """A Decisions row (``info``, under the headers ``head``) on paper: the positions in one column, why it was
    escalated with any out-of-date decision, the candidates in short, and room to write the decision and its
    rationale."""
    shown = dict(zip(head, info, strict=True))
    positions = {s.key: shown[f"{s.name} position"] for s in workspace.sources}
    previous = shown["Previous decision"]
    why = shown["Why escalated"] + (f"\nPrevious decision, out of date: {previous}" if previous else "")
    legacy = legacy_positions(workspace, positions)
    return [shown["No."], shown["Item"], legacy, why, candidates, None, None]


def decisions_sheet(
    workspace: Workspace, info: list[list[Any]], hidden: list[list[str]], lists: Mapping[str, str]
) -> Sheet:
    """The protected Decisions sheet: what the group reads (the item and its positions kept in view while
    scrolling right), the yellow input columns (any column of ``DECISION_COLUMNS``), the item key last."""
    head = [*info_headers(workspace), *DECISION_COLUMNS, KEY_COLUMN]
    rows = [[*row, *[None] * len(DECISION_COLUMNS), keys[0]] for row, keys in zip(info, hidden, strict=True)]
    wide = [h for h in head if h.endswith("position") or h.startswith(("Why", "Match", "Candidate", "Previous"))]
    inputs = dict.fromkeys(DECISION_COLUMNS, True)
    return Sheet(
        DECISION_SHEET,
        columns(
            head,
            # the item and its positions are frozen: narrow enough to leave room for the inputs on a laptop screen
            max_width={**{h: 40 for h in wide}, **{h: 34 for h in head if h == "Item" or h.endswith("position")}},
            width={**{h: w for h, w in INPUT_WIDTHS.items() if h in inputs}, KEY_COLUMN: 18},
            editable=inputs,
            date={MEETING: True},
            muted={KEY_COLUMN: True},
            validation=validations(lists),
        ),
        rows,
        frozen=head.index("Item") + 1 + len(workspace.sources),
        protected=True,
    )


HOW_TO = (
    "# How to fill in",
    (
        "1. Read each row: every formulary's legacy position, why the rules could not settle it, and up to three "
        "candidate matches with the evidence for each."
    ),
    (
        "2. In the yellow columns choose a Decision from the drop-down list, and fill in what it needs (below), a "
        "Rationale, the Meeting date (YYYY-MM-DD) and who decided (Decided by)."
    ),
    (
        f"3. Optionally, type a '{NAME}' with the decision: the name the medicine is to be shown and published "
        "by, when the name in the Item column is not right (leave it blank to keep that name)."
    ),
    (
        "4. Leave a row blank if the group did not discuss it: it stays in the harmonised chapter with every "
        "formulary's legacy position, pending chapter review, and comes back in the next workbook."
    ),
    "5. Send the workbook back to the secretariat, who imports it with 'harmonise decisions import'.",
)
STRENGTHS = (
    "# When the formularies list different strengths",
    (
        "An item whose formularies list different strengths (for example 25mg and 50mg in one, 25mg, 50mg and "
        "100mg in the other) is followed by one row per strength, numbered 3.1, 3.2..., saying which formularies "
        "list that strength and with what status. Every strength any formulary lists is published unless the "
        "group decides otherwise."
    ),
    (
        "Together: decide the item on its own row (for example adopt status Green) and leave the strength rows "
        "blank: the decision covers every strength."
    ),
    (
        "One by one: choose a decision on a strength row (exclude to leave that strength out, adopt status to "
        "give it its own status, retain both); it overrides the item's decision for that strength only. If the "
        "item's own row is blank, every strength row needs a decision."
    ),
    "The rationale for the committee lists every strength added or removed for each formulary.",
)
GOOD_TO_KNOW = (
    "# Good to know",
    (
        "On paper: print the Print sheet. It holds each row's item, every formulary's position, why it was "
        "escalated and the candidates, at a size that can be read, with room to write the decision and its "
        "rationale by hand; type them on the Decisions sheet afterwards (only what is typed there is imported). "
        "The Decisions sheet is made for the screen: printed, it is too wide to read."
    ),
    (
        "A decision is recorded against the legacy entries shown, not the row number. If a legacy formulary later "
        "changes one of them, the decision is not applied and the item comes back here with the old decision under "
        "'Previous decision'."
    ),
    NOTE,
    "Do not edit the Item key column: it ties each row to its legacy entries.",
)


def instructions_sheet(workspace: Workspace, merge: ChapterMerge, count: int) -> Sheet:
    """The first sheet: what to do, what each decision word means, what happens next."""
    words = [f"{word}: {DECISION_HELP[code]}" for word, (code, _) in decision_words(workspace).items()]
    lines = [
        f"# Working-group decisions: chapter {merge.chapter.label}",
        f"{count} items need a decision. One row per item on the Decisions sheet.",
        "",
        *HOW_TO,
        "",
        "# Decisions",
        *words,
        "",
        *STRENGTHS,
        "",
        *GOOD_TO_KNOW,
    ]
    return Sheet(
        "Instructions",
        [Column("Instructions", width=120)],
        [[line.removeprefix("# ")] for line in lines],
        header=False,
        bold=frozenset(number for number, line in enumerate(lines) if line.startswith("# ")),
    )


DECISION_HELP = {
    "adopt-status": "adopt the Harmonised status you choose (required).",
    "adopt-source": "adopt that formulary's legacy status for this item (leave Harmonised status blank, or "
    "give the same status).",
    "include": "include it in the harmonised formulary with the Harmonised status you choose (required).",
    "exclude": "leave it out of the harmonised formulary.",
    "retain-both": "keep every legacy position until the formal chapter review.",
    "defer": "not decided today: keep every legacy position, pending chapter review (rationale optional).",
    "confirm-match": "the row and a candidate are the same product: give the candidate's number in "
    f"'{CANDIDATE}' (the rows are joined on the next run, labelled as joined by the working group, and need "
    "their own status). Not for a candidate the matcher vetoed (its evidence says VETO).",
    "confirm-despite-difference": "the row and a candidate the matcher VETOED (another strength, release, "
    "substance...) are the same product all the same: give the candidate's number and a Rationale saying why; "
    "the veto overridden is recorded with the decision.",
    "reject-match": "the row and a candidate are different products: give the candidate's number (blank "
    "rejects every candidate shown).",
}
