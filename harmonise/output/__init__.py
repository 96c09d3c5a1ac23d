"""Output: every file harmonise writes goes through here, atomically (a temporary file renamed into place) and
with formula-like text made inert; workbooks share one look.

Takes: text, bytes, or sheets described as data (``Sheet``, ``Column``, ``Footer``). Gives: a file that is either
old or new whole, never half-written; a workbook fit for the screen and for paper.
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
from harmonise.output.xlsx import Column, Footer, Sheet, columns, csv_safe, write_workbook

__all__ = [
    "COMPLETED",
    "ROLLED_BACK",
    "Column",
    "Footer",
    "Sheet",
    "Transaction",
    "atomic_path",
    "clean_leftovers",
    "columns",
    "create_private",
    "csv_safe",
    "locked",
    "recover",
    "remove_file",
    "sha256_file",
    "write_bytes",
    "write_text",
    "write_with",
    "write_workbook",
]
