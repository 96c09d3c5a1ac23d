"""Matching: drug names parsed into components with shipped drug knowledge, compared, and decided (``auto``
only when certain, ranked candidates otherwise), then entries of several sources clustered into items.

Takes: entries (or any two lists of ``Named`` rows). Gives: ``Pair``s with their ``Evidence`` and, for a
chapter, ``Item``s that hold each source's entries, the match level and the evidence a pharmacist reads.
"""

from __future__ import annotations

from harmonise.matching.cluster import MatchOptions, build_items
from harmonise.matching.entry_checks import entry_checks
from harmonise.matching.files import MatchSummary, match_files
from harmonise.matching.knowledge import Knowledge, load_knowledge
from harmonise.matching.match import match_names
from harmonise.matching.pairs import Evidence, MatchSettings, Named, Pair
from harmonise.matching.reference import Reference, load_reference

__all__ = [
    "Evidence",
    "Knowledge",
    "MatchOptions",
    "MatchSettings",
    "MatchSummary",
    "Named",
    "Pair",
    "Reference",
    "build_items",
    "entry_checks",
    "load_knowledge",
    "load_reference",
    "match_files",
    "match_names",
]
