"""Reading the rows of one legacy sheet below its header into entries and located findings.

Title rows above the header are skipped; chapter/section heading rows inside the table set the section
carried down to the drugs under them; every problem (unknown status word, empty drug name, unreadable
cell, section outside the chapter...) becomes a ``Finding`` with file, sheet, row and column.
"""

from __future__ import annotations

import re
import unicodedata

from harmonise.errors import did_you_mean
from harmonise.model import Chapter, Entry, Provenance, content_key
from harmonise.sources.findings import Finding, Severity
from harmonise.sources.loaded import Gap, SourceLoad
from harmonise.sources.tables import EMPTY, Cell, Table
from harmonise.workspace import FIELDS, SourceConfig, normalise_word

HEADER_SCAN_ROWS = 30
SECTION_RE = re.compile(r"^(?:(?:bnf\s+)?(?:section|chapter)\s*)?(\d{1,2}(?:\.\d{1,2}){0,3})\b[\s:.\-–—]*(.*)$", re.I)
STRENGTH_RE = re.compile(r"\d\s*(?:mg|g|mcg|micrograms?|microgram|ml|units?|%|nanograms?)\b", re.I)
UNREADABLE = ("error", "formula")  # cell kinds from ``tables``: an Excel error, a formula without its value


def normalise_section(text: str) -> str:
    """``2.12`` -> ``02.12``; ``9.1.1`` -> ``09.01.01``; anything else is returned trimmed."""
    match = re.fullmatch(r"\s*(\d{1,2}(?:\.\d{1,2}){0,3})\s*", text)
    if not match:
        return text.strip()
    return ".".join(f"{int(part):02d}" for part in match.group(1).split("."))


def section_in_chapter(section: str, chapter: Chapter) -> bool:
    head = section.split(".")[0]
    # isdecimal, not isdigit: a superscript such as "²" is a digit that int() cannot read
    return not head.isdecimal() or not chapter.number.isdecimal() or int(head) == int(chapter.number)


def _header_fields(row: list[Cell], source: SourceConfig) -> dict[str, list[int]]:
    names = {f: {normalise_word(a) for a in alts} for f, alts in source.columns.items()}
    found: dict[str, list[int]] = {}
    for col, cell in enumerate(row):
        word = normalise_word(cell.text)
        for name, alternatives in names.items():
            if word and word in alternatives:
                found.setdefault(name, []).append(col)
    return found


def find_header(table: Table, source: SourceConfig) -> int | None:
    """Index of the header row: the configured row, or the first row naming the drug and status columns."""
    if source.header_row is not None:
        index = source.header_row - 1
        return index if index < len(table.rows) else None
    for index, row in enumerate(table.rows[:HEADER_SCAN_ROWS]):
        found = _header_fields(row, source)
        if "drug" in found and "status" in found:
            return index
    return None


def not_latin(word: str) -> str:
    """`` (the letter 'е' is CYRILLIC SMALL LETTER IE, not a Latin letter)`` for a word that looks Latin but
    is not: a status word pasted from elsewhere, which no vocabulary word can equal."""
    for ch in word:
        if ch.isalpha() and not ch.isascii() and not unicodedata.name(ch, "").startswith("LATIN"):
            return f" (the letter {ch!r} is {unicodedata.name(ch, 'an unnamed character')}, not a Latin letter)"
    return ""


def merged_header_rows(rows: list[list[Cell]], header: int) -> int:
    """Rows under the header that only repeat it: a header cell merged over two rows is read into both."""
    count, head = 0, [c.text for c in rows[header]]
    for row in rows[header + 1 : header + 3]:
        texts = [c.text for c in row]
        filled = [i for i, t in enumerate(texts) if t]
        if not filled or any(i >= len(head) or head[i] != texts[i] for i in filled):
            break
        count += 1
    return count


class SheetReader:
    """Reads the data rows of one sheet below its header."""

    def __init__(self, table: Table, source: SourceConfig, chapter: Chapter, result: SourceLoad) -> None:
        self.table, self.source, self.chapter, self.result = table, source, chapter, result
        self.section = ""
        self.columns: dict[str, int] = {}
        self.headers: dict[str, str] = {}

    def finding(
        self,
        severity: Severity,
        kind: str,
        message: str,
        row: int | None = None,
        field_name: str = "",
        value: str = "",
        expected: str = "",
    ) -> None:
        column = self.headers.get(field_name, field_name)
        self.result.findings.append(
            Finding(
                severity,
                kind,
                self.table.file,
                message,
                self.table.sheet,  # type: ignore[arg-type]
                row,
                column,
                value,
                expected,
                self.source.key,
            )
        )

    def read(self) -> None:
        header = find_header(self.table, self.source)
        if header is None:
            self.finding("error", "no-header", self.no_header_message(), self.source.header_row)
            return
        if not self.map_columns(header):
            return
        first = header + 1 + merged_header_rows(self.table.rows, header)
        for index in range(first, len(self.table.rows)):
            self.read_row(index)

    def no_header_message(self) -> str:
        """Why no header was found: a configured ``header_row`` past the sheet's end, or none in the first rows."""
        wanted = " and ".join(repr(self.source.columns.get(f, (f,))[0]) for f in ("drug", "status"))
        if self.source.header_row is None:
            return f"no header row found: looked for {wanted} in the first {HEADER_SCAN_ROWS} rows of the sheet"
        return (
            f"header_row is {self.source.header_row} in harmonise.yaml, but the sheet has only "
            f"{len(self.table.rows)} rows; set it to the row holding {wanted}, or to 'auto'"
        )

    def map_columns(self, header: int) -> bool:
        row = self.table.rows[header]
        found = _header_fields(row, self.source)
        for name, cols in found.items():
            self.columns[name] = cols[0]
            self.headers[name] = row[cols[0]].text  # first, so a finding names the column by its header
            if len(cols) > 1:
                heads = ", ".join(repr(row[c].text) for c in cols)
                self.finding(
                    "error",
                    "duplicate-column",
                    f"columns {heads} both match the {name!r} field; "
                    "rename one or name the exact header in harmonise.yaml",
                    header + 1,
                    name,
                )
            self.result.headers.setdefault(name, row[cols[0]].text)
        headers = [c.text for c in row if c.text]
        for name in ("drug", "status"):
            if name not in found:
                wanted = self.source.columns.get(name, (name,))
                self.finding(
                    "error",
                    "missing-column",
                    f"required {name!r} column not found; expected a header {' or '.join(map(repr, wanted))}"
                    f"{did_you_mean(wanted[0], headers)}",
                    header + 1,
                    expected=wanted[0],
                )
        return "drug" in found and "status" in found and not any(len(c) > 1 for c in found.values())

    def cell(self, row: list[Cell], name: str) -> Cell:
        col = self.columns.get(name)
        return row[col] if col is not None and col < len(row) else EMPTY

    def read_row(self, index: int) -> None:
        row = self.table.rows[index]
        filled = [c for c in row if c.text]
        if not filled or self.is_heading(row, filled, index + 1):
            return
        raw = {name: self.cell(row, name) for name in FIELDS}
        unreadable = self.report_unreadable(raw, index + 1)
        values = {name: EMPTY if name in unreadable - {"status"} else cell for name, cell in raw.items()}
        self.note_section(values["section"], index + 1)
        drug = values["drug"]
        if "drug" in unreadable:
            self.gap(index + 1, "", f"the drug cell holds {raw['drug'].text}, so the row could not be read")
            return
        if not drug.text:
            self.finding(
                "error",
                "empty-drug",
                "a row with details but no drug name",
                index + 1,
                "drug",
                expected="the drug name",
            )
            self.gap(index + 1, "", "a row with details but no drug name")
            return
        if drug.kind != "text" or drug.text.startswith("#"):
            self.finding(
                "error",
                "bad-drug",
                f"expected a drug name, found {drug.kind} {drug.text!r}",
                index + 1,
                "drug",
                drug.text,
                "the drug name as text",
            )
            self.gap(index + 1, "", f"the drug cell holds the {drug.kind} {drug.text!r}, not a drug name")
            return
        self.result.entries.append(self.make_entry(values, index + 1, "status" in unreadable))

    def gap(self, row: int, name: str, reason: str) -> None:
        """Record a row that may list a medicine but could not be read as an entry (see ``Gap``)."""
        where = Provenance(self.table.file, self.table.sheet, row)
        self.result.gaps.append(Gap(self.source.key, where, self.section, name, reason))

    def report_unreadable(self, values: dict[str, Cell], row: int) -> set[str]:
        """Report each error cell (``#N/A``) and value-less formula; returns the fields that hold one.

        A row whose drug name is unreadable is not loaded; an unreadable status is kept as its text, so the
        item is escalated as a data error; any other unreadable field is read as blank.
        """
        found = {name for name, cell in values.items() if cell.kind in UNREADABLE}
        for name in sorted(found, key=FIELDS.index):
            cell = values[name]
            what = (
                f"the Excel error {cell.text}"
                if cell.kind == "error"
                else f"a formula with no saved value ({cell.text})"
            )
            effect = {"drug": "the row was not loaded", "status": "the item goes to the working group"}.get(
                name, "read as blank"
            )
            self.finding(
                "error",
                "unreadable-cell",
                f"the cell holds {what}; {effect}. Fix it in the source "
                "(or open and save it in Excel so values are stored) and run again",
                row,
                name,
                cell.text,
                "a value",
            )
        return found

    def is_heading(self, row: list[Cell], filled: list[Cell], number: int) -> bool:
        """A row with one filled cell, outside the status column, is a chapter/section heading; a name alone
        in the drug column with no section number may be a heading or an entry: reported, never dropped."""
        if len(filled) != 1 or self.cell(row, "status").text or filled[0].kind in UNREADABLE:
            return False
        text = filled[0].text
        match = SECTION_RE.match(text)
        if not match and STRENGTH_RE.search(text):
            return False  # a drug with a strength and nothing else: a data row whose status is blank
        if match:
            section = normalise_section(match.group(1))
            if "." in section or match.group(2):
                self.section = section if "." in section else self.section
        elif self.cell(row, "drug") is filled[0]:
            self.report_ambiguous(text, number)
        return True

    def report_ambiguous(self, text: str, row: int) -> None:
        self.finding(
            "error",
            "ambiguous-row",
            f"{text!r} is alone on its row: a heading or a drug with its other cells empty? It is not read as "
            "an entry, nor as 'not listed'; number the heading (e.g. '2.2 Diuretics') or fill in the row",
            row,
            "drug",
            text,
            "a numbered heading, or a drug with its status",
        )
        self.gap(row, text, f"{text!r} is alone on its row (a heading or an entry?)")

    def note_section(self, cell: Cell, row: int) -> None:
        if not cell.text:
            return
        match = SECTION_RE.match(cell.text)
        self.section = normalise_section(match.group(1)) if match else cell.text
        if cell.kind == "number":
            self.finding(
                "warning",
                "numeric-section",
                f"section {cell.text!r} was typed as a number; format the column as text (2.10 reads as 2.1)",
                row,
                "section",
                cell.text,
            )

    def make_entry(self, values: dict[str, Cell], row: int, status_reported: bool = False) -> Entry:
        word = values["status"].text
        status = self.source.status_of(word) if word and not status_reported else None
        if not status_reported:
            self.check_status(word, status, row)
        self.check_section(row)
        membership = values["membership"].text
        if membership and self.source.membership_of(membership) is None:
            self.finding(
                "warning",
                "unknown-membership",
                f"formulary membership {membership!r} is not a word "
                "harmonise knows (formulary, non-formulary, restricted)",
                row,
                "membership",
                membership,
            )
        text = {name: values[name].text for name in FIELDS}
        key = content_key(
            self.source.key,
            text["drug"],
            text["formulation"],
            self.section,
            word,
            text["line"],
            text["membership"],
            text["notes"],
            text["nice_ta"],
            text["brand"],
            text["id"],
        )
        return Entry(
            source=self.source.key,
            name=text["drug"],
            formulation=text["formulation"],
            section=self.section,
            status=status,
            status_word=word,
            line=text["line"],
            membership=text["membership"],
            notes=text["notes"],
            nice_ta=text["nice_ta"],
            brand=text["brand"],
            ref=text["id"],
            provenance=Provenance(self.table.file, self.table.sheet, row),
            key=key,
        )

    def check_status(self, word: str, status: str | None, row: int) -> None:
        if not word:
            self.finding("error", "blank-status", "the status is blank", row, "status", expected="a status word")
        elif status is None:
            known = sorted(self.source.words)
            self.finding(
                "error",
                "unknown-status",
                f"{word!r} is not in the {self.source.key} status vocabulary{not_latin(word)}"
                f"{did_you_mean(word, known)}",
                row,
                "status",
                word,
                ", ".join(known),
            )

    def check_section(self, row: int) -> None:
        if self.section and not section_in_chapter(self.section, self.chapter):
            self.finding(
                "error",
                "section-outside-chapter",
                f"section {self.section} is not in chapter {self.chapter.number} ({self.chapter.title})",
                row,
                "section",
                self.section,
                f"a section of chapter {self.chapter.number}",
            )
