"""What people read about an item: its whole name, and who joined its rows.

An item made of several strength rows (``Bisoprolol fumarate Tablets 1.25mg``, ``... 2.5mg``, and another
formulary's ``BISOPROLOL Tabs 1.25 mg, ..., 10 mg``) is named for the whole item, every strength any source
lists in order (``Bisoprolol fumarate Tablets 1.25mg, 2.5mg, 3.75mg, 5mg, 7.5mg, 10mg``), not after its first
row. The minutes, the rationale and the audit log all take the item's name, so they name it whole too.
A name whose strengths cannot be read plainly (``25, 50 micrograms``, ``90mg (twice daily)``) is left as it is.
An item the working group gave a harmonised name (a fresh decision's ``Outcome.name``) is shown by that name.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from harmonise.merge.chapter import ItemResult
from harmonise.model import BNF_NAMED, Confirmation, Item

_UNITS = {
    "g": ("mass", 1000.0),
    "mg": ("mass", 1.0),
    "microgram": ("mass", 0.001),
    "micrograms": ("mass", 0.001),
    "mcg": ("mass", 0.001),
    "µg": ("mass", 0.001),
    "nanogram": ("mass", 0.000001),
    "nanograms": ("mass", 0.000001),
    "ng": ("mass", 0.000001),
    "unit": ("unit", 1.0),
    "units": ("unit", 1.0),
    "%": ("percent", 1.0),
}
_UNIT = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
# one strength: 5mg, 1.25 mg, 62.5 micrograms, 5mg/24 hours, 100 units/mL (the 'per' part kept as written)
_STRENGTH = re.compile(rf"(\d+(?:\.\d+)?)\s*({_UNIT})(\s*/\s*[\d.]*\s*[a-zA-Z]+(?:\s+hours?)?)?", re.IGNORECASE)
_LAST = re.compile(rf"^(?P<stem>.*?\S)\s+(?P<first>\d+(?:\.\d+)?\s*(?:{_UNIT})\S*(?:\s+hours?)?)$", re.IGNORECASE)

Strength = tuple[str, float, str, str]  # (kind, magnitude, per-part, text as written)


@lru_cache(maxsize=1024)  # an item's name is also one of its entries' names, split just after it
def split_name(name: str) -> tuple[str, tuple[Strength, ...]] | None:
    """``Tablets 5mg, 10mg`` as (``Tablets``, its strengths); None when the name does not end in plain strengths."""
    head, *rest = [p.strip() for p in name.split(",")]
    found = _LAST.match(head)
    if not found:
        return None
    strengths = [_strength(text) for text in [found["first"], *rest]]
    if any(s is None for s in strengths):
        return None
    return found["stem"], tuple(s for s in strengths if s is not None)


def _strength(text: str) -> Strength | None:
    found = _STRENGTH.fullmatch(text.strip())
    if not found:
        return None
    kind, factor = _UNITS[found[2].casefold()] if found[2].casefold() in _UNITS else _UNITS[found[2]]
    per = re.sub(r"\s+", "", (found[3] or "").casefold())
    return kind, float(found[1]) * factor, per, text.strip()


def whole_name(item: Item) -> str:
    """The item named with every strength its sources list (see the module docstring); an item shown by its
    current BNF name is one product of one strength, named already."""
    entries = item.entries
    first = split_name(item.name)
    if first is None or len(entries) < 2 or item.named_from == BNF_NAMED:
        return item.name
    stem, strengths = first[0], list(first[1])
    spaced = any(re.match(r"[\d.]+\s", s[3]) for s in strengths)  # '5 mg' rather than '5mg'? follow the name
    seen = {(s[0], s[1], s[2]) for s in strengths}
    for entry in entries:
        parts = split_name(entry.display_name)
        if parts is None:
            return item.name
        for strength in parts[1]:
            if (strength[0], strength[1], strength[2]) not in seen:
                seen.add((strength[0], strength[1], strength[2]))
                text = strength[3] if spaced else re.sub(r"(\d)\s+(?=[^\d\s])", r"\1", strength[3], count=1)
                strengths.append((*strength[:3], text))
    if len(strengths) == len(first[1]):
        return item.name
    ordered = sorted(strengths, key=lambda s: (s[0], s[2], s[1]))
    return f"{stem} {', '.join(s[3] for s in ordered)}"


def labelled(result: ItemResult, joins: tuple[Confirmation, ...]) -> ItemResult:
    """The result with its item named whole (or by the harmonised name a working-group decision gave it) and, for
    rows the working group joined, the join labelled in the
    match (who, when, which meeting, any veto overridden) and in the rationale of its outcome."""
    item = result.item
    name = result.outcome.name or whole_name(item)  # the working group's harmonised name comes first
    if name == item.name and not joins:
        return result
    outcome = result.outcome
    if joins:
        said = "; ".join(j.describe() for j in joins)
        outcome = replace(outcome, rationale=f"{outcome.rationale} [{said}]".strip())
    match = replace(item.match, confirmed=joins) if joins else item.match
    return replace(result, item=replace(item, name=name, match=match), outcome=outcome)
