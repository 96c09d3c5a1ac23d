"""Shared helpers of the matcher tests: match two small lists of names and read the automatic pairs."""

from __future__ import annotations

from typing import Any

from harmonise.matching import Named, Pair, match_names


def run(left: list[str], right: list[str], **options: Any) -> list[Pair]:
    """Match ``left`` against ``right`` (ids L0.., R0..) with the shipped knowledge."""
    return match_names(
        [Named(f"L{i}", n) for i, n in enumerate(left)], [Named(f"R{i}", n) for i, n in enumerate(right)], **options
    )


def autos(pairs: list[Pair]) -> set[tuple[str, str]]:
    """The (left id, right id) pairs decided automatically."""
    return {(p.left_id, p.right_id) for p in pairs if p.decision == "auto"}


def auto_pairs(left: list[str], right: list[str]) -> set[tuple[str, str]]:
    """Match two lists and return only the automatic pairs."""
    return autos(run(left, right))
