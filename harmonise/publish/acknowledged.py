"""Data errors the working group acknowledged: the explicit record that lets a chapter with a data error be
published.

A data error (an unreadable cell, a name alone on its row, an unknown status word...) blocks publication
until it is fixed in the source or acknowledged: ``harmonise acknowledge --chapter N ID --rationale ...
--meeting YYYY-MM-DD`` records, in ``decisions/<NN-slug>.data-errors.yaml``, the finding (by its id, place and
message), why the group accepts it, the meeting and who; and logs it as a ``decision`` event. An
acknowledgement names one finding at one place: a finding that moves or changes is a new one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from harmonise.audit import AuditLog
from harmonise.errors import InputError, Problem
from harmonise.model import Chapter
from harmonise.output import locked
from harmonise.review import log_then_save, require_settled, settle
from harmonise.sources import Finding, load_chapter
from harmonise.workspace import Workspace, load_yaml

SUFFIX = ".data-errors.yaml"
HEADER = (
    "# Data errors the working group acknowledged (harmonise acknowledge); each allows publication despite\n"
    "# the finding it names. Fix the source instead where you can.\n"
)


@dataclass(frozen=True)
class Acknowledgement:
    """One data error the group accepted, and why."""

    finding: str
    where: str
    message: str
    rationale: str
    meeting: str
    by: str


def acknowledgements_path(workspace: Workspace, chapter: Chapter) -> Path:
    return workspace.root / "decisions" / f"{chapter.slug}{SUFFIX}"


def load_acknowledgements(workspace: Workspace, chapter: Chapter) -> dict[str, Acknowledgement]:
    """The chapter's acknowledgements by finding id (none when the file does not exist)."""
    path = acknowledgements_path(workspace, chapter)
    if not path.is_file():
        return {}
    raw = load_yaml(path, f"decisions/{path.name}").value or {}
    records = raw.get("acknowledged") if isinstance(raw, dict) else None
    if not isinstance(records, dict):
        raise InputError(f"decisions/{path.name}: expected 'acknowledged:' with one entry per finding id")
    fields = Acknowledgement.__dataclass_fields__
    return {
        str(key): Acknowledgement(str(key), *(str(value.get(f, "")) for f in list(fields)[1:]))
        for key, value in records.items()
        if isinstance(value, dict)
    }


def unresolved(findings: Sequence[Finding], acknowledged: dict[str, Acknowledgement]) -> list[Finding]:
    """The data errors (not warnings) neither fixed nor acknowledged."""
    return [f for f in findings if f.severity == "error" and f.id not in acknowledged]


def data_error_problems(findings: Sequence[Finding]) -> list[Problem]:
    return [Problem(f"data error {f.id}: {f.where}", f.message) for f in findings]


def check_meeting(meeting: str) -> str:
    try:
        return dt.date.fromisoformat(meeting).isoformat()
    except ValueError:
        raise InputError(f"--meeting {meeting!r}: give the meeting date as YYYY-MM-DD") from None


def acknowledge(
    workspace: Workspace, chapter: Chapter, ids: Sequence[str], *, rationale: str, meeting: str, by: str, user: str
) -> list[Acknowledgement]:
    """Record the group's acknowledgement of each data error named by ``ids`` (as listed by ``check --json``
    and by a refused ``publish``); InputError for an unknown id, a missing rationale or a bad date."""
    if not rationale.strip():
        raise InputError("--rationale is required: say why the group accepts the data error")
    meeting = check_meeting(meeting)
    errors = {f.id: f for f in load_chapter(workspace, chapter).findings if f.severity == "error"}
    unknown = [i for i in ids if i not in errors]
    if unknown or not ids:
        raise InputError(
            f"chapter {chapter.label}: no current data error with id {', '.join(unknown) or '(none given)'}; "
            "the data errors are:",
            data_error_problems(list(errors.values())),
        )
    path = acknowledgements_path(workspace, chapter)
    log = AuditLog(workspace.root / "reports" / "audit.jsonl")
    with locked(path):
        settle(path, log, f"decisions/{path.name}")
        records = load_acknowledgements(workspace, chapter)
        new = [Acknowledgement(i, errors[i].where, errors[i].message, rationale.strip(), meeting, by) for i in ids]
        records.update({a.finding: a for a in new})
        what = f"acknowledgement of data error(s) {', '.join(ids)}"
        log_then_save(
            path,
            register_text(chapter, records),
            acknowledgement_events(chapter, new),
            log=log,
            user=user,
            workbook=what,
        )
    return new


def register_text(chapter: Chapter, records: dict[str, Acknowledgement]) -> str:
    body: dict[str, Any] = {
        "chapter": chapter.slug,
        "acknowledged": {k: {f: v for f, v in asdict(a).items() if f != "finding"} for k, a in records.items()},
    }
    return HEADER + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)


def acknowledgement_events(chapter: Chapter, new: Sequence[Acknowledgement]) -> list[tuple[str, dict[str, str]]]:
    """One ``decision`` event per acknowledgement, so ``audit why`` finds it with the item decisions."""
    return [("decision", _event_data(chapter, a)) for a in new]


def _event_data(chapter: Chapter, a: Acknowledgement) -> dict[str, str]:
    return {
        "chapter": chapter.slug,
        "item_key": f"data-error:{a.finding}",
        "item_name": f"data error at {a.where}",
        "decision": "acknowledge data error",
        "message": a.message,
        "rationale": a.rationale,
        "meeting": a.meeting,
        "by": a.by,
    }


def load_logged_acknowledgements(workspace: Workspace, chapter: Chapter) -> dict[str, Acknowledgement]:
    """The chapter's acknowledgements, refused unless each has its ``decision`` event in the audit log (one
    written by hand, or left by an interrupted command, does not let a data error through)."""
    path = acknowledgements_path(workspace, chapter)
    records = load_acknowledgements(workspace, chapter)
    if not records:
        return records
    log = AuditLog(workspace.root / "reports" / "audit.jsonl")
    display = f"decisions/{path.name}"
    require_settled(path, display)
    keys = ("item_key", "rationale", "meeting", "by")
    events = log.select('"kind":"decision"', '"decision":"acknowledge data error"')
    logged = {tuple(str(e.data.get(k, "")) for k in keys) for e in events if e.data.get("chapter") == chapter.slug}
    missing = [a for a in records.values() if tuple(_event_data(chapter, a)[k] for k in keys) not in logged]
    if missing:
        raise InputError(
            f"{display}: {len(missing)} acknowledgement(s) have no decision event in the audit log (written or "
            "edited by hand), so they do not allow publication. Record them with `harmonise acknowledge`, or "
            "remove them:",
            [Problem(f"{display}: acknowledged.{a.finding}", f"{a.where}: {a.rationale}") for a in missing],
        )
    return records
