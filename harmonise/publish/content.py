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
from dataclasses import dataclass, replace

from harmonise.merge import ChapterMerge, ItemResult, split_name
from harmonise.model import BNF_NAMED, Entry, OutcomeKind, Position, Scale, StrengthListing, all_of
from harmonise.publish.notes import merge_nice_ta, merge_notes
from harmonise.workspace import Workspace

PENDING_REVIEW = "pending chapter review"
RULE_OWNERS = ("default", "data-error")
OUTCOME_WORDS = {
    "adopt": "adopted",
    "escalate": "escalated (undecided)",
    "retain-both": "legacy positions retained",
    "exclude": "excluded",
}
CHANGE_KINDS = ("added", "removed", "status changed", "strengths added", "strengths removed")
PUBLISHED = ("adopt", "retain-both")
StrengthPlan = tuple[StrengthListing, OutcomeKind, str | None]


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


def outcome_words(kind: str, sources: int) -> str:
    """An outcome in words, counting the sources for retained positions (``all three legacy positions retained``)."""
    if kind == "retain-both":
        return f"{all_of(sources, 'legacy positions')} retained"
    return OUTCOME_WORDS.get(kind, kind)


def is_rule(decided_by: str, rule_ids: Sequence[str]) -> bool:
    """True when a rule (or the default, or a data error) set the outcome rather than a recorded decision."""
    return decided_by in rule_ids or decided_by in RULE_OWNERS


def distinct(values: Sequence[str]) -> str:
    """Distinct non-empty values joined with '; ' (several legacy rows of one item)."""
    return "; ".join(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def chosen_entries(result: ItemResult) -> tuple[Entry, ...]:
    """The entries that give the final row its line of choice: the adopted source's, else the first source in
    config order that lists the item. Notes and NICE TA are taken from every entry."""
    item = result.item
    if result.outcome.source and item.position(result.outcome.source).present:
        return item.position(result.outcome.source).entries
    return next((p.entries for p in item.positions if p.present), item.entries)


def naming_entries(result: ItemResult) -> tuple[Entry, ...]:
    """The entries whose name and formulation the final row shows: the source whose names are best formed
    (``Item.named_from``, see ``matching.naming``), else the chosen entries."""
    position = result.item.position(result.item.named_from)
    return position.entries if position.present else chosen_entries(result)


def drug_name(result: ItemResult, entries: Sequence[Entry]) -> str:
    """The medicine's name in the final chapter: the working group's harmonised name, the current BNF name, or
    the best-formed legacy name (without its formulation, which has a column of its own)."""
    item = result.item
    if result.outcome.name or item.named_from == BNF_NAMED:
        return result.outcome.name or item.name
    return entries[0].name if entries else item.name


def formulation_shown(result: ItemResult) -> bool:
    """Whether the final row has a formulation: not when it is named after its current BNF presentation (one
    strength of one form), whose name states both."""
    return bool(result.outcome.name) or result.item.named_from != BNF_NAMED


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
    entries, named = chosen_entries(result), naming_entries(result)
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
        drug=drug_name(result, named),
        formulation=distinct([e.formulation for e in named]) if formulation_shown(result) else "",
        status="" if retained else (outcome.status or ""),
        status_label=outcome_words("retain-both", len(item.positions)).capitalize()
        if retained
        else scale.label(outcome.status),
        line=distinct([e.line for e in entries]),
        notes=merge_notes(e.notes for e in item.entries),
        nice_ta=merge_nice_ta(e.nice_ta for e in item.entries),
        decided_by=outcome.decided_by,
        flag="; ".join(f for f in (PENDING_REVIEW if retained else "", item.match.joined_note) if f),
        legacy=legacy,
        item_key=item.key,
    )


def section_key(section: str) -> tuple[object, ...]:
    """Sort dotted BNF sections numerically (02.10 after 02.9), unknown sections last."""
    parts = section.split(".") if section else []
    return (not parts, *[(0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts])


def strength_plan(result: ItemResult) -> list[StrengthPlan]:
    """Each strength any source lists, with its outcome: its own decision, else the item's."""
    return [(s, *result.outcome.for_strength(s.strength)) for s in result.item.strengths]


def strength_formulation(
    entries: Sequence[Entry], listings: Sequence[StrengthListing], all_listings: Sequence[StrengthListing]
) -> str:
    """The formulation with the strengths published (``listings``, of the item's ``all_listings``): as written
    when ``entries`` list exactly those, else the first entry's form (``Tablets``) and every strength
    (``Tablets 25mg, 50mg, 100mg``); a form that cannot be read keeps its text and names the strengths."""
    keys = {e.key for e in entries}
    if (
        {s.strength for s in listings}
        == {s.strength for s in listings if keys & set(s.entry_keys)}
        == {s.strength for s in all_listings if keys & set(s.entry_keys)}
    ):
        return distinct([e.formulation for e in entries])  # these rows list exactly these strengths: as written
    labels = ", ".join(s.label for s in listings)
    parts = split_name(entries[0].formulation) if entries and entries[0].formulation else None
    if parts is not None:
        return f"{parts[0]} {labels}"
    written = distinct([e.formulation for e in entries])
    return f"{written}; strengths {labels}" if written else f"strengths {labels}"


def item_rows(workspace: Workspace, result: ItemResult) -> list[FinalRow]:
    """The final-chapter lines of one item: none when excluded; one per outcome its strengths have (every
    strength any source lists, unless a decision excluded it), or one when its strengths cannot be read."""
    if not result.item.strengths:
        return [final_row(workspace, result)] if result.outcome.kind in PUBLISHED else []
    groups: dict[tuple[OutcomeKind, str | None], list[StrengthListing]] = {}
    for listing, kind, status in strength_plan(result):
        if kind in PUBLISHED:
            groups.setdefault((kind, status), []).append(listing)
    rows = []
    for (kind, status), listings in groups.items():
        part = replace(result, outcome=replace(result.outcome, kind=kind, status=status))
        row = final_row(workspace, part)
        if formulation_shown(part):
            row = replace(row, formulation=strength_formulation(naming_entries(part), listings, result.item.strengths))
        rows.append(row)
    return rows


def final_rows(workspace: Workspace, merge: ChapterMerge) -> list[FinalRow]:
    """The final chapter: every adopted and retained-both item, by section; excluded items (and strengths) are
    left out."""
    rows = [row for result in merge.results for row in item_rows(workspace, result)]
    return sorted(rows, key=lambda r: (section_key(r.section), r.drug.casefold(), r.formulation.casefold()))


def note(workspace: Workspace, result: ItemResult) -> DecisionNote:
    outcome = result.outcome
    return DecisionNote(
        result.item.section,
        result.item.name,
        outcome_words(outcome.kind, len(result.item.positions)),
        workspace.scale.label(outcome.status),
        outcome.decided_by,
        outcome.rationale,
    )


def changes_for(workspace: Workspace, merge: ChapterMerge, source: str) -> tuple[Change, ...]:
    """What the final chapter changes for the area of one legacy formulary (retained-both items change nothing):
    medicines added, removed or with another status, and strengths added or removed."""
    out = [c for result in merge.results for c in item_changes(workspace, merge, result, source)]
    return tuple(sorted(out, key=lambda c: (CHANGE_KINDS.index(c.kind), section_key(c.section), c.drug.casefold())))


def item_changes(workspace: Workspace, merge: ChapterMerge, result: ItemResult, source: str) -> list[Change]:
    """The changes one item makes for one legacy formulary."""
    scale, position, outcome, item = workspace.scale, result.item.position(source), result.outcome, result.item
    before = unread_text(merge, result, source) or legacy_text(position, scale)
    plan = strength_plan(result)
    published = any(kind in PUBLISHED for _, kind, _ in plan) if plan else outcome.kind in PUBLISHED
    after = scale.label(outcome.status)
    if plan and outcome.kind == "adopt":
        after += f" ({', '.join(s.label for s, kind, _ in plan if kind in PUBLISHED)})"
    if position.present and not published:
        return [Change(source, "removed", item.name, item.section, before, "excluded")]
    if outcome.kind == "adopt" and not position.present:
        return [Change(source, "added", item.name, item.section, before, after)]
    out = []
    if outcome.kind == "adopt" and set(position.statuses) != {outcome.status}:
        out.append(Change(source, "status changed", item.name, item.section, before, scale.label(outcome.status)))
    return out + strength_changes(workspace, result, source, before) if position.present else out


def strength_changes(workspace: Workspace, result: ItemResult, source: str, before: str) -> list[Change]:
    """Strengths the final chapter adds for a formulary that did not list them, and strengths of its own that a
    decision removed (a strength whose positions are retained changes nothing)."""
    scale, item = workspace.scale, result.item
    plan = strength_plan(result)
    listed = ", ".join(s.label for s, _, _ in plan if source in s.sources)
    was = f"{before}; lists {listed}"
    added = [f"{s.label} ({scale.label(st)})" for s, kind, st in plan if kind == "adopt" and source not in s.sources]
    removed = [s.label for s, kind, _ in plan if kind == "exclude" and source in s.sources]
    out = []
    if added:
        out.append(Change(source, "strengths added", item.name, item.section, was, f"adds {', '.join(added)}"))
    if removed:
        why = f"removes {', '.join(removed)} (excluded by the working group)"
        out.append(Change(source, "strengths removed", item.name, item.section, was, why))
    return out


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
