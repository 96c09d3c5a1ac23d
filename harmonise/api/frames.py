"""A workspace as pandas DataFrames: entries, items, outcomes, decisions and audit events.

The rows come from the library's own records, never from re-reading the workbooks: entries, items and
outcomes from what ``harmonise merge`` computes (run in memory, nothing written, the recorded decisions
applied first, as a merge does), decisions from the register each merge reviews (with whether it went stale
or vanished), audit events from ``reports/audit.jsonl``. Each chapter is merged once, when first asked for.
Columns and dtypes are fixed by ``harmonise.api.columns`` (documented in ``docs/api.md``); empty text is
``<NA>``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from harmonise.api.columns import AUDIT, ENTRIES, ITEMS, OUTCOMES, TABLES, TIME, Table
from harmonise.audit import AuditEvent, AuditLog
from harmonise.merge import ChapterMerge, ItemResult, run_merge
from harmonise.model import Chapter, Entry
from harmonise.review import Decision, DecisionReview
from harmonise.workspace import Workspace, load_workspace

Row = dict[str, Any]


class Frames:
    """The tables of one workspace. ``chapter`` arguments take a number (``2``, ``"02"``) or a folder name;
    ``None`` means every chapter that has a folder under ``chapters/``, one after the other. Each chapter is merged,
    and the audit log read, once, when first asked for: the tables hold still while a notebook (or an export, which
    logs itself) works with them."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._merged: dict[str, tuple[ChapterMerge, DecisionReview]] = {}
        self._events: list[AuditEvent] | None = None

    @property
    def chapters(self) -> list[str]:
        """The numbers of the chapters that have a folder under ``chapters/``."""
        return [c.number for c in self.workspace.chapters_present()]

    def entries(self, chapter: str | int | None = None) -> pd.DataFrame:
        """One row per legacy formulary row loaded (see ``docs/api.md``)."""
        return self.table("entries", chapter)

    def items(self, chapter: str | int | None = None) -> pd.DataFrame:
        """One row per harmonised item."""
        return self.table("items", chapter)

    def outcomes(self, chapter: str | int | None = None) -> pd.DataFrame:
        """One row per item: its outcome, who or what decided it, and why."""
        return self.table("outcomes", chapter)

    def decisions(self, chapter: str | int | None = None) -> pd.DataFrame:
        """One row per recorded working-group decision."""
        return self.table("decisions", chapter)

    def audit_events(self, chapter: str | int | None = None) -> pd.DataFrame:
        """One row per audit event; with a chapter, the events about that chapter (a run event names none)."""
        return self.table("audit", chapter)

    def table(self, name: str, chapter: str | int | None = None) -> pd.DataFrame:
        """The table called ``name`` (``entries``, ``items``, ``outcomes``, ``decisions`` or ``audit``)."""
        table = TABLES[name]
        chapters = self._chapters(chapter)
        if table is AUDIT:
            if self._events is None:
                self._events = read_events(self.workspace)
            return frame(table, audit_rows(self.workspace, self._events, chapter is not None, chapters))
        return frame(table, (row for c in chapters for row in self._rows(table, c)))

    def _chapters(self, chapter: str | int | None) -> list[Chapter]:
        if chapter is None:
            return list(self.workspace.chapters_present())
        return [self.workspace.chapter(str(chapter))]

    def _rows(self, table: Table, chapter: Chapter) -> Iterator[Row]:
        merge, review = self._merge(chapter)
        if table is ENTRIES:
            return entry_rows(self.workspace, merge)
        if table is ITEMS:
            return (item_row(chapter, r) for r in merge.results)
        if table is OUTCOMES:
            return (outcome_row(self.workspace, chapter, r) for r in merge.results)
        return decision_rows(chapter, review)

    def _merge(self, chapter: Chapter) -> tuple[ChapterMerge, DecisionReview]:
        if chapter.slug not in self._merged:
            run = run_merge(self.workspace, [chapter], write=False)
            self._merged[chapter.slug] = (run.chapters[0], run.reviews[chapter.slug])
        return self._merged[chapter.slug]


def load(root: str | Path = ".") -> Frames:
    """Load the workspace at ``root`` (the folder holding ``harmonise.yaml``) for its tables."""
    return Frames(load_workspace(Path(root)))


# -- building the frames ----------------------------------------------------------------------------------------


def frame(table: Table, rows: Iterable[Row]) -> pd.DataFrame:
    """A DataFrame of ``rows`` with exactly the table's columns, in order, with its dtypes; '' is missing."""
    data = pd.DataFrame.from_records(list(rows), columns=list(table.names))
    columns = {c.name: typed(data[c.name], c.dtype) for c in table.columns}
    return pd.DataFrame(columns, columns=list(table.names)).reset_index(drop=True)


def typed(values: pd.Series, dtype: str) -> pd.Series:
    cleaned = values.map(lambda v: None if v is None or v == "" else v).astype(object)
    if dtype == TIME:
        return pd.to_datetime(cleaned, utc=True, format="ISO8601").astype(TIME)
    return cleaned.astype(dtype)


def joined(values: Iterable[str]) -> str:
    return "; ".join(v for v in values if v)


def chapter_cells(chapter: Chapter) -> Row:
    return {"chapter": chapter.number, "chapter_slug": chapter.slug}


def entry_rows(workspace: Workspace, merge: ChapterMerge) -> Iterator[Row]:
    placed = {e.key: r.item.key for r in merge.results for e in r.item.entries}
    for entry in merge.loaded.entries:
        yield entry_row(workspace, merge.chapter, entry, placed.get(entry.key, ""))


def entry_row(workspace: Workspace, chapter: Chapter, entry: Entry, item_key: str) -> Row:
    where = entry.provenance
    return {
        **chapter_cells(chapter),
        "source": entry.source,
        "source_name": workspace.source(entry.source).name,
        "entry_key": entry.key,
        "item_key": item_key,
        **{name: getattr(entry, name) for name in ENTRY_TEXT},
        "file": where.file,
        "sheet": where.sheet,
        "row": where.row,
    }


ENTRY_TEXT = (
    *("name", "formulation", "section", "status", "status_word", "line", "membership", "notes"),
    *("nice_ta", "brand", "ref"),
)


def item_row(chapter: Chapter, result: ItemResult) -> Row:
    item, match = result.item, result.item.match
    listing = [p.source for p in item.positions if p.present]
    return {
        **chapter_cells(chapter),
        "item_key": item.key,
        "section": item.section,
        "name": item.name,
        "bnf_code": item.bnf_code,
        "bnf_name": item.bnf_name,
        "listed_by": joined(listing),
        "sources_listing": len(listing),
        "entries": len(item.entries),
        "match": match.shown,
        "match_level": match.shown_level,
        # a join the working group confirmed has no matcher score, as in the draft workbook
        "match_score": round(match.score, 1) if match.score and not match.confirmed else None,
        "match_evidence": match.shown_evidence,
        "candidates": len(match.candidates),
        "strengths": joined(s.label for s in item.strengths),
        "strengths_differ": item.strengths_differ,
    }


def outcome_row(workspace: Workspace, chapter: Chapter, result: ItemResult) -> Row:
    outcome = result.outcome
    return {
        **chapter_cells(chapter),
        "item_key": result.item.key,
        "item_name": result.item.name,
        "outcome": outcome.kind,
        "status": outcome.status,
        "status_label": workspace.scale.label(outcome.status) if outcome.status else "",
        "adopted_source": outcome.source,
        "decided_by": outcome.decided_by,
        "rationale": outcome.rationale,
        "flags": joined(result.flags),
        "rules_applying": joined(v.rule_id for v in result.verdicts if v.applies),
    }


def decision_rows(chapter: Chapter, review: DecisionReview) -> Iterator[Row]:
    vanished = {d.fingerprint for d in review.vanished}
    for decision in review.register.decisions.values():
        yield decision_row(chapter, decision, decision.fingerprint in review.stale, decision.fingerprint in vanished)


def decision_row(chapter: Chapter, decision: Decision, stale: bool, vanished: bool) -> Row:
    return {
        **chapter_cells(chapter),
        **{name: getattr(decision, name) for name in DECISION_TEXT},
        "entries": len(decision.entries),
        "replaced": len(decision.history),
        "stale": stale,
        "vanished": vanished,
    }


DECISION_TEXT = (
    *("fingerprint", "item", "decision", "status", "source", "candidate", "rationale", "meeting"),
    *("decided_by", "imported_at", "imported_by", "workbook", "veto"),
)


def read_events(workspace: Workspace) -> list[AuditEvent]:
    return AuditLog(workspace.root / "reports" / "audit.jsonl").read()


def audit_rows(
    workspace: Workspace, events: Iterable[AuditEvent], one_chapter: bool, chapters: list[Chapter]
) -> Iterator[Row]:
    numbers = {c.slug: c.number for c in workspace.chapters}
    wanted = {c.slug for c in chapters}
    for event in events:
        slug = str(event.data.get("chapter") or "")
        if one_chapter and slug not in wanted:
            continue
        yield audit_row(event, slug, numbers.get(slug, ""))


def audit_row(event: AuditEvent, slug: str, number: str) -> Row:
    data: Mapping[str, Any] = event.data
    return {
        "seq": event.seq,
        "kind": event.kind,
        "at": event.at,
        "user": event.user,
        "tool_version": event.tool_version,
        "run_id": event.run_id,
        "chapter": number,
        "chapter_slug": slug,
        "item_key": str(data.get("item_key") or ""),
        "item_name": str(data.get("item_name") or ""),
        "data": json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
        "hash": event.hash,
    }
