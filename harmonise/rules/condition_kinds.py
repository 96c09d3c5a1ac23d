"""The registry of condition kinds: how each is read from YAML, and how it documents itself.

``parse_condition`` turns the ``when:`` value of a rule into a ``Condition`` (see ``rules_conditions``),
recording every problem on the ``Checker`` rather than stopping at the first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harmonise.errors import did_you_mean
from harmonise.rules.conditions import (
    FIELDS,
    AllOf,
    Always,
    AnyOf,
    Condition,
    Differ,
    Flagged,
    Matched,
    MatchLevel,
    Not,
    Presence,
    Quantified,
    Restrictiveness,
    Same,
)
from harmonise.rules.source_tests import parse_source_test
from harmonise.rules.syntax import Checker, KindDoc, kind_name
from harmonise.workspace import KeyPath

Parser = Callable[[Checker, Any, KeyPath], Condition | None]
MATCH_DECISIONS = ("auto", "candidate", "none")
COUNT_KEYS = ("at-least", "at-most", "exactly")


@dataclass(frozen=True)
class ConditionKind:
    doc: KindDoc
    parse: Parser


MAX_NESTING = 20  # all/any/not inside each other; a committee-readable rule needs three or four
COMBINATORS = ("all", "any", "not")


def parse_condition(checker: Checker, value: Any, path: KeyPath) -> Condition | None:
    """Parse one condition: ``always`` or a mapping with exactly one kind."""
    if sum(1 for part in path if part in COMBINATORS) > MAX_NESTING:
        checker.problem(path, f"conditions nested more than {MAX_NESTING} deep (all / any / not); write them flatter")
        return None
    if value == "always":
        return Always()
    if not isinstance(value, dict) or len(value) != 1:
        if isinstance(value, dict) and value:
            kinds = ", ".join(str(k) for k in value)
            checker.problem(
                path, f"a condition has one kind, found {kinds}: combine them with all: [...] or any: [...]"
            )
        else:
            checker.problem(path, f"expected a condition such as {{matched: auto}} or 'always', got {kind_name(value)}")
        return None
    ((name, argument),) = value.items()
    kind = CONDITION_KINDS.get(str(name))
    if kind is None:
        choices = (*CONDITION_KINDS, "always")
        checker.problem((*path, name), f"unknown condition {name!r}{did_you_mean(str(name), choices)}")
        return None
    return kind.parse(checker, argument, (*path, name))


def _parts(checker: Checker, value: Any, path: KeyPath) -> tuple[Condition, ...] | None:
    if isinstance(value, list) and not value:
        checker.problem(
            path,
            "the list of conditions is empty; give one or more conditions (an empty list would "
            "decide nothing, or everything)",
        )
        return None
    if not isinstance(value, list):
        checker.problem(path, f"expected a list of conditions, got {kind_name(value)}")
        return None
    parts = [parse_condition(checker, v, (*path, i)) for i, v in enumerate(value)]
    return None if any(p is None for p in parts) else tuple(p for p in parts if p is not None)


def _all(checker: Checker, value: Any, path: KeyPath) -> Condition | None:
    parts = _parts(checker, value, path)
    return AllOf(parts) if parts else None


def _any(checker: Checker, value: Any, path: KeyPath) -> Condition | None:
    parts = _parts(checker, value, path)
    return AnyOf(parts) if parts else None


def _not(checker: Checker, value: Any, path: KeyPath) -> Condition | None:
    part = parse_condition(checker, value, path)
    return Not(part) if part else None


def _matched(checker: Checker, value: Any, path: KeyPath) -> Condition | None:
    found = []
    for i, text in enumerate(checker.texts(value, path)):
        if text not in MATCH_DECISIONS:
            where = (*path, i) if isinstance(value, list) else path
            checker.problem(
                where,
                f"{text!r} is not a match decision; use auto, candidate or none{did_you_mean(text, MATCH_DECISIONS)}",
            )
            return None
        found.append(text)
    return Matched(tuple(found)) if found else None


def _match_level(checker: Checker, value: Any, path: KeyPath) -> Condition | None:
    levels = checker.texts(value, path)
    return MatchLevel(levels) if levels else None


def _presence(wanted: bool) -> Parser:
    def parse(checker: Checker, value: Any, path: KeyPath) -> Condition | None:
        if value in ("all", "any"):
            return Presence(wanted, str(value))
        items = value if isinstance(value, list) else [value]
        sources = [checker.source(v, (*path, i) if isinstance(value, list) else path) for i, v in enumerate(items)]
        if any(s is None for s in sources):
            return None
        return Presence(wanted, "sources", tuple(s for s in sources if s))

    return parse


def _fields(checker: Checker, value: Any, path: KeyPath) -> tuple[str, ...] | None:
    fields = checker.texts(value, path)
    bad = [f for f in fields if f not in FIELDS]
    for field in bad:
        checker.problem(path, f"{field!r} cannot be compared; use {', '.join(FIELDS)}{did_you_mean(field, FIELDS)}")
    return None if bad or not fields else fields


def _same(checker: Checker, value: Any, path: KeyPath) -> Condition | None:
    fields = _fields(checker, value, path)
    return Same(fields) if fields else None


def _differ(checker: Checker, value: Any, path: KeyPath) -> Condition | None:
    fields = _fields(checker, value, path)
    return Differ(fields) if fields else None


def _restrictive(more: bool) -> Parser:
    def parse(checker: Checker, value: Any, path: KeyPath) -> Condition | None:
        raw = checker.mapping(value, path, ("source", "than"), "{source: ..., than: ...}")
        if raw is None:
            return None
        source = checker.source(raw.get("source"), (*path, "source"))
        than = checker.source(raw.get("than"), (*path, "than"))
        return Restrictiveness(more, source, than) if source and than else None

    return parse


def _quantified(kind: str) -> Parser:
    def parse(checker: Checker, value: Any, path: KeyPath) -> Condition | None:
        source = ""
        if kind == "source" and isinstance(value, dict):
            source = checker.source(value.get("key"), (*path, "key")) or ""
        test = parse_source_test(checker, value, path, ("key",) if kind == "source" else ())
        if test is None or (kind == "source" and not source):
            return None
        return Quantified(kind, test, source)

    return parse


def _count(checker: Checker, value: Any, path: KeyPath) -> Condition | None:
    test = parse_source_test(checker, value, path, COUNT_KEYS)
    if test is None:
        return None
    numbers = {k: checker.count(value[k], (*path, k)) for k in COUNT_KEYS if k in value}
    if not numbers:
        checker.problem(path, "say how many formularies: at-least, at-most or exactly")
        return None
    if None in numbers.values():
        return None
    exactly = numbers.get("exactly")
    return Quantified("count", test, "", numbers.get("at-least", exactly), numbers.get("at-most", exactly))


def _flagged(checker: Checker, value: Any, path: KeyPath) -> Condition | None:
    flag = checker.text(value, path)
    if flag and flag not in checker.flags_seen:
        hint = did_you_mean(flag, checker.flags_seen)
        checker.problem(path, f"no earlier rule adds the flag {flag!r}{hint}")
        return None
    return Flagged(flag) if flag else None


def _kind(name: str, parse: Parser, summary: str, example: str, not_covered: str) -> tuple[str, ConditionKind]:
    return name, ConditionKind(KindDoc(name, summary, example, not_covered), parse)


CONDITION_KINDS: dict[str, ConditionKind] = dict(
    [
        _kind(
            "all",
            _all,
            "Every condition in the list holds.",
            "all: [{matched: auto}, {same: status}]",
            "An empty list is refused rather than read as true.",
        ),
        _kind(
            "any",
            _any,
            "At least one condition in the list holds.",
            "any: [{absent: any}, {differ: status}]",
            "An empty list is refused rather than read as false.",
        ),
        _kind(
            "not",
            _not,
            "The condition does not hold.",
            "not: {matched: candidate}",
            "Takes one condition; wrap several in all or any.",
        ),
        _kind(
            "matched",
            _matched,
            "The match decision for the row: auto, candidate or none (one or a list).",
            "matched: auto",
            "A row listed by one source only has decision none; see present/absent.",
        ),
        _kind(
            "match-level",
            _match_level,
            "The matcher's level label for the row (exact, normalised, fuzzy...).",
            "match-level: [exact, normalised]",
            "Level labels come from the matcher and are compared as written.",
        ),
        _kind(
            "present",
            _presence(True),
            "The item is listed by every source (all), by at least one (any), or by the named source(s).",
            "present: all",
            "Does not look at the status a source gives.",
        ),
        _kind(
            "absent",
            _presence(False),
            "The item is missing (non-formulary) in at least one source (any), in "
            "every source (all), or in the named source(s).",
            "absent: any",
            "A listed item with status non-formulary is present; use a source test for that.",
        ),
        _kind(
            "same",
            _same,
            "Every source lists the item and all give the same status (or line, membership).",
            "same: status",
            "False when any source does not list it, has mixed statuses or (for line or "
            "membership) leaves the field empty.",
        ),
        _kind(
            "differ",
            _differ,
            "Two sources that list the item give different statuses (or lines, memberships).",
            "differ: status",
            "Absent and mixed sources are not compared; use absent or mixed for those.",
        ),
        _kind(
            "more-restrictive",
            _restrictive(True),
            "One source's status is more restrictive than another's.",
            "more-restrictive: {source: merseyside, than: cheshire}",
            "False when either status is outside the order (grey, non-formulary), mixed or absent.",
        ),
        _kind(
            "less-restrictive",
            _restrictive(False),
            "One source's status gives more access than another's.",
            "less-restrictive: {source: merseyside, than: cheshire}",
            "False when either status is outside the order (grey, non-formulary), mixed or absent.",
        ),
        _kind(
            "source",
            _quantified("source"),
            "The named source (key) passes the source test.",
            "source: {key: merseyside, status: [red, black]}",
            "Names one source; use any-source for 'some source'.",
        ),
        _kind(
            "any-source",
            _quantified("any-source"),
            "At least one source passes the source test.",
            "any-source: {status: black}",
            "Does not say which source; the reason template can ({source}).",
        ),
        _kind(
            "every-source",
            _quantified("every-source"),
            "Every source passes the source test, including sources that do not list the item.",
            "every-source: {nice_ta: no}",
            "Status checks are false for a source that does not list it; see every-listing-source.",
        ),
        _kind(
            "every-listing-source",
            _quantified("every-listing-source"),
            "Every source that lists the item passes the source test (and at least one lists it).",
            "every-listing-source: {status: black}",
            "Says nothing about sources that do not list it; combine with absent or present.",
        ),
        _kind(
            "no-source",
            _quantified("no-source"),
            "No source passes the source test.",
            "no-source: {status: grey}",
            "True for an empty test result, e.g. when no source lists it.",
        ),
        _kind(
            "count",
            _count,
            "The number of sources passing the source test is at least, at most or exactly N.",
            "count: {status: green, at-least: 2}",
            "Counts sources, not rows: two rows in one source count once.",
        ),
        _kind(
            "flagged",
            _flagged,
            "An earlier rule (in order) added this flag to the row.",
            "flagged: NICE TA",
            "Only flags of earlier rules; a later rule's flag is not yet known.",
        ),
    ]
)

ALWAYS_DOC = KindDoc(
    "always",
    "Always holds: for a catch-all rule at the end.",
    "always",
    "Written as the word always, not a mapping.",
)
