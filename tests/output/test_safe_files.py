"""Safe files: every write is atomic, a run killed half-way leaves the previous outputs intact, the decisions
register's lock keeps concurrent imports from losing a decision, and an interrupted publication leaves no
version behind.

The kill tests run the real ``harmonise merge`` in subprocesses that send themselves SIGKILL at chosen
points (mid-way through writing a workbook, just before or after a rename, after the audit line is written
but before it is synced); they run in parallel so the whole module stays fast.
"""

from __future__ import annotations

import ast
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
from bad_files import invoke
from bad_files import merged_template as merged_template  # the fixture is shared
from conftest import write_xlsx
from merge_fixtures import CH02, MERSEYSIDE
from openpyxl import load_workbook
from review_fixtures import chapter_workspace, fill
from review_fixtures import merge as merge_chapter

from harmonise.audit import AuditLog
from harmonise.merge.commit import recover_merge
from harmonise.workspace import load_workspace

PACKAGE = Path(__file__).resolve().parents[2] / "harmonise"
OUTPUTS = (
    "chapters/02-cardiovascular/harmonised-draft.xlsx",
    "reports/02-cardiovascular/working-group.xlsx",
    "reports/02-cardiovascular/outcomes.json",
    "reports/audit.jsonl",
    "reports/audit.jsonl.head",
)

# Runs ``harmonise`` with one fault injected: argv = mode, n, then the harmonise arguments.
DRIVER = textwrap.dedent(
    """
    import os, signal, sys, time, zipfile

    mode, n, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    calls = {"n": 0}

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def counted(real, before):
        def wrapper(*a, **k):
            calls["n"] += 1
            if before and calls["n"] == n:
                die()
            result = real(*a, **k)
            if not before and calls["n"] == n:
                die()
            return result
        return wrapper

    if mode == "before-rename":
        os.replace = counted(os.replace, True)
    elif mode == "after-rename":
        os.replace = counted(os.replace, False)
    elif mode == "before-publish-rename":
        os.rename = counted(os.rename, True)
    elif mode == "mid-write":
        zipfile.ZipFile.writestr = counted(zipfile.ZipFile.writestr, True)
    elif mode == "before-sync":
        os.fsync = counted(os.fsync, True)
    elif mode == "slow-register-save":
        import harmonise.review.recording as rec
        real_save = rec.write_text
        def slow(*a, **k):
            time.sleep(1.0)  # widen the read-modify-write window: without the lock a decision would be lost
            return real_save(*a, **k)
        rec.write_text = slow
    from harmonise.cli import app
    app(args, prog_name="harmonise")
    """
)


def harmonise(mode: str, n: int, *args: str) -> subprocess.Popen[bytes]:
    """Start ``harmonise ARGS`` in a subprocess with the fault ``mode`` at call ``n``."""
    env = {**os.environ, "HARMONISE_USER": "tester"}
    return subprocess.Popen(
        [sys.executable, "-c", DRIVER, mode, str(n), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def file_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def sheet_values(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    workbook = load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


# ---- every write goes through fileio ------------------------------------------------------------------------

# The two writes that deliberately do not: the audit log is appended to (whole lines, fsynced, under a lock;
# see AuditLog.append), and rules/doc.py's main is the developer's doc generator, not part of any command;
# (output/xlsx.py builds each workbook in memory and hands the bytes to write_bytes.)
ALLOWED_RAW_WRITES = {("audit.py", "open"), ("rules/doc.py", "write_text")}
# output/document.py saves a Word document into memory, then hands its bytes to the atomic write_bytes
ALLOWED_RAW_WRITES |= {("output/document.py", "save")}
# output/transaction.py is the all-or-nothing protocol over files staged atomically (its tests are below and in
# tests/merge/test_transaction.py): renaming staged files into place, backups back, and removing what it staged.
TRANSACTION_CALLS = {("output/transaction.py", call) for call in ("replace", "unlink")}
WRITE_CALLS = {"write_text", "write_bytes", "save", "open", "mkstemp", "rename", "replace", "unlink", "rmtree"}


def safe_names(tree: ast.Module) -> set[str]:
    """Functions a module imported from the safe writers (``harmonise.output.files``, ``harmonise.output.xlsx``)."""
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module in ("harmonise.output", "harmonise.output.files", "harmonise.output.xlsx")
        for alias in node.names
    }


def raw_writes() -> list[tuple[str, str, int]]:
    """``(module, call, line)`` for every call outside output/files.py that could write a file in place."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        if module == "output/files.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        safe = safe_names(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name):
                name, through_fileio = func.id, func.id in safe
            elif isinstance(func, ast.Attribute):
                name, through_fileio = func.attr, isinstance(func.value, ast.Name) and func.value.id == "fileio"
            else:
                continue
            if name not in WRITE_CALLS or through_fileio:
                continue
            if name == "replace" and not (isinstance(func, ast.Attribute) and ast.unparse(func.value) == "os"):
                continue  # str.replace, dataclasses.replace
            if name == "open" and not any(
                isinstance(a, ast.Constant) and set(str(a.value)) & set("wax+") for a in node.args[1:]
            ):
                continue  # opened for reading
            if name == "save" and "tmp" in ast.unparse(node):
                continue  # workbook.save(tmp) handed to fileio.write_with
            found.append((module, name, node.lineno))
    return found


def test_every_write_in_the_package_is_atomic_or_a_documented_append() -> None:
    found = raw_writes()
    assert found, "the scan must see the known exceptions"
    unexpected = [w for w in found if (w[0], w[1]) not in ALLOWED_RAW_WRITES | TRANSACTION_CALLS]
    # publish builds a version in a hidden temporary folder, renames it into place in one step, and removes
    # the temporary folder if anything failed: those calls are its atomic protocol, tested below.
    assert {w[1] for w in unexpected if w[0] == "publish/versions.py"} <= {"rename", "rmtree"}
    assert [w for w in unexpected if w[0] != "publish/versions.py"] == []


# ---- a merge killed half-way --------------------------------------------------------------------------------

# os.replace, in order, for ``merge --chapter 2``: 1-4 stage the draft, the working-group workbook and the two
# outcome states; 5 writes the pending marker; 6-7 put the two workbooks in place; then the audit append (its head
# file); then the late outcome states and the kept copy. Every point must leave all or nothing once the marker
# is resolved.
KILL_POINTS = [
    ("mid-write", 5),  # inside the draft workbook's staged file
    ("before-rename", 1),  # draft complete in its temporary file, not yet staged
    ("after-rename", 1),  # draft staged, nothing visible changed
    ("before-rename", 5),  # everything staged, marker not yet written
    ("after-rename", 5),  # marker written, nothing in place
    ("after-rename", 6),  # new draft in place, old working-group workbook still there: rolled back next time
    ("after-rename", 7),  # both workbooks in place, no run event yet: rolled back next time
    ("before-sync", 3),  # audit lines written, not synced: the event is in, so completed next time
    ("before-rename", 9),  # the event appended, the outcome state not yet in place: completed next time
    ("after-rename", 10),  # outcome state in place, marker still there: completed next time
]
ALL_OR_NOTHING = OUTPUTS[:4]


def change_an_input(root: Path) -> None:
    """Merseyside now lists atorvastatin as Red: the next merge changes every output."""
    rows = [[*r[:3], "Red", *r[4:]] if r[1] == "ATORVASTATIN" else r for r in MERSEYSIDE]
    write_xlsx(root / CH02 / "merseyside.xlsx", {"Formulary": rows})


def test_a_merge_killed_at_any_point_leaves_each_output_old_or_wholly_new(
    merged_template: Path,
    tmp_path: Path,
) -> None:
    reference = Path(shutil.copytree(merged_template, tmp_path / "reference"))
    change_an_input(reference)
    before = file_bytes(reference)
    runs = []
    for mode, n in KILL_POINTS:
        root = Path(shutil.copytree(reference, tmp_path / f"{mode}-{n}"))
        runs.append((mode, n, root, harmonise(mode, n, "--workspace", str(root), "merge", "--chapter", "2")))
    complete = harmonise("none", 0, "--workspace", str(reference), "merge", "--chapter", "2")
    assert complete.wait(60) == 0, complete.stderr.read()  # type: ignore[union-attr]
    new = file_bytes(reference)
    for mode, n, root, process in runs:
        assert process.wait(60) == -9, (mode, n, process.stderr.read())  # type: ignore[union-attr]
        workspace = load_workspace(root)
        recover_merge(workspace)  # what the next merge does first: complete or roll back, never half
        after = file_bytes(root)
        changed = [name for name in ALL_OR_NOTHING if after.get(name) != before.get(name)]
        assert changed in ([], list(ALL_OR_NOTHING)), (mode, n, changed)
        for name in changed:
            assert_wholly_new(name, root, before, after, new)
        assert AuditLog(root / "reports/audit.jsonl").verify().ok, (mode, n)
        leftovers = set(after) - set(before)
        # a temporary file a killed writer left (the next merge removes it), or a completed run's dated copy of the
        # workbook and previous outcome state
        kept = [p for p in leftovers if "/history/working-group-" in p or p.endswith("outcomes.previous.json")]
        assert all(Path(p).name.startswith(".") and p.endswith(".tmp") for p in leftovers - set(kept)), leftovers
        rerun = invoke(root, "merge", "--chapter", "2")  # the next run works and tidies nothing it should not
        assert rerun.exit_code == 0, rerun.output
        assert sheet_values(root / OUTPUTS[0]) == sheet_values(reference / OUTPUTS[0])
        assert not [p for p in file_bytes(root) if p.endswith((".tmp", ".bak", ".pending.json"))], (mode, n)


def assert_wholly_new(
    name: str, root: Path, before: dict[str, bytes], after: dict[str, bytes], new: dict[str, bytes]
) -> None:
    """A changed output must be a complete new version, never part of one."""
    if name.endswith(".xlsx"):
        workbook = load_workbook(root / name)  # a partial package would not open
        assert workbook.sheetnames and new[name][:2] == after[name][:2] == b"PK", name
    elif name == "reports/audit.jsonl":
        assert after[name].startswith(before[name]), "the audit log is only ever appended to"
        added = after[name][len(before[name]) :].decode("utf-8").splitlines(keepends=True)
        assert added and all(line.endswith("\n") and json.loads(line)["kind"] for line in added)
    elif name == "reports/audit.jsonl.head":
        assert json.loads(after[name])["seq"] > json.loads(before[name])["seq"]
    else:
        assert after[name] == new[name], name


# ---- the decisions register's lock --------------------------------------------------------------------------


def test_concurrent_imports_of_different_decisions_keep_both(tmp_path: Path) -> None:
    root = chapter_workspace(tmp_path)
    merge_chapter(root)
    workbook = root / "reports/02-cardiovascular/working-group.xlsx"
    decided = {"Decision": "defer", "Meeting date": "2024-03-12", "Decided by": "Dr Shah"}
    first = fill(workbook, {"Ramipril": decided}, root / "reports/02-cardiovascular/first.xlsx")
    second = fill(workbook, {"Bisoprolol": decided}, root / "reports/02-cardiovascular/second.xlsx")
    runs = [
        harmonise("slow-register-save", 0, "--workspace", str(root), "decisions", "import", str(path))
        for path in (first, second)
    ]
    for process in runs:
        assert process.wait(60) == 0, process.stderr.read()  # type: ignore[union-attr]
    register = (root / "decisions/02-cardiovascular.yaml").read_text(encoding="utf-8")
    assert register.count("decision: defer") == 2 and "Ramipril" in register and "Bisoprolol" in register
    events = [e for e in AuditLog(root / "reports/audit.jsonl").read() if e.kind == "decision"]
    assert len(events) == 2


# ---- publishing -------------------------------------------------------------------------------------------


def test_a_publication_killed_before_its_rename_leaves_no_version(tmp_path: Path) -> None:
    from publish_fixtures import publish_workspace

    root = publish_workspace(tmp_path / "ws")
    process = harmonise("before-publish-rename", 1, "--workspace", str(root), "publish", "--chapter", "2")
    assert process.wait(60) == -9
    folder = root / "published/02-cardiovascular"
    assert not (folder / "v1").exists()
    assert [p.name[:4] for p in folder.iterdir()] == [".v1."]  # only the hidden folder it was building
    result = invoke(root, "publish", "--chapter", "2")
    assert result.exit_code == 0, result.output
    # The killed run had already logged v1 (the log states the intent before the rename), so its number is
    # never reused: the next publication is v2, and its event names v1 as aborted.
    assert sorted(p.name for p in folder.glob("v*")) == ["v2"]
    manifest = json.loads((folder / "v2/manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == 2 and set(manifest["files"]) >= {"chapter.xlsx", "chapter.csv", "chapter.html"}
    events = [e for e in AuditLog(root / "reports/audit.jsonl").read() if e.kind == "publication"]
    assert [e.data["version"] for e in events] == [1, 2]
    assert events[-1].data["aborted_versions"] == [1]
    assert events[-1].data["files"]["chapter.xlsx"] == manifest["files"]["chapter.xlsx"]


def test_the_next_publication_removes_the_folder_a_killed_one_was_building(tmp_path: Path) -> None:
    from publish_fixtures import publish_workspace

    root = publish_workspace(tmp_path / "ws")
    process = harmonise("before-publish-rename", 1, "--workspace", str(root), "publish", "--chapter", "2")
    assert process.wait(60) == -9
    folder = root / "published/02-cardiovascular"
    assert [p.name[:4] for p in folder.iterdir() if not p.name.endswith(".lock")] == [".v1."]  # sealed, read-only
    assert invoke(root, "publish", "--chapter", "2").exit_code == 0
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock")) == ["v2"]


@pytest.mark.parametrize("fails_at", ["chapter.html", "manifest.json"])
def test_a_publication_that_fails_half_way_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails_at: str
) -> None:
    from publish_fixtures import publish_workspace

    from harmonise.publish import versions as publish

    root = publish_workspace(tmp_path / "ws")
    log_before = (root / "reports/audit.jsonl").read_bytes()  # the merge's events
    real = publish.write_text

    def failing(target: Path, text: str) -> None:
        if Path(target).name == fails_at:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        real(target, text)

    monkeypatch.setattr(publish, "write_text", failing)
    result = invoke(root, "publish", "--chapter", "2")
    # The machine's problem, not a bug in harmonise: exit 2 with the file named and what to do.
    message = " ".join(result.output.split())
    assert result.exit_code == 2 and f"{fails_at}: the disk is full; free some space" in message
    folder = root / "published/02-cardiovascular"
    assert [p.name for p in folder.iterdir() if not p.name.endswith(".lock")] == []
    assert (root / "reports/audit.jsonl").read_bytes() == log_before  # no publication event
