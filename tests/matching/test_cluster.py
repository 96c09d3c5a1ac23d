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


def source_counts(items) -> list[dict[str, int]]:  # type: ignore[no-untyped-def]
    out = []
    for item in items:
        counts: dict[str, int] = {}
        for entry in item.entries:
            counts[entry.source] = counts.get(entry.source, 0) + 1
        out.append(counts)
    return out


def test_an_identical_join_then_a_fuzzy_join_never_puts_two_entries_of_one_source_in_one_item() -> None:
    # b's first entry is letter for letter a's name (joined at once); b's second entry is the same product
    # written another way: it must not join the item that already holds b's entry
    items = build_items(
        CHAPTER,
        [
            entries("a", "Ramipril 2.5mg capsules"),
            entries("b", "Ramipril 2.5mg capsules", "RAMIPRIL Caps 2.5mg"),
        ],
        OPTIONS,
    )
    assert all(max(c.values()) == 1 for c in source_counts(items)), grouping(items)
    assert sum(len(i.entries) for i in items) == 3
    alone = next(i for i in items if [e.name for e in i.entries] == ["RAMIPRIL Caps 2.5mg"])
    assert alone.match.decision == "candidate"  # shown to the group, not silently dropped or joined
    assert "one-to-one" in alone.match.evidence


def test_single_strength_rows_of_a_third_source_join_the_item_a_multi_strength_row_formed() -> None:
    items = build_items(
        CHAPTER,
        [
            entries("a", "Amlodipine 5mg tablets", "Amlodipine 10mg tablets"),
            entries("b", "Amlodipine tablets 5mg, 10mg"),
            entries("c", "AMLODIPINE Tabs 5mg", "AMLODIPINE Tabs 10mg"),
        ],
        OPTIONS,
    )
    assert len(items) == 1, grouping(items)
    assert source_counts(items) == [{"a": 2, "b": 1, "c": 2}]


def test_combination_strengths_written_in_another_order_are_the_same_strengths() -> None:
    from harmonise.matching.cluster import strength_set

    knowledge = OPTIONS.knowledge
    assert strength_set("Liq Paraf Light/Wte Soft Paraf_Crm 6/15%", knowledge) == strength_set(
        "White soft paraffin 15% / Liquid paraffin light 6% cream", knowledge
    )
    assert strength_set("Co-amoxiclav 500mg/125mg tablets", knowledge) != strength_set(
        "Co-amoxiclav 250mg/125mg tablets", knowledge
    )


def test_a_concentration_written_over_another_volume_is_the_same_strength() -> None:
    from harmonise.matching.cluster import strength_set

    knowledge = OPTIONS.knowledge
    assert strength_set("Ranitidine 150mg/10ml syrup", knowledge) == strength_set(
        "Ranitidine 75mg/5ml oral solution", knowledge
    )
    assert strength_set("Ranitidine 150mg/10ml syrup", knowledge) != strength_set(
        "Ranitidine 150mg/5ml oral solution", knowledge
    )
