"""Typed decisions not yet imported: the rows of a working-group workbook that a merge must not overwrite.

A filled decision row is *pending* unless every decision it holds is already recorded, identically, in the
chapter's register: a row never imported, a row the import rejected (a typo, a missing date) and a row that
conflicts with a recorded decision are all pending, because overwriting the workbook would lose what the
group typed. The workbook is read and each row validated exactly as ``decisions import`` does, except that a
workbook that cannot be verified as this workspace's (written before workbooks were signed, the workspace key
missing, another workspace's key) is still read: its typed rows are pending, with the reason it cannot be
imported and what to do, and one without typed rows may be replaced (a dated copy is kept).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from harmonise.errors import InputError
from harmonise.review.layout import DECISION_SHEET
from harmonise.review.reading import display_path, open_workbook, read_context
from harmonise.review.register import Decision, Register, load_register, register_path
from harmonise.review.validation import RowDecision, read_decisions
from harmonise.workspace import Workspace


@dataclass(frozen=True)
class PendingRow:
    """One filled row whose decision is not recorded: where it is, what was typed, and why it is pending."""

    where: str
    typed: str
    why: str

    def __str__(self) -> str:
        return f"{self.where}: {self.typed} ({self.why})"


def pending_decisions(workspace: Workspace, path: Path) -> list[PendingRow]:
    """The filled rows of the workbook at ``path`` whose decisions the register does not hold identically.

    Raises ``InputError`` when the file cannot be read as this workspace's working-group workbook: then
    nobody can tell what it holds, and the caller must not overwrite it either.
    """
    workbook = open_workbook(path)
    display = display_path(workspace, path)
    context = read_context(workspace, workbook, display, path, "", datetime.now(UTC), None, verify=False)
    rows, _ = read_decisions(context, workbook)
    register = load_register(register_path(workspace, context.chapter), context.chapter, workspace.scale)
    by_row: dict[int, list[RowDecision]] = {}
    for row in rows:
        by_row.setdefault(row.row, []).append(row)
    pending = []
    for number, typed in sorted(context.filled.items()):
        why = _why(register, by_row.get(number, []), context.row_problems.get(number, []))
        if why and context.unverified:
            why = context.unverified
        if why:
            pending.append(PendingRow(f"{display}[{DECISION_SHEET}] row {number}", typed, why))
    return pending


def _why(register: Register, decided: list[RowDecision], problems: list[str]) -> str:
    """Why a filled row is pending ('' when each of its decisions is recorded as typed)."""
    if problems:
        return "not imported; the import would reject it: " + "; ".join(problems)
    if not decided:
        return "not imported"
    for row in decided:
        recorded = register.decisions.get(row.decision.fingerprint)
        if recorded is None:
            return "not imported yet"
        if not _recorded(recorded, row.decision):
            return "differs from the decision recorded for it"
    return ""


def _recorded(recorded: Decision, typed: Decision) -> bool:
    """The typed decision is the recorded one, or one it replaced (kept in its history)."""
    if recorded.same_decision(typed):
        return True
    fields = ("decision", "status", "source", "candidate", "rationale", "meeting", "decided_by", "name")
    return any(all(str(old.get(f) or "") == str(getattr(typed, f) or "") for f in fields) for old in recorded.history)


def readable_pending(workspace: Workspace, path: Path) -> list[PendingRow]:
    """``pending_decisions``, with an unreadable workbook refused in words that say what is at stake."""
    try:
        return pending_decisions(workspace, path)
    except InputError as exc:
        raise InputError(
            f"{display_path(workspace, path)}: cannot tell whether this working-group workbook holds decisions "
            f"not yet imported, so merge will not overwrite it ({exc}). Move it elsewhere, or run merge with "
            "--beside to write the new workbook next to it"
        ) from None
