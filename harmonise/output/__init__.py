"""Output: every file harmonise writes goes through here, atomically (a temporary file renamed into place) and
with formula-like text made inert; workbooks share one look, web pages come from autoescaped Jinja2 templates
(``pages``), and papers for a committee are written as a page, a Word document and a PDF (``document``).

Takes: text, bytes, sheets described as data (``Sheet``, ``Column``, ``Footer``), a template and its context,
or a ``Paper``. Gives: a file that is either old or new whole, never half-written; a workbook fit for the screen
and for paper.
"""

from __future__ import annotations

from harmonise.output.document import Block, Cell, Paper, paper_html, pdf_engine, write_docx, write_pdf
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
from harmonise.output.pages import render_page, text_colour
from harmonise.output.transaction import COMPLETED, ROLLED_BACK, Transaction, clean_leftovers, recover
from harmonise.output.xlsx import Column, Footer, Sheet, columns, csv_safe, workbook_bytes, write_workbook

__all__ = [
    "COMPLETED",
    "ROLLED_BACK",
    "Block",
    "Cell",
    "Column",
    "Footer",
    "Paper",
    "Sheet",
    "Transaction",
    "atomic_path",
    "clean_leftovers",
    "columns",
    "create_private",
    "csv_safe",
    "locked",
    "paper_html",
    "pdf_engine",
    "recover",
    "remove_file",
    "render_page",
    "sha256_file",
    "text_colour",
    "workbook_bytes",
    "write_bytes",
    "write_docx",
    "write_pdf",
    "write_text",
    "write_with",
    "write_workbook",
]
