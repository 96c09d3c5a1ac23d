"""Benchmark: how a merge's time and memory grow with the entries of one source in a chapter (issue 15 item 6).

    python benchmarks/chapter_size.py [--entries 10000 20000 60000]

Each size runs in a fresh process: a generated two-source chapter (``formulary_gen``, 400 rows from the second
source) whose first source lists N distinct products of seven substances (``Amlodipine 1234``, as
``tests/test_bad_inputs.py``'s big chapter), merged and written as ``harmonise merge`` does, with the entry bound
lifted. Printed per size: wall seconds, peak memory (ru_maxrss), and per entry. The figures set
``harmonise.merge.limits.MAX_CHAPTER_ENTRIES``.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from formulary_gen import HEADER_A, generate, write

SUBSTANCES = ("Amlodipine", "Atorvastatin", "Ramipril", "Bisoprolol", "Furosemide", "Simvastatin", "Losartan")


def measure(entries: int) -> None:
    """Merge one chapter whose first source lists ``entries`` products; print time and peak memory."""
    import harmonise.merge.limits as limits
    from harmonise.merge import run_merge
    from harmonise.workspace import load_workspace

    limits.MAX_CHAPTER_ENTRIES = sys.maxsize
    rules = (Path(__file__).resolve().parent.parent / "rules" / "default.yaml").read_text(encoding="utf-8")
    root = generate(Path(tempfile.mkdtemp(prefix="harmonise-size-")) / "ws", 1, 400, rules_text=rules)
    rows = [
        ["1.5", f"{SUBSTANCES[i % 7]} {i}", f"Tablets {i % 50 + 1}mg", "Green", "1st", "Formulary", "", "", f"A{i}"]
        for i in range(entries)
    ]
    write(next(root.glob("chapters/*/alpha.xlsx")), HEADER_A, rows)
    workspace = load_workspace(root)
    start = time.perf_counter()
    run_merge(workspace, list(workspace.chapters_present()))
    seconds, peak = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{entries:>10,}{seconds:>10.1f}{peak:>10.0f}{seconds / entries * 1000:>10.2f}{peak * 1024 / entries:>10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[10_000, 20_000, 60_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process: measure one size
    args = parser.parse_args()
    if args.one:
        measure(args.one)
        return
    print(f"{'entries':>10}{'seconds':>10}{'peak MB':>10}{'ms/entry':>10}{'KB/entry':>10}")
    for entries in args.entries:
        subprocess.run([sys.executable, __file__, "--one", str(entries)], check=True)


if __name__ == "__main__":
    main()
