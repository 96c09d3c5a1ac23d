"""Publish what was reviewed: the inputs of a chapter now against those its last merge used.

Every ``merge`` records a ``run`` event with the SHA-256 of each legacy spreadsheet, rule file and decisions
register it read, and of ``harmonise.yaml``. ``publish`` re-merges in memory from the files as they are now,
so it first checks they are the very files the working group's draft was made from; a legacy file, rule,
register or config that changed (or appeared, or went) since that merge refuses publication, naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from harmonise.audit import AuditLog
from harmonise.errors import InputError, Problem
from harmonise.model import Chapter
from harmonise.output import sha256_file
from harmonise.review import register_path
from harmonise.sources import find_source_file
from harmonise.workspace import CONFIG_NAME, Workspace

CONFIG_KEY = CONFIG_NAME


def relative(workspace: Workspace, path: Path) -> str:
    try:
        return path.resolve().relative_to(workspace.root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def chapter_inputs(workspace: Workspace, chapter: Chapter) -> dict[str, Path]:
    """What a merge of ``chapter`` reads now: its legacy files, the rule files, its register, the config."""
    paths = [p for s in workspace.sources_for(chapter) for p in find_source_file(workspace, chapter, s)]
    paths += [Path(p) for p in workspace.rule_files]
    paths += [register_path(workspace, chapter), workspace.root / CONFIG_NAME]
    return {relative(workspace, p): p for p in paths if p.is_file()}


def belongs(workspace: Workspace, chapter: Chapter, name: str) -> bool:
    """Whether a recorded input path is one a merge of ``chapter`` reads (another chapter's files are not)."""
    folder = relative(workspace, workspace.chapter_dir(chapter)) + "/"
    rules = {relative(workspace, Path(p)) for p in workspace.rule_files}
    return name.startswith(folder) or name in rules or name == relative(workspace, register_path(workspace, chapter))


def last_merge(workspace: Workspace, chapter: Chapter) -> dict[str, Any] | None:
    """The ``run`` event of the last merge that read this chapter's legacy files, or None."""
    folder = relative(workspace, workspace.chapter_dir(chapter)) + "/"
    for event in reversed(AuditLog(workspace.root / "reports" / "audit.jsonl").read()):
        inputs = event.data.get("inputs") or {}
        if event.kind == "run" and any(str(name).startswith(folder) for name in inputs):
            return {"at": event.at, **event.data}
    return None


def recorded_hashes(workspace: Workspace, chapter: Chapter, event: Mapping[str, Any]) -> dict[str, str]:
    hashes = {
        str(name): str(value.get("sha256", ""))
        for name, value in (event.get("inputs") or {}).items()
        if isinstance(value, Mapping) and belongs(workspace, chapter, str(name))
    }
    config = event.get("config")
    if isinstance(config, Mapping):
        hashes[CONFIG_KEY] = str(config.get("sha256", ""))
    return hashes


def input_changes(workspace: Workspace, chapter: Chapter, event: Mapping[str, Any]) -> list[Problem]:
    """Each input that differs from the merge ``event``: changed, new since, or gone since."""
    before = recorded_hashes(workspace, chapter, event)
    now = {name: sha256_file(path) for name, path in chapter_inputs(workspace, chapter).items()}
    changed = [name for name in sorted(now) if name in before and before[name] != now[name]]
    out = [Problem(name, "changed since the last merge") for name in changed]
    out += [Problem(name, "new since the last merge") for name in sorted(now) if name not in before]
    out += [Problem(name, "read by the last merge, now gone") for name in sorted(before) if name not in now]
    return out


def require_reviewed(workspace: Workspace, chapter: Chapter) -> None:
    """Refuse (InputError) to publish a chapter never merged, or whose inputs changed since its last merge."""
    event = last_merge(workspace, chapter)
    if event is None:
        raise InputError(
            f"chapter {chapter.label} cannot be published: it has not been merged. Run 'harmonise merge "
            f"--chapter {chapter.number}', have the draft and the working-group workbook reviewed, then publish"
        )
    changes = input_changes(workspace, chapter, event)
    if changes:
        raise InputError(
            f"chapter {chapter.label} cannot be published: what would be published differs from the draft the "
            f"last merge ({event['at']}) wrote and the group reviewed. Run 'harmonise merge --chapter "
            f"{chapter.number}', review the draft again, then publish. Changed inputs:",
            changes,
        )
