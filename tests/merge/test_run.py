"""``merge --all`` merges its chapters in forked worker processes (issue 15 item 6): what it writes, the audit events
and their order, and all-or-nothing on failure are those of merging the chapters one after another in one process
(``HARMONISE_WORKERS=1``)."""

from __future__ import annotations

import json
import os
import shutil
import signal
from pathlib import Path
from typing import Any

import pytest
from bad_files import invoke
from merge_fixtures import CH02, small_chapter
from openpyxl import load_workbook
from review_fixtures import fill

import harmonise.merge.commit as commit_module
import harmonise.merge.run as merge_run
import harmonise.output.xlsx as writer
from harmonise.merge import MergeRun, run_merge
from harmonise.review import importer
from harmonise.workspace import load_workspace

CHAPTERS = (CH02, "chapters/04-central-nervous-system", "chapters/06-endocrine")
REPORTS = tuple(f"reports/{Path(c).name}" for c in CHAPTERS)
PER_RUN = {"run", "key id", "signature"}  # what the About sheet says of the run and the workspace's key alone
DEFER = {"Decision": "defer", "Meeting date": "2024-03-12", "Decided by": "Dr Shah"}


def three_chapters(root: Path) -> Path:
    """Chapters 2, 4 and 6, each the small chapter 2 of two legacy formularies."""
    small_chapter(root)
    for folder in CHAPTERS[1:]:
        shutil.copytree(root / CH02, root / folder)
    return root


def merged_in_processes(workers: str, root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[MergeRun, set[int]]:
    """``merge --all`` of ``root`` with ``HARMONISE_WORKERS=workers``; and the processes that merged the chapters."""
    monkeypatch.setenv("HARMONISE_WORKERS", workers)
    real = merge_run.merge_with_decisions

    def noting_the_process(*args: Any, **kwargs: Any) -> Any:
        merge, review = real(*args, **kwargs)
        merge.merged_by = os.getpid()  # type: ignore[attr-defined]  # comes back with the merge
        return merge, review

    monkeypatch.setattr(merge_run, "merge_with_decisions", noting_the_process)
    workspace = load_workspace(root)
    run = run_merge(workspace, list(workspace.chapters_present()), user="tester")
    monkeypatch.undo()
    return run, {m.merged_by for m in run.chapters}  # type: ignore[attr-defined]


def sheet_values(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's cell values; the About sheet without the run id, the workspace's key id and the signature."""
    book = load_workbook(path)
    values = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    if "About" in values:
        values["About"] = [row for row in values["About"] if str(row[0]).casefold() not in PER_RUN]
    return values


def events(root: Path) -> list[tuple[str, str]]:
    """The audit events in order: kind and data, the workspace's own path left out."""
    lines = (json.loads(line) for line in (root / "reports/audit.jsonl").read_text(encoding="utf-8").splitlines())
    return [(e["kind"], json.dumps(e["data"], sort_keys=True).replace(str(root), "ROOT")) for e in lines]


def test_chapters_merged_in_worker_processes_write_what_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # one workspace copied, not written twice: a spreadsheet written a second later holds another time stamp,
    # so its hash in the audit log would differ
    one = three_chapters(tmp_path / "one" / "ws")
    many = Path(shutil.copytree(one, tmp_path / "many" / "ws"))
    for _ in range(2):  # the second merge also logs what changed since the first
        serial, serial_processes = merged_in_processes("1", one, monkeypatch)
        parallel, parallel_processes = merged_in_processes("2", many, monkeypatch)
    assert serial_processes == {os.getpid()}
    assert parallel_processes - {os.getpid()}  # a worker merges chapters (this one helps from the end)
    assert [m.chapter.slug for m in parallel.chapters] == [m.chapter.slug for m in serial.chapters]
    assert len(parallel.chapters) == 3
    for chapter, reports in zip(CHAPTERS, REPORTS, strict=True):
        draft = f"{chapter}/harmonised-draft.xlsx"
        assert (many / draft).read_bytes() == (one / draft).read_bytes()
        group = f"{reports}/working-group.xlsx"
        assert sheet_values(many / group) == sheet_values(one / group)
        state = f"{reports}/outcomes.json"
        assert (many / state).read_bytes() == (one / state).read_bytes()
    assert events(many) == events(one)
    assert {kind for kind, _ in events(one)} >= {"run", "outcome"}


def test_the_workers_write_the_workbooks_of_the_chapters_they_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing a workbook is most of a merge's time: a worker packs the workbooks of the chapters it merged, so the
    process holding the transaction only puts their bytes in place (each process notes in a file what it packed,
    as a forked worker's memory does not come back)."""
    root = three_chapters(tmp_path / "ws")
    noted = tmp_path / "packed-by"
    real = writer.workbook_bytes

    def noting(*args: Any, **kwargs: Any) -> bytes:
        with noted.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(writer, "workbook_bytes", noting)
    monkeypatch.setattr(commit_module, "workbook_bytes", noting, raising=False)  # where the workers pack
    run, processes = merged_in_processes("2", root, monkeypatch)
    packed_by = [int(line) for line in noted.read_text(encoding="utf-8").split()]
    assert len(packed_by) == 2 * len(run.chapters)  # a draft and a working-group workbook per chapter
    assert set(packed_by) == processes  # each chapter's workbooks packed by the process that merged it
    assert set(packed_by) - {os.getpid()}


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def saved_without_event(target: Path, text: str | None, events: Any, **options: Any) -> None:
    """The register saved and its decision event never logged (as an import killed by an older harmonise)."""
    assert text is not None
    target.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_chapter_that_fails_in_a_worker_leaves_every_output_as_it_was(
    workers: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chapter 4's register holds a decision without its event: the merge is refused with the error one process
    gives, though chapter 2 was merged (and staged) before, and nothing changes, no staged file left over."""
    root = three_chapters(tmp_path / "ws")
    assert invoke(root, "merge", "--all").exit_code == 0
    workbook = root / REPORTS[1] / "working-group.xlsx"
    fill(workbook, {"TICAGRELOR": DEFER}, workbook.with_name("filled.xlsx"))
    with monkeypatch.context() as patch:
        patch.setattr(importer, "log_then_save", saved_without_event)
        assert invoke(root, "decisions", "import", str(workbook.with_name("filled.xlsx"))).exit_code == 0
    before = files_of(root)
    monkeypatch.setenv("HARMONISE_WORKERS", workers)
    result = invoke(root, "merge", "--all")
    message = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "decisions/04-central-nervous-system.yaml: 1 recorded decision(s) have no decision event" in message
    assert files_of(root) == before


def test_a_worker_killed_while_merging_stops_the_merge_with_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed (as the kernel kills a process when memory runs out) is the machine, not a bug: exit 2, a
    message saying what to do, and every file as it was."""
    root = three_chapters(tmp_path / "ws")
    assert invoke(root, "merge", "--all").exit_code == 0
    before = files_of(root)
    here = os.getpid()
    real = merge_run.merge_with_decisions

    def killed_in_a_worker(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    monkeypatch.setattr(merge_run, "merge_with_decisions", killed_in_a_worker)
    monkeypatch.setenv("HARMONISE_WORKERS", "2")
    result = invoke(root, "merge", "--all")
    message = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "a worker process ended abruptly (killed, or out of memory)" in message
    assert "HARMONISE_WORKERS=1" in message and "internal error" not in message
    assert files_of(root) == before
