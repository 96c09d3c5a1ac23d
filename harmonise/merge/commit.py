"""A merge's outputs and its audit events, all or nothing.

Every output of the run (per chapter: the draft, the working-group workbook, ``outcomes.json`` and its previous
copy) is staged first; then they replace the old files together (each old file kept as a backup) and the
run's events are appended to the audit log with the transaction's tag as their ``run_id``. That append is the
commit point: if it fails, every old file is put back and nothing was written. A merge killed between the two
leaves ``reports/merge.pending.json``; the next merge completes it (the run event is in the log) or rolls it
back (it is not), and says which. The whole run holds ``reports/merge.lock``, so two merges never interleave
(nor log the same outcomes twice).
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harmonise.audit import AuditLog, run_event
from harmonise.errors import InputError
from harmonise.merge.chapter import ChapterMerge
from harmonise.merge.collector import heap_frozen
from harmonise.merge.draft_workbook import draft_footer, draft_sheets, write_draft
from harmonise.merge.group_workbook import working_group_sheets, write_working_group
from harmonise.merge.guard import HISTORY, Guarded, free_path, stamp, workbook_path
from harmonise.model import Chapter
from harmonise.output import (
    COMPLETED,
    Footer,
    Sheet,
    Transaction,
    clean_leftovers,
    locked,
    recover,
    workbook_bytes,
    write_bytes,
)
from harmonise.review import DecisionReview
from harmonise.rules import RuleSet
from harmonise.workspace import CONFIG_NAME, Workspace


@dataclass
class MergeRun:
    """What one ``harmonise merge`` did; ``reviews`` says how each chapter's recorded decisions fared."""

    rules: RuleSet
    chapters: list[ChapterMerge]
    reviews: dict[str, DecisionReview] = field(default_factory=dict)
    audit_events: int = 0
    guarded: dict[str, Guarded] = field(default_factory=dict)
    kept_copies: dict[str, Path] = field(default_factory=dict)
    recovered: str = ""


MARKER_NAME = "merge.pending.json"
DRAFT_NAME = "harmonised-draft.xlsx"


def audit_log(workspace: Workspace) -> AuditLog:
    return AuditLog(workspace.root / "reports" / "audit.jsonl")


def marker_path(workspace: Workspace) -> Path:
    return workspace.root / "reports" / MARKER_NAME


@contextlib.contextmanager
def merge_lock(workspace: Workspace) -> Iterator[None]:
    """One merge at a time in a workspace (``reports/merge.lock``)."""
    with locked(workspace.root / "reports" / "merge"):
        yield


def in_log(log: AuditLog, tag: str) -> bool:
    """Whether a complete event of run ``tag`` is in the log (the commit point of a transaction)."""
    if not log.path.is_file():
        return False
    needle = f'"run_id":"{tag}"'.encode()
    with open(log.path, "rb") as handle:
        return any(needle in line and line.endswith(b"\n") for line in handle)


def recover_merge(workspace: Workspace) -> str:
    """Complete or roll back a merge that was killed mid-way; '' when none was, else what was done."""
    try:
        outcome, targets = recover(marker_path(workspace), lambda tag: in_log(audit_log(workspace), tag))
    except ValueError as exc:
        raise InputError(
            f"{exc}; a merge was interrupted and its outputs cannot be checked: remove the file "
            "after checking the chapter folders, then run again"
        ) from exc
    if not outcome:
        return ""
    files = ", ".join(shown(workspace, p) for p in targets)
    if outcome == COMPLETED:
        return f"an interrupted merge was completed (its run event is in the audit log): {files}"
    return f"an interrupted merge was rolled back (its run event never reached the audit log): {files} as before"


def clean_temporary(workspace: Workspace, chapters: Iterable[Chapter], names: tuple[str, ...]) -> None:
    """Remove what killed merges left half-written (the lock is held, so no merge is writing them now)."""
    clean_leftovers(marker_path(workspace).parent, (MARKER_NAME,))
    for chapter in chapters:
        clean_leftovers(workspace.chapter_dir(chapter), (DRAFT_NAME,))
        clean_leftovers(workspace.reports_dir(chapter), names)


def shown(workspace: Workspace, path: Path) -> str:
    try:
        return Path(path).relative_to(workspace.root).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class ChapterBooks:
    """A chapter's draft and working-group workbook as sheets, built where the chapter was merged (in a worker
    process, see ``run.merged``)."""

    draft: list[Sheet]
    draft_footer: Footer
    group: list[Sheet]
    group_footer: Footer

    def packed(self) -> PackedBooks:
        """Both workbooks as xlsx bytes, so that the worker that merged the chapter also does the writing's work
        and the process that holds the transaction only puts the bytes in its staged files."""
        with heap_frozen():  # XlsxWriter's worksheets refer to their workbook
            # the structure is locked without a password: stops unhiding the hidden sheets by accident
            group = workbook_bytes(self.group, self.group_footer, lock_structure=True)
            return PackedBooks(workbook_bytes(self.draft, self.draft_footer), group)


@dataclass(frozen=True)
class PackedBooks:
    """A chapter's draft and working-group workbook, written (xlsx bytes) where the chapter was merged."""

    draft: bytes
    group: bytes


def chapter_books(workspace: Workspace, merge: ChapterMerge, review: DecisionReview, run_id: str) -> ChapterBooks:
    """The chapter's two workbooks, the working-group one signed as written by the run ``run_id`` (the workspace
    key must exist: ``open_transaction``) and showing the recorded decisions gone out of date."""
    space = workspace.for_chapter(merge.chapter)
    group, group_footer = working_group_sheets(space, merge, run_id, out_of_date(space, review))
    return ChapterBooks(draft_sheets(space, merge), draft_footer(merge), group, group_footer)


def out_of_date(space: Workspace, review: DecisionReview) -> dict[str, str]:
    """Item key -> the recorded decision that went out of date, as the working-group workbook shows it."""
    return {key: s.decision.describe(space.scale) for key, s in review.stale_items.items()}


def stage_chapter(
    workspace: Workspace, run: MergeRun, merge: ChapterMerge, books: PackedBooks | None, tx: Transaction
) -> None:
    """Stage the draft and the working-group workbook of a chapter (nothing visible changes): the ``books``
    written where it was merged, or (None) each built as it is written, so that a long chapter merged here holds
    the rows of one workbook at a time."""
    space = workspace.for_chapter(merge.chapter)
    draft_writer, group_writer = book_writers(space, merge, run.reviews[merge.chapter.slug], books, tx.tag)
    draft = space.chapter_dir(merge.chapter) / DRAFT_NAME
    tx.stage(draft, draft_writer)
    target = run.guarded[merge.chapter.slug].target if run.guarded else workbook_path(space, merge.chapter)
    copy = free_path(target.parent / HISTORY, target.stem, stamp())
    tx.stage(target, group_writer, copy)
    if target.is_file():
        run.kept_copies[merge.chapter.slug] = copy
    merge.files["draft"], merge.files["working_group"] = draft, target


Writer = Callable[[Path], object]


def book_writers(
    space: Workspace, merge: ChapterMerge, review: DecisionReview, books: PackedBooks | None, run_id: str
) -> tuple[Writer, Writer]:
    """What writes the draft and the working-group workbook (signed as written by the run ``run_id``)."""
    if books is None:
        previous = out_of_date(space, review)
        return (
            lambda path: write_draft(space, merge, path),
            lambda path: write_working_group(space, merge, path, run_id, previous),
        )
    return lambda path: write_bytes(path, books.draft), lambda path: write_bytes(path, books.group)


def commit(
    workspace: Workspace, run: MergeRun, events: list[tuple[str, dict[str, Any]]], user: str, tx: Transaction
) -> None:
    """Put the staged outputs in place, then append the events; a failure of either leaves the old files."""
    chapters = ", ".join(m.chapter.slug for m in run.chapters)
    try:
        tx.apply()
    except OSError as exc:
        raise InputError(
            f"{failure(exc)}; nothing was written: chapters {chapters} keep their previous draft, "
            "working-group workbook and outcomes, and no run event was logged"
        ) from exc
    try:
        run.audit_events = len(audit_log(workspace).append(events, user=user, run_id=tx.tag))
    except BaseException as exc:
        if in_log(audit_log(workspace), tx.tag):  # the events are in: the run happened
            tx.finish()
            raise
        tx.rollback()
        if isinstance(exc, (OSError, InputError)):
            raise InputError(
                f"the audit log could not be appended ({failure(exc)}); nothing was written: the "
                f"outputs of chapters {chapters} were put back as they were"
            ) from exc
        raise
    tx.finish()


def failure(exc: BaseException) -> str:
    """An error in a few words, naming the file."""
    if isinstance(exc, PermissionError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}permission denied; if the file is open in Excel or another program, close it and run again"
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    return str(exc)


def new_transaction(workspace: Workspace) -> Transaction:
    return Transaction(marker_path(workspace), uuid.uuid4().hex)


def run_record(workspace: Workspace, run: MergeRun, command: str, inputs: dict[str, Path]) -> tuple[str, Any]:
    return run_event(command, inputs, run.rules.digest, workspace.root / CONFIG_NAME)


def state_text(state: dict[str, Any]) -> str:
    return json.dumps(state, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
