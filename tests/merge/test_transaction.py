"""A merge is all or nothing (issue 14, item 3): every chapter is loaded and checked before any is written, and
the outputs change together with the run event that accounts for them; a merge killed between the two is
completed or rolled back by the next one, which says which. Also the guard on substance blocks (item 8), a
held lock that says it is waiting, and the temporary files killed runs leave behind."""

from __future__ import annotations

import errno
import json
import logging
import shutil
from pathlib import Path

import pytest
from bad_files import invoke
from merge_fixtures import CH02, small_chapter
from test_bad_inputs import snapshot

from harmonise.audit import AuditLog
from harmonise.errors import InputError
from harmonise.merge import commit as commit_module
from harmonise.output import Transaction, files, locked
from harmonise.workspace import load_workspace

CHAPTERS = (CH02, "chapters/04-central-nervous-system", "chapters/06-endocrine")
LOG = "reports/audit.jsonl"


@pytest.fixture(scope="module")
def three_chapters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Chapters 2, 4 and 6 (the same small lists), merged once with ``merge --all``."""
    root = small_chapter(tmp_path_factory.mktemp("three") / "ws")
    for folder in CHAPTERS[1:]:
        shutil.copytree(root / CH02, root / folder)
    result = invoke(root, "merge", "--all")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def workspace(three_chapters: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(three_chapters, tmp_path / "ws", symlinks=True))


def flat(text: str) -> str:
    return " ".join(text.split())


def events(root: Path) -> int:
    return len(AuditLog(root / LOG).read())


def test_a_bad_file_in_chapter_6_leaves_chapters_2_and_4_and_the_log_untouched(workspace: Path) -> None:
    (workspace / CHAPTERS[2] / "merseyside.xlsx").write_bytes(b"not a workbook")
    before = snapshot(workspace)
    result = invoke(workspace, "merge", "--all")
    assert result.exit_code == 2, result.output
    assert "chapters/06-endocrine/merseyside.xlsx: not a valid .xlsx file" in flat(result.output)
    assert snapshot(workspace) == before  # drafts, workbooks, outcomes of 2 and 4, and no run event


def test_a_full_disk_at_the_audit_append_changes_no_output(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (workspace / CH02 / "merseyside.xlsx").unlink()  # an input change: every output would change
    shutil.copy(workspace / CHAPTERS[1] / "merseyside.xlsx", workspace / CH02 / "merseyside.xlsx")
    before, count = snapshot(workspace), events(workspace)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(workspace / LOG))

    monkeypatch.setattr(AuditLog, "append", disk_full)
    result = invoke(workspace, "merge", "--all")
    assert result.exit_code == 2, result.output
    message = flat(result.output)
    assert "the audit log could not be appended" in message and "No space left on device" in message
    assert "nothing was written: the outputs of chapters 02-cardiovascular, 04-central-nervous-system, " in message
    assert snapshot(workspace) == before and events(workspace) == count
    assert "Traceback" not in result.output


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even a rollback."""


def kill_after(monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    """Let the next merge die right after ``step`` ('apply': outputs in place, no event; 'append': the event
    in the log, the late outputs not yet in place)."""
    monkeypatch.setattr(Transaction, "rollback", lambda self: None)
    if step == "apply":
        monkeypatch.setattr(AuditLog, "append", lambda *a, **k: (_ for _ in ()).throw(Killed()))
    else:
        monkeypatch.setattr(Transaction, "finish", lambda self: (_ for _ in ()).throw(Killed()))


def test_a_merge_killed_before_its_event_is_rolled_back_by_the_next(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(workspace)
    with monkeypatch.context() as patch:
        kill_after(patch, "apply")
        with pytest.raises(Killed):
            invoke(workspace, "merge", "--all")
    assert (workspace / "reports/merge.pending.json").is_file()
    said = commit_module.recover_merge(load_workspace(workspace))
    assert said.startswith("an interrupted merge was rolled back (its run event never reached the audit log)")
    assert snapshot(workspace) == before


def test_a_merge_killed_after_its_event_is_completed_by_the_next(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = events(workspace)
    with monkeypatch.context() as patch:
        kill_after(patch, "append")
        with pytest.raises(Killed):
            invoke(workspace, "merge", "--chapter", "2")
    assert (workspace / "reports/merge.pending.json").is_file() and events(workspace) > count
    result = invoke(workspace, "merge", "--chapter", "2", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["recovered"].startswith("an interrupted merge was completed (its run event is in the audit log)")
    assert "reports/02-cardiovascular/outcomes.json" in payload["recovered"]
    assert not (workspace / "reports/merge.pending.json").exists()
    assert not [p for p in workspace.rglob("*") if p.name.endswith((".tmp", ".bak"))]
    assert AuditLog(workspace / LOG).verify().ok


def test_temporary_files_of_killed_runs_are_removed_by_the_next_merge(workspace: Path) -> None:
    leftovers = [
        workspace / CH02 / ".harmonised-draft.xlsx.abc123.tmp",
        workspace / CH02 / "..harmonised-draft.xlsx.0f0f.tmp.x1y2.tmp",
        workspace / "reports/02-cardiovascular/.working-group.xlsx.k3j4.tmp",
        workspace / "reports/02-cardiovascular/.outcomes.json.zz.tmp",
        workspace / "reports/.merge.pending.json.q1.tmp",
    ]
    for path in leftovers:
        path.write_bytes(b"half")
    result = invoke(workspace, "merge", "--chapter", "2")
    assert result.exit_code == 0, result.output
    assert not [p for p in leftovers if p.exists()]


def test_a_symlinked_chapter_folder_is_not_written_through(workspace: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    shutil.move(str(workspace / CH02), outside)
    (workspace / CH02).symlink_to(outside, target_is_directory=True)
    draft = (outside / "harmonised-draft.xlsx").read_bytes()
    result = invoke(workspace, "merge", "--chapter", "2")
    assert result.exit_code == 2
    assert f"{CH02} is a symbolic link" in flat(result.output)
    assert (outside / "harmonised-draft.xlsx").read_bytes() == draft


def test_a_held_lock_says_it_is_waiting_then_gives_up_clearly(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from filelock import FileLock

    holder = FileLock(str(tmp_path / "audit.jsonl.lock"))
    holder.acquire()
    try:
        with (
            caplog.at_level(logging.WARNING, logger="harmonise"),
            pytest.raises(InputError) as refused,
            locked(tmp_path / "audit.jsonl", timeout=0.2),
        ):
            pass
    finally:
        holder.release()
    assert "waiting for audit.jsonl.lock: another harmonise command is using audit.jsonl" in caplog.text
    assert "another harmonise command has held this lock for over 0 s; nothing was written" in str(refused.value)
    with locked(tmp_path / "audit.jsonl", timeout=0.2):  # free again: taken at once
        pass
    assert files.NOTICES.name == "harmonise"


def test_a_merged_header_cell_is_not_read_as_a_data_row(tmp_path: Path) -> None:
    from conftest import CHESHIRE_HEADER, write_xlsx

    root = small_chapter(tmp_path / "ws")
    rows = [CHESHIRE_HEADER, [None] * len(CHESHIRE_HEADER), ["02.06", "Amlodipine", "Tablets 5mg", "Green"]]
    write_xlsx(root / CH02 / "cheshire.xlsx", {"Formulary": rows}, {"Formulary": ["B1:B2", "D1:D2"]})
    result = invoke(root, "check", "--chapter", "2", "--json")
    findings = [f for c in json.loads(result.stdout)["chapters"] for f in c["findings"]]
    assert not [f for f in findings if f.get("value") in ("Drug", "Status")], findings
