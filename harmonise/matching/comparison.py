"""The record of comparing two parsed names, shared by ``compare`` (substances, strengths, the verdict) and
``components`` (form, release, containers, flags and the other checks), which both add to it."""

from __future__ import annotations

from dataclasses import dataclass, field

# the levels that can be automatic, and the score each starts from (one point off for each soft difference)
LEVEL_SCORES = {"exact": 100.0, "confirmed": 100.0, "reference": 99.0, "normalised": 98.0, "synonym": 96.0}


@dataclass
class Comparison:
    """The outcome of comparing two names; ``text`` is the pharmacist-readable line."""

    level: str = "fuzzy"
    score: float = 0.0
    vetoes: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    agreements: list[str] = field(default_factory=list)
    softs: int = 0
    joined_by: list[str] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)
    pairs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def auto_eligible(self) -> bool:
        return self.level in LEVEL_SCORES and not self.vetoes and not self.blockers

    @property
    def text(self) -> str:
        parts = list(self.agreements)
        parts += [f"VETO {v}" for v in self.vetoes]
        parts += [f"not sure: {b}" for b in self.blockers]
        head = "exact same name" if self.level == "exact" else f"{self.level}"
        if self.level == "fuzzy":
            head = f"fuzzy {self.score:.0f}"
        return f"{head}: " + "; ".join(parts) if parts else head
