"""The working-group workbook's contract: its sheets, its columns, the decision words, and the check values
and signature that let an import notice an edited, forged or foreign workbook.

The signature is an HMAC-SHA256, keyed with the workspace's secret key (``harmonise.workspace.secret``), of the
format, the chapter, the merge run that wrote the workbook, its protected columns and every row of its hidden
Items sheet (which holds a check value of each protected cell): nobody without the key can alter what the
workbook says it showed the group and sign it again. Format 1 workbooks carry an unkeyed fingerprint that anyone
can recompute: they are no longer imported, and are read only to find typed decisions a merge must not lose.

``merge`` writes the workbook (``merge/group_workbook.py``) and ``review`` reads it back
(``review/importer.py``); both take the layout from here, so the two can never disagree.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any

from harmonise.workspace import Workspace

FORMAT = "harmonise working-group workbook 2"
UNSIGNED_FORMAT = "harmonise working-group workbook 1"  # before workbooks were signed with the workspace key
MAX_CANDIDATES = 3
DECISION_SHEET, ITEMS_SHEET, ABOUT_SHEET, LISTS_SHEET = "Decisions", "Items", "About", "Lists"
DECISION_COLUMNS = (
    "Decision",
    f"Which candidate (1-{MAX_CANDIDATES})",
    "Harmonised status",
    "Harmonised name",
    "Rationale",
    "Meeting date",
    "Decided by",
)
DECISION, CANDIDATE, STATUS, NAME, RATIONALE, MEETING, DECIDED_BY = DECISION_COLUMNS
# the decision columns of a workbook written before "Harmonised name": still read, so no typed decision is lost
EARLIER_DECISION_COLUMNS = tuple(c for c in DECISION_COLUMNS if c != NAME)
KEY_COLUMN = "Item key"
# "Vetoes" (added later, read when present): per candidate shown, why the matcher believes it differs ('' = no veto)
# "Of item" (format 2): the key of the escalated item a row decides (itself, or the item of a strength row)
ITEM_COLUMNS = ("Item key", "Item", "Entries", "Candidates", "Checks", "Vetoes", "Of item")
FIXED_WORDS = {
    "adopt status": ("adopt-status", ""),
    "include": ("include", ""),
    "exclude": ("exclude", ""),
    "retain both": ("retain-both", ""),
    "defer": ("defer", ""),
    "confirm match": ("confirm-match", ""),
    "confirm despite difference": ("confirm-despite-difference", ""),
    "reject match": ("reject-match", ""),
}


def decision_words(workspace: Workspace) -> dict[str, tuple[str, str]]:
    """The drop-down words and what each records: (decision, source key for 'adopt <source> position')."""
    words = {"adopt status": FIXED_WORDS["adopt status"]}
    words.update({f"adopt {s.name} position": ("adopt-source", s.key) for s in workspace.sources})
    words.update({w: v for w, v in FIXED_WORDS.items() if w != "adopt status"})
    return words


def check_value(value: Any) -> str:
    """A short digest of a cell as read back, to notice an edited protected cell on import."""
    text = "" if value is None else str(value).strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12] if text else BLANK_CHECK


BLANK_CHECK = hashlib.sha256(b"").hexdigest()[:12]  # a third of the cells checked are blank


def sign_items(key: bytes, slug: str, run_id: str, columns: str, rows: Sequence[Sequence[Any]]) -> str:
    """The workbook's signature: HMAC-SHA256 with the workspace key over what the workbook showed the group."""
    payload = json.dumps(
        [FORMAT, slug, run_id, columns, [list(map(str, r)) for r in rows]], ensure_ascii=False, separators=(",", ":")
    )
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


def unsigned_fingerprint(slug: str, rows: Sequence[Sequence[Any]]) -> str:
    """The unkeyed fingerprint of a format 1 workbook (anyone can recompute it: it shows only an accidental edit)."""
    payload = json.dumps([slug, [list(map(str, r)) for r in rows]], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
