"""Publishing: a finished chapter as a new read-only version (spreadsheet, searchable page, rationale for the
committee as a page, a Word document and a PDF), the whole formulary's index page, the progress dashboard, and the
diff of a rule change or of the last two runs.

Takes: a merged chapter with nothing left open. Gives: ``published/<slug>/v<N>/``, a publication event and
``published/index.html``.
"""

from __future__ import annotations

from harmonise.publish.acknowledged import Acknowledgement, acknowledge
from harmonise.publish.dashboard import ChapterStatus, workspace_status, write_dashboard
from harmonise.publish.diff import RuleDiff, diff_last_runs, diff_rules, write_diff_report
from harmonise.publish.integrity import Integrity, verify_workspace
from harmonise.publish.site import write_index
from harmonise.publish.versions import publish_chapter

__all__ = [
    "Acknowledgement",
    "ChapterStatus",
    "Integrity",
    "RuleDiff",
    "acknowledge",
    "diff_last_runs",
    "diff_rules",
    "publish_chapter",
    "verify_workspace",
    "workspace_status",
    "write_dashboard",
    "write_diff_report",
    "write_index",
]
