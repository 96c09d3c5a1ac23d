"""The records matching passes around: a ``Named`` row to match, the ``Evidence`` for a pairing, a decided
``Pair`` and the ``MatchSettings`` thresholds. Everything in ``matching`` builds on these, so they import
nothing of the stage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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
