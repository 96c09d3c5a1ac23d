"""Work spread over forked worker processes, with the outcome of one process.

A forked worker sees this process's memory as it was at the fork (the knowledge, the national list, the loaded
rows), so nothing is pickled but the work's bounds and its results, which come back in order whatever finishes
first. ``HARMONISE_WORKERS`` sets how many processes may work (one per usable core by default; ``1`` keeps
everything in one process), and a worker never starts workers of its own. Where processes cannot fork (not
Linux), everything runs in one process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
MOST = 8  # beyond this many processes the work of a merge is too small to share out further
_TASK: Callable[..., Any] | None = None  # what a forked worker runs (set before the fork, never pickled)
_IN_WORKER = False


def usable_workers() -> int:
    """How many processes may work: ``HARMONISE_WORKERS``, else one per core this process may use; 1 inside a
    worker (a worker never forks workers of its own) and where processes cannot fork."""
    if _IN_WORKER or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    setting = os.environ.get("HARMONISE_WORKERS", "")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return max(1, min(int(setting) if setting.isdigit() else cores, MOST))


def _started() -> None:
    global _IN_WORKER
    _IN_WORKER = True


def _run(*bounds: int) -> Any:
    assert _TASK is not None
    return _TASK(*bounds)


def each_in_workers(task: Callable[[int], T], count: int, workers: int) -> Iterator[T]:
    """``task(0)`` .. ``task(count - 1)`` in ``workers`` forked processes, each result yielded in order as soon as
    it and those before it are done (the caller can use one while the next ones are worked out). An error is
    raised where its result would have been; a worker that dies (killed, out of memory) raises
    ``BrokenProcessPool`` instead of leaving the caller waiting. With one worker, ``task`` runs here."""
    if workers <= 1 or count <= 1:
        yield from (task(index) for index in range(count))
        return
    global _TASK
    _TASK = task
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(min(workers, count), mp_context=context, initializer=_started)
    try:
        yield from pool.map(_run, range(count))
    finally:  # also when the caller stops early: what has not started is dropped, not worked out
        pool.shutdown(wait=True, cancel_futures=True)
        _TASK = None


def in_workers(task: Callable[[int, int], T], count: int, workers: int) -> list[T]:
    """``task(start, stop)`` over ``0..count`` in chunks, in ``workers`` forked processes; results in order."""
    if workers <= 1:
        return [task(0, count)]
    step = max(1, -(-count // (workers * 8)))  # small chunks: substance blocks differ a lot in cost
    chunks = [(start, min(start + step, count)) for start in range(0, count, step)]
    return list(each_in_workers(lambda index: task(*chunks[index]), len(chunks), workers))
