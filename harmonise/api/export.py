"""``harmonise export``: the tables of ``harmonise.api`` written as files, one per table and chapter.

``<out>/<NN-slug>/<table>.csv|xlsx|parquet`` (``out`` defaults to ``reports/export``). Each file is the
DataFrame the API gives, written atomically through ``harmonise.output``: CSV as UTF-8 with formula-like
text made inert (``csv_safe``), xlsx with the house look (text cells never formulas, times in UTC without a
zone, as Excel holds no zones), Parquet with the dtypes kept (it needs pyarrow: ``pip install
'harmonise[parquet]'``). Two exports of the same workspace state write byte-identical files.

Every export is logged: one ``export`` event per chapter (its format, tables, folder, and each file's SHA-256 and
rows), appended after the files are written, like every command's, by who ran it. As every command does, it
refuses before writing anything when the audit log no longer verifies. So the next export's ``audit`` table holds
the events of the exports before it (every other table is the same).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from harmonise.api.columns import FORMATS, TABLES, TIME
from harmonise.api.frames import Frames
from harmonise.audit import AuditLog
from harmonise.errors import InputError
from harmonise.model import Chapter
from harmonise.output import (
    Footer,
    Sheet,
    columns,
    csv_safe,
    sha256_file,
    write_text,
    write_with,
    write_workbook,
)

DEFAULT_OUT = Path("reports") / "export"


@dataclass(frozen=True)
class Exported:
    """One file written: which chapter and table, how many rows, where."""

    chapter: str
    table: str
    rows: int
    path: Path


def export_tables(
    frames: Frames,
    chapters: Sequence[Chapter],
    file_format: str,
    tables: Sequence[str] = (),
    out: Path | None = None,
    user: str = "unknown",
) -> list[Exported]:
    """Write each of ``tables`` (default: all) of each chapter in ``file_format``, and log an ``export`` event per
    chapter as ``user``; returns what was written. Everything is checked (format, table names, pyarrow, the output
    folder, the audit log) before the first file is written."""
    names = check_request(file_format, tables)
    target = Path.cwd() / out if out is not None else frames.workspace.root / DEFAULT_OUT
    if target.is_relative_to(frames.workspace.root):  # elsewhere (--out) is the user's own folder
        frames.workspace.require_writable(target)
    log = AuditLog(frames.workspace.root / "reports" / "audit.jsonl")
    log.require_intact()
    written = []
    for chapter in chapters:
        for name in names:
            data = frames.table(name, chapter.number)
            path = target / chapter.slug / f"{name}.{file_format}"
            WRITERS[file_format](data, path)
            written.append(Exported(chapter.number, name, len(data), path))
    log.append([export_event(frames.workspace.root, c, file_format, written) for c in chapters], user=user)
    return written


def export_event(root: Path, chapter: Chapter, file_format: str, written: Sequence[Exported]) -> tuple[str, Any]:
    """What was exported of ``chapter``: the format, the tables, where, and each file's SHA-256 and rows."""
    mine = [w for w in written if w.chapter == chapter.number]
    folder = target_folder(root, mine[0].path.parent) if mine else ""
    data = {
        "chapter": chapter.slug,
        "number": chapter.number,
        "format": file_format,
        "tables": [w.table for w in mine],
        "folder": folder,
        "files": {w.path.name: sha256_file(w.path) for w in mine},
        "rows": {w.table: w.rows for w in mine},
    }
    return "export", data


def target_folder(root: Path, folder: Path) -> str:
    """The folder as the log names it: relative to the workspace inside it, else in full."""
    return folder.relative_to(root).as_posix() if folder.is_relative_to(root) else folder.as_posix()


def check_request(file_format: str, tables: Sequence[str]) -> list[str]:
    """The tables to write, in their documented order; InputError for an unknown format or table, or for
    Parquet without pyarrow."""
    if file_format not in FORMATS:
        raise InputError(f"unknown format {file_format!r}; use one of {', '.join(FORMATS)}")
    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        raise InputError(f"unknown table {unknown[0]!r}; the tables are {', '.join(TABLES)}")
    if file_format == "parquet" and importlib.util.find_spec("pyarrow") is None:
        raise InputError(
            "--format parquet needs pyarrow, which is not installed: pip install 'harmonise[parquet]' "
            "(or export as csv or xlsx); nothing was written"
        )
    return [t for t in TABLES if t in tables] if tables else list(TABLES)


def write_csv(data: pd.DataFrame, path: Path) -> None:
    text = data.map(lambda v: csv_safe(v) if isinstance(v, str) else v).astype(data.dtypes.to_dict())
    write_text(path, text.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%dT%H:%M:%SZ"))


def write_xlsx(data: pd.DataFrame, path: Path) -> None:
    rows = [cells(row) for row in xlsx_values(data).itertuples(index=False)]
    dated = {str(c): True for c in data.columns if str(data[c].dtype) == TIME}
    sheet = Sheet(path.stem, columns([str(c) for c in data.columns], date=dated), rows)
    write_workbook(path, [sheet], Footer(f"harmonise export: {path.parent.name}", f"table {path.stem}"))


def xlsx_values(data: pd.DataFrame) -> pd.DataFrame:
    """Times in UTC without their zone (a workbook cell holds none); every missing value empty."""
    out = data.copy()
    for column in data.columns:
        if str(data[column].dtype) == TIME:
            out[column] = data[column].dt.tz_convert("UTC").dt.tz_localize(None)
    return out.astype(object).where(out.notna(), None)


def cells(row: Sequence[Any]) -> list[Any]:
    return [v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in row]


def write_parquet(data: pd.DataFrame, path: Path) -> None:
    write_with(path, lambda tmp: data.to_parquet(tmp, index=False, engine="pyarrow"))


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "parquet": write_parquet}
