"""Work spread over forked worker processes, with the outcome of one process.

A forked worker sees this process's memory as it was at the fork (the knowledge, the national list, the loaded
rows), so nothing is pickled but each task's result (a worker takes the number of its next task from a counter
they share), and the results come back in order whatever finishes first. ``HARMONISE_WORKERS`` sets how many
processes may work (one per usable core by default; ``1`` keeps everything in one process), and a worker never
starts workers of its own. Where processes cannot fork (not Linux), everything runs in one process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
from collections.abc import Callable, Generator
from typing import Any, TypeVar

from harmonise.errors import WorkerLost

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


def each_in_workers(
    task: Callable[[int], T],
    count: int,
    workers: int,
    helping: bool = False,
    meanwhile: Callable[[], object] | None = None,
) -> Generator[T, None, None]:
    """``task(0)`` .. ``task(count - 1)`` in ``workers`` forked processes, each result yielded in order as soon as
    it and those before it are done, so that this process can use one while the next ones are worked out. A
    worker sees this process as it was when the workers started (what it has built for the run, it has too).
    ``meanwhile`` runs in this process once the workers have started, before any result is given (first, when
    there is no worker). The workers take the tasks from the first one up, each the next as soon as it is free
    (two shared counters: the first and the last task nobody has taken); with ``helping``, this process works too:
    while the next result is not ready, it takes the last task nobody has taken, so that the two ends meet and no
    process waits long for another at the end. An error is raised where its result would have been; a worker that
    dies (killed, out of memory) raises ``WorkerLost`` instead of leaving the caller waiting. With no worker, every
    task runs here."""
    if workers < 1 or count <= 1:
        if meanwhile is not None:
            meanwhile()
        yield from (task(index) for index in range(count))
        return
    global _TASK
    _TASK = task
    forked = multiprocessing.get_context("fork")
    left = forked.Array("i", [0, count - 1])  # the first and the last task nobody has taken
    results: Any = forked.Queue()
    started = [
        forked.Process(target=_work, args=(left, results, os.getpid()), daemon=True) for _ in range(min(workers, count))
    ]
    for process in started:
        process.start()
    done: dict[int, Callable[[], T]] = {}
    try:
        if meanwhile is not None:
            meanwhile()
        for index in range(count):
            while index not in done:
                if _received(results, done):  # what has come in meanwhile, so its user need not wait for the rest
                    continue
                last = _take(left, from_end=True) if helping else None
                if last is not None:
                    done[last] = _outcome(task, last)
                else:
                    _receive(results, done, started)
            yield done.pop(index)()
    finally:  # also when the caller stops early: what no worker has taken is dropped, not worked out
        with left.get_lock():
            left[0], left[1] = count, -1
        _wind_up(results, started)
        _TASK = None


def _take(left: Any, from_end: bool = False) -> int | None:
    """The first (or last) task nobody has taken, now taken; None when every task is."""
    with left.get_lock():
        first, last = left[0], left[1]
        if first > last:
            return None
        if from_end:
            left[1] = last - 1
            return last
        left[0] = first + 1
        return first


def _work(left: Any, results: Any, parent: int) -> None:
    """A worker: take the next task until none is left, sending each result (or error) back with its number."""
    _started(parent)
    assert _TASK is not None
    while (index := _take(left)) is not None:
        try:
            outcome: tuple[int, bool, Any] = (index, True, _TASK(index))
        except Exception as error:  # noqa: BLE001  # raised by the caller, where the task's result would have been
            outcome = (index, False, error)
        results.put(outcome)
    results.close()
    results.join_thread()  # everything sent before this process ends


def _receive(results: Any, done: dict[int, Callable[[], Any]], started: list[Any]) -> None:
    """Wait for the next result of a worker and keep it; ``WorkerLost`` when a worker has died."""
    while True:
        try:
            index, ok, value = results.get(timeout=0.2)
        except queue.Empty:
            if any(p.exitcode not in (None, 0) for p in started):
                raise WorkerLost("a worker process ended abruptly (killed, or out of memory)") from None
            if all(p.exitcode is not None for p in started):  # they took every task and sent all they could
                raise WorkerLost("the workers ended without sending a task's result") from None
            continue
        done[index] = _kept(ok, value)
        return


def _received(results: Any, done: dict[int, Callable[[], Any]]) -> bool:
    """Keep a result that has come in already, if any (without waiting)."""
    try:
        index, ok, value = results.get_nowait()
    except queue.Empty:
        return False
    done[index] = _kept(ok, value)
    return True


def _kept(ok: bool, value: Any) -> Callable[[], Any]:
    return (lambda: value) if ok else (lambda: _raise(value))


def _wind_up(results: Any, started: list[Any]) -> None:
    """Let every worker end (each finishes the task it has): read what they still send, so none waits to send it."""
    while any(p.is_alive() for p in started):
        with contextlib.suppress(queue.Empty):
            results.get(timeout=0.05)
    for process in started:
        process.join()
    results.close()


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
