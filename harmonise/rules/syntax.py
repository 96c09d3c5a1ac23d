"""Shared machinery of the rules engine: validation of rule YAML, kind documentation, evaluation facts.

``Checker`` validates one rule file's values and collects every problem with ``file:line`` and a key path
that names the rule (``rules[2] (id=R3).then.adopt``). ``KindDoc`` is the self-documentation each
condition, source test and outcome kind carries (the committee document and ``docs/rules.md`` are
generated from it). ``Facts`` is what a rule sees of one row; ``Template`` renders escalation reasons.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from harmonise.errors import ProblemLog, did_you_mean
from harmonise.model import Item, Position, Scale, match_doubt
from harmonise.workspace import KeyPath, YamlDoc, normalise_word


@dataclass(frozen=True)
class KindDoc:
    """How a rule kind documents itself: a one-line summary, a YAML example, and what it does not cover."""

    name: str
    summary: str
    example: str
    not_covered: str


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean X?)``: the closest choice, else choices sharing a close part (``ambre`` -> amber-...)."""
    choices = [str(c) for c in choices]
    hint = did_you_mean(word, choices)
    if hint or not word:
        return hint
    parts = [c for c in choices if difflib.get_close_matches(word.lower(), c.split("-"), n=1, cutoff=0.75)]
    return f" (did you mean {' or '.join(parts[:3])}?)" if parts else ""


def kind_name(value: Any) -> str:
    """A person's word for the type of a YAML value, for messages."""
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "yes/no"}.get(type(value), type(value).__name__)


class Checker:
    """Validation helpers over one rule file, checking names against the workspace scale and sources."""

    def __init__(self, doc: YamlDoc, scale: Scale, sources: Mapping[str, str], log: ProblemLog) -> None:
        self.doc = doc
        self.scale = scale
        self.sources = dict(sources)
        self.log = log
        self.rule_ids: dict[int, str] = {}
        self.nice_ta: dict[str, str] = {}  # the workspace's TA list: TA id -> recommendation
        self.flags_seen: set[str] = set()

    def problem(self, path: KeyPath, message: str) -> None:
        self.log.add(self.doc.where(path), message, self.format(path))

    def format(self, path: KeyPath) -> str:
        """``('rules', 2, 'then')`` -> ``rules[2] (id=R3).then`` once rule 2's id is known."""
        out = ""
        for i, part in enumerate(path):
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
            if i == 1 and path[0] == "rules" and isinstance(part, int) and part in self.rule_ids:
                out += f" (id={self.rule_ids[part]})"
        return out

    def mapping(self, value: Any, path: KeyPath, allowed: tuple[str, ...], what: str) -> dict[str, Any] | None:
        """``value`` as a mapping whose keys are all in ``allowed``; unknown keys are reported."""
        if not isinstance(value, dict) or not value:
            self.problem(path, f"expected {what}, got {kind_name(value)}")
            return None
        for key in value:
            if key not in allowed:
                self.problem((*path, key), f"unknown key {key!r}{did_you_mean(str(key), allowed)}")
        return value

    def text(self, value: Any, path: KeyPath) -> str:
        if isinstance(value, (dict, list)) or value is None or isinstance(value, bool) or not str(value).strip():
            self.problem(path, f"expected text, got {kind_name(value) if str(value).strip() else 'nothing'}")
            return ""
        return str(value).strip()

    def texts(self, value: Any, path: KeyPath) -> tuple[str, ...]:
        """One text or a list of texts."""
        if isinstance(value, list):
            if not value:
                self.problem(path, "expected one or more values, got an empty list")
            return tuple(t for i, v in enumerate(value) if (t := self.text(v, (*path, i))))
        text = self.text(value, path)
        return (text,) if text else ()

    def yes_no(self, value: Any, path: KeyPath) -> bool | None:
        if not isinstance(value, bool):
            self.problem(path, f"expected yes or no, got {value!r}")
            return None
        return value

    def status(self, value: Any, path: KeyPath, ranked: bool = False) -> str | None:
        """A status key on the scale (optionally one with a rank), or None with a problem recorded."""
        text = self.text(value, path)
        if not text:
            return None
        if text not in self.scale.keys:
            self.problem(path, f"{text!r} is not a status on the scale{suggest(text, self.scale.keys)}")
            return None
        if ranked and self.scale.rank(text) is None:
            ordered = [s.key for s in self.scale.statuses if s.rank is not None]
            self.problem(path, f"{text!r} is outside the order of the scale; use one of {', '.join(ordered)}")
            return None
        return text

    def statuses(self, value: Any, path: KeyPath) -> tuple[str, ...]:
        items = value if isinstance(value, list) else [value]
        found = [self.status(v, (*path, i) if isinstance(value, list) else path) for i, v in enumerate(items)]
        return tuple(s for s in found if s)

    def source(self, value: Any, path: KeyPath) -> str | None:
        text = self.text(value, path)
        if text and text not in self.sources:
            known = ", ".join(self.sources)
            self.problem(path, f"{text!r} is not a source of this workspace ({known}){suggest(text, self.sources)}")
            return None
        return text or None

    def count(self, value: Any, path: KeyPath) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problem(path, f"expected a whole number of formularies, got {value!r}")
            return None
        return value


@dataclass(frozen=True)
class Facts:
    """What a rule sees of one row: the item, the scale, source display names, flags raised so far."""

    item: Item
    scale: Scale
    names: Mapping[str, str]
    flags: tuple[str, ...] = ()

    def name(self, source: str) -> str:
        return self.names.get(source, source)

    @property
    def listing(self) -> tuple[Position, ...]:
        """The positions of the sources that list the item."""
        return tuple(p for p in self.item.positions if p.present)

    @property
    def absent(self) -> tuple[Position, ...]:
        return tuple(p for p in self.item.positions if not p.present)

    def describe(self, position: Position) -> str:
        """One source's position as a person reads it: ``Green``, ``not listed``, ``mixed: Green, Red``."""
        if not position.present:
            return "not listed"
        if position.mixed:
            return "mixed: " + ", ".join(self.scale.label(s) for s in position.statuses)
        if position.status is None:
            return "unknown status " + ", ".join(repr(w) for w in position.words)
        label = self.scale.label(position.status)
        words = [w for w in position.words if normalise_word(w) != normalise_word(label)]
        return f"{label} ({', '.join(words)})" if words else label

    def positions_text(self) -> str:
        return "; ".join(f"{self.name(p.source)}: {self.describe(p)}" for p in self.item.positions)


def join_names(names: list[str] | tuple[str, ...]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


TEMPLATE_FIELDS = {
    "name": "the medicine's name",
    "source": "the formularies that list it",
    "absent": "the formularies that do not list it",
    "status": "the statuses of the formularies that list it",
    "positions": "every formulary's position, e.g. 'Cheshire: Green; Merseyside: not listed'",
    "match": "how the rows were matched (auto, candidate or none)",
    "doubt": "what is unknown about the match: a possible match, a vetoed candidate and why, or which strengths differ",
}
_FIELD = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Template:
    """A reason written by the committee, with ``{placeholders}`` filled from the row."""

    text: str

    @classmethod
    def parse(cls, checker: Checker, value: Any, path: KeyPath) -> Template | None:
        text = checker.text(value, path)
        if not text:
            return None
        stray = _FIELD.sub("", text)
        if "{" in stray or "}" in stray:
            checker.problem(path, "unbalanced '{' or '}' in the reason")
            return None
        allowed = (*TEMPLATE_FIELDS, *checker.sources)
        bad = [f for f in _FIELD.findall(text) if f not in allowed]
        for field_name in bad:
            choices = ", ".join("{" + a + "}" for a in allowed)
            hint = did_you_mean(field_name, allowed)
            checker.problem(path, f"unknown placeholder {{{field_name}}}{hint}; available: {choices}")
        return None if bad else cls(text)

    def render(self, facts: Facts) -> str:
        return _FIELD.sub(lambda m: _field_value(m.group(1), facts), self.text)

    def explain(self, names: Mapping[str, str]) -> str:
        """The reason as a committee reads it: each placeholder described in words, in angle brackets."""
        words = {
            "name": "the medicine",
            "source": "the formularies that list it",
            "absent": "the formularies that do not",
            "status": "their statuses",
            "positions": "each formulary's position",
            "match": "the match decision",
            "doubt": "what is unknown about the match",
        }

        def described(match: re.Match[str]) -> str:
            field_name = match.group(1)
            if field_name in names:
                return f"<{names[field_name]}'s position>"
            return f"<{words.get(field_name, field_name)}>"

        return _FIELD.sub(described, self.text)


def _field_value(field_name: str, facts: Facts) -> str:
    if field_name in facts.names:
        return facts.describe(facts.item.position(field_name))
    value = FIELD_VALUES.get(field_name)
    return value(facts) if value else "{" + field_name + "}"


def _statuses(facts: Facts) -> str:
    return " / ".join(dict.fromkeys(facts.scale.label(s) for p in facts.listing for s in p.statuses))


# each placeholder's text, worked out only when a reason names it (rendered for every row a rule settles)
FIELD_VALUES: dict[str, Callable[[Facts], str]] = {
    "name": lambda facts: facts.item.name,
    "source": lambda facts: join_names([facts.name(p.source) for p in facts.listing]),
    "absent": lambda facts: join_names([facts.name(p.source) for p in facts.absent]) or "none",
    "status": lambda facts: _statuses(facts) or "no known status",
    "positions": lambda facts: facts.positions_text(),
    "match": lambda facts: facts.item.match.decision,
    "doubt": lambda facts: match_doubt(facts.item, facts.names),
}
