"""Benchmark: ``harmonise merge --all`` on a generated full formulary next to its I/O floor.

    python benchmarks/merge_all.py [--chapters 15] [--rows 400] [--repeat 3]

The floor is, in the same run: reading the same input workbooks with the same reader, and writing
workbooks of the same shape (same rows, same columns, same styling helpers) with the same writer. The
ratio merge / floor says how much the matching, rules and bookkeeping cost on top of unavoidable I/O.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from formulary_gen import generate

from harmonise.merge import headers, row, run_merge, unsettled
from harmonise.output import new_workbook, save, write_table
from harmonise.sources import find_source_file, read_tables
from harmonise.workspace import load_workspace

REPO = Path(__file__).resolve().parent.parent


def io_floor(root: Path, merged: list) -> float:
    """Read every input and write workbooks with the same rows and columns as the merge wrote."""
    workspace = load_workspace(root)
    start = time.perf_counter()
    for chapter in workspace.chapters_present():
        for source in workspace.sources:
            for path in find_source_file(workspace, chapter, source):
                read_tables(path, path.name)
    for merge in merged:
        head = headers(workspace, merge)
        rows = [row(workspace, r) for r in merge.results]
        for name, count in (("floor-draft.xlsx", len(rows)), ("floor-wg.xlsx", len(unsettled(merge)))):
            workbook = new_workbook()
            write_table(workbook.create_sheet("Harmonised"), head, rows[:count])
            save(workbook, root / "floor" / merge.chapter.slug / name)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chapters", type=int, default=15)
    parser.add_argument("--rows", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rules_text = (REPO / "rules" / "default.yaml").read_text(encoding="utf-8")
    tmp = Path(tempfile.mkdtemp(prefix="harmonise-bench-"))
    try:
        root = generate(tmp / "ws", args.chapters, args.rows, rules_text=rules_text)
        workspace = load_workspace(root)
        merges, floors = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = run_merge(workspace, list(workspace.chapters_present()))
            merges.append(time.perf_counter() - start)
            floors.append(io_floor(root, result.chapters))
        items = sum(len(m.results) for m in result.chapters)
        entries = sum(len(m.loaded.entries) for m in result.chapters)
        merge_s, floor_s = statistics.median(merges), statistics.median(floors)
        print(
            f"merge --all: {args.chapters} chapters x 2 sources x {args.rows} rows = {entries} entries -> {items} items"
        )
        print(f"{'':24}{'median s':>10}{'runs':>28}")
        print(f"{'merge --all':24}{merge_s:>10.2f}{'  ' + ', '.join(f'{t:.2f}' for t in merges):>28}")
        print(f"{'I/O floor':24}{floor_s:>10.2f}{'  ' + ', '.join(f'{t:.2f}' for t in floors):>28}")
        print(f"{'ratio merge / floor':24}{merge_s / floor_s:>10.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
