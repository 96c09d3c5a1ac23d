"""Loading legacy spreadsheets as they really are, and the findings ``check`` reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CHESHIRE_HEADER, MERSEY_HEADER, write_csv, write_xlsx

from harmonise.errors import InputError
from harmonise.sources.load import load_chapter
from harmonise.sources.sheet import normalise_section
from harmonise.workspace.config import load_workspace

CH02 = "chapters/02-cardiovascular"


def cheshire_rows() -> list[list[object]]:
    return [
        ["Cheshire Joint Formulary - Chapter 2 Cardiovascular system - exported 03/2024"],
        [],
        CHESHIRE_HEADER,
        ["2.12 Lipid-regulating drugs"],
        [None, "Atorvastatin ", "Tablets 10mg, 20mg, 40mg, 80mg", "Green", "1st", "Formulary", None, None, "C101"],
        [
            None,
            "Ezetimibe (Ezetrol®)",
            "Tablets 10mg",
            "Green\u00a0SI",
            None,
            "Formulary",
            "Lipid clinic",
            "TA385",
            "C102",
        ],
        ["2.6.2", "Amlodipine", "Tablets 5 mg", "green", "1st", "F", None, None, "C103"],
        [None, "Nifedipine", "Modified-release tablets 30mg", "Ambr", None, None, None, None, "C104"],
    ]


def load(ws: Path, chapter: str = "2"):
    workspace = load_workspace(ws)
    return load_chapter(workspace, workspace.chapter(chapter))


def test_loader_reads_messy_export_with_provenance(workspace_dir: Path) -> None:
    write_xlsx(
        workspace_dir / CH02 / "cheshire.xlsx", {"Formulary": cheshire_rows()}, {"Formulary": ["A1:I1", "A4:I4"]}
    )
    write_xlsx(
        workspace_dir / CH02 / "merseyside.xlsx",
        {"Formulary": [MERSEY_HEADER, ["2.12", "ATORVASTATIN", "Tabs 20 mg", "Green"]]},
    )
    loaded = load(workspace_dir)
    entries = loaded.entries_of("cheshire")
    assert [e.name for e in entries] == ["Atorvastatin", "Ezetimibe (Ezetrol®)", "Amlodipine", "Nifedipine"]
    atorva, ezetimibe, amlodipine, nifedipine = entries
    assert atorva.section == "02.12"  # carried down from the heading row
    assert amlodipine.section == "02.06.02" and nifedipine.section == "02.06.02"
    assert ezetimibe.status == "amber-initiated" and ezetimibe.status_word == "Green SI"  # NBSP cleaned
    assert ezetimibe.nice_ta == "TA385" and atorva.ref == "C101"
    assert amlodipine.status == "green"  # case-insensitive vocabulary
    assert str(atorva.provenance) == f"{CH02}/cheshire.xlsx[Formulary] row 5"
    assert nifedipine.status is None
    [finding] = loaded.findings
    assert finding.kind == "unknown-status"
    assert str(finding) == (
        f"{CH02}/cheshire.xlsx[Formulary] row 8, column 'Status': "
        "'Ambr' is not in the cheshire status vocabulary (did you mean Amber SCG?)"
    )


def test_content_key_is_stable_and_ignores_row_position(workspace_dir: Path) -> None:
    rows = cheshire_rows()
    write_xlsx(workspace_dir / CH02 / "cheshire.xlsx", {"S": rows})
    write_xlsx(workspace_dir / CH02 / "merseyside.xlsx", {"S": [MERSEY_HEADER]})
    first = {e.name: e.key for e in load(workspace_dir).entries}
    write_xlsx(workspace_dir / CH02 / "cheshire.xlsx", {"S": [[], [], *rows]})  # two rows inserted above
    second = {e.name: e.key for e in load(workspace_dir).entries}
    assert first == second and len(set(first.values())) == 4


def test_vertically_merged_status_fills_down(workspace_dir: Path) -> None:
    rows = [CHESHIRE_HEADER, ["2.5", "Doxazosin", "Tablets 1mg", "Green"], [None, "Doxazosin", "Tablets 2mg", None]]
    write_xlsx(workspace_dir / CH02 / "cheshire.xlsx", {"S": rows}, {"S": ["D2:D3"]})
    write_xlsx(workspace_dir / CH02 / "merseyside.xlsx", {"S": [MERSEY_HEADER]})
    assert [e.status for e in load(workspace_dir).entries] == ["green", "green"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_encodings(workspace_dir: Path, encoding: str) -> None:
    write_xlsx(workspace_dir / CH02 / "cheshire.xlsx", {"S": [CHESHIRE_HEADER]})
    rows = [MERSEY_HEADER, ["2.12", "Rosuvastatin (Crestor®) ", "Tabs 5 mg", "Amber recommended", "£ cost"]]
    write_csv(workspace_dir / CH02 / "merseyside.csv", rows, encoding)
    [entry] = load(workspace_dir).entries_of("merseyside")
    assert entry.name == "Rosuvastatin (Crestor®)" and entry.notes == "£ cost"
    assert entry.status == "amber-recommended" and entry.provenance.row == 2 and entry.provenance.sheet == ""


def test_several_sheets_and_a_notes_sheet(workspace_dir: Path) -> None:
    sheets = {
        "Read me": [["This export lists the formulary"], ["Do not edit"]],
        "2.1-2.5": [CHESHIRE_HEADER, ["2.2.1", "Bendroflumethiazide", "Tablets 2.5mg", "Green"]],
        "2.6-2.12": [CHESHIRE_HEADER, ["2.12", "Simvastatin", "Tablets 40mg", "Green"]],
    }
    write_xlsx(workspace_dir / CH02 / "cheshire.xlsx", sheets)
    write_xlsx(workspace_dir / CH02 / "merseyside.xlsx", {"S": [MERSEY_HEADER]})
    loaded = load(workspace_dir)
    assert [(e.name, e.provenance.sheet) for e in loaded.entries] == [
        ("Bendroflumethiazide", "2.1-2.5"),
        ("Simvastatin", "2.6-2.12"),
    ]
    assert loaded.findings == []


@pytest.mark.parametrize(
    "rows, kind, message",
    [
        (
            [CHESHIRE_HEADER, ["2.5", None, "Tablets 1mg", "Green"]],
            "empty-drug",
            "row 2, column 'Drug': a row with details but no drug name",
        ),
        (
            [CHESHIRE_HEADER, ["2.5", "Doxazosin 4mg tablets", None, None]],
            "blank-status",
            "row 2, column 'Status': the status is blank",
        ),
        (
            [CHESHIRE_HEADER, ["4.1", "Zopiclone", "Tablets 7.5mg", "Green"]],
            "section-outside-chapter",
            "row 2, column 'BNF Section': section 04.01 is not in chapter 2 (Cardiovascular system)",
        ),
        (
            [CHESHIRE_HEADER, ["2.5", 45123, "Tablets", "Green"]],
            "bad-drug",
            "expected a drug name, found number '45123'",
        ),
        (
            [CHESHIRE_HEADER, ["2.5", "Doxazosin", "Tablets 1mg", "Green"], ["2.5", "Doxazosin", "Tablets 1mg", "Red"]],
            "conflicting-duplicate",
            "row 3: Doxazosin Tablets 1mg is also listed at row 2 with status 'Green', here 'Red'",
        ),
        (
            [
                CHESHIRE_HEADER,
                ["2.5", "Doxazosin", "Tablets 1mg", "Green"],
                ["2.5", "Doxazosin", "Tablets 1mg", "green"],
            ],
            "duplicate-entry",
            "row 3: Doxazosin Tablets 1mg is also listed at row 2",
        ),
        (
            [CHESHIRE_HEADER, ["2.5", "Doxazosin", "Tablets 1mg", "Green", None, "Maybe"]],
            "unknown-membership",
            "formulary membership 'Maybe' is not a word harmonise knows",
        ),
        (
            [["Drug", "Formulation", "Notes"], ["Doxazosin", "Tablets", "x"]],
            "no-header",
            "no header row found: looked for 'Drug' and 'Status' in the first 30 rows of the file",
        ),
        (
            [[*CHESHIRE_HEADER, "Status"], ["2.5", "Doxazosin", "Tablets 1mg", "Green"]],
            "duplicate-column",
            "columns 'Status', 'Status' both match the 'status' field",
        ),
    ],
)
def test_findings_are_located(workspace_dir: Path, rows: list, kind: str, message: str) -> None:
    write_xlsx(workspace_dir / CH02 / "cheshire.xlsx", {"Formulary": rows})
    write_xlsx(workspace_dir / CH02 / "merseyside.xlsx", {"S": [MERSEY_HEADER]})
    findings = [f for f in load(workspace_dir).findings if f.kind == kind]
    assert findings, [str(f) for f in load(workspace_dir).findings]
    assert message in str(findings[0])
    assert str(findings[0]).startswith(f"{CH02}/cheshire.xlsx")


def test_missing_file_is_a_finding(workspace_dir: Path) -> None:
    write_xlsx(workspace_dir / CH02 / "cheshire.xlsx", {"S": [CHESHIRE_HEADER]})
    [finding] = load(workspace_dir).findings
    assert finding.kind == "missing-file" and "merseyside" in finding.message


@pytest.mark.parametrize(
    "name, payload, message",
    [
        ("cheshire.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Excel 97-2003 .xls file"),
        (
            "cheshire.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "password-protected",
        ),
        ("cheshire.xlsx", b"PK\x03\x04 truncated", "not a valid .xlsx file"),
        ("cheshire.xlsx", b"Drug,Status\nAmlodipine,Green\n", "not a valid .xlsx file"),
    ],
)
def test_unreadable_files_say_what_to_do(workspace_dir: Path, name: str, payload: bytes, message: str) -> None:
    folder = workspace_dir / CH02
    folder.mkdir(parents=True)
    (folder / name).write_bytes(payload)
    with pytest.raises(InputError) as caught:
        load(workspace_dir)
    assert f"{CH02}/{name}" in str(caught.value) and message in str(caught.value)


@pytest.mark.parametrize(
    "text, expected", [("2.12", "02.12"), ("9.1.1", "09.01.01"), ("02.06.02", "02.06.02"), ("Misc", "Misc")]
)
def test_normalise_section(text: str, expected: str) -> None:
    assert normalise_section(text) == expected


def test_a_superscript_in_the_section_cell_is_not_read_as_a_chapter_number() -> None:
    # found by the property test: "²" counts as a digit for str.isdigit() but int() cannot read it
    from harmonise.model import Chapter
    from harmonise.sources.sheet import section_in_chapter

    chapter = Chapter("2", "02-cardiovascular", "Cardiovascular system")
    assert section_in_chapter("²", chapter) and section_in_chapter("2.12", chapter)
    assert not section_in_chapter("4.1", chapter)


def test_a_csv_with_a_utf16_mark_but_cut_short_is_a_located_input_error(tmp_path: Path) -> None:
    # found by the property test: a byte-order mark followed by an odd number of bytes
    from harmonise.sources.tables import decode_csv

    with pytest.raises(InputError, match=r"broken.csv: the CSV starts as UTF-16 text but is not valid UTF-16"):
        decode_csv(b"\xfe\xff\x00D\x00r\x00", "broken.csv")
