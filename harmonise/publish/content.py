"""What a published chapter says, as plain data built from a merged chapter (no files, no markup).

``FinalRow`` is one line of the final chapter as a formulary platform imports it; ``Change`` is one
difference against a legacy formulary (added, removed, status changed); ``Rationale`` gathers what the
committee reads: counts by rule and by outcome, the working-group decisions, the retained-both items, the
excluded items and the changes per legacy formulary. Renderers (``publish_html``, ``publish_rationale``) and
the writer (``publish``) only format these records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from harmonise.merge import ChapterMerge, ItemResult
from harmonise.model import Entry, Position, Scale
from harmonise.workspace import Workspace

PENDING_REVIEW = "pending chapter review"
RULE_OWNERS = ("default", "data-error")
OUTCOME_WORDS = {
    "adopt": "adopted",
    "escalate": "escalated (undecided)",
    "retain-both": "both positions retained",
    "exclude": "excluded",
}
CHANGE_KINDS = ("added", "removed", "status changed")


@dataclass(frozen=True)
class LegacyPosition:
    """One source's legacy position of a retained-both item, as text: 'Green (1st line)' or 'not listed'."""

    source: str
    source_name: str
    status: str
    text: str


@dataclass(frozen=True)
class FinalRow:
    """One medicine of the final chapter. ``status`` is the scale key ('' for retained-both items)."""

    section: str
    drug: str
    formulation: str
    status: str
    status_label: str
    line: str
    notes: str
    nice_ta: str
    decided_by: str
    flag: str = ""
    legacy: tuple[LegacyPosition, ...] = ()
    item_key: str = ""


@dataclass(frozen=True)
class Change:
    """One difference between the final chapter and one legacy formulary."""

    source: str
    kind: str
    drug: str
    section: str
    before: str
    after: str


@dataclass(frozen=True)
class DecisionNote:
    """A working-group decision (or retained-both item) as the committee reads it."""

    section: str
    drug: str
    outcome: str
    status: str
    decided_by: str
    rationale: str


@dataclass(frozen=True)
class Rationale:
    """Everything the rationale summary shows."""

    chapter: str
    items: int
    published: int
    by_rule: tuple[tuple[str, str, int], ...]
    by_outcome: tuple[tuple[str, int], ...]
    decisions: tuple[DecisionNote, ...]
    retained: tuple[DecisionNote, ...]
    excluded: tuple[DecisionNote, ...]
    changes: dict[str, tuple[Change, ...]]
    source_names: dict[str, str]


def is_rule(decided_by: str, rule_ids: Sequence[str]) -> bool:
    """True when a rule (or the default, or a data error) set the outcome rather than a recorded decision."""
    return decided_by in rule_ids or decided_by in RULE_OWNERS


def distinct(values: Sequence[str]) -> str:
    """Distinct non-empty values joined with '; ' (several legacy rows of one item)."""
    return "; ".join(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def chosen_entries(result: ItemResult) -> tuple[Entry, ...]:
    """The entries that name the final row (drug, formulation, line): the adopted source's, else the first
    source in config order that lists the item. Notes and NICE TA are taken from every entry."""
    item = result.item
    if result.outcome.source and item.position(result.outcome.source).present:
        return item.position(result.outcome.source).entries
    return next((p.entries for p in item.positions if p.present), item.entries)


def legacy_text(position: Position, scale: Scale) -> str:
    """A source's position in words, as a person reads it in the final chapter."""
    if not position.present:
        return "not listed (non-formulary)"
    parts = []
    for entry in position.entries:
        line = f", {entry.line}" if entry.line else ""
        parts.append(f"{scale.label(entry.status)}{line}")
    return "; ".join(dict.fromkeys(parts))


def unread_text(merge: ChapterMerge, result: ItemResult, source: str) -> str:
    """For a source that does not list the item but has a row that could not be read and may hold it:
    'not read (data error at ...)', since 'not listed' would be false. Else ''."""
    gaps = [g for g in merge.gaps_for(result.item) if g.source == source]
    return f"not read (data error at {'; '.join(str(g.provenance) for g in gaps)})" if gaps else ""


def final_row(workspace: Workspace, result: ItemResult) -> FinalRow:
    """The final-chapter line of one adopted or retained-both item."""
    item, outcome, scale = result.item, result.outcome, workspace.scale
    entries = chosen_entries(result)
    retained = outcome.kind == "retain-both"
    legacy = (
        tuple(
            LegacyPosition(p.source, workspace.source(p.source).name, p.status or "", legacy_text(p, scale))
            for p in item.positions
        )
        if retained
        else ()
    )
    return FinalRow(
        section=item.section,
        drug=entries[0].name if entries else item.name,
        formulation=distinct([e.formulation for e in entries]),
        status="" if retained else (outcome.status or ""),
        status_label="Both legacy positions retained" if retained else scale.label(outcome.status),
        line=distinct([e.line for e in entries]),
        notes=distinct([e.notes for e in item.entries]),
        nice_ta=distinct([e.nice_ta for e in item.entries]),
        decided_by=outcome.decided_by,
        flag="; ".join(f for f in (PENDING_REVIEW if retained else "", item.match.joined_note) if f),
        legacy=legacy,
        item_key=item.key,
    )


def section_key(section: str) -> tuple[object, ...]:
    """Sort dotted BNF sections numerically (02.10 after 02.9), unknown sections last."""
    parts = section.split(".") if section else []
    return (not parts, *[(0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts])


def final_rows(workspace: Workspace, merge: ChapterMerge) -> list[FinalRow]:
    """The final chapter: every adopted and retained-both item, by section; excluded items are left out."""
    kept = [r for r in merge.results if r.outcome.kind in ("adopt", "retain-both")]
    rows = [final_row(workspace, r) for r in kept]
    return sorted(rows, key=lambda r: (section_key(r.section), r.drug.casefold()))


def note(workspace: Workspace, result: ItemResult) -> DecisionNote:
    outcome = result.outcome
    return DecisionNote(
        result.item.section,
        result.item.name,
        OUTCOME_WORDS.get(outcome.kind, outcome.kind),
        workspace.scale.label(outcome.status),
        outcome.decided_by,
        outcome.rationale,
    )


def changes_for(workspace: Workspace, merge: ChapterMerge, source: str) -> tuple[Change, ...]:
    """What the final chapter changes for the area of one legacy formulary (retained-both items change nothing)."""
    scale, out = workspace.scale, []
    for result in merge.results:
        position, outcome, item = result.item.position(source), result.outcome, result.item
        before = unread_text(merge, result, source) or legacy_text(position, scale)
        if outcome.kind == "exclude" and position.present:
            out.append(Change(source, "removed", item.name, item.section, before, "excluded"))
        elif outcome.kind == "adopt" and not position.present:
            out.append(Change(source, "added", item.name, item.section, before, scale.label(outcome.status)))
        elif outcome.kind == "adopt" and set(position.statuses) != {outcome.status}:
            out.append(Change(source, "status changed", item.name, item.section, before, scale.label(outcome.status)))
    return tuple(sorted(out, key=lambda c: (CHANGE_KINDS.index(c.kind), section_key(c.section), c.drug.casefold())))


def rule_counts(merge: ChapterMerge) -> tuple[tuple[str, str, int], ...]:
    """(rule or decision, title, items settled) in rule order, then defaults and decisions."""
    titles = {rule.id: rule.title for rule in merge.rules.rules}
    titles.update({"default": "No rule applied (escalated by default)", "data-error": "Data error in a legacy entry"})
    counts = Counter(r.outcome.decided_by for r in merge.results)
    order = [*merge.rules.ids, *RULE_OWNERS]
    ordered = [k for k in order if k in counts] + sorted(k for k in counts if k not in order)
    return tuple((k, titles.get(k, "working-group decision"), counts[k]) for k in ordered)


def rationale(workspace: Workspace, merge: ChapterMerge) -> Rationale:
    """The committee's summary of one chapter."""
    ids = merge.rules.ids
    results = merge.results
    by_kind: Counter[str] = Counter(r.outcome.kind for r in results)
    return Rationale(
        chapter=merge.chapter.label,
        items=len(results),
        published=sum(by_kind[k] for k in ("adopt", "retain-both")),
        by_rule=rule_counts(merge),
        by_outcome=tuple((k, by_kind[k]) for k in OUTCOME_WORDS if by_kind[k]),
        decisions=tuple(
            note(workspace, r) for r in results if not is_rule(r.outcome.decided_by, ids) or r.item.match.confirmed
        ),
        retained=tuple(note(workspace, r) for r in results if r.outcome.kind == "retain-both"),
        excluded=tuple(note(workspace, r) for r in results if r.outcome.kind == "exclude"),
        changes={s.key: changes_for(workspace, merge, s.key) for s in workspace.sources},
        source_names={s.key: s.name for s in workspace.sources},
    )
