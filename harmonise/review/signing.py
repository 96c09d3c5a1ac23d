"""Checking a working-group workbook's signature (``layout.sign_items``) against the workspace's key, and what
to tell the user when it cannot be checked.

A workbook signed with this workspace's key and unaltered is *verified*. An altered one (its signature does not
match though it names this workspace's key, or a format 1 workbook whose unkeyed fingerprint does not match) is
always refused. The rest cannot be verified: a format 1 workbook (written before signing), a workspace whose key
is missing, a workbook signed with another key (another workspace's, or this one's before its key was
replaced). ``decisions import`` refuses those; a merge, which only looks for typed decisions it must not
overwrite, reads them and reports their typed rows as pending with the reason (``pending``).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from pathlib import Path

from harmonise.errors import InputError
from harmonise.review.layout import ITEMS_SHEET, UNSIGNED_FORMAT, sign_items, unsigned_fingerprint
from harmonise.workspace import KEY_NAME, key_id, read_key

KEY = f"reports/{KEY_NAME}"
UNSIGNED = (
    "this working-group workbook was written by an older harmonise, before workbooks were signed with the "
    "workspace key, so nobody can show that it is unaltered",
    "Run 'harmonise merge' for a new workbook (while this one holds typed decisions merge keeps it: run "
    "'merge --beside', type the decisions into the new workbook and import that)",
)
MISSING = (
    f"the workspace key {KEY} is missing, so this workbook's signature cannot be verified",
    "To import it, restore the key from a backup of the workspace; otherwise run 'harmonise merge' for a new "
    "workbook, signed with a new key ('merge --beside' while this one holds typed decisions: type them into the "
    "new workbook and import that); workbooks written before the key was lost cannot be imported",
)
FOREIGN = (
    "this workbook was not signed by this workspace: it was written by another workspace, or before this "
    f"workspace's key {KEY} was replaced",
    "Import the working-group workbook that this workspace's 'harmonise merge' wrote",
)


def edited(display: str, what: str) -> InputError:
    return InputError(
        f"{display}: the workbook's hidden {ITEMS_SHEET!r} sheet does not match its {what} (it was edited, or "
        "sheets were copied from another workbook); nothing was imported"
    )


def check_signature(
    root: Path, about: Mapping[str, str], rows: Sequence[Sequence[str]], display: str, verify: bool
) -> str:
    """'' when the workbook is signed with this workspace's key and unaltered; when it cannot be verified, raise
    (``verify``) or return why; an altered workbook is always refused."""
    slug = about.get("Chapter", "")
    if about.get("Format") == UNSIGNED_FORMAT:
        if not hmac.compare_digest(unsigned_fingerprint(slug, rows), about.get("Fingerprint", "")):
            raise edited(display, "fingerprint")
        return unverifiable(display, UNSIGNED, verify)
    key = read_key(root)
    if key is None:
        return unverifiable(display, MISSING, verify)
    if about.get("Key id") != key_id(key):
        return unverifiable(display, FOREIGN, verify)
    signature = sign_items(key, slug, about.get("Run", ""), about.get("Columns", ""), rows)
    if not hmac.compare_digest(signature, about.get("Signature", "")):
        raise edited(display, "signature")
    return ""


def unverifiable(display: str, reason: tuple[str, str], verify: bool) -> str:
    """Refuse (``verify``) or say why a workbook that cannot be verified is not imported, and what to do."""
    why, todo = reason
    if verify:
        raise InputError(f"{display}: {why}; nothing was imported. {todo}")
    return f"{why}; it cannot be imported. {todo}"
