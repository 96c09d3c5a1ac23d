"""Property-based tests (hypothesis) of the spreadsheet parser and of the merge's no-loss invariant.

The normaliser's own properties (never raises on arbitrary text, idempotent on realistic names, names that
differ in strength, release or form never auto-match) live with the matcher in ``test_normalise.py`` and
``test_match.py``; they are not repeated here.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from conftest import make_workspace
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harmonise.errors import InputError
from harmonise.matching.cluster import MatchOptions
from harmonise.matching.parse import parse_name
from harmonise.merge.chapter import entries_accounted, merge_loaded
from harmonise.model import Entry, Provenance, content_key
from harmonise.rules.engine import load_rules
from harmonise.sources.load import unique_keys
from harmonise.sources.loaded import ChapterLoad, SourceLoad
from harmonise.sources.sheet import SheetReader, normalise_section
from harmonise.sources.tables import Cell, Table, clean_text, read_csv_rows
from harmonise.workspace.config import Workspace, load_workspace

REPO = Path(__file__).resolve().parents[1]
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MERGES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---- the parser ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="harmonise-properties-"))
    yield folder
    shutil.rmtree(folder)


@FAST
@given(st.binary(max_size=400) | st.text(max_size=200).map(lambda t: t.encode("utf-8")))
def test_reading_any_csv_bytes_gives_rows_or_a_located_input_error(scratch: Path, payload: bytes) -> None:
    path = scratch / "any.csv"
    path.write_bytes(payload)
    try:
        rows = read_csv_rows(path, "chapters/02/any.csv")
    except InputError as exc:
        assert str(exc).startswith("chapters/02/any.csv: ")
        return
    assert all(isinstance(c, Cell) and c.text == clean_text(c.text) for row in rows for c in row)


CELL_TEXT = st.text(max_size=12) | st.sampled_from(["Green", "Red", "Ambr", "2.12", "02.06.02", "#N/A", "Tablets 5mg"])


@FAST
@given(st.lists(st.lists(CELL_TEXT, max_size=5), max_size=8))
def test_any_sheet_below_a_header_loads_without_crashing_and_keeps_provenance(grid: list[list[str]]) -> None:
    workspace = two_source_workspace()
    source = workspace.source("merseyside")
    rows = [[Cell("Chapter/Section"), Cell("Medicine"), Cell("Form"), Cell("RAG Status")]]
    rows += [[Cell(clean_text(text)) for text in row] for row in grid]
    result = SourceLoad("merseyside", None)
    SheetReader(Table("m.xlsx", "S", rows), source, workspace.chapter("2"), result).read()
    assert [e.provenance.row for e in result.entries] == sorted({e.provenance.row for e in result.entries})
    assert all(e.name and 1 < e.provenance.row <= len(rows) for e in result.entries)
    assert all(f.row is not None and 1 < f.row <= len(rows) and f.file == "m.xlsx" for f in result.findings)
    assert all(
        e.status is not None or any(f.row == e.provenance.row for f in result.findings) for e in result.entries
    ), "an entry without a status always has a located finding"


@FAST
@given(st.text(max_size=30) | st.from_regex(r"\s*\d{1,2}(\.\d{1,2}){0,3}\s*", fullmatch=True))
def test_section_and_text_cleaning_are_idempotent(text: str) -> None:
    assert normalise_section(normalise_section(text)) == normalise_section(text)
    assert clean_text(clean_text(text)) == clean_text(text)


# ---- the merge: nothing dropped, nothing duplicated ---------------------------------------------------------

SOURCES = ("cheshire", "merseyside", "wirral", "sussex")
EXTRA_SOURCE = """\
  - key: {key}
    name: {title}
    file: "{key}.*"
    columns: {{drug: Drug, formulation: Formulation, status: Status}}
    statuses: {{green: [Green], red: [Red], black: [Black], amber-initiated: [Amber Initiated]}}
"""
SUBSTANCES = (
    "Amlodipine",
    "AMLODIPINE",
    "Atorvastatin",
    "Ramipril",
    "Bisoprolol fumarate",
    "Isosorbide mononitrate",
    "Isosorbide dinitrate",
    "Nifedipine",
    "Furosemide",
    "Doxazosin",
    "Co-codamol",
    "Ezetimibe (Ezetrol®)",
)
FORMS = ("Tablets", "Tabs", "Capsules", "Modified-release tablets", "MR Tabs", "Oral solution")
STRENGTHS = ("5mg", "10mg", "20 mg", "5mg, 10mg", "2.5mg", "30/500", "40mg", "")
WORDS = ("Green", "Red", "Black", "Amber Initiated", "Ambr")  # Ambr is in no vocabulary: a data error


@cache
def workspace_with(count: int) -> Workspace:
    """A workspace with ``count`` sources and the shipped default rules (built once per count)."""
    from conftest import TWO_SOURCE_CONFIG

    extra = "".join(EXTRA_SOURCE.format(key=k, title=k.title()) for k in SOURCES[2:count])
    config = TWO_SOURCE_CONFIG.replace("rules: rules/default.yaml", extra + "rules: rules/default.yaml")
    root = make_workspace(Path(tempfile.mkdtemp(prefix="harmonise-properties-")) / "ws", config)
    (root / "rules").mkdir()
    shutil.copy(REPO / "rules" / "default.yaml", root / "rules" / "default.yaml")
    return load_workspace(root)


def two_source_workspace() -> Workspace:
    return workspace_with(2)


ROW = st.tuples(st.sampled_from(SUBSTANCES), st.sampled_from(FORMS), st.sampled_from(STRENGTHS), st.sampled_from(WORDS))
CHAPTER = st.integers(min_value=2, max_value=4).flatmap(
    lambda n: st.lists(st.lists(ROW, max_size=7), min_size=n, max_size=n)
)


def source_load(workspace: Workspace, key: str, rows: list[tuple[str, str, str, str]]) -> SourceLoad:
    """What the loader would make of ``rows`` (duplicates included: they get distinct keys)."""
    source = workspace.source(key)
    entries = []
    for number, (name, form, strength, word) in enumerate(rows, start=2):
        formulation = f"{form} {strength}".strip()
        entries.append(
            Entry(
                source=key,
                name=name,
                formulation=formulation,
                section="02.05",
                status=source.status_of(word),
                status_word=word,
                provenance=Provenance(f"chapters/02-cardiovascular/{key}.xlsx", "S", number),
                key=content_key(key, name, formulation, "02.05", word),
            )
        )
    return SourceLoad(key, None, unique_keys(entries))


@MERGES
@given(CHAPTER)
def test_every_loaded_entry_is_in_exactly_one_item_and_joins_are_safe(
    chapter_rows: list[list[tuple[str, ...]]],
) -> None:
    workspace = workspace_with(len(chapter_rows))
    chapter = workspace.chapter("2")
    loaded = ChapterLoad(
        chapter, [source_load(workspace, k, rows) for k, rows in zip(workspace.source_keys, chapter_rows, strict=True)]
    )
    merge = merge_loaded(workspace, loaded, load_rules(workspace), MatchOptions())
    assert entries_accounted(merge)
    placed = [e.key for r in merge.results for e in r.item.entries]
    assert len(placed) == len(set(placed)) == sum(len(rows) for rows in chapter_rows)
    for result in merge.results:
        entries = result.item.entries
        assert [p.source for p in result.item.positions] == list(workspace.source_keys)
        substances = {parse_name(e.display_name).substances for e in entries}
        assert len(substances) == 1, f"one item joins different substances: {[e.display_name for e in entries]}"
        if any(e.status is None for e in entries):
            assert result.outcome.kind == "escalate", "an unknown status word is never adopted"
