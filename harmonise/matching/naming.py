"""The name an item is shown by: its current BNF presentation's name, else the best-formed name its sources give.

Legacy exports write the same medicine in very different hands: ``Furosemide Tablets 500mg`` and
``FUROSEMIDE Tabs 500 mg``. An item that resolved to one current presentation (``Item.bnf_name``) is shown by
that presentation's current name, the national standard, unless one of its entries names a brand
(``Sildenafil (Revatio®)``, ``NovoRapid``, ``Prolia``...): the current name is the generic equivalent's, and a formulary
that names the brand means it (insulins, biosimilars, a brand for one indication), so the brand stays.

Otherwise the item takes the names of the source that writes them best: the fewest *defects* per entry, where a
defect is a word of four or more letters written in capitals (``FUROSEMIDE``; acronyms such as ``MR``, ``XL``,
``CFC`` are shorter) or a shortened word (a word the drug knowledge reads as a longer one: ``Tabs``, ``Inj``,
``S/L``, ``E/C``, ``MR``; and ``mcg``, which NHS prescribing guidance asks to write in full). A singular read
as its plural (``tablet`` as ``tablets``), a spelling read as another (``CFC-free``), or a brand read as its
substance is not shortened. Ties go to the
source first in config order. Names are chosen, never rewritten: a name nobody wrote is not invented.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from harmonise.matching.knowledge import Knowledge
from harmonise.matching.parse import parse_name
from harmonise.matching.reference import Reference, generic_code
from harmonise.model import BNF_NAMED, Entry, Position

WORD = re.compile(r"[^\W\d_]+")
SHOUTED_LETTERS = 4
READ_AS = re.compile(r"(?P<written>.+?) read as (?P<meant>.+)")
SHORT_UNITS = re.compile(r"(?<![^\W\d_])(?:mcg|ug|µg)(?![^\W\d_])", re.IGNORECASE)


def shouted(name: str) -> int:
    """Words of four or more letters written all in capitals."""
    return sum(1 for word in WORD.findall(name) if len(word) >= SHOUTED_LETTERS and word.isupper())


def shortened(name: str, knowledge: Knowledge | None) -> int:
    """Words the drug knowledge reads as another, longer word (not a plural, not a brand), and short units."""
    count = len(SHORT_UNITS.findall(name))
    for note in parse_name(name, knowledge).notes:
        found = READ_AS.fullmatch(note)
        if found is None or note.startswith("brand "):
            continue
        written, meant = (re.sub(r"[\W_]", "", found[part]) for part in ("written", "meant"))
        if len(meant) > len(written) and meant not in (f"{written}s", f"{written}es"):
            count += 1
    return count


def defects(entry: Entry, knowledge: Knowledge | None) -> int:
    return shouted(entry.display_name) + shortened(entry.display_name, knowledge)


def best_formed(positions: Sequence[Position], knowledge: Knowledge | None) -> Position:
    """The listing source whose names have the fewest defects per entry; the first in config order on a tie."""
    listing = [p for p in positions if p.present]
    return min(
        listing,
        key=lambda p: (sum(defects(e, knowledge) for e in p.entries) / len(p.entries), listing.index(p)),
    )


BRAND_WORDS = 3  # a brand is named by its first words: Prolia, Cordarone X, Humalog Mix25


def names_brand(name: str, knowledge: Knowledge | None, reference: Reference | None) -> bool:
    """Whether a name names a brand: one the drug knowledge reads (``Sildenafil (Revatio®)``, ``NovoRapid``), a
    current brand presentation's own name (``Actrapid 100units/ml solution for injection 10ml vials``), or a
    name starting with a brand of the national list (``Prolia``, ``Trulicity``)."""
    if parse_name(name, knowledge).brand:
        return True
    if reference is None:
        return False
    code = reference.code_for(name)
    if code and generic_code(code) != code:
        return True
    words = name.casefold().split()
    return any(" ".join(words[:n]) in reference.brands for n in range(1, BRAND_WORDS + 1))


def item_name(
    positions: Sequence[Position], bnf_name: str, knowledge: Knowledge | None, reference: Reference | None = None
) -> tuple[str, str]:
    """The name an item is shown by, and where it comes from: ``BNF_NAMED`` or the key of the source named after
    (see the module docstring)."""
    entries = [e for p in positions for e in p.entries]
    if bnf_name and not any(names_brand(e.display_name, knowledge, reference) for e in entries):
        return bnf_name, BNF_NAMED
    source = best_formed(positions, knowledge)
    return source.entries[0].display_name, source.source
