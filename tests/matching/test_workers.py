"""Work shared out over forked worker processes (``matching.workers``): results in order and the same as one process
gives, errors where their result would have been, a dead worker reported instead of waited for, and a worker never
forking workers of its own."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

from harmonise.errors import InputError, Problem, WorkerLost
from harmonise.matching import each_in_workers, load_knowledge, usable_workers
from harmonise.matching.parse import parse_name

NAMES = [
    "Amlodipine 5mg tablets",
    "AMLODIPINE Tabs 10 mg",
    "Co-codamol 30mg/500mg tablets",
    "Fentanyl 25micrograms/hour transdermal patches",
    "Salbutamol 100mcg Inhaler CFC free",
    "Metformin 500mg m/r tablets",
]
KNOWLEDGE = load_knowledge()


def parsed(index: int) -> tuple[str, tuple[str, ...], int]:
    key = parse_name(NAMES[index], KNOWLEDGE)
    return NAMES[index], key.substances, os.getpid()


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_in_order_from_other_processes_and_equal_one_process(workers: int) -> None:
    here = list(each_in_workers(parsed, len(NAMES), 0))
    there = list(each_in_workers(parsed, len(NAMES), workers))
    assert [r[:2] for r in there] == [r[:2] for r in here]
    assert here[2][1] == ("codeine", "paracetamol")
    assert {r[2] for r in here} == {os.getpid()}
    assert os.getpid() not in {r[2] for r in there}


def test_workers_see_what_this_process_built_before_they_started() -> None:
    """The parse cache filled here before the workers start (kept with the knowledge for the run) is theirs too."""
    knowledge = load_knowledge()
    cache = knowledge.cache.setdefault("parse", {})
    cache.pop(NAMES[0], None)  # as in a new run
    parse_name(NAMES[0], knowledge)

    def known_already(index: int) -> tuple[int, bool]:
        return os.getpid(), NAMES[0] in cache

    results = list(each_in_workers(known_already, 3, 2))
    assert all(pid != os.getpid() and known for pid, known in results)


def wait_for(path: Path, why: str) -> None:
    """Until another process has written ``path`` (a minute at most: ``why`` says what did not happen)."""
    deadline = time.monotonic() + 60
    while not path.exists():
        assert time.monotonic() < deadline, why
        time.sleep(0.01)


def waiting_for_meanwhile(folder: Path) -> Callable[[int], int]:
    """Task 0 says it has started, then waits until ``meanwhile`` (in the calling process) has run."""

    def task(index: int) -> int:
        if index == 0:
            (folder / "started").write_text(str(os.getpid()), encoding="utf-8")
            wait_for(folder / "meanwhile", "meanwhile never ran while the worker worked")
        return index

    return task


def test_meanwhile_runs_here_while_the_workers_work(tmp_path: Path) -> None:
    def meanwhile() -> None:
        wait_for(tmp_path / "started", "the workers did not start before meanwhile")  # a worker has task 0
        (tmp_path / "meanwhile").write_text(str(os.getpid()), encoding="utf-8")

    results = list(each_in_workers(waiting_for_meanwhile(tmp_path), 4, 1, meanwhile=meanwhile))
    assert results == [0, 1, 2, 3]
    assert (tmp_path / "meanwhile").read_text(encoding="utf-8") == str(os.getpid())
    assert (tmp_path / "started").read_text(encoding="utf-8") != str(os.getpid())


def test_with_no_worker_meanwhile_runs_first() -> None:
    order: list[str] = []
    results = list(
        each_in_workers(lambda index: order.append(f"task {index}"), 2, 0, meanwhile=lambda: order.append("meanwhile"))
    )
    assert results == [None, None]
    assert order == ["meanwhile", "task 0", "task 1"]


def waiting_for_the_last(folder: Path, count: int) -> Callable[[int], int]:
    """Task 0 (a worker's) waits until the last task has run: only this process can have run it meanwhile."""

    def task(index: int) -> int:
        if index == count - 1:
            (folder / "last").write_text(str(os.getpid()), encoding="utf-8")
        if index == 0:
            wait_for(folder / "last", "the last task was never taken by the waiting process")
        return index

    return task


def test_a_helping_process_takes_the_last_task_while_the_worker_is_busy(tmp_path: Path) -> None:
    results = list(each_in_workers(waiting_for_the_last(tmp_path, 6), 6, 1, helping=True))
    assert results == list(range(6))
    assert (tmp_path / "last").read_text(encoding="utf-8") == str(os.getpid())


def failing_at_three(index: int) -> str:
    if index == 3:
        raise InputError(f"cannot read {NAMES[index]}", [Problem("chapters/04-cns/alpha.xlsx row 5", "bad cell")])
    return NAMES[index]


@pytest.mark.parametrize(("workers", "helping"), [(0, False), (1, False), (1, True), (2, True)])
def test_an_error_is_raised_where_its_result_would_have_been(workers: int, helping: bool) -> None:
    results = each_in_workers(failing_at_three, len(NAMES), workers, helping=helping)
    assert [next(results) for _ in range(3)] == NAMES[:3]
    with pytest.raises(InputError) as raised:
        next(results)
    assert raised.value.problems == (Problem("chapters/04-cns/alpha.xlsx row 5", "bad cell"),)
    assert str(raised.value).startswith("cannot read Fentanyl")


def killed_at_one(index: int) -> int:
    if index == 1:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would
    return index


def test_a_worker_that_dies_is_reported_not_waited_for() -> None:
    with pytest.raises(WorkerLost):
        list(each_in_workers(killed_at_one, 4, 2))


def workers_inside(index: int) -> int:
    return usable_workers()


def test_a_worker_never_forks_workers_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARMONISE_WORKERS", "2")
    assert usable_workers() == 2
    assert list(each_in_workers(workers_inside, 3, 2)) == [1, 1, 1]
    assert list(each_in_workers(workers_inside, 3, 0)) == [2, 2, 2]


@pytest.mark.parametrize(("setting", "expected"), [("1", 1), ("3", 3), ("64", 8), ("", None), ("many", None)])
def test_harmonise_workers_sets_the_number_of_processes(
    setting: str, expected: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARMONISE_WORKERS", setting)
    cores = min(len(os.sched_getaffinity(0)), 8)
    assert usable_workers() == (cores if expected is None else expected)


WAITING_MAIN = textwrap.dedent(
    """
    import os, sys, time
    from harmonise.matching import each_in_workers

    def task(index):
        # a worker, working on a chapter as the main process is killed; one write of the whole line, which a pipe
        # keeps whole (print writes the number and the newline apart: two workers' lines once came interleaved)
        os.write(1, f"{os.getpid()}\\n".encode())
        time.sleep(600)

    list(each_in_workers(task, 4, 2))
    """
)


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def read_pids(stream: IO[bytes], count: int, timeout: float = 60) -> list[int]:
    """The first ``count`` pids printed on ``stream`` (unbuffered, so nothing waits unseen in a buffer); fails
    rather than waits forever when they do not come."""
    deadline, pids = time.monotonic() + timeout, []
    while len(pids) < count:
        ready, _, _ = select.select([stream], [], [], max(0.0, deadline - time.monotonic()))
        line = stream.readline() if ready else b""
        assert line, f"{len(pids)} of {count} workers said they had started"
        pids.extend(int(word) for word in line.split())
    return pids


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_workers_end_with_a_main_process_that_is_killed() -> None:
    """A merge killed (power cut aside: SIGKILL, out of memory) leaves no worker waiting for work forever."""
    main = subprocess.Popen([sys.executable, "-c", WAITING_MAIN], stdout=subprocess.PIPE, bufsize=0)
    assert main.stdout is not None
    workers = read_pids(main.stdout, 2)  # the pids the two workers print, one line each
    assert all(alive(pid) for pid in workers)
    main.kill()
    main.wait()
    deadline = time.monotonic() + 60
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in workers if alive(pid)]
    for pid in left:  # never leave them behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == []
