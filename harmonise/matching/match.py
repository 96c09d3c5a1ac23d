"""The drug-aware matching engine: which row of one list names the same product as a row of another.

Names are parsed into components (``parse``), candidate pairs are found by blocking on BNF chapter and
substance, compared component by component (``compare``, ``components``) and decided
(``decide``): ``auto`` only when the evidence is strong, unambiguous and one-to-one, otherwise up to
three ranked ``candidate``s for the working group. A wrong automatic match can hurt a patient, so every
doubt becomes a candidate with its reason stated.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from harmonise.matching.compare import CLASS_WORDS
from harmonise.matching.decide import decide
from harmonise.matching.knowledge import Knowledge, load_knowledge
from harmonise.matching.pairs import MatchSettings, Named, Pair
from harmonise.matching.parse import parse_name
from harmonise.matching.reference import Reference


def match_names(
    left: Sequence[Named],
    right: Sequence[Named],
    *,
    knowledge: Knowledge | None = None,
    reference: Reference | None = None,
    settings: MatchSettings = MatchSettings(),
    confirmed: Collection[tuple[str, str]] = (),
    rejected: Collection[tuple[str, str]] = (),
) -> list[Pair]:
    """Match ``left`` names to ``right`` names; returns pairs sorted by left id, decision and rank.

    ``confirmed`` pairs become ``auto`` (level ``confirmed``); ``rejected`` pairs are never offered.
    """
    knowledge = knowledge or load_knowledge()
    if reference is not None:
        knowledge = with_reference_brands(knowledge, reference)
    return decide(list(left), list(right), knowledge, reference, settings, set(confirmed), set(rejected))


CAPITAL_INSIDE_RE = re.compile(r"\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b")


def with_reference_brands(knowledge: Knowledge, reference: Reference) -> Knowledge:
    """``knowledge`` that also knows the reference's brands, and the words its names write with a capital inside
    (one copy per reference: its parses are cached)."""
    cached = knowledge.cache.get(("reference", reference.path))
    if cached is None or cached[0] is not reference:  # the same file loaded again may have changed
        written_whole = {w.lower() for name in reference.names.values() for w in CAPITAL_INSIDE_RE.findall(name)}
        known = knowledge.with_brands(brand_substances(reference, knowledge), written_whole, reference.substances)
        cached = knowledge.cache[("reference", reference.path)] = (reference, known)
    return cached[1]


def _unclassed(brand: str) -> str:
    first, _, rest = brand.partition(" ")
    return rest if first in CLASS_WORDS and rest else brand


def brand_substances(reference: Reference, knowledge: Knowledge) -> dict[str, tuple[str, ...]]:
    """The reference's brands, each with its substances read by the same parser as any name: the BNF names a
    chemical substance with its salt (``Phenytoin sodium``, ``Epanutin``'s), which is a salt, not part of the
    substance; taken as written it would make ``phenytoin sodium`` a substance of its own and ``Phenytoin_Sod``
    no longer read as phenytoin with its sodium salt."""
    read: dict[str, tuple[str, ...]] = {}
    out = {}
    for brand, substances in reference.brands.items():
        names: list[str] = []
        for substance in substances:
            if substance not in read:
                read[substance] = parse_name(substance, knowledge).substances or (substance,)
            names.extend(read[substance])
        out[brand] = tuple(dict.fromkeys(names))
    # "Insulin Tresiba": the national list files some brands under their class word, and names their
    # presentations by the brand alone ("Tresiba FlexTouch ..."): the brand alone is that brand too, unless it
    # begins brands of other substances too (a range: "Humalog" and "Humalog Mix", "Humulin R" and "Humulin Zinc")
    unclassed = {_unclassed(brand): found for brand, found in out.items()}
    for brand, substances in list(out.items()):
        alone = _unclassed(brand)
        if alone == brand or "(" in alone:
            continue
        ranges = (b for b, found in unclassed.items() if b.startswith(f"{alone} ") and found != substances)
        if next(ranges, None) is None:
            out.setdefault(alone, substances)
    return out
