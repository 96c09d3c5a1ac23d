"""Papers for the committee as Word documents (python-docx) and PDFs (headless LibreOffice): a title, headings,
tables whose status cells are shaded in their RAG colour with a header row repeated on every page, a footer with
a PAGE field that LibreOffice turns into 'Page 2 of 3'; the same paper is the same bytes; and without
LibreOffice no PDF, with the reason."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import soffice_or_skip
from docx import Document
from pypdf import PdfReader

from harmonise.output.document import Block, Cell, Paper, docx_bytes, pdf_engine, write_docx, write_pdf

GREEN, AMBER, RED = "00843D", "FFBF47", "D4351C"
MEDICINES = [
    ("02.02", "Amlodipine 5mg tablets", "Green", GREEN),
    ("02.04", "Bisoprolol fumarate 2.5mg tablets", "Amber recommended", AMBER),
    ("02.03", "Amiodarone 100mg tablets", "Red", RED),
    ("02.06", "Isosorbide mononitrate 60mg modified-release tablets", "Green", GREEN),
    ("02.08", "Apixaban 5mg tablets", "Amber recommended", AMBER),
    ("02.12", "Ezetimibe (Ezetrol\u00ae) 10mg tablets", "Green", GREEN),
]


def committee_paper(rows: int = len(MEDICINES)) -> Paper:
    """A rationale-like paper: title, meta line, a decisions table with shaded status cells, a change list."""
    decisions = [
        (section, name, "adopted", Cell(label, fill=colour), "WG 2024-03-12", "Agreed at the meeting; see minutes")
        for section, name, label, colour in (MEDICINES * (rows // len(MEDICINES) + 1))[:rows]
    ]
    return Paper(
        "Rationale: 2 Cardiovascular system, version 3",
        (
            Block("heading1", "Rationale: 2 Cardiovascular system, version 3"),
            Block(
                "paragraph", "Published 2025-03-04T10:30:00Z. 7 items harmonised; 6 in the final chapter.", meta=True
            ),
            Block("heading2", "Outcomes"),
            Block("table", "Items by outcome", (("Outcome", "Items"), ("adopted", "5"), ("excluded", "1")), True),
            Block("heading2", f"Working-group decisions ({rows})"),
            Block("table", rows=(("Section", "Medicine", "Outcome", "Status", "Decided by", "Rationale"), *decisions)),
            Block("heading3", "Cheshire"),
            Block("fields", rows=(("Added", "1"), ("Removed", "1"))),
            Block(
                "table",
                rows=(
                    ("Change", "Medicine", "Now"),
                    (Cell("removed", mark="removed"), "Doxazosin 4mg modified-release tablets", "excluded"),
                ),
            ),
        ),
        footer="Rationale: 2 Cardiovascular system, version 3",
    )


def shading(cell: object) -> str:
    found = cell._tc.xpath("./w:tcPr/w:shd/@w:fill")  # type: ignore[attr-defined]
    return str(found[0]) if found else ""


def test_word_document_has_title_headings_shaded_status_cells_and_a_page_field(tmp_path: Path) -> None:
    target = tmp_path / "rationale.docx"
    write_docx(target, committee_paper())
    document = Document(str(target))
    styles = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert styles[0] == ("Title", "Rationale: 2 Cardiovascular system, version 3")
    assert ("Heading 1", "Working-group decisions (6)") in styles and ("Heading 2", "Cheshire") in styles
    assert ("Caption", "Items by outcome") in styles
    decisions = document.tables[1]
    assert [c.text for c in decisions.rows[0].cells][:4] == ["Section", "Medicine", "Outcome", "Status"]
    assert {(row.cells[3].text, shading(row.cells[3])) for row in decisions.rows[1:]} == {
        ("Green", GREEN),
        ("Amber recommended", AMBER),
        ("Red", RED),
    }
    assert shading(decisions.rows[1].cells[1]) == ""  # only the status is shaded
    assert decisions.rows[0]._tr.xpath("./w:trPr/w:tblHeader")  # the header row repeats on every page
    assert shading(document.tables[2].rows[1].cells[0]) == "F6D7D2"  # a removal highlighted
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and 'w:fldCharType="begin"' in footer
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4


def test_the_same_paper_is_the_same_bytes_and_says_nothing_of_when(tmp_path: Path) -> None:
    one, two = docx_bytes(committee_paper()), docx_bytes(committee_paper())
    assert one == two
    with zipfile.ZipFile(io.BytesIO(one)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert "dcterms:created" not in core and "dcterms:modified" not in core and "2013" not in core
    assert "<dc:creator>harmonise</dc:creator>" in core


def test_control_characters_from_a_spreadsheet_cell_do_not_break_the_document(tmp_path: Path) -> None:
    paper = Paper("x", (Block("table", rows=(("Medicine",), ("Warfarin\x0b 1mg\x00 tablets",))),))
    write_docx(tmp_path / "p.docx", paper)
    assert Document(str(tmp_path / "p.docx")).tables[0].rows[1].cells[0].text == "Warfarin 1mg tablets"


def test_libreoffice_opens_the_document_and_numbers_its_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARMONISE_SOFFICE", soffice_or_skip())
    write_docx(tmp_path / "rationale.docx", committee_paper(rows=90))
    assert write_pdf(tmp_path / "rationale.docx", tmp_path / "rationale.pdf") == ""
    pages = [page.extract_text() for page in PdfReader(tmp_path / "rationale.pdf").pages]
    assert 2 <= len(pages) <= 8, len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text  # the PAGE and NUMPAGES fields, laid out
    assert " ".join(pages[0].split()).startswith("Rationale: 2 Cardiovascular system, version 3 Published 2025")
    assert "Section Medicine Outcome Status" in " ".join(pages[1].split())  # the header row repeated
    assert "Ezetimibe (Ezetrol\u00ae) 10mg tablets" in " ".join(" ".join(pages).split())


def test_without_libreoffice_no_pdf_is_written_and_the_reason_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_docx(tmp_path / "rationale.docx", committee_paper())
    monkeypatch.setenv("HARMONISE_SOFFICE", "")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert pdf_engine() == (None, pdf_engine()[1]) and "LibreOffice (soffice) is not installed" in pdf_engine()[1]
    why = write_pdf(tmp_path / "rationale.docx", tmp_path / "rationale.pdf")
    assert "not installed or not on the PATH" in why and not (tmp_path / "rationale.pdf").exists()
    monkeypatch.setenv("HARMONISE_SOFFICE", "/opt/nowhere/soffice")
    assert "HARMONISE_SOFFICE=/opt/nowhere/soffice is not a program" in write_pdf(
        tmp_path / "rationale.docx", tmp_path / "rationale.pdf"
    )


def test_a_converter_that_fails_is_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "soffice"
    broken.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("HARMONISE_SOFFICE", str(broken))
    write_docx(tmp_path / "rationale.docx", committee_paper())
    why = write_pdf(tmp_path / "rationale.docx", tmp_path / "rationale.pdf")
    assert why.endswith("exit 1: Error: source file could not be loaded") and "did not convert rationale.docx" in why
    assert not (tmp_path / "rationale.pdf").exists()
