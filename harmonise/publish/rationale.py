"""The rationale summary for the area prescribing committee, as Markdown (``rationale.md``), and as a paper
(``rationale_paper``) written as a static page (``rationale.html``), a Word document (``rationale.docx``) and a
PDF where LibreOffice is installed (``rationale.pdf``): counts by rule and by outcome, the working-group
decisions with their rationale, the retained-both items awaiting chapter review, the excluded items, and the
changes against each legacy formulary (added, removed, status changed, strengths added or removed),
highlighted; status cells carry their RAG colour."""

from __future__ import annotations

import html
from collections.abc import Sequence

from harmonise.model import Scale
from harmonise.output import Block, Cell, Paper, paper_html
from harmonise.publish.content import CHANGE_KINDS, Change, DecisionNote, Rationale, outcome_words

MARK = {
    "added": "added",
    "removed": "removed",
    "status changed": "changed",
    "strengths added": "added",
    "strengths removed": "removed",
}


MD_SIGNIFICANT = "\\`*_[]|"  # backslash first: links, images, code spans, emphasis and table cells


class Md(str):
    """Markdown the code wrote itself from inert parts (``**ADDED**``): ``md_cell`` passes it through."""


def md_cell(value: object) -> str:
    """Inert Markdown text (a table cell, a heading): newlines flattened, HTML-significant characters escaped, and
    the characters that make links, images (``[x](javascript:...)``, ``![](http://...)``), code spans, emphasis
    or a new table cell backslash-escaped, so text from a decision, a rule or a spreadsheet renders as written."""
    if isinstance(value, Md):
        return value
    text = " ".join(str(value).split())
    for char in MD_SIGNIFICANT:
        text = text.replace(char, "\\" + char)
    return html.escape(text, quote=True)


def md_table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def note_rows(notes: Sequence[DecisionNote]) -> list[list[object]]:
    return [[n.section, n.drug, n.outcome, n.status, n.decided_by, n.rationale] for n in notes]


def outcome_counts(summary: Rationale) -> list[tuple[str, int]]:
    """Items per outcome, in words that count the chapter's sources (``all three legacy positions retained``)."""
    return [(outcome_words(kind, len(summary.source_names)), n) for kind, n in summary.by_outcome]


NOTE_HEAD = ("Section", "Medicine", "Outcome", "Status", "Decided by", "Rationale")
NOTE_SECTIONS = (  # heading, the summary's field, what is said when there are none
    ("Working-group decisions", "decisions", "No working-group decisions in this chapter."),
    ("Legacy positions retained, awaiting chapter review", "retained", "No items await chapter review."),
    ("Excluded from the harmonised formulary", "excluded", "No items were excluded."),
)


def change_counts(changes: Sequence[Change]) -> str:
    """``1 added, 0 removed, 2 status changed`` (strengths added or removed only when there are some)."""
    counts = {k: sum(1 for c in changes if c.kind == k) for k in CHANGE_KINDS}
    return ", ".join(f"{n} {k}" for k, n in counts.items() if n or not k.startswith("strengths"))


def md_changes(summary: Rationale) -> list[str]:
    lines = ["## Changes against each legacy formulary", ""]
    for source, changes in summary.changes.items():
        name = summary.source_names[source]
        counts = change_counts(changes)
        lines += [f"### {md_cell(name)}", "", f"{counts}.", ""]
        rows = [[Md(f"**{md_cell(c.kind.upper())}**"), c.section, c.drug, c.before, c.after] for c in changes]
        lines += (
            md_table(("Change", "Section", "Medicine", f"Was ({md_cell(name)})", "Now"), rows)
            if rows
            else ["No changes for this formulary.", ""]
        )
    return lines


def rationale_markdown(summary: Rationale, version: int, published_at: str) -> str:
    """The committee summary as Markdown (text from the data is escaped)."""
    lines = [
        f"# Rationale: {md_cell(summary.chapter)}, version {version}",
        "",
        f"Published {published_at}. {summary.items} items harmonised; {summary.published} in the final chapter.",
        "",
        "## Outcomes",
        "",
    ]
    lines += md_table(("Outcome", "Items"), outcome_counts(summary))
    lines += ["## Settled by rule or decision", ""]
    lines += md_table(("Rule", "Title", "Items"), summary.by_rule)
    for heading, field, empty in NOTE_SECTIONS:
        notes = getattr(summary, field)
        lines += [f"## {heading} ({len(notes)})", ""]
        lines += md_table(NOTE_HEAD, note_rows(notes)) if notes else [empty, ""]
    return "\n".join(lines + md_changes(summary))


def status_fills(scale: Scale | None) -> dict[str, str]:
    """Each status label's RAG colour (none without a scale)."""
    return {s.label: s.colour for s in scale.statuses} if scale else {}


def status_cell(text: str, fills: dict[str, str]) -> Cell:
    """A cell whose text is, or starts with, a status label ('Green, 2nd', 'Red (10mg, 20mg)'): shaded in its
    colour. Other text ('not listed (non-formulary)', 'excluded') is left plain."""
    for label in sorted(fills, key=len, reverse=True):
        if label and text.startswith(label) and text[len(label) : len(label) + 1] in ("", ",", ";", " "):
            return Cell(text, fill=fills[label])
    return Cell(text)


def notes_blocks(heading: str, notes: Sequence[DecisionNote], empty: str, fills: dict[str, str]) -> list[Block]:
    rows = [(n.section, n.drug, n.outcome, status_cell(n.status, fills), n.decided_by, n.rationale) for n in notes]
    body = Block("table", rows=(NOTE_HEAD, *rows)) if rows else Block("paragraph", empty)
    return [Block("heading2", f"{heading} ({len(notes)})"), body]


def changes_blocks(summary: Rationale, fills: dict[str, str]) -> list[Block]:
    blocks = [Block("heading2", "Changes against each legacy formulary")]
    for source, changes in summary.changes.items():
        name = summary.source_names[source]
        head = ("Change", "Section", "Medicine", f"Was ({name})", "Now")
        rows = [
            (
                Cell(c.kind, mark=MARK[c.kind]),
                c.section,
                c.drug,
                status_cell(c.before, fills),
                status_cell(c.after, fills),
            )
            for c in changes
        ]
        blocks += [Block("heading3", name), Block("paragraph", f"{change_counts(changes)}.")]
        blocks.append(
            Block("table", rows=(head, *rows)) if rows else Block("paragraph", "No changes for this formulary.")
        )
    return blocks


def rationale_paper(summary: Rationale, version: int, published_at: str, scale: Scale | None = None) -> Paper:
    """The committee summary as a paper (the page and the Word document say the same); status cells are shaded
    in their RAG colour when the scale is given."""
    fills = status_fills(scale)
    title = f"Rationale: {summary.chapter}, version {version}"
    blocks = [
        Block("heading1", title),
        Block(
            "paragraph",
            f"Published {published_at}. {summary.items} items harmonised; {summary.published} in the final chapter.",
            meta=True,
        ),
        Block("heading2", "Outcomes"),
        Block(
            "table",
            "Items by outcome",
            (("Outcome", "Items"), *((words, str(n)) for words, n in outcome_counts(summary))),
            True,
        ),
        Block("heading2", "Settled by rule or decision"),
        Block(
            "table",
            "Items by rule",
            (("Rule", "Title", "Items"), *((r, t, str(n)) for r, t, n in summary.by_rule)),
            True,
        ),
    ]
    for heading, notes, empty in NOTE_SECTIONS:
        blocks += notes_blocks(heading, getattr(summary, notes), empty, fills)
    blocks += changes_blocks(summary, fills)
    return Paper(title, tuple(blocks), footer=f"{title}, published {published_at}")


def rationale_html(summary: Rationale, version: int, published_at: str, scale: Scale | None = None) -> str:
    """The committee summary as a static page."""
    return paper_html(rationale_paper(summary, version, published_at, scale))
