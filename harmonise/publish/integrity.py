"""``audit verify`` for the whole workspace: the log's chain, then what the log vouches for.

1. the audit log: its hash chain, its head, and an empty or missing log in a workspace whose files prove it
   had events (``AuditLog.verify``);
2. every published version re-hashed against its ``publication`` event: an edited, missing or added file is
   named, as is a version folder with no event and a logged version whose folder is gone (a version named
   aborted by a later publication, or one still being built, is not a problem);
3. every decisions register: a record without its ``decision`` event, or an import interrupted half-way.

Needs no valid configuration for 1 and 2; 3 is skipped, with a note saying why, when ``harmonise.yaml`` cannot
be read. Only 2 and 3 need a readable log; when it does not verify they are skipped (the log's problem is
reported first).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harmonise.audit import AuditEvent, AuditLog, VerifyResult
from harmonise.errors import InputError
from harmonise.output import sha256_file
from harmonise.publish.versions import VERSION_NAME
from harmonise.review import load_register, pending_import_path, register_path, unlogged_decisions
from harmonise.workspace import load_workspace


@dataclass(frozen=True)
class Integrity:
    """What ``audit verify`` found: the log's result, then problems (exit 1) and notes about the workspace."""

    path: Path
    log: VerifyResult
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.log.ok and not self.problems

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {"path": str(self.path), **asdict(self.log), "workspace_problems": self.problems, "notes": self.notes}


def verify_workspace(root: Path) -> Integrity:
    """Verify the log of the workspace at ``root``, then its published versions and registers against it."""
    log = AuditLog(Path(root) / "reports" / "audit.jsonl")
    result = log.verify()
    if not result.ok:
        return Integrity(log.path, result, notes=["published versions and registers not checked: the log is broken"])
    events = log.read()
    problems = publication_problems(Path(root), events)
    notes = interrupted_publications(Path(root), events)
    register_found, register_notes = register_problems(Path(root), log)
    return Integrity(log.path, result, problems + register_found, notes + register_notes)


# -- published versions ----------------------------------------------------------------------------------------


def version_folders(root: Path) -> list[Path]:
    """Every ``published/<slug>/v<K>`` folder."""
    return sorted(p for p in (root / "published").glob("*/v*") if p.is_dir() and VERSION_NAME.fullmatch(p.name))


def event_folder(root: Path, event: AuditEvent) -> Path | None:
    """The folder a publication event is about (its ``slug``; older events only give the chapter number)."""
    version, slug = event.data.get("version"), event.data.get("slug")
    if slug:
        return root / "published" / str(slug) / f"v{version}"
    number = str(event.data.get("chapter", "")).lstrip("0")
    for chapter in sorted((root / "published").glob("*")):
        if chapter.name.split("-")[0].lstrip("0") == number:
            return chapter / f"v{version}"
    return None


def aborted(events: Iterable[AuditEvent]) -> set[tuple[str, int]]:
    """``(chapter, version)`` a later publication named as aborted (logged, never renamed into place)."""
    return {(str(e.data.get("chapter")), int(v)) for e in events for v in e.data.get("aborted_versions") or () if v}


def publication_problems(root: Path, events: Sequence[AuditEvent]) -> list[str]:
    """Each published file that differs from its event, and each folder or event without the other."""
    publications = [e for e in events if e.kind == "publication"]
    gone, problems, claimed = aborted(publications), [], set()
    for event in publications:
        folder = event_folder(root, event)
        if folder is not None and folder.is_dir():
            claimed.add(folder)
            problems += file_problems(root, folder, event)
        elif (str(event.data.get("chapter")), int(event.data.get("version", 0))) not in gone and not building(folder):
            where = folder.relative_to(root).as_posix() if folder else f"chapter {event.data.get('chapter')}"
            problems.append(
                f"{where}: logged as published (event {event.seq}, version {event.data.get('version')}) but the "
                "folder is missing"
            )
    for folder in version_folders(root):
        if folder not in claimed:
            problems.append(f"{folder.relative_to(root).as_posix()}: a published version with no publication event")
    return problems


def building(folder: Path | None) -> bool:
    """Whether a publication of ``folder`` was interrupted while its hidden temporary folder was being built."""
    return folder is not None and any(folder.parent.glob(f".{folder.name}.*.tmp"))


def interrupted_publications(root: Path, events: Sequence[AuditEvent]) -> list[str]:
    publications = [e for e in events if e.kind == "publication"]
    notes = []
    for event in publications:
        folder = event_folder(root, event)
        if folder is not None and not folder.is_dir() and building(folder):
            notes.append(
                f"{folder.relative_to(root).as_posix()}: a publication interrupted before its folder was renamed "
                "into place; the next publication names it as aborted"
            )
    return notes


def file_problems(root: Path, folder: Path, event: AuditEvent) -> list[str]:
    """Every file of a published version re-hashed against its publication event."""
    recorded: dict[str, str] = dict(event.data.get("files") or {})
    present = {p.name for p in folder.iterdir() if p.is_file()}
    where = folder.relative_to(root).as_posix()
    problems = [
        f"{where}/{name}: missing (its publication event {event.seq} records it)"
        for name in sorted(set(recorded) - present)
    ]
    problems += [
        f"{where}/{name}: edited after publication (its SHA-256 differs from publication event {event.seq})"
        for name in sorted(set(recorded) & present)
        if sha256_file(folder / name) != recorded[name]
    ]
    problems += [
        f"{where}/{name}: added after publication (not in event {event.seq})"
        for name in sorted(present - set(recorded))
    ]
    return problems


# -- registers --------------------------------------------------------------------------------------------------


def register_problems(root: Path, log: AuditLog) -> tuple[list[str], list[str]]:
    """Records without their decision event, and interrupted imports, in every chapter's register."""
    pending = sorted((root / "decisions").glob("*.yaml.pending"))
    problems = [
        f"decisions/{p.name[: -len('.pending')]}: a decisions import was interrupted; the next merge, import, "
        "publish or `harmonise audit repair` completes or rolls it back"
        for p in pending
    ]
    if not any((root / "decisions").glob("*.yaml")):
        return problems, []
    try:
        workspace = load_workspace(root)
        chapters = [c for c in workspace.chapters if register_path(workspace, c).is_file()]
        for chapter in chapters:
            path = register_path(workspace, chapter)
            if pending_import_path(path).is_file():
                continue
            register = load_register(path, chapter, workspace.scale, f"decisions/{chapter.slug}.yaml")
            problems += [
                f"decisions/{chapter.slug}.yaml: decisions.{d.fingerprint} ({d.item}) has no decision event"
                for d in unlogged_decisions(register, log)
            ]
    except InputError as exc:
        return problems, [f"decisions registers not checked: {str(exc).splitlines()[0]}"]
    return problems, []
