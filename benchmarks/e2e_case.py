"""End-to-end score: a whole two-formulary merge on the e2e case (``../shared/data/e2e-dev``).

    python benchmarks/e2e_case.py [--data DIR] [--harmonise CMD] [--keep DIR] [--json]
                                  [--reference CSV | --no-reference] [-- EXTRA MERGE FLAGS]

Builds a workspace in a temporary folder from ``benchmarks/e2e/`` (``harmonise.yaml`` and ``rules/``) and
the case's ``chapters/`` folder only (never ``truth/``), runs ``harmonise check --all --json`` and ``harmonise
merge --all --json`` as subprocesses, reads each ``chapters/<slug>/harmonised-draft.xlsx`` (and the
working-group workbook) with openpyxl, keys every entry by its row provenance, and scores it against
``truth/<slug>/truth.csv`` and ``near_misses.csv`` as the case's README defines: coverage, pair recall (by
East name style) with every false merge listed, status mapping and adoption, no silent adoption, and the
working-group load against a perfect run's. Exit code 0 when a score was printed; 3 when harmonise crashed or
refused the workspace (the score of whatever it wrote is still printed); 2 for a usage error here.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "e2e-dev"
CHAPTERS = ("01-gastro-intestinal", "11-eye", "13-skin")
FILE_SIDE = {"east": "north", "west": "south"}  # source file stem (and source key) -> truth.csv column prefix
STYLES = ("T1-legacy-abbrev", "T2-dmd", "T3-brand")
# The default scale's labels as the draft workbook shows them (the case's config keeps the default scale).
STATUS_LABELS = {
    "green": "green",
    "amber recommended": "amber-recommended",
    "amber initiated": "amber-initiated",
    "amber retained / shared care": "shared-care",
    "red": "red",
    "black": "black",
    "grey": "grey",
    "non-formulary": "non-formulary",
}
PROVENANCE = re.compile(r"^(?P<file>[^\[]+?)(?:\[(?P<sheet>[^\]]*)\])? row (?P<row>\d+)$")
CANDIDATE = re.compile(r"^(?P<name>.+?) \((?P<source>[a-z][a-z0-9_-]*), (?P<score>\d+)\): ")

Key = tuple[str, int]  # ("north" | "south", row number as the spreadsheet numbers it)


@dataclass(frozen=True)
class TruthLine:
    """One line of truth.csv: a true pair or a one-sided entry."""

    north_row: int | None
    south_row: int | None
    north_name: str
    south_name: str
    north_common: str
    south_common: str
    expected: str
    kind: str
    relation: str
    style: str


@dataclass
class OutputRow:
    """One row of the draft chapter's Harmonised sheet, as the score needs it."""

    number: int
    item: str
    entries: list[Key] = field(default_factory=list)
    names: dict[Key, str] = field(default_factory=dict)
    shown_status: dict[Key, str] = field(default_factory=dict)
    foreign: list[str] = field(default_factory=list)
    match: str = ""
    outcome: str = ""
    harmonised: str = ""
    candidates: list[tuple[str, str]] = field(default_factory=list)

    @property
    def settled(self) -> bool:
        """Whether the row was settled without the working group (adopted, or excluded)."""
        return self.outcome in ("adopted", "excluded")


@dataclass(frozen=True)
class Truth:
    """A chapter's answers: the lines, each entry's line, the true pairs and the near-miss pairs."""

    lines: list[TruthLine]
    entries: dict[Key, TruthLine]
    pairs: dict[tuple[int, int], TruthLine]
    near_misses: set[tuple[int, int]]

    @classmethod
    def of(cls, lines: list[TruthLine], near_misses: set[tuple[int, int]]) -> Truth:
        """Index the lines by entry and by (East row, West row)."""
        entries: dict[Key, TruthLine] = {}
        for line in lines:
            if line.north_row is not None:
                entries["north", line.north_row] = line
            if line.south_row is not None:
                entries["south", line.south_row] = line
        pairs = {
            (line.north_row, line.south_row): line
            for line in lines
            if line.north_row is not None and line.south_row is not None
        }
        return cls(lines, entries, pairs, near_misses)


# ------------------------------------------------------------------------------------------------ running


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Options; anything after ``--`` is passed to ``harmonise merge``."""
    extra: list[str] = []
    if "--" in argv:
        argv, extra = argv[: argv.index("--")], argv[argv.index("--") + 1 :]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the e2e case folder (chapters/, truth/)")
    parser.add_argument(
        "--config", type=Path, default=HERE / "e2e", help="workspace config folder (harmonise.yaml, rules/)"
    )
    parser.add_argument("--harmonise", default=str(Path(sys.executable).parent / "harmonise"), help="the CLI")
    parser.add_argument("--keep", type=Path, help="build the workspace in this new folder and keep it")
    parser.add_argument("--reference", type=Path, help="a BNF Code Information CSV, added as reference:")
    parser.add_argument("--no-reference", action="store_true", help="match without the BNF reference")
    parser.add_argument("--json", action="store_true", help="print the score as JSON")
    parser.add_argument("--limit", type=int, default=40, help="list at most this many items per finding")
    args = parser.parse_args(argv)
    args.extra = extra
    return args


def copy_tree(source: Path, target: Path) -> None:
    """Copy files only (not permissions: the case's files are read-only and harmonise writes beside them)."""
    for path in sorted(source.rglob("*")):
        if path.is_file():
            (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / path.relative_to(source))


def build_workspace(root: Path, data: Path, config: Path, reference: Path | None, off: bool = False) -> None:
    """The workspace a user would have: the config folder (harmonise.yaml, rules/) and the chapter files only;
    ``off`` adds ``reference: none`` (matching without the shipped BNF reference)."""
    root.mkdir(parents=True, exist_ok=True)
    copy_tree(config, root)
    copy_tree(data / "chapters", root / "chapters")
    if off:
        with (root / "harmonise.yaml").open("a", encoding="utf-8") as config_file:
            config_file.write("\n# Added by e2e_case.py --no-reference\nreference: none\n")
    elif reference is not None:
        (root / "reference").mkdir()
        shutil.copyfile(reference, root / "reference" / reference.name)
        with (root / "harmonise.yaml").open("a", encoding="utf-8") as config_file:
            config_file.write(f"\n# Added by e2e_case.py --reference\nreference: reference/{reference.name}\n")


@dataclass(frozen=True)
class Run:
    """One harmonise command: its exit code, parsed JSON (when it printed some) and wall time."""

    command: list[str]
    code: int
    seconds: float
    output: Any
    stderr: str

    @property
    def crashed(self) -> bool:
        """Exit code 2 or 3 (usage or internal error), or no JSON summary (e.g. an import error: exit 1)."""
        return self.code > 1 or not isinstance(self.output, dict)


def run(cli: str, root: Path, args: list[str]) -> Run:
    """Run ``harmonise --workspace ROOT ARGS`` and time it."""
    command = [*shlex.split(cli), "--workspace", str(root), *args]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    try:
        output = json.loads(done.stdout) if done.stdout.strip() else None
    except json.JSONDecodeError:
        output = done.stdout[-2000:]
    return Run(command, done.returncode, seconds, output, done.stderr[-4000:])


# ------------------------------------------------------------------------------------------------ reading


def clean_name(text: str) -> str:
    """A name as truth.csv writes it: NBSP as a space, no registered/trade marks, spaces collapsed."""
    return " ".join(text.replace("\u00a0", " ").replace("®", "").replace("™", "").split())


def optional_int(text: str) -> int | None:
    """A row number cell, or None when empty."""
    return int(text) if text.strip() else None


def read_truth(folder: Path) -> Truth:
    """truth.csv and near_misses.csv of one chapter."""
    with (folder / "truth.csv").open(encoding="utf-8", newline="") as handle:
        lines = [
            TruthLine(
                optional_int(r["north_row"]),
                optional_int(r["south_row"]),
                r["north_name"],
                r["south_name"],
                r["north_common"],
                r["south_common"],
                r["expected"],
                r["kind"],
                r["status_relation"],
                r["north_name_style"],
            )
            for r in csv.DictReader(handle)
        ]
    with (folder / "near_misses.csv").open(encoding="utf-8", newline="") as handle:
        near = {(int(r["north_row"]), int(r["south_row"])) for r in csv.DictReader(handle)}
    return Truth.of(lines, near)


def status_key(label: str) -> str:
    """A shown status label back to its common-scale key (an unknown label is kept, lower-cased)."""
    text = " ".join(label.split()).casefold()
    return STATUS_LABELS.get(text, text)


def source_groups(head: list[str]) -> list[str]:
    """The column-group prefixes of the sources (``Legacy East``...), from their ``: from`` columns."""
    return [h[: -len(": from")] for h in head if h.endswith(": from")]


def split_cell(value: Any) -> list[str]:
    """A multi-entry cell's lines (the draft joins one value per entry with newlines)."""
    return [v for v in str(value).split("\n") if v.strip()] if value not in (None, "") else []


def add_group(row: OutputRow, cells: dict[str, Any], prefix: str) -> None:
    """Put one source's entries of a draft row on ``row``: provenance keys, names and shown statuses."""
    origins = split_cell(cells.get(f"{prefix}: from"))
    names = split_cell(cells.get(f"{prefix}: drug"))
    statuses = [status_key(s) for s in split_cell(cells.get(f"{prefix}: status"))]
    for i, origin in enumerate(origins):
        found = PROVENANCE.match(origin.strip())
        side = FILE_SIDE.get(Path(found["file"]).stem) if found else None
        if not found or side is None:
            row.foreign.append(origin)
            continue
        key: Key = (side, int(found["row"]))
        row.entries.append(key)
        row.names[key] = names[i] if len(names) == len(origins) else ""
        if len(statuses) == 1 or len(statuses) == len(origins):
            row.shown_status[key] = statuses[0 if len(statuses) == 1 else i]
        else:
            row.shown_status[key] = "ambiguous: " + ", ".join(statuses)


def parse_candidates(value: Any) -> list[tuple[str, str]]:
    """The Candidates cell: (side, clean name) of each suggestion, best first."""
    out = []
    for line in split_cell(value):
        found = CANDIDATE.match(line)
        if found and found["source"] in FILE_SIDE:
            out.append((FILE_SIDE[found["source"]], clean_name(found["name"])))
    return out


def read_draft(path: Path) -> list[OutputRow]:
    """Every row of the draft chapter's Harmonised sheet."""
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook["Harmonised"].iter_rows(values_only=True)
        head = [str(h or "") for h in next(rows)]
        out = []
        for number, values in enumerate(rows, start=2):
            cells = dict(zip(head, values, strict=False))
            row = OutputRow(number, str(cells.get("Item") or ""))
            for prefix in source_groups(head):
                add_group(row, cells, prefix)
            row.match = str(cells.get("Match") or "")
            row.outcome = str(cells.get("Outcome") or "")
            row.harmonised = status_key(str(cells.get("Harmonised status") or ""))
            row.candidates = parse_candidates(cells.get("Candidates"))
            out.append(row)
        return out
    finally:
        workbook.close()


def count_wg_items(path: Path) -> int | None:
    """Items of the working-group workbook's Decisions sheet (None when the workbook is missing): its numbered
    rows, less the per-strength rows (``3.1``, ``3.2``) under an item whose formularies list different strengths."""
    if not path.exists():
        return None
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook["Decisions"].iter_rows(min_row=2, max_col=1, values_only=True)
        return sum(1 for (number,) in rows if number not in (None, "") and "." not in str(number))
    finally:
        workbook.close()


# ------------------------------------------------------------------------------------------------ scoring


@dataclass(frozen=True)
class Placement:
    """Where the tool put the entries: its rows, the rows each entry is on, the (East, West) pairs on one row."""

    rows: list[OutputRow]
    where: dict[Key, list[OutputRow]]
    pairs: dict[tuple[int, int], OutputRow]

    @classmethod
    def of(cls, rows: list[OutputRow]) -> Placement:
        """Index a draft's rows (a row holding several entries gives every East x West combination)."""
        where: dict[Key, list[OutputRow]] = {}
        pairs: dict[tuple[int, int], OutputRow] = {}
        for row in rows:
            for key in row.entries:
                where.setdefault(key, []).append(row)
            norths = [k[1] for k in row.entries if k[0] == "north"]
            pairs.update({(n, k[1]): row for n in norths for k in row.entries if k[0] == "south"})
        return cls(rows, where, pairs)


def name_of(line: TruthLine | None, key: Key) -> str:
    """The truth name of an entry ('' when it is not a truth entry)."""
    if line is None:
        return ""
    return line.north_name if key[0] == "north" else line.south_name


def side_name(key: Key) -> str:
    """East or West."""
    return "East" if key[0] == "north" else "West"


def describe(line: TruthLine | None, key: Key) -> str:
    """An entry for a report line: side, row and truth name."""
    return f"{side_name(key)} row {key[1]} " + (repr(name_of(line, key)) if line else "(not a truth entry)")


def keys_of(line: TruthLine) -> list[Key]:
    """The entries of a truth line."""
    keys: list[Key] = []
    if line.north_row is not None:
        keys.append(("north", line.north_row))
    if line.south_row is not None:
        keys.append(("south", line.south_row))
    return keys


def spurious_rows(truth: Truth, placement: Placement) -> list[str]:
    """Output rows, or entries on them, that are not truth entries (a title, heading, header or blank row)."""
    out = []
    for row in placement.rows:
        out += [
            f"row {row.number}: {describe(None, k)} {row.names.get(k, '')!r}"
            for k in row.entries
            if k not in truth.entries
        ]
        out += [f"row {row.number}: provenance {origin!r}" for origin in row.foreign]
        if not row.entries and not row.foreign:
            out.append(f"row {row.number}: {row.item!r} holds no entry")
    return out


def name_mismatches(truth: Truth, placement: Placement) -> list[str]:
    """Entries whose name as shown is not the truth name of the row their provenance cites."""
    out = []
    for row in placement.rows:
        for key in row.entries:
            line, shown = truth.entries.get(key), row.names.get(key, "")
            if line and shown and clean_name(shown) != clean_name(name_of(line, key)):
                out.append(f"{describe(line, key)} shown as {shown!r}")
    return out


def score_coverage(truth: Truth, placement: Placement) -> dict[str, Any]:
    """(1) Every truth entry on exactly one row; nothing else on any row; names agree with the rows cited."""
    rows_of = {key: placement.where.get(key, []) for key in truth.entries}
    return {
        "entries": len(truth.entries),
        "covered_once": sum(1 for rows in rows_of.values() if len(rows) == 1),
        "missing": [describe(truth.entries[k], k) for k, rows in rows_of.items() if not rows],
        "duplicated": [
            f"{describe(truth.entries[k], k)} on rows {[r.number for r in rows]}"
            for k, rows in rows_of.items()
            if len(rows) > 1
        ],
        "spurious": spurious_rows(truth, placement),
        "name_mismatch": name_mismatches(truth, placement),
    }


def suggestion_rank(line: TruthLine, placement: Placement) -> int | None:
    """The best candidate rank (1-based) at which the tool suggested one half of a true pair for the other."""
    targets = {"north": ("south", clean_name(line.south_name)), "south": ("north", clean_name(line.north_name))}
    ranks = [
        row.candidates.index(targets[key[0]]) + 1
        for key in keys_of(line)
        for row in placement.where.get(key, [])
        if targets[key[0]] in row.candidates
    ]
    return min(ranks) if ranks else None


def false_merge(truth: Truth, pair: tuple[int, int], row: OutputRow) -> dict[str, Any]:
    """One false merge with its flags."""
    north, south = truth.entries.get(("north", pair[0])), truth.entries.get(("south", pair[1]))
    return {
        "row": row.number,
        "east": describe(north, ("north", pair[0])),
        "west": describe(south, ("south", pair[1])),
        "match": row.match,
        "near_miss": pair in truth.near_misses,
        "swallowed_one_sided": any(line is not None and line.kind != "pair" for line in (north, south)),
        "outcome": row.outcome,
        "harmonised": row.harmonised,
    }


def missed_pair(line: TruthLine, rank: int | None) -> str:
    """A true pair the tool kept apart, and whether it suggested it."""
    east, west = f"East row {line.north_row} {line.north_name!r}", f"West row {line.south_row} {line.south_name!r}"
    return f"{line.style}: {east} + {west}: {f'candidate #{rank}' if rank else 'not suggested'}"


def score_pairs(truth: Truth, placement: Placement) -> dict[str, Any]:
    """(2) Pair recall overall and by East name style, every false merge, missed pairs among suggestions."""
    true, out = truth.pairs, placement.pairs
    correct = [p for p in true if p in out]
    styles = Counter(true[p].style for p in true)
    found = Counter(true[p].style for p in correct)
    ranks = {p: suggestion_rank(line, placement) for p, line in true.items() if p not in out}
    return {
        "true": len(true),
        "correct": len(correct),
        "by_style": {s: [found[s], styles[s]] for s in STYLES},
        "by_match": dict(Counter(out[p].match for p in correct)),
        "false_merges": [false_merge(truth, p, row) for p, row in out.items() if p not in true],
        "missed": len(ranks),
        "missed_suggested": sum(1 for r in ranks.values() if r),
        "missed_suggested_first": sum(1 for r in ranks.values() if r == 1),
        "missed_list": [missed_pair(true[p], r) for p, r in ranks.items()],
    }


def score_status_mapping(truth: Truth, placement: Placement) -> dict[str, Any]:
    """(3a) Each entry's common status as shown equals the truth's."""
    wrong, checked = [], 0
    for row in placement.rows:
        for key, shown in row.shown_status.items():
            line = truth.entries.get(key)
            if line is None:
                continue
            checked += 1
            expected = line.north_common if key[0] == "north" else line.south_common
            if shown != expected:
                wrong.append(f"{describe(line, key)}: shown {shown!r}, expected {expected!r}")
    return {"checked": checked, "wrong": wrong}


def adoption_verdict(line: TruthLine, row: OutputRow | None) -> str:
    """How a same-status pair came out: right, wrong (another status), escalated (on one row) or apart."""
    if row is None:
        return "apart"
    if not row.settled:
        return "escalated"
    return "right" if row.outcome == "adopted" and row.harmonised == line.expected.removeprefix("adopt:") else "wrong"


def score_adoption(truth: Truth, placement: Placement) -> dict[str, Any]:
    """(3b) Same-status pairs on one row and adopted with exactly that status (grey = grey separately)."""
    tally, by_status = Counter[str](), Counter[str]()
    listed: dict[str, list[str]] = {"wrong": [], "escalated": []}
    for pair, line in truth.pairs.items():
        if not line.expected.startswith("adopt:"):
            continue
        status, row = line.expected.removeprefix("adopt:"), placement.pairs.get(pair)
        group = "grey" if status == "grey" else "ranked"
        verdict = adoption_verdict(line, row)
        tally[f"{group}_total"] += 1
        tally[f"{group}_{verdict}"] += 1
        by_status[status] += verdict == "right"
        if row is not None and verdict in listed:
            shown = f"{row.outcome} {row.harmonised!r}, expected {status!r}" if verdict == "wrong" else row.outcome
            listed[verdict].append(f"row {row.number} [{row.match}] {line.north_name!r} + {line.south_name!r}: {shown}")
    return {**tally, "by_status": dict(by_status), "wrong": listed["wrong"], "merged_not_adopted": listed["escalated"]}


def silent_adoption(line: TruthLine, row: OutputRow) -> dict[str, Any]:
    """A line that should have gone to the working group, and the settled row holding (part of) it."""
    return {
        "row": row.number,
        "kind": line.kind,
        "relation": line.relation,
        "east": line.north_name,
        "west": line.south_name,
        "outcome": row.outcome,
        "harmonised": row.harmonised,
        "row_entries": [f"{side_name(k)} row {k[1]} {row.names.get(k, '')!r}" for k in row.entries],
    }


def score_silent(truth: Truth, placement: Placement) -> dict[str, Any]:
    """(4) No line expected to be escalated comes out adopted (or excluded)."""
    silent, expected = [], [line for line in truth.lines if line.expected == "escalate"]
    for line in expected:
        settled = {r.number: r for k in keys_of(line) for r in placement.where.get(k, []) if r.settled}
        silent += [silent_adoption(line, row) for row in settled.values()]
    return {"expected_escalate": len(expected), "silent": silent}


def score_items(truth: Truth, placement: Placement, wg_items: int | None) -> dict[str, Any]:
    """The working group's load and the number of rows, against a perfect run's."""
    return {
        "output_rows": len(placement.rows),
        "perfect_rows": len(truth.lines),
        "settled_rows": sum(1 for r in placement.rows if r.settled),
        "wg": wg_items,
        "perfect_wg": sum(1 for line in truth.lines if line.expected == "escalate"),
    }


def score_chapter(truth: Truth, rows: list[OutputRow], wg_items: int | None) -> dict[str, Any]:
    """Every part of the score for one chapter."""
    placement = Placement.of(rows)
    return {
        "coverage": score_coverage(truth, placement),
        "pairs": score_pairs(truth, placement),
        "status_mapping": score_status_mapping(truth, placement),
        "adoption": score_adoption(truth, placement),
        "silent": score_silent(truth, placement),
        "items": score_items(truth, placement, wg_items),
    }


# ------------------------------------------------------------------------------------------------ report


def add_scores(a: Any, b: Any) -> Any:
    """Two scores summed: counts added, [found, total] pairs added, lists concatenated, mappings merged."""
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: add_scores(a.get(k), b.get(k)) for k in {**a, **b}}
    if a is None or b is None:
        return a if b is None else b
    if isinstance(a, list) and a and all(isinstance(x, int) for x in a):
        return [x + y for x, y in zip(a, b, strict=True)]
    return a + b


def pct(part: int, whole: int) -> str:
    """``part/whole (x.x%)``."""
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else f"{part}/0"


def table_rows(score: dict[str, Any]) -> list[tuple[str, str]]:
    """The summary lines of one chapter's (or the total's) score."""
    cov, pairs, adopt, items = score["coverage"], score["pairs"], score["adoption"], score["items"]
    merges = pairs["false_merges"]
    near, swallowed = sum(f["near_miss"] for f in merges), sum(f["swallowed_one_sided"] for f in merges)
    suggested = f"{pairs['missed_suggested']}/{pairs['missed']} ({pairs['missed_suggested_first']})"
    silent = score["silent"]
    return [
        ("entries covered once", pct(cov["covered_once"], cov["entries"])),
        (
            "missing / duplicated / spurious",
            " / ".join(str(len(cov[k])) for k in ("missing", "duplicated", "spurious")),
        ),
        ("pair recall", pct(pairs["correct"], pairs["true"])),
        *((f"  recall {s}", pct(*pairs["by_style"][s])) for s in STYLES),
        ("false merges (near miss / swallowed 1-sided)", f"{len(merges)} ({near} / {swallowed})"),
        ("unmerged true pairs suggested (as #1)", suggested),
        ("status shown wrong", f"{len(score['status_mapping']['wrong'])} of {score['status_mapping']['checked']}"),
        ("same status adopted right (not grey)", pct(adopt.get("ranked_right", 0), adopt.get("ranked_total", 0))),
        ("grey = grey adopted as grey", pct(adopt.get("grey_right", 0), adopt.get("grey_total", 0))),
        ("adopted with another status", str(len(adopt["wrong"]))),
        ("silent adoptions", f"{len(silent['silent'])} of {silent['expected_escalate']}"),
        ("working-group items (perfect)", f"{items['wg']} ({items['perfect_wg']})"),
        ("output rows (perfect)", f"{items['output_rows']} ({items['perfect_rows']})"),
    ]


def render_table(scores: dict[str, dict[str, Any]]) -> str:
    """A fixed-width table: one column per chapter and the total."""
    columns = {name: dict(table_rows(score)) for name, score in scores.items()}
    labels = list(next(iter(columns.values())))
    width = max(len(label) for label in labels)
    widths = {n: max(len(n), *(len(v) for v in c.values())) for n, c in columns.items()}
    lines = [" " * width + "  " + "  ".join(n.rjust(widths[n]) for n in columns)]
    for label in labels:
        lines.append(label.ljust(width) + "  " + "  ".join(columns[n][label].rjust(widths[n]) for n in columns))
    return "\n".join(lines)


def merge_text(merge: dict[str, Any]) -> str:
    """One false merge as a report line."""
    flags = [merge["match"], "near miss" if merge["near_miss"] else "NOT a near miss"]
    flags += ["swallowed a one-sided entry"] if merge["swallowed_one_sided"] else []
    flags += [f"{merge['outcome']} {merge['harmonised']}".strip()]
    return f"row {merge['row']} [{'; '.join(flags)}]: {merge['east']} + {merge['west']}"


def silent_text(silent: dict[str, Any]) -> str:
    """One silent adoption as a report line."""
    what = f"{silent['kind']}/{silent['relation']}: {silent['east']!r} + {silent['west']!r}"
    return f"row {silent['row']} {what} -> {silent['outcome']} {silent['harmonised']} (row: {silent['row_entries']})"


def listings(name: str, score: dict[str, Any], limit: int) -> Iterator[str]:
    """The itemised findings of one chapter (false merges, silent adoptions, coverage and status problems)."""
    sections: list[tuple[str, Iterable[str]]] = [
        ("false merges", map(merge_text, score["pairs"]["false_merges"])),
        ("silent adoptions", map(silent_text, score["silent"]["silent"])),
        ("adopted with another status", score["adoption"]["wrong"]),
        ("missing entries", score["coverage"]["missing"]),
        ("entries on two or more rows", score["coverage"]["duplicated"]),
        ("spurious rows", score["coverage"]["spurious"]),
        ("shown name differs from the truth name of the row cited", score["coverage"]["name_mismatch"]),
        ("status shown wrong", score["status_mapping"]["wrong"]),
        ("same-status pairs on one row but not adopted", score["adoption"]["merged_not_adopted"]),
        ("true pairs not on one row", score["pairs"]["missed_list"]),
    ]
    for title, items in sections:
        found = list(items)
        if found:
            yield f"\n{name}: {title} ({len(found)})"
            yield from (f"  {text}" for text in found[:limit])
            if len(found) > limit:
                yield f"  ... {len(found) - limit} more (--json lists all)"


def render_runs(runs: dict[str, Run], total: float) -> str:
    """The harmonise commands' exit codes and times."""
    lines = []
    for name, r in runs.items():
        lines.append(f"harmonise {name}: exit {r.code}, {r.seconds:.2f} s{' FAILED' if r.crashed else ''}")
        lines += [f"  | {line}" for line in r.stderr.strip().splitlines()[-12:]] if r.crashed else []
    return "\n".join([*lines, f"wall time (workspace + commands + scoring): {total:.2f} s"])


# ------------------------------------------------------------------------------------------------ main


def score_workspace(root: Path, data: Path) -> dict[str, dict[str, Any]]:
    """Score every chapter the workspace wrote (a chapter without a draft counts as all missing)."""
    scores = {}
    for slug in CHAPTERS:
        draft = root / "chapters" / slug / "harmonised-draft.xlsx"
        rows = read_draft(draft) if draft.exists() else []
        wg = count_wg_items(root / "reports" / slug / "working-group.xlsx")
        scores[slug] = score_chapter(read_truth(data / "truth" / slug), rows, wg)
        scores[slug]["draft"] = str(draft) if draft.exists() else None
    return scores


def print_report(
    args: argparse.Namespace, root: Path, runs: dict[str, Run], scores: dict[str, Any], seconds: float
) -> None:
    """The readable report: commands, the summary table, then each chapter's itemised findings."""
    print(f"e2e case {args.data} -> workspace {root}\n{render_runs(runs, seconds)}\n")
    print(render_table(scores))
    for name, score in scores.items():
        if name == "total":
            continue
        if score["draft"] is None:
            print(f"\n{name}: no draft chapter workbook was written")
            continue
        found = "\n".join(listings(name, score, args.limit))
        if found:
            print(found)


def execute(args: argparse.Namespace, root: Path) -> int:
    """Build the workspace in ``root``, run harmonise, print the score; the exit code."""
    start = time.perf_counter()
    build_workspace(root, args.data, args.config, args.reference, args.no_reference)
    runs = {
        "check": run(args.harmonise, root, ["check", "--all", "--json"]),
        "merge": run(args.harmonise, root, ["merge", "--all", "--json", *args.extra]),
    }
    scores = score_workspace(root, args.data)
    scores["total"] = functools.reduce(add_scores, scores.values())
    scores["total"]["draft"] = None
    if args.json:
        tool = {name: {**asdict(r), "crashed": r.crashed} for name, r in runs.items()}
        seconds = time.perf_counter() - start
        print(json.dumps({"workspace": str(root), "runs": tool, "seconds": seconds, "scores": scores}, indent=1))
    else:
        print_report(args, root, runs, scores, time.perf_counter() - start)
    return 3 if any(r.crashed for r in runs.values()) else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not (args.data / "truth").is_dir() or not (args.config / "harmonise.yaml").is_file():
        print(f"error: need {args.data}/truth and {args.config}/harmonise.yaml", file=sys.stderr)
        return 2
    if args.keep is not None:
        if args.keep.exists() and any(args.keep.iterdir()):
            print(f"error: --keep {args.keep} exists and is not empty", file=sys.stderr)
            return 2
        return execute(args, args.keep.resolve())
    with tempfile.TemporaryDirectory(prefix="harmonise-e2e-") as tmp:
        return execute(args, Path(tmp) / "workspace")


if __name__ == "__main__":
    sys.exit(main())
