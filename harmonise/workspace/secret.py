"""The workspace's secret key, ``reports/.workspace-key``: 32 random bytes (written as 64 hex digits) that sign
every working-group workbook the workspace writes, so a workbook that was edited, forged or written by another
workspace is refused on import.

The key is created by the first merge that writes a workbook (``secrets``; the file is private to its owner,
mode 0600, and appears whole or not at all: written to a temporary file, then linked into place, so two racing
commands end up with one key). It is not a legacy input, never published, and must stay out of version control
and out of folders the working group can read. Reading never creates it: when it is missing, the workbooks
written before cannot be verified, and the caller says so.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from harmonise.errors import InputError
from harmonise.output import create_private

KEY_NAME = ".workspace-key"
KEY_BYTES = 32


def key_path(root: Path) -> Path:
    """Where the key of the workspace at ``root`` is kept."""
    return Path(root) / "reports" / KEY_NAME


def read_key(root: Path) -> bytes | None:
    """The workspace's key, or None when it has none; a damaged key file is an ``InputError`` naming it."""
    path = key_path(root)
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"reports/{KEY_NAME}: the workspace key cannot be read ({exc})") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise InputError(
            f"reports/{KEY_NAME}: not a harmonise workspace key (expected {KEY_BYTES * 2} hex digits); restore it "
            "from a backup of the workspace, or delete it so that the next merge creates a new one (workbooks "
            "written before can then no longer be imported)"
        )
    return key


def workspace_key(root: Path) -> bytes:
    """The workspace's key, created first when it has none (atomically, private to its owner)."""
    key = read_key(root)
    if key is None:
        create_private(key_path(root), secrets.token_bytes(KEY_BYTES).hex().encode("ascii") + b"\n")
        key = read_key(root)  # the new key, or the one another command created first
    assert key is not None
    return key


def key_id(key: bytes) -> str:
    """A short public name of a key, written in each workbook so that one signed with another key is told apart
    from one that was edited (a one-way digest: it tells nothing about the key)."""
    return hashlib.sha256(b"harmonise workspace key id\0" + key).hexdigest()[:12]
