"""Loading one chapter's legacy spreadsheets into validated ``Entry`` records and located ``Finding``s.

Legacy exports are messy: title rows above the header, section heading rows inside the table (their section
is carried down to the drugs under them), merged cells, stray spaces. Reading never stops at the first bad
row: every finding is collected so the pharmacist can fix the source in one pass.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from harmonise.errors import InputError, did_you_mean
from harmonise.model import Chapter, Entry, content_key
from harmonise.sources.findings import Finding
from harmonise.sources.loaded import ChapterLoad, SourceLoad
from harmonise.sources.sheet import HEADER_SCAN_ROWS, SheetReader, find_header
from harmonise.sources.tables import Table, read_tables
from harmonise.workspace import SourceConfig, Workspace, normalise_word

SUPPORTED = (".xlsx", ".xlsm", ".csv", ".xls")


def find_source_file(workspace: Workspace, chapter: Chapter, source: SourceConfig) -> list[Path]:
    folder = workspace.chapter_dir(chapter)
    return sorted(
        p
        for p in folder.glob(source.file)
        if p.is_file() and p.suffix.lower() in SUPPORTED and not p.name.startswith(("~$", "."))
    )


def relative(workspace: Workspace, path: Path) -> str:
    try:
        return path.resolve().relative_to(workspace.root).as_posix()
    except ValueError:
        return str(path)


def load_chapter(workspace: Workspace, chapter: Chapter) -> ChapterLoad:
    """Load every source of ``chapter``; unreadable files raise InputError, data problems become findings."""
    sources = workspace.sources_for(chapter)
    if len(sources) < 2:
        raise InputError(
            f"chapter {chapter.label}: only {len(sources)} source(s) cover it; harmonising needs two "
            "or more (see 'chapters:' of the sources in harmonise.yaml)"
        )
    return ChapterLoad(chapter, [load_source(workspace, chapter, source) for source in sources])


def load_source(workspace: Workspace, chapter: Chapter, source: SourceConfig) -> SourceLoad:
    files = find_source_file(workspace, chapter, source)
    folder = relative(workspace, workspace.chapter_dir(chapter))
    if not files:
        finding = Finding(
            "error",
            "missing-file",
            folder,
            f"no file matching {source.file!r} for source {source.key!r} in {folder}/",
            expected=source.file,
            source=source.key,
        )
        return SourceLoad(source.key, None, findings=[finding])
    if len(files) > 1:
        names = ", ".join(p.name for p in files)
        finding = Finding(
            "error",
            "several-files",
            folder,
            f"several files match {source.file!r} for source "
            f"{source.key!r}: {names}; keep one or make 'file' in harmonise.yaml more exact",
            source=source.key,
        )
        return SourceLoad(source.key, None, findings=[finding])
    display = relative(workspace, files[0])
    result = SourceLoad(source.key, files[0])
    tables = read_tables(files[0], display)
    for table in select_tables(tables, source, result):
        SheetReader(table, source, chapter, result).read()
    check_duplicates(result)
    result.entries = unique_keys(result.entries)
    return result


def unique_keys(entries: list[Entry]) -> list[Entry]:
    """Exact duplicate rows share a content key; the second and later get the occurrence in theirs."""
    seen: dict[str, int] = {}
    out = []
    for entry in entries:
        count = seen[entry.key] = seen.get(entry.key, 0) + 1
        out.append(entry if count == 1 else replace(entry, key=content_key(entry.key, str(count))))
    return out


def select_tables(tables: list[Table], source: SourceConfig, result: SourceLoad) -> list[Table]:
    """The configured sheet, or every sheet that has a recognisable header."""
    if source.sheet and any(t.sheet for t in tables):  # a CSV file has no sheets: 'sheet' does not apply
        chosen = [t for t in tables if t.sheet == source.sheet]
        if not chosen:
            names = [t.sheet for t in tables]
            result.findings.append(
                Finding(
                    "error",
                    "missing-sheet",
                    tables[0].file,
                    f"no sheet named {source.sheet!r}{did_you_mean(source.sheet, names)}; sheets: {', '.join(names)}",
                    value=source.sheet,
                    source=source.key,
                )
            )
        return chosen
    with_header = [t for t in tables if find_header(t, source) is not None]
    for table in (t for t in with_header if t.visibility != "visible"):
        result.findings.append(hidden_sheet_finding(table, source))
    with_header = [t for t in with_header if t.visibility == "visible"]
    if not with_header:
        wanted = " and ".join(repr(source.columns[f][0]) for f in ("drug", "status") if f in source.columns)
        result.findings.append(
            Finding(
                "error",
                "no-header",
                tables[0].file,
                f"no header row found: looked for {wanted} in the first {HEADER_SCAN_ROWS} rows of "
                f"{'every sheet' if len(tables) > 1 else 'the file'}{delimiter_hint(tables, source)}",
                expected=wanted,
                source=source.key,
            )
        )
    return with_header


DELIMITERS = {";": "semicolon", "|": "vertical bar"}
SAVE_AS = "save it from Excel as 'CSV UTF-8 (Comma delimited)'"


def delimiter_hint(tables: list[Table], source: SourceConfig) -> str:
    """For a CSV read into one column: which separator its cells hold (a ';' or tab export read as ',')."""
    if not tables or not tables[0].file.lower().endswith(".csv"):
        return ""
    cells = [c.text for row in tables[0].rows[:HEADER_SCAN_ROWS] for c in row if c.text]
    for mark, name in DELIMITERS.items():
        if sum(mark in text for text in cells) > len(cells) // 2:
            return f"; its cells hold {name}s ({mark!r}): the file looks {name}-separated; {SAVE_AS}"
    wanted = [normalise_word(source.columns.get(f, (f,))[0]) for f in ("drug", "status")]
    if any(all(w in normalise_word(text) for w in wanted) for text in cells):  # tabs are read as spaces
        return f"; one cell holds both headers: the file looks tab-separated (or uses another separator); {SAVE_AS}"
    return ""


def hidden_sheet_finding(table: Table, source: SourceConfig) -> Finding:
    """A hidden sheet that looks like data is skipped: what nobody sees in Excel was never reviewed."""
    return Finding(
        "warning",
        "hidden-sheet",
        table.file,
        f"the {table.visibility} sheet {table.sheet!r} has the source's header but was skipped: hidden sheets are "
        f"not read unless harmonise.yaml names them ('sheet: {table.sheet}' under source {source.key!r})",
        table.sheet,
        value=table.visibility,
        source=source.key,
    )


def check_duplicates(result: SourceLoad) -> None:
    """The same drug and formulation twice in one source: a warning, or an error if the statuses differ."""
    first: dict[str, Entry] = {}
    for entry in result.entries:
        key = content_key(entry.name, entry.formulation)
        seen = first.setdefault(key, entry)
        if seen is entry:
            continue
        p = entry.provenance
        if seen.status_word and normalise_word(seen.status_word) != normalise_word(entry.status_word):
            result.findings.append(
                Finding(
                    "error",
                    "conflicting-duplicate",
                    p.file,
                    f"{entry.name} {entry.formulation}".strip() + f" is also listed at row {seen.provenance.row} "
                    f"with status {seen.status_word!r}, here {entry.status_word!r}",
                    p.sheet,
                    p.row,
                    "",
                    entry.name,
                    source=entry.source,
                )
            )
        else:
            result.findings.append(
                Finding(
                    "warning",
                    "duplicate-entry",
                    p.file,
                    f"{entry.name} {entry.formulation}".strip() + f" is also listed at row {seen.provenance.row}",
                    p.sheet,
                    p.row,
                    "",
                    entry.name,
                    source=entry.source,
                )
            )
