"""The bad-input catalogue: every input harmonise must refuse, the message that names where, and proof that
nothing was written.

Each case breaks one thing in a copy of a workspace that has already been merged once (so a draft, a
working-group workbook, the audit log and ``outcomes.json`` exist), runs one command through the CLI and
checks the exit code, the message (file, and sheet, row and column where they apply) and that every file of
the workspace is byte-for-byte what it was. ``check`` is different on purpose: row-level data problems are
findings (exit 1) that ``merge`` escalates or reports, so they have their own table below.

Also home of ``raw_xlsx``, a builder of hand-made xlsx packages (error cells, value-less formulas, entity
declarations, lying zip headers, 100,000 rows in under a second) that the other hardening tests share.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bad_files import (
    ENTITY_PROLOG,
    NA_ERROR,
    WORKBOOK,
    Raw,
    formula,
    invoke,
    lie_about_sizes,
    raw_xlsx,
)
from bad_files import merged_template as merged_template  # the fixture is shared
from conftest import CHESHIRE_HEADER, write_csv, write_xlsx
from forge_fixtures import from_other_workspace, keyed_forge, old_format, unkeyed_forge
from merge_fixtures import CH02, small_chapter
from openpyxl import load_workbook

from harmonise.merge import limits as merge_limits
from harmonise.sources import tables

CHESHIRE = f"{CH02}/cheshire.xlsx"
MERSEY = f"{CH02}/merseyside.xlsx"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# ---- hand-made xlsx packages --------------------------------------------------------------------------------


ENTITY_TEXT = Raw('<c r="REF" t="inlineStr"><is><t>&b;</t></is></c>')  # a use of the entity declared above


# ---- running a case -------------------------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, str]:
    """Every file of the workspace and the SHA-256 of its bytes (an empty inter-process ``.lock`` file is not
    an output: ``decisions import`` takes the register's lock before it knows whether any row is valid)."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not (p.name.endswith(".lock") and p.stat().st_size == 0)
    }


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def workspace(merged_template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(merged_template, tmp_path / "ws"))


# ---- ways to break a workspace ------------------------------------------------------------------------------


def put(name: str, payload: bytes | Callable[[Path], bytes], remove: str = "") -> Callable[[Path], None]:
    """Replace (or create) workspace file ``name``; ``remove`` deletes another file first."""

    def breaks(root: Path) -> None:
        if remove:
            (root / remove).unlink()
        data = payload(root) if callable(payload) else payload
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)

    return breaks


def xlsx(name: str, sheets: dict[str, Sequence[Sequence[Any]]], prolog: str = "") -> Callable[[Path], None]:
    def breaks(root: Path) -> None:
        raw_xlsx(root / name, sheets, prolog)

    return breaks


def config(old: str, new: str, name: str = "harmonise.yaml") -> Callable[[Path], None]:
    def breaks(root: Path) -> None:
        text = (root / name).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        (root / name).write_text(text.replace(old, new, 1), encoding="utf-8")

    return breaks


def both(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def breaks(root: Path) -> None:
        for step in steps:
            step(root)

    return breaks


def truncated(root: Path) -> bytes:
    data = (root / CHESHIRE).read_bytes()
    return data[: len(data) // 2]


def zip_bomb(root: Path) -> None:
    lie_about_sizes(root / CHESHIRE)


def not_a_workbook_zip(root: Path) -> None:
    with zipfile.ZipFile(root / CHESHIRE, "w") as archive:
        archive.writestr("readme.txt", "hello")


def edit_workbook(cell: tuple[str, str], value: Any, target: str = WORKBOOK) -> Callable[[Path], None]:
    def breaks(root: Path) -> None:
        workbook = load_workbook(root / WORKBOOK)
        workbook[cell[0]][cell[1]].value = value
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        workbook.save(root / target)

    return breaks


def copy_workbook(target: str) -> Callable[[Path], None]:
    def breaks(root: Path) -> None:
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / WORKBOOK, root / target)

    return breaks


def entity_workbook(root: Path) -> None:
    """The working-group workbook with an entity declaration in its workbook part (openpyxl + defusedxml)."""
    source = zipfile.ZipFile(root / WORKBOOK)
    target = root / "reports/entities.xlsx"
    with zipfile.ZipFile(target, "w") as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = ENTITY_PROLOG.encode() + data
            archive.writestr(info.filename, data)


def protected_edit(root: Path) -> None:
    """A member typed a decision and also changed the Item text of the same row (a protected column)."""
    workbook = load_workbook(root / WORKBOOK)
    sheet = workbook["Decisions"]
    head = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=head.index("Item") + 1).value = "Something else"
    for column, value in (("Decision", "defer"), ("Meeting date", "2024-03-12"), ("Decided by", "Dr Shah")):
        sheet.cell(row=2, column=head.index(column) + 1).value = value
    workbook.save(root / WORKBOOK)


CSV_LIST = b"id,name\r\n1,Amlodipine 5mg tablets\r\n"
BOMB_YAML = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9)
)
SHEETS_WITHOUT_HEADER = {"Formulary": [["Cardiovascular drugs"], ["Amlodipine", "Green"]]}
MERGE = ("merge", "--chapter", "2")
STATUT = (
    f"{CHESHIRE}[Formulary] row 1: required 'status' column not found; expected a header 'Status' "
    "(did you mean Statut?)"
)
WRONG_CHAPTER = (
    f"{WORKBOOK}: this is the working-group workbook of chapter 02-cardiovascular, not of chapter "
    "04-central-nervous-system; nothing was imported"
)


@dataclass(frozen=True)
class Case:
    """One bad input: how to break the workspace, the command, what the message must say, the exit code."""

    id: str
    breaks: Callable[[Path], None]
    expected: tuple[str, ...]
    args: tuple[str, ...] = MERGE
    code: int = 2


CATALOGUE = [
    # -- legacy spreadsheets that cannot be read at all
    Case(
        "truncated-xlsx",
        put(CHESHIRE, truncated),
        (f"{CHESHIRE}: not a valid .xlsx file", "damaged, truncated or renamed"),
    ),
    Case(
        "text-renamed-xlsx",
        put(CHESHIRE, b"Drug,Status\r\nAmlodipine,Green\r\n"),
        (f"{CHESHIRE}: not a valid .xlsx file (it is not a zip package",),
    ),
    Case("empty-file-xlsx", put(CHESHIRE, b""), (f"{CHESHIRE}: not a valid .xlsx file",)),
    Case(
        "old-xls",
        put(f"{CH02}/cheshire.xls", OLE_MAGIC + bytes(504), remove=CHESHIRE),
        (f"{CH02}/cheshire.xls: this is an old Excel 97-2003 .xls file", "save it as .xlsx"),
    ),
    Case(
        "xls-renamed-xlsx",
        put(CHESHIRE, OLE_MAGIC + bytes(504)),
        (f"{CHESHIRE}: this is an old Excel 97-2003 workbook saved with an .xlsx name",),
    ),
    Case(
        "password-protected",
        put(CHESHIRE, OLE_MAGIC + bytes(64) + "EncryptedPackage".encode("utf-16-le")),
        (f"{CHESHIRE}: the workbook is password-protected", "remove the password"),
    ),
    Case("zip-not-a-workbook", not_a_workbook_zip, (f"{CHESHIRE}: damaged or unreadable workbook",)),
    Case("zip-bomb-declared-sizes", zip_bomb, (f"{CHESHIRE}: unpacks to", "MiB limit for a formulary workbook")),
    Case(
        "entity-expansion-in-sheet",
        xlsx(CHESHIRE, {"Formulary": [CHESHIRE_HEADER, [None, ENTITY_TEXT, "", "Green"]]}, ENTITY_PROLOG),
        (f"{CHESHIRE}: damaged or unreadable workbook",),
    ),
    Case(
        "entity-declaration-with-formula",
        xlsx(CHESHIRE, {"Formulary": [CHESHIRE_HEADER, [None, "Amlodipine", "", formula("1+1")]]}, ENTITY_PROLOG),
        (f"{CHESHIRE}: damaged or unsafe workbook XML (EntitiesForbidden",),
    ),
    Case(
        "empty-workbook",
        xlsx(CHESHIRE, {"Formulary": []}),
        (f"{CHESHIRE}: no header row found: looked for 'Drug' and 'Status' in the first 30 rows of the file",),
    ),
    Case(
        "no-recognisable-header",
        xlsx(CHESHIRE, SHEETS_WITHOUT_HEADER),
        (f"{CHESHIRE}: no header row found", "cannot be merged until these are fixed"),
    ),
    Case(
        "missing-sheet",
        config('file: "cheshire.*"', 'file: "cheshire.*"\n    sheet: Drugs'),
        (f"{CHESHIRE}: no sheet named 'Drugs'; sheets: Formulary",),
    ),
    Case(
        "duplicate-column-names",
        xlsx(CHESHIRE, {"Formulary": [["Drug", "Drug", "Status"], ["Amlodipine", "Amlodipine", "Green"]]}),
        (f"{CHESHIRE}[Formulary] row 1, column 'Drug': columns 'Drug', 'Drug' both match the 'drug' field",),
    ),
    Case(
        "missing-status-column",
        both(
            config('file: "cheshire.*"', 'file: "cheshire.*"\n    header_row: 1'),
            xlsx(CHESHIRE, {"Formulary": [["Drug", "Statut"], ["Amlodipine", "Green"]]}),
        ),
        (STATUT,),
    ),
    Case(
        "header-row-beyond-the-sheet",
        config('file: "cheshire.*"', 'file: "cheshire.*"\n    header_row: 90'),
        (f"{CHESHIRE}: no header row found",),
    ),
    Case(
        "missing-file",
        put(f"{CH02}/notes.txt", b"", remove=MERSEY),
        (f"{CH02}: no file matching 'merseyside.*' for source 'merseyside' in {CH02}/",),
    ),
    Case(
        "several-files",
        put(f"{CH02}/merseyside.csv", b"Medicine,RAG Status\r\n"),
        (f"{CH02}: several files match 'merseyside.*' for source 'merseyside': merseyside.csv, merseyside.xlsx",),
    ),
    Case(
        "csv-binary",
        put(f"{CH02}/merseyside.csv", b"\x00\x01\x02PK" * 20, remove=MERSEY),
        (f"{CH02}/merseyside.csv: this is not a text CSV file (it holds binary data)",),
    ),
    Case(
        "csv-unexpected-encoding",
        put(f"{CH02}/merseyside.csv", b"Medicine,RAG Status\r\nAmlo\x81dipine,Green\r\n", remove=MERSEY),
        (
            f"{CH02}/merseyside.csv: the CSV is neither UTF-8 nor Windows-1252 text (byte 0x81 at position 25)",
            "CSV UTF-8",
        ),
    ),
    Case(
        "csv-empty",
        put(f"{CH02}/merseyside.csv", b"", remove=MERSEY),
        (f"{CH02}/merseyside.csv: no header row found: looked for 'Medicine' and 'RAG Status'",),
    ),
    # -- the workspace configuration
    Case(
        "config-yaml-syntax-error",
        config("sources:\n", "sources: [\n"),
        ("harmonise.yaml: invalid YAML", "harmonise.yaml:4: while parsing a flow node expected the node content"),
    ),
    Case(
        "config-yaml-alias-bomb",
        put("harmonise.yaml", BOMB_YAML.encode()),
        ("harmonise.yaml: invalid YAML", "harmonise.yaml:1: YAML aliases (*name) are not allowed"),
    ),
    Case(
        "config-python-tag",
        config("title: Test harmonisation", 'title: !!python/object/apply:os.system ["echo hi"]'),
        ("harmonise.yaml:2: the YAML tag '!!python/object/apply:os.system' is not allowed",),
    ),
    Case(
        "config-duplicate-key",
        config("title: Test harmonisation", "title: A\ntitle: B"),
        ("harmonise.yaml:3: duplicate key 'title'",),
    ),
    Case(
        "config-not-utf8", put("harmonise.yaml", b"version: 1\ntitle: Caf\xe9\n"), ("harmonise.yaml: not UTF-8 text",)
    ),
    Case(
        "config-path-outside-workspace",
        config("rules: rules/default.yaml", "rules: ../../outside.yaml"),
        (
            "harmonise.yaml:",
            "rules: '../../outside.yaml' points outside the workspace folder",
        ),
    ),
    Case(
        "config-unknown-status",
        config("      grey: [Grey]\n  - key: merseyside", "      gery: [Grey]\n  - key: merseyside"),
        ("harmonise.yaml:", "sources[0].statuses.gery: unknown key 'gery' (did you mean grey?)"),
    ),
    Case(
        "config-missing",
        put("notes.txt", b"", remove="harmonise.yaml"),
        ("harmonise.yaml: no workspace configuration here",),
    ),
    # -- harmonisation rules (refused before any chapter is touched)
    Case(
        "rules-unknown-status",
        config("status: [black, non-formulary]", "status: [blak, non-formulary]", "rules/default.yaml"),
        ("rules/default.yaml:", "'blak' is not a status on the scale (did you mean black?)"),
    ),
    Case(
        "rules-unknown-status-check",
        config("status: [black, non-formulary]", "status: [blak]", "rules/default.yaml"),
        ("rules/default.yaml:", "'blak' is not a status on the scale"),
        ("rules", "check"),
    ),
    Case(
        "rules-unknown-source",
        config("{absent: any}", "{absent: wirral}", "rules/default.yaml"),
        ("rules/default.yaml:", "'wirral'", "cheshire, merseyside"),
        ("rules", "check"),
    ),
    Case(
        "rules-yaml-syntax-error",
        config("rules:\n", "rules: [\n", "rules/default.yaml"),
        ("the rules are not valid", "rules/default.yaml:9: while parsing a flow node"),
    ),
    Case(
        "rules-alias-bomb",
        put("rules/default.yaml", BOMB_YAML.encode()),
        ("rules/default.yaml:1: YAML aliases (*name) are not allowed",),
        ("rules", "check"),
    ),
    Case("rules-file-missing", put("notes.txt", b"", remove="rules/default.yaml"), ("rules/default.yaml", "not found")),
    # -- working-group workbooks brought back for import
    Case(
        "import-wrong-chapter",
        lambda root: None,
        (WRONG_CHAPTER,),
        ("decisions", "import", "--chapter", "4", "{root}/" + WORKBOOK),
    ),
    Case(
        "import-from-another-chapter-folder",
        copy_workbook("reports/04-central-nervous-system/working-group.xlsx"),
        ("but it is in the folder of chapter 04-central-nervous-system; nothing was imported",),
        ("decisions", "import", "{root}/reports/04-central-nervous-system/working-group.xlsx"),
    ),
    Case(
        "import-hidden-sheet-edited",
        edit_workbook(("Items", "B2"), "Something else", "reports/tampered.xlsx"),
        ("reports/tampered.xlsx: the workbook's hidden 'Items' sheet does not match its signature",),
        ("decisions", "import", "{root}/reports/tampered.xlsx"),
    ),
    Case(
        "import-headings-changed",
        edit_workbook(("Decisions", "C1"), "Medicine", "reports/renamed.xlsx"),
        ("reports/renamed.xlsx[Decisions] row 1: the column headings were changed (column 3: expected 'Item')",),
        ("decisions", "import", "{root}/reports/renamed.xlsx"),
    ),
    Case(
        "import-not-a-workbook",
        put("reports/notes.xlsx", b"not a workbook"),
        ("reports/notes.xlsx: cannot be read as an Excel workbook: not a valid .xlsx file",),
        ("decisions", "import", "{root}/reports/notes.xlsx"),
    ),
    Case(
        "import-legacy-spreadsheet",
        lambda root: None,
        (f"{CHESHIRE}: not a harmonise working-group workbook",),
        ("decisions", "import", "{root}/" + CHESHIRE),
    ),
    Case(
        "import-entity-declaration",
        entity_workbook,
        ("reports/entities.xlsx: cannot be read as an Excel workbook (it declares XML entities or a DTD",),
        ("decisions", "import", "{root}/reports/entities.xlsx"),
    ),
    Case(
        "import-zip-bomb",
        both(copy_workbook("reports/bomb.xlsx"), lambda root: lie_about_sizes(root / "reports/bomb.xlsx")),
        ("reports/bomb.xlsx: cannot be read as an Excel workbook: unpacks to",),
        ("decisions", "import", "{root}/reports/bomb.xlsx"),
    ),
    Case(
        "import-old-xls",
        put("reports/wg.xlsx", OLE_MAGIC + bytes(504)),
        ("reports/wg.xlsx: cannot be read as an Excel workbook: this is an old Excel 97-2003 workbook",),
        ("decisions", "import", "{root}/reports/wg.xlsx"),
    ),
    Case(
        "import-protected-column-edited",
        protected_edit,
        (f"{WORKBOOK}[Decisions] row 2, column 'Item': this protected column was changed",),
        ("decisions", "import", "{root}/" + WORKBOOK),
        code=1,
    ),
    # -- publishing and matching
    Case(
        "publish-unsettled",
        lambda root: None,
        ("chapter 2 Cardiovascular system cannot be published", "neither settled by a rule or decision"),
        ("publish", "--chapter", "2"),
    ),
    Case(
        "publish-unreadable-source",
        put(CHESHIRE, b"garbage"),
        (f"{CHESHIRE}: not a valid .xlsx file",),
        ("publish", "--chapter", "2"),
    ),
    Case(
        "match-missing-column",
        put("left.csv", b"code,drug\r\n1,Amlodipine\r\n"),
        ("left.csv row 1: missing column(s) 'id', 'name'",),
        ("match", "{root}/left.csv", "{root}/left.csv", "--out", "{root}/out.csv"),
    ),
    Case(
        "match-duplicate-id",
        put("left.csv", CSV_LIST + b"1,Ramipril 5mg capsules\r\n"),
        ("left.csv row 3: column 'id': duplicate id '1' (first on row 2)",),
        ("match", "{root}/left.csv", "{root}/left.csv", "--out", "{root}/out.csv"),
    ),
    Case(
        "match-old-xls",
        put("left.xls", OLE_MAGIC + bytes(100)),
        ("left.xls: this is an old Excel 97-2003 .xls file",),
        ("match", "{root}/left.xls", "{root}/left.xls", "--out", "{root}/out.csv"),
    ),
    Case(
        "match-file-not-found",
        lambda root: None,
        ("nope.csv: file not found",),
        ("match", "{root}/nope.csv", "{root}/nope.csv", "--out", "{root}/out.csv"),
    ),
]


# ---- issue 14, item 9: crashes that became located refusals, and clearer messages ------------------------------

DIGITS_5000 = "9" * 5000
DEEP_LIST = "[" * 500 + "x" + "]" * 500
DEEP_NOT = "{not: " * 25 + "{matched: auto}" + "}" * 25
DEEP_FLOW = "{not: " * 500 + "{matched: auto}" + "}" * 500
MERSEY_CSV = "Medicine,RAG Status\r\nAmlodipine 5mg tablets,Green\r\nAtorvastatin 20mg tablets,Green\r\n"
MATCHING_ORDER = "is above auto_score"
FILE_PATTERN = "must be a file name pattern inside the chapter folder"
NOT_A_DATE = "a number such as 2024 typed into a date cell reads as a day of 1905; type the full date as YYYY-MM-DD"
IMPORT = ("decisions", "import", "{root}/" + WORKBOOK)


def add_config(text: str) -> Callable[[Path], None]:
    """Append top-level YAML to harmonise.yaml."""

    def breaks(root: Path) -> None:
        with open(root / "harmonise.yaml", "a", encoding="utf-8") as handle:
            handle.write(text)

    return breaks


def decided(**typed: Any) -> Callable[[Path], None]:
    """The working-group workbook with row 2 filled in: Decision, Meeting date, Decided by, Rationale."""
    names = {"decision": "Decision", "meeting": "Meeting date", "by": "Decided by", "rationale": "Rationale"}
    values = {"decision": "retain both", "meeting": "2024-03-12", "by": "Dr Shah", "rationale": "agreed", **typed}

    def breaks(root: Path) -> None:
        workbook = load_workbook(root / WORKBOOK)
        sheet = workbook["Decisions"]
        head = [c.value for c in sheet[1]]
        for key, value in values.items():
            sheet.cell(row=2, column=head.index(names[key]) + 1).value = value
        workbook.save(root / WORKBOOK)

    return breaks


def linked_folder(folder: str) -> Callable[[Path], None]:
    """Move ``folder`` out of the workspace and leave a symbolic link to it in its place."""

    def breaks(root: Path) -> None:
        outside = root.parent / f"outside-{Path(folder).name}"
        shutil.move(str(root / folder), outside)
        (root / folder).symlink_to(outside, target_is_directory=True)

    return breaks


def mersey_csv(payload: bytes) -> Callable[[Path], None]:
    return put(f"{CH02}/merseyside.csv", payload, remove=MERSEY)


def copy_to_csv(root: Path) -> bytes:
    return (root / CHESHIRE).read_bytes()


ITEM_9 = [
    # -- matching thresholds and numbers
    Case(
        "matching-candidate-above-auto", add_config("matching: {candidate_score: 99}\n"), (f"99 {MATCHING_ORDER} (95)",)
    ),
    Case(
        "matching-candidate-above-own-auto",
        add_config("matching: {auto_score: 90, candidate_score: 92}\n"),
        (f"matching.candidate_score: 92 {MATCHING_ORDER} (90)",),
    ),
    Case(
        "matching-candidate-above-auto-check",
        add_config("matching: {candidate_score: 99}\n"),
        (f"{MATCHING_ORDER} (95)",),
        ("check", "--chapter", "2"),
    ),
    Case("matching-score-over-100", add_config("matching: {auto_score: 101}\n"), ("expected a number from 0 to 100",)),
    Case("matching-score-text", add_config("matching: {margin: lots}\n"), ("expected a number from 0 to 100",)),
    Case("matching-score-negative", add_config("matching: {margin: -1}\n"), ("expected a number from 0 to 100",)),
    Case("matching-unknown-key", add_config("matching: {auto: 90}\n"), ("matching.auto: unknown key 'auto'",)),
    Case(
        "integer-5000-digits-matching",
        add_config(f"matching: {{candidate_score: {DIGITS_5000}}}\n"),
        ("harmonise.yaml: invalid YAML", "a number with 5,000 digits"),
    ),
    Case(
        "integer-5000-digits-header-row",
        config('file: "cheshire.*"', f'file: "cheshire.*"\n    header_row: {DIGITS_5000}'),
        ("harmonise.yaml:7: a number with 5,000 digits",),
    ),
    Case(
        "integer-5000-digits-check",
        add_config(f"matching: {{auto_score: {DIGITS_5000}}}\n"),
        ("a number with 5,000 digits",),
        ("check", "--all"),
    ),
    Case(
        "float-400-digits",
        add_config(f"matching: {{margin: {'1' * 400}.5}}\n"),
        ("a number with 402 digits",),
    ),
    Case(
        "integer-5000-digits-in-rules",
        config("rules:\n", f"limit: {DIGITS_5000}\nrules:\n", "rules/default.yaml"),
        ("rules/default.yaml", "a number with 5,000 digits"),
        ("rules", "check"),
    ),
    Case(
        "integer-40-digits-as-key",
        add_config(f"{'9' * 40}: x\n"),
        ("harmonise.yaml", "a number with 40 digits"),
    ),
    Case(
        "config-nested-500-deep",
        config("title: Test harmonisation", f"title: {DEEP_LIST}"),
        ("harmonise.yaml:2: mappings and lists nested more than 40 levels deep",),
    ),
    # -- rule conditions
    Case(
        "rules-conditions-nested-500-deep",
        config("{absent: any}", DEEP_FLOW, "rules/default.yaml"),
        ("rules/default.yaml", "nested more than 40 levels deep"),
        ("rules", "check"),
    ),
    Case(
        "rules-conditions-nested-500-deep-merge",
        config("{absent: any}", DEEP_FLOW, "rules/default.yaml"),
        ("rules/default.yaml", "nested more than 40 levels deep"),
    ),
    Case(
        "rules-not-nested-25-deep",
        config("{absent: any}", DEEP_NOT, "rules/default.yaml"),
        ("conditions nested more than 20 deep (all / any / not); write them flatter",),
        ("rules", "check"),
    ),
    Case(
        "rules-all-empty-list",
        config("{absent: any}", "{all: []}", "rules/default.yaml"),
        (".all: the list of conditions is empty",),
        ("rules", "check"),
    ),
    Case(
        "rules-any-empty-list",
        config("{absent: any}", "{any: []}", "rules/default.yaml"),
        (".any: the list of conditions is empty",),
    ),
    Case(
        "rules-all-not-a-list",
        config("{absent: any}", "{all: {matched: auto}}", "rules/default.yaml"),
        (".all: expected a list of conditions, got",),
        ("rules", "check"),
    ),
    # -- paths that lead out of the workspace
    Case(
        "source-file-parent-glob",
        config('"cheshire.*"', '"../*/cheshire.*"'),
        (f"sources[0].file: '../*/cheshire.*' {FILE_PATTERN}",),
    ),
    Case("source-file-grandparent", config('"cheshire.*"', '"../../cheshire.*"'), (FILE_PATTERN,), ("check", "--all")),
    Case("source-file-absolute", config('"cheshire.*"', '"/etc/*"'), (f"'/etc/*' {FILE_PATTERN}",)),
    Case("source-file-subfolder", config('"cheshire.*"', '"exports/cheshire.*"'), (FILE_PATTERN,)),
    Case("source-file-backslash", config('"cheshire.*"', '"..\\\\\\\\cheshire.*"'), (FILE_PATTERN,)),
    Case("source-file-home", config('"cheshire.*"', '"~/cheshire.*"'), (FILE_PATTERN,)),
    Case(
        "symlinked-chapter-folder",
        linked_folder(CH02),
        (f"{CH02} is a symbolic link", "does not write through links, so nothing was written"),
    ),
    Case(
        "symlinked-reports-folder",
        linked_folder("reports/02-cardiovascular"),
        ("reports/02-cardiovascular is a symbolic link",),
    ),
    Case("symlinked-reports-root", linked_folder("reports"), ("reports is a symbolic link",)),
    # -- CSV files that are not what they say
    Case(
        "csv-utf16-without-bom",
        mersey_csv(MERSEY_CSV.encode("utf-16-le")),
        (f"{CH02}/merseyside.csv: this is not a text CSV file (it looks like UTF-16 text without a byte-order mark",),
    ),
    Case(
        "csv-utf16-big-endian-without-bom",
        mersey_csv(MERSEY_CSV.encode("utf-16-be")),
        ("it looks like UTF-16 text without a byte-order mark: save it from Excel as 'CSV UTF-8'",),
    ),
    Case(
        "csv-xlsx-renamed",
        put(f"{CH02}/merseyside.csv", copy_to_csv, remove=MERSEY),
        ("it is a zip package, most likely an .xlsx workbook renamed .csv: give it its .xlsx name back",),
    ),
    Case(
        "csv-xlsx-renamed-check",
        put(f"{CH02}/merseyside.csv", copy_to_csv, remove=MERSEY),
        ("most likely an .xlsx workbook renamed .csv",),
        ("check", "--chapter", "2"),
    ),
    Case(
        "csv-semicolon-one-column",
        mersey_csv(b"Export, March 2024\r\nMedicine;RAG Status\r\nAmlodipine;Green\r\nAtorvastatin;Green\r\n"),
        ("no header row found", "the file looks semicolon-separated"),
    ),
    Case(
        "csv-tab-one-column",
        mersey_csv(b"Export, March 2024\r\nMedicine\tRAG Status\r\nAmlodipine\tGreen\r\nAtorvastatin\tGreen\r\n"),
        ("no header row found", "the file looks tab-separated"),
    ),
    # -- header rows
    Case(
        "named-sheet-without-header",
        both(
            config('file: "cheshire.*"', 'file: "cheshire.*"\n    sheet: Formulary'),
            xlsx(CHESHIRE, SHEETS_WITHOUT_HEADER),
        ),
        ("no header row found: looked for 'Drug' and 'Status' in the first 30 rows of the sheet",),
    ),
    Case(
        "named-sheet-header-row-past-end",
        config('file: "cheshire.*"', 'file: "cheshire.*"\n    sheet: Formulary\n    header_row: 90'),
        ("header_row is 90 in harmonise.yaml, but the sheet has only", "or to 'auto'"),
    ),
    # -- the working group's decisions
    Case(
        "import-meeting-date-number-2024",
        decided(meeting=2024),
        (f"1905-07-16 is before 2000: {NOT_A_DATE}",),
        IMPORT,
        1,
    ),
    Case("import-meeting-date-number-1", decided(meeting=1), (f"1900-01-01 is before 2000: {NOT_A_DATE}",), IMPORT, 1),
    Case("import-meeting-date-number-negative", decided(meeting=-5), ("1899-12-25 is before 2000",), IMPORT, 1),
    Case("import-meeting-date-serial-1990", decided(meeting=32874), ("1990-01-01 is before 2000",), IMPORT, 1),
    Case("import-meeting-date-text", decided(meeting="next week"), ("'next week' is not a date",), IMPORT, 1),
    Case("import-meeting-date-future", decided(meeting="2999-01-01"), ("2999-01-01 is in the future",), IMPORT, 1),
    Case("import-meeting-date-blank", decided(meeting=None), ("the meeting date is required",), IMPORT, 1),
    Case(
        "import-rationale-zero-width-spaces",
        decided(rationale="\u200b\u200b\u200b"),
        ("a rationale is required (the committee reads it)",),
        IMPORT,
        1,
    ),
    Case(
        "import-rationale-joiners-and-bom",
        decided(rationale="\u200d\u2060\ufeff \u200c"),
        ("a rationale is required",),
        IMPORT,
        1,
    ),
    Case(
        "import-rationale-no-break-spaces", decided(rationale="\u00a0\u00a0"), ("a rationale is required",), IMPORT, 1
    ),
]


def one_substance_block(rows: int) -> Callable[[Path], None]:
    """Both sources list ``rows`` amlodipine rows: a substance block of rows x rows comparisons."""

    def breaks(root: Path) -> None:
        (root / CHESHIRE).unlink()
        (root / MERSEY).unlink()
        names = [f"Amlodipine {i % 50 + 1}mg tablets pack {i}" for i in range(rows)]
        write_csv(root / CH02 / "cheshire.csv", [CHESHIRE_HEADER, *[["02.06", n, "", "Green"] for n in names]])
        write_csv(root / CH02 / "merseyside.csv", [["Medicine", "RAG Status"], *[[n.upper(), "Green"] for n in names]])

    return breaks


ITEM_8 = [
    Case(
        "substance-block-too-large",
        one_substance_block(1001),
        (
            "its substance blocks need 1,002,001 comparisons, over the limit of 1,000,000",
            "substance block 'amlodipine': 1,001 entries from cheshire, 1,001 entries from merseyside",
        ),
    ),
    Case(
        "substance-block-too-large-all",
        one_substance_block(1200),
        ("1,440,000 comparisons", "nothing was written"),
        ("merge", "--all"),
    ),
    Case("matching-score-infinite", add_config("matching: {margin: .inf}\n"), ("expected a number from 0 to 100",)),
]
FORGED_ROW = "reports/forged-keyed.xlsx[Decisions] row 2, column 'Item key'"
ITEM_4 = [  # forged working-group workbooks (issue 14, item 4)
    Case(
        "import-forged-unkeyed-fingerprint",
        lambda root: unkeyed_forge(root, WORKBOOK, "reports/forged.xlsx"),
        ("reports/forged.xlsx: the workbook's hidden 'Items' sheet does not match its signature",),
        ("decisions", "import", "{root}/reports/forged.xlsx"),
    ),
    Case(
        "import-forged-exclude-for-an-adopted-item",
        lambda root: keyed_forge(root, WORKBOOK, "reports/forged-keyed.xlsx"),
        (FORGED_ROW, "was not escalated by the merge that wrote this workbook: rule R"),
        ("decisions", "import", "{root}/reports/forged-keyed.xlsx"),
        code=1,
    ),
    Case(
        "import-workbook-of-another-workspace",
        lambda root: from_other_workspace(root, WORKBOOK, "reports/foreign.xlsx"),
        ("reports/foreign.xlsx: this workbook was not signed by this workspace: it was written by another workspace",),
        ("decisions", "import", "{root}/reports/foreign.xlsx"),
    ),
    Case(
        "import-workbook-written-before-signing",
        lambda root: old_format(root, WORKBOOK),
        (f"{WORKBOOK}: this working-group workbook was written by an older harmonise, before workbooks were signed",),
        IMPORT,
    ),
    Case(
        "import-workspace-key-missing",
        lambda root: (root / "reports/.workspace-key").unlink(),
        (f"{WORKBOOK}: the workspace key reports/.workspace-key is missing", "restore the key from a backup"),
        IMPORT,
    ),
]
CATALOGUE += ITEM_9 + ITEM_8 + ITEM_4


@pytest.mark.parametrize("case", CATALOGUE, ids=[c.id for c in CATALOGUE])
def test_bad_input_is_refused_with_a_located_message_and_nothing_written(workspace: Path, case: Case) -> None:
    case.breaks(workspace)
    before = snapshot(workspace)
    result = invoke(workspace, *(a.replace("{root}", str(workspace)) for a in case.args))
    output = flat(result.output)
    assert result.exit_code == case.code, output
    for fragment in case.expected:
        assert flat(fragment) in output
    assert "Traceback" not in output and "internal error" not in output
    assert snapshot(workspace) == before, "a refused run must not write, half-write or change any file"


def test_catalogue_is_large_enough() -> None:
    assert len(CATALOGUE) >= 100 and len({c.id for c in CATALOGUE}) == len(CATALOGUE)


def test_too_many_rows_is_a_clear_limit(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "MAX_ROWS", 10)
    before = snapshot(workspace)
    result = invoke(workspace, *MERGE)
    assert result.exit_code == 2
    assert flat(
        f"{CHESHIRE}[Formulary]: 18 rows, over the limit of 10 rows for one sheet; split the export by BNF chapter"
    ) in flat(result.output)
    assert snapshot(workspace) == before
    (workspace / CHESHIRE).unlink()
    write_csv(workspace / CH02 / "cheshire.csv", [CHESHIRE_HEADER] * 12)
    before = snapshot(workspace)
    result = invoke(workspace, *MERGE)
    assert result.exit_code == 2
    assert flat(f"{CH02}/cheshire.csv: over the limit of 10 rows; split the export") in flat(result.output)
    assert snapshot(workspace) == before


# ---- row-level data problems: findings, not refusals -------------------------------------------------------

FINDING_ROWS: list[tuple[str, list[Any], str]] = [
    (
        "error-cell-status",
        [None, "Amlodipine", "Tablets 5mg", NA_ERROR],
        "row 4, column 'Status': the cell holds the Excel error #N/A; the item goes to the working group",
    ),
    (
        "error-cell-drug",
        [None, NA_ERROR, "Tablets 5mg", "Green"],
        "row 4, column 'Drug': the cell holds the Excel error #N/A; the row was not loaded",
    ),
    (
        "formula-without-value-drug",
        [None, formula('A1&"x"'), "Tablets 5mg", "Green"],
        "row 4, column 'Drug': the cell holds a formula with no saved value (=A1&\"x\"); the row was not loaded",
    ),
    (
        "formula-without-value-notes",
        [None, "Amlodipine", "Tablets 5mg", "Green", None, None, formula("1/0")],
        "row 4, column 'Notes': the cell holds a formula with no saved value (=1/0); read as blank",
    ),
    (
        "date-as-drug-name",
        [None, Raw('<c r="REF" s="0"><v>45292</v></c>'), "Tablets 5mg", "Green"],
        "row 4, column 'Drug': expected a drug name, found number '45292'",
    ),
    (
        "unknown-status-word",
        [None, "Amlodipine", "Tablets 5mg", "Ambr"],
        "row 4, column 'Status': 'Ambr' is not in the cheshire status vocabulary",
    ),
    (
        "homoglyph-status-word",
        [None, "Amlodipine", "Tablets 5mg", "Gr\u0435\u0435n"],
        "row 4, column 'Status': 'Gr\u0435\u0435n' is not in the cheshire status vocabulary (the letter '\u0435' is "
        "CYRILLIC SMALL LETTER IE, not a Latin letter)",
    ),
    (
        "empty-drug-name",
        [None, None, "Tablets 5mg", "Green"],
        "row 4, column 'Drug': a row with details but no drug name",
    ),
]


def located_findings(root: Path) -> list[str]:
    """``check --json``'s findings as a person reads them: file[sheet] row N, column 'X': message."""
    import json

    result = invoke(root, "check", "--chapter", "2", "--json")
    assert result.exit_code == 1, result.output
    return [
        f"{f['file']}[{f['sheet']}] row {f['row']}, column {f['column']!r}: {f['message']}"
        for c in json.loads(result.output)["chapters"]
        for f in c["findings"]
    ]


@pytest.mark.parametrize(("row", "message"), [c[1:] for c in FINDING_ROWS], ids=[c[0] for c in FINDING_ROWS])
def test_row_level_problem_is_a_located_finding_and_merge_goes_on(
    workspace: Path, row: list[Any], message: str
) -> None:
    rows = [["Cheshire formulary"], [], CHESHIRE_HEADER, row, ["02.12", "Atorvastatin", "Tablets 20mg", "Green"]]
    raw_xlsx(workspace / CHESHIRE, {"Formulary": rows})
    [finding] = [f for f in located_findings(workspace) if f.startswith(CHESHIRE)]
    assert finding.startswith(f"{CHESHIRE}[Formulary] {message}")
    merged = invoke(workspace, *MERGE, "--json")
    assert merged.exit_code == 0, merged.output


def test_a_real_date_in_the_drug_column_is_reported_as_a_date(workspace: Path) -> None:
    import datetime as dt

    rows = [CHESHIRE_HEADER, ["02.05", dt.datetime(2024, 1, 1), "Tablets 5mg", "Green"]]
    write_xlsx(workspace / CHESHIRE, {"Formulary": rows})
    assert (
        f"{CHESHIRE}[Formulary] row 2, column 'Drug': expected a drug name, found date '2024-01-01'"
        in located_findings(workspace)
    )


def test_an_error_status_is_escalated_never_read_as_blank_or_adopted(workspace: Path) -> None:
    from harmonise.merge.run import run_merge
    from harmonise.workspace.config import load_workspace

    rows = [CHESHIRE_HEADER, ["02.12", "Atorvastatin", "Tablets 20mg", NA_ERROR]]
    raw_xlsx(workspace / CHESHIRE, {"Formulary": rows})
    space = load_workspace(workspace)
    merge = run_merge(space, [space.chapter("2")], write=False).chapters[0]
    [atorvastatin] = [r for r in merge.results if r.item.name.startswith("Atorvastatin")]
    assert atorvastatin.outcome.kind == "escalate" and atorvastatin.outcome.decided_by == "data-error"
    assert "status '#N/A' is not in the cheshire vocabulary" in atorvastatin.outcome.rationale
    assert [f.kind for f in merge.findings] == ["unreadable-cell"]


# ---- a 100,000-row sheet ------------------------------------------------------------------------------------

BIG_ROWS = 100_000
DRUGS = ("Amlodipine", "Atorvastatin", "Ramipril", "Bisoprolol", "Furosemide", "Simvastatin", "Losartan")


@pytest.fixture(scope="session")
def big_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Chapter 2 with a 100,000-row Cheshire sheet (written by hand in about a second), built once."""
    root = small_chapter(tmp_path_factory.mktemp("big") / "ws")
    rows: list[list[Any]] = [CHESHIRE_HEADER]
    rows += [
        ["02.05", f"{DRUGS[i % 7]} {i}", f"Tablets {i % 50 + 1}mg", "Green", "", "", "", "", f"C{i}"]
        for i in range(BIG_ROWS)
    ]
    rows[5000][3] = NA_ERROR  # one error cell makes the whole sheet go through the XML scan
    raw_xlsx(root / CHESHIRE, {"Formulary": rows})
    return root


@pytest.fixture(scope="session")
def big_load(big_workspace: Path) -> Any:
    """The big chapter loaded once (the slow part: how long it takes is measured by benchmarks/chapter_size.py,
    never asserted here, as the machines are shared)."""
    from harmonise.sources.load import load_chapter
    from harmonise.workspace.config import load_workspace

    space = load_workspace(big_workspace)
    return load_chapter(space, space.chapter("2"))


def test_a_100000_row_sheet_is_loaded_whole_with_its_error_cell_located(big_load: Any) -> None:
    loaded = big_load
    assert len(loaded.entries_of("cheshire")) == BIG_ROWS
    [finding] = [f for f in loaded.findings if f.source == "cheshire"]
    assert str(finding).startswith(f"{CHESHIRE}[Formulary] row 5001, column 'Status': the cell holds the Excel error")


def test_a_100000_row_chapter_is_refused_by_merge_with_a_clear_limit(
    big_workspace: Path, big_load: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import harmonise.merge.run

    root = Path(shutil.copytree(big_workspace, tmp_path / "ws"))
    monkeypatch.setattr(harmonise.merge.run, "load_chapter", lambda workspace, chapter: big_load)  # loaded above
    before = snapshot(root)
    result = invoke(root, *MERGE)
    assert result.exit_code == 2
    limit = f"{merge_limits.MAX_CHAPTER_ENTRIES:,}"
    assert flat(f"over the limit of {limit} entries from one source that a merge can hold") in flat(result.output)
    assert flat(f"{CHESHIRE}: {BIG_ROWS:,} entries from cheshire") in flat(result.output)
    assert snapshot(root) == before


def test_an_output_that_cannot_be_replaced_is_a_clear_error_not_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pharmacist has the draft open in Excel, which on Windows refuses the rename: exit 2, file named."""
    from merge_fixtures import CH02, small_chapter

    from harmonise.output import files as fileio

    root = small_chapter(tmp_path / "ws")
    assert invoke(root, "merge", "--chapter", "2").exit_code == 0
    before = (root / CH02 / "harmonised-draft.xlsx").read_bytes()
    real_replace = fileio.os.replace

    def locked_by_excel(source: str, target: str) -> None:
        if str(target).endswith("harmonised-draft.xlsx"):
            raise PermissionError(13, "Permission denied", str(target))
        real_replace(source, target)

    monkeypatch.setattr(fileio.os, "replace", locked_by_excel)
    result = invoke(root, "merge", "--chapter", "2")
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())
    assert "harmonised-draft.xlsx: permission denied; if the file is open in Excel" in message
    assert "internal error" not in message
    assert (root / CH02 / "harmonised-draft.xlsx").read_bytes() == before
    assert not [p for p in (root / CH02).iterdir() if p.name.endswith(".tmp")]
