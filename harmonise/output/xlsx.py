"""Writing workbooks people read: bold frozen header, filters, sensible widths, and inert text.

Every text value is written as a string cell, never a formula: a legacy drug name such as
``=HYPERLINK(...)`` stays text in every workbook harmonise writes (CSV outputs use ``csv_safe``).
No workbook says when it was written (no created or modified time in its document properties, every zip entry
dated 1980-01-01), so identical runs write byte-identical workbooks.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.packaging.core import DocumentProperties
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import DCTERMS_NS
from openpyxl.xml.functions import tostring

from harmonise.output.files import write_with

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
MAX_WIDTH = 60
CORE_PROPERTIES = "docProps/core.xml"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold: the same for every run
WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def set_value(cell: XlCell, value: Any) -> None:
    """Store ``value``; text is always a string cell, so nothing in it is evaluated."""
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value


def csv_safe(value: Any) -> str:
    """A CSV field that a spreadsheet will not run as a formula (leading ' before = + - @ tab CR)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_table(
    sheet: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: dict[str, int] | None = None,
    wrap: Sequence[str] = (),
) -> int:
    """Write a header and rows to ``sheet`` with a frozen, filtered header; returns the row count."""
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP_TOP
    longest = [len(h) for h in headers]
    count = 0
    for count, values in enumerate(rows, start=1):
        values = list(values)
        sheet.append(values)
        for col, value in enumerate(values):
            text = value if isinstance(value, str) else str(value if value is not None else "")
            if isinstance(value, str) and value.startswith("="):
                # openpyxl would store it as a formula: make it a string cell, inert in every spreadsheet
                set_value(sheet.cell(row=count + 1, column=col + 1), value)
            longest[col] = max(longest[col], min(len(text), MAX_WIDTH))
    wrapped = {headers.index(h) + 1 for h in wrap if h in headers}
    for col, header in enumerate(headers, start=1):
        letter = get_column_letter(col)
        sheet.column_dimensions[letter].width = (widths or {}).get(header, max(8, longest[col - 1] + 2))
        if col in wrapped:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
                cell.alignment = WRAP_TOP
    sheet.freeze_panes = "A2"
    if count:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    return count


def new_workbook() -> Workbook:
    """An empty workbook with fixed properties (``save`` leaves out the times): identical runs, identical files."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = "harmonise"
    return workbook


def save(workbook: Workbook, target: Path) -> None:
    """Save atomically (temporary file, then rename) and reproducibly (``write_reproducibly``)."""
    write_with(target, lambda tmp: write_reproducibly(workbook, tmp))


def write_reproducibly(workbook: Workbook, path: Path) -> None:
    """Write ``workbook`` to ``path`` with nothing that depends on when: openpyxl stamps the document properties
    and every zip entry with the current time, so the package is written again without them."""
    packed = io.BytesIO()
    workbook.save(packed)
    with zipfile.ZipFile(packed) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = undated_core(workbook.properties) if info.filename == CORE_PROPERTIES else source.read(info)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            out.writestr(entry, data)


def undated_core(properties: DocumentProperties) -> bytes:
    """``docProps/core.xml`` with no created or modified time (both are optional in the package format)."""
    tree = properties.to_tree()
    for stamp in ("created", "modified"):
        for element in tree.findall(f"{{{DCTERMS_NS}}}{stamp}"):
            tree.remove(element)
    return bytes(tostring(tree))
