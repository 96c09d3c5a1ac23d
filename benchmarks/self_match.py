"""Benchmark and safety check: the national list matched against itself, without the reference.

    python benchmarks/self_match.py [--with-reference] [--show N]

The shipped pack's current presentations (chapters 1-15 and 18-19; appliances left out) are split into even and
odd rows by code and matched as two formularies. Each presentation is on one side only, so any automatic join of
two different generic products (their generic BNF codes differ) is a false automatic match by construction, and
the list is not development data: it is a check that may be read in full, on names that are in neither
development set. Without the reference it shows what the engine alone joins; with it, each name is itself a
current name and resolves to its own code (a check of the lookups, not of the matcher). Prints the count and
the false joins with their evidence; the list's own duplicates (the same product listed under two codes,
``50microgram`` / ``50microg``) are among them.
"""

from __future__ import annotations

import argparse
import time

from harmonise.matching import Named, match_names
from harmonise.matching.reference import Reference, generic_code, load_reference, shipped_pack


def shipped_reference() -> Reference:
    """The national list shipped with harmonise (these checks read it, not ../shared)."""
    pack = shipped_pack()
    if pack is None:
        raise SystemExit("no reference pack is shipped with this installation")
    return load_reference(pack)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--with-reference", action="store_true")
    parser.add_argument("--show", type=int, default=100, help="false joins to print (default 100)")
    args = parser.parse_args()
    reference = shipped_reference()
    items = sorted((c, n) for c, n in reference.names.items() if not c.startswith(("20", "21", "22", "23")))
    left = [Named(c, n, c[:2]) for i, (c, n) in enumerate(items) if i % 2 == 0]
    right = [Named(c, n, c[:2]) for i, (c, n) in enumerate(items) if i % 2 == 1]
    start = time.perf_counter()
    pairs = match_names(left, right, reference=reference if args.with_reference else None)
    seconds = time.perf_counter() - start
    autos = [p for p in pairs if p.decision == "auto"]
    false = [p for p in autos if (generic_code(p.left_id) or p.left_id) != (generic_code(p.right_id) or p.right_id)]
    print(f"{len(left)} x {len(right)} presentations, {seconds:.1f} s")
    print(f"automatic joins {len(autos)}, of two different generic products {len(false)}")
    for pair in false[: args.show]:
        print(f"  {reference.names[pair.left_id]!r} -> {reference.names[pair.right_id]!r}")
        print(f"      {pair.evidence.text[:200]}")


if __name__ == "__main__":
    main()
