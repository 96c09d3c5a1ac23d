"""Recorded decisions meet the chapter's current legacy entries: applied, stale or vanished.

A decision is found again through the identities of the entries it decided (source, name, formulation).
If their content keys are unchanged it is applied; if the entries changed (a status, a note) or are now
grouped differently it is stale and goes back to the working group with the old decision shown; if none of
its entries is listed any more it has vanished and is reported. A later decision on the same entries
supersedes an earlier one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from harmonise.model import Confirmation, Entry, Item, Outcome, Scale, StrengthOutcome
from harmonise.review.register import (
    DECIDED_BY,
    PENDING_FLAG,
    STALE_BY,
    Decision,
    Register,
    decision_outcome,
    match_pairs,
    strength_fingerprint,
    strength_outcome,
)


@dataclass(frozen=True)
class StaleDecision:
    """A recorded decision whose legacy entries changed: never applied; ``reason`` says what changed."""

    decision: Decision
    reason: str

    @property
    def item_name(self) -> str:
        return self.decision.item


@dataclass
class DecisionReview:
    """How the register meets the chapter's current entries (see the module docstring)."""

    register: Register
    by_identity: dict[str, list[Entry]]
    scale: Scale
    confirmed: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    confirmations: list[Decision] = field(default_factory=list)
    applied: dict[str, Decision] = field(default_factory=dict)
    stale: dict[str, StaleDecision] = field(default_factory=dict)
    stale_items: dict[str, StaleDecision] = field(default_factory=dict)
    vanished: list[Decision] = field(default_factory=list)

    def decide(self, item: Item) -> Outcome | None:
        """The ``merge.Decide`` seam: a fresh decision's outcome (with the decisions taken on single strengths),
        a stale decision's escalation, or None."""
        decision = self.register.decisions.get(item.key)
        strengths = self.strength_outcomes(item)
        if decision is not None and not decision.is_match:
            self.applied[decision.fingerprint] = decision
            return with_strengths(decision_outcome(decision), strengths)
        if strengths:
            return by_strength(item, strengths)
        stale = self.stale_for(item)
        if stale is None:
            return None
        self.stale.setdefault(stale.decision.fingerprint, stale)
        self.stale_items[item.key] = stale
        return Outcome(
            "escalate",
            STALE_BY,
            f"Recorded decision out of date, please review again: "
            f"{stale.decision.describe(self.scale)}. {stale.reason}",
        )

    def strength_outcomes(self, item: Item) -> tuple[StrengthOutcome, ...]:
        """The fresh decisions recorded on single strengths of an item whose sources list different strengths."""
        found = []
        for listing in item.strengths if item.strengths_differ else ():
            decision = self.register.decisions.get(strength_fingerprint(item.key, listing.strength))
            outcome = strength_outcome(listing, decision, self.scale) if decision and not decision.is_match else None
            if decision is not None and outcome is not None:
                self.applied[decision.fingerprint] = decision
                found.append(outcome)
        return tuple(found)

    def joins(self, item: Item) -> tuple[Confirmation, ...]:
        """The working group's confirmed joins that this item holds: who, when, which meeting, veto overridden."""
        keys = {e.key for e in item.entries}
        return tuple(
            confirmation(d) for d in self.confirmations if any(a in keys and b in keys for a, b in match_pairs(d))
        )

    def stale_for(self, item: Item) -> StaleDecision | None:
        """The latest recorded decision about any of this item's entries, as a stale decision."""
        identities = {e.identity for e in item.entries}
        overlapping = [
            d
            for d in self.register.decisions.values()
            if d.identities & identities
            and (not d.is_match or d.fingerprint in self.stale)
            and d.fingerprint not in self.applied
        ]
        if not overlapping:
            return None
        latest = max(overlapping, key=lambda d: (d.meeting, d.imported_at))
        return self.stale.get(latest.fingerprint) or StaleDecision(latest, self.changes(latest, item))

    def changes(self, decision: Decision, item: Item | None = None) -> str:
        """What differs between the entries decided and the current ones, in words."""
        notes = []
        for entry in decision.entries:
            now = self.by_identity.get(entry.identity, [])
            if not now:
                notes.append(f"{entry.source} no longer lists {entry.label}")
            elif entry.key not in {e.key for e in now}:
                words = ", ".join(dict.fromkeys(e.status_word for e in now))
                what = (
                    f"status {entry.status_word!r} is now {words!r}"
                    if words != entry.status_word
                    else "its details (notes, line, section...) changed"
                )
                notes.append(f"{entry.source} {entry.label}: {what}")
        decided = {e.identity for e in decision.entries}
        for current in item.entries if item else ():
            if current.identity not in decided:
                notes.append(f"the item now also holds {current.source} {current.display_name}")
        return "; ".join(notes) or "the item now groups the legacy entries differently"

    def finish(self) -> None:
        """After the merge: classify what was neither applied nor shown stale (vanished or superseded)."""
        for decision in self.register.for_items():
            fp = decision.fingerprint
            if fp in self.applied or fp in self.stale:
                continue
            if not any(i in self.by_identity for i in decision.identities):
                self.vanished.append(decision)
            elif not self.superseded(decision):
                self.stale[fp] = StaleDecision(decision, self.changes(decision))
        for decision in self.register.for_matches():
            if not any(i in self.by_identity for i in decision.identities):
                self.stale.pop(decision.fingerprint, None)
                self.vanished.append(decision)

    def superseded(self, decision: Decision) -> bool:
        later = (decision.meeting, decision.imported_at)
        return any(
            d.identities & decision.identities and (d.meeting, d.imported_at) >= later
            for d in self.applied.values()
            if d is not decision
        )


def with_strengths(outcome: Outcome | None, strengths: tuple[StrengthOutcome, ...]) -> Outcome | None:
    """An item decision's outcome with the decisions taken on single strengths, which override it for those."""
    if outcome is None or not strengths:
        return outcome
    said = "; ".join(s.rationale for s in strengths)
    return replace(outcome, rationale=f"{outcome.rationale} [per strength: {said}]", strengths=strengths)


def by_strength(item: Item, strengths: tuple[StrengthOutcome, ...]) -> Outcome:
    """The outcome of an item decided strength by strength, with no decision on the whole item: settled when
    every strength is decided (adopted if any strength is), else still the working group's."""
    said = "; ".join(s.rationale for s in strengths)
    decided = {s.strength for s in strengths}
    left = [s.label for s in item.strengths if s.strength not in decided]
    if left:
        return Outcome(
            "escalate",
            DECIDED_BY,
            f"Decided for some strengths only ({said}); still to decide: {', '.join(left)} "
            "(decide each on its own row, or the whole item on its row)",
            strengths=strengths,
        )
    why = f"decided strength by strength: {said}"
    adopted = [s for s in strengths if s.kind == "adopt"]
    if adopted:
        return Outcome("adopt", DECIDED_BY, why, adopted[0].status, strengths=strengths)
    if all(s.kind == "exclude" for s in strengths):
        return Outcome("exclude", DECIDED_BY, why, strengths=strengths)
    return Outcome("retain-both", DECIDED_BY, why, flags=(PENDING_FLAG,), strengths=strengths)


def review_decisions(register: Register, entries: Sequence[Entry], scale: Scale) -> DecisionReview:
    """Start a review: index the current entries and turn fresh match decisions into matcher pairs."""
    by_identity: dict[str, list[Entry]] = {}
    for entry in entries:
        by_identity.setdefault(entry.identity, []).append(entry)
    review = DecisionReview(register, by_identity, scale)
    current = {e.key for e in entries}
    for decision in register.for_matches():
        if not any(i in by_identity for i in decision.identities):
            continue  # vanished: reported by finish()
        if all(e.key in current for e in decision.entries):
            (review.confirmed if decision.confirms else review.rejected).extend(match_pairs(decision))
            if decision.confirms:
                review.confirmations.append(decision)
        elif not _superseded_match(decision, register, current):
            review.stale[decision.fingerprint] = StaleDecision(decision, review.changes(decision))
    return review


def confirmation(decision: Decision) -> Confirmation:
    """A confirmed match decision as the label its joined item carries."""
    other = decision.other
    mine = [e.label for e in decision.entries if other is None or e.source != other.source]
    joined = " and ".join(dict.fromkeys([*mine, *([other.label] if other else [])]))
    return Confirmation(
        joined,
        decision.meeting,
        decision.decided_by,
        decision.rationale,
        decision.imported_by,
        decision.imported_at,
        decision.veto,
    )


def _superseded_match(decision: Decision, register: Register, current: set[str]) -> bool:
    """A later match decision on the same entries whose entries are unchanged replaces this one."""
    later = (decision.meeting, decision.imported_at)
    return any(
        d is not decision
        and d.identities & decision.identities
        and (d.meeting, d.imported_at) >= later
        and all(e.key in current for e in d.entries)
        for d in register.for_matches()
    )
