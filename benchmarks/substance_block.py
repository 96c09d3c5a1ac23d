"""How matching cost grows with one substance block: N rows per source, all of one substance.

Usage:  python benchmarks/substance_block.py [--sizes 100 200 400 800 1600] [--sources 2] [--json]

Each size runs in a fresh process (so ``ru_maxrss`` is that run's peak) and clusters two (or more) sources of
N legacy-style rows of one substance (amlodipine, many strengths, forms and pack notes, each source written
its own way, so few names are identical letter for letter). Pairs whose strengths clash are ranked by a fuzzy
bound rather than compared in full; ``--one-strength`` gives every row the same strength, the worst case, where
every pair is compared in full. It prints wall seconds, peak resident memory, pairs in the block (N x N for two
sources) and the bytes per pair the peak grew by: the figures behind ``harmonise.merge.limits``. Figures, never
assertions.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from harmonise.matching import MatchOptions, build_items
from harmonise.model import Chapter, Entry, Provenance

FORMS = ("tablets", "capsules", "oral solution", "oral suspension", "orodispersible tablets", "dispersible tablets")
STRENGTHS = tuple(f"{s}mg" for s in (1, 2, 2.5, 5, 7.5, 10, 12.5, 15, 20, 25, 30, 40, 50))


def rows(source: int, size: int, strengths: tuple[str, ...] = STRENGTHS) -> list[Entry]:
    """``size`` distinct names of one substance, spelt the way source ``source`` spells them."""
    out = []
    for i in range(size):
        form, strength = FORMS[i % len(FORMS)], strengths[(i // len(FORMS)) % len(strengths)]
        pack = i // (len(FORMS) * len(STRENGTHS))
        even = source % 2 == 0
        name = f"Amlodipine {strength} {form} pack {pack}" if even else f"AMLODIPINE {form} {strength} (pk{pack})"
        out.append(Entry(f"s{source}", name, Provenance(f"s{source}.csv", "", i + 2), key=f"s{source}-{i}"))
    return out


def measure(size: int, sources: int, one_strength: bool = False) -> dict[str, float]:
    """Cluster ``sources`` sources of ``size`` rows each; seconds, peak MiB, pairs."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    strengths = STRENGTHS[3:4] if one_strength else STRENGTHS
    per_source = [(f"s{s}", rows(s, size, strengths)) for s in range(sources)]
    started = time.perf_counter()
    items = build_items(Chapter("2", "02-cardiovascular", "Cardiovascular system"), per_source, MatchOptions())
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    pairs = sum(size * size * s for s in range(1, sources))
    grown = (peak - before) * 1024
    return {
        "size": size,
        "pairs": pairs,
        "seconds": round(seconds, 2),
        "peak_mib": round(peak / 1024, 1),
        "bytes_per_pair": round(grown / pairs, 1),
        "items": len(items),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 400, 800, 1600])
    parser.add_argument("--sources", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--one-strength",
        action="store_true",
        help="every row of the block states the same strength: the worst case, where every pair is compared in full",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process: measure one size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.sources, args.one_strength)))
        return
    results = []
    for size in args.sizes:
        child = [sys.executable, __file__, "--one", str(size), "--sources", str(args.sources)]
        child += ["--one-strength"] if args.one_strength else []
        results.append(json.loads(subprocess.run(child, check=True, capture_output=True, text=True).stdout))
    if args.json:
        print(json.dumps(results, indent=1))
        return
    print(f"{'rows/source':>11} {'pairs':>11} {'seconds':>8} {'peak MiB':>9} {'bytes/pair':>10} {'items':>6}")
    for r in results:
        print(
            f"{r['size']:>11} {r['pairs']:>11,} {r['seconds']:>8} {r['peak_mib']:>9} "
            f"{r['bytes_per_pair']:>10} {r['items']:>6}"
        )


if __name__ == "__main__":
    main()
