"""Writing workbooks people read on screen and on paper, one look for every workbook harmonise writes.

A sheet is described as data (``Sheet``: its columns, rows and what it needs) and written by ``write_workbook``
with XlsxWriter, chosen by measurement (``benchmarks/xlsx_writers.py``, the same 13,228 rows with every feature
below: XlsxWriter 4.9 s, openpyxl 20.8 s, openpyxl's write-only mode 15.4 s and it cannot set row heights;
rustpy-xlsxwriter 0.5 s but it cannot fill a cell by its value, draw a drop-down from a hidden sheet, lock the
workbook structure or leave out the write time).

Every sheet gets: a bold filled header repeated on each printed page; frozen panes that keep the header and the
sheet's first ``frozen`` columns (the item) in view while scrolling right; widths fitted to the content (between
``MIN_WIDTH`` and ``MAX_WIDTH`` characters unless a column fixes its own); wrapped, top-aligned text and row
heights that fit the wrapped lines (LibreOffice does not size rows itself, so text would run over the next
row); landscape print setup fitted to one page wide, gridlines printed, and a footer with the chapter, the
version or run and "Page N of M". The font is Arial 10, which Excel has and LibreOffice draws with the
metric-compatible Liberation Sans, so the widths and heights computed here hold in both.

Every text value is written as a string cell, never a formula or a link: a legacy drug name such as
``=HYPERLINK(...)`` stays text in every workbook harmonise writes (CSV outputs use ``csv_safe``).
No workbook says when it was written (its document properties carry the fixed date ``FIXED_TIME`` and every zip
entry is dated 1980-01-01), so identical runs write byte-identical workbooks.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from harmonise.errors import InputError
from harmonise.output.files import write_bytes

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32_767  # characters a spreadsheet cell holds (XlsxWriter would cut the rest off silently)
FONT = {"font_name": "Arial", "font_size": 10}
HEADER = {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79"}
EDITABLE_HEADER = {"bold": True, "font_color": "#FFFFFF", "bg_color": "#BF8F00"}
EDITABLE = {"bg_color": "#FFF2CC", "locked": False}
MUTED = {"font_color": "#808080"}
WRAP_TOP = {"text_wrap": True, "valign": "top"}
MIN_WIDTH, MAX_WIDTH = 6, 50
INPUT_WIDTH = 16  # an input column starts empty: wide enough to type in
MAX_FROZEN_WIDTH = 120  # characters of frozen columns; past it fewer are frozen, so the rest can still scroll
LINE_HEIGHT = 13.0  # points per line of Arial 10, with the leading Excel and LibreOffice both give it
# Characters per unit of column width (a digit's width): lower-case letters are narrower than a digit, capitals
# wider; one per unit, less one for the cell's margins, holds for the names and evidence harmonise writes
# (tests/merge/test_libreoffice.py prints them and checks that no text runs out of its row).
CHARS_PER_UNIT = 1.0
FIXED_TIME = datetime(1980, 1, 1, tzinfo=UTC)  # the date every zip entry carries too
OPTIONS = {
    "in_memory": True,  # faster than its temporary files here; zip entries get the fixed 1980-01-01 date
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_format_properties": FONT,
}


@dataclass(frozen=True)
class Column:
    """How one column is written: its header, and what sets it apart from a plain fitted, wrapped column."""

    header: str
    width: float | None = None  # fixed, in characters; None: fitted to the content within MIN_WIDTH..max_width
    max_width: float = MAX_WIDTH
    editable: bool = False  # a yellow input column, unlocked in a protected sheet
    date: bool = False  # shown as yyyy-mm-dd
    muted: bool = False  # grey text (keys people should not need to read)
    validation: Mapping[str, Any] | None = None  # an XlsxWriter data_validation rule for the data rows
    fills: Mapping[str, tuple[str, str]] | None = None  # value -> (fill, font colour) for a RAG status column


@dataclass
class Sheet:
    """One sheet to write: its columns, its rows and how it is shown."""

    name: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    frozen: int = 0  # leading columns kept in view while scrolling right (the item), up to MAX_FROZEN_WIDTH
    protected: bool = False  # only editable columns can be typed in (no password)
    hidden: bool = False
    header: bool = True  # False: the rows are lines of text (the first one a title), not a table
    bold: frozenset[int] = field(default_factory=frozenset)  # row numbers (0-based) in bold, for a headerless sheet


@dataclass(frozen=True)
class Footer:
    """What each printed page says at its foot: the chapter and the version or run, with the page number."""

    chapter: str
    version: str

    def code(self) -> str:
        """Excel's header/footer codes: chapter on the left, version in the middle, page on the right."""
        left, centre = (text.replace("&", "&&") for text in (self.chapter, self.version))
        return f"&L{left}&C{centre}&RPage &P of &N"


def columns(headers: Sequence[str], **special: Mapping[str, Any]) -> list[Column]:
    """``Column`` for each header; ``special`` maps a Column field to {header: value} for the columns it sets,
    e.g. ``columns(head, width={"Rationale": 50}, editable={"Decision": True})``; any other header is a plain
    fitted column, so a new column needs nothing here."""
    return [Column(h, **{name: values[h] for name, values in special.items() if h in values}) for h in headers]


def csv_safe(value: Any) -> str:
    """A CSV field that a spreadsheet will not run as a formula (leading ' before = + - @ tab CR)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def text_of(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def fitted_width(column: Column, values: Sequence[Any]) -> float:
    """The column's width: fixed, or the longest line of its content (its header's longest word at least)."""
    if column.width is not None:
        return column.width
    longest = 0
    for value in values:
        text = text_of(value)
        longest = max(longest, max(map(len, text.split("\n"))) if "\n" in text else len(text))
        if longest >= column.max_width:
            break  # the bound is reached: the rest cannot widen the column
    word = max((len(w) for w in column.header.split()), default=0)
    least = INPUT_WIDTH if column.editable else MIN_WIDTH
    return float(min(column.max_width, max(least, longest + 2, word + 2)))


def frozen_count(wanted: int, widths: Sequence[float]) -> int:
    """The leading columns to freeze: ``wanted``, less trailing ones while they are wider than the bound."""
    count = wanted
    while count > 1 and sum(widths[:count]) > MAX_FROZEN_WIDTH:
        count -= 1
    return count


def line_chars(width: float) -> int:
    """Characters that fit on one line of a column ``width`` characters wide."""
    return max(1, int(width * CHARS_PER_UNIT) - 1)


def line_count(text: str, width: float) -> int:
    """Lines ``text`` takes wrapped at word boundaries in a column ``width`` characters wide."""
    chars = line_chars(width)
    return sum(paragraph_lines(p, chars) for p in text.split("\n"))


def paragraph_lines(paragraph: str, chars: int) -> int:
    if len(paragraph) <= chars:
        return 1
    lines, used = 1, 0
    for word in paragraph.split(" "):
        size = len(word)
        if used and used + 1 + size <= chars:
            used += 1 + size
            continue
        lines += 1 if used else 0
        lines += (size - 1) // chars if size else 0  # a word longer than a line breaks inside it
        used = size - chars * ((size - 1) // chars) if size else 0
    return lines


def row_height(values: Sequence[Any], chars: Sequence[int]) -> float:
    """Points that fit the wrapped lines of the row's tallest cell (``chars``: each column's ``line_chars``)."""
    lines = 1
    for value, fit in zip(values, chars, strict=False):
        if isinstance(value, str) and (len(value) > fit or "\n" in value):  # most cells fit on one line
            lines = max(lines, sum(paragraph_lines(p, fit) for p in value.split("\n")))
    return LINE_HEIGHT * lines + 2


class Styles:
    """XlsxWriter formats, made once per combination and shared by every cell that needs it."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.made: dict[tuple[Any, ...], Format] = {}

    def get(self, *parts: Mapping[str, Any] | None) -> Format:
        merged: dict[str, Any] = dict(WRAP_TOP)  # XlsxWriter adds the workbook's default font
        for part in parts:
            merged.update(part or {})
        key = tuple(sorted(merged.items()))
        if key not in self.made:
            self.made[key] = self.workbook.add_format(merged)
        return self.made[key]


def write_cell(sheet: Worksheet, row: int, col: int, value: Any, style: Format) -> None:
    """Text as a string cell (never a formula or link), numbers as numbers, dates as dates, blanks styled."""
    if isinstance(value, str):
        if len(value) > MAX_CELL_TEXT:
            raise InputError(
                f"cannot write sheet {sheet.name!r} row {row + 1}, column {col + 1}: its text of {len(value):,} "
                f"characters is over the {MAX_CELL_TEXT:,} a spreadsheet cell holds; nothing was written"
            )
        sheet.write_string(row, col, value, style)
    elif isinstance(value, bool) or value is None:
        sheet.write_blank(row, col, None, style) if value is None else sheet.write_boolean(row, col, value, style)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, style)
    else:
        sheet.write_datetime(row, col, value, style)


class ColumnStyle:
    """A column's formats: the plain one, and one per status value it fills (looked up per cell, made once)."""

    def __init__(self, styles: Styles, column: Column) -> None:
        parts = (
            EDITABLE if column.editable else None,
            MUTED if column.muted else None,
            {"num_format": "yyyy-mm-dd"} if column.date else None,
        )
        self.plain = styles.get(*parts)
        self.filled = {
            value: styles.get(*parts, {"bg_color": f"#{fill}", "font_color": f"#{font}"})
            for value, (fill, font) in (column.fills or {}).items()
        }

    def of(self, value: Any) -> Format:
        return self.filled.get(value, self.plain) if self.filled and isinstance(value, str) else self.plain


def print_setup(worksheet: Worksheet, footer: Footer, repeat_header: bool) -> None:
    """Landscape, one page wide, gridlines and the footer; the header row on every page."""
    worksheet.set_landscape()
    worksheet.set_paper(9)  # A4
    worksheet.fit_to_pages(1, 0)
    worksheet.hide_gridlines(0)  # shown on screen and printed
    worksheet.set_footer(footer.code())
    if repeat_header:
        worksheet.repeat_rows(0)


def write_sheet(workbook: Workbook, styles: Styles, spec: Sheet, footer: Footer) -> Worksheet:
    """Write one ``Sheet``: header, rows, widths, heights, panes, filter, validations, protection, print setup."""
    worksheet = workbook.add_worksheet(spec.name)
    cols = list(spec.columns)
    widths = [fitted_width(c, [r[i] for r in spec.rows if i < len(r)]) for i, c in enumerate(cols)]
    for i, width in enumerate(widths):
        worksheet.set_column(i, i, width)
    first = 1 if spec.header else 0
    chars = [line_chars(width) for width in widths]
    if spec.header:
        worksheet.set_row(0, row_height([c.header for c in cols], chars))
        for i, column in enumerate(cols):
            worksheet.write_string(0, i, column.header, styles.get(EDITABLE_HEADER if column.editable else HEADER))
        worksheet.freeze_panes(1, frozen_count(spec.frozen, widths))
        if spec.rows:
            worksheet.autofilter(0, 0, len(spec.rows), len(cols) - 1)
    formats = [ColumnStyle(styles, column) for column in cols]
    for number, values in enumerate(spec.rows, start=first):
        bold = styles.get({"bold": True, "font_size": 14 if number == 0 else 10}) if number in spec.bold else None
        if not spec.hidden:  # nobody reads a hidden sheet: its rows are not sized
            worksheet.set_row(number, row_height(values, chars) * (1.4 if bold and number == 0 else 1))
        for i, column in enumerate(cols):
            value = values[i] if i < len(values) and values[i] != "" else None  # '' is an empty cell
            if value is not None or column.editable:
                write_cell(worksheet, number, i, value, bold or formats[i].of(value))
    for i, column in enumerate(cols):
        if column.validation and spec.rows:
            worksheet.data_validation(first, i, first + len(spec.rows) - 1, i, dict(column.validation))
    if spec.protected:
        worksheet.protect("", {"autofilter": True, "format_columns": True, "format_rows": True})
    if spec.hidden:
        worksheet.hide()
    print_setup(worksheet, footer, spec.header)
    return worksheet


class LockedWorkbook(Workbook):  # type: ignore[misc]
    """A workbook whose structure is locked without a password (sheets cannot be unhidden by accident).

    XlsxWriter has no workbook protection, so the element is written where the package format puts it, right
    after ``workbookPr`` (``tests/merge/test_group_workbook.py`` reads it back)."""

    def _write_workbook_pr(self) -> None:
        super()._write_workbook_pr()
        self._xml_empty_tag("workbookProtection", [("lockStructure", "1")])


def workbook_bytes(sheets: Sequence[Sheet], footer: Footer, lock_structure: bool = False) -> bytes:
    """The workbook of ``sheets``, in order, as xlsx bytes with no write time in them."""
    packed = io.BytesIO()
    # XlsxWriter writes into the options it is given: each workbook gets its own copy, or the next would differ
    options = {**OPTIONS, "default_format_properties": dict(FONT)}
    workbook = (LockedWorkbook if lock_structure else Workbook)(packed, options)
    workbook.set_properties({"author": "harmonise", "created": FIXED_TIME})
    styles = Styles(workbook)
    for spec in sheets:
        write_sheet(workbook, styles, spec, footer)
    workbook.close()
    return packed.getvalue()


def write_workbook(target: Path, sheets: Sequence[Sheet], footer: Footer, lock_structure: bool = False) -> None:
    """Write the workbook of ``sheets`` to ``target`` atomically (a temporary file, then a rename)."""
    write_bytes(target, workbook_bytes(sheets, footer, lock_structure))
