"""Scale benchmark of the matching engine: a national list against a local one, 50,000 x 50,000 names.

Usage:  python benchmarks/match_scale.py [--size N] [--reference CSV] [--seed S] [--tracemalloc] [--profile]

The national list is N presentation names sampled (fixed seed) from the NHSBSA BNF Code Information CSV
(withdrawn ``DO NOT USE`` rows skipped); the local list is N names sampled from the same file with another
seed and rewritten in legacy style by general rules (upper-case substance, ``Tabs``/``Caps``/``Inj``/
``Soln``, ``mcg``, ``M/R``, spaces before units). When the CSV is absent, both lists come from a small
generator of substance x strength x form names. It reports wall seconds, the worker processes the comparison
used (one per core from 4,000 names; ``--workers 1`` for one process), peak memory (``ru_maxrss`` of the
process and of the largest worker, and the Python heap peak with ``--tracemalloc``, which slows the run),
autos and candidates found, and how many autos join a local name to the national name it was rewritten from.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from harmonise.matching import Named, match_names
from harmonise.matching.decide import workers_for

SHARED_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "bnf-code-information-2024-11.csv"
LEGACY_RULES = [  # (pattern, replacement) applied in order, case-insensitive
    (r"\bmodified-release\b", "M/R"),
    (r"\bgastro-resistant\b", "E/C"),
    (r"\bsugar free\b", "S/F"),
    (r"\btablets\b", "Tabs"),
    (r"\bcapsules\b", "Caps"),
    (r"\bsolution for injection\b", "Inj"),
    (r"\binjection\b", "Inj"),
    (r"\boral solution\b", "Oral Soln"),
    (r"\bsuspension\b", "Susp"),
    (r"micrograms?\b", "mcg"),
    (r"\bpre-filled syringes\b", "Pfs"),
    (r"\bampoules\b", "Amp"),
    (r"\bcream\b", "Crm"),
    (r"\bointment\b", "Oint"),
    (r"\beye drops\b", "Eye Dps"),
    (r"(\d)(mg|mcg|g|ml|units?)\b", r"\1 \2"),
]
GENERATED_SUBSTANCES = (
    "amlodipine",
    "atorvastatin",
    "metformin",
    "ramipril",
    "sertraline",
    "omeprazole",
    "levothyroxine",
    "bisoprolol",
    "lansoprazole",
    "simvastatin",
    "gliclazide",
    "furosemide",
)
GENERATED_FORMS = ("tablets", "capsules", "modified-release tablets", "oral solution", "dispersible tablets")


def national_names(path: Path) -> list[tuple[str, str]]:
    """(name, chapter) of every current presentation in the BNF Code Information CSV."""
    out: dict[str, str] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["BNF Presentation"].strip()
            if name and "do not use" not in name.lower():
                out.setdefault(name, row["BNF Chapter Code"].strip())
    return sorted(out.items())


def generated_names(size: int, seed: int) -> list[tuple[str, str]]:
    """Fallback names when the reference CSV is absent: substance x strength x form (x a made-up suffix)."""
    rng = random.Random(seed)
    names = set()
    while len(names) < size:
        sub = rng.choice(GENERATED_SUBSTANCES) + ("" if rng.random() < 0.3 else f" {rng.randrange(1000)}x")
        names.add(f"{sub.capitalize()} {rng.choice((1, 2, 5, 10, 20, 40, 80, 100))}mg {rng.choice(GENERATED_FORMS)}")
    return [(n, "") for n in sorted(names)]


def legacy(name: str) -> str:
    """Rewrite a current BNF name the way an older local formulary would write it."""
    text = name
    for pattern, replacement in LEGACY_RULES:
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    head = re.match(r"^[A-Za-z][A-Za-z \-]*?(?=\s\d|$)", text)
    return text.replace(head.group(0), head.group(0).upper(), 1) if head else text


def build_lists(size: int, seed: int, reference: Path) -> tuple[list[Named], list[Named], dict[str, str], str]:
    """National and local lists, and for each local id the national id it was rewritten from (if sampled)."""
    pool = national_names(reference) if reference.is_file() else generated_names(2 * size, seed)
    source = f"{reference.name} ({len(pool):,} names)" if reference.is_file() else "generated names"
    size = min(size, len(pool))
    national = random.Random(seed).sample(range(len(pool)), size)
    local = random.Random(seed + 1).sample(range(len(pool)), size)
    national_id = {i: f"N{n:06d}" for n, i in enumerate(national)}
    right = [Named(national_id[i], pool[i][0], pool[i][1]) for i in national]
    left = [Named(f"L{n:06d}", legacy(pool[i][0]), pool[i][1]) for n, i in enumerate(local)]
    truth = {f"L{n:06d}": national_id[i] for n, i in enumerate(local) if i in national_id}
    return left, right, truth, source


def run(args: argparse.Namespace) -> dict[str, object]:
    left, right, truth, source = build_lists(args.size, args.seed, args.reference)
    if args.tracemalloc:
        tracemalloc.start()
    start = time.perf_counter()
    pairs = match_names(left, right)
    seconds = time.perf_counter() - start
    heap = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else None
    autos = [p for p in pairs if p.decision == "auto"]
    return {
        "source": source,
        "left": len(left),
        "right": len(right),
        "seconds": seconds,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "workers": workers_for(len(left)),
        "heap_peak_mb": heap,
        "autos": len(autos),
        "candidates": sum(p.decision == "candidate" for p in pairs),
        "left_with_candidates": len({p.left_id for p in pairs if p.decision == "candidate"}),
        "autos_to_source": sum(truth.get(p.left_id) == p.right_id for p in autos),
        "sources_present": len(truth),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=20241101)
    parser.add_argument("--reference", type=Path, default=SHARED_REFERENCE)
    parser.add_argument("--tracemalloc", action="store_true", help="also measure the Python heap peak (slower)")
    parser.add_argument("--profile", action="store_true", help="print the top cProfile entries")
    parser.add_argument("--workers", type=int, help="worker processes (HARMONISE_WORKERS; default one per core)")
    args = parser.parse_args()
    if args.workers is not None:
        os.environ["HARMONISE_WORKERS"] = str(args.workers)
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        result = profiler.runcall(run, args)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    else:
        result = run(args)
    heap = "n/a" if result["heap_peak_mb"] is None else f"{result['heap_peak_mb']:.0f} MB"
    print(f"source               {result['source']}")
    print(f"lists                {result['left']:,} local x {result['right']:,} national names")
    print(f"wall time            {result['seconds']:.1f} s")
    print(f"worker processes     {result['workers']}")
    print(f"peak memory          {result['max_rss_mb']:.0f} MB (ru_maxrss); Python heap peak {heap}")
    if result["workers"] > 1:  # forked workers share the parent's pages until they write them
        print(f"largest worker       {result['worker_rss_mb']:.0f} MB (ru_maxrss of the children, pages shared)")
    print(
        f"automatic matches    {result['autos']:,} ({result['autos_to_source']:,} to the name they were "
        f"rewritten from, of {result['sources_present']:,} local names whose source is in the national list)"
    )
    print(f"candidates           {result['candidates']:,} for {result['left_with_candidates']:,} local names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
