"""Rule conditions: the ``when:`` of a rule, over the positions of every source and the match.

A condition is a mapping with one kind (``{matched: auto}``, ``{all: [...]}``) or the word ``always``.
Several kinds ask something of each source: those take a *source test*, a mapping of checks that must all
hold for one source (``{status: black, nice_ta: yes}``). Mixed statuses within one source (two rows with
different statuses) are never treated as a status: every status check on that source is false.
Each kind documents itself in ``CONDITION_KINDS``; the source checks in ``rules_source_tests``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from harmonise.model import Position, Scale
from harmonise.rules.source_tests import SourceTest
from harmonise.rules.syntax import Facts, join_names

Names = Mapping[str, str]


class Condition(Protocol):
    """A parsed condition: true or false for one row, and explainable in plain English."""

    def holds(self, facts: Facts) -> bool: ...

    def explain(self, names: Names, scale: Scale) -> str: ...


@dataclass(frozen=True)
class Always:
    def holds(self, facts: Facts) -> bool:
        return True

    def explain(self, names: Names, scale: Scale) -> str:
        return "always"


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Condition, ...]

    def holds(self, facts: Facts) -> bool:
        return all(p.holds(facts) for p in self.parts)

    def explain(self, names: Names, scale: Scale) -> str:
        return " and ".join(_grouped(p, names, scale) for p in self.parts)


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Condition, ...]

    def holds(self, facts: Facts) -> bool:
        return any(p.holds(facts) for p in self.parts)

    def explain(self, names: Names, scale: Scale) -> str:
        return " or ".join(_grouped(p, names, scale) for p in self.parts)


@dataclass(frozen=True)
class Not:
    part: Condition

    def holds(self, facts: Facts) -> bool:
        return not self.part.holds(facts)

    def explain(self, names: Names, scale: Scale) -> str:
        if isinstance(self.part, Matched):
            return self.part.explain(names, scale).replace("the match is", "the match is not", 1)
        return f"it is not true that {_grouped(self.part, names, scale)}"


def _grouped(part: Condition, names: Names, scale: Scale) -> str:
    text = part.explain(names, scale)
    return f"({text})" if isinstance(part, (AllOf, AnyOf)) else text


@dataclass(frozen=True)
class Matched:
    decisions: tuple[str, ...]

    def holds(self, facts: Facts) -> bool:
        return facts.item.match.decision in self.decisions

    def explain(self, names: Names, scale: Scale) -> str:
        words = {
            "auto": "automatic",
            "candidate": "a candidate (uncertain)",
            "none": "none (not matched)",
        }
        return "the match is " + " or ".join(words[d] for d in self.decisions)


@dataclass(frozen=True)
class MatchLevel:
    levels: tuple[str, ...]

    def holds(self, facts: Facts) -> bool:
        return facts.item.match.level.strip().casefold() in {lv.casefold() for lv in self.levels}

    def explain(self, names: Names, scale: Scale) -> str:
        return "the match level is " + " or ".join(repr(lv) for lv in self.levels)


@dataclass(frozen=True)
class Presence:
    """``present``/``absent``: ``all``, ``any`` or named sources."""

    wanted: bool
    scope: str
    sources: tuple[str, ...] = ()

    def holds(self, facts: Facts) -> bool:
        positions = facts.item.positions
        if self.sources:
            positions = tuple(facts.item.position(s) for s in self.sources)
            return all(p.present == self.wanted for p in positions)
        test = all if self.scope == "all" else any
        return test(p.present == self.wanted for p in positions)

    def explain(self, names: Names, scale: Scale) -> str:
        if self.sources:
            who = join_names([names.get(s, s) for s in self.sources])
            one = len(self.sources) == 1
            verb = ("lists" if one else "list") if self.wanted else ("does not list" if one else "do not list")
            return f"{who} {verb} it"
        if self.scope == "all":
            return "every formulary lists it" if self.wanted else "no formulary lists it"
        return "at least one formulary " + ("lists it" if self.wanted else "does not list it")


FIELDS = ("status", "line", "membership")


def _field_value(position: Position, field: str) -> str | None:
    """A source's one value for ``field``: None when absent, mixed, or (line, membership) not stated."""
    if not position.present:
        return None
    if field == "status":
        return position.status
    values = {getattr(e, field).strip().casefold() for e in position.entries}
    return values.pop() if len(values) == 1 and "" not in values else None


@dataclass(frozen=True)
class Same:
    """``same``: every source lists it and all give one identical value for each field."""

    fields: tuple[str, ...]

    def holds(self, facts: Facts) -> bool:
        for field in self.fields:
            values = [_field_value(p, field) for p in facts.item.positions]
            if None in values or len(set(values)) != 1:
                return False
        return True

    def explain(self, names: Names, scale: Scale) -> str:
        return f"every formulary lists it with the same {join_names(list(self.fields))}"


@dataclass(frozen=True)
class Differ:
    """``differ``: two sources that list it (each with one value) give different values."""

    fields: tuple[str, ...]

    def holds(self, facts: Facts) -> bool:
        for field in self.fields:
            values = {v for p in facts.item.positions if (v := _field_value(p, field)) is not None}
            if len(values) > 1:
                return True
        return False

    def explain(self, names: Names, scale: Scale) -> str:
        return f"two formularies that list it give a different {' or '.join(self.fields)}"


@dataclass(frozen=True)
class Restrictiveness:
    """``more-restrictive``/``less-restrictive``: one source's ranked status against another's."""

    more: bool
    source: str
    than: str

    def holds(self, facts: Facts) -> bool:
        left = facts.scale.rank(facts.item.position(self.source).status)
        right = facts.scale.rank(facts.item.position(self.than).status)
        if left is None or right is None:
            return False
        return left > right if self.more else left < right

    def explain(self, names: Names, scale: Scale) -> str:
        word = "more" if self.more else "less"
        source, than = names.get(self.source, self.source), names.get(self.than, self.than)
        return f"{source}'s status is {word} restrictive than {than}'s"


@dataclass(frozen=True)
class Quantified:
    """``source``, ``any-source``, ``every-source``, ``every-listing-source``, ``no-source``, ``count``."""

    kind: str
    test: SourceTest
    source: str = ""
    at_least: int | None = None
    at_most: int | None = None

    def holds(self, facts: Facts) -> bool:
        positions = facts.item.positions
        if self.kind == "source":
            return self.test.holds(facts.item.position(self.source), facts.scale)
        if self.kind == "every-listing-source":
            listing = facts.listing
            return bool(listing) and all(self.test.holds(p, facts.scale) for p in listing)
        hits = sum(self.test.holds(p, facts.scale) for p in positions)
        if self.kind == "any-source":
            return hits > 0
        if self.kind == "every-source":
            return hits == len(positions)
        if self.kind == "no-source":
            return hits == 0
        return (self.at_least is None or hits >= self.at_least) and (self.at_most is None or hits <= self.at_most)

    def explain(self, names: Names, scale: Scale) -> str:
        checks = self.test.explain(scale)
        if self.kind == "source":
            return f"{names.get(self.source, self.source)} {checks}"
        if self.kind == "count":
            return f"{_count_words(self.at_least, self.at_most)} {checks}"
        subject = {
            "any-source": "at least one formulary",
            "every-source": "every formulary",
            "every-listing-source": "every formulary that lists it",
            "no-source": "no formulary",
        }[self.kind]
        return f"{subject} {checks}"


def _count_words(at_least: int | None, at_most: int | None) -> str:
    if at_least is not None and at_least == at_most:
        return f"exactly {at_least} formularies:"
    parts = [
        f"at least {at_least}" if at_least is not None else "",
        f"at most {at_most}" if at_most is not None else "",
    ]
    return " and ".join(p for p in parts if p) + " formularies:"


@dataclass(frozen=True)
class Flagged:
    flag: str

    def holds(self, facts: Facts) -> bool:
        return self.flag in facts.flags

    def explain(self, names: Names, scale: Scale) -> str:
        return f"an earlier rule flagged it {self.flag!r}"
