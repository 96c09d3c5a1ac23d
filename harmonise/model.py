"""The records passed from stage to stage: plain, immutable, with no assumption of exactly two sources.

``Entry`` is one legacy formulary row as loaded; ``Position`` is what one source says about an item
(absent = non-formulary there); ``Item`` is one harmonised row (the entries that matching joined, one
``Position`` per source); ``Outcome`` is what a rule or a working-group decision made of it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

MatchDecision = Literal["auto", "candidate", "none"]
BNF_NAMED = "current BNF name"  # Item.named_from of an item shown by its current BNF presentation's name
OutcomeKind = Literal["adopt", "escalate", "retain-both", "exclude"]


@dataclass(frozen=True)
class Status:
    """One status on the common scale; ``rank`` is None for statuses outside the order (grey...)."""

    key: str
    label: str
    rank: int | None
    colour: str


@dataclass(frozen=True)
class Scale:
    """The common status scale, least to most restrictive, then the unordered statuses."""

    statuses: tuple[Status, ...]

    def get(self, key: str) -> Status | None:
        return self._by_key.get(key)

    @cached_property
    def _by_key(self) -> dict[str, Status]:
        """Each status by its key, the first of a key kept (a label is looked up for every cell written)."""
        found: dict[str, Status] = {}
        for status in self.statuses:
            found.setdefault(status.key, status)
        return found

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.statuses)

    def rank(self, key: str | None) -> int | None:
        status = self.get(key) if key else None
        return status.rank if status else None

    def label(self, key: str | None) -> str:
        status = self.get(key) if key else None
        return status.label if status else (key or "")


@dataclass(frozen=True)
class Provenance:
    """Where a legacy value came from, as a person would find it: file, sheet, spreadsheet row."""

    file: str
    sheet: str
    row: int

    def __str__(self) -> str:
        sheet = f"[{self.sheet}]" if self.sheet else ""
        return f"{self.file}{sheet} row {self.row}"


@dataclass(frozen=True)
class Entry:
    """One legacy formulary row. ``status`` is the common-scale key (None when the word is unknown)."""

    source: str
    name: str
    provenance: Provenance
    formulation: str = ""
    section: str = ""
    status: str | None = None
    status_word: str = ""
    line: str = ""
    membership: str = ""
    notes: str = ""
    nice_ta: str = ""
    brand: str = ""
    ref: str = ""
    key: str = ""

    @cached_property
    def identity(self) -> str:
        """Which product row this is, independent of its position (status, notes...): source, name, formulation.

        A working-group decision is found again through the identities of its entries; if their content
        keys differ from those decided, the legacy positions changed and the decision is stale.
        """
        return content_key(self.source, self.name, self.formulation)

    @cached_property
    def display_name(self) -> str:
        """Name and formulation as one string, the form the matcher reads (read many times a merge)."""
        if self.formulation and self.formulation.lower() not in self.name.lower():
            return f"{self.name} {self.formulation}"
        return self.name


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def all_of(count: int, plural: str) -> str:
    """Wording that counts the sources: ``both legacy positions``, ``all three legacy positions``, ``all 12 ...``
    (a sentence written for two formularies must not say "both" of three)."""
    if count == 2:
        return f"both {plural}"
    number = NUMBER_WORDS[count] if 2 < count < len(NUMBER_WORDS) else str(count) if count > 2 else ""
    return " ".join(w for w in ("all", number, plural) if w)


def content_key(*parts: str) -> str:
    """A short stable fingerprint of content (not of row position)."""
    joined = "\x1f".join(" ".join(p.split()).casefold() for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Chapter:
    """A BNF chapter (1-15) or a local chapter label; ``slug`` names its folder (``02-cardiovascular``)."""

    number: str
    slug: str
    title: str

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}"


@dataclass(frozen=True)
class Position:
    """What one source says about an item. No entries means absent, which is non-formulary there."""

    source: str
    entries: tuple[Entry, ...] = ()

    @property
    def present(self) -> bool:
        return bool(self.entries)

    @property
    def statuses(self) -> tuple[str, ...]:
        """Distinct common-scale statuses of the entries, in entry order."""
        seen: list[str] = []
        for entry in self.entries:
            if entry.status and entry.status not in seen:
                seen.append(entry.status)
        return tuple(seen)

    @property
    def status(self) -> str | None:
        """The source's status: None when absent or when its entries disagree (see ``mixed``)."""
        statuses = self.statuses
        return statuses[0] if len(statuses) == 1 else None

    @property
    def mixed(self) -> bool:
        return len(self.statuses) > 1

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.status_word for e in self.entries if e.status_word))


@dataclass(frozen=True)
class Candidate:
    """A possible match the working group should look at, with its evidence line; ``vetoes`` say why the
    matcher believes the two are different products (another strength, release, substance...)."""

    source: str
    entry_key: str
    name: str
    score: float
    evidence: str
    vetoes: tuple[str, ...] = ()

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)


@dataclass(frozen=True)
class Confirmation:
    """A join the working group confirmed, never the matcher's: which rows, who, when, at which meeting, why,
    and the veto it overrode when the group confirmed a candidate the matcher had vetoed."""

    joined: str
    meeting: str
    decided_by: str
    rationale: str = ""
    imported_by: str = ""
    imported_at: str = ""
    veto: str = ""

    def describe(self) -> str:
        """One line a pharmacist reads: ``joined by the working group (meeting 2024-03-12, Dr Shah): ...``."""
        despite = f", despite the matcher's veto ({self.veto})" if self.veto else ""
        why = f": {self.rationale}" if self.rationale else ""
        return f"{self.joined} joined by the working group{despite} (meeting {self.meeting}, {self.decided_by}){why}"


@dataclass(frozen=True)
class MatchInfo:
    """How the entries of an item were joined: decision, level, score and the evidence a person reads.

    ``confirmed`` holds the joins the working group made; an item with any is labelled as the group's
    join wherever the match is shown (``shown``, ``shown_level``), never as the matcher's automatic match.
    """

    decision: MatchDecision = "none"
    level: str = ""
    score: float = 0.0
    evidence: str = ""
    candidates: tuple[Candidate, ...] = ()
    confirmed: tuple[Confirmation, ...] = ()

    @property
    def shown(self) -> str:
        """The match decision as shown to people: ``working group`` for a join the group confirmed."""
        return "working group" if self.confirmed else self.decision

    @property
    def shown_level(self) -> str:
        return "confirmed by the working group" if self.confirmed else self.level

    @property
    def joined_note(self) -> str:
        """A short label for a published chapter: ``joined by the working group (meeting 2024-03-12, Dr Shah)``."""
        return "; ".join(
            f"joined by the working group{' despite a difference' if c.veto else ''} (meeting {c.meeting}, "
            f"{c.decided_by})"
            for c in self.confirmed
        )

    @property
    def shown_evidence(self) -> str:
        """The evidence, the group's joins first (who, when, meeting, veto overridden), then the matcher's."""
        joins = [c.describe() for c in self.confirmed]
        matcher = f"matcher's evidence: {self.evidence}" if joins and self.evidence else self.evidence
        return " | ".join([*joins, matcher] if matcher else joins)


@dataclass(frozen=True)
class StrengthListing:
    """One strength of an item (``100mg``, ``62.5microgram``, ``30mg+500mg``) and which sources list it, with
    the keys of the entries that do. An item's published strengths are the union of its sources' strengths."""

    strength: str
    sources: tuple[str, ...]
    entry_keys: tuple[str, ...]

    @property
    def label(self) -> str:
        """As a pharmacist writes it: ``100mg``, ``62.5micrograms``, ``30mg + 500mg``."""
        text = re.sub(r"(microgram|nanogram|unit)(?=$|/|\+)", r"\1s", self.strength)
        return text.replace("+", " + ")


@dataclass(frozen=True)
class Item:
    """One harmonised row: one ``Position`` per configured source, in config order.

    ``name`` is the name people read: the current BNF presentation's name (``named_from`` is ``BNF_NAMED``), or
    the best-formed legacy name (``named_from`` is that source's key; see ``matching.naming``), named whole and
    given the working group's harmonised name by the merge.

    ``strengths`` lists every strength any source lists, each with the sources that list it (empty when a
    name's strengths cannot be read): a decision or rule on the item covers all of them unless a decision
    on one strength says otherwise."""

    key: str
    chapter: str
    section: str
    name: str
    positions: tuple[Position, ...]
    match: MatchInfo = field(default_factory=MatchInfo)
    strengths: tuple[StrengthListing, ...] = ()
    bnf_code: str = ""  # the current BNF presentation the item resolved to ('' when none or several)
    bnf_name: str = ""  # that presentation's current name
    named_from: str = ""  # BNF_NAMED, or the source whose legacy name ``name`` is ('' : the first entry's)

    @property
    def strengths_differ(self) -> bool:
        """Whether some strength is not listed by every source that lists the item."""
        listing = {p.source for p in self.positions if p.present}
        return any(set(s.sources) != listing for s in self.strengths)

    def position(self, source: str) -> Position:
        """The position of ``source``; an empty one for a source that does not cover this chapter."""
        for position in self.positions:
            if position.source == source:
                return position
        return Position(source)

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for p in self.positions for e in p.entries)


@dataclass(frozen=True)
class StrengthOutcome:
    """What a working-group decision made of one strength of an item (``strength`` as in ``StrengthListing``);
    a strength with none follows its item's outcome."""

    strength: str
    kind: OutcomeKind
    status: str | None = None
    rationale: str = ""


@dataclass(frozen=True)
class Outcome:
    """What settles (or does not settle) an item: which rule or decision, and why; ``strengths`` holds the
    decisions taken on single strengths, which override the item's outcome for those strengths; ``name`` the
    harmonised name a working-group decision gave the item ('' when none)."""

    kind: OutcomeKind
    decided_by: str
    rationale: str
    status: str | None = None
    source: str = ""
    flags: tuple[str, ...] = ()
    strengths: tuple[StrengthOutcome, ...] = ()
    name: str = ""

    def for_strength(self, strength: str) -> tuple[OutcomeKind, str | None]:
        """The outcome of one strength: its own decision, else the item's."""
        own = next((s for s in self.strengths if s.strength == strength), None)
        return (own.kind, own.status) if own else (self.kind, self.status)


def match_doubt(item: Item, names: Mapping[str, str] | None = None) -> str:
    """What is unknown about an item's match, in words ('' when nothing is): the same product whose sources
    list different strengths (which), a possible match (confirm or reject it), or a candidate the matcher
    vetoed (why: it believes they are different products). ``names`` gives the sources' display names."""
    match, names = item.match, names or {}
    if match.level == "partial":
        gap = match.evidence.split(" | ")[0].removeprefix("strengths differ: ")
        for key, name in names.items():
            gap = re.sub(rf"\b{re.escape(key)} does not list\b", f"{name} does not list", gap)
        return f"same product, strengths differ: {gap}"
    open_candidates = [c for c in match.candidates if not c.vetoed]
    if open_candidates:
        best = open_candidates[0]
        others = f" (and {len(match.candidates) - 1} other candidate(s))" if len(match.candidates) > 1 else ""
        return (
            f"possible match with {best.name} ({names.get(best.source, best.source)}, score {best.score:.0f})"
            f"{others}: confirm or reject it"
        )
    if match.candidates:
        best = match.candidates[0]
        return (
            f"vetoed candidate {best.name} ({names.get(best.source, best.source)}): {'; '.join(best.vetoes)}; "
            "the tool holds them different products ('confirm despite difference' only if the group is sure)"
        )
    return "possible match: confirm or reject it" if match.decision == "candidate" else ""
