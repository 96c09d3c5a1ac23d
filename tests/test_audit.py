"""The audit log: appending, the hash chain, verify against tampering, and ``why`` histories."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from harmonise import __version__
from harmonise.audit import GENESIS, AuditLog, _last_line, canonical, event_hash, run_event
from harmonise.errors import InputError


def ticking_clock(start: datetime = datetime(2024, 11, 5, 9, 30, tzinfo=UTC)) -> Iterator[datetime]:
    moment = start
    while True:
        yield moment
        moment += timedelta(minutes=1)


def make_log(path: Path, count: int = 5) -> AuditLog:
    """A log of ``count`` events written by separate appends (as separate runs would)."""
    clock = ticking_clock()
    log = AuditLog(path, clock=lambda: next(clock))
    for n in range(1, count + 1):
        log.append([("outcome", outcome(f"k{n}", f"Drug {n}", "amber", "R1"))], user="alice")
    return log


def outcome(key: str, name: str, status: str, by: str, before: dict | None = None, chapter: str = "02") -> dict:
    after = {"kind": "adopt", "status": status, "decided_by": by, "rationale": f"{by} says {status}"}
    return {"chapter": chapter, "item_key": key, "item_name": name, "before": before, "after": after}


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def rewrite(path: Path, lines: list[str]) -> None:
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture
def log(tmp_path: Path) -> AuditLog:
    return make_log(tmp_path / "reports" / "audit.jsonl")


# --- appending ------------------------------------------------------------------------------------------


def test_append_chains_events_and_reads_them_back(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl", clock=lambda: datetime(2024, 11, 5, 10, 21, 33, 999, tzinfo=UTC))
    first = log.append(
        [("run", {"command": "merge"}), ("outcome", outcome("k1", "Aspirin", "green", "R1"))],
        user="alice",
        run_id="run-1",
    )
    second = log.append([("decision", {"chapter": "02", "item_key": "k1", "item_name": "Aspirin"})], user="bob")

    assert [e.seq for e in first + second] == [1, 2, 3]
    assert first[0].prev == GENESIS
    assert first[1].prev == first[0].hash and second[0].prev == first[1].hash
    assert all(e.hash == event_hash(e.to_dict()) for e in first + second)
    assert {e.run_id for e in first} == {"run-1"}
    assert second[0].run_id not in ("run-1", "") and len(second[0].run_id) == 32
    assert first[0].at == "2024-11-05T10:21:33Z"
    assert first[0].tool_version == __version__ and second[0].user == "bob"
    assert log.read() == first + second


def test_each_line_is_the_canonical_json_of_its_event(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    [event] = log.append([("outcome", outcome("k1", "Paracétamol", "green", "R1"))], user="zoë")
    line = lines_of(log.path)[0]
    assert line == canonical(event.to_dict()).decode("utf-8") + "\n"
    assert "Paracétamol" in line and "zoë" in line  # readable, not \\u escapes
    assert json.loads(line)["hash"] == independent_hash(line)


def test_lines_of_awkward_data_are_canonical_too(tmp_path: Path) -> None:
    """Each event is encoded once and its line put together around it: the line must still be the canonical JSON
    of the event, whatever the data holds (a 'kind' or 'hash' key of its own, quotes, signs, numbers, keys that
    are not text and sort differently once they are)."""
    data = {
        "kind": "not the event's kind",
        "hash": "not the event's hash",
        "item_name": 'Co-codamol 30/500 "Zapain®" \\ tabs\tµg',
        "rows": (3, 2.5, None, True, ["a", {"z": 1, "a": [1, 2]}]),
        "strengths": {10: "10mg", 9: "9mg", 100: "100mg"},  # 9 < 10 < 100 as numbers; "10" < "100" < "9" as text
    }
    log = AuditLog(tmp_path / "audit.jsonl")
    events = log.append([("outcome", outcome("k1", "Aspirin", "green", "R1")), ("outcome", data)], user="zoë")
    assert lines_of(log.path) == [canonical(e.to_dict()).decode("utf-8") + "\n" for e in events]
    assert all(e.hash == event_hash(e.to_dict()) for e in events)
    assert '"strengths":{"10":"10mg","100":"100mg","9":"9mg"}' in lines_of(log.path)[1]
    assert log.verify().ok and log.read() == events


def independent_hash(line: str) -> str:
    """The hash as an outside auditor would compute it from the documented rule, not with our code."""
    payload = json.loads(line)
    del payload["hash"]
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    ).hexdigest()


def test_hash_does_not_depend_on_key_order() -> None:
    a = {"seq": 1, "kind": "run", "data": {"x": 1, "y": [1, 2]}, "prev": GENESIS}
    b = {"prev": GENESIS, "data": {"y": [1, 2], "x": 1}, "kind": "run", "seq": 1}
    assert event_hash(a) == event_hash(b)
    assert event_hash(a) != event_hash({**a, "seq": 2})


def test_unknown_kind_is_a_bug_and_writes_nothing(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    with pytest.raises(ValueError, match="unknown audit event kind 'outcomes'"):
        log.append([("run", {}), ("outcomes", {})], user="alice")
    assert not log.path.exists()


def test_appending_nothing_creates_nothing(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    assert log.append([], user="alice") == []
    assert not log.path.exists() and not log.head_path.exists()


def test_append_refuses_after_an_interrupted_write(log: AuditLog) -> None:
    text = log.path.read_bytes()
    log.path.write_bytes(text[:-20])
    with pytest.raises(InputError, match="incomplete \\(interrupted write\\?\\); nothing was appended"):
        log.append([("run", {})], user="alice")
    assert log.path.read_bytes() == text[:-20]


def test_last_line_reads_across_blocks(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"first\n" + b"x" * 1000 + b"\n")
    assert _last_line(path, block=7) == b"x" * 1000 + b"\n"
    path.write_bytes(b"only line\n")
    assert _last_line(path, block=3) == b"only line\n"
    path.write_bytes(b"a\npartial")
    assert _last_line(path, block=2) == b"partial"


def _append_many(path: str, worker: int, count: int) -> None:
    log = AuditLog(Path(path))
    for n in range(count):
        log.append(
            [("outcome", outcome(f"w{worker}-{n}", f"Drug {worker}.{n}", "amber", "R1"))],
            user=f"worker{worker}",
        )


def test_concurrent_appends_from_several_processes_keep_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "reports" / "audit.jsonl"
    processes = [multiprocessing.Process(target=_append_many, args=(str(path), w, 50)) for w in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    log = AuditLog(path)
    result = log.verify()
    assert result.ok, result.problem
    assert result.events == 200
    events = log.read()
    assert [e.seq for e in events] == list(range(1, 201))
    for worker in range(4):
        keys = [e.data["item_key"] for e in events if e.user == f"worker{worker}"]
        assert keys == [f"w{worker}-{n}" for n in range(50)]  # each writer's events whole and in order


# --- verify ---------------------------------------------------------------------------------------------


def test_intact_log_verifies(log: AuditLog) -> None:
    result = log.verify()
    assert (result.ok, result.events, result.first_bad, result.problem, result.exists) == (
        True,
        5,
        None,
        "",
        True,
    )


def test_missing_log_is_ok_with_no_events(tmp_path: Path) -> None:
    result = AuditLog(tmp_path / "reports" / "audit.jsonl").verify()
    assert (result.ok, result.events, result.exists) == (True, 0, False)
    assert AuditLog(tmp_path / "reports" / "audit.jsonl").read() == []


def test_empty_log_is_ok_with_no_events(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_bytes(b"")
    result = AuditLog(path).verify()
    assert (result.ok, result.events, result.exists) == (True, 0, True)


EDITS = {
    "seq": 30,
    "kind": "decision",
    "at": "2020-01-01T00:00:00Z",
    "user": "mallory",
    "tool_version": "9.9.9",
    "run_id": "forged",
    "data": {"chapter": "02", "item_key": "k3", "item_name": "Drug 3", "after": {"status": "green"}},
    "prev": "f" * 64,
    "hash": "e" * 64,
}


@pytest.mark.parametrize("field", sorted(EDITS))
def test_an_edited_field_names_the_event(log: AuditLog, field: str) -> None:
    lines = lines_of(log.path)
    event = json.loads(lines[2])
    event[field] = EDITS[field]
    lines[2] = canonical(event).decode() + "\n"
    rewrite(log.path, lines)
    result = log.verify()
    assert not result.ok and result.first_bad == 3 and result.events == 2
    assert re.fullmatch(r"event \d+ \(line 3\) was edited: its hash does not match its content", result.problem)


def test_a_whitespace_only_edit_is_not_an_edit_of_content(log: AuditLog) -> None:
    lines = lines_of(log.path)
    lines[2] = json.dumps(json.loads(lines[2]), indent=None) + "\n"  # same content, different spacing
    rewrite(log.path, lines)
    assert log.verify().ok


@pytest.mark.parametrize(("line", "first_bad"), [(3, 3), (5, 5)])
def test_an_edit_with_a_recomputed_hash_is_caught_by_the_next_link(log: AuditLog, line: int, first_bad: int) -> None:
    lines = lines_of(log.path)
    event = json.loads(lines[line - 1])
    event["data"]["after"]["status"] = "green"
    event["hash"] = event_hash(event)
    lines[line - 1] = canonical(event).decode() + "\n"
    rewrite(log.path, lines)
    result = log.verify()
    assert not result.ok and result.first_bad == first_bad
    if line == 3:
        assert result.problem.startswith("the chain breaks between event 3 (line 3) and event 4 (line 4)")
    else:
        assert result.problem == "event 5 (line 5) was replaced: its hash differs from audit.jsonl.head"


@pytest.mark.parametrize(
    ("deleted", "first_bad", "problem"),
    [
        (1, 1, "event 1 is missing or events were reordered: line 1 has seq 2, previous hash does not match"),
        (3, 3, "event 3 is missing or events were reordered: line 3 has seq 4, previous hash does not match"),
        (5, 5, "event 5 is missing: the log ends at event 4 (line 4) but audit.jsonl.head records 5 events"),
    ],
)
def test_a_deleted_event_is_named(log: AuditLog, deleted: int, first_bad: int, problem: str) -> None:
    lines = lines_of(log.path)
    del lines[deleted - 1]
    rewrite(log.path, lines)
    result = log.verify()
    assert (result.ok, result.first_bad, result.problem) == (False, first_bad, problem)


def test_several_deleted_events_are_named_as_a_range(log: AuditLog) -> None:
    lines = lines_of(log.path)
    rewrite(log.path, lines[:1] + lines[3:])
    result = log.verify()
    assert result.first_bad == 2
    assert result.problem == (
        "events 2-3 are missing or events were reordered: line 2 has seq 4, previous hash does not match"
    )
    rewrite(log.path, lines[:2])
    result = log.verify()
    assert result.first_bad == 3
    assert result.problem.startswith("events 3-5 are missing: the log ends at event 2")


@pytest.mark.parametrize("first", [1, 2, 4])
def test_a_reordered_pair_is_named(log: AuditLog, first: int) -> None:
    lines = lines_of(log.path)
    lines[first - 1], lines[first] = lines[first], lines[first - 1]
    rewrite(log.path, lines)
    result = log.verify()
    assert not result.ok and result.first_bad == first
    assert result.problem.startswith(f"event {first} is missing or events were reordered: line {first} has seq")


def test_a_duplicated_event_is_named(log: AuditLog) -> None:
    lines = lines_of(log.path)
    rewrite(log.path, lines[:3] + lines[2:])
    result = log.verify()
    assert result.first_bad == 4
    assert result.problem == "events were reordered or duplicated: line 4 has seq 3, expected 4"


def test_a_partial_last_line_is_reported_as_interrupted(log: AuditLog) -> None:
    log.path.write_bytes(log.path.read_bytes()[:-30])
    result = log.verify()
    assert (result.ok, result.first_bad, result.events) == (False, 5, 4)
    assert result.problem == "line 5 is incomplete (interrupted write?)"
    with pytest.raises(InputError, match=r"audit\.jsonl:5: line 5 is incomplete \(interrupted write\?\)"):
        log.read()


def test_a_line_that_is_not_json_is_named_by_read_and_verify(log: AuditLog) -> None:
    lines = lines_of(log.path)
    lines[1] = "{not json\n"
    rewrite(log.path, lines)
    with pytest.raises(InputError) as caught:
        log.read()
    assert str(caught.value) == f"{log.path}:2: line 2 is not valid JSON"
    assert (log.verify().first_bad, log.verify().problem) == (2, "line 2 is not valid JSON")


def test_a_missing_head_file_fails_verification(log: AuditLog) -> None:
    log.head_path.unlink()
    result = log.verify()
    assert not result.ok and result.first_bad is None
    assert result.problem == "audit.jsonl.head is missing, so removal of the last events cannot be ruled out"


def test_a_head_behind_the_log_after_a_crash_still_verifies(log: AuditLog) -> None:
    third = log.read()[2]
    log.head_path.write_text(json.dumps({"seq": 3, "hash": third.hash}))
    assert log.verify().ok
    log.head_path.write_text(json.dumps({"seq": 3, "hash": "0" * 64}))
    assert log.verify().problem == "event 3 (line 3) was replaced: its hash differs from audit.jsonl.head"


def test_a_forged_first_event_pointing_elsewhere_is_an_edit(tmp_path: Path) -> None:
    log = make_log(tmp_path / "audit.jsonl", count=2)
    lines = lines_of(log.path)
    event = json.loads(lines[0])
    event["prev"] = "a" * 64
    event["hash"] = event_hash(event)
    lines[0] = canonical(event).decode() + "\n"
    rewrite(log.path, lines)
    result = log.verify()
    assert result.first_bad == 1 and result.problem.startswith("event 1 (line 1) was edited")


# --- run events -----------------------------------------------------------------------------------------


def test_run_event_hashes_every_input_and_the_config(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_bytes(b"cheshire")
    (tmp_path / "harmonise.yaml").write_text("sources: []\n")
    kind, data = run_event("merge 02", {"cheshire": tmp_path / "a.xlsx"}, "r" * 64, tmp_path / "harmonise.yaml")
    assert kind == "run" and data["command"] == "merge 02" and data["rules"] == "r" * 64
    assert data["inputs"]["cheshire"]["sha256"] == hashlib.sha256(b"cheshire").hexdigest()
    assert data["config"]["sha256"] == hashlib.sha256(b"sources: []\n").hexdigest()
    assert data["config"]["path"].endswith("harmonise.yaml")


def test_run_event_names_a_missing_input(tmp_path: Path) -> None:
    (tmp_path / "harmonise.yaml").write_text("x: 1\n")
    with pytest.raises(InputError, match=r"gone\.xlsx: file not found"):
        run_event("merge", {"x": tmp_path / "gone.xlsx"}, "", tmp_path / "harmonise.yaml")


# --- why ------------------------------------------------------------------------------------------------


def merge_like_history(path: Path) -> AuditLog:
    """Events as the merge, decisions and publish commands write them, over three runs by two people."""
    clock = ticking_clock()
    log = AuditLog(path, clock=lambda: next(clock))
    log.append(
        [
            ("run", {"command": "merge 02"}),
            ("outcome", outcome("a1", "Atorvastatin 20mg tablets", "amber", "rule R3")),
            ("outcome", outcome("s1", "Simvastatin 40mg tablets", "green", "rule R1")),
            ("outcome", outcome("a4", "Atorvastatin 20mg tablets", "red", "rule R2", chapter="04")),
        ],
        user="alice",
        run_id="run-1",
    )
    log.append(
        [
            (
                "decision",
                {
                    "chapter": "02",
                    "item_key": "a1",
                    "item_name": "Atorvastatin 20mg tablets",
                    "decision": "adopt",
                    "status": "green",
                    "rationale": "NICE TA",
                    "meeting": "2024-11-12",
                    "decided_by": "APC",
                },
            )
        ],
        user="bob",
        run_id="dec-1",
    )
    log.append(
        [
            ("run", {"command": "merge 02"}),
            (
                "outcome",
                outcome(
                    "a1",
                    "Atorvastatin 20mg tablets",
                    "green",
                    "decision D1",
                    before={"kind": "adopt", "status": "amber", "decided_by": "rule R3"},
                ),
            ),
            (
                "decision-stale",
                {
                    "chapter": "02",
                    "item_key": "s1",
                    "item_name": "Simvastatin 40mg tablets",
                    "decision": "adopt",
                    "reason": "Cheshire status changed",
                },
            ),
            ("publication", {"chapter": "02", "version": "1.0", "files": {"02.xlsx": "f" * 64}}),
            ("publication", {"chapter": "05", "version": "1.0", "files": {}}),
        ],
        user="alice",
        run_id="run-2",
    )
    return log


def test_why_gives_each_matching_item_its_history_in_time_order(tmp_path: Path) -> None:
    log = merge_like_history(tmp_path / "audit.jsonl")
    histories = log.why("atorva")
    assert [(h.chapter, h.item_key, h.item_name) for h in histories] == [
        ("02", "a1", "Atorvastatin 20mg tablets"),
        ("04", "a4", "Atorvastatin 20mg tablets"),
    ]
    steps = histories[0].entries
    assert [(s.kind, s.what, s.status, s.decided_by, s.user, s.at) for s in steps] == [
        ("outcome", "outcome: adopt (new)", "amber", "rule R3", "alice", "2024-11-05T09:30:00Z"),
        ("decision", "decision: adopt", "green", "APC (meeting 2024-11-12)", "bob", "2024-11-05T09:31:00Z"),
        ("outcome", "outcome: adopt (was amber)", "green", "decision D1", "alice", "2024-11-05T09:32:00Z"),
        ("publication", "published version 1.0", None, "", "alice", "2024-11-05T09:32:00Z"),
    ]
    assert steps[1].rationale == "NICE TA" and steps[0].rationale == "rule R3 says amber"
    assert [s.seq for s in steps] == sorted(s.seq for s in steps)
    assert [s.kind for s in histories[1].entries] == ["outcome"]  # chapter 04 was never published


def test_why_matches_case_insensitively_by_substring_words_or_key(tmp_path: Path) -> None:
    log = merge_like_history(tmp_path / "audit.jsonl")
    assert [h.item_key for h in log.why("SIMVA")] == ["s1"]
    assert [h.item_key for h in log.why("tablets  atorvastatin")] == ["a1", "a4"]
    assert [h.item_key for h in log.why("a4")] == ["a4"]
    assert log.why("rosuvastatin") == []
    stale = log.why("simvastatin")[0].entries[1]
    assert (stale.kind, stale.what, stale.rationale) == (
        "decision-stale",
        "decision stale: adopt",
        "Cheshire status changed",
    )


def test_why_needs_some_text(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="give part of an item name"):
        merge_like_history(tmp_path / "audit.jsonl").why("  ")


def test_an_unreadable_head_file_fails_verification(log: AuditLog) -> None:
    log.head_path.write_text("{broken")
    result = log.verify()
    assert not result.ok
    assert result.problem == "audit.jsonl.head is unreadable: removal of the last events cannot be ruled out"


def test_a_line_that_is_not_an_event_is_named(log: AuditLog) -> None:
    lines = lines_of(log.path)
    lines[3] = '{"note": "hello"}\n'
    rewrite(log.path, lines)
    assert log.verify().first_bad == 4
    assert log.verify().problem.startswith("line 4 is not an audit event: missing seq, kind, at")
    with pytest.raises(InputError, match=r"audit\.jsonl:4: not an audit event"):
        log.read()


def test_appending_after_a_crash_between_log_and_head_continues_the_chain(log: AuditLog) -> None:
    third = log.read()[2]
    log.head_path.write_text(json.dumps({"seq": third.seq, "hash": third.hash}))  # head lagging behind
    [event] = log.append([("run", {"command": "merge"})], user="carol")
    assert event.seq == 6 and event.prev == log.read()[4].hash
    assert json.loads(log.head_path.read_text()) == {"seq": 6, "hash": event.hash}
    assert log.verify().ok


def test_an_append_removes_the_head_file_a_killed_append_left_half_written(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    log.append([("run", {"command": "merge"})], user="anna")
    leftover = tmp_path / ".audit.jsonl.head.k3j4x9.tmp"  # killed before its rename into place
    leftover.write_text('{"seq": 1', encoding="utf-8")
    log.append([("run", {"command": "merge"})], user="anna")
    assert not leftover.exists() and log.verify().ok
    assert json.loads(log.head_path.read_text(encoding="utf-8"))["seq"] == 2
