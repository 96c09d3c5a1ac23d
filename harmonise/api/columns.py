"""The tables ``harmonise.api`` gives and ``harmonise export`` writes: each column's name, pandas dtype and meaning.

This module is plain data (no pandas): the frames are built to it, the CLI names the tables from it without
paying for pandas at start-up, and ``docs/api.md`` is generated from it (``python -m harmonise.api.doc``).
Dtypes are pandas' nullable ones, the same whatever the data: ``string`` (missing is ``<NA>``), ``Int64``,
``Float64``, ``boolean`` and ``datetime64[ns, UTC]``.
"""

from __future__ import annotations

from dataclasses import dataclass

STRING, INTEGER, NUMBER, BOOLEAN, TIME = "string", "Int64", "Float64", "boolean", "datetime64[ns, UTC]"


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, its pandas dtype and what it holds, in words."""

    name: str
    dtype: str
    meaning: str


@dataclass(frozen=True)
class Table:
    """One table: its name (the file name of an export), one row of it in words, and its columns in order."""

    name: str
    row: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


CHAPTER = (
    Column("chapter", STRING, "the chapter's number as text (`2`; a local chapter keeps its label)"),
    Column("chapter_slug", STRING, "the chapter's folder name (`02-cardiovascular`)"),
)

ENTRIES = Table(
    "entries",
    "one legacy formulary row as loaded (rows that could not be read are in `harmonise check`, not here)",
    (
        *CHAPTER,
        Column("source", STRING, "the source's key in harmonise.yaml (`cheshire`)"),
        Column("source_name", STRING, "the source's display name (`Cheshire`)"),
        Column("entry_key", STRING, "a stable fingerprint of the row's content"),
        Column("item_key", STRING, "the harmonised item the row was placed in (joins `items.item_key`)"),
        Column("name", STRING, "the drug name as written"),
        Column("formulation", STRING, "the formulation and strengths as written (`<NA>` when the source has none)"),
        Column("section", STRING, "the BNF section as written (`02.05`)"),
        Column("status", STRING, "the common-scale status the word maps to; `<NA>` when the word is unknown"),
        Column("status_word", STRING, "the source's own status word (`Amber SCG`)"),
        Column("line", STRING, "line of choice as written"),
        Column("membership", STRING, "formulary membership as written"),
        Column("notes", STRING, "notes and restrictions as written"),
        Column("nice_ta", STRING, "the NICE TA cell as written"),
        Column("brand", STRING, "the brand to prescribe as written"),
        Column("ref", STRING, "the source's own id for the row, when it has one"),
        Column("file", STRING, "the spreadsheet the row came from, relative to the workspace"),
        Column("sheet", STRING, "its sheet (`<NA>` for a CSV)"),
        Column("row", INTEGER, "its row number as a spreadsheet shows it"),
    ),
)

ITEMS = Table(
    "items",
    "one harmonised item: the rows that matching joined, one position per source",
    (
        *CHAPTER,
        Column("item_key", STRING, "a stable fingerprint of the item's rows (the key of decisions and audit events)"),
        Column("section", STRING, "the BNF section"),
        Column("name", STRING, "the item's name, as in the draft chapter"),
        Column("bnf_code", STRING, "the current BNF presentation the item resolved to (`<NA>` when none or several)"),
        Column("bnf_name", STRING, "that presentation's current name"),
        Column("listed_by", STRING, "the keys of the sources that list it, `; `-separated, in config order"),
        Column("sources_listing", INTEGER, "how many sources list it"),
        Column("entries", INTEGER, "how many legacy rows it holds"),
        Column("match", STRING, "`auto`, `candidate`, `none`, or `working group` for a join the group confirmed"),
        Column("match_level", STRING, "the matcher's level label (`exact`, `normalised`, `partial`...)"),
        Column("match_score", NUMBER, "the matcher's score, 0-100 (`<NA>` for no match or a working-group join)"),
        Column("match_evidence", STRING, "the evidence a pharmacist reads (the group's joins first)"),
        Column("candidates", INTEGER, "how many candidate matches are shown to the working group"),
        Column("strengths", STRING, "every strength any source lists, `; `-separated (`5mg; 10mg`)"),
        Column("strengths_differ", BOOLEAN, "whether some strength is not listed by every source that lists it"),
    ),
)

OUTCOMES = Table(
    "outcomes",
    "what settles (or does not settle) one item: a working-group decision, a rule, or the default",
    (
        *CHAPTER,
        Column("item_key", STRING, "the item (joins `items.item_key`)"),
        Column("item_name", STRING, "the item's name"),
        Column("outcome", STRING, "`adopt`, `escalate`, `retain-both` or `exclude`"),
        Column("status", STRING, "the harmonised common-scale status (`<NA>` unless adopted)"),
        Column("status_label", STRING, "that status as the workbooks show it (`Amber recommended`)"),
        Column("adopted_source", STRING, "the source whose position was adopted (`adopt-source`), else `<NA>`"),
        Column("decided_by", STRING, "the rule id, `working-group`, `default`, `data-error` or `stale-decision`"),
        Column("rationale", STRING, "why, in words"),
        Column("flags", STRING, "the flags raised on the item, `; `-separated (`NICE TA`)"),
        Column("rules_applying", STRING, "the ids of every rule whose condition held, `; `-separated, in order"),
    ),
)

DECISIONS = Table(
    "decisions",
    "one working-group decision recorded in `decisions/<NN-slug>.yaml` (earlier ones it replaced are counted)",
    (
        *CHAPTER,
        Column("fingerprint", STRING, "the decision's key: the item key it settles, or a match or strength key"),
        Column("item", STRING, "the item's name as the group saw it"),
        Column(
            "decision",
            STRING,
            "`adopt-status`, `adopt-source`, `include`, `exclude`, `retain-both`, `defer`, `confirm-match`, "
            "`confirm-despite-difference` or `reject-match`",
        ),
        Column("status", STRING, "the status decided (`<NA>` when the decision takes none)"),
        Column("source", STRING, "the source whose position was adopted (`adopt-source`)"),
        Column("candidate", STRING, "the entry key of the candidate a match decision is about"),
        Column("rationale", STRING, "the group's rationale"),
        Column("meeting", TIME, "the meeting date (midnight UTC)"),
        Column("decided_by", STRING, "who decided"),
        Column("imported_at", TIME, "when it was imported"),
        Column("imported_by", STRING, "who imported it"),
        Column("workbook", STRING, "the working-group workbook it came from"),
        Column("veto", STRING, "the matcher's veto the group overrode (`confirm-despite-difference`)"),
        Column("entries", INTEGER, "how many legacy rows it was taken on"),
        Column("replaced", INTEGER, "how many earlier decisions on the same rows it replaced (kept as history)"),
        Column("stale", BOOLEAN, "its legacy rows changed since: not applied, back to the working group"),
        Column("vanished", BOOLEAN, "none of its legacy rows is listed any more"),
    ),
)

AUDIT = Table(
    "audit",
    "one event of the audit log `reports/audit.jsonl`, in log order (read as it is: `harmonise audit verify` "
    "checks the chain)",
    (
        Column("seq", INTEGER, "the event's number in the log, from 1"),
        Column("kind", STRING, "`run`, `outcome`, `decision`, `decision-stale`, `publication`..."),
        Column("at", TIME, "when"),
        Column("user", STRING, "who ran the command"),
        Column("tool_version", STRING, "the harmonise version that wrote it"),
        Column("run_id", STRING, "the command run it belongs to (shared by the events of one run)"),
        Column("chapter", STRING, "the chapter's number, for an event about one chapter"),
        Column("chapter_slug", STRING, "the chapter's folder name, for an event about one chapter"),
        Column("item_key", STRING, "the item (or decision fingerprint), for an event about one item"),
        Column("item_name", STRING, "the item's name, for an event about one item"),
        Column("data", STRING, "the event's data as canonical JSON (see `harmonise/audit.py` for each kind)"),
        Column("hash", STRING, "the event's SHA-256 (the next event's `prev`)"),
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in (ENTRIES, ITEMS, OUTCOMES, DECISIONS, AUDIT)}
FORMATS = ("csv", "xlsx", "parquet")
