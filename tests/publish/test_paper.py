"""The committee paper: ``publish`` writes the rationale as a Word document (status cells in their RAG colour) and,
with LibreOffice, as a PDF; both are in the manifest and the publication event, and ``audit verify`` names one
edited after publication. Without LibreOffice the chapter is still published and the command says why there is
no PDF. ``rules explain --out`` writes the rules as a Word document too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import soffice_or_skip
from docx import Document
from publish_fixtures import publish_workspace
from pypdf import PdfReader
from typer.testing import CliRunner

from harmonise.audit import AuditLog
from harmonise.cli import app
from harmonise.output.files import sha256_file

V1 = Path("published/02-cardiovascular/v1")


def invoke(root: Path, *args: str) -> object:
    return CliRunner().invoke(app, ["--workspace", str(root), "--user", "secretariat", *args])


def fill(cell: object) -> str:
    found = cell._tc.xpath("./w:tcPr/w:shd/@w:fill")  # type: ignore[attr-defined]
    return str(found[0]) if found else ""


def table_after(document: object, heading: str) -> object:
    """The first table after the paragraph ``heading`` in document order."""
    from docx.table import Table

    seen = False
    for block in document.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Table) and seen:
            return block
        seen = seen or (not isinstance(block, Table) and block.text == heading)
    raise AssertionError(f"no table after {heading!r}")


def test_publish_writes_the_rationale_as_a_word_document_with_rag_fills(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws")
    result = invoke(root, "publish", "--chapter", "2")
    assert result.exit_code == 0, result.output
    document = Document(str(root / V1 / "rationale.docx"))
    texts = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert texts[0] == ("Title", "Rationale: 2 Cardiovascular system, version 1")
    assert ("Heading 1", "Legacy positions retained, awaiting chapter review (1)") in texts
    assert ("Heading 2", "Cheshire") in texts and ("Normal", "1 added, 1 removed, 1 status changed.") in texts
    changes = {row.cells[2].text.split()[0]: row.cells for row in table_after(document, "Cheshire").rows[1:]}
    added, removed, changed = changes["Amiodarone"], changes["Doxazosin"], changes["Bisoprolol"]
    assert (added[0].text, fill(added[0])) == ("added", "CCE2D8") and fill(removed[0]) == "F6D7D2"
    assert (added[4].text, fill(added[4])) == ("Red (100mg)", "D5281B")  # now Red: shaded red
    assert (changed[3].text, fill(changed[3])) == ("Green, 1st", "00843D")  # was Green, 1st line
    assert (removed[4].text, fill(removed[4])) == ("excluded", "")
    retained = table_after(document, "Legacy positions retained, awaiting chapter review (1)")
    assert [c.text for c in retained.rows[1].cells][:3] == [
        "02.06",
        "Nicorandil 10mg tablets",
        "both legacy positions retained",
    ]
    footer = document.sections[0].footer.paragraphs[0]
    assert (
        footer.text.startswith("Rationale: 2 Cardiovascular system, version 1, published ") and "PAGE" in footer._p.xml
    )
    assert "rationale.pdf not written: PDF output is turned off (HARMONISE_SOFFICE=off)" in " ".join(
        result.output.split()
    )


def test_the_pdf_is_written_with_libreoffice_hashed_and_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARMONISE_SOFFICE", soffice_or_skip())
    root = publish_workspace(tmp_path / "ws")
    result = invoke(root, "publish", "--chapter", "2", "--json")
    assert result.exit_code == 0, result.output
    published = json.loads(result.output)
    assert published["notes"] == [] and {"rationale.docx", "rationale.pdf"} <= set(published["files"])
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(root / V1 / "rationale.pdf").pages]
    assert 1 <= len(pages) <= 3
    assert pages[0].startswith("Rationale: 2 Cardiovascular system, version 1 Published")
    assert all(f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1))
    assert "Nicorandil 10mg tablets" in " ".join(pages) and "Changes against each legacy formulary" in " ".join(pages)
    [event] = [e for e in AuditLog(root / "reports/audit.jsonl").read() if e.kind == "publication"]
    manifest = json.loads((root / V1 / "manifest.json").read_text(encoding="utf-8"))
    for name in ("rationale.docx", "rationale.pdf"):
        assert event.data["files"][name] == manifest["files"][name] == sha256_file(root / V1 / name)
    assert invoke(root, "audit", "verify").exit_code == 0
    pdf = root / V1 / "rationale.pdf"
    pdf.chmod(0o644)
    pdf.write_bytes(pdf.read_bytes() + b"%% a page appended after the meeting\n")
    tampered = invoke(root, "audit", "verify")
    assert tampered.exit_code == 1
    assert "02-cardiovascular/v1/rationale.pdf: edited after publication" in " ".join(tampered.output.split())


def test_an_edited_word_document_is_named_by_audit_verify(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws")
    assert invoke(root, "publish", "--chapter", "2").exit_code == 0
    word = root / V1 / "rationale.docx"
    word.chmod(0o644)
    document = Document(str(word))
    document.add_paragraph("Approved by the committee (added later)")
    document.save(str(word))
    result = invoke(root, "audit", "verify")
    assert result.exit_code == 1
    assert "02-cardiovascular/v1/rationale.docx: edited after publication" in " ".join(result.output.split())


def test_rules_explain_writes_the_rules_as_word_and_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARMONISE_SOFFICE", soffice_or_skip())
    root = publish_workspace(tmp_path / "ws")
    out = tmp_path / "committee"
    result = invoke(root, "rules", "explain", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["rules.docx", "rules.html", "rules.md", "rules.pdf"]
    headings = [p.text for p in Document(str(out / "rules.docx")).paragraphs if p.style.name == "Heading 2"]
    assert headings[:2] == ["S1: Same status everywhere", "S2: Black where listed"]
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out / "rules.pdf").pages)
    assert "S5: Statuses differ" in text and "Adopt the more restrictive status." in text and "Page 1 of" in text
