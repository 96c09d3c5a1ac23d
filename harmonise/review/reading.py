"""Reading a working-group workbook: open it safely, check it is one this workspace's merge wrote for this
chapter (its signature, ``signing``) and that its hidden sheets and headings are untouched, gather what it
showed the group for each item, and find which items the merge that wrote it escalated (``provenance``).

Anything wrong here refuses the whole workbook (nothing is imported); row-level problems are ``validation``'s.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeXml
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from harmonise.errors import InputError, Problem
from harmonise.model import Chapter
from harmonise.review.layout import (
    ABOUT_SHEET,
    DECISION_COLUMNS,
    DECISION_SHEET,
    EARLIER_DECISION_COLUMNS,
    FORMAT,
    ITEM_COLUMNS,
    ITEMS_SHEET,
    KEY_COLUMN,
    UNSIGNED_FORMAT,
)
from harmonise.review.provenance import RunOutcome, run_outcomes
from harmonise.review.recording import audit_log
from harmonise.review.register import (
    DecidedEntry,
)
from harmonise.review.signing import check_signature
from harmonise.sources import check_zip
from harmonise.workspace import Workspace


@dataclass(frozen=True)
class SeenItem:
    """What the workbook showed the group for one item (from its hidden Items sheet)."""

    key: str
    name: str
    entries: tuple[DecidedEntry, ...]
    candidates: tuple[DecidedEntry, ...]
    checks: tuple[str, ...]
    vetoes: tuple[str, ...] = ()
    of: str = ""  # the escalated item the row decides ('' in a format 1 workbook: the row's own key)

    def veto(self, candidate: DecidedEntry) -> str:
        """Why the matcher vetoed this candidate ('' when it did not, or the workbook predates vetoes)."""
        index = self.candidates.index(candidate)
        return self.vetoes[index] if index < len(self.vetoes) else ""


@dataclass
class ReadContext:
    """One workbook being read: its file name for messages, its items, the workspace's words."""

    workspace: Workspace
    file: str
    chapter: Chapter
    items: dict[str, SeenItem]
    head: list[str]
    info_count: int
    user: str
    now: str
    problems: list[Problem] = field(default_factory=list)
    filled: dict[int, str] = field(default_factory=dict)  # row -> what was typed there, for messages
    row_problems: dict[int, list[str]] = field(default_factory=dict)
    outcomes: Mapping[str, RunOutcome] | None = None  # each item's outcome in the merge that wrote the workbook
    unverified: str = ""  # why the workbook cannot be imported (read with ``verify=False`` only)

    def where(self, row: int, column: str) -> str:
        return f"{self.file}[{DECISION_SHEET}] row {row}, column {column!r}"

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(self.where(row, column), message))
        self.row_problems.setdefault(row, []).append(f"column {column!r}: {message}")


def display_path(workspace: Workspace, path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(workspace.root.resolve()).as_posix()
    except ValueError:
        return str(path)


def open_workbook(path: Path) -> Workbook:
    if not Path(path).is_file():
        raise InputError(f"{path}: file not found")
    try:
        check_zip(Path(path), str(path))  # .xls, encrypted, not a zip, or a zip bomb: refused before unpacking
    except InputError as exc:
        reason = str(exc).removeprefix(f"{path}: ")
        raise InputError(f"{path}: cannot be read as an Excel workbook: {reason}") from None
    try:
        refuse_declarations(Path(path))
        return load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001  openpyxl raises several unrelated types for a file that is not xlsx
        cause = exc if isinstance(exc, DefusedXmlException) else (exc.__cause__ or exc.__context__)
        reason = (
            "it declares XML entities or a DTD, which harmonise refuses (Excel never writes them)"
            if isinstance(cause, DefusedXmlException)
            else f"{type(exc).__name__}: {exc}"
        )
        raise InputError(f"{path}: cannot be read as an Excel workbook ({reason})") from None


def refuse_declarations(path: Path) -> None:
    """Raise ``DefusedXmlException`` for a DTD or entity declaration in any part openpyxl parses whole. openpyxl
    parses those with defusedxml only when lxml is absent (python-docx brings lxml, with which openpyxl merely
    leaves entities unresolved); sheets it streams through defusedxml either way, so they are not read twice."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")) and not name.startswith("xl/worksheets/"):
                try:
                    SafeXml.fromstring(archive.read(name))
                except SafeXml.ParseError:
                    continue  # not well-formed: openpyxl says so in its own words


def _about(workbook: Workbook, display: str) -> dict[str, str]:
    if ABOUT_SHEET not in workbook.sheetnames or DECISION_SHEET not in workbook.sheetnames:
        raise InputError(
            f"{display}: not a harmonise working-group workbook (no {ABOUT_SHEET!r} or "
            f"{DECISION_SHEET!r} sheet); import the working-group.xlsx that 'harmonise merge' wrote"
        )
    about = {
        str(r[0]): "" if r[1] is None else str(r[1])
        for r in workbook[ABOUT_SHEET].iter_rows(min_row=2, values_only=True)
        if r and r[0]
    }
    if about.get("Format") not in (FORMAT, UNSIGNED_FORMAT):
        raise InputError(
            f"{display}: not a working-group workbook this harmonise can read "
            f"(format {about.get('Format')!r}, expected {FORMAT!r})"
        )
    return about


def read_context(
    workspace: Workspace,
    workbook: Workbook,
    display: str,
    path: Path,
    user: str,
    now: datetime,
    wanted: str | None,
    verify: bool = True,
) -> ReadContext:
    """The workbook as a whole, checked; with ``verify`` (an import) a workbook that cannot be verified as this
    workspace's is refused, without (a merge looking for typed decisions) ``unverified`` says why instead."""
    about = _about(workbook, display)
    slug = about.get("Chapter", "")
    chapter = _chapter(workspace, slug, display, path, wanted)
    workspace = workspace.for_chapter(chapter)
    items, rows = _items(workbook, display)
    unverified = check_signature(workspace.root, about, rows, display, verify)
    outcomes, unverified = (None, unverified) if unverified else _outcomes(workspace, about, display, verify)
    info = json.loads(about.get("Columns") or "[]")
    expected = _headings(workbook, info, display)
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    context = ReadContext(workspace, display, chapter, items, expected, len(info), user, stamp)
    context.outcomes, context.unverified = outcomes, unverified
    return context


def _outcomes(
    workspace: Workspace, about: dict[str, str], display: str, verify: bool
) -> tuple[Mapping[str, RunOutcome] | None, str]:
    """Each item's outcome in the merge that wrote the workbook, from the audit log (see ``provenance``)."""
    run, log = about.get("Run", ""), audit_log(workspace.root)
    outcomes = run_outcomes(log, about.get("Chapter", ""), run)
    if outcomes is not None:
        return outcomes, ""
    if verify:
        log.require_intact()  # events removed from the log: say that first
    why = (
        f"the merge that wrote this workbook (run {run[:8] or 'unknown'}) is not in the audit log "
        "reports/audit.jsonl, so nobody can tell which items it escalated"
    )
    if verify:
        raise InputError(
            f"{display}: {why}; nothing was imported. Run 'harmonise audit verify', or 'harmonise merge' for a new "
            "workbook"
        )
    return None, f"{why}; it cannot be imported"


def _headings(workbook: Workbook, info: list[str], display: str) -> list[str]:
    """The Decisions sheet's headings: today's, or those of a workbook written before the harmonised name."""
    head = [str(c.value or "").strip() for c in workbook[DECISION_SHEET][1]]
    earlier = [*info, *EARLIER_DECISION_COLUMNS, KEY_COLUMN]
    if head[: len(earlier)] == earlier:
        return earlier
    expected = [*info, *DECISION_COLUMNS, KEY_COLUMN]
    _require_headings(head, expected, display)
    return expected


def _require_headings(head: list[str], expected: list[str], display: str) -> None:
    if head[: len(expected)] != expected:
        changed = next((i for i, (a, b) in enumerate(zip(head, expected, strict=False)) if a != b), len(head))
        raise InputError(
            f"{display}[{DECISION_SHEET}] row 1: the column headings were changed (column "
            f"{changed + 1}: expected {expected[changed] if changed < len(expected) else ''!r}); "
            "nothing was imported. Use the workbook as 'harmonise merge' wrote it"
        )


def _chapter(workspace: Workspace, slug: str, display: str, path: Path, wanted: str | None) -> Chapter:
    """The workbook's chapter; refuse a workbook of another chapter than asked for or than its folder."""
    known = {c.slug: c for c in workspace.chapters}
    if slug not in known:
        raise InputError(f"{display}: this workbook is for chapter {slug!r}, which this workspace does not have")
    folder = Path(path).resolve().parent.name
    if wanted is not None and workspace.chapter(wanted).slug != slug:
        raise InputError(
            f"{display}: this is the working-group workbook of chapter {slug}, not of chapter "
            f"{workspace.chapter(wanted).slug}; nothing was imported"
        )
    if folder in known and folder != slug:
        raise InputError(
            f"{display}: this is the working-group workbook of chapter {slug}, but it is in the "
            f"folder of chapter {folder}; nothing was imported"
        )
    return known[slug]


def _items(workbook: Workbook, display: str) -> tuple[dict[str, SeenItem], list[list[str]]]:
    if ITEMS_SHEET not in workbook.sheetnames:
        raise InputError(f"{display}: the hidden {ITEMS_SHEET!r} sheet is missing; nothing was imported")
    rows = [
        ["" if v is None else str(v) for v in r[: len(ITEM_COLUMNS)]]
        for r in workbook[ITEMS_SHEET].iter_rows(min_row=2, values_only=True)
        if r and r[0]
    ]
    items = {}
    try:
        for key, name, entries, candidates, checks, *rest in rows:
            vetoes = tuple(str(v) for v in json.loads(rest[0])) if rest and rest[0] else ()
            of = rest[1] if len(rest) > 1 else ""
            seen = SeenItem(key, name, _entries(entries), _entries(candidates), tuple(json.loads(checks)), vetoes, of)
            items[key] = seen
    except (ValueError, TypeError) as exc:
        raise InputError(f"{display}: the hidden {ITEMS_SHEET!r} sheet is damaged ({exc})") from None
    return items, rows


def _entries(text: str) -> tuple[DecidedEntry, ...]:
    return tuple(DecidedEntry(**raw) for raw in json.loads(text))
