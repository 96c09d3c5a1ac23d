"""All or nothing across several files: a command's outputs change together with the event that records them.

A ``Transaction`` stages every output as a temporary file beside its target (``.<name>.<tag>.tmp``); nothing
is visible yet. ``apply`` then writes a pending marker (the targets, their staged files and backups), keeps
each existing target as a backup (a hard link, ``.<name>.<tag>.bak``) and renames the staged files into place;
a failure on the way puts every backup back. The caller then appends its audit event, the commit point,
and calls ``finish`` (``late`` outputs put in place, backups dropped or kept as history, marker removed); if the
append fails it calls ``rollback``. After a kill the marker is still there: ``recover`` asks whether the event
reached the log and completes the transaction if it did, rolls it back if it did not, and says which.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from harmonise.output.files import write_text

COMPLETED = "completed"
ROLLED_BACK = "rolled back"


@dataclass(frozen=True)
class Change:
    """One output: where it goes, its staged file, the backup of what was there (``keep_as``: where that
    backup is kept once the transaction is done, '' to drop it). A ``late`` output is put in place only after
    the commit point: a file whose presence says the commit happened (the state a logged run leaves)."""

    target: str
    staged: str
    backup: str
    existed: bool
    keep_as: str = ""
    late: bool = False


class Transaction:
    """The outputs of one command, identified by ``tag`` (the run id of its audit event)."""

    def __init__(self, marker: Path, tag: str) -> None:
        self.marker, self.tag = Path(marker), tag
        self.changes: list[Change] = []
        self.applied = False

    def stage(
        self, target: Path, writer: Callable[[Path], Any], keep_as: Path | None = None, late: bool = False
    ) -> None:
        """Let ``writer`` write ``target``'s new content to a staged file; nothing visible changes yet."""
        target = Path(target)
        staged = target.with_name(f".{target.name}.{self.tag}.tmp")
        backup = target.with_name(f".{target.name}.{self.tag}.bak")
        keep = str(keep_as) if keep_as and target.is_file() else ""
        self.changes.append(Change(str(target), str(staged), str(backup), target.is_file(), keep, late))
        writer(staged)  # the writers are atomic themselves: a staged file is whole or absent

    def stage_text(self, target: Path, text: str, late: bool = False) -> None:
        self.stage(target, lambda path: write_text(path, text), late=late)

    def apply(self) -> None:
        """Write the marker, back up every target and rename every staged file into place; on any failure
        every target is put back and the error raised."""
        write_text(self.marker, json.dumps({"tag": self.tag, "changes": [asdict(c) for c in self.changes]}))
        self.applied = True
        try:
            for change in (c for c in self.changes if not c.late):
                if change.existed:
                    _backup(Path(change.target), Path(change.backup))
                os.replace(change.staged, change.target)
        except BaseException:
            self.rollback()
            raise

    def rollback(self) -> None:
        """Every target back as it was, staged files and the marker removed."""
        _undo(self.changes)
        _remove([self.marker])

    def discard(self) -> None:
        """Before ``apply``: remove what was staged."""
        _remove(Path(c.staged) for c in self.changes)

    def finish(self) -> None:
        """After the commit point: late outputs put in place, backups dropped (or kept as history), marker
        removed. A failure here leaves the marker, so the next command completes the transaction."""
        _done(self.changes)
        _remove([self.marker])

    @property
    def targets(self) -> list[Path]:
        return [Path(c.target) for c in self.changes]


def _backup(target: Path, backup: Path) -> None:
    """Keep ``target`` as ``backup``: a hard link (the old file itself, made in one step) or else a copy."""
    with contextlib.suppress(FileNotFoundError):
        backup.unlink()
    try:
        os.link(target, backup)
    except OSError:
        shutil.copy2(target, backup)


def _undo(changes: Iterable[Change]) -> None:
    for change in changes:
        if change.late:
            _remove([Path(change.staged)])
            continue
        target, staged, backup = Path(change.target), Path(change.staged), Path(change.backup)
        if backup.exists() and target.exists() and os.path.samefile(backup, target):
            _remove([backup])  # the old file is still in place (its hard link was never replaced)
        elif backup.exists():
            os.replace(backup, target)
        elif not change.existed and not staged.exists():
            _remove([target])  # it was renamed into place by this transaction
        _remove([staged])


def _done(changes: Iterable[Change]) -> None:
    changes = list(changes)
    for change in changes:
        if change.late and Path(change.staged).exists():
            os.replace(change.staged, change.target)
    for change in changes:
        backup = Path(change.backup)
        if change.keep_as and backup.exists():
            Path(change.keep_as).parent.mkdir(parents=True, exist_ok=True)
            os.replace(backup, change.keep_as)
        _remove([backup, Path(change.staged)])


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def pending(marker: Path) -> tuple[str, list[Change]] | None:
    """The tag and changes of a transaction a killed command left behind (None when there is none)."""
    try:
        payload = json.loads(Path(marker).read_text(encoding="utf-8"))
        return str(payload["tag"]), [Change(**c) for c in payload["changes"]]
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{marker}: unreadable pending-transaction marker ({exc})") from exc


def recover(marker: Path, committed: Callable[[str], bool]) -> tuple[str, list[Path]]:
    """Finish what a killed command left: ``completed`` when its event reached the log, else ``rolled back``;
    with the targets concerned. ``('', [])`` when nothing was pending."""
    found = pending(marker)
    if found is None:
        return "", []
    tag, changes = found
    if committed(tag):
        _done(changes)
        outcome = COMPLETED
    else:
        _undo(changes)
        outcome = ROLLED_BACK
    _remove([Path(marker)])
    return outcome, [Path(c.target) for c in changes]


def clean_leftovers(folder: Path, names: Iterable[str]) -> list[Path]:
    """Remove the temporary files a killed writer of ``names`` left in ``folder``: ``.<name>.<tag>.tmp`` staged
    by a transaction, ``.<name>.*.tmp`` of an atomic write, and the atomic write's own of a staged file."""
    removed: list[Path] = []
    if not Path(folder).is_dir():
        return removed
    for name in names:
        for path in Path(folder).glob(f".*{name}.*.tmp"):
            _remove([path])
            removed.append(path)
    return removed
