"""``harmonise publish``: a finished chapter becomes a versioned, read-only folder.

A chapter is publishable when every item is settled by a rule or a working-group decision, or retained-both,
no recorded decision is stale, every data error is fixed or acknowledged by the group (``acknowledged``), and
its inputs are those of its last merge, the draft the group reviewed (``reviewed``).
``published/<NN-slug>/v<K>/`` (K = highest existing version + 1) is built
in a temporary folder beside it, its files made read-only, then renamed into place in one step; an existing
version is never touched. The folder holds the final chapter (``chapter.xlsx``, ``chapter.csv``), the
searchable ``chapter.html``, the committee's ``rationale.md``, ``rationale.html``, ``rationale.docx`` and, where
LibreOffice is installed, ``rationale.pdf``, and ``manifest.json`` with the SHA-256 of every file; the same
hashes go into a ``publication`` audit event, against which ``audit verify`` re-hashes every published version
(``integrity``). Then ``published/index.html``, the whole formulary, is rebuilt (``site``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from harmonise import __version__
from harmonise.audit import AuditLog, utc_now
from harmonise.errors import InputError, Problem
from harmonise.merge import ChapterMerge, run_merge
from harmonise.model import Chapter
from harmonise.output import (
    Footer,
    Sheet,
    columns,
    csv_safe,
    locked,
    paper_html,
    sha256_file,
    write_docx,
    write_pdf,
    write_text,
    write_workbook,
)
from harmonise.publish.acknowledged import (
    Acknowledgement,
    data_error_problems,
    load_logged_acknowledgements,
    unresolved,
)
from harmonise.publish.content import FinalRow, final_rows, rationale
from harmonise.publish.html import chapter_page
from harmonise.publish.rationale import rationale_markdown, rationale_paper
from harmonise.publish.reviewed import require_reviewed
from harmonise.publish.site import write_index
from harmonise.review import STALE_BY
from harmonise.workspace import Workspace

READ_ONLY_FILE, READ_ONLY_DIR = 0o444, 0o555
VERSION_NAME = re.compile(r"v(\d+)")
BASE_HEAD = ("Section", "Drug", "Formulation", "Status", "Status code", "Line of choice", "Notes", "NICE TA", "Flag")


@dataclass(frozen=True)
class Blocker:
    """Why an item (or a decision) stops the chapter from being published."""

    section: str
    name: str
    reason: str


@dataclass(frozen=True)
class Publication:
    """One published version: where it is and the manifest written with it."""

    chapter: Chapter
    version: int
    folder: Path
    manifest: dict[str, Any]
    notes: tuple[str, ...] = ()  # what was not written and why (the PDF without LibreOffice)
    index: Path | None = None  # published/index.html, rebuilt

    def summary(self) -> dict[str, Any]:
        return {
            "chapter": self.chapter.number,
            "slug": self.chapter.slug,
            "version": self.version,
            "folder": str(self.folder),
            **{k: self.manifest[k] for k in ("published_at", "by", "files")},
            "notes": list(self.notes),
            "index": str(self.index) if self.index else None,
        }


def stale_blockers(merge: ChapterMerge) -> list[Blocker]:
    """Recorded decisions whose legacy entries changed since they were made (``pipeline`` sets ``merge.stale``
    to the ``decisions_review.StaleDecision`` records, including those whose item no longer exists)."""
    out = []
    for stale in getattr(merge, "stale", None) or ():
        reason = getattr(stale, "reason", "") or "the legacy entries changed since it was decided"
        out.append(Blocker("", str(getattr(stale, "item_name", stale)), f"stale decision: {reason}"))
    return out


def blockers(merge: ChapterMerge) -> list[Blocker]:
    """Every reason the chapter cannot be published yet: undecided items, then stale decisions not already
    listed through their (escalated) item."""
    undecided = [
        Blocker(r.item.section, r.item.name, r.outcome.rationale or "not settled")
        for r in merge.results
        if r.outcome.kind == "escalate"
    ]
    listed = {r.item.name for r in merge.results if r.outcome.kind == "escalate" and r.outcome.decided_by == STALE_BY}
    return undecided + [b for b in stale_blockers(merge) if b.name not in listed]


def require_publishable(merge: ChapterMerge, acknowledged: dict[str, Acknowledgement] | None = None) -> None:
    """Refuse (InputError, exit 2) while anything blocks publication, listing each blocking item, then each
    data error neither fixed nor acknowledged by the working group."""
    found = blockers(merge)
    if found:
        raise InputError(
            f"chapter {merge.chapter.label} cannot be published: {len(found)} item(s) are neither settled by a "
            "rule or decision nor retained-both, or have a stale decision; record the working group's "
            "decisions ('retain-both' where it cannot decide) and run again:",
            [Problem(f"{b.section} {b.name}".strip(), b.reason) for b in found],
        )
    errors = unresolved(merge.findings, acknowledged or {})
    if errors:
        raise InputError(
            f"chapter {merge.chapter.label} cannot be published: {len(errors)} data error(s) in the legacy "
            "spreadsheets are neither fixed nor acknowledged. Fix each in its source and merge again, or record "
            f"the working group's acknowledgement: harmonise acknowledge --chapter {merge.chapter.number} ID "
            '--rationale "..." --meeting YYYY-MM-DD',
            data_error_problems(errors),
        )


def final_head(workspace: Workspace) -> list[str]:
    return [*BASE_HEAD, *(f"{s.name} legacy position" for s in workspace.sources), "Decided by", "Item key"]


def final_cells(workspace: Workspace, row: FinalRow) -> list[str]:
    legacy = {p.source: p.text for p in row.legacy}
    code = row.status or ("retain-both" if row.legacy else "")
    return [
        row.section,
        row.drug,
        row.formulation,
        row.status_label,
        code,
        row.line,
        row.notes,
        row.nice_ta,
        row.flag,
        *(legacy.get(s.key, "") for s in workspace.sources),
        row.decided_by,
        row.item_key,
    ]


def write_xlsx(workspace: Workspace, rows: Sequence[FinalRow], target: Path, footer: Footer) -> None:
    """The final chapter workbook: one sheet, text cells inert (never formulas), the drug kept in view."""
    head = final_head(workspace)
    cells = [final_cells(workspace, r) for r in rows]
    write_workbook(target, [Sheet("Chapter", columns(head), cells, frozen=head.index("Drug") + 1)], footer)


def write_csv(workspace: Workspace, rows: Sequence[FinalRow], target: Path) -> None:
    """The final chapter as CSV (UTF-8, CRLF), every field formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(final_head(workspace))
    writer.writerows([csv_safe(c) for c in final_cells(workspace, r)] for r in rows)
    write_text(target, buffer.getvalue())


def logged_versions(log: AuditLog, chapter: str) -> set[int]:
    """Versions of ``chapter`` that the audit log records as published."""
    return {
        int(e.data["version"])
        for e in log.read()
        if e.kind == "publication" and str(e.data.get("chapter")) == chapter and "version" in e.data
    }


def next_version(chapter_root: Path) -> int:
    """Highest existing ``v<K>`` + 1 (1 for a first publication)."""
    found = [int(m.group(1)) for p in chapter_root.glob("v*") if (m := VERSION_NAME.fullmatch(p.name))]
    return max(found, default=0) + 1


def write_files(
    workspace: Workspace, merge: ChapterMerge, folder: Path, version: int, stamp: str
) -> tuple[list[str], list[str]]:
    """Write the chapter files into ``folder``; returns their names in order, and notes on what was not written
    (the PDF, when LibreOffice is missing or fails: publishing goes on without it)."""
    rows = final_rows(workspace, merge)
    summary = rationale(workspace, merge)
    paper = rationale_paper(summary, version, stamp, workspace.scale)
    footer = Footer(f"{workspace.title}: chapter {merge.chapter.label}", f"Published version {version}")
    write_xlsx(workspace, rows, folder / "chapter.xlsx", footer)
    write_csv(workspace, rows, folder / "chapter.csv")
    write_text(
        folder / "chapter.html",
        chapter_page(workspace.title, merge.chapter.label, version, stamp, rows, workspace.scale),
    )
    write_text(folder / "rationale.md", rationale_markdown(summary, version, stamp))
    write_text(folder / "rationale.html", paper_html(paper))
    write_docx(folder / "rationale.docx", paper)
    names = ["chapter.xlsx", "chapter.csv", "chapter.html", "rationale.md", "rationale.html", "rationale.docx"]
    no_pdf = write_pdf(folder / "rationale.docx", folder / "rationale.pdf")
    return (names, [f"rationale.pdf not written: {no_pdf}"]) if no_pdf else ([*names, "rationale.pdf"], [])


def build_manifest(
    merge: ChapterMerge, folder: Path, names: Sequence[str], version: int, stamp: str, user: str
) -> dict[str, Any]:
    return {
        "chapter": merge.chapter.number,
        "slug": merge.chapter.slug,
        "title": merge.chapter.title,
        "version": version,
        "published_at": stamp,
        "by": user,
        "tool_version": __version__,
        "rules_digest": merge.rules.digest,
        "rules": [p.name for p in merge.rules.files],
        "items": len(merge.results),
        "files": {name: sha256_file(folder / name) for name in names},
    }


def seal(folder: Path) -> None:
    """Make every file read-only, then the folder itself (no file can be added or removed by accident)."""
    for path in folder.iterdir():
        path.chmod(READ_ONLY_FILE)
    folder.chmod(READ_ONLY_DIR)


def discard(folder: Path) -> None:
    """Remove an unfinished temporary version folder (it may already be sealed)."""
    if folder.exists():
        folder.chmod(0o755)
        for path in folder.iterdir():
            path.chmod(0o644)
        shutil.rmtree(folder)


def publish_merged(
    workspace: Workspace, merge: ChapterMerge, *, user: str, clock: Callable[[], datetime] = utc_now
) -> Publication:
    """Publish an already merged chapter as the next version (see the module docstring)."""
    workspace = workspace.for_chapter(merge.chapter)
    acknowledged = load_logged_acknowledgements(workspace, merge.chapter)
    require_publishable(merge, acknowledged)
    chapter_root = workspace.root / "published" / merge.chapter.slug
    stamp = clock().strftime("%Y-%m-%dT%H:%M:%SZ")
    chapter_root.mkdir(parents=True, exist_ok=True)
    log = AuditLog(workspace.root / "reports" / "audit.jsonl")
    with locked(chapter_root):
        for unfinished in chapter_root.glob(".v*.tmp"):  # a killed publication's folder: none is building now
            discard(unfinished)
        logged = logged_versions(log, merge.chapter.number)
        version = max(next_version(chapter_root), max(logged, default=0) + 1)
        aborted = sorted(v for v in logged if not (chapter_root / f"v{v}").is_dir())
        target = chapter_root / f"v{version}"
        building = Path(tempfile.mkdtemp(prefix=f".v{version}.", suffix=".tmp", dir=chapter_root))
        try:
            names, notes = write_files(workspace, merge, building, version, stamp)
            manifest = build_manifest(merge, building, names, version, stamp, user)
            write_text(building / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
            seal(building)
            if target.exists():
                raise InputError(f"{target}: this version already exists; nothing was overwritten")
            files = {**manifest["files"], "manifest.json": sha256_file(building / "manifest.json")}
            event: dict[str, Any] = {
                "chapter": merge.chapter.number,
                "slug": merge.chapter.slug,
                "version": version,
                "files": files,
            }
            if aborted:  # logged by a publish that was stopped before its folder was renamed into place
                event["aborted_versions"] = aborted
            # The event is appended before the rename so that no published folder is ever missing from the
            # log; a publish stopped between the two leaves a logged version with no folder, whose number is
            # never reused and which the next publication names as aborted.
            log.append([("publication", event)], user=user)
            os.rename(building, target)
        finally:
            discard(building)
    index = write_index(workspace)
    return Publication(merge.chapter, version, target, manifest, tuple(notes), index)


def publish_chapter(
    workspace: Workspace, chapter: Chapter, *, user: str, clock: Callable[[], datetime] = utc_now
) -> Publication:
    """Check the inputs are those of the last merge (the reviewed draft), merge ``chapter`` in memory with the
    recorded decisions and the current rules, then publish it."""
    merge = run_merge(workspace, [chapter], write=False).chapters[0]
    require_reviewed(workspace, chapter)
    return publish_merged(workspace, merge, user=user, clock=clock)


def published_versions(workspace: Workspace, chapter: Chapter) -> list[dict[str, Any]]:
    """The manifests of a chapter's published versions, oldest first (unreadable manifests skipped)."""
    root = workspace.root / "published" / chapter.slug
    folders = [p for p in root.glob("v*") if VERSION_NAME.fullmatch(p.name)]
    out = []
    for folder in sorted(folders, key=lambda p: int(p.name[1:])):
        try:
            out.append(json.loads((folder / "manifest.json").read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return out
