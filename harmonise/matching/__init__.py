"""Matching: drug names parsed into components with shipped drug knowledge, compared, and decided (``auto``
only when certain, ranked candidates otherwise), then entries of several sources clustered into items.

Takes: entries (or any two lists of ``Named`` rows). Gives: ``Pair``s with their ``Evidence`` and, for a
chapter, ``Item``s that hold each source's entries, the name each is shown by (its current BNF name, else the
best-formed legacy name), the match level and the evidence a pharmacist reads. ``each_in_workers`` /
``usable_workers`` / ``workers_for``: work shared out over forked processes (``HARMONISE_WORKERS``), as the matcher
shares out long lists, for a caller with independent work of its own (the chapters of a merge).
"""

from __future__ import annotations

from harmonise.matching.cluster import MatchOptions, build_items, prepare
from harmonise.matching.decide import workers_for
from harmonise.matching.entry_checks import entry_checks
from harmonise.matching.files import MatchSummary, match_files
from harmonise.matching.knowledge import Knowledge, load_knowledge
from harmonise.matching.match import match_names
from harmonise.matching.pairs import Evidence, MatchSettings, Named, Pair
from harmonise.matching.reference import (
    ATTRIBUTION,
    PackBuilt,
    Reference,
    build_workspace_pack,
    load_reference,
    pack_payload,
    read_release,
    reference_path,
    release_of,
    shipped_pack,
    workspace_reference,
)
from harmonise.matching.workers import each_in_workers, usable_workers

__all__ = [
    "ATTRIBUTION",
    "Evidence",
    "Knowledge",
    "MatchOptions",
    "MatchSettings",
    "MatchSummary",
    "Named",
    "PackBuilt",
    "Pair",
    "Reference",
    "build_items",
    "build_workspace_pack",
    "each_in_workers",
    "entry_checks",
    "load_knowledge",
    "load_reference",
    "match_files",
    "match_names",
    "pack_payload",
    "prepare",
    "read_release",
    "reference_path",
    "release_of",
    "shipped_pack",
    "usable_workers",
    "workers_for",
    "workspace_reference",
]
