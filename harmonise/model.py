"""The records passed from stage to stage: plain, immutable, with no assumption of exactly two sources.

``Entry`` is one legacy formulary row as loaded; ``Position`` is what one source says about an item
(absent = non-formulary there); ``Item`` is one harmonised row (the entries that matching joined, one
``Position`` per source); ``Outcome`` is what a rule or a working-group decision made of it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

MatchDecision = Literal["auto", "candidate", "none"]
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
        return next((s for s in self.statuses if s.key == key), None)

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

    @property
    def identity(self) -> str:
        """Which product row this is, independent of its position (status, notes...): source, name, formulation.

        A working-group decision is found again through the identities of its entries; if their content
        keys differ from those decided, the legacy positions changed and the decision is stale.
        """
        return content_key(self.source, self.name, self.formulation)

    @property
    def display_name(self) -> str:
        """Name and formulation as one string, the form the matcher reads."""
        if self.formulation and self.formulation.lower() not in self.name.lower():
            return f"{self.name} {self.formulation}"
        return self.name


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
    """A possible match the working group should look at, with its evidence line."""

    source: str
    entry_key: str
    name: str
    score: float
    evidence: str


@dataclass(frozen=True)
class MatchInfo:
    """How the entries of an item were joined: decision, level, score and the evidence a person reads."""

    decision: MatchDecision = "none"
    level: str = ""
    score: float = 0.0
    evidence: str = ""
    candidates: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class Item:
    """One harmonised row: one ``Position`` per configured source, in config order."""

    key: str
    chapter: str
    section: str
    name: str
    positions: tuple[Position, ...]
    match: MatchInfo = field(default_factory=MatchInfo)

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
class Outcome:
    """What settles (or does not settle) an item: which rule or decision, and why."""

    kind: OutcomeKind
    decided_by: str
    rationale: str
    status: str | None = None
    source: str = ""
    flags: tuple[str, ...] = ()
