"""The audit log is the source of truth: deletions are never laundered, a failed append leaves no half line, a
decision is never recorded without its event (whatever kills the import), published versions are re-hashed,
and control characters in legacy data neither crash a command nor reach the terminal.

Each test breaks one thing, runs the real CLI, and checks the exit code, the message and that nothing was lost
or left half-done. Kills are real (a subprocess that sends itself SIGKILL at a chosen call, as in
``tests/output/test_safe_files.py``); a full disk is an ``OSError(ENOSPC)`` raised half-way through a write.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from bad_files import invoke, raw_xlsx
from bad_files import merged_template as merged_template  # the fixture is shared
from conftest import CHESHIRE_HEADER, write_csv
from merge_fixtures import CH02
from review_fixtures import chapter_workspace, fill
from review_fixtures import merge as merge_chapter
from test_bad_inputs import snapshot

from harmonise import audit
from harmonise.audit import AuditLog
from harmonise.review import recording

LOG = "reports/audit.jsonl"
HEAD = "reports/audit.jsonl.head"
REGISTER = "decisions/02-cardiovascular.yaml"
WORKBOOK = "reports/02-cardiovascular/working-group.xlsx"
DEFER = {"Decision": "defer", "Meeting date": "2024-03-12", "Decided by": "Dr Shah"}


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def workspace(merged_template: Path, tmp_path: Path) -> Path:
    root = Path(shutil.copytree(merged_template, tmp_path / "ws"))
    assert invoke(root, "merge", "--chapter", "2").exit_code == 0  # a second run: the log has two runs
    return root


@pytest.fixture
def decided(tmp_path: Path) -> tuple[Path, Path]:
    """A merged chapter and a filled-in working-group workbook (defer Ramipril), not yet imported."""
    root = chapter_workspace(tmp_path)
    merge_chapter(root)
    filled = fill(root / WORKBOOK, {"Ramipril": DEFER}, root / "reports/02-cardiovascular/filled.xlsx")
    return root, filled


def drop_last_lines(root: Path, count: int) -> None:
    lines = (root / LOG).read_bytes().splitlines(keepends=True)
    (root / LOG).write_bytes(b"".join(lines[:-count]))


def decision_events(root: Path) -> list[Any]:
    return [e for e in AuditLog(root / LOG).read() if e.kind == "decision"]


def verify(root: Path) -> tuple[int, str]:
    result = invoke(root, "audit", "verify")
    return result.exit_code, flat(result.output)


# ---- 1. deleting the last events is never laundered ---------------------------------------------------------

DELETIONS = {
    "last-events": lambda root: drop_last_lines(root, 3),
    "last-events-and-head": lambda root: (drop_last_lines(root, 3), (root / HEAD).unlink()),
    "log-emptied-head-deleted": lambda root: ((root / LOG).write_bytes(b""), (root / HEAD).unlink()),
    "log-and-head-deleted": lambda root: ((root / LOG).unlink(), (root / HEAD).unlink()),
}
REFUSALS = {
    "last-events": "are missing: the log ends at event",
    "last-events-and-head": "audit.jsonl.head is missing, so removal of the last events cannot be ruled out",
    "log-emptied-head-deleted": "audit.jsonl is empty or missing and so is its head file, but the workspace holds "
    "files that only logged commands write (reports/02-cardiovascular/outcomes.json): the log was deleted or emptied",
    "log-and-head-deleted": "the log was deleted or emptied",
}


@pytest.mark.parametrize("how", list(DELETIONS))
def test_deleting_the_last_events_is_refused_by_the_next_command_not_laundered(workspace: Path, how: str) -> None:
    filled = fill(workspace / WORKBOOK, {"": DEFER}, workspace / "reports/filled.xlsx")  # every row deferred
    DELETIONS[how](workspace)
    code, message = verify(workspace)
    assert code == 1 and flat(REFUSALS[how]) in message
    before = snapshot(workspace)
    for args in (("merge", "--chapter", "2"), ("decisions", "import", str(filled))):
        result = invoke(workspace, *args)
        assert result.exit_code == 2, result.output
        assert "the audit log does not verify" in flat(result.output) and flat(REFUSALS[how]) in flat(result.output)
        assert "nothing was written" in flat(result.output)
        assert snapshot(workspace) == before
    assert verify(workspace) == (code, message)  # still reported: the next command did not launder it


def test_an_empty_log_in_a_fresh_workspace_is_still_fine(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    (root / "reports").mkdir(exist_ok=True)
    (root / LOG).write_bytes(b"")
    assert verify(root)[0] == 0
    assert invoke(root, "merge", "--chapter", "2").exit_code == 0
    assert verify(root)[0] == 0


# ---- 2. a failed append leaves no half line, and says what happened ----------------------------------------


def half_then_full(handle: Any, payload: bytes) -> None:
    handle.write(payload[: len(payload) // 2])
    handle.flush()
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_during_an_import_records_nothing_and_leaves_no_half_line(
    decided: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, filled = decided
    before = snapshot(root)
    monkeypatch.setattr(audit, "_write_all", half_then_full)
    result = invoke(root, "decisions", "import", str(filled))
    message = flat(result.output)
    assert result.exit_code == 2, result.output
    assert "the disk is full: the 1 audit event(s) were not written" in message
    assert "no half-written line is left" in message
    assert snapshot(root) == before  # no register, no event, no pending record
    monkeypatch.undo()
    assert verify(root)[0] == 0
    again = invoke(root, "decisions", "import", str(filled))
    assert again.exit_code == 0 and "1 recorded:" in again.output
    assert [e.data["decision"] for e in decision_events(root)] == ["defer"]


def test_when_the_log_cannot_be_cut_back_the_message_says_so_and_repair_removes_the_half_line(
    decided: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, filled = decided
    log_before = (root / LOG).read_bytes()
    monkeypatch.setattr(audit, "_write_all", half_then_full)

    def cannot_truncate(path: Any, size: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(audit.os, "truncate", cannot_truncate)
    result = invoke(root, "decisions", "import", str(filled))
    message = flat(result.output)
    assert result.exit_code == 2
    assert "could not be cut back" in message and "its last line may be half-written" in message
    assert "harmonise audit repair" in message and "no half-written line" not in message
    assert not (root / REGISTER).exists()  # the register follows its events: neither was recorded
    monkeypatch.undo()
    assert "line" in verify(root)[1] and verify(root)[0] == 1
    blocked = invoke(root, "merge", "--chapter", "2")
    assert blocked.exit_code == 2 and "harmonise audit repair" in flat(blocked.output)
    repaired = invoke(root, "audit", "repair")
    assert repaired.exit_code == 0, repaired.output
    assert "removed a partial last line of" in flat(repaired.output) and "audit log intact" in repaired.output
    events = AuditLog(root / LOG).read()
    assert (root / LOG).read_bytes().startswith(log_before) and events[-1].kind == "repair"
    assert events[-1].data["removed_text"].startswith('{"at":')  # the removed bytes are kept, not lost
    assert invoke(root, "decisions", "import", str(filled)).exit_code == 0
    assert verify(root)[0] == 0


def test_repair_refuses_anything_but_a_trailing_partial_line(workspace: Path) -> None:
    lines = (workspace / LOG).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace('"user":"tester"', '"user":"mallory"')
    (workspace / LOG).write_text("".join(lines), encoding="utf-8")
    before = snapshot(workspace)
    result = invoke(workspace, "audit", "repair")
    assert result.exit_code == 1
    assert "no partial line to remove" in result.output and "audit log broken at line 2" in flat(result.output)
    assert snapshot(workspace) == before


# ---- 2. decisions import: the register and its events, both or neither --------------------------------------

# Runs ``harmonise`` and SIGKILLs itself at a chosen call: argv = module, function (or Class.method), when, n,
# then the arguments.
DRIVER = textwrap.dedent(
    """
    import importlib, mmap, multiprocessing, os, signal, sys

    module, name, when, n, args = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
    target = importlib.import_module(module)
    for owner in name.split(".")[:-1]:
        target = getattr(target, owner)
    name = name.split(".")[-1]
    real = getattr(target, name)
    # the calls are counted over the command's processes (forked workers share this memory and lock), and the
    # n-th call kills the command: its main process (the workers end with it), then the caller if a worker
    command, calls, lock = os.getpid(), mmap.mmap(-1, 8), multiprocessing.get_context("fork").Lock()

    def die():
        os.kill(command, signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)

    def counted():
        with lock:
            calls.seek(0)
            count = int.from_bytes(calls.read(8), "little") + 1
            calls.seek(0)
            calls.write(count.to_bytes(8, "little"))
        return count

    def wrapper(*a, **k):
        count = counted()
        if count == n and when == "before":
            die()
        if count == n and when == "half":
            a[0].write(a[1][: len(a[1]) // 2]); a[0].flush(); die()
        try:
            return real(*a, **k)
        finally:  # after the call, whether it returned or raised (an unlink of a file already gone)
            if count == n and when == "after":
                die()

    setattr(target, name, wrapper)
    from harmonise.cli import app
    app(args, prog_name="harmonise")
    """
)

IMPORT_KILLS = {
    "before-the-write-ahead-record": ("harmonise.review.recording", "write_text", "before", 1),
    "after-the-write-ahead-record": ("harmonise.review.recording", "write_text", "after", 1),
    "half-way-through-the-events": ("harmonise.audit", "_write_all", "half", 1),
    "after-the-events": ("harmonise.audit", "_write_all", "after", 1),
    "after-the-register": ("harmonise.review.recording", "write_text", "after", 2),
}
SETTLED = {
    "before-the-write-ahead-record": "",
    "after-the-write-ahead-record": "rolled back the decisions import",
    "half-way-through-the-events": "rolled back the decisions import",
    "after-the-events": "completed the decisions import",
    "after-the-register": "completed the decisions import",
}


def killed(point: tuple[str, str, str, int], root: Path, *args: str) -> subprocess.Popen[bytes]:
    module, name, when, n = point
    command = [sys.executable, "-c", DRIVER, module, name, when, str(n), "--workspace", str(root), *args]
    env = {**os.environ, "HARMONISE_USER": "tester"}
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_an_import_killed_at_any_point_leaves_both_or_neither_and_the_next_command_says_which(
    decided: tuple[Path, Path], tmp_path: Path
) -> None:
    reference, filled = decided
    runs = []
    for point, kill in IMPORT_KILLS.items():
        root = Path(shutil.copytree(reference, tmp_path / point))
        runs.append((point, root, killed(kill, root, "decisions", "import", str(root / filled.relative_to(reference)))))
    for point, root, process in runs:
        assert process.wait(60) == -9, (point, process.stderr.read())  # type: ignore[union-attr]
        if point == "half-way-through-the-events":  # a real kill leaves a half line; only repair removes it
            blocked = invoke(root, "merge", "--chapter", "2")
            assert blocked.exit_code == 2 and "harmonise audit repair" in flat(blocked.output), blocked.output
            repaired = invoke(root, "audit", "repair")  # removes the half line, then settles the import
            assert repaired.exit_code == 0 and SETTLED[point] in flat(repaired.output), repaired.output
        nxt = invoke(root, "merge", "--chapter", "2")
        assert nxt.exit_code == 0, (point, nxt.output)
        said = flat(nxt.output) if point != "half-way-through-the-events" else flat(repaired.output)
        assert SETTLED[point] in said, (point, nxt.output)
        code, message = verify(root)
        assert code == 0, (point, message)  # never a register record without its decision event
        recorded = (root / REGISTER).is_file() and "defer" in (root / REGISTER).read_text(encoding="utf-8")
        assert recorded == (SETTLED[point] == "completed the decisions import"), point
        assert len(decision_events(root)) == int(recorded), point
        again = invoke(root, "decisions", "import", str(root / filled.relative_to(reference)))
        assert again.exit_code == 0, (point, again.output)
        assert len(decision_events(root)) == 1 and verify(root)[0] == 0, point


def old_import(target: Path, text: str | None, events: Any, **options: Any) -> None:
    """The register saved and the events never logged: an import killed between the two by an older harmonise."""
    assert text is not None
    target.write_text(text, encoding="utf-8")


def test_a_register_record_without_its_event_is_refused_at_merge_and_publish_and_a_reimport_logs_it(
    decided: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, filled = decided
    monkeypatch.setattr(recording, "log_then_save", old_import)
    monkeypatch.setattr("harmonise.review.importer.log_then_save", old_import)
    assert invoke(root, "decisions", "import", str(filled)).exit_code == 0
    monkeypatch.undo()
    assert decision_events(root) == [] and "defer" in (root / REGISTER).read_text(encoding="utf-8")
    before = snapshot(root)
    for args in (("merge", "--chapter", "2"), ("publish", "--chapter", "2")):
        result = invoke(root, *args)
        message = flat(result.output)
        assert result.exit_code == 2, result.output
        assert f"{REGISTER}: 1 recorded decision(s) have no decision event in the audit log" in message
        assert f"{REGISTER}: decisions." in message and "Ramipril" in message and "defer" in message
        assert snapshot(root) == before
    code, message = verify(root)
    assert code == 1 and "Ramipril" in message and "has no decision event" in message
    again = invoke(root, "decisions", "import", str(filled))
    assert again.exit_code == 0 and "missing their decision event: the event is recorded now" in flat(again.output)
    assert [e.data["decision"] for e in decision_events(root)] == ["defer"]
    assert invoke(root, "merge", "--chapter", "2").exit_code == 0 and verify(root)[0] == 0


def test_a_hand_edited_register_record_is_refused_naming_it(decided: tuple[Path, Path]) -> None:
    root, filled = decided
    assert invoke(root, "decisions", "import", str(filled)).exit_code == 0
    text = (root / REGISTER).read_text(encoding="utf-8")
    (root / REGISTER).write_text(text.replace("decision: defer", "decision: exclude"), encoding="utf-8")
    result = invoke(root, "merge", "--chapter", "2")
    assert result.exit_code == 2 and "have no decision event" in flat(result.output) and "exclude" in result.output


# ---- 3. published versions are re-hashed -------------------------------------------------------------------

EDITS = {
    "chapter.csv": ("chapter.csv: edited after publication (its SHA-256 differs from publication event",),
    "manifest.json": ("manifest.json: edited after publication",),
}


def writable(folder: Path) -> None:
    folder.chmod(0o755)
    for path in folder.iterdir():
        path.chmod(0o644)


@pytest.mark.parametrize("name", ["chapter.csv", "manifest.json"])
def test_an_edited_published_file_is_named_by_verify(tmp_path: Path, name: str) -> None:
    from publish_fixtures import publish_workspace

    root = publish_workspace(tmp_path / "ws")
    assert invoke(root, "publish", "--chapter", "2").exit_code == 0
    assert verify(root)[0] == 0
    folder = root / "published/02-cardiovascular/v1"
    writable(folder)
    text = (folder / name).read_text(encoding="utf-8")
    (folder / name).write_text(text.replace("Amlodipine", "Amlodipino").replace('"by": "', '"by": "Mallory '))
    code, message = verify(root)
    assert code == 1 and "audit log intact" in message
    assert f"published/02-cardiovascular/v1/{EDITS[name][0]}" in message


def test_a_removed_added_or_deleted_published_file_or_folder_is_named(tmp_path: Path) -> None:
    from publish_fixtures import publish_workspace

    root = publish_workspace(tmp_path / "ws")
    assert invoke(root, "publish", "--chapter", "2").exit_code == 0
    folder = root / "published/02-cardiovascular/v1"
    writable(folder)
    (folder / "chapter.html").unlink()
    (folder / "extra.csv").write_text("x\n")
    code, message = verify(root)
    assert code == 1
    assert "published/02-cardiovascular/v1/chapter.html: missing (its publication event" in message
    assert "published/02-cardiovascular/v1/extra.csv: added after publication" in message
    shutil.copytree(folder, folder.with_name("v7"))
    shutil.rmtree(folder)
    code, message = verify(root)
    assert "published/02-cardiovascular/v1: logged as published" in message and "the folder is missing" in message
    assert "published/02-cardiovascular/v7: a published version with no publication event" in message


# ---- 4. control characters in legacy data -------------------------------------------------------------------

ESCAPE = "\x1b[2J\x1b]0;pwned\x07"


def test_control_characters_in_a_csv_cell_are_cleaned_and_never_reach_the_terminal(workspace: Path) -> None:
    (workspace / CH02 / "cheshire.xlsx").unlink()
    rows = [CHESHIRE_HEADER, ["02.05", f"Amlo{ESCAPE}dipine", "Tablets 5mg", f"Gr{ESCAPE}eeen"]]
    write_csv(workspace / CH02 / "cheshire.csv", rows)
    checked = invoke(workspace, "check", "--chapter", "2")
    assert checked.exit_code == 1, checked.output  # a finding (the status word), not a crash
    assert "pwned" in checked.output and "\x1b" not in checked.output and "\x07" not in checked.output
    as_json = invoke(workspace, "check", "--chapter", "2", "--json")
    assert "\x1b" not in as_json.output and "\x07" not in as_json.output
    [finding] = [f for c in json.loads(as_json.output)["chapters"] for f in c["findings"]]
    assert (finding["row"], finding["column"]) == (2, "Status") and "Gr[2J]0;pwnedeeen" in finding["message"]
    merged = invoke(workspace, "merge", "--chapter", "2")
    assert merged.exit_code == 0, merged.output
    assert "\x1b" not in merged.output


def test_xlsx_escapes_of_control_characters_are_cleaned(workspace: Path) -> None:
    rows = [CHESHIRE_HEADER, ["02.05", "Amlo_x001B_[2Jdipine", "Tablets 5mg", "Gr_x0007_een"]]
    raw_xlsx(workspace / CH02 / "cheshire.xlsx", {"Formulary": rows})
    checked = invoke(workspace, "check", "--chapter", "2", "--json")
    assert checked.exit_code == 0, checked.output
    assert "\x1b" not in checked.output
    merged = invoke(workspace, "merge", "--chapter", "2")
    assert merged.exit_code == 0 and "\x1b" not in merged.output


def test_a_message_holding_a_control_character_is_escaped(workspace: Path) -> None:
    result = invoke(workspace, "decisions", "import", str(workspace / f"wg{ESCAPE}.xlsx"))
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "wg\\x1b[2J\\x1b]0;pwned\\x07.xlsx" in flat(result.output)


def test_print_json_escapes_what_json_leaves_raw(capsys: pytest.CaptureFixture[str]) -> None:
    from harmonise.cli.app import print_json

    print_json({"name": "a\x1bb\x9bc\x7f"})
    out = capsys.readouterr().out
    assert json.loads(out) == {"name": "a\x1bb\x9bc\x7f"}
    assert not any(ch in out for ch in "\x1b\x9b\x7f")


def test_publish_after_a_half_written_last_line_says_to_run_audit_repair(tmp_path: Path) -> None:
    from publish_fixtures import publish_workspace

    root = publish_workspace(tmp_path / "ws")
    with open(root / LOG, "ab") as handle:
        handle.write(b'{"at":"2024-03-12T10:00:00Z","data":{"chap')  # a publish killed half-way through its event
    before = snapshot(root)
    result = invoke(root, "publish", "--chapter", "2")
    assert result.exit_code == 2 and "is incomplete" in flat(result.output), result.output
    assert "run `harmonise audit repair`" in flat(result.output) and snapshot(root) == before
    assert invoke(root, "audit", "repair").exit_code == 0
    assert invoke(root, "publish", "--chapter", "2").exit_code == 0 and verify(root)[0] == 0


def test_the_next_command_removes_the_temporary_files_a_killed_import_left(decided: tuple[Path, Path]) -> None:
    root, filled = decided
    process = killed(("os", "fsync", "before", 4), root, "decisions", "import", str(filled))  # the register's write
    assert process.wait(60) == -9
    assert [p.name[:24] for p in (root / "decisions").glob(".*.tmp")] == [".02-cardiovascular.yaml."]
    assert invoke(root, "decisions", "import", str(filled)).exit_code == 0
    assert list((root / "decisions").glob(".*.tmp")) == [] and verify(root)[0] == 0
