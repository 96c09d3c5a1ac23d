"""Reading spreadsheets into plain rows of text: xlsx/xlsm (calamine), CSV (UTF-8 with or without BOM,
UTF-16 with BOM, or Windows-1252). Old ``.xls``, password-protected and damaged files get a clear message
saying what to do. Merged cells that span rows are filled down their first column, because legacy exports
merge a status or section over several drug rows; merges across one row (titles, headings) are not.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine

from harmonise.errors import InputError

MAX_UNZIPPED_BYTES = 500 * 1024 * 1024
MAX_ROWS = 200_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Cell:
    """A cell's text as a person reads it, and what kind of value it held (``text``, ``number``, ``date``)."""

    text: str
    kind: str = "text"


@dataclass(frozen=True)
class Table:
    """One sheet: rows of cells; ``rows[i]`` is spreadsheet row ``i + 1``."""

    file: str
    sheet: str
    rows: list[list[Cell]]


EMPTY = Cell("")


def clean_text(value: str) -> str:
    """Collapse whitespace (including non-breaking and zero-width spaces) and trim."""
    text = value.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "").replace("\u2009", " ")
    return " ".join(text.split())


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


def _check_zip(path: Path, display: str) -> None:
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
    _check_zip(path, display)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        tables = [_read_sheet(workbook, name, display) for name in workbook.sheet_names]
        workbook.close()
    except python_calamine.PasswordError:
        raise InputError(f"{display}: the workbook is password-protected; remove the password and save") from None
    except (python_calamine.CalamineError, python_calamine.ZipError, python_calamine.XmlError) as exc:
        raise InputError(f"{display}: damaged or unreadable workbook ({exc}); re-export or re-save it") from None
    if not tables:
        raise InputError(f"{display}: the workbook has no sheets")
    return tables


def _read_sheet(workbook: python_calamine.CalamineWorkbook, name: str, display: str) -> Table:
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
    return Table(display, name, rows)


def decode_csv(payload: bytes, display: str) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252; undecodable text is an error."""
    if payload.startswith((b"\xff\xfe", b"\xfe\xff")):
        return payload.decode("utf-16")
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


def read_csv_rows(path: Path, display: str) -> list[list[Cell]]:
    payload = path.read_bytes()
    if b"\x00" in payload[:4096] and not payload.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{display}: this is not a text CSV file (it holds binary data)")
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
