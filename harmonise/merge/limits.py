"""What fits: a chapter with more entries from one source than fit in memory, or whose substance blocks would
make the matcher compare too many pairs, is refused before any work starts, naming the file or the blocks.

Entries: a merge holds every entry, item, rule verdict and both workbooks in memory, which grows linearly with the
chapter. Measured by ``benchmarks/chapter_size.py`` and with a chapter of distinct names from one source
(``tests/test_bad_inputs.py``'s big chapter): about 3.5 ms and 32 KB per entry, writing included (10,000 entries
36 s and 390 MB; 20,000: 71 s and 710 MB; 60,000: 1,960 MB, and 369 s on a machine busy with other work).
``MAX_CHAPTER_ENTRIES`` keeps a merge within about 2 GB, which a desktop with 8 GB has to spare; a legacy chapter
holds a few thousand entries, so more than that is a whole formulary or product list exported into one chapter.
(The bound was 20,000 while openpyxl wrote the workbooks, before issue 15.)

The matcher compares names of one substance from two sources (``harmonise.matching``: blocking by substance,
then the pairs of a block). Memory does not grow with the square of a block: per left name only what can still
decide something is kept (its best few comparisons), about 60 MB for two sources of 1,600 rows of one
substance. Time can: a pair whose strengths clash is ranked by a fuzzy bound computed in C, but a pair that
could be automatic is compared in full, about 45-75 microseconds each on this project's 2-core machine. Measured
with ``benchmarks/substance_block.py`` (two sources, one substance): 13 strengths, 800 rows per source (640,000
pairs in the block): 5 s; every row the same strength (``--one-strength``, the worst case): 45 s, 1,600 rows
(2.6 million pairs): 200 s. The limit keeps the worst case near a minute.

The block of an entry is estimated here from the first word of its name (the substance, for generic names),
as the matcher blocks by substance; a brand name counts as its own block, so the estimate can be low for a
chapter of brand names of one substance.
"""

from __future__ import annotations

import re
from collections import Counter

from harmonise.errors import InputError, Problem
from harmonise.sources import ChapterLoad

MAX_CHAPTER_ENTRIES = 60_000
MAX_COMPARED_PAIRS = 1_000_000
FIRST_WORD = re.compile(r"[^\W\d_]{3,}")
SHOWN_BLOCKS = 5


def block_of(name: str) -> str:
    """The substance block a name falls in: its first word of three letters or more, case-folded."""
    found = FIRST_WORD.search(name.casefold())
    return found.group(0) if found else ""


def block_counts(loaded: ChapterLoad) -> dict[str, Counter[str]]:
    """Per source (in config order): how many entries fall in each substance block."""
    return {s.source: Counter(block_of(e.name) for e in s.entries) for s in loaded.sources}


def compared_pairs(counts: dict[str, Counter[str]]) -> Counter[str]:
    """Per block, the pairs the matcher compares: each source against every source before it."""
    pairs: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for per_block in counts.values():
        for block, count in per_block.items():
            pairs[block] += count * seen[block]
        seen.update(per_block)
    return pairs


def require_entries_fit(loaded: ChapterLoad, limit: int = MAX_CHAPTER_ENTRIES) -> None:
    """Refuse a chapter with more than ``limit`` entries from one source (see the module), naming each file."""
    too_many = [s for s in loaded.sources if len(s.entries) > limit]
    if too_many:
        raise InputError(
            f"chapter {loaded.chapter.label} cannot be merged: over the limit of {limit:,} entries from one source "
            "that a merge can hold in memory (a legacy chapter holds a few thousand at most); nothing was written. "
            "Check the file is one chapter's export, not a whole formulary or product list, and split it by BNF "
            "chapter:",
            [Problem(s.entries[0].provenance.file, f"{len(s.entries):,} entries from {s.source}") for s in too_many],
        )


def require_blocks_fit(loaded: ChapterLoad, limit: int = MAX_COMPARED_PAIRS) -> None:
    """Refuse a chapter whose substance blocks add up to more compared pairs than fit (see the module)."""
    counts = block_counts(loaded)
    pairs = compared_pairs(counts)
    total = sum(pairs.values())
    if total <= limit:
        return
    largest = [block for block, _ in pairs.most_common(SHOWN_BLOCKS)]
    raise InputError(
        f"chapter {loaded.chapter.label} cannot be merged: its substance blocks need {total:,} comparisons, over "
        f"the limit of {limit:,} that match in about a minute (matching compares every name of one substance with "
        "every name of that substance in the other source, so a block of N rows per source costs N x N); nothing was "
        "written. Check the files are one chapter's export, not a product list with one row per pack, or split "
        "the chapter. The largest blocks:",
        [Problem(f"substance block '{block}'", describe(block, counts, pairs[block])) for block in largest],
    )


def describe(block: str, counts: dict[str, Counter[str]], pairs: int) -> str:
    sizes = ", ".join(f"{per_block[block]:,} entries from {source}" for source, per_block in counts.items())
    return f"{sizes} ({pairs:,} comparisons)"
