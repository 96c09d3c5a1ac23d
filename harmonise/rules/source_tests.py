"""Source tests: what a condition asks of one source's position (``{status: black, nice_ta: yes}``).

A source test is a mapping of checks that must all hold. A source that does not list the item has no
status, word, line or membership, so those checks are false for it; a source whose rows disagree on status
(``Position.mixed``) has no status either, so status and word checks are false for it too. Each check
documents itself in ``SOURCE_TESTS``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harmonise.model import Position, Scale
from harmonise.rules.syntax import Checker, KindDoc, join_names
from harmonise.workspace import MEMBERSHIP_WORDS, TA_ID, TA_RECOMMENDATIONS, KeyPath, normalise_word

Value = Any
TA_WORDS = (*TA_RECOMMENDATIONS, "unknown")


@dataclass(frozen=True)
class SourceCheck:
    """How one check is read from YAML, tested on a position and said in English."""

    doc: KindDoc
    parse: Callable[[Checker, Any, KeyPath], Value]
    holds: Callable[[Position, Value, Scale], bool]
    explain: Callable[[Value, Scale], str]


def _labels(statuses: tuple[str, ...], scale: Scale) -> str:
    return " or ".join(scale.label(s) for s in statuses)


def _words(checker: Checker, value: Any, path: KeyPath) -> tuple[str, ...]:
    return tuple(normalise_word(w) for w in checker.texts(value, path))


def _membership(checker: Checker, value: Any, path: KeyPath) -> tuple[str, ...]:
    found = []
    for i, text in enumerate(checker.texts(value, path)):
        if text not in MEMBERSHIP_WORDS:
            where = (*path, i) if isinstance(value, list) else path
            checker.problem(where, f"{text!r} is not a membership; use one of {', '.join(MEMBERSHIP_WORDS)}")
        else:
            found.append(text)
    return tuple(found)


def _membership_key(word: str) -> str:
    norm = normalise_word(word)
    return next((k for k, words in MEMBERSHIP_WORDS.items() if norm in words or norm == k), norm)


def _ranked(position: Position, scale: Scale) -> int | None:
    return scale.rank(position.status)


def _has_brand(position: Position) -> bool:
    return any(e.brand.strip() or "®" in e.name or "™" in e.name for e in position.entries)


@dataclass(frozen=True)
class TaWanted:
    """The recommendations a ``nice_ta`` check asks for, with the workspace's TA list to look them up in."""

    words: tuple[str, ...]
    table: tuple[tuple[str, str], ...]


def _nice_ta(checker: Checker, value: Any, path: KeyPath) -> bool | TaWanted | None:
    if isinstance(value, bool):
        return value
    words = checker.texts(value, path)
    bad = [w for w in words if w not in TA_WORDS]
    for word in bad:
        checker.problem(path, f"{word!r}: use yes, no or one or more of {', '.join(TA_WORDS)}")
    return None if bad or not words else TaWanted(words, tuple(sorted(checker.nice_ta.items())))


def _cites(position: Position, value: bool | TaWanted, scale: Scale) -> bool:
    if isinstance(value, bool):
        return any(e.nice_ta.strip() for e in position.entries) == value
    table = dict(value.table)
    return any(word in value.words for e in position.entries for word in ta_recommendations(e.nice_ta, table))


def _explain_ta(value: bool | TaWanted, scale: Scale) -> str:
    if isinstance(value, bool):
        return "cites a NICE technology appraisal" if value else "cites no NICE technology appraisal"
    return "cites a NICE technology appraisal that is " + " or ".join(
        "of unknown recommendation" if w == "unknown" else w.replace("-", " ") for w in value.words
    )


def ta_recommendations(text: str, table: dict[str, str]) -> list[str]:
    """The recommendation of each TA a cell cites: the word written after it, else the workspace list's,
    else ``unknown`` (a cell with text but no TA reference counts as one TA of unknown recommendation)."""
    if not text.strip():
        return []
    found = list(TA_ID.finditer(text))
    if not found:
        return [_written(text) or "unknown"]
    out = []
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        written = _written(text[match.end() : end])
        out.append(written or table.get(f"TA{int(match.group(1))}", "unknown"))
    return out


def _written(text: str) -> str:
    """A recommendation stated in words: 'not recommended' before 'recommended'."""
    lowered = " ".join(text.casefold().replace("-", " ").split())
    if re.search(r"\bnot recommended\b|\bnegative\b|\bterminated\b", lowered):
        return "not-recommended"
    if re.search(r"\boptimi[sz]ed\b", lowered):
        return "optimised"
    return "recommended" if re.search(r"\brecommended\b|\bpositive\b", lowered) else ""


def _doc(name: str, summary: str, example: str, not_covered: str) -> KindDoc:
    return KindDoc(name, summary, example, not_covered)


SOURCE_TESTS: dict[str, SourceCheck] = {
    "present": SourceCheck(
        _doc(
            "present",
            "The source lists the item (yes) or does not list it, which makes it non-formulary there (no).",
            "any-source: {present: no}",
            "Does not look at the status: a listed item may still be black.",
        ),
        lambda c, v, p: c.yes_no(v, p),
        lambda pos, v, s: pos.present == v,
        lambda v, s: "lists it" if v else "does not list it",
    ),
    "status": SourceCheck(
        _doc(
            "status",
            "The source lists the item with one of these common-scale statuses.",
            "source: {key: merseyside, status: [red, black]}",
            "False when the source does not list it or lists it with mixed statuses; compares the common "
            "scale, never the source's own word (see word).",
        ),
        lambda c, v, p: c.statuses(v, p),
        lambda pos, v, s: pos.status in v,
        lambda v, s: f"lists it as {_labels(v, s)}",
    ),
    "status-not": SourceCheck(
        _doc(
            "status-not",
            "The source lists the item with one status, and it is none of these.",
            "every-listing-source: {status-not: grey}",
            "False when the source does not list it, has mixed statuses or an unknown status word.",
        ),
        lambda c, v, p: c.statuses(v, p),
        lambda pos, v, s: pos.status is not None and pos.status not in v,
        lambda v, s: f"lists it with a status other than {_labels(v, s)}",
    ),
    "status-at-least": SourceCheck(
        _doc(
            "status-at-least",
            "The source's status is this one or more restrictive, on the ordered scale.",
            "any-source: {status-at-least: red}",
            "False for statuses outside the order (grey, non-formulary), mixed statuses and absent sources.",
        ),
        lambda c, v, p: c.status(v, p, ranked=True),
        lambda pos, v, s: (r := _ranked(pos, s)) is not None and r >= (s.rank(v) or 0),
        lambda v, s: f"lists it as {s.label(v)} or more restrictive",
    ),
    "status-at-most": SourceCheck(
        _doc(
            "status-at-most",
            "The source's status is this one or less restrictive (gives as much access or more).",
            "every-source: {status-at-most: amber-initiated}",
            "False for statuses outside the order (grey, non-formulary), mixed statuses and absent sources.",
        ),
        lambda c, v, p: c.status(v, p, ranked=True),
        lambda pos, v, s: (r := _ranked(pos, s)) is not None and r <= (s.rank(v) or 0),
        lambda v, s: f"lists it as {s.label(v)} or less restrictive",
    ),
    "word": SourceCheck(
        _doc(
            "word",
            "The source's own status word is one of these (ignoring case and spacing).",
            "source: {key: cheshire, word: [DNP, Double Red]}",
            "Words mean different things in different areas: prefer status. False for mixed statuses.",
        ),
        _words,
        lambda pos, v, s: not pos.mixed and any(normalise_word(w) in v for w in pos.words),
        lambda v, s: "uses the word " + " or ".join(repr(w) for w in v),
    ),
    "mixed": SourceCheck(
        _doc(
            "mixed",
            "The source lists the item on two or more rows with different statuses.",
            "any-source: {mixed: yes}",
            "Rows with the same status but different notes are not mixed.",
        ),
        lambda c, v, p: c.yes_no(v, p),
        lambda pos, v, s: pos.mixed == v,
        lambda v, s: "lists it with different statuses on different rows" if v else "does not have mixed statuses",
    ),
    "line": SourceCheck(
        _doc(
            "line",
            "A row of the source gives one of these lines of choice (ignoring case and spacing).",
            "source: {key: cheshire, line: [1st, first line]}",
            "Compares the words as written; '1st' and 'first line' are different unless both are listed.",
        ),
        _words,
        lambda pos, v, s: any(normalise_word(e.line) in v for e in pos.entries),
        lambda v, s: "gives line of choice " + " or ".join(repr(w) for w in v),
    ),
    "membership": SourceCheck(
        _doc(
            "membership",
            "A row of the source gives this membership: formulary, non-formulary or restricted.",
            "any-source: {membership: restricted}",
            "Membership is separate from status; an absent source has no membership value (use present: no).",
        ),
        _membership,
        lambda pos, v, s: any(_membership_key(e.membership) in v for e in pos.entries if e.membership),
        lambda v, s: "gives membership " + " or ".join(v),
    ),
    "nice_ta": SourceCheck(
        _doc(
            "nice_ta",
            "A row of the source cites a NICE technology appraisal (yes) or none does (no); or cites one whose "
            "recommendation is one of: recommended, optimised, not-recommended, unknown. The recommendation "
            "is read from the TA cell ('TA223 not recommended') or, failing that, from the workspace's "
            "nice_ta list in harmonise.yaml; a TA neither states is unknown.",
            "any-source: {nice_ta: [recommended, optimised, unknown]}",
            "Does not read the appraisal itself: a TA whose recommendation nobody recorded is unknown, so a "
            "guard that must err on the safe side includes unknown.",
        ),
        _nice_ta,
        _cites,
        _explain_ta,
    ),
    "brand": SourceCheck(
        _doc(
            "brand",
            "A row of the source names a brand (a brand column, or ® or ™ in the name).",
            "any-source: {brand: yes}",
            "A brand written in brackets without ® or ™ is not detected.",
        ),
        lambda c, v, p: c.yes_no(v, p),
        lambda pos, v, s: _has_brand(pos) == v,
        lambda v, s: "names a brand" if v else "names no brand",
    ),
    "notes-contain": SourceCheck(
        _doc(
            "notes-contain",
            "A row's notes contain one of these texts (ignoring case).",
            'any-source: {notes-contain: "shared care"}',
            "Plain text, not patterns; 'SCG' and 'shared care' are different texts unless both are listed.",
        ),
        lambda c, v, p: tuple(t.casefold() for t in c.texts(v, p)),
        lambda pos, v, s: any(t in e.notes.casefold() for e in pos.entries for t in v),
        lambda v, s: "has notes containing " + " or ".join(repr(t) for t in v),
    ),
}


@dataclass(frozen=True)
class SourceTest:
    """Checks that must all hold for one source: ``((name, value), ...)``."""

    checks: tuple[tuple[str, Value], ...]

    def holds(self, position: Position, scale: Scale) -> bool:
        return all(SOURCE_TESTS[name].holds(position, value, scale) for name, value in self.checks)

    def explain(self, scale: Scale) -> str:
        return join_names([SOURCE_TESTS[name].explain(value, scale) for name, value in self.checks])


def parse_source_test(checker: Checker, value: Any, path: KeyPath, extra: tuple[str, ...] = ()) -> SourceTest | None:
    """Parse a source test; ``extra`` are keys the enclosing kind reads itself (``key``, ``at-least``)."""
    allowed = (*SOURCE_TESTS, *extra)
    raw = checker.mapping(value, path, allowed, "a source test such as {status: black}")
    if raw is None:
        return None
    checks = []
    for name, item in raw.items():
        if name in SOURCE_TESTS:
            before = len(checker.log.problems)
            parsed = SOURCE_TESTS[name].parse(checker, item, (*path, name))
            if len(checker.log.problems) == before:
                checks.append((name, parsed))
    if all(name in extra for name in raw):
        checker.problem(path, f"no check given; use one or more of {', '.join(SOURCE_TESTS)}")
        return None
    return SourceTest(tuple(checks))
