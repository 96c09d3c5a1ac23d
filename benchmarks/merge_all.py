"""Benchmark: ``harmonise merge --all`` on a generated full formulary next to its I/O floor.

    python benchmarks/merge_all.py [--chapters 15] [--rows 400] [--repeat 3]
    python benchmarks/merge_all.py --profile [--chapters 15] [--rows 400]   # where a merge's time goes

The floor is, in the same run, what no merge can avoid: reading the same input spreadsheets with the same reader
(``harmonise.sources.read_tables``), and writing exactly the workbooks the merge writes, with the same writer. The
workbooks are not rebuilt here: a merge of the same workspace is run once with the writer's entry point
(``harmonise.output`` ``workbook_bytes``) recorded, and the floor writes the very ``Sheet`` lists, footers and
structure locks the merge handed to it (every sheet of every workbook: the draft's Harmonised, Summary and Rules
sheets, the working-group workbook's Instructions, Decisions and hidden Lists, Items and About sheets, and any sheet
added later), through the same atomic file writing. The ratio merge / floor says what the matching, the rules and
the bookkeeping (building the rows, the audit log, the outcome state) cost on top of unavoidable I/O. The floor
reads and writes under the garbage collector settings the merge reads and writes under (paused while reading, the
objects alive before the writing frozen while writing: ``harmonise.merge.collector``), so that what the collector
costs the I/O is the same on both sides and what it spares the matching counts as the merge's own. The merge is
timed twice per run: with the processes it uses by default (``HARMONISE_WORKERS``, one per core: the main process
reads every input and puts every workbook in place, the workers match, decide, build the sheets' rows and pack
them as xlsx, as the main process does for the chapters it merges itself) and with
``HARMONISE_WORKERS=1`` (everything in one process, as the floor); and the floor is also timed with its files
shared out over as many processes as the merge uses by default (what a merge that also wrote in several processes
could not avoid). Each merge
runs as the command does, in a fresh process on a fresh copy of the workspace (merges repeated in one long process
on one workspace, which also read the workbooks they overwrite, measured up to twice as slow as the command). For
comparison, the same sheets written with openpyxl as harmonise wrote workbooks before issue 15 (styled header,
long-text columns wrapped, widths, frozen header, filter, the package re-zipped without times; no row heights,
print setup, fills, validations or protection).

``--profile`` runs one merge in this process under cProfile and prints the time per stage of the package (own
time, so the stages add up to the whole), then the functions with the most time under them and the most own time.
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

from formulary_gen import generate, size_arguments

import harmonise.output.xlsx as writer
from harmonise.matching import each_in_workers, usable_workers
from harmonise.merge import MergeRun, collector_paused, heap_frozen, run_merge
from harmonise.output import Footer, Sheet, write_bytes, write_workbook
from harmonise.sources import find_source_file, read_tables
from harmonise.workspace import load_workspace

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Written:
    """One workbook as the merge handed it to the writer."""

    sheets: Sequence[Sheet]
    footer: Footer
    lock_structure: bool


@contextlib.contextmanager
def recorded() -> Iterator[list[Written]]:
    """Record every workbook written inside the block (what ``write_workbook`` hands to ``workbook_bytes``)."""
    written: list[Written] = []
    original = writer.workbook_bytes

    def recording(sheets: Sequence[Sheet], footer: Footer, lock_structure: bool = False) -> bytes:
        written.append(Written(list(sheets), footer, lock_structure))
        return original(sheets, footer, lock_structure)

    with mock.patch.object(writer, "workbook_bytes", recording):
        yield written


def merge_recorded(source: Path, scratch: Path) -> tuple[MergeRun, list[Written]]:
    """Merge a fresh copy of ``source`` as the command does, recording the workbooks it writes (in one process: a
    forked worker's recording would not come back)."""
    root = Path(shutil.copytree(source, scratch / "ws"))
    workspace = load_workspace(root)
    with recorded() as written, mock.patch.dict(os.environ, {"HARMONISE_WORKERS": "1"}):
        run = run_merge(workspace, list(workspace.chapters_present()))
    return run, written


def with_xlsxwriter(target: Path, book: Written) -> None:
    write_workbook(target, book.sheets, book.footer, book.lock_structure)


def with_openpyxl(target: Path, book: Written) -> None:
    """The sheets written the way harmonise wrote workbooks before issue 15, for comparison."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = "harmonise"
    for spec in book.sheets:
        openpyxl_sheet(workbook.create_sheet(spec.name), spec)
    packed = io.BytesIO()
    workbook.save(packed)
    write_bytes(target, rezipped(packed.getvalue()))


def openpyxl_sheet(sheet: Any, spec: Sheet) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wrap = Alignment(wrap_text=True, vertical="top")
    heads = [c.header for c in spec.columns]
    if spec.header:
        sheet.append(heads)
        for cell in sheet[1]:
            cell.font, cell.fill, cell.alignment = Font(bold=True, color="FFFFFF"), PatternFill("solid", "1F4E79"), wrap
    longest = [len(h) if spec.header else 0 for h in heads]
    for values in spec.rows:
        sheet.append([None if v == "" else v for v in values])
        for i, value in enumerate(values[: len(heads)]):
            longest[i] = max(longest[i], min(len(value if isinstance(value, str) else str(value)), 60))
    first = 2 if spec.header else 1
    for col, width in enumerate(longest, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = max(8, width + 2)
        if width >= 60:  # long text (names, evidence, rationale) wraps
            for (cell,) in sheet.iter_rows(min_row=first, min_col=col, max_col=col):
                cell.alignment = wrap
    if spec.header:
        sheet.freeze_panes = "A2"
        if spec.rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{len(spec.rows) + 1}"
    if spec.hidden:
        sheet.sheet_state = "hidden"


def rezipped(payload: bytes) -> bytes:
    """The package again with every entry dated 1980-01-01, as harmonise saved openpyxl workbooks."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(payload)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            target.writestr(entry, source.read(info))
    return out.getvalue()


def io_floor(root: Path, written: list[Written], write: Callable[[Path, Written], None], processes: int = 1) -> float:
    """Read every input spreadsheet, then write every workbook the merge wrote, with ``write``; under the garbage
    collector settings the merge reads and writes under (``harmonise.merge.collector``). With several
    ``processes``, the files are shared out over this process and forked ones, as the merge shares its chapters."""
    workspace = load_workspace(root)
    inputs = [
        path
        for chapter in workspace.chapters_present()
        for source in workspace.sources_for(chapter)
        for path in find_source_file(workspace, chapter, source)
    ]

    def share(part: int) -> None:
        with collector_paused():
            for path in inputs[part::processes]:
                read_tables(path, path.name)
            with heap_frozen():
                for number in range(part, len(written), processes):
                    write(root / "floor" / f"{number:03d}.xlsx", written[number])

    start = time.perf_counter()
    list(each_in_workers(share, processes, processes - 1, helping=True))
    return time.perf_counter() - start


def timed_merge(root: Path, workers: str | None = None) -> float:
    """``merge --all`` of ``root`` as the command runs it: a fresh process, a workspace never merged before
    (a later merge also reads the working-group workbooks it would overwrite); ``workers`` sets
    ``HARMONISE_WORKERS`` (None: as this process has it, by default one per core)."""
    child = [sys.executable, __file__, "--one", str(root)]
    env = {**os.environ, "HARMONISE_WORKERS": workers} if workers else None
    done = subprocess.run(child, capture_output=True, text=True, check=True, cwd=root.parent, env=env)
    return float(done.stdout.split()[-1])


def merge_one(root: Path) -> None:
    workspace = load_workspace(root)
    start = time.perf_counter()
    run_merge(workspace, list(workspace.chapters_present()))
    print(f"{time.perf_counter() - start:.3f}")


def stage_of(filename: str) -> str:
    """``harmonise/<stage>`` for the package's files, the distribution for other packages, else Python."""
    parts = Path(filename).parts
    if "harmonise" in parts and "site-packages" not in parts:
        inner = parts[parts.index("harmonise") + 1 :]
        return "harmonise/" + (inner[0] if len(inner) > 1 else inner[0].removesuffix(".py"))
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1]
    return "python (standard library, built-ins)"


def profile(source: Path, scratch: Path) -> None:
    """One merge of a fresh copy under cProfile: own time per stage, then the heaviest functions."""
    root = Path(shutil.copytree(source, scratch / "profiled"))
    workspace = load_workspace(root)
    profiler = cProfile.Profile()
    profiler.runcall(run_merge, workspace, list(workspace.chapters_present()))
    stats = pstats.Stats(profiler)
    own: Counter[str] = Counter()
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        own[stage_of(filename)] += tottime
    whole = sum(own.values())
    print(f"merge --all under cProfile: {whole:.2f} s of own time (the profiler slows Python code down)")
    for stage, seconds in own.most_common():
        print(f"  {stage:44}{seconds:>8.2f} s{100 * seconds / whole:>6.1f}%")
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(30)


def compare(source: Path, tmp: Path, repeat: int) -> None:
    run, written = merge_recorded(source, tmp / "recorded")
    sheets = sum(len(book.sheets) for book in written)
    rows = sum(len(spec.rows) for book in written for spec in book.sheets)
    processes = usable_workers()
    merge, one, floor = f"merge --all, {processes} proc", "merge --all, 1 proc", f"I/O floor, {processes} proc"
    times: dict[str, list[float]] = {merge: [], one: [], "I/O floor": [], floor: [], "I/O floor, openpyxl": []}
    for n in range(repeat):
        root = Path(shutil.copytree(source, tmp / f"run{n}" / "ws"))
        times[merge].append(timed_merge(root))
        times[one].append(timed_merge(Path(shutil.copytree(source, tmp / f"run{n}" / "one")), workers="1"))
        times["I/O floor"].append(io_floor(root, written, with_xlsxwriter))
        times[floor].append(io_floor(root, written, with_xlsxwriter, processes))
        times["I/O floor, openpyxl"].append(io_floor(root, written, with_openpyxl))
    items = sum(len(m.results) for m in run.chapters)
    entries = sum(len(m.loaded.entries) for m in run.chapters)
    print(f"merge --all: {len(run.chapters)} chapters, {entries} entries -> {items} items")
    print(f"the floor writes what the merge wrote: {len(written)} workbooks, {sheets} sheets, {rows} rows")
    print(f"{'':24}{'median s':>10}{'runs':>28}")
    medians = {name: statistics.median(runs) for name, runs in times.items()}
    for name, runs in times.items():
        print(f"{name:24}{medians[name]:>10.2f}{'  ' + ', '.join(f'{t:.2f}' for t in runs):>28}")
    print(f"{'ratio merge / floor':24}{medians[merge] / medians['I/O floor']:>10.2f}  (both: one process's I/O)")
    print(f"{'ratio, 1 proc / floor':24}{medians[one] / medians['I/O floor']:>10.2f}")
    print(f"{f'ratio, {processes} proc / {processes} proc':24}{medians[merge] / medians[floor]:>10.2f}")
    print(f"{'floor openpyxl / floor':24}{medians['I/O floor, openpyxl'] / medians['I/O floor']:>10.2f}")


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        merge_one(Path(sys.argv[2]))
        return
    args = size_arguments(__doc__ or "", flags=("--profile",))
    rules_text = (REPO / "rules" / "default.yaml").read_text(encoding="utf-8")
    tmp = Path(tempfile.mkdtemp(prefix="harmonise-bench-"))
    try:
        source = generate(tmp / "source" / "ws", args.chapters, args.rows, rules_text=rules_text)
        if args.profile:
            profile(source, tmp)
        else:
            compare(source, tmp, args.repeat)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
