"""Benchmark: N-way clustering of generated legacy sources (issue 8).

    python benchmarks/nway_scale.py [--entries 5000] [--sources 2 8 42]

Each source lists ``--entries`` products drawn from one shared catalogue of real substances, strengths,
forms and release types (so most products recur across sources), written in one of three legacy naming
styles. Reports, for each number of sources: wall time of clustering (matching included), peak memory
(ru_maxrss of this process, which only grows, so the figures are cumulative across the sizes run), items
formed, and how time grows with the number of entries.
"""

from __future__ import annotations

import argparse
import random
import resource
import time

from formulary_gen import FORMS, STRENGTHS, SUBSTANCES

from harmonise.cluster import MatchOptions, build_items
from harmonise.knowledge import load_knowledge
from harmonise.model import Chapter, Entry, Provenance, content_key

STYLES = (
    lambda s, f, st, mr: f"{s.capitalize()} {st} {'modified-release ' if mr else ''}{f}",
    lambda s, f, st, mr: f"{s.upper()} {dict(FORMS)[f]} {st.replace('mg', ' mg')}{' MR' if mr else ''}",
    lambda s, f, st, mr: f"{s.capitalize()} {'M/R ' if mr else ''}{f} {st}",
)


def catalogue(size: int, seed: int = 11) -> list[tuple[str, str, str, bool]]:
    rng = random.Random(seed)
    products: set[tuple[str, str, str, bool]] = set()
    while len(products) < size:
        products.add((rng.choice(SUBSTANCES), rng.choice(FORMS)[0], rng.choice(STRENGTHS), rng.random() < 0.15))
    return sorted(products)


def source_entries(key: str, products: list, entries: int, rng: random.Random) -> list[Entry]:
    style = STYLES[rng.randrange(len(STYLES))]
    chosen = rng.sample(products, min(entries, len(products)))
    out = []
    for row, product in enumerate(chosen, start=2):
        name = style(*product)
        out.append(Entry(source=key, name=name, provenance=Provenance(f"{key}.xlsx", "S", row), status="green",
                         status_word="Green", key=content_key(key, name, str(row))))
    return out


def run(sources: int, entries: int, products: list, options: MatchOptions) -> tuple[float, int]:
    rng = random.Random(sources)
    data = [(f"s{i:02d}", source_entries(f"s{i:02d}", products, entries, rng)) for i in range(sources)]
    start = time.perf_counter()
    items = build_items(Chapter("2", "02-cardiovascular", "Cardiovascular system"), data, options)
    elapsed = time.perf_counter() - start
    placed = sum(len(i.entries) for i in items)
    assert placed == sources * entries, "an entry was lost or duplicated"
    return elapsed, len(items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--sources", type=int, nargs="+", default=[2, 8, 42])
    args = parser.parse_args()
    products = catalogue(int(args.entries * 1.25))
    options = MatchOptions(knowledge=load_knowledge())
    print(f"{'sources':>8}{'entries':>10}{'items':>8}{'seconds':>10}{'peak MB':>10}{'us/entry':>10}")
    for count in args.sources:
        seconds, items = run(count, args.entries, products, options)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        total = count * args.entries
        print(f"{count:>8}{total:>10}{items:>8}{seconds:>10.2f}{peak:>10.0f}{1e6 * seconds / total:>10.1f}")


if __name__ == "__main__":
    main()
