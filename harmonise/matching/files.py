"""Files in and out of the matcher: two name lists (CSV or xlsx, columns ``id``, ``name`` and optional
``bnf_chapter``) in, one matches CSV (``left_id,right_id,decision,score,rank,evidence``) out, written
atomically so a failed run never leaves half a file."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from harmonise.errors import InputError, ProblemLog, did_you_mean
from harmonise.matching.match import match_names
from harmonise.matching.pairs import MatchSettings, Named, Pair
from harmonise.matching.reference import load_reference, shipped_pack
from harmonise.output import csv_safe, write_text
from harmonise.sources import read_tables

REQUIRED = ("id", "name")
OPTIONAL = ("bnf_chapter",)
OUTPUT_COLUMNS = ("left_id", "right_id", "decision", "score", "rank", "evidence")


@dataclass(frozen=True)
class MatchSummary:
    """Counts for the command line: rows read, auto matches, left ids with candidates, unmatched left ids."""

    left_rows: int
    right_rows: int
    auto: int
    candidates: int
    left_with_candidates: int
    left_unmatched: int
    out_path: str

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def read_names(path: Path) -> list[Named]:
    """Read ``id,name[,bnf_chapter]`` rows from the first sheet of a CSV or xlsx file."""
    display = str(path)
    tables = read_tables(Path(path), display)
    if not tables or not tables[0].rows:
        raise InputError(f"{display}: the file is empty; expected a header with columns id, name")
    table = tables[0]
    where = f"{display}[{table.sheet}]" if table.sheet else display
    header = [c.text.strip().lower() for c in table.rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        hints = "".join(did_you_mean(m, header) for m in missing)
        raise InputError(
            f"{where} row 1: missing column(s) {', '.join(map(repr, missing))}{hints} "
            f"(found: {', '.join(h for h in header if h) or 'nothing'})"
        )
    col = {name: header.index(name) for name in (*REQUIRED, *OPTIONAL) if name in header}
    return _rows(table.rows[1:], col, where)


def _rows(rows: list, col: dict[str, int], where: str) -> list[Named]:
    problems = ProblemLog()
    seen: dict[str, int] = {}
    out: list[Named] = []
    for number, row in enumerate(rows, start=2):
        cells = [c.text.strip() for c in row]
        value = {name: cells[i] if i < len(cells) else "" for name, i in col.items()}
        if not any(cells):
            continue
        if not value["id"]:
            problems.add(f"{where} row {number}", "the id is empty", "column 'id'")
        elif value["id"] in seen:
            problems.add(
                f"{where} row {number}",
                f"duplicate id {value['id']!r} (first on row {seen[value['id']]})",
                "column 'id'",
            )
        elif not value["name"]:
            problems.add(f"{where} row {number}", "the name is empty", "column 'name'")
        else:
            seen[value["id"]] = number
            out.append(Named(value["id"], value["name"], value.get("bnf_chapter", "")))
    problems.raise_if_any(f"{where}: cannot match this list")
    return out


def render_csv(pairs: list[Pair]) -> str:
    """The matches CSV text (``\\n`` line ends, fields safe to open in a spreadsheet)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    for p in pairs:
        writer.writerow(
            [
                csv_safe(p.left_id),
                csv_safe(p.right_id),
                p.decision,
                f"{p.evidence.score:.1f}",
                p.rank,
                csv_safe(p.evidence.text),
            ]
        )
    return buffer.getvalue()


def summarise(left: list[Named], right: list[Named], pairs: list[Pair], out_path: Path) -> MatchSummary:
    decisions = Counter(p.decision for p in pairs)
    auto_left = {p.left_id for p in pairs if p.decision == "auto"}
    cand_left = {p.left_id for p in pairs if p.decision == "candidate"} - auto_left
    return MatchSummary(
        len(left),
        len(right),
        decisions["auto"],
        decisions["candidate"],
        len(cand_left),
        len(left) - len(auto_left) - len(cand_left),
        str(out_path),
    )


def match_files(
    left_path: Path,
    right_path: Path,
    out_path: Path,
    reference_path: Path | None = None,
    settings: MatchSettings = MatchSettings(),
    use_reference: bool = True,
) -> MatchSummary:
    """Match two name files and write the matches CSV to ``out_path``; returns a summary of counts.

    The BNF reference is on by default: ``reference_path`` (a release CSV or a pack) or else the shipped pack;
    ``use_reference=False`` matches with the drug knowledge alone.
    """
    left, right = read_names(Path(left_path)), read_names(Path(right_path))
    path = (Path(reference_path) if reference_path else shipped_pack()) if use_reference else None
    reference = load_reference(path) if path else None
    pairs = match_names(left, right, reference=reference, settings=settings)
    write_text(Path(out_path), render_csv(pairs))
    return summarise(left, right, pairs, Path(out_path))
