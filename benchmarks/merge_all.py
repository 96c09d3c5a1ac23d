"""Benchmark: ``harmonise merge --all`` on a generated full formulary next to its I/O floor.

    python benchmarks/merge_all.py [--chapters 15] [--rows 400] [--repeat 3]

The floor is, in the same run: reading the same input workbooks with the same reader, and writing workbooks of the
same shape (same rows, same columns, the same ``harmonise.output`` sheets: fitted widths, row heights, frozen panes,
print setup) with the same writer (XlsxWriter). The ratio merge / floor says how much the matching, rules and
bookkeeping cost on top of unavoidable I/O. Each merge runs as the command does, in a fresh process on a fresh copy
of the workspace (merges repeated in one long process on one workspace, which also read the workbooks they
overwrite, measured up to twice as slow as the command). For comparison, the same floor written with openpyxl as
harmonise wrote workbooks before issue 15 (styled header, wrapped columns, widths, frozen header; no row heights or
print setup).
"""

from __future__ import annotations

import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from formulary_gen import generate, size_arguments

from harmonise.merge import headers, row, run_merge, unsettled
from harmonise.output import Footer, Sheet, columns, write_bytes, write_workbook
from harmonise.sources import find_source_file, read_tables
from harmonise.workspace import load_workspace

REPO = Path(__file__).resolve().parent.parent


def with_xlsxwriter(target: Path, head: list[str], rows: list[list[Any]]) -> None:
    write_workbook(target, [Sheet("Harmonised", columns(head), rows, frozen=2)], Footer("Chapter", "floor"))


def with_openpyxl(target: Path, head: list[str], rows: list[list[Any]]) -> None:
    """The rows written the way harmonise wrote workbooks before issue 15, for comparison."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(head)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E79")
    for values in rows:
        sheet.append(values)
    wrap = Alignment(wrap_text=True, vertical="top")
    for (cell,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.alignment = wrap
    sheet.freeze_panes = "A2"
    packed = io.BytesIO()
    workbook.save(packed)
    write_bytes(target, packed.getvalue())


def io_floor(root: Path, merged: list, write: Callable[[Path, list[str], list[list[Any]]], None]) -> float:
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
            write(root / "floor" / merge.chapter.slug / name, head, rows[:count])
    return time.perf_counter() - start


def timed_merge(root: Path) -> float:
    """``merge --all`` of ``root`` as the command runs it: a fresh process, a workspace never merged before
    (a later merge also reads the working-group workbooks it would overwrite)."""
    child = [sys.executable, __file__, "--one", str(root)]
    done = subprocess.run(child, capture_output=True, text=True, check=True, cwd=root.parent)
    return float(done.stdout.split()[-1])


def merge_one(root: Path) -> None:
    workspace = load_workspace(root)
    start = time.perf_counter()
    run_merge(workspace, list(workspace.chapters_present()))
    print(f"{time.perf_counter() - start:.3f}")


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        merge_one(Path(sys.argv[2]))
        return
    args = size_arguments(__doc__ or "")
    rules_text = (REPO / "rules" / "default.yaml").read_text(encoding="utf-8")
    tmp = Path(tempfile.mkdtemp(prefix="harmonise-bench-"))
    try:
        source = generate(tmp / "ws", args.chapters, args.rows, rules_text=rules_text)
        workspace = load_workspace(source)
        result = run_merge(workspace, list(workspace.chapters_present()), write=False)  # the rows the floor writes
        times: dict[str, list[float]] = {"merge --all": [], "I/O floor": [], "I/O floor, openpyxl": []}
        for n in range(args.repeat):
            root = Path(shutil.copytree(source, tmp / f"run{n}" / "ws"))
            times["merge --all"].append(timed_merge(root))
            times["I/O floor"].append(io_floor(root, result.chapters, with_xlsxwriter))
            times["I/O floor, openpyxl"].append(io_floor(root, result.chapters, with_openpyxl))
        items = sum(len(m.results) for m in result.chapters)
        entries = sum(len(m.loaded.entries) for m in result.chapters)
        print(
            f"merge --all: {args.chapters} chapters x 2 sources x {args.rows} rows = {entries} entries -> {items} items"
        )
        print(f"{'':24}{'median s':>10}{'runs':>28}")
        medians = {name: statistics.median(runs) for name, runs in times.items()}
        for name, runs in times.items():
            print(f"{name:24}{medians[name]:>10.2f}{'  ' + ', '.join(f'{t:.2f}' for t in runs):>28}")
        print(f"{'ratio merge / floor':24}{medians['merge --all'] / medians['I/O floor']:>10.2f}")
        print(f"{'floor openpyxl / floor':24}{medians['I/O floor, openpyxl'] / medians['I/O floor']:>10.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
