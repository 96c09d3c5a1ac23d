"""The rationale summary for the area prescribing committee, as Markdown (``rationale.md``) and as a static
page (``rationale.html``): counts by rule and by outcome, the working-group decisions with their rationale,
the retained-both items awaiting chapter review, the excluded items, and the changes against each legacy
formulary (added, removed, status changed, strengths added or removed), highlighted."""

from __future__ import annotations

from collections.abc import Sequence

from harmonise.publish.content import CHANGE_KINDS, Change, DecisionNote, Rationale, outcome_words
from harmonise.publish.html import esc, page, table

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
    return esc(text)


def md_table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def note_rows(notes: Sequence[DecisionNote]) -> list[list[object]]:
    return [[n.section, n.drug, n.outcome, n.status, n.decided_by, n.rationale] for n in notes]


NOTE_HEAD = ("Section", "Medicine", "Outcome", "Status", "Decided by", "Rationale")
RETAINED_HEADING = "Legacy positions retained, awaiting chapter review"


def outcome_counts(summary: Rationale) -> list[tuple[str, int]]:
    """Items per outcome, in words that count the chapter's sources (``all three legacy positions retained``)."""
    return [(outcome_words(kind, len(summary.source_names)), n) for kind, n in summary.by_outcome]


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
    sections = (
        ("Working-group decisions", summary.decisions, "No working-group decisions in this chapter."),
        (RETAINED_HEADING, summary.retained, "No items await chapter review."),
        ("Excluded from the harmonised formulary", summary.excluded, "No items were excluded."),
    )
    for heading, notes, empty in sections:
        lines += [f"## {heading} ({len(notes)})", ""]
        lines += md_table(NOTE_HEAD, note_rows(notes)) if notes else [empty, ""]
    return "\n".join(lines + md_changes(summary))


def html_notes(heading: str, notes: Sequence[DecisionNote], empty: str) -> str:
    rows = [[esc(c) for c in r] for r in note_rows(notes)]
    body = table("", NOTE_HEAD, rows, row_header=False) if rows else f"<p>{esc(empty)}</p>"
    return f"<h2>{esc(heading)} ({len(notes)})</h2>{body}"


def html_change_row(change: Change) -> list[str]:
    mark = f'<mark class="{MARK[change.kind]}">{esc(change.kind)}</mark>'
    return [mark, esc(change.section), esc(change.drug), esc(change.before), esc(change.after)]


def html_changes(summary: Rationale) -> str:
    parts = ["<h2>Changes against each legacy formulary</h2>"]
    for source, changes in summary.changes.items():
        name = summary.source_names[source]
        counts = change_counts(changes)
        rows = [html_change_row(c) for c in changes]
        body = (
            table("", ("Change", "Section", "Medicine", f"Was ({name})", "Now"), rows, row_header=False)
            if rows
            else "<p>No changes for this formulary.</p>"
        )
        parts.append(f"<h3>{esc(name)}</h3><p>{esc(counts)}.</p>{body}")
    return "".join(parts)


def rationale_html(summary: Rationale, version: int, published_at: str) -> str:
    """The committee summary as a static page."""
    outcome_rows = [[esc(words), str(n)] for words, n in outcome_counts(summary)]
    rule_rows = [[esc(rule), esc(title), str(n)] for rule, title, n in summary.by_rule]
    parts = [
        f"<h1>Rationale: {esc(summary.chapter)}, version {version}</h1>",
        f'<p class="meta">Published {esc(published_at)}. {summary.items} items harmonised; '
        f"{summary.published} in the final chapter.</p>",
        "<h2>Outcomes</h2>",
        table("Items by outcome", ("Outcome", "Items"), outcome_rows),
        "<h2>Settled by rule or decision</h2>",
        table("Items by rule", ("Rule", "Title", "Items"), rule_rows),
        html_notes("Working-group decisions", summary.decisions, "No working-group decisions in this chapter."),
        html_notes(RETAINED_HEADING, summary.retained, "No items await chapter review."),
        html_notes("Excluded from the harmonised formulary", summary.excluded, "No items were excluded."),
        html_changes(summary),
    ]
    return page(f"Rationale: {summary.chapter}, version {version}", "\n".join(parts))
