"""Papers for a committee: one list of blocks (headings, paragraphs, fields, tables whose cells may carry a RAG
fill) written as a web page (``paper_html``), a Word document (``write_docx``) and, where LibreOffice is
installed, a PDF converted from that document (``write_pdf``).

The Word document uses python-docx: A4, a title, headings, tables with a repeated header row and status cells
shaded in their RAG colour (black or white text, whichever reads better), and a footer naming the paper with
its page number (a PAGE field of NUMPAGES). It says nothing about when it was written (no created or modified
time, every zip entry dated 1980-01-01), so the same paper is the same bytes. python-docx is imported on first
use. The PDF engine is LibreOffice (``soffice``, found on the PATH or named by ``HARMONISE_SOFFICE``; ``off``
turns PDFs off); each conversion runs headless in a fresh temporary profile, so an open LibreOffice window does
not interfere.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harmonise.output.files import write_bytes
from harmonise.output.pages import render_page, text_colour

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold: the same for every run
MARK_FILLS = {"added": "CCE2D8", "removed": "F6D7D2", "changed": "FFF7BF"}  # as the pages' <mark> highlights
HEADER_FILL = "1F4E79"
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters a .docx cannot hold
TEXT_WIDTH_MM = 170.0  # A4 less two 2 cm margins
TABLE_POINTS = 9
MM_PER_CHARACTER, CELL_PADDING_MM = 2.1, 4.2  # 9 pt text, bold in the header; the cell's margins
SOFFICE_VARIABLE = "HARMONISE_SOFFICE"
PDF_TIMEOUT = 180.0


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, and a RAG ``fill`` (a status's hex colour) or a change ``mark`` (added, removed,
    changed), shown as a badge or a highlight on a page and as cell shading in a Word document."""

    text: str
    fill: str = ""
    mark: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Block:
    """One piece of a paper: ``kind`` is heading1/heading2/heading3, paragraph, fields (``rows`` of label and
    value) or table (``rows``, the first the header; ``text`` its caption; ``row_header``: the first cell of each
    row names it)."""

    kind: str
    text: str = ""
    rows: tuple[tuple[str | Cell, ...], ...] = ()
    row_header: bool = False
    meta: bool = False


@dataclass(frozen=True)
class Paper:
    """A document: its ``title`` (the page's and the file's), its blocks, and what its footer says on every page."""

    title: str
    blocks: tuple[Block, ...]
    footer: str = ""


def paper_html(paper: Paper) -> str:
    """The paper as a self-contained page (the shared ``paper.html`` template, every text escaped)."""
    return render_page("paper.html", title=paper.title, paper=paper)


# -- Word ------------------------------------------------------------------------------------------------------


def write_docx(target: Path, paper: Paper) -> None:
    """Write the paper as a Word document, atomically and reproducibly."""
    write_bytes(target, docx_bytes(paper))


def docx_bytes(paper: Paper) -> bytes:
    from docx import Document

    document = Document()
    page_setup(document, paper.footer)
    properties = document.core_properties
    properties.title, properties.author, properties.comments = plain(paper.title), "harmonise", ""
    properties.last_modified_by, properties.revision = "", 1
    for block in paper.blocks:
        add_block(document, block)
    packed = io.BytesIO()
    document.save(packed)
    return undated(packed.getvalue())


def plain(text: object) -> str:
    """Text a Word document can hold: control characters (from a spreadsheet cell) dropped."""
    return NOT_XML.sub("", str(text))


def page_setup(document: Any, footer: str) -> None:
    """A4 portrait with 2 cm margins; the footer names the paper and the page: 'Page 2 of 5'."""
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    document.styles["Normal"].font.size = Pt(10)
    paragraph = section.footer.paragraphs[0]
    paragraph.add_run(f"{plain(footer)}    Page " if footer else "Page ")
    add_field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    add_field(paragraph, "NUMPAGES")


def add_field(paragraph: Any, instruction: str) -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) that Word and LibreOffice compute when they lay the pages out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind in ("begin", "instruction", "separate", "result", "end"):
        run = paragraph.add_run()
        if kind == "instruction":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        elif kind == "result":
            element = OxmlElement("w:t")
            element.text = "1"
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def add_block(document: Any, block: Block) -> None:
    if block.kind.startswith("heading"):
        document.add_heading(plain(block.text), int(block.kind[-1]) - 1)  # heading1 is the paper's title
    elif block.kind == "paragraph":
        run = document.add_paragraph().add_run(plain(block.text))
        run.italic = block.meta
    elif block.kind == "fields":
        for label, value in block.rows:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{plain(label)}: ").bold = True
            paragraph.add_run(plain(value))
    elif block.kind == "table":
        add_table(document, block)


def add_table(document: Any, block: Block) -> None:
    """A grid table: the header row shaded and repeated on every page, cells with a fill shaded in it."""
    if block.text:
        document.add_paragraph(plain(block.text), style="Caption")
    from docx.shared import Mm

    head, *body = block.rows
    table = document.add_table(rows=0, cols=len(head))
    table.style, table.autofit = "Table Grid", False
    widths = column_widths(block.rows)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)  # the grid LibreOffice lays out; Word reads each cell's width
    for number, values in enumerate([head, *body]):
        cells = table.add_row().cells
        for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
            header = number == 0 or (column == 0 and block.row_header)
            cell.width = Mm(widths[column])
            write_cell(cell, value, HEADER_FILL if number == 0 else fill_of(value), bold=header)
    repeat_header(table.rows[0])
    document.add_paragraph()


def column_widths(rows: Sequence[Sequence[str | Cell]], page: float = TEXT_WIDTH_MM) -> list[float]:
    """Column widths (mm) filling the page width: each column gets room for its longest word (no word is
    broken), then the rest goes to the columns whose text is longer (up to 45 characters' worth), in proportion:
    a medicine's name gets more room than its section."""
    least, wanted = [], []
    for i in range(len(rows[0])):
        texts = [str(row[i]) for row in rows]
        word = max((len(w) for t in texts for w in t.split()), default=1)
        least.append(MM_PER_CHARACTER * (min(word, 30) + 1) + CELL_PADDING_MM)  # + 1: a bold header
        wanted.append(max(least[-1], MM_PER_CHARACTER * min(max(len(t) for t in texts), 45) + CELL_PADDING_MM))
    spare = page - sum(least)
    if spare <= 0:
        return [page * w / sum(least) for w in least]
    extra = [w - m for w, m in zip(wanted, least, strict=True)]
    if sum(extra) <= spare:
        return [page * w / sum(wanted) for w in wanted]
    return [m + spare * e / sum(extra) for m, e in zip(least, extra, strict=True)]


def fill_of(value: str | Cell) -> str:
    if isinstance(value, Cell):
        return value.fill or MARK_FILLS.get(value.mark, "")
    return ""


def write_cell(cell: Any, value: str | Cell, fill: str, bold: bool) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run = cell.paragraphs[0].add_run(plain(value))
    run.bold = bold or bool(fill)
    run.font.size = Pt(TABLE_POINTS)
    if fill:
        shading = OxmlElement("w:shd")
        for name, setting in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
            shading.set(qn(name), setting)
        cell._tc.get_or_add_tcPr().append(shading)
        run.font.color.rgb = RGBColor.from_string(text_colour(fill))


def repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def undated(payload: bytes) -> bytes:
    """The package again with every zip entry dated 1980-01-01 and no created or modified time in
    ``docProps/core.xml`` (python-docx's template carries fixed ones from 2013, which would be false)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(payload)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>", b"", data)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            target.writestr(entry, data)
    return out.getvalue()


# -- PDF --------------------------------------------------------------------------------------------------------


def pdf_engine() -> tuple[str | None, str]:
    """The LibreOffice program that converts papers to PDF, or None and why there is none."""
    named = os.environ.get(SOFFICE_VARIABLE, "").strip()
    if named.lower() in ("off", "none", "no", "0"):
        return None, f"PDF output is turned off ({SOFFICE_VARIABLE}={named})"
    if named:
        found = shutil.which(named)
        return (found, "") if found else (None, f"{SOFFICE_VARIABLE}={named} is not a program that can be run")
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found, ""
    return None, (
        "LibreOffice (soffice) is not installed or not on the PATH; install it, or name the program with "
        f"{SOFFICE_VARIABLE}, to get PDFs"
    )


def write_pdf(source: Path, target: Path, timeout: float = PDF_TIMEOUT) -> str:
    """Convert the Word document ``source`` to the PDF ``target`` (atomically) with LibreOffice. Returns '' when
    the PDF was written, else why it was not (no engine, or the conversion failed): a missing PDF never stops
    the caller."""
    engine, why = pdf_engine()
    if engine is None:
        return why
    with tempfile.TemporaryDirectory(prefix="harmonise-pdf-") as work:
        out = Path(work) / "out"
        command = [
            engine,
            f"-env:UserInstallation={(Path(work) / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ]
        failure = run_engine(command, timeout)
        produced = out / f"{Path(source).stem}.pdf"
        if not produced.is_file():
            return f"LibreOffice ({engine}) did not convert {Path(source).name}: {failure or 'no PDF was produced'}"
        write_bytes(target, produced.read_bytes())
    return ""


def run_engine(command: Sequence[str], timeout: float) -> str:
    """Run the converter in its own process group (LibreOffice starts a child of its own); '' when it exits 0,
    else what went wrong. On a timeout the whole group is stopped."""
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
    except OSError as exc:
        return str(exc)
    try:
        _, errors = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return f"no answer after {timeout:.0f} s"
    lines = [line for line in errors.splitlines() if line.strip() and "javaldx" not in line]
    return "" if process.returncode == 0 else f"exit {process.returncode}: {lines[0] if lines else 'no message'}"
