"""The chapter merge: load every source, match, apply the recorded decisions then the rules, and write the
draft chapter workbook and the working-group workbook, with a run event in the audit log.

Takes: a ``Workspace`` and chapters. Gives: a ``MergeRun`` (per chapter a ``ChapterMerge`` of ``ItemResult``s)
and the two workbooks per chapter. ``collector_paused`` / ``heap_frozen``: the garbage collector settings a merge
matches and writes under (``merge.collector``), for anything that measures against it.
"""

from __future__ import annotations

from harmonise.merge.chapter import ChapterMerge, ItemResult, merge_chapter
from harmonise.merge.collector import collector_paused, heap_frozen
from harmonise.merge.draft_workbook import headers, row, write_draft
from harmonise.merge.group_workbook import unsettled, write_working_group
from harmonise.merge.naming import split_name
from harmonise.merge.run import PREVIOUS_STATE_NAME, STATE_NAME, MergeRun, read_state, run_merge

__all__ = [
    "PREVIOUS_STATE_NAME",
    "STATE_NAME",
    "ChapterMerge",
    "ItemResult",
    "MergeRun",
    "collector_paused",
    "headers",
    "heap_frozen",
    "merge_chapter",
    "read_state",
    "row",
    "run_merge",
    "split_name",
    "unsettled",
    "write_draft",
    "write_working_group",
]
