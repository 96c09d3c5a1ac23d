"""Work shared out over forked worker processes (``matching.workers``): results in order and the same as one process
gives, errors where their result would have been, a dead worker reported instead of waited for, and a worker never
forking workers of its own."""

from __future__ import annotations

import os
import signal
from concurrent.futures.process import BrokenProcessPool

import pytest

from harmonise.errors import InputError, Problem
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


def test_results_come_in_order_from_other_processes_and_equal_one_process() -> None:
    here = list(each_in_workers(parsed, len(NAMES), 1))
    there = list(each_in_workers(parsed, len(NAMES), 2))
    assert [r[:2] for r in there] == [r[:2] for r in here]
    assert here[2][1] == ("codeine", "paracetamol")
    assert {r[2] for r in here} == {os.getpid()}
    assert os.getpid() not in {r[2] for r in there}


def failing_at_three(index: int) -> str:
    if index == 3:
        raise InputError(f"cannot read {NAMES[index]}", [Problem("chapters/04-cns/alpha.xlsx row 5", "bad cell")])
    return NAMES[index]


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_is_raised_where_its_result_would_have_been(workers: int) -> None:
    results = each_in_workers(failing_at_three, len(NAMES), workers)
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
    with pytest.raises(BrokenProcessPool):
        list(each_in_workers(killed_at_one, 4, 2))


def workers_inside(index: int) -> int:
    return usable_workers()


def test_a_worker_never_forks_workers_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARMONISE_WORKERS", "2")
    assert usable_workers() == 2
    assert list(each_in_workers(workers_inside, 3, 2)) == [1, 1, 1]


@pytest.mark.parametrize(("setting", "expected"), [("1", 1), ("3", 3), ("64", 8), ("", None), ("many", None)])
def test_harmonise_workers_sets_the_number_of_processes(
    setting: str, expected: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARMONISE_WORKERS", setting)
    cores = min(len(os.sched_getaffinity(0)), 8)
    assert usable_workers() == (cores if expected is None else expected)
