"""The drug-aware matching engine: which row of one list names the same product as a row of another.

Names are parsed into components (``normalise``), candidate pairs are found by blocking on BNF chapter and
substance (``match_blocking``), compared component by component (``match_compare``) and decided
(``match_decide``): ``auto`` only when the evidence is strong, unambiguous and one-to-one, otherwise up to
three ranked ``candidate``s for the working group. A wrong automatic match can hurt a patient, so every
doubt becomes a candidate with its reason stated.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from harmonise.matching.knowledge import Knowledge, load_knowledge

if TYPE_CHECKING:
    from harmonise.matching.reference import Reference

DECISIONS = ("auto", "candidate")
LEVELS = ("exact", "normalised", "synonym", "reference", "fuzzy", "confirmed")


@dataclass(frozen=True)
class Named:
    """One name to match; ``chapter`` is the BNF chapter for blocking ('' = unknown)."""

    id: str
    name: str
    chapter: str = ""


@dataclass(frozen=True)
class Evidence:
    """Why two names were paired: data and one plain-English line a pharmacist can read."""

    level: str
    score: float
    text: str
    vetoes: tuple[str, ...]
    left_key: str
    right_key: str
    details: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Pair:
    """A decided pair: ``auto`` or a ``candidate`` with its rank for the left id (1 = best)."""

    left_id: str
    right_id: str
    decision: str
    rank: int
    evidence: Evidence


@dataclass(frozen=True)
class MatchSettings:
    """Thresholds: the minimum score of an auto match and of a candidate, the margin by which the best
    auto-eligible partner must beat the next one, and how many candidates to offer per name."""

    auto_score: float = 95.0
    candidate_score: float = 40.0
    ambiguity_margin: float = 1.0
    max_candidates: int = 3


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
    from harmonise.matching.decide import decide

    knowledge = knowledge or load_knowledge()
    if reference is not None:
        knowledge = _with_reference_brands(knowledge, reference)
    return decide(list(left), list(right), knowledge, reference, settings, set(confirmed), set(rejected))


def _with_reference_brands(knowledge: Knowledge, reference: Reference) -> Knowledge:
    cached = knowledge.cache.get(("reference", reference.path))
    if cached is None:
        cached = knowledge.with_brands(reference.brands)
        knowledge.cache[("reference", reference.path)] = cached
    return cached


def __getattr__(name: str) -> object:
    # match_files lives in match_io (it reads and writes files); re-exported here as part of the API
    if name in ("match_files", "MatchSummary"):
        from harmonise.matching import files as match_io

        return getattr(match_io, name)
    raise AttributeError(name)
