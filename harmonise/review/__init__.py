"""The working-group loop: the working-group workbook's layout (shared with ``merge``, which writes it), its
signature (keyed with the workspace's secret key), its import into the decisions register (only for items the
merge that wrote it escalated), decisions gone stale since they were taken, and the minutes.

Takes: a filled-in working-group workbook, the register. Gives: recorded ``Decision``s, applied by the next
merge before the rules, the staleness of each, the joins the group confirmed (as labels for their items) and
the typed decisions of a workbook not yet imported (which a merge must not overwrite).
"""

from __future__ import annotations

from harmonise.review.importer import ImportReport, import_decisions
from harmonise.review.layout import (
    ABOUT_SHEET,
    CANDIDATE,
    DECIDED_BY,
    DECISION,
    DECISION_COLUMNS,
    DECISION_SHEET,
    FIXED_WORDS,
    FORMAT,
    ITEM_COLUMNS,
    ITEMS_SHEET,
    KEY_COLUMN,
    LISTS_SHEET,
    MAX_CANDIDATES,
    MEETING,
    NAME,
    RATIONALE,
    STATUS,
    check_value,
    decision_words,
    sign_items,
    unsigned_fingerprint,
)
from harmonise.review.minutes import write_minutes
from harmonise.review.pending import PendingRow, pending_decisions, readable_pending
from harmonise.review.reading import display_path
from harmonise.review.recording import (
    Repair,
    Settled,
    load_logged_register,
    log_then_save,
    pending_import_path,
    repair_workspace,
    require_settled,
    settle,
    settle_pending,
    unlogged_decisions,
)
from harmonise.review.register import (
    STALE_BY,
    VANISHED,
    DecidedEntry,
    Decision,
    audit_data,
    load_register,
    register_path,
    strength_fingerprint,
)
from harmonise.review.staleness import DecisionReview, review_decisions

__all__ = [
    "ABOUT_SHEET",
    "CANDIDATE",
    "DECIDED_BY",
    "DECISION",
    "DECISION_COLUMNS",
    "DECISION_SHEET",
    "FIXED_WORDS",
    "FORMAT",
    "ITEMS_SHEET",
    "ITEM_COLUMNS",
    "KEY_COLUMN",
    "LISTS_SHEET",
    "MAX_CANDIDATES",
    "MEETING",
    "NAME",
    "RATIONALE",
    "STALE_BY",
    "STATUS",
    "VANISHED",
    "DecidedEntry",
    "Decision",
    "DecisionReview",
    "ImportReport",
    "PendingRow",
    "Repair",
    "Settled",
    "audit_data",
    "check_value",
    "decision_words",
    "display_path",
    "import_decisions",
    "load_logged_register",
    "load_register",
    "log_then_save",
    "pending_decisions",
    "pending_import_path",
    "readable_pending",
    "register_path",
    "repair_workspace",
    "require_settled",
    "review_decisions",
    "settle",
    "settle_pending",
    "sign_items",
    "strength_fingerprint",
    "unlogged_decisions",
    "unsigned_fingerprint",
    "write_minutes",
]
