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
    current = [
        Named(code, name, code[:2])
        for code, name in reference.names.items()
        if (code[:2], _first_word(name)) in firsts or ("", _first_word(name)) in firsts
    ]
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


def _first_word(name: str) -> str:
    words = re.findall(r"[a-z]+", name.lower())
    return words[0][:4] if words else ""
