"""Never lose typed decisions: what a merge does with a working-group workbook that is already there.

Before any chapter is merged, each chapter's ``reports/<NN-slug>/working-group.xlsx`` is read as
``decisions import`` reads it. A filled row whose decision the register does not hold identically is
*pending* (``harmonise.review.pending_decisions``). With pending rows, by ``mode``:

* ``refuse`` (the default): nothing is written; the message names the workbook and every pending row;
* ``import-first``: the workbook is imported first; rows the import rejects are still pending, so refused;
* ``beside``: the filled workbook is left alone and the new one is written next to it,
  ``working-group-<UTC stamp>.xlsx`` (also when the workbook there cannot be read at all).

A workbook that is overwritten is first kept as a dated copy, ``reports/<NN-slug>/history/
working-group-<UTC stamp>.xlsx``; a workbook that cannot be read is never overwritten.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from harmonise.errors import InputError, Problem
from harmonise.model import Chapter
from harmonise.output import write_bytes
from harmonise.review import ImportReport, PendingRow, display_path, import_decisions, readable_pending
from harmonise.workspace import Workspace

MODES = ("refuse", "import-first", "beside")
WORKBOOK_NAME = "working-group.xlsx"
HISTORY = "history"


@dataclass(frozen=True)
class Guarded:
    """Where one chapter's new working-group workbook goes, and what was done to keep the old one's decisions."""

    target: Path
    imported: ImportReport | None = None
    kept: Path | None = None


def workbook_path(workspace: Workspace, chapter: Chapter) -> Path:
    return workspace.reports_dir(chapter) / WORKBOOK_NAME


def stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def free_path(folder: Path, stem: str, when: str) -> Path:
    """``folder/stem-<when>.xlsx``, numbered when a file of that second already exists."""
    path, number = folder / f"{stem}-{when}.xlsx", 2
    while path.exists():
        path, number = folder / f"{stem}-{when}-{number}.xlsx", number + 1
    return path


def guard_workbooks(workspace: Workspace, chapters: Sequence[Chapter], mode: str, user: str) -> dict[str, Guarded]:
    """Check every chapter's existing workbook before anything is written (see the module docstring)."""
    if mode not in MODES:
        raise InputError(f"unknown way to treat a filled working-group workbook {mode!r}; one of {', '.join(MODES)}")
    guarded, refused = {}, []
    for chapter in chapters:
        path = workbook_path(workspace, chapter)
        pending = existing_pending(workspace, path, mode)
        imported = None
        if pending and mode == "import-first":
            imported = import_decisions(workspace, path, user, chapter.number)
            pending = readable_pending(workspace, path)
        if (pending or pending is None) and mode == "beside":
            guarded[chapter.slug] = Guarded(free_path(path.parent, path.stem, stamp()), imported, path)
            continue
        refused += [(path, row) for row in pending or ()]
        guarded[chapter.slug] = Guarded(path, imported)
    if refused:
        raise refused_error(workspace, refused, mode)
    return guarded


def existing_pending(workspace: Workspace, path: Path, mode: str) -> list[PendingRow] | None:
    """The pending rows of the workbook at ``path`` ([] when there is none); None when it cannot be read and
    ``mode`` is ``beside`` (it is then left alone), else the error saying it will not be overwritten."""
    try:
        return readable_pending(workspace, path) if path.is_file() else []
    except InputError:
        if mode != "beside":
            raise
        return None


def refused_error(workspace: Workspace, refused: list[tuple[Path, PendingRow]], mode: str) -> InputError:
    files = ", ".join(dict.fromkeys(display_path(workspace, path) for path, _ in refused))
    after = "after importing it, " if mode == "import-first" else ""
    return InputError(
        f"{files} holds {len(refused)} typed decision(s) {after}not recorded in the decisions register; merge "
        "would overwrite them, so nothing was written. Import the workbook ('harmonise decisions import FILE', "
        "or 'merge --import-first') and fix any row it rejects, or write the new workbook beside it "
        "('merge --beside'):",
        [Problem(row.where, f"{row.typed}: {row.why}") for _, row in refused],
    )


def keep_copy(path: Path) -> Path | None:
    """Before ``path`` is overwritten: keep it as ``history/<name>-<UTC stamp>.xlsx`` beside it."""
    if not path.is_file():
        return None
    copy = free_path(path.parent / HISTORY, path.stem, stamp())
    copy.parent.mkdir(parents=True, exist_ok=True)
    try:  # a hard link is the old file itself, made in one step; the new workbook then replaces the name only
        os.link(path, copy)
    except OSError:  # a file system without hard links: a copy, written atomically
        write_bytes(copy, path.read_bytes())
    return copy
