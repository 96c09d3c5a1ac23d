"""Fault injection (issue 14): ``merge --all``, ``decisions import`` and ``publish`` are each killed with SIGKILL at
``N`` points drawn at random (seeded) from every point where the command writes, renames, syncs, links or removes
a file, writes a workbook's zip entry, or appends to the audit log (whole, or half a line). After every kill:

- never a register record without its decision event, never a published version without its publication event;
- ``audit verify`` passes, or names the problem (exit 1, never an internal error);
- once a killed merge is completed or rolled back, its outputs are all old with no new run event, or all new with
  the run event that wrote them (each working-group workbook signs the id of a run that is in the log);
- the next command completes, or refuses cleanly (exit 2) saying to run ``harmonise audit repair``, after which it
  completes; then the log verifies, every output is the one an uninterrupted run writes, and nothing is left over.

The kills reuse ``tests/test_audit_integrity.py``'s driver (a subprocess SIGKILLed at the n-th call of a function
by any of its processes: a worker's call kills the command too). The points are counted by one uninterrupted run in
this process; kills run two at a time (CI has two cores) while this process checks the last one. ``N = 50`` per
command; ``decisions import`` has fewer points than that, so every one of its points is killed.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import subprocess
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bad_files import invoke
from merge_fixtures import CH02, MERSEYSIDE, small_chapter
from openpyxl import load_workbook
from review_fixtures import chapter_workspace, fill
from review_fixtures import merge as merge_chapter
from test_audit_integrity import killed

from harmonise import audit
from harmonise.merge.commit import recover_merge
from harmonise.workspace import load_workspace

SEED = 14
N = 50
WIDTH = 2  # kills in flight at once
LOG = "reports/audit.jsonl"
CHAPTERS = (CH02, "chapters/04-central-nervous-system", "chapters/06-endocrine")
REPORTS = tuple(f"reports/{Path(c).name}" for c in CHAPTERS)
DEFER = {"Decision": "defer", "Meeting date": "2024-03-12", "Decided by": "Dr Shah"}
Point = tuple[str, str, str, int]  # module, function, when (before, after, half), n-th call
# Where a command can be killed: (module, function, when).
KINDS = (
    ("os", "replace", "before"),
    ("os", "replace", "after"),
    ("os", "fsync", "before"),
    ("os", "unlink", "before"),
    ("os", "unlink", "after"),
    ("os", "link", "after"),
    ("os", "rename", "before"),
    ("os", "rename", "after"),
    ("os", "open", "after"),
    ("zipfile", "ZipFile.writestr", "before"),
    ("harmonise.audit", "_write_all", "half"),
    ("harmonise.audit", "_write_all", "after"),
)


def without_reference(root: Path) -> Path:
    """Match with the drug knowledge only: the kills are about files, and each killed run starts faster."""
    with open(root / "harmonise.yaml", "a", encoding="utf-8") as config:
        config.write("reference: none\n")
    return root


def flat(text: str) -> str:
    return " ".join(text.split())


# ---- the points ---------------------------------------------------------------------------------------------


def owner_of(module: str, name: str) -> tuple[Any, str]:
    target: Any = {"os": os, "zipfile": zipfile, "harmonise.audit": audit}[module]
    for part in name.split(".")[:-1]:
        target = getattr(target, part)
    return target, name.split(".")[-1]


def count_calls(template: Path, scratch: Path, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> dict:
    """How many times one uninterrupted run of ``args`` (on a copy of ``template``) calls each function: in one
    process, as the calls of forked workers are not counted here (the killed runs count them all, see ``killed``)."""
    root = Path(shutil.copytree(template, scratch))
    counts: dict[tuple[str, str], int] = {}
    with monkeypatch.context() as patch:
        patch.setenv("HARMONISE_WORKERS", "1")
        for module, name in dict.fromkeys((m, f) for m, f, _ in KINDS):
            owner, attribute = owner_of(module, name)
            patch.setattr(owner, attribute, counted(getattr(owner, attribute), counts, (module, name)))
        result = invoke(root, *args)
    assert result.exit_code == 0, result.output
    return counts


def counted(real: Callable[..., Any], counts: dict[tuple[str, str], int], key: tuple[str, str]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        counts[key] = counts.get(key, 0) + 1
        return real(*args, **kwargs)

    return wrapper


def draw(counts: dict[tuple[str, str], int], rng: random.Random) -> list[Point]:
    """``N`` points at random, taken in turn from each kind so that every kind is killed (all if fewer)."""
    groups = [[(m, f, w, k) for k in range(1, counts.get((m, f), 0) + 1)] for m, f, w in KINDS]
    shuffled = [rng.sample(g, len(g)) for g in groups if g]
    chosen: list[Point] = []
    while len(chosen) < N and any(shuffled):
        chosen += [g.pop() for g in shuffled if g][: N - len(chosen)]
    return chosen


def kill_all(
    template: Path, scratch: Path, points: Iterable[Point], args: Callable[[Path], list[str]]
) -> Iterator[tuple[Point, Path]]:
    """Each point's killed run on its own copy of ``template``, ``WIDTH`` at a time; yields each as it ends."""
    running: deque[tuple[Point, Path, subprocess.Popen[bytes]]] = deque()
    for number, point in enumerate(points):
        root = Path(shutil.copytree(template, scratch / f"kill-{number}"))
        running.append((point, root, killed(point, root, *args(root))))
        if len(running) >= WIDTH:
            yield finished(*running.popleft())
    while running:
        yield finished(*running.popleft())


def finished(point: Point, root: Path, process: subprocess.Popen[bytes]) -> tuple[Point, Path]:
    code = process.wait(120)
    assert code == -9, (point, code, process.stderr.read())  # type: ignore[union-attr]
    return point, root


# ---- what must hold after a kill ----------------------------------------------------------------------------


def lines_of(root: Path) -> list[bytes]:
    """The complete lines of the log (a half-written last line is not an event)."""
    path = root / LOG
    lines = path.read_bytes().splitlines(keepends=True) if path.is_file() else []
    return [line for line in lines if line.endswith(b"\n")]


def run_ids(root: Path) -> set[str]:
    """The run ids of the complete ``run`` events in the log."""
    found = (json.loads(line) for line in lines_of(root))
    return {e["run_id"] for e in found if e.get("kind") == "run"}


def assert_verify_passes_or_names_the_problem(root: Path, point: Point) -> None:
    result = invoke(root, "audit", "verify")
    assert result.exit_code in (0, 1), (point, result.exit_code, result.output)
    if result.exit_code == 1:  # the problem is named: the log's line, or the file of the workspace concerned
        said = flat(result.output)
        assert "Traceback" not in said and re.search(r"(line \d+|(decisions|published|reports)/\S+):", said), said


def next_command(root: Path, point: Point, *args: str) -> str:
    """Run the next command: it completes, or refuses cleanly naming ``audit repair``, after which it completes."""
    result = invoke(root, *args)
    said = flat(result.output)
    if result.exit_code == 2 and "harmonise audit repair" in said:
        repaired = invoke(root, "audit", "repair")
        assert repaired.exit_code == 0, (point, repaired.output)
        said += " " + flat(repaired.output)
        result = invoke(root, *args)
    assert result.exit_code == 0, (point, result.exit_code, result.output)
    assert invoke(root, "audit", "verify").exit_code == 0, point
    return said + " " + flat(result.output)


def leftovers(root: Path, folders: Iterable[str]) -> list[str]:
    return [
        p.relative_to(root).as_posix()
        for folder in folders
        for p in (root / folder).glob(".*")
        if p.name.endswith((".tmp", ".bak")) or p.name.startswith(".v")
    ]


# ---- merge --all --------------------------------------------------------------------------------------------


def change_every_chapter(root: Path) -> None:
    """Merseyside now lists atorvastatin as Red in every chapter: the next merge changes every output."""
    from conftest import write_xlsx

    table: list[list[Any]] = [list(r) for r in MERSEYSIDE]  # type: ignore[call-overload]
    rows = [[*r[:3], "Red", *r[4:]] if r[1] == "ATORVASTATIN" else r for r in table]
    for folder in CHAPTERS:
        write_xlsx(root / folder / "merseyside.xlsx", {"Formulary": rows})


def outputs(root: Path) -> dict[str, bytes]:
    """Each chapter's draft and outcome state (byte-reproducible) and its working-group workbook's signed run."""
    found = {}
    for chapter, reports in zip(CHAPTERS, REPORTS, strict=True):
        found[f"{chapter}/draft"] = (root / chapter / "harmonised-draft.xlsx").read_bytes()
        found[f"{reports}/outcomes"] = (root / reports / "outcomes.json").read_bytes()
        found[f"{reports}/run"] = signed_run(root / reports / "working-group.xlsx").encode()
    return found


def signed_run(path: Path) -> str:
    about = load_workbook(io.BytesIO(path.read_bytes()))["About"]
    return str(dict(about.iter_rows(min_row=2, values_only=True))["Run"])


def assert_all_or_nothing(root: Path, point: Point, old: dict[str, bytes], new: dict[str, bytes]) -> None:
    """Once the pending merge is resolved (as the next merge does first, saying which): all old outputs and no
    new run event, or all new with the run event that wrote them."""
    pending = (root / "reports/merge.pending.json").is_file()
    said = recover_merge(load_workspace(root))
    assert bool(said) == pending and (not said or said.startswith("an interrupted merge was")), (point, said)
    now, added = outputs(root), run_ids(root) - {v.decode() for k, v in old.items() if k.endswith("/run")}
    assert len(added) <= 1, (point, added)
    if not added:
        assert now == old, (point, [k for k in now if now[k] != old[k]])
        return
    assert without_runs(now) == without_runs(new), (point, [k for k in now if now[k] != new[k]])
    assert {now[k] for k in now if k.endswith("/run")} == {added.pop().encode()}, point


def without_runs(found: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in found.items() if not k.endswith("/run")}


@pytest.fixture(scope="module")
def three_chapters(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """Chapters 2, 4 and 6 merged once, then an input of each changed; their outputs before and after a merge."""
    root = without_reference(small_chapter(tmp_path_factory.mktemp("three") / "ws"))
    for folder in CHAPTERS[1:]:
        shutil.copytree(root / CH02, root / folder)
    assert invoke(root, "merge", "--all").exit_code == 0
    change_every_chapter(root)
    done = Path(shutil.copytree(root, root.with_name("done")))
    assert invoke(done, "merge", "--all").exit_code == 0
    return root, outputs(root), outputs(done)


def test_merge_all_killed_at_random_points_is_all_or_nothing_and_the_next_merge_completes(
    three_chapters: tuple[Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template, old, new = three_chapters
    counts = count_calls(template, tmp_path / "count", ("merge", "--all"), monkeypatch)
    points = draw(counts, random.Random(SEED))
    for point, root in kill_all(template, tmp_path, points, lambda root: ["merge", "--all"]):
        assert_verify_passes_or_names_the_problem(root, point)
        assert_all_or_nothing(root, point, old, new)
        next_command(root, point, "merge", "--all")
        now = outputs(root)
        assert without_runs(now) == without_runs(new), point
        assert {now[k] for k in now if k.endswith("/run")} <= {r.encode() for r in run_ids(root)}, point
        assert leftovers(root, [*CHAPTERS, *REPORTS, "reports"]) == [], point
    assert len(points) == N


# ---- decisions import ---------------------------------------------------------------------------------------


def register_records(root: Path) -> set[tuple[str, str, str, str]]:
    path = root / "decisions/02-cardiovascular.yaml"
    if not path.is_file():
        return set()
    records = yaml.safe_load(path.read_text(encoding="utf-8"))["decisions"]
    return {(k, r["decision"], str(r["meeting"]), r["decided_by"]) for k, r in records.items()}


def decision_events(root: Path) -> list[tuple[str, str, str, str]]:
    found = (json.loads(line) for line in lines_of(root))
    return [
        (d["item_key"], d["decision"], d["meeting"], d["decided_by"])
        for e in found
        if e.get("kind") == "decision" and (d := e["data"])
    ]


@pytest.fixture(scope="module")
def decided(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A merged chapter and its working-group workbook with two deferrals typed in, not yet imported."""
    root = without_reference(chapter_workspace(tmp_path_factory.mktemp("decided")))
    merge_chapter(root)
    workbook = root / "reports/02-cardiovascular/working-group.xlsx"
    return root, fill(workbook, {"Ramipril": DEFER, "Bisoprolol": DEFER}, workbook.with_name("filled.xlsx"))


def test_decisions_import_killed_at_every_point_never_leaves_a_record_without_its_event(
    decided: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template, filled = decided
    relative = filled.relative_to(template).as_posix()
    counts = count_calls(template, tmp_path / "count", ("decisions", "import", str(filled)), monkeypatch)
    points = draw(counts, random.Random(SEED))
    for point, root in kill_all(template, tmp_path, points, lambda root: ["decisions", "import", str(root / relative)]):
        assert register_records(root) <= set(decision_events(root)), point  # never a record without its event
        assert_verify_passes_or_names_the_problem(root, point)
        next_command(root, point, "decisions", "import", str(root / relative))
        assert len(register_records(root)) == 2, point
        assert sorted(decision_events(root)) == sorted(register_records(root)), point  # each event exactly once
        assert not (root / "decisions/02-cardiovascular.yaml.pending").exists(), point
        assert invoke(root, "merge", "--chapter", "2").exit_code == 0, point  # it refuses a record without its event
        assert leftovers(root, ["decisions", "reports"]) == [], point
    assert 20 <= len(points) <= N


# ---- publish ------------------------------------------------------------------------------------------------


def published(root: Path) -> set[int]:
    folder = root / "published/02-cardiovascular"
    return {int(p.name[1:]) for p in folder.glob("v*")} if folder.is_dir() else set()


def logged_versions(root: Path) -> set[int]:
    found = (json.loads(line) for line in lines_of(root))
    return {e["data"]["version"] for e in found if e.get("kind") == "publication"}


@pytest.fixture(scope="module")
def settled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from publish_fixtures import merged, publish_workspace

    return merged(without_reference(publish_workspace(tmp_path_factory.mktemp("settled") / "ws", merge=False)))


def test_publish_killed_at_random_points_never_leaves_a_version_without_its_event(
    settled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = count_calls(settled, tmp_path / "count", ("publish", "--chapter", "2"), monkeypatch)
    points = draw(counts, random.Random(SEED))
    for point, root in kill_all(settled, tmp_path, points, lambda root: ["publish", "--chapter", "2"]):
        assert published(root) <= logged_versions(root), point  # never a version without its event
        assert_verify_passes_or_names_the_problem(root, point)
        before = published(root)
        next_command(root, point, "publish", "--chapter", "2")
        assert len(published(root) - before) == 1 and published(root) <= logged_versions(root), point
        assert leftovers(root, ["published/02-cardiovascular", "reports"]) == [], point
    # a workbook is written in one go since issue 15 (fewer calls than N): then every point is killed
    assert len(points) == min(N, sum(counts.get((m, f), 0) for m, f, _ in KINDS))
