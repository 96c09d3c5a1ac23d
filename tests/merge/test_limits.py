"""What fits in a merge (issue 15 item 6): a source of a chapter may hold far more than the 20,000 entries that
were refused while openpyxl wrote the workbooks; past the measured bound the chapter is refused, naming the
file, before any work starts."""

from __future__ import annotations

import pytest
from rules_fixtures import entry

from harmonise.errors import InputError
from harmonise.merge.limits import MAX_CHAPTER_ENTRIES, require_entries_fit
from harmonise.model import Chapter
from harmonise.sources import ChapterLoad, SourceLoad

CHAPTER = Chapter("2", "02-cardiovascular", "Cardiovascular system")


def chapter_of(cheshire: int, merseyside: int) -> ChapterLoad:
    """A chapter with that many entries from each source (one product repeated: only the count matters here)."""
    return ChapterLoad(
        CHAPTER,
        [
            SourceLoad("cheshire", None, [entry("cheshire", "green")] * cheshire),
            SourceLoad("merseyside", None, [entry("merseyside", "green")] * merseyside),
        ],
    )


def test_a_chapter_over_the_old_20000_entry_limit_is_merged() -> None:
    assert MAX_CHAPTER_ENTRIES >= 50_000
    require_entries_fit(chapter_of(25_000, 24_000))
    require_entries_fit(chapter_of(MAX_CHAPTER_ENTRIES, MAX_CHAPTER_ENTRIES))


def test_a_source_over_the_bound_is_refused_naming_its_file_and_count() -> None:
    with pytest.raises(InputError) as refused:
        require_entries_fit(chapter_of(MAX_CHAPTER_ENTRIES + 1, 300))
    message = str(refused.value) + " ".join(f"{p.where}: {p.message}" for p in refused.value.problems)
    assert f"over the limit of {MAX_CHAPTER_ENTRIES:,} entries from one source" in message
    assert f"cheshire.xlsx: {MAX_CHAPTER_ENTRIES + 1:,} entries from cheshire" in message
    assert "merseyside" not in message
