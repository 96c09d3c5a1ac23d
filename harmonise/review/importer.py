"""``harmonise decisions import``: read a filled-in working-group workbook into the decisions register.

Every filled row is validated (decision word, status when needed, candidate number, date, rationale, who
decided, an edited item key, edited protected columns); each problem is located by file, sheet, row and
column. Valid rows are recorded, invalid rows are rejected (the command then exits 1), so one typo does not
hold back a whole meeting's work. A row already recorded with the same decision changes nothing, so importing
the same workbook twice is harmless, except that a row recorded in the register without its ``decision``
event (an import cut short by an older harmonise) gets its event now (``relogged``). A *different* decision
for an item already decided is recorded only when it was taken at a later meeting, and the earlier one is
kept in the record's ``history``; otherwise it is a conflict, rejected, and the recorded decision stands. The
register is read, changed and written under its lock, its ``decision`` events and the register written both
or neither (``recording``: events first, under a write-ahead record that the next command completes or rolls
back; an import interrupted earlier is settled first, ``settled``).

The work is in three steps: ``reading`` (the workbook as a whole), ``validation`` (row by row) and, here,
recording the valid decisions in the register and the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harmonise.errors import Problem
from harmonise.model import Chapter, Scale
from harmonise.output import locked
from harmonise.review.reading import display_path, open_workbook, read_context
from harmonise.review.recording import Settled, audit_log, is_logged, log_then_save, logged_signatures, settle
from harmonise.review.register import (
    Decision,
    Register,
    audit_data,
    load_register,
    register_path,
    register_text,
    replace_decision,
)
from harmonise.review.validation import RowDecision, read_decisions
from harmonise.workspace import Workspace


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
    relogged: list[Decision] = field(default_factory=list)
    settled: Settled | None = None

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
                **({"veto_overridden": d.veto} if d.veto else {}),
            }

        return {
            "file": str(self.file),
            "chapter": self.chapter.slug,
            "register": str(self.register),
            "recorded": [brief(d) for d in self.recorded],
            "superseded": [brief(d) for d in self.superseded],
            "unchanged": [brief(d) for d in self.unchanged],
            "relogged": [brief(d) for d in self.relogged],
            "settled": str(self.settled) if self.settled else None,
            "rejected": [str(p) for p in self.rejected],
            "blank_rows": self.blank_rows,
        }


def import_decisions(
    workspace: Workspace,
    path: Path,
    user: str,
    chapter: str | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ImportReport:
    """Validate the workbook at ``path`` and record its valid decisions; see the module docstring."""
    workbook = open_workbook(path)
    display = display_path(workspace, path)
    context = read_context(workspace, workbook, display, path, user, clock(), chapter)
    rows, blank = read_decisions(context, workbook)
    target = register_path(workspace, context.chapter)
    report = ImportReport(path, context.chapter, target, rejected=context.problems, blank_rows=blank)
    log = audit_log(workspace.root)
    slug = context.chapter.slug
    with locked(target):
        report.settled = settle(target, log, display_path(workspace, target))
        register = load_register(target, context.chapter, workspace.scale, display_path(workspace, target))
        logged = logged_signatures(log, slug)
        for row in rows:
            _record(register, row, report, workspace.scale)
        report.relogged = [d for d in report.unchanged if not is_logged(slug, d, logged)]
        report.unchanged = [d for d in report.unchanged if d not in report.relogged]
        changed = bool(report.recorded or report.superseded)
        decided = (*report.recorded, *report.superseded, *report.relogged)
        if decided:
            events = [("decision", audit_data(slug, d)) for d in decided]
            text = register_text(register) if changed else None
            log_then_save(target, text, events, log=log, user=user, workbook=f"decisions import of {display}")
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
