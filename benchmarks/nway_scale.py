"""Benchmark: N-way clustering of legacy sources (issue 8): 2, 8 and 42 sources of 5,000 entries each.

    python benchmarks/nway_scale.py [--entries 5000] [--sources 2 8 42] [--synthetic]

The product catalogue is drawn from the real generic BNF presentations of the NHSBSA code list in
``../shared/reference/`` when it is there (real names, real number of presentations per substance, real
chapters); otherwise (or with ``--synthetic``) from a generated catalogue of real substances, strengths and
forms. Each source lists ``--entries`` products from the catalogue (so most recur across sources), written
in one of several legacy naming styles, and every chapter is clustered as ``harmonise merge`` does.

Printed per number of sources: wall time of clustering (matching included), peak memory of this process
(ru_maxrss; it only grows, so later figures include earlier runs), items formed, microseconds per entry,
and that no entry was lost or duplicated.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import resource
import time
from collections import defaultdict
from pathlib import Path

from formulary_gen import FORMS, STRENGTHS, SUBSTANCES

from harmonise.matching import MatchOptions, build_items, load_knowledge
from harmonise.model import Chapter, Entry, Provenance, content_key

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "bnf-code-information-2024-11.csv"
Product = tuple[str, str]  # (chapter, generic name)

LEGACY = [
    (r"\btablets\b", "Tabs"),
    (r"\bcapsules\b", "Caps"),
    (r"\bmicrograms?\b", "mcg"),
    (r"\bmodified-release\b", "M/R"),
    (r"\boral solution\b", "Oral Soln"),
    (r"\binjection\b", "Inj"),
    (r"\bsugar free\b", "S/F"),
    (r"\bgastro-resistant\b", "E/C"),
    (r"\bsuspension\b", "Susp"),
]


def style(name: str, which: int) -> str:
    """One of four ways a legacy export writes the same product."""
    if which == 0:
        return name
    if which == 1:
        return name.upper()
    text = name
    for pattern, short in LEGACY:
        text = re.sub(pattern, short, text, flags=re.I)
    return text.upper() if which == 3 else text


def reference_catalogue(size: int, rng: random.Random) -> list[Product]:
    with open(REFERENCE, encoding="utf-8-sig", newline="") as handle:
        names = {
            (row["BNF Chapter Code"], row["BNF Presentation"].strip())
            for row in csv.DictReader(handle)
            if len(row["BNF Presentation Code"]) == 15
            and row["BNF Presentation Code"][9:11] == "AA"
            and "DO NOT USE" not in row["BNF Presentation"]
            and row["BNF Chapter Code"] <= "15"
        }
    return rng.sample(sorted(names), min(size, len(names)))


def synthetic_catalogue(size: int, rng: random.Random) -> list[Product]:
    products: set[Product] = set()
    while len(products) < size:
        substance = rng.choice(SUBSTANCES)
        chapter = f"{1 + sum(map(ord, substance)) % 15:02d}"
        release = "modified-release " if rng.random() < 0.15 else ""
        products.add((chapter, f"{substance.capitalize()} {rng.choice(STRENGTHS)} {release}{rng.choice(FORMS)[0]}"))
    return sorted(products)


def sources(count: int, entries: int, catalogue: list[Product], rng: random.Random) -> list[tuple[str, list[Entry]]]:
    out = []
    for i in range(count):
        key, which = f"s{i:02d}", i % 4
        chosen = rng.sample(catalogue, min(entries, len(catalogue)))
        out.append(
            (
                key,
                [
                    Entry(
                        source=key,
                        name=style(name, which),
                        section=chapter,
                        provenance=Provenance(f"{key}.xlsx", "S", row),
                        status="green",
                        status_word="Green",
                        key=content_key(key, name, str(row)),
                    )
                    for row, (chapter, name) in enumerate(chosen, start=2)
                ],
            )
        )
    return out


def cluster_all(data: list[tuple[str, list[Entry]]], options: MatchOptions) -> int:
    """Cluster chapter by chapter, as merge does; returns the number of items."""
    by_chapter: dict[str, list[tuple[str, list[Entry]]]] = defaultdict(list)
    for key, entries in data:
        grouped: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            grouped[entry.section].append(entry)
        for chapter, chapter_entries in grouped.items():
            by_chapter[chapter].append((key, chapter_entries))
    items = 0
    for chapter, per_source in sorted(by_chapter.items()):
        built = build_items(Chapter(chapter.lstrip("0"), f"{chapter}-x", chapter), per_source, options)
        placed = sum(len(item.entries) for item in built)
        assert placed == sum(len(e) for _, e in per_source), "an entry was lost or duplicated"
        items += len(built)
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--sources", type=int, nargs="+", default=[2, 8, 42])
    parser.add_argument("--synthetic", action="store_true", help="do not use the shared BNF reference")
    args = parser.parse_args()
    rng = random.Random(42)
    size = int(args.entries * 1.25)
    use_reference = REFERENCE.is_file() and not args.synthetic
    catalogue = reference_catalogue(size, rng) if use_reference else synthetic_catalogue(size, rng)
    print(f"catalogue: {len(catalogue)} products from {'the BNF reference' if use_reference else 'the generator'}")
    options = MatchOptions(knowledge=load_knowledge())
    print(f"{'sources':>8}{'entries':>10}{'items':>8}{'seconds':>10}{'peak MB':>10}{'us/entry':>10}")
    for count in args.sources:
        data = sources(count, args.entries, catalogue, random.Random(count))
        start = time.perf_counter()
        items = cluster_all(data, options)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        total = count * args.entries
        print(f"{count:>8}{total:>10}{items:>8}{seconds:>10.2f}{peak:>10.0f}{1e6 * seconds / total:>10.1f}")


if __name__ == "__main__":
    main()
