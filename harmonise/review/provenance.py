"""Which items the merge that wrote a working-group workbook escalated, from the audit log.

Each merge logs a ``run`` event and one ``outcome`` event per item whose outcome is new or changed, all under
the run's id (the id the workbook carries, signed). Replaying a chapter's ``outcome`` events up to the last
event of that run gives every item's outcome as that run left it, so an import can accept decisions only for
items that run escalated, and name the rule that settled any other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from harmonise.audit import AuditLog

RUN_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class RunOutcome:
    """One item's outcome as a merge run left it: the kind (``escalate``, ``adopt``...) and what decided it."""

    name: str
    kind: str
    decided_by: str

    @property
    def escalated(self) -> bool:
        return self.kind == "escalate"


def run_outcomes(log: AuditLog, slug: str, run_id: str) -> Mapping[str, RunOutcome] | None:
    """Every item's outcome in chapter ``slug`` as merge run ``run_id`` left it; None when the log holds no
    ``run`` event of that id (the workbook was not written by a merge this log records)."""
    if not RUN_ID.fullmatch(run_id):
        return None
    events = log.select(f'"run_id":"{run_id}"')
    if not any(e.kind == "run" for e in events):
        return None
    last = max(e.seq for e in events)
    outcomes: dict[str, RunOutcome] = {}
    for event in log.select('"kind":"outcome"', f'"chapter":"{slug}"'):
        if event.seq > last:
            break
        if event.data.get("chapter") == slug:
            after = event.data.get("after") or {}
            outcome = RunOutcome(
                str(event.data.get("item_name", "")), str(after.get("kind")), str(after.get("decided_by"))
            )
            outcomes[str(event.data["item_key"])] = outcome
    return outcomes
