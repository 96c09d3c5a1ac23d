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
from harmonise.output import write_text
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
    records = load_acknowledgements(workspace, chapter)
    new = [Acknowledgement(i, errors[i].where, errors[i].message, rationale.strip(), meeting, by) for i in ids]
    records.update({a.finding: a for a in new})
    write_register(workspace, chapter, records)
    log_acknowledgements(workspace, chapter, new, user)
    return new


def write_register(workspace: Workspace, chapter: Chapter, records: dict[str, Acknowledgement]) -> None:
    body: dict[str, Any] = {
        "chapter": chapter.slug,
        "acknowledged": {k: {f: v for f, v in asdict(a).items() if f != "finding"} for k, a in records.items()},
    }
    text = yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    write_text(acknowledgements_path(workspace, chapter), HEADER + text)


def log_acknowledgements(workspace: Workspace, chapter: Chapter, new: Sequence[Acknowledgement], user: str) -> None:
    """One ``decision`` event per acknowledgement, so ``audit why`` finds it with the item decisions."""
    events = [
        (
            "decision",
            {
                "chapter": chapter.slug,
                "item_key": f"data-error:{a.finding}",
                "item_name": f"data error at {a.where}",
                "decision": "acknowledge data error",
                "message": a.message,
                "rationale": a.rationale,
                "meeting": a.meeting,
                "by": a.by,
            },
        )
        for a in new
    ]
    AuditLog(workspace.root / "reports" / "audit.jsonl").append(events, user=user)
