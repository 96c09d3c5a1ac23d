"""The tamper-evident audit log: ``reports/audit.jsonl``, one JSON event a line, append-only.

Every event carries the SHA-256 of the event before it (``prev``) and of itself (``hash``: SHA-256 of the
canonical JSON of the event without its ``hash``), so editing, removing or reordering an event breaks the
chain at a line ``verify`` can name. Removing the *last* events leaves a valid chain, so each append also
records the last ``seq`` and ``hash`` in a small head file beside the log (``audit.jsonl.head``); verify
checks the log still reaches it. The chain shows accidental or naive tampering; someone able to rewrite the
log, the head and every hash is not stopped by it (publish or print the head hash to anchor it outside).

The log is the last thing that may be wrong, so an append never builds on a log that does not verify:

* every append first checks that the log still reaches its head (``require_intact``) and refuses, with
  ``verify``'s message and nothing written, when events were removed from its end, the head is missing or
  unreadable, or the log is empty or missing in a workspace that holds files only logged commands write (a
  decisions register, a published version, a merge's ``outcomes.json``: ``history_witnesses``). Otherwise the
  next command would chain from whatever is left and rewrite the head, laundering the deletion;
* a failed append (a full disk, an interrupt) cuts the log back to the size it had, so no half-written line
  is left; if even that fails, the error says so and names ``harmonise audit repair``;
* ``repair`` removes only a trailing partial line (an interrupted write: nothing in it was ever complete),
  keeps its bytes in a ``repair`` event, and refuses anything else.

A log at ``<root>/reports/audit.jsonl`` belongs to the workspace ``<root>``, whose witnesses it checks.

Event data by kind (the merge, import and publish commands write these):
``run`` {command, inputs: {name: {path, sha256}}, rules, config: {path, sha256}} (see ``run_event``);
``outcome`` {chapter, item_key, item_name, before: {kind, status, decided_by} | None,
after: {kind, status, decided_by, rationale}}; ``decision`` {chapter, item_key, item_name, decision, status,
rationale, meeting, decided_by}; ``decision-stale`` and ``decision-vanished`` the ``decision`` keys plus
``reason``; ``publication`` {chapter, version, files: {name: sha256}}; ``repair`` {removed_bytes,
removed_sha256, removed_text, reason}; ``export`` {chapter (its slug), number, format, tables, folder,
files: {name: sha256}, rows: {table: count}}, one per chapter exported.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from harmonise import __version__
from harmonise.errors import InputError
from harmonise.output import clean_leftovers, locked, sha256_file, write_text

KINDS = (
    "run",
    "outcome",
    "decision",
    "decision-stale",
    "decision-vanished",
    "publication",
    "reference",
    "repair",
    "export",
)
ITEM_KINDS = ("outcome", "decision", "decision-stale", "decision-vanished")
GENESIS = "0" * 64
FIELDS = ("seq", "kind", "at", "user", "tool_version", "run_id", "data", "prev", "hash")
WITNESS_GLOBS = ("decisions/*.yaml", "published/*/v*/manifest.json", "reports/*/outcomes.json")
REFUSED = (
    "nothing was written. Run `harmonise audit verify`; restore reports/audit.jsonl and its head file from a backup"
)


@dataclass(frozen=True)
class AuditEvent:
    """One line of the log. ``seq`` counts from 1; ``at`` is UTC ISO-8601 ending in ``Z``."""

    seq: int
    kind: str
    at: str
    user: str
    tool_version: str
    run_id: str
    data: Mapping[str, Any]
    prev: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS}


@dataclass(frozen=True)
class VerifyResult:
    """What ``verify`` found: ``first_bad`` is the line number of the first bad event (None when intact)."""

    ok: bool
    events: int
    first_bad: int | None = None
    problem: str = ""
    exists: bool = True


@dataclass(frozen=True)
class HistoryEntry:
    """One step in an item's history: what happened, to which status, by which rule or decision, why."""

    seq: int
    at: str
    user: str
    kind: str
    what: str
    status: str | None
    decided_by: str
    rationale: str


@dataclass(frozen=True)
class ItemHistory:
    """Everything the log holds about one item of one chapter, in log (time) order."""

    chapter: str
    item_key: str
    item_name: str
    entries: tuple[HistoryEntry, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``audit why --json``)."""
        return {**asdict(self), "entries": [asdict(entry) for entry in self.entries]}


# what json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False) makes, one encoder
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical(payload: Mapping[str, Any]) -> bytes:
    """The one byte form that is hashed and written: sorted keys, no spaces, UTF-8."""
    return _CANONICAL.encode(payload).encode("utf-8")


def _canonical_object(encoded: Mapping[str, str]) -> bytes:
    """``canonical`` of an object whose values are given already encoded (``_CANONICAL.encode`` of each): JSON
    nests (a value is written alone as it is inside its object), so a merge's thousands of events encode each
    value once, and the fields all its events share once for all."""
    return ("{" + ",".join(f"{_key_text(k)}:{encoded[k]}" for k in sorted(encoded)) + "}").encode("utf-8")


@functools.lru_cache(maxsize=64)
def _key_text(key: str) -> str:
    """A field name or event kind as JSON (a handful of words, encoded once)."""
    return _CANONICAL.encode(key)


def event_hash(payload: Mapping[str, Any]) -> str:
    """SHA-256 of an event's canonical JSON without its ``hash`` field."""
    return hashlib.sha256(canonical({k: v for k, v in payload.items() if k != "hash"})).hexdigest()


def utc_now() -> datetime:
    return datetime.now(UTC)


class AuditLog:
    """The append-only audit log of one workspace (``reports/audit.jsonl``)."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.path = Path(path)
        self.head_path = self.path.with_name(self.path.name + ".head")
        self._clock = clock

    def append(
        self, events: Sequence[tuple[str, Mapping[str, Any]]], *, user: str, run_id: str | None = None
    ) -> list[AuditEvent]:
        """Append ``(kind, data)`` events as one run, chained from the current last event, under the lock.

        Append-only on purpose: the file is opened in append mode and whole lines are written, flushed and
        fsynced. An atomic rewrite (temp file + rename) would copy the entire history on every run and would
        let a bug silently drop or alter past events; appending can at worst leave a partial last line after
        a crash, which ``read`` and ``verify`` report and which makes further appends refuse until a person
        has looked at it.
        """
        for kind, _ in events:
            if kind not in KINDS:
                raise ValueError(f"unknown audit event kind {kind!r}; expected one of {', '.join(KINDS)}")
        if not events:
            return []
        envelope = _envelope(self._clock(), user, run_id)
        with locked(self.path):
            written = _chain(events, envelope, *self.require_intact())
            self._write_whole(b"".join(line for _, line in written), len(written))
            self._write_head(written[-1][0])
        return [event for event, _ in written]

    def _write_whole(self, payload: bytes, count: int) -> None:
        """Append ``payload`` whole, or cut the log back to the size it had and raise."""
        size = self.path.stat().st_size if self.path.exists() else 0
        try:
            with open(self.path, "ab") as handle:
                _write_all(handle, payload)
        except BaseException as exc:
            self._cut_back(size, count, exc)
            raise

    def _cut_back(self, size: int, count: int, cause: BaseException) -> None:
        """Truncate the log to ``size`` after a failed append; raise an ``InputError`` saying what happened."""
        what = os_reason(cause)
        try:
            os.truncate(self.path, size)
        except OSError as exc:
            raise InputError(
                f"{self.path}: appending {count} audit event(s) failed ({what}) and the log could not be cut back "
                f"to its previous {size} bytes ({os_reason(exc)}): its last line may be half-written. Run "
                "`harmonise audit verify`, then `harmonise audit repair`"
            ) from cause
        if isinstance(cause, OSError):
            raise InputError(
                f"{self.path}: {what}: the {count} audit event(s) were not written (the log was cut back to its "
                f"previous {size} bytes; no half-written line is left)"
            ) from cause

    def _write_head(self, last: AuditEvent) -> None:
        """Record the last event in the head file. The events are already durable, so a head that cannot be
        written (a full disk) is left behind the log: ``verify`` accepts a lagging head (the chain still
        covers every event) and the next append moves it on. The lock is held, so a temporary head file here is
        one a killed append left: it is removed."""
        with contextlib.suppress(OSError):
            clean_leftovers(self.head_path.parent, (self.head_path.name,))
            write_text(self.head_path, json.dumps({"seq": last.seq, "hash": last.hash}) + "\n")

    def now(self) -> str:
        """The log's clock, as events record it (UTC ISO-8601 ending in ``Z``)."""
        return str(_envelope(self._clock(), "", "-")["at"])

    @property
    def root(self) -> Path | None:
        """The workspace of a log at ``<root>/reports/audit.jsonl`` (None for a log elsewhere)."""
        return self.path.parent.parent if self.path.parent.name == "reports" else None

    def history_witnesses(self) -> list[str]:
        """Files of the workspace that only logged commands write: their presence proves the log had events."""
        if self.root is None:
            return []
        found = (p for pattern in WITNESS_GLOBS for p in sorted(self.root.glob(pattern)))
        return [p.relative_to(self.root).as_posix() for p in found if p.is_file()]

    def require_intact(self) -> tuple[int, str]:
        """``(seq, hash)`` of the last event, to chain from; ``InputError`` when the log no longer reaches its
        head (the fast path compares the last line with the head file; anything else walks the chain)."""
        seq, last = self._last_link()
        head, problem = self._read_head()
        if head == (seq, last) and not problem:
            return seq, last
        if head is None and seq == 0 and not problem:
            problem = _emptied_problem(self.path.name, self.history_witnesses())
            if not problem:
                return seq, last
        result = self.verify()
        if result.ok:
            return seq, last
        where = f" (line {result.first_bad})" if result.first_bad else ""
        raise InputError(f"{self.path}: the audit log does not verify{where}: {result.problem}; {REFUSED}")

    def repair(self, user: str) -> AuditEvent | None:
        """Remove a trailing partial line (an interrupted write), recorded as a ``repair`` event holding its
        bytes; None when there is nothing to repair. Anything else wrong with the log is refused."""
        with locked(self.path):
            if not self.path.exists() or _last_line(self.path).endswith(b"\n") or not self.path.stat().st_size:
                return None
            partial = _last_line(self.path)
            keep = self.path.stat().st_size - len(partial)
            os.truncate(self.path, keep)
            data = {
                "removed_bytes": len(partial),
                "removed_sha256": hashlib.sha256(partial).hexdigest(),
                "removed_text": partial.decode("utf-8", errors="replace"),
                "reason": "a trailing partial line: an append interrupted before its line was complete",
            }
            try:
                written = _chain([("repair", data)], _envelope(self._clock(), user, None), *self.require_intact())
            except InputError:
                _restore_tail(self.path, keep, partial)
                raise
            event, line = written[0]
            self._write_whole(line, 1)
            self._write_head(event)
        return event

    def _last_link(self) -> tuple[int, str]:
        """``(seq, hash)`` of the last event on disk, read from the end of the file (fast for any size)."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return 0, GENESIS
        last = _last_line(self.path)
        where = f"{self.path}: the last line"
        if not last.endswith(b"\n"):
            raise InputError(
                f"{where} is incomplete (interrupted write?); nothing was appended. "
                "Run `harmonise audit verify`, then `harmonise audit repair` (it removes the partial line and "
                "records that it did) before the next run."
            )
        try:
            event = json.loads(last)
            return int(event["seq"]), str(event["hash"])
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{where} is not an audit event ({exc}); nothing was appended") from exc

    def read(self) -> list[AuditEvent]:
        """Every event in file order; an unreadable line is an ``InputError`` naming the file and line."""
        events = []
        for lineno, payload, problem in self._lines():
            if problem:
                remedy = "; run `harmonise audit repair`" if "incomplete" in problem else ""
                raise InputError(f"{self.path}:{lineno}: {problem}{remedy}")
            shape = _shape_problem(payload)
            if shape:
                raise InputError(f"{self.path}:{lineno}: {shape}")
            events.append(AuditEvent(**{name: payload[name] for name in FIELDS}))
        return events

    def select(self, *needles: str) -> list[AuditEvent]:
        """The events whose line holds every one of ``needles`` (canonical JSON text such as
        ``"kind":"decision"``), parsing only those lines; an unreadable line is an ``InputError``."""
        wanted = [needle.encode("utf-8") for needle in needles]
        events: list[AuditEvent] = []
        if not self.path.exists():
            return events
        with open(self.path, "rb") as handle:
            for lineno, raw in enumerate(handle, start=1):
                if not raw.endswith(b"\n"):
                    raise InputError(
                        f"{self.path}:{lineno}: line {lineno} is incomplete (interrupted write?); run "
                        "`harmonise audit repair`"
                    )
                if all(needle in raw for needle in wanted):
                    events.append(self._event(lineno, raw))
        return events

    def _event(self, lineno: int, raw: bytes) -> AuditEvent:
        try:
            payload = json.loads(raw)
        except ValueError:
            raise InputError(f"{self.path}:{lineno}: line {lineno} is not valid JSON") from None
        shape = _shape_problem(payload) if isinstance(payload, dict) else "not an audit event"
        if shape:
            raise InputError(f"{self.path}:{lineno}: {shape}")
        return AuditEvent(**{name: payload[name] for name in FIELDS})

    def _lines(self) -> Iterator[tuple[int, dict[str, Any], str]]:
        """Stream ``(line number, parsed object, problem)``; problem is empty for a readable JSON object."""
        if not self.path.exists():
            return
        with open(self.path, "rb") as handle:
            for lineno, raw in enumerate(handle, start=1):
                if not raw.endswith(b"\n"):
                    yield lineno, {}, f"line {lineno} is incomplete (interrupted write?)"
                    continue
                try:
                    payload = json.loads(raw)
                except ValueError:
                    yield lineno, {}, f"line {lineno} is not valid JSON"
                    continue
                if not isinstance(payload, dict):
                    yield lineno, {}, f"line {lineno} is not a JSON object"
                    continue
                yield lineno, payload, ""

    def verify(self) -> VerifyResult:
        """Walk the chain; name the first event that was edited, removed or reordered."""
        head, head_problem = self._read_head()
        empty = not self.path.exists() or self.path.stat().st_size == 0
        if empty and head is None and not head_problem:
            emptied = _emptied_problem(self.path.name, self.history_witnesses())
            return VerifyResult(ok=not emptied, events=0, problem=emptied, exists=self.path.exists())
        expected_prev, count, head_hash_at = GENESIS, 0, None
        for lineno, payload, problem in self._lines():
            bad = lineno
            if not problem:
                bad, problem = _event_problem(lineno, payload, count + 1, expected_prev)
            if problem:
                return VerifyResult(ok=False, events=count, first_bad=bad, problem=problem)
            count, expected_prev = payload["seq"], payload["hash"]
            if head is not None and count == head[0]:
                head_hash_at = payload["hash"]
        if head_problem:
            return VerifyResult(ok=False, events=count, problem=head_problem)
        bad_line, problem = _head_problem(self.head_path.name, head, count, head_hash_at)
        if problem:
            return VerifyResult(ok=False, events=count, first_bad=bad_line, problem=problem)
        return VerifyResult(ok=True, events=count)

    def _read_head(self) -> tuple[tuple[int, str] | None, str]:
        if not self.head_path.exists():
            return None, ""
        try:
            head = json.loads(self.head_path.read_text(encoding="utf-8"))
            return (int(head["seq"]), str(head["hash"])), ""
        except (ValueError, KeyError, TypeError):
            return (
                None,
                f"{self.head_path.name} is unreadable: removal of the last events cannot be ruled out",
            )

    def why(self, text: str) -> list[ItemHistory]:
        """The history of every item whose name (or key) matches ``text``, each in time order."""
        return item_histories(self.read(), text)


def _envelope(now: datetime, user: str, run_id: str | None) -> dict[str, Any]:
    """The fields every event of one append shares."""
    return {
        "at": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "user": user,
        "tool_version": __version__,
        "run_id": run_id or uuid.uuid4().hex,
    }


def _write_all(handle: BinaryIO, payload: bytes) -> None:
    """Write, flush and fsync whole lines (a seam for tests that fill the disk half-way)."""
    handle.write(payload)
    handle.flush()
    os.fsync(handle.fileno())


def _restore_tail(path: Path, size: int, tail: bytes) -> None:
    """Put back a partial line removed by a repair that was then refused (the log is left as it was)."""
    with open(path, "ab") as handle:
        handle.truncate(size)
        _write_all(handle, tail)


def os_reason(exc: BaseException) -> str:
    """A failed write in words: a full disk, an interrupt, or the system's message."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "the disk is full"
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    return str(getattr(exc, "strerror", "") or exc or type(exc).__name__)


def _emptied_problem(name: str, witnesses: Sequence[str]) -> str:
    """Why an empty or missing log with no head is suspect: the workspace proves history existed."""
    if not witnesses:
        return ""
    shown = ", ".join(witnesses[:3]) + (f" and {len(witnesses) - 3} more" if len(witnesses) > 3 else "")
    return (
        f"{name} is empty or missing and so is its head file, but the workspace holds files that only logged "
        f"commands write ({shown}): the log was deleted or emptied"
    )


def _chain(
    events: Sequence[tuple[str, Mapping[str, Any]]], envelope: Mapping[str, Any], seq: int, prev: str
) -> list[tuple[AuditEvent, bytes]]:
    """Number and hash ``events`` after the event ``(seq, prev)``, each with the line that writes it
    (``canonical(event.to_dict())``); data is copied as plain JSON."""
    chained = []
    shared = {k: _CANONICAL.encode(v) for k, v in envelope.items()}
    for kind, data in events:
        seq += 1
        copy = json.loads(_CANONICAL.encode(data))
        text = _CANONICAL.encode(copy)  # not always the first text: keys that were not strings sort as strings now
        fields = {**envelope, "seq": seq, "kind": kind, "data": copy, "prev": prev}
        encoded = {**shared, "seq": str(seq), "kind": _key_text(kind), "data": text, "prev": _CANONICAL.encode(prev)}
        prev = hashlib.sha256(_canonical_object(encoded)).hexdigest()  # event_hash(fields)
        line = _canonical_object({**encoded, "hash": f'"{prev}"'}) + b"\n"  # a hex digest is its own JSON text
        chained.append((AuditEvent(**fields, hash=prev), line))
    return chained


def _shape_problem(payload: Mapping[str, Any]) -> str:
    missing = [name for name in FIELDS if name not in payload]
    if missing:
        return f"not an audit event: missing {', '.join(missing)}"
    if not isinstance(payload["seq"], int) or not isinstance(payload["data"], dict):
        return "not an audit event: seq must be a number and data an object"
    return ""


def _event_problem(lineno: int, payload: Mapping[str, Any], expected_seq: int, expected_prev: str) -> tuple[int, str]:
    """``(first bad line, why)`` when this line breaks the chain; the own-hash check comes first (an edit)."""
    if "hash" in payload and event_hash(payload) != payload["hash"]:
        seq = payload.get("seq", "?")
        return lineno, f"event {seq} (line {lineno}) was edited: its hash does not match its content"
    shape = _shape_problem(payload)
    if shape:
        return lineno, f"line {lineno} is {shape}"
    return _link_problem(lineno, payload, expected_seq, expected_prev)


def _link_problem(lineno: int, payload: Mapping[str, Any], expected_seq: int, expected_prev: str) -> tuple[int, str]:
    """Does this (self-consistent) event follow the one before it?"""
    seq, prev_ok = payload["seq"], payload["prev"] == expected_prev
    if seq > expected_seq:
        missing = f"event {expected_seq} is" if seq == expected_seq + 1 else f"events {expected_seq}-{seq - 1} are"
        return lineno, (
            f"{missing} missing or events were reordered: line {lineno} has seq {seq}, "
            f"previous hash {'matches' if prev_ok else 'does not match'}"
        )
    if seq < expected_seq:
        return (
            lineno,
            f"events were reordered or duplicated: line {lineno} has seq {seq}, expected {expected_seq}",
        )
    if prev_ok:
        return lineno, ""
    if lineno == 1:
        return 1, f"event 1 (line 1) was edited: the first event must have previous hash {GENESIS[:8]}..."
    # Both events hash correctly, so one of them was edited and its hash recomputed: name the earlier one.
    return lineno - 1, (
        f"the chain breaks between event {seq - 1} (line {lineno - 1}) and event {seq} (line {lineno}): "
        f"event {seq} records a different hash for event {seq - 1} (one of them was edited and re-hashed)"
    )


def _head_problem(
    head_name: str, head: tuple[int, str] | None, last_seq: int, hash_at_head: str | None
) -> tuple[int | None, str]:
    """``(line, problem)`` when the log no longer reaches the last event the head file recorded."""
    if head is None:
        if last_seq == 0:
            return None, ""
        return None, f"{head_name} is missing, so removal of the last events cannot be ruled out"
    head_seq, head_hash = head
    if head_seq > last_seq:
        gone = f"event {head_seq} is" if head_seq == last_seq + 1 else f"events {last_seq + 1}-{head_seq} are"
        return last_seq + 1, (
            f"{gone} missing: the log ends at event {last_seq} (line {last_seq}) "
            f"but {head_name} records {head_seq} events"
        )
    if hash_at_head != head_hash:
        return head_seq, f"event {head_seq} (line {head_seq}) was replaced: its hash differs from {head_name}"
    return None, ""  # a head behind the log means a crash between the two writes; the chain still covers it


def _last_line(path: Path, block: int = 1 << 16) -> bytes:
    """The last line of a file (with its newline, if any), reading backwards in blocks."""
    with open(path, "rb") as handle:
        end = handle.seek(0, os.SEEK_END)
        tail, pos = b"", end
        while pos > 0:
            step = min(block, pos)
            pos -= step
            handle.seek(pos)
            tail = handle.read(step) + tail
            cut = tail.rfind(b"\n", 0, len(tail) - 1)
            if cut >= 0:
                return tail[cut + 1 :]
        return tail


def run_event(
    command: str, inputs: Mapping[str, Path], rules_digest: str, config_path: Path
) -> tuple[str, dict[str, Any]]:
    """The ``run`` event for a command: the SHA-256 of every input file, of the rules and of the config."""

    def fingerprint(path: Path) -> dict[str, str]:
        if not Path(path).is_file():
            raise InputError(f"{path}: file not found (cannot record its SHA-256 in the audit log)")
        return {"path": Path(path).as_posix(), "sha256": sha256_file(path)}

    return "run", {
        "command": command,
        "inputs": {name: fingerprint(path) for name, path in inputs.items()},
        "rules": rules_digest,
        "config": fingerprint(config_path),
    }


def item_histories(events: Sequence[AuditEvent], text: str) -> list[ItemHistory]:
    """Histories of the items whose name contains ``text`` (or all its words), or whose key is ``text``.

    Publications of the item's chapter after its first event are part of its history: they say when the
    outcome reached a published formulary.
    """
    if not text.strip():
        raise InputError("give part of an item name to look for")
    by_item: dict[tuple[str, str], list[AuditEvent]] = {}
    matched: set[tuple[str, str]] = set()
    publications: list[AuditEvent] = []
    for event in events:
        if event.kind == "publication":
            publications.append(event)
        elif event.kind in ITEM_KINDS:
            key = (str(event.data.get("chapter", "")), str(event.data.get("item_key", "")))
            by_item.setdefault(key, []).append(event)
            if key not in matched and _matches(text, str(event.data.get("item_name", "")), key[1]):
                matched.add(key)
    histories = []
    for key in matched:
        own, first = by_item[key], by_item[key][0].seq
        published = [p for p in publications if p.seq > first and p.data.get("chapter") == key[0]]
        entries = tuple(_history_entry(e) for e in sorted(own + published, key=lambda e: e.seq))
        name = str(own[-1].data.get("item_name", ""))
        histories.append(ItemHistory(chapter=key[0], item_key=key[1], item_name=name, entries=entries))
    return sorted(histories, key=lambda h: (h.chapter, h.item_name.casefold(), h.item_key))


def _matches(text: str, name: str, key: str) -> bool:
    wanted, name = text.casefold().strip(), name.casefold()
    return wanted in name or wanted == key.casefold() or all(word in name for word in wanted.split())


def _history_entry(event: AuditEvent) -> HistoryEntry:
    """One event as a step a pharmacist reads: what, which status, by which rule or decision, why."""
    data = event.data
    source = (data.get("after") or {}) if event.kind == "outcome" else data
    status, by = source.get("status"), str(source.get("decided_by", ""))
    rationale = str(source.get("rationale", ""))
    if event.kind == "outcome":
        before = data.get("before")
        was = f" (was {before.get('status') or before.get('kind')})" if before else " (new)"
        what = f"outcome: {source.get('kind', '')}{was}"
    elif event.kind == "publication":
        what = f"published version {data.get('version', '')}"
    else:
        what = f"{event.kind.replace('-', ' ')}: {data.get('decision', '')}".rstrip(": ")
        if event.kind != "decision":
            rationale = str(data.get("reason", "")) or rationale
        if data.get("meeting"):
            by = f"{by} (meeting {data['meeting']})" if by else f"meeting {data['meeting']}"
    return HistoryEntry(event.seq, event.at, event.user, event.kind, what, status, by, rationale)
