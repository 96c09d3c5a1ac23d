"""Reading spreadsheets into plain rows of text: xlsx/xlsm (calamine), CSV (UTF-8 with or without BOM,
UTF-16 with BOM, or Windows-1252). Old ``.xls``, password-protected and damaged files get a clear message
saying what to do. Merged cells that span rows are filled down their first column, because legacy exports
merge a status or section over several drug rows; merges across one row (titles, headings) are not.

Calamine reads an error cell (``#N/A``) and a formula saved without its value as an empty string, which would
make a broken cell look blank. So each sheet's XML is scanned for them (a byte search first; only a sheet that
has any is parsed, with defusedxml) and they become ``error`` / ``formula`` cells that loading reports.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeXml

from harmonise.errors import InputError

MAX_UNZIPPED_BYTES = 500 * 1024 * 1024
MAX_ROWS = 200_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUSPECT_BYTES = (b' t="e"', b"<f>", b"<f ", b":f>", b":f ")  # an error cell, or a formula
CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# C0 controls other than whitespace (tab, newlines and \x1c-\x1f are whitespace: collapsed), DEL and C1.
CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x9f]")


@dataclass(frozen=True)
class Cell:
    """A cell's text as a person reads it, and what kind of value it held: ``text``, ``number``, ``date``,
    ``error`` (an Excel error such as ``#N/A``) or ``formula`` (a formula saved without its value, as ``=...``)."""

    text: str
    kind: str = "text"


@dataclass(frozen=True)
class Table:
    """One sheet: rows of cells; ``rows[i]`` is spreadsheet row ``i + 1``. ``visibility`` is ``visible``,
    ``hidden`` or ``very hidden`` (a sheet Excel's Unhide menu does not even list)."""

    file: str
    sheet: str
    rows: list[list[Cell]]
    visibility: str = "visible"


EMPTY = Cell("")


def clean_text(value: str) -> str:
    """Collapse whitespace (including non-breaking and zero-width spaces) and trim; drop control characters
    (an ANSI escape in a CSV cell, ``_x001B_`` in an xlsx), which no drug name or status holds and which
    would clear a terminal or make a workbook unwritable."""
    text = value.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "").replace("\u2009", " ")
    return " ".join(CONTROL.sub("", text).split())


def to_cell(value: Any) -> Cell:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return Cell("TRUE" if value else "FALSE", "number")
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
        return Cell(text, "number")
    if isinstance(value, int):
        return Cell(str(value), "number")
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        return Cell(value.isoformat() if hasattr(value, "isoformat") else str(value), "date")
    return Cell(clean_text(str(value)))


def read_tables(path: Path, display: str) -> list[Table]:
    """Every sheet of a spreadsheet file (a CSV is one sheet named after the file)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(f"{display}: file not found")
    if suffix == ".csv":
        return [Table(display, "", read_csv_rows(path, display))]
    if suffix in (".xlsx", ".xlsm"):
        return read_workbook(path, display)
    if suffix == ".xls":
        raise InputError(
            f"{display}: this is an old Excel 97-2003 .xls file, which harmonise does not read. "
            "Open it in Excel or LibreOffice and save it as .xlsx (Excel Workbook), then run again."
        )
    raise InputError(f"{display}: unsupported file type {suffix or '(none)'}; use .xlsx, .xlsm or .csv")


def check_zip(path: Path, display: str) -> None:
    """Refuse an old or encrypted Office file, a file that is not a zip package, and a zip bomb (by the
    sizes its entries declare), each with a message saying what to do."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise InputError(
                f"{display}: the workbook is password-protected. Open it in Excel, remove the password "
                "(File > Info > Protect Workbook > Encrypt with Password, clear it), save, and run again."
            )
        raise InputError(
            f"{display}: this is an old Excel 97-2003 workbook saved with an .xlsx name; "
            "open it in Excel or LibreOffice and save it as .xlsx, then run again."
        )
    if not zipfile.is_zipfile(path):
        raise InputError(
            f"{display}: not a valid .xlsx file (it is not a zip package: damaged, truncated or "
            "renamed from another format). Re-export it from the source system or re-save it in Excel."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise InputError(f"{display}: damaged .xlsx file ({exc}); re-export or re-save it") from None
    if total > MAX_UNZIPPED_BYTES:
        raise InputError(
            f"{display}: unpacks to {total // (1024 * 1024)} MiB, over the {MAX_UNZIPPED_BYTES // (1024 * 1024)} MiB "
            "limit for a formulary workbook (a zip bomb, or a sheet with millions of formatted empty cells)"
        )


def read_workbook(path: Path, display: str) -> list[Table]:
    check_zip(path, display)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        hidden = sheet_visibility(workbook)
        tables = [_read_sheet(workbook, name, display, hidden.get(name, "visible")) for name in workbook.sheet_names]
        workbook.close()
        tables = mark_unreadable_cells(path, display, tables)
    except python_calamine.PasswordError:
        raise InputError(f"{display}: the workbook is password-protected; remove the password and save") from None
    except (python_calamine.CalamineError, python_calamine.ZipError, python_calamine.XmlError) as exc:
        raise InputError(f"{display}: damaged or unreadable workbook ({exc}); re-export or re-save it") from None
    if not tables:
        raise InputError(f"{display}: the workbook has no sheets")
    return tables


def sheet_visibility(workbook: python_calamine.CalamineWorkbook) -> dict[str, str]:
    """Sheet name -> ``visible``, ``hidden`` or ``very hidden``, from the workbook's sheet metadata."""
    hidden, very = python_calamine.SheetVisibleEnum.Hidden, python_calamine.SheetVisibleEnum.VeryHidden
    return {
        meta.name: "hidden" if meta.visible == hidden else "very hidden" if meta.visible == very else "visible"
        for meta in workbook.sheets_metadata
    }


def _read_sheet(
    workbook: python_calamine.CalamineWorkbook, name: str, display: str, visibility: str = "visible"
) -> Table:
    sheet = workbook.get_sheet_by_name(name)
    if sheet.total_height > MAX_ROWS:
        raise InputError(
            f"{display}[{name}]: {sheet.total_height} rows, over the limit of {MAX_ROWS} rows for one sheet; "
            "split the export by BNF chapter"
        )
    rows = [[to_cell(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
    merged = getattr(sheet, "merged_cell_ranges", None) or []
    for (top, left), (bottom, _right) in merged:
        if bottom > top and top < len(rows) and left < len(rows[top]):
            value = rows[top][left]
            for r in range(top + 1, min(bottom, len(rows) - 1) + 1):
                while len(rows[r]) <= left:
                    rows[r].append(EMPTY)
                if not rows[r][left].text:
                    rows[r][left] = value
    return Table(display, name, rows, visibility)


def mark_unreadable_cells(path: Path, display: str, tables: list[Table]) -> list[Table]:
    """Put the error cells and value-less formulas of each sheet into its rows (calamine reads them as blank)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = sheet_members(archive)
            for table in tables:
                member = members.get(table.sheet)
                if member and _has_suspect_cells(archive, member):
                    for (row, col), cell in _suspect_cells(archive, member):
                        _put(table.rows, row, col, cell)
    except (DefusedXmlException, SafeXml.ParseError, KeyError, zipfile.BadZipFile) as exc:
        raise InputError(
            f"{display}: damaged or unsafe workbook XML ({type(exc).__name__}: {exc}); re-save it in Excel"
        ) from None
    return tables


def sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML, from the workbook part and its relationships."""
    root_rels = SafeXml.fromstring(archive.read("_rels/.rels"))
    book = next((r.get("Target", "") for r in root_rels if r.get("Type", "").endswith("/officeDocument")), "")
    book = book.lstrip("/")
    folder = posixpath.dirname(book)
    rels_name = posixpath.join(folder, "_rels", posixpath.basename(book) + ".rels")
    targets = {r.get("Id"): r.get("Target", "") for r in SafeXml.fromstring(archive.read(rels_name))}
    out = {}
    for sheet in SafeXml.fromstring(archive.read(book)).iter():
        if sheet.tag.rsplit("}", 1)[-1] == "sheet":
            target = targets.get(sheet.get(f"{REL_NS}id"), "")
            member = (
                target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            )
            out[sheet.get("name", "")] = member
    return out


def _has_suspect_cells(archive: zipfile.ZipFile, member: str) -> bool:
    """A streaming byte search: most sheets have neither error cells nor formulas and are not parsed."""
    tail = b""
    with archive.open(member) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            window = tail + block
            if any(needle in window for needle in SUSPECT_BYTES):
                return True
            tail = block[-16:]
    return False


def _suspect_cells(archive: zipfile.ZipFile, member: str) -> Iterator[tuple[tuple[int, int], Cell]]:
    """``((row, column), cell)`` (0-based) for each error cell and each formula saved without a value."""
    row_number = 0
    with archive.open(member) as handle:
        for _, element in SafeXml.iterparse(handle, events=("end",)):
            if not element.tag.endswith("row"):
                continue
            row_number = int(element.get("r") or row_number + 1)
            col_number = 0
            for child in element:
                col_number = _column(child.get("r"), col_number + 1)
                cell = _unreadable(child)
                if cell is not None:
                    yield (row_number - 1, col_number - 1), cell
            element.clear()


def _column(ref: str | None, default: int) -> int:
    match = CELL_REF.fullmatch(ref or "")
    if not match:
        return default
    number = 0
    for letter in match.group(1):
        number = number * 26 + ord(letter) - 64
    return number


def _unreadable(element: Any) -> Cell | None:
    kind = element.get("t")
    formula = element.find("{*}f")
    if kind != "e" and formula is None:
        return None
    value = element.findtext("{*}v")
    if kind == "e":
        return Cell(value or "#ERROR", "error")
    if not value and kind != "str":  # t="str" with an empty value is a formula whose result is empty text
        return Cell("=" + (formula.text or "(shared formula)"), "formula")
    return None


def _put(rows: list[list[Cell]], row: int, col: int, cell: Cell) -> None:
    while len(rows) <= row:
        rows.append([])
    while len(rows[row]) <= col:
        rows[row].append(EMPTY)
    rows[row][col] = cell


def decode_csv(payload: bytes, display: str) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252; undecodable text is an error."""
    if payload.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return payload.decode("utf-16")
        except UnicodeDecodeError as exc:  # a UTF-16 mark on a file cut short or not UTF-16 after all
            raise InputError(
                f"{display}: the CSV starts as UTF-16 text but is not valid UTF-16 ({exc.reason} at byte "
                f"{exc.start}); save it again from Excel as 'CSV UTF-8 (Comma delimited)'"
            ) from None
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return payload.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{display}: the CSV is neither UTF-8 nor Windows-1252 text (byte 0x{payload[exc.start]:02x} at "
            f"position {exc.start}); save it from Excel as 'CSV UTF-8 (Comma delimited)'"
        ) from None


def binary_kind(payload: bytes) -> str:
    """What a CSV holding NUL bytes most likely is, in words that say how to fix it."""
    if payload.startswith(b"PK\x03\x04"):
        return "it is a zip package, most likely an .xlsx workbook renamed .csv: give it its .xlsx name back"
    head = payload[:512]
    if head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4:
        return "it looks like UTF-16 text without a byte-order mark: save it from Excel as 'CSV UTF-8'"
    return "it holds binary data"


def read_csv_rows(path: Path, display: str) -> list[list[Cell]]:
    payload = path.read_bytes()
    if b"\x00" in payload[:4096] and not payload.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{display}: this is not a text CSV file ({binary_kind(payload)})")
    text = decode_csv(payload, display)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = []
    try:
        for i, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)):
            if i >= MAX_ROWS:
                raise InputError(f"{display}: over the limit of {MAX_ROWS} rows; split the export by BNF chapter")
            rows.append([to_cell(value) for value in record])
    except csv.Error as exc:
        raise InputError(f"{display}: not valid CSV ({exc})") from None
    return rows
