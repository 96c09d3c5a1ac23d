"""``harmonise decisions import``: read a filled-in working-group workbook into the decisions register.

Every filled row is validated (decision word, status when needed, candidate number, date, rationale, who
decided, an edited item key, edited protected columns); each problem is located by file, sheet, row and
column. Valid rows are recorded, invalid rows are rejected (the command then exits 1), so one typo does not
hold back a whole meeting's work. A row already recorded with the same decision changes nothing, so importing
the same workbook twice is harmless. A *different* decision for an item already decided is recorded only when
it was taken at a later meeting, and the earlier one is kept in the record's ``history``; otherwise it is a
conflict, rejected, and the recorded decision stands. The register is read, changed and written under its
lock; ``decision`` audit events are appended after it is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.workbook.workbook import Workbook

from harmonise.audit import AuditLog
from harmonise.errors import InputError, Problem, did_you_mean
from harmonise.model import Chapter, Scale
from harmonise.output import locked
from harmonise.review.layout import (
    ABOUT_SHEET,
    CANDIDATE,
    DECIDED_BY,
    DECISION,
    DECISION_COLUMNS,
    DECISION_SHEET,
    FORMAT,
    ITEMS_SHEET,
    KEY_COLUMN,
    MEETING,
    RATIONALE,
    STATUS,
    check_value,
    decision_words,
    fingerprint,
)
from harmonise.review.register import (
    NEEDS_STATUS,
    DecidedEntry,
    Decision,
    Register,
    audit_data,
    load_register,
    match_fingerprint,
    register_path,
    replace_decision,
    save_register,
)
from harmonise.sources import check_zip
from harmonise.workspace import Workspace, normalise_word

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")


@dataclass(frozen=True)
class SeenItem:
    """What the workbook showed the group for one item (from its hidden Items sheet)."""

    key: str
    name: str
    entries: tuple[DecidedEntry, ...]
    candidates: tuple[DecidedEntry, ...]
    checks: tuple[str, ...]


@dataclass(frozen=True)
class RowDecision:
    """A valid decision and the workbook row it came from (for conflict messages)."""

    decision: Decision
    where: str


@dataclass
class ImportReport:
    """What an import did: recorded, superseded (history kept), already recorded, rejected with reasons."""

    file: Path
    chapter: Chapter
    register: Path
    recorded: list[Decision] = field(default_factory=list)
    superseded: list[Decision] = field(default_factory=list)
    unchanged: list[Decision] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    blank_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.rejected

    def to_dict(self) -> dict[str, Any]:
        def brief(d: Decision) -> dict[str, Any]:
            return {
                "fingerprint": d.fingerprint,
                "item": d.item,
                "decision": d.decision,
                "status": d.status,
                "meeting": d.meeting,
                "decided_by": d.decided_by,
            }

        return {
            "file": str(self.file),
            "chapter": self.chapter.slug,
            "register": str(self.register),
            "recorded": [brief(d) for d in self.recorded],
            "superseded": [brief(d) for d in self.superseded],
            "unchanged": [brief(d) for d in self.unchanged],
            "rejected": [str(p) for p in self.rejected],
            "blank_rows": self.blank_rows,
        }


@dataclass
class _Context:
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

    def where(self, row: int, column: str) -> str:
        return f"{self.file}[{DECISION_SHEET}] row {row}, column {column!r}"

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(self.where(row, column), message))


def import_decisions(
    workspace: Workspace,
    path: Path,
    user: str,
    chapter: str | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ImportReport:
    """Validate the workbook at ``path`` and record its valid decisions; see the module docstring."""
    workbook = _open(path)
    display = _display(workspace, path)
    context = _context(workspace, workbook, display, path, user, clock(), chapter)
    rows, blank = _read_rows(context, workbook)
    target = register_path(workspace, context.chapter)
    report = ImportReport(path, context.chapter, target, rejected=context.problems, blank_rows=blank)
    with locked(target):
        register = load_register(target, context.chapter, workspace.scale, _display(workspace, target))
        for row in rows:
            _record(register, row, report, workspace.scale)
        if report.recorded or report.superseded:
            save_register(target, register)
    events = [("decision", audit_data(context.chapter.slug, d)) for d in (*report.recorded, *report.superseded)]
    AuditLog(workspace.root / "reports" / "audit.jsonl").append(events, user=user)
    return report


def _record(register: Register, row: RowDecision, report: ImportReport, scale: Scale) -> None:
    new, old = row.decision, register.decisions.get(row.decision.fingerprint)
    if old is None:
        register.decisions[new.fingerprint] = new
        report.recorded.append(new)
    elif old.same_decision(new):
        report.unchanged.append(old)
    elif new.meeting > old.meeting:
        report.superseded.append(replace_decision(register, new))
    else:
        report.rejected.append(
            Problem(
                row.where,
                (
                    f"a different decision is already recorded for {old.item}: {old.describe(scale)} "
                    f"(imported {old.imported_at} by {old.imported_by or 'unknown'}). It was kept; to change it, "
                    "record the new decision with a later meeting date"
                ),
            )
        )


def _display(workspace: Workspace, path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(workspace.root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _open(path: Path) -> Workbook:
    if not Path(path).is_file():
        raise InputError(f"{path}: file not found")
    try:
        check_zip(Path(path), str(path))  # .xls, encrypted, not a zip, or a zip bomb: refused before unpacking
    except InputError as exc:
        reason = str(exc).removeprefix(f"{path}: ")
        raise InputError(f"{path}: cannot be read as an Excel workbook: {reason}") from None
    try:
        return load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001  openpyxl raises several unrelated types for a file that is not xlsx
        cause = exc.__cause__ or exc.__context__
        reason = (
            "it declares XML entities or a DTD, which harmonise refuses (Excel never writes them)"
            if isinstance(cause, DefusedXmlException)
            else f"{type(exc).__name__}: {exc}"
        )
        raise InputError(f"{path}: cannot be read as an Excel workbook ({reason})") from None


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
    if about.get("Format") != FORMAT:
        raise InputError(
            f"{display}: not a working-group workbook this harmonise can read "
            f"(format {about.get('Format')!r}, expected {FORMAT!r})"
        )
    return about


def _context(
    workspace: Workspace,
    workbook: Workbook,
    display: str,
    path: Path,
    user: str,
    now: datetime,
    wanted: str | None,
) -> _Context:
    about = _about(workbook, display)
    slug = about.get("Chapter", "")
    chapter = _chapter(workspace, slug, display, path, wanted)
    workspace = workspace.for_chapter(chapter)
    items, rows = _items(workbook, display)
    if fingerprint(slug, rows) != about.get("Fingerprint"):
        raise InputError(
            f"{display}: the workbook's hidden {ITEMS_SHEET!r} sheet does not match its fingerprint "
            "(it was edited, or sheets were copied from another workbook); nothing was imported"
        )
    info = json.loads(about.get("Columns") or "[]")
    head = [str(c.value or "").strip() for c in workbook[DECISION_SHEET][1]]
    expected = [*info, *DECISION_COLUMNS, KEY_COLUMN]
    if head[: len(expected)] != expected:
        changed = next((i for i, (a, b) in enumerate(zip(head, expected, strict=False)) if a != b), len(head))
        raise InputError(
            f"{display}[{DECISION_SHEET}] row 1: the column headings were changed (column "
            f"{changed + 1}: expected {expected[changed] if changed < len(expected) else ''!r}); "
            "nothing was imported. Use the workbook as 'harmonise merge' wrote it"
        )
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return _Context(workspace, display, chapter, items, expected, len(info), user, stamp)


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
        ["" if v is None else str(v) for v in r[:5]]
        for r in workbook[ITEMS_SHEET].iter_rows(min_row=2, values_only=True)
        if r and r[0]
    ]
    items = {}
    try:
        for key, name, entries, candidates, checks in rows:
            items[key] = SeenItem(key, name, _entries(entries), _entries(candidates), tuple(json.loads(checks)))
    except (ValueError, TypeError) as exc:
        raise InputError(f"{display}: the hidden {ITEMS_SHEET!r} sheet is damaged ({exc})") from None
    return items, rows


def _entries(text: str) -> tuple[DecidedEntry, ...]:
    return tuple(DecidedEntry(**raw) for raw in json.loads(text))


def _read_rows(context: _Context, workbook: Workbook) -> tuple[list[RowDecision], int]:
    sheet = workbook[DECISION_SHEET]
    index = {name: i for i, name in enumerate(context.head)}
    decided: list[RowDecision] = []
    blank, seen = 0, dict[str, int]()  # item key -> the first row deciding it
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        cells = {name: values[i] if i < len(values) else None for name, i in index.items()}
        if all(_blank(cells[c]) for c in DECISION_COLUMNS):
            blank += not all(_blank(v) for v in values)
            continue
        before = len(context.problems)
        item = _item_of(context, number, cells, list(values[: context.info_count]), seen)
        if item is None:
            continue
        found = _validate(context, number, cells, item)
        if len(context.problems) == before:
            decided.extend(RowDecision(d, context.where(number, DECISION)) for d in found)
    return decided, blank


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _item_of(
    context: _Context, row: int, cells: dict[str, Any], info: list[Any], seen: dict[str, int]
) -> SeenItem | None:
    """The item a row is about, refusing an edited key, an edited protected cell or a copied row."""
    key = "" if cells[KEY_COLUMN] is None else str(cells[KEY_COLUMN]).strip()
    item = context.items.get(key)
    if item is None:
        context.problem(
            row,
            KEY_COLUMN,
            f"{key!r} is not an item of this workbook (the key was edited or the "
            "row was added); restore the row from the workbook as written",
        )
        return None
    if key in seen:
        context.problem(row, KEY_COLUMN, f"this item is already on row {seen[key]}; decide it on one row only")
        return None
    seen[key] = row
    changed = [context.head[i] for i, value in enumerate(info) if check_value(value) != item.checks[i]]
    for column in changed:
        context.problem(
            row,
            column,
            "this protected column was changed after the workbook was written; "
            "the row was refused (put back the original text and import again)",
        )
    return None if changed else item


def _validate(context: _Context, row: int, cells: dict[str, Any], item: SeenItem) -> list[Decision]:
    """Check one filled row; returns its decisions (several for 'reject match' of every candidate)."""
    words = decision_words(context.workspace)
    word = "" if cells[DECISION] is None else " ".join(str(cells[DECISION]).split())
    choice = next((v for w, v in words.items() if normalise_word(w) == normalise_word(word)), None)
    if choice is None:
        hint = did_you_mean(word, list(words)) if word else ""
        context.problem(
            row,
            DECISION,
            f"{word!r} is not a decision{hint}; choose one of: {', '.join(words)}"
            if word
            else "no decision chosen, but other yellow columns are filled",
        )
        return []
    decision, source = choice
    status = _status(context, row, cells, item, decision, source)
    candidates = _candidates(context, row, cells, item, decision)
    meeting = _meeting(context, row, cells[MEETING])
    rationale = _text(cells[RATIONALE])
    if not rationale and decision != "defer":
        context.problem(row, RATIONALE, "a rationale is required (the committee reads it)")
    if not _text(cells[DECIDED_BY]):
        context.problem(row, DECIDED_BY, "say who decided (a name, or the group)")
    base: dict[str, Any] = {
        "item": item.name,
        "decision": decision,
        "rationale": rationale,
        "meeting": meeting or "",
        "decided_by": _text(cells[DECIDED_BY]),
        "status": status,
        "source": source,
        "imported_at": context.now,
        "imported_by": context.user,
        "workbook": context.file,
    }
    if decision in ("confirm-match", "reject-match"):
        return [
            Decision(match_fingerprint(item.entries, c.key), entries=(*item.entries, c), candidate=c.key, **base)
            for c in candidates
        ]
    return [Decision(item.key, entries=item.entries, **base)]


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _status(
    context: _Context, row: int, cells: dict[str, Any], item: SeenItem, decision: str, source: str
) -> str | None:
    scale, given = context.workspace.scale, _text(cells[STATUS])
    status = next(
        (s.key for s in scale.statuses if normalise_word(given) in (normalise_word(s.label), normalise_word(s.key))),
        None,
    )
    if given and status is None:
        labels = [s.label for s in scale.statuses]
        context.problem(row, STATUS, f"{given!r} is not a status on the common scale{did_you_mean(given, labels)}")
        return None
    if decision == "adopt-source":
        return _source_status(context, row, item, source, status)
    if decision in NEEDS_STATUS and not status:
        context.problem(row, STATUS, f"'{_word(context, decision)}' needs a harmonised status")
    elif decision not in NEEDS_STATUS and status:
        context.problem(
            row,
            STATUS,
            "a harmonised status only goes with 'adopt status', 'include' or "
            f"'adopt <formulary> position', not with '{_word(context, decision)}'",
        )
        return None
    return status


def _source_status(context: _Context, row: int, item: SeenItem, source: str, given: str | None) -> str | None:
    name = context.workspace.source(source).name
    statuses = list(dict.fromkeys(e.status for e in item.entries if e.source == source))
    if not statuses:
        context.problem(row, DECISION, f"{name} does not list this item; choose 'exclude' or 'adopt status'")
    elif len(statuses) > 1 or statuses[0] is None:
        context.problem(row, DECISION, f"{name}'s position has no single status here; choose 'adopt status'")
    elif given and given != statuses[0]:
        context.problem(
            row,
            STATUS,
            f"the status given differs from {name}'s position "
            f"({context.workspace.scale.label(statuses[0])}); leave it blank",
        )
    else:
        return statuses[0]
    return None


def _word(context: _Context, decision: str) -> str:
    return next(w for w, (d, _) in decision_words(context.workspace).items() if d == decision)


def _candidates(
    context: _Context, row: int, cells: dict[str, Any], item: SeenItem, decision: str
) -> Sequence[DecidedEntry]:
    value, count = cells[CANDIDATE], len(item.candidates)
    if decision not in ("confirm-match", "reject-match"):
        if not _blank(value):
            context.problem(row, CANDIDATE, "a candidate number only goes with 'confirm match' or 'reject match'")
        return []
    if not count:
        context.problem(row, DECISION, "this row shows no candidate match to confirm or reject")
        return []
    if _blank(value):
        if decision == "reject-match" or count == 1:
            return item.candidates
        context.problem(row, CANDIDATE, f"say which candidate (1-{count}) is the same product")
        return []
    text = str(value).strip().removesuffix(".0")
    if not text.isdigit() or not 1 <= int(text) <= count:
        context.problem(row, CANDIDATE, f"{value!r} is not a candidate number on this row (1-{count})")
        return []
    return [item.candidates[int(text) - 1]]


def _meeting(context: _Context, row: int, value: Any) -> str | None:
    """The meeting date as YYYY-MM-DD; a located problem when missing, unreadable or in the future."""
    day = _as_date(value)
    if _blank(value):
        context.problem(row, MEETING, "the meeting date is required (YYYY-MM-DD)")
    elif day is None:
        context.problem(row, MEETING, f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-03-12")
    elif day > date.today() + timedelta(days=1):
        context.problem(row, MEETING, f"{day.isoformat()} is in the future; give the date of the meeting")
    else:
        return day.isoformat()
    return None


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 < value < 200000:
        converted = from_excel(value)
        return converted.date() if isinstance(converted, datetime) else None
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(str(value).strip(), pattern).date()
        except ValueError:
            continue
    return None
