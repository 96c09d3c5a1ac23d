"""Safe file writing: every output is written to a temporary file beside its target and renamed into place,
so a run killed half-way leaves the previous file intact; ``locked`` serialises writers of shared files
(the decisions register, the audit log) across processes."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from harmonise.errors import InputError

NOTICES = logging.getLogger("harmonise")  # a waiting lock is said on stderr (Python's last-resort handler)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one rename."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def _mode_for(target: Path) -> int:
    """The permissions a new file would get (mkstemp makes temporary files private to their owner, which
    would hide reports from colleagues on a shared drive); an existing target keeps its own."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_bytes(target: Path, payload: bytes) -> None:
    """Write ``payload`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(payload)


def create_private(target: Path, payload: bytes) -> bool:
    """Create ``target`` holding ``payload``, readable by its owner only (mode 0600), whole or not at all and never
    over an existing file (written to a private temporary file, then hard-linked into place; where hard links are
    not supported, created exclusively). False when ``target`` already existed (it is left as it was)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        return _link_new(Path(tmp_name), target, payload)
    finally:
        Path(tmp_name).unlink(missing_ok=True)


def _link_new(tmp: Path, target: Path, payload: bytes) -> bool:
    try:
        os.link(tmp, target)
    except FileExistsError:
        return False
    except OSError:  # no hard links here: create exclusively
        try:
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return False
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    return True


def write_text(target: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``target`` atomically (newlines as given)."""
    write_bytes(target, text.encode("utf-8"))


def write_with(target: Path, writer: Callable[[Path], None]) -> None:
    """Let ``writer`` (for example ``workbook.save``) write a temporary file, then rename it to ``target``."""
    with atomic_path(target) as tmp:
        writer(tmp)


def remove_file(target: Path) -> None:
    """Remove ``target`` if it is there (a marker whose work is done)."""
    Path(target).unlink(missing_ok=True)


@contextlib.contextmanager
def locked(target: Path, timeout: float = 60.0) -> Iterator[None]:
    """Hold an inter-process lock for ``target`` (a ``.lock`` file beside it). When another command holds it,
    say so at once (never wait in silence), and give up after ``timeout`` seconds with a clear error."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(target) + ".lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        NOTICES.warning(
            "waiting for %s.lock: another harmonise command is using %s (up to %d s)", target.name, target.name, timeout
        )
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise InputError(
                f"{target}.lock: another harmonise command has held this lock for over {timeout:.0f} s; nothing was "
                "written. Wait for it to finish (or, if none is running, delete the .lock file) and run again"
            ) from None
    try:
        yield
    finally:
        lock.release()


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
