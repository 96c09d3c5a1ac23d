"""Hostile spreadsheets built byte by byte (raw xlsx XML, lying zip sizes, entity declarations, error and
formula cells): shared by the bad-input and injection tests."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from merge_fixtures import small_chapter
from typer.testing import CliRunner

from harmonise.cli import app

WORKBOOK = "reports/02-cardiovascular/working-group.xlsx"


MAIN_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def column_letter(index: int) -> str:
    """0 -> A, 26 -> AA."""
    letters, number = "", index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xml_cell(ref: str, value: Any) -> str:
    """A cell: text as an inline string, numbers as numbers, ``Raw('<c .../>')`` as given (``REF`` filled)."""
    if value is None:
        return ""
    if isinstance(value, Raw):
        return value.xml.replace("REF", ref)
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


@dataclass(frozen=True)
class Raw:
    """A cell written as raw XML, for cells openpyxl will not write (an error value, a formula with no value)."""

    xml: str


NA_ERROR = Raw('<c r="REF" t="e"><v>#N/A</v></c>')


def formula(text: str) -> Raw:
    """A formula saved without its calculated value (as written by generators that do not calculate)."""
    return Raw(f'<c r="REF"><f>{escape(text)}</f></c>')


def sheet_xml(rows: Sequence[Sequence[Any]], prolog: str = "") -> str:
    body = "".join(
        f'<row r="{r}">' + "".join(xml_cell(f"{column_letter(c)}{r}", v) for c, v in enumerate(row)) + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet {MAIN_NS}><sheetData>{body}</sheetData></worksheet>'
    )


def raw_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]], prolog: str = "") -> Path:
    """Write a minimal xlsx package by hand; ``prolog`` goes before the root element of every sheet."""
    count = range(1, len(sheets) + 1)
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{pkg}/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ctype}.sheet.main+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{ctype}.worksheet+xml"/>' for i in count
        )
        + "</Types>",
        "_rels/.rels": f'<Relationships xmlns="{pkg}/relationships"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {MAIN_NS} xmlns:r="{rel}"><sheets>'
        + "".join(
            f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in zip(count, sheets, strict=False)
        )
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{pkg}/relationships">'
        + "".join(f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in count)
        + "</Relationships>",
    }
    for i, rows in zip(count, sheets.values(), strict=False):
        parts[f"xl/worksheets/sheet{i}.xml"] = sheet_xml(rows, prolog)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def lie_about_sizes(path: Path, size: int = 0x7FFF_FFFF) -> None:
    """Patch every central-directory entry to declare ``size`` uncompressed bytes (a zip bomb's headers)."""
    data = bytearray(path.read_bytes())
    start = data.find(b"PK\x01\x02")
    while start != -1:
        data[start + 24 : start + 28] = size.to_bytes(4, "little")
        start = data.find(b"PK\x01\x02", start + 4)
    path.write_bytes(bytes(data))


ENTITY_PROLOG = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'


def invoke(root: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--workspace", str(root), "--user", "tester", *args])


@pytest.fixture(scope="module")
def merged_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small chapter 2, merged once: every output a later bad run must leave alone exists."""
    root = small_chapter(tmp_path_factory.mktemp("template") / "ws")
    result = invoke(root, "merge", "--chapter", "2")
    assert result.exit_code == 0, result.output
    for name in (
        "chapters/02-cardiovascular/harmonised-draft.xlsx",
        WORKBOOK,
        "reports/audit.jsonl",
        "reports/02-cardiovascular/outcomes.json",
    ):
        assert (root / name).is_file()
    return root
