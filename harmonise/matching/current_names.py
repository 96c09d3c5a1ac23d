"""The current BNF presentation each legacy entry stands for, shown beside every item of the chapter workbook.

An entry whose name is a current BNF name resolves by name; any other is matched, with the same engine and the
same caution as two formularies, against the current presentations that share its first word. Only an
automatic match resolves it: a name that fits several presentations, or none, stays unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from harmonise.matching.knowledge import Knowledge
from harmonise.matching.match import match_names
from harmonise.matching.pairs import MatchSettings, Named
from harmonise.matching.reference import Reference


def resolve_names(
    named: Sequence[Named], reference: Reference, knowledge: Knowledge, settings: MatchSettings
) -> dict[str, str]:
    """The current BNF presentation code each name resolves to (by id), where it resolves to exactly one: its
    own name when that is a current name, else the presentation the matcher joins it to automatically among
    the current presentations of its BNF chapter (when it has one) that share a first word with it, so only a
    handful are parsed. A row listing several strengths resolves to none."""
    out = {n.id: reference.code_for(n.name) for n in named}
    rest = [n for n in named if not out[n.id]]
    firsts = {(n.chapter, _first_word(n.name)) for n in rest}
    index = names_by_first_word(reference, knowledge)
    codes = sorted({code for chapter, first in firsts for code in _lookup(index, chapter, first)})
    current = [Named(code, reference.names[code], code[:2]) for code in codes]
    if rest and current:
        pairs = match_names(
            [Named(n.id, n.name) for n in rest], current, knowledge=knowledge, reference=reference, settings=settings
        )
        autos: dict[str, list[str]] = {}
        for pair in pairs:
            if pair.decision == "auto":
                autos.setdefault(pair.left_id, []).append(pair.right_id)
        # a row listing several strengths stands for several presentations: it resolves to none of them
        out.update({key: found[0] for key, found in autos.items() if len(found) == 1})
    return {key: code for key, code in out.items() if code}


def names_by_first_word(reference: Reference, knowledge: Knowledge) -> dict[tuple[str, str], list[str]]:
    """The reference's presentation codes by (BNF chapter, first word), built once per reference and run."""
    key = ("current names by first word", reference.path)
    cached = knowledge.cache.get(key)
    if cached is None or cached[0] is not reference:
        index: dict[tuple[str, str], list[str]] = {}
        for code, name in reference.names.items():
            index.setdefault((code[:2], _first_word(name)), []).append(code)
        cached = knowledge.cache[key] = (reference, index)
    return cached[1]


def _lookup(index: dict[tuple[str, str], list[str]], chapter: str, first: str) -> list[str]:
    """The codes of a first word in the name's chapter, or in every chapter when the name has none."""
    if chapter:
        return index.get((chapter, first), [])
    return [code for (_, word), codes in index.items() if word == first for code in codes]


FIRST_WORD = re.compile(r"[a-z]+")


def _first_word(name: str) -> str:
    found = FIRST_WORD.search(name.lower())  # the first word only: the index reads every current name once a run
    return found.group()[:4] if found else ""
