"""The garbage collector during a merge (``merge.collector``): paused while matching, which makes no reference
cycles; on, with the objects alive before frozen, while writing; always left as it was found."""

from __future__ import annotations

import datetime as dt
import gc
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from merge_fixtures import small_chapter
from review_fixtures import WORKBOOK, chapter_workspace, fill, merge, workspace_of
from typer.testing import CliRunner

import harmonise.merge.run as merge_run
from harmonise.cli import app
from harmonise.merge import collector_paused, heap_frozen, run_merge
from harmonise.workspace import load_workspace


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Whatever a test does to the collector, the next test finds it on and nothing frozen."""
    yield
    gc.unfreeze()
    gc.enable()


def collector_state() -> tuple[bool, bool]:
    return gc.isenabled(), gc.get_freeze_count() > 0


@pytest.mark.parametrize("enabled", [True, False])
def test_paused_collector_is_restored_as_found_even_after_an_error(enabled: bool, collector_restored: None) -> None:
    (gc.enable if enabled else gc.disable)()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError("bad cell")
    assert gc.isenabled() is enabled


@pytest.mark.parametrize("enabled", [True, False])
def test_frozen_heap_collects_only_what_the_block_makes_and_unfreezes_after(
    enabled: bool, collector_restored: None
) -> None:
    (gc.enable if enabled else gc.disable)()
    with pytest.raises(OSError), heap_frozen():
        assert collector_state() == (True, True)
        raise OSError("disk full")
    assert collector_state() == (enabled, False)


def test_a_freeze_of_the_caller_is_left_to_the_caller(collector_restored: None) -> None:
    gc.freeze()
    frozen = gc.get_freeze_count()
    with heap_frozen():
        pass
    assert gc.get_freeze_count() == frozen  # not unfrozen under the caller's feet


def test_merge_matches_with_the_collector_paused_and_writes_with_the_heap_frozen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collector_restored: None
) -> None:
    seen: dict[str, tuple[bool, bool]] = {}

    def spy(name: str, real: Any) -> Any:
        def called(*args: Any, **kwargs: Any) -> Any:
            seen[name] = collector_state()
            return real(*args, **kwargs)

        return called

    names = ("match_options", "load_all", "guard_workbooks", "merge_with_decisions", "chapter_books", "stage_chapter")
    for name in (*names, "staged_events", "commit"):
        monkeypatch.setattr(merge_run, name, spy(name, getattr(merge_run, name)))
    workspace = load_workspace(small_chapter(tmp_path))
    run_merge(workspace, [workspace.chapter("2")])
    assert seen == {
        "match_options": (False, False),
        "load_all": (False, False),
        "guard_workbooks": (True, True),  # openpyxl reads a filled workbook into objects that refer to each other
        "merge_with_decisions": (False, False),
        "chapter_books": (False, False),  # the workbooks' rows, built where the chapter was merged
        "stage_chapter": (True, True),  # XlsxWriter's worksheets refer to their workbook
        "staged_events": (True, True),
        "commit": (True, True),
    }
    assert collector_state() == (True, False)


class Workbook:
    """Stands for what a caller may leave in a cycle before merging (an openpyxl workbook and its sheets)."""

    def __init__(self) -> None:
        self.sheets = [self]


def test_what_the_caller_left_in_cycles_is_freed_before_the_merge_pauses_the_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collector_restored: None
) -> None:
    """Paused, the collector would keep a caller's garbage alive for the whole merge (the memory of a notebook that
    read workbooks before merging, or of ``benchmarks/chapter_size.py``, which writes its chapter first)."""
    workspace = load_workspace(small_chapter(tmp_path))
    left = Workbook()
    still_there = weakref.ref(left)
    del left  # unreachable now, but only the cyclic collector can free it
    alive_while_matching: list[bool] = []
    real = merge_run.merge_with_decisions

    def matching(*args: Any, **kwargs: Any) -> Any:
        alive_while_matching.append(still_there() is not None)
        return real(*args, **kwargs)

    monkeypatch.setattr(merge_run, "merge_with_decisions", matching)
    gc.disable()  # as between two collections: nothing has walked it yet
    run_merge(workspace, [workspace.chapter("2")], write=False)
    assert alive_while_matching == [False]


def cyclic_garbage_of(work: Any) -> int:
    """How many objects ``work`` leaves in reference cycles (what only the cyclic collector can free)."""
    gc.collect()
    with collector_paused():
        work()
        return gc.collect()


def test_matching_and_deciding_leave_no_reference_cycles(tmp_path: Path, collector_restored: None) -> None:
    """Why pausing the collector while matching costs no memory: on a chapter with recorded working-group
    decisions (a confirmed join, an adopted status), loading, matching and deciding make no object the
    collector would have to free. Written workbooks are read back once first, so that what importing
    openpyxl or the reference does once per process is not counted."""
    root = chapter_workspace(tmp_path)
    merge(root)
    meeting = {"Meeting date": dt.date(2024, 3, 12), "Decided by": "Dr Shah", "Rationale": "Agreed at the meeting"}
    fill(
        root / WORKBOOK,
        {
            "Ramipril": {"Decision": "adopt status", "Harmonised status": "Green", **meeting},
            "Clopidogrel 75mg tablets": {
                "Decision": "confirm match",
                "Which candidate (1-3)": 1,
                **meeting,
            },
        },
    )
    imported = CliRunner().invoke(app, ["--workspace", str(root), "decisions", "import", str(root / WORKBOOK)])
    assert imported.exit_code == 0, imported.output
    workspace = workspace_of(root)
    again = lambda: run_merge(workspace, [workspace.chapter("2")], write=False)  # noqa: E731
    first = again()
    assert any(r.outcome.decided_by != "default" and r.item.match.confirmed for r in first.chapters[0].results)
    assert cyclic_garbage_of(again) == 0


def test_building_the_workbooks_rows_leaves_no_reference_cycles(tmp_path: Path, collector_restored: None) -> None:
    """The rows of both workbooks are built with the collector paused (in the worker that merged the chapter)."""
    workspace = load_workspace(small_chapter(tmp_path))
    run = run_merge(workspace, [workspace.chapter("2")], write=False)
    merge = run.chapters[0]
    review = run.reviews[merge.chapter.slug]
    books = lambda: merge_run.chapter_books(workspace, merge, review, "0" * 32)  # noqa: E731
    books()
    assert cyclic_garbage_of(books) == 0
