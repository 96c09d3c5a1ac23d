"""Output: every file harmonise writes goes through here, atomically (a temporary file renamed into place) and
with formula-like text made inert; workbooks share one look.

Takes: text, bytes or a workbook. Gives: a file that is either old or new whole, never half-written.
"""

from __future__ import annotations

from harmonise.output.files import (
    atomic_path,
    create_private,
    locked,
    remove_file,
    sha256_file,
    write_bytes,
    write_text,
    write_with,
)
from harmonise.output.transaction import COMPLETED, ROLLED_BACK, Transaction, clean_leftovers, recover
from harmonise.output.xlsx import csv_safe, new_workbook, save, set_value, write_table

__all__ = [
    "COMPLETED",
    "ROLLED_BACK",
    "Transaction",
    "atomic_path",
    "clean_leftovers",
    "create_private",
    "csv_safe",
    "locked",
    "new_workbook",
    "recover",
    "remove_file",
    "save",
    "set_value",
    "sha256_file",
    "write_bytes",
    "write_table",
    "write_text",
    "write_with",
]
