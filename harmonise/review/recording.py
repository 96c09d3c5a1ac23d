"""Recording decisions as one transaction: a register never holds a decision without its ``decision`` event.

The audit log is the source of truth, so the events are written first and the register follows them. A
``decisions import`` (under the register's lock) does four steps:

1. write a write-ahead record beside the register, ``decisions/<NN-slug>.yaml.pending`` (JSON, atomic): the
   run id of the events, the register's SHA-256 before, the new register text and the events to log;
2. append the events to the audit log under that run id (a failed append cuts the log back: nothing logged);
3. write the new register (an atomic rename);
4. remove the record.

A kill or a full disk at any point leaves one of three states, and the next command settles it
(``settle``: ``decisions import``, ``merge``, ``publish`` and ``acknowledge`` do, and ``audit repair``):

* the record, and none of its run's events in the log: **rolled back** (the register was never changed; the
  record is removed; import the workbook again);
* the record, and some or all of its run's events in the log: **completed** (the missing events are
  appended, the register is written, the record removed);
* no record: nothing to do (the register and its events were both written, or neither).

A register can still lose its events another way: a hand-written or hand-edited record, or a register saved
by an older harmonise that was killed before logging. ``require_logged`` refuses such a register at merge and
publish, naming each record; a re-import of the workbook records the missing event instead of skipping the
row as already recorded (``logged_signatures``).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harmonise.audit import AuditEvent, AuditLog, os_reason
from harmonise.errors import InputError, Problem
from harmonise.model import Chapter
from harmonise.output import clean_leftovers, locked, remove_file, write_text
from harmonise.review.register import (
    Decision,
    Register,
    audit_data,
    load_register,
    register_path,
)
from harmonise.workspace import Workspace

SIGNATURE_KEYS = ("chapter", "item_key", "decision", "status", "meeting", "decided_by", "rationale", "harmonised_name")
PENDING_SUFFIX = ".pending"
COMPLETED, ROLLED_BACK = "completed", "rolled back"

Events = Sequence[tuple[str, Mapping[str, Any]]]


@dataclass(frozen=True)
class Settled:
    """What the next command did with an interrupted recording (a decisions import or an acknowledgement):
    ``action`` is ``completed`` or ``rolled back``; ``workbook`` says what was being recorded."""

    register: str
    action: str
    workbook: str
    started_at: str
    events: int
    appended: int = 0

    def __str__(self) -> str:
        head = f"{self.register}: {self.action} the {self.workbook} interrupted at {self.started_at}"
        if self.action == ROLLED_BACK:
            again = "import the workbook again" if self.workbook.startswith("decisions import") else "run it again"
            return (
                f"{head}: none of its {self.events} decision event(s) reached the audit log, so the register was "
                f"left as it was; {again}"
            )
        late = f" ({self.appended} appended now)" if self.appended else ""
        return f"{head}: its {self.events} decision event(s) are in the audit log{late} and the register was written"


def audit_log(root: Path) -> AuditLog:
    return AuditLog(Path(root) / "reports" / "audit.jsonl")


def pending_import_path(register: Path) -> Path:
    return register.with_name(register.name + PENDING_SUFFIX)


def _sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def signature(data: Mapping[str, Any]) -> tuple[str, ...]:
    """What a ``decision`` event and a register record must agree on (bookkeeping and labels aside)."""
    return tuple(str(data.get(key) or "") for key in SIGNATURE_KEYS)


def logged_signatures(log: AuditLog, chapter: str) -> set[tuple[str, ...]]:
    """The signatures of the chapter's ``decision`` events in the log."""
    events = log.select('"kind":"decision"', f'"chapter":{json.dumps(chapter, ensure_ascii=False)}')
    return {signature(e.data) for e in events if e.kind == "decision" and e.data.get("chapter") == chapter}


def is_logged(chapter: str, decision: Decision, logged: set[tuple[str, ...]]) -> bool:
    return signature(audit_data(chapter, decision)) in logged


# -- writing ---------------------------------------------------------------------------------------------------


def log_then_save(target: Path, text: str | None, events: Events, *, log: AuditLog, user: str, workbook: str) -> None:
    """Log ``events`` and write ``text`` to the register ``target`` (None: unchanged) both or neither; callers
    hold the register's lock and have settled it. ``workbook`` names what is being recorded (the workbook
    imported, or the command) in the write-ahead record and in what ``settle`` says of it."""
    run_id = uuid.uuid4().hex
    record = {
        "run_id": run_id,
        "started_at": log.now(),
        "user": user,
        "workbook": workbook,
        "register_before": _sha(target),
        "register_text": text,
        "events": [[kind, dict(data)] for kind, data in events],
    }
    marker = pending_import_path(target)
    write_text(marker, json.dumps(record, ensure_ascii=False, indent=1) + "\n")
    try:
        log.append(events, user=user, run_id=run_id)
    except BaseException:
        remove_file(marker)  # nothing was logged (the append cut the log back), so nothing happened
        raise
    if text is not None:
        try:
            write_text(target, text)
        except OSError as exc:
            raise InputError(
                f"{target}: {os_reason(exc)}: the {len(events)} decision event(s) are in the audit log but the "
                f"register could not be written; the next harmonise command completes it from {marker.name}"
            ) from exc
    remove_file(marker)


# -- settling an interrupted import ------------------------------------------------------------------------------


def settle(target: Path, log: AuditLog, display: str) -> Settled | None:
    """Complete or roll back the import interrupted on the register ``target`` (callers hold its lock)."""
    marker = pending_import_path(target)
    if not marker.is_file():
        return None
    record = _read_record(marker)
    events: list[tuple[str, dict[str, Any]]] = [(str(k), dict(d)) for k, d in record["events"]]
    logged = log.select(f'"run_id":"{record["run_id"]}"')
    note = Settled(display, ROLLED_BACK, str(record["workbook"]), str(record["started_at"]), len(events))
    if logged:
        note = _complete(target, record, events, logged, log, note)
    remove_file(marker)
    return note


def _complete(
    target: Path,
    record: Mapping[str, Any],
    events: list[tuple[str, dict[str, Any]]],
    logged: list[AuditEvent],
    log: AuditLog,
    note: Settled,
) -> Settled:
    """Append the run's events that did not reach the log, then write the register the import meant."""
    missing = events[len(logged) :]
    if missing:
        log.append(missing, user=str(record["user"]), run_id=str(record["run_id"]))
    text = record["register_text"]
    if text is not None and _sha(target) != hashlib.sha256(text.encode("utf-8")).hexdigest():
        if _sha(target) != record["register_before"]:
            raise InputError(
                f"{note.register}: changed by hand since the import of {note.workbook} was interrupted, so it "
                f"cannot be completed; compare it with {pending_import_path(target).name} and settle it by hand"
            )
        write_text(target, text)
    return Settled(note.register, COMPLETED, note.workbook, note.started_at, len(events), len(missing))


def _read_record(marker: Path) -> dict[str, Any]:
    try:
        record = json.loads(marker.read_text(encoding="utf-8"))
        if not isinstance(record, dict) or not {"run_id", "events", "register_text"} <= set(record):
            raise ValueError("missing fields")
        return record
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(
            f"{marker}: the record of an interrupted decisions import is unreadable ({exc}); compare the register "
            "with the audit log, then remove it by hand"
        ) from None


def settle_pending(root: Path) -> list[Settled]:
    """Settle every interrupted import of the workspace at ``root`` (no configuration needed); the events
    appended keep the user of the interrupted import. Temporary files a killed import left are removed."""
    notes = []
    folder = Path(root) / "decisions"
    for marker in sorted(folder.glob(f"*.yaml{PENDING_SUFFIX}")):
        target = marker.with_name(marker.name[: -len(PENDING_SUFFIX)])
        with locked(target):
            note = settle(target, audit_log(root), f"decisions/{target.name}")
        if note:
            notes.append(note)
    for register in sorted({folder / (p.name[1:].split(".yaml.")[0] + ".yaml") for p in folder.glob(".*.yaml.*.tmp")}):
        with locked(register):  # no import is writing them now
            clean_leftovers(folder, (register.name,))
    return notes


# -- reading -----------------------------------------------------------------------------------------------------


def unlogged_decisions(register: Register, log: AuditLog) -> list[Decision]:
    """The records of ``register`` that have no ``decision`` event in the log."""
    if not register.decisions:
        return []
    logged = logged_signatures(log, register.chapter)
    return [d for d in register.decisions.values() if not is_logged(register.chapter, d, logged)]


def require_settled(path: Path, display: str) -> None:
    """Refuse a register whose recording (a decisions import, an acknowledgement) is still pending."""
    marker = pending_import_path(path)
    if marker.is_file():
        raise InputError(
            f"{display}: a recording of decisions was interrupted ({marker.name}); run `harmonise merge` or "
            "`harmonise audit repair`, which completes or rolls it back"
        )


def require_logged(register: Register, path: Path, log: AuditLog, display: str) -> None:
    """Refuse a register holding a record without its ``decision`` event (hand-written, or its import was cut
    short), or with an import still pending; each record is named."""
    require_settled(path, display)
    missing = unlogged_decisions(register, log)
    if missing:
        raise InputError(
            f"{display}: {len(missing)} recorded decision(s) have no decision event in the audit log (written or "
            "edited by hand, or an import cut short), so they are not applied or published. Import the working "
            "group's workbook again (the import records what is missing), or remove the record(s):",
            [Problem(f"{display}: decisions.{d.fingerprint}", f"{d.item}: {d.describe()}") for d in missing],
        )


def load_logged_register(workspace: Workspace, chapter: Chapter) -> Register:
    """The chapter's register, refused unless every record has its decision event (see ``require_logged``)."""
    display = f"decisions/{chapter.slug}.yaml"
    path = register_path(workspace, chapter)
    register = load_register(path, chapter, workspace.scale, display)
    require_logged(register, path, audit_log(workspace.root), display)
    return register


@dataclass(frozen=True)
class Repair:
    """What ``audit repair`` did: the ``repair`` event of a trailing partial line removed (None: there was none),
    then the interrupted imports it settled."""

    event: AuditEvent | None
    settled: list[Settled]


def repair_workspace(root: Path, user: str) -> Repair:
    """Repair only what can be repaired honestly: a trailing partial line of the log (recorded as an event),
    then every interrupted decisions import (completed or rolled back)."""
    event = audit_log(root).repair(user)
    return Repair(event, settle_pending(root))
