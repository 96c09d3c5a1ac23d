"""Python's cyclic garbage collector during a merge: paused while matching, kept off the long-lived objects while
writing.

A merge makes millions of small objects that live until it ends (every name's parse, the comparisons, the items,
the knowledge and the national list) and next to none that form a reference cycle (``tests/merge/test_collector.py``
checks it; reading a CSV file leaves the three objects of the class ``csv.Sniffer`` makes), so the collector finds
nothing to free there, yet it would walk them all again and again as they accumulate: about 15% of ``merge --all``
(``benchmarks/merge_all.py``). So a merge runs with the collector paused (reference counting frees everything as
usual), and what does make cycles runs with it on but with the objects alive before frozen (``gc.freeze``), so that
each collection looks only at what that step made: writing the workbooks (XlsxWriter's worksheets refer to their
workbook) and reading a filled working-group workbook (openpyxl). Both restore the collector as they found it,
whatever happens. The benchmark's I/O floor reads and writes under the same two settings, so that the floor stays
what no merge can avoid.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused(collect_first: bool = False) -> Iterator[None]:
    """The cyclic collector off inside the block (only for work that makes no reference cycles), as before after.
    With ``collect_first``, what the caller left in cycles is freed first (one walk over what is alive), so that the
    block holds no more memory than it would with the collector on."""
    enabled = gc.isenabled()
    if collect_first:
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def heap_frozen() -> Iterator[None]:
    """The collector on inside the block, looking only at the objects made in it; every object alive before is
    moved back under the collector afterwards (unless the caller had frozen some: then nothing is frozen here,
    as unfreezing would unfreeze the caller's too), and the collector left on or off as it was."""
    enabled, frozen_before = gc.isenabled(), gc.get_freeze_count() > 0
    if not frozen_before:
        gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()
        if not enabled:
            gc.disable()
