"""Clustering entries of two or more sources into items: the identical-name fast path and its limits."""

from __future__ import annotations

from harmonise.matching.cluster import MatchOptions, build_items
from harmonise.matching.knowledge import load_knowledge
from harmonise.model import Chapter, Entry, Provenance, content_key

CHAPTER = Chapter("2", "02-cardiovascular", "Cardiovascular system")
OPTIONS = MatchOptions(knowledge=load_knowledge())


def entries(source: str, *names: str) -> tuple[str, list[Entry]]:
    return source, [
        Entry(
            source=source,
            name=n,
            provenance=Provenance(f"{source}.xlsx", "S", i + 2),
            status="green",
            status_word="Green",
            key=content_key(source, n, str(i)),
        )
        for i, n in enumerate(names)
    ]


def grouping(items) -> list[list[tuple[str, str]]]:  # type: ignore[no-untyped-def]
    return sorted(sorted((e.source, e.name) for e in item.entries) for item in items)


def test_identical_names_join_at_level_exact_across_many_sources() -> None:
    names = ("Amlodipine 5mg tablets", "Amlodipine 10mg tablets", "Bisoprolol 5mg tablets")
    data = [entries(f"s{i}", *names) for i in range(5)]
    items = build_items(CHAPTER, data, OPTIONS)
    assert len(items) == 3 and all(len(i.entries) == 5 for i in items)
    assert {i.match.level for i in items} == {"exact"} and {i.match.decision for i in items} == {"auto"}
    assert "identical name" in items[0].match.evidence


def test_identical_name_is_case_and_space_insensitive_only() -> None:
    items = build_items(
        CHAPTER, [entries("a", "Amlodipine 5mg tablets"), entries("b", "AMLODIPINE  5mg   TABLETS")], OPTIONS
    )
    assert len(items) == 1 and items[0].match.level == "exact"


def test_a_name_listed_twice_in_one_source_is_left_to_the_matcher() -> None:
    items = build_items(
        CHAPTER,
        [entries("a", "Amlodipine 5mg tablets"), entries("b", "Amlodipine 5mg tablets", "Amlodipine 5mg tablets")],
        OPTIONS,
    )
    assert sum(len(i.entries) for i in items) == 3  # nothing lost, and never joined by the fast path twice
    assert all(i.match.level != "exact" or len(i.entries) == 2 for i in items)


def test_a_rejected_pair_is_never_joined_by_the_fast_path() -> None:
    first, second = entries("a", "Nifedipine 10mg capsules"), entries("b", "Nifedipine 10mg capsules")
    rejected = {(first[1][0].key, second[1][0].key)}
    options = MatchOptions(knowledge=OPTIONS.knowledge, rejected=rejected)
    items = build_items(CHAPTER, [first, second], options)
    assert grouping(items) == [[("a", "Nifedipine 10mg capsules")], [("b", "Nifedipine 10mg capsules")]]


def test_different_strengths_are_never_joined() -> None:
    items = build_items(
        CHAPTER,
        [
            entries("a", "Amlodipine 5mg tablets"),
            entries("b", "Amlodipine 10mg tablets"),
            entries("c", "Amlodipine 5mg tablets"),
        ],
        OPTIONS,
    )
    assert grouping(items) == [
        [("a", "Amlodipine 5mg tablets"), ("c", "Amlodipine 5mg tablets")],
        [("b", "Amlodipine 10mg tablets")],
    ]
