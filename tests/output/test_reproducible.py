"""Identical runs write identical workbooks (issue 14, item 9): no workbook carries the time it was written, in
its document properties or in its zip entries' dates, so the draft, the published chapter and the data-errors
report of two identical runs are byte-identical, two working-group workbooks differ only by the run id of the
merge that wrote each (the hidden About sheet and the page footers) and the signature over it, and two published
versions of a chapter only by the version their page footers name."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bad_files import invoke
from merge_fixtures import CH02, small_chapter
from openpyxl import load_workbook

DRAFT = f"{CH02}/harmonised-draft.xlsx"
GROUP = "reports/02-cardiovascular/working-group.xlsx"
ERRORS = "reports/02-cardiovascular/data-errors.xlsx"


def entries(payload: bytes) -> dict[str, bytes]:
    """A workbook's zip entries, unpacked."""
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def assert_no_write_time(payload: bytes) -> None:
    """Neither a zip entry's date nor the document properties say when the workbook was written."""
    recent = datetime.now() - timedelta(days=2)
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        assert all(datetime(*info.date_time) < recent for info in archive.infolist())
        core = archive.read("docProps/core.xml").decode("utf-8")
    for day in (datetime.now(UTC), datetime.now(UTC) - timedelta(days=1)):
        assert day.strftime("%Y-%m-%d") not in core, core


def about(payload: bytes) -> dict[str, str]:
    sheet = load_workbook(io.BytesIO(payload))["About"]
    return {str(what): str(value) for what, value in sheet.iter_rows(min_row=2, values_only=True)}


def merged_twice(root: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The draft and working-group workbook of two merges of the same inputs, one after the other."""
    runs = []
    for _ in range(2):
        assert invoke(root, "merge", "--chapter", "2").exit_code == 0
        runs.append({name: (root / name).read_bytes() for name in (DRAFT, GROUP)})
    return runs[0], runs[1]


def test_two_identical_merges_write_the_same_draft_and_group_workbooks_but_for_run_id_and_signature(
    tmp_path: Path,
) -> None:
    first, second = merged_twice(small_chapter(tmp_path / "ws"))
    assert first[DRAFT] == second[DRAFT]
    for payload in (first[DRAFT], first[GROUP], second[GROUP]):
        assert_no_write_time(payload)
    one, two = about(first[GROUP]), about(second[GROUP])
    assert one["Run"] != two["Run"] and one["Signature"] != two["Signature"]
    assert {k: v for k, v in one.items() if k not in ("Run", "Signature")} == {
        k: v for k, v in two.items() if k not in ("Run", "Signature")
    }
    renamed = {
        name: data.replace(one["Run"].encode(), two["Run"].encode()).replace(
            one["Signature"].encode(), two["Signature"].encode()
        )
        for name, data in entries(first[GROUP]).items()
    }
    assert renamed == entries(second[GROUP])  # the run id and the signature are the only differences


def test_two_identical_checks_and_publications_write_byte_identical_workbooks(tmp_path: Path) -> None:
    from publish_fixtures import publish_workspace

    root = small_chapter(tmp_path / "check")
    reports = []
    for _ in range(2):
        assert invoke(root, "check", "--chapter", "2").exit_code == 1  # the example's data error
        reports.append((root / ERRORS).read_bytes())
    assert reports[0] == reports[1]
    assert_no_write_time(reports[0])
    published = publish_workspace(tmp_path / "publish")
    for _ in range(2):
        assert invoke(published, "publish", "--chapter", "2").exit_code == 0
    folder = published / "published/02-cardiovascular"
    first, second = ((folder / f"v{n}/chapter.xlsx").read_bytes() for n in (1, 2))
    assert_no_write_time(first)
    # the only difference: the version each one's printed pages name in their footer
    renamed = {
        name: data.replace(b"Published version 1", b"Published version 2") for name, data in entries(first).items()
    }
    assert renamed == entries(second) and first != second


def test_the_first_workbook_a_process_writes_is_the_same_as_the_next(tmp_path: Path) -> None:
    """XlsxWriter adds to the options it is given: shared options made every workbook after a process's first
    differ from it (a merge after a killed one wrote another draft than an uninterrupted one)."""
    script = (
        "import sys\n"
        "from harmonise.output import Footer, Sheet, columns, write_workbook\n"
        "sheet = Sheet('Chapter', columns(('Drug', 'Status')), [['Ezetimibe 10mg tablets', 'Green']], frozen=1)\n"
        "for name in sys.argv[1:]:\n"
        "    write_workbook(__import__('pathlib').Path(name), [sheet], Footer('Chapter 2', 'v1'))\n"
    )
    names = [str(tmp_path / f"{n}.xlsx") for n in ("first", "second", "third")]
    subprocess.run([sys.executable, "-c", script, *names], check=True, cwd=tmp_path)
    first, second, third = (Path(name).read_bytes() for name in names)
    assert first == second == third
