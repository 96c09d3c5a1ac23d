"""Work spread over forked worker processes, with the outcome of one process.

A forked worker sees this process's memory as it was at the fork (the knowledge, the national list, the loaded
rows), so nothing is pickled but the number of each task and its result, which come back in order whatever
finishes first. ``HARMONISE_WORKERS`` sets how many processes may work (one per usable core by default; ``1`` keeps
everything in one process), and a worker never starts workers of its own. Where processes cannot fork (not
Linux), everything runs in one process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
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


def _started(parent: int) -> None:
    global _IN_WORKER
    _IN_WORKER = True
    _end_with(parent)


PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when the thread that forked it ends


def _end_with(parent: int) -> None:
    """Have Linux kill this worker when ``parent``, which forked it, ends: a merge killed mid-way (SIGKILL, out of
    memory) must not leave its workers waiting for work forever. Elsewhere nothing is done."""
    import ctypes  # here, not at start-up: only a worker needs it

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(1)


def _run(index: int) -> Any:
    assert _TASK is not None
    return _TASK(index)


def each_in_workers(
    task: Callable[[int], T], count: int, workers: int, helping: bool = False, first_here: bool = False
) -> Iterator[T]:
    """``task(0)`` .. ``task(count - 1)`` in ``workers`` forked processes, each result yielded in order as soon as
    it and those before it are done, so that this process can use one while the next ones are worked out. With
    ``first_here``, ``task(0)`` runs in this process before the workers start, so that the tables a task builds on
    first use (kept for the run) are built once and inherited by the workers. With ``helping``, this process works
    too: while the next result is not ready, it takes the last task no worker has started. An error is raised
    where its result would have been; a worker that dies (killed, out of memory) raises ``BrokenProcessPool``
    instead of leaving the caller waiting. With no worker, every task runs here."""
    first = [task(0)] if first_here and count > 0 else []
    if workers < 1 or count <= len(first):
        yield from first
        yield from (task(index) for index in range(len(first), count))
        return
    global _TASK
    _TASK = task
    forked = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        min(workers, count - len(first)), mp_context=forked, initializer=_started, initargs=(os.getpid(),)
    )
    try:
        futures = {index: pool.submit(_run, index) for index in range(len(first), count)}
        yield from first
        taken: dict[int, Callable[[], T]] = {}  # the tasks this process took, from the last one down
        for index in futures:
            if index in taken:
                yield taken.pop(index)()
                continue
            while helping and not futures[index].done() and index < count - 1 - len(taken):
                last = count - 1 - len(taken)
                if not futures[last].cancel():  # a worker has it already
                    break
                taken[last] = _outcome(task, last)
            yield futures[index].result()
    finally:  # also when the caller stops early: what has not started is dropped, not worked out
        pool.shutdown(wait=True, cancel_futures=True)
        _TASK = None


def _outcome(task: Callable[[int], T], index: int) -> Callable[[], T]:
    """``task(index)`` done now; its result given, or its error raised, when called (where a worker's would be)."""
    try:
        result = task(index)
    except Exception as error:  # noqa: BLE001  # raised by the caller, where the task's result would have been
        failed = error
        return lambda: _raise(failed)
    return lambda: result


def _raise(error: Exception) -> Any:
    raise error


def in_workers(task: Callable[[int, int], T], count: int, workers: int) -> list[T]:
    """``task(start, stop)`` over ``0..count`` in chunks, in ``workers`` forked processes; results in order."""
    if workers <= 1:
        return [task(0, count)]
    step = max(1, -(-count // (workers * 8)))  # small chunks: substance blocks differ a lot in cost
    chunks = [(start, min(start + step, count)) for start in range(0, count, step)]
    return list(each_in_workers(lambda index: task(*chunks[index]), len(chunks), workers))  # this one waits
