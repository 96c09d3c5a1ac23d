"""Every workbook harmonise writes works on screen and on paper (issue 15 item 2): the header and the item stay
in view while scrolling right, every sheet prints landscape one page wide with the header repeated, gridlines
and a footer naming the chapter, the version or run and the page; rows are tall enough for their wrapped text;
widths follow the content within bounds. Read back with openpyxl, as another program would."""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_files import invoke
from merge_fixtures import CH02, small_chapter
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from harmonise.errors import InputError
from harmonise.output import Footer, Sheet, columns, write_workbook
from harmonise.output.xlsx import LINE_HEIGHT, MAX_WIDTH, MIN_WIDTH, line_count

DRAFT = f"{CH02}/harmonised-draft.xlsx"
GROUP = "reports/02-cardiovascular/working-group.xlsx"
ERRORS = "reports/02-cardiovascular/data-errors.xlsx"
PUBLISHED = "published/02-cardiovascular/v1/chapter.xlsx"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The four workbooks: the draft and working-group workbook of a merge, the data-errors report, a published
    chapter."""
    from publish_fixtures import publish_workspace

    root = small_chapter(tmp_path_factory.mktemp("xlsx") / "ws")
    assert invoke(root, "merge", "--chapter", "2").exit_code == 0
    assert invoke(root, "check", "--chapter", "2").exit_code == 1  # the example's deliberate data error
    published = publish_workspace(tmp_path_factory.mktemp("xlsx") / "pub")
    assert invoke(published, "publish", "--chapter", "2").exit_code == 0
    return {"draft": root / DRAFT, "group": root / GROUP, "errors": root / ERRORS, "published": published / PUBLISHED}


def widths_of(sheet: Worksheet) -> dict[int, float]:
    """Each column's width by number (a writer may give adjacent columns of one width one entry)."""
    return {i: d.width for d in sheet.column_dimensions.values() for i in range(d.min or 0, (d.max or 0) + 1)}


def visible(path: Path) -> list[Worksheet]:
    return [s for s in load_workbook(path).worksheets if s.sheet_state == "visible"]


@pytest.mark.parametrize(
    ("name", "sheet", "frozen", "kept"),
    [
        ("draft", "Harmonised", "C2", ("Section", "Item")),
        ("group", "Decisions", "F2", ("No.", "Section", "Item", "Cheshire position", "Merseyside position")),
        ("errors", "Data errors", "C2", ("Severity", "Problem")),
        ("published", "Chapter", "C2", ("Section", "Drug")),
    ],
)
def test_the_header_and_the_item_stay_in_view(
    written: dict[str, Path], name: str, sheet: str, frozen: str, kept: tuple[str, ...]
) -> None:
    worksheet = load_workbook(written[name])[sheet]
    assert worksheet.freeze_panes == frozen
    assert tuple(c.value for c in worksheet[1][: len(kept)]) == kept


@pytest.mark.parametrize("name", ["draft", "group", "errors", "published"])
def test_every_sheet_prints_landscape_one_page_wide_with_gridlines_header_and_footer(
    written: dict[str, Path], name: str
) -> None:
    for sheet in load_workbook(written[name]).worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_options.gridLines
        if sheet.title != "Instructions":  # lines of text, not a table: nothing to repeat
            assert sheet.print_title_rows == "$1:$1", sheet.title
        footer = sheet.oddFooter
        assert footer.left.text.startswith("Chapter 2 Cardiovascular") or "chapter 2 Cardiovascular" in footer.left.text
        assert footer.right.text == "Page &P of &N"
    centre = {n: load_workbook(written[n]).worksheets[0].oddFooter.center.text for n in written}
    assert centre["group"].startswith("Working-group decisions, merge run ")
    assert centre["published"] == "Published version 1"
    assert centre["draft"].startswith("Draft harmonised chapter, harmonise ")


@pytest.mark.parametrize("name", ["draft", "group", "errors", "published"])
def test_rows_are_tall_enough_for_their_wrapped_text(written: dict[str, Path], name: str) -> None:
    taller = 0
    for sheet in visible(written[name]):
        widths = widths_of(sheet)
        for row in sheet.iter_rows(min_row=2):
            height = sheet.row_dimensions[row[0].row].height or sheet.sheet_format.defaultRowHeight
            texts = [(c.value, widths.get(c.column)) for c in row if isinstance(c.value, str) and c.value]
            if not texts:
                continue
            lines = max(line_count(text, width or MIN_WIDTH) for text, width in texts)
            assert height >= LINE_HEIGHT * lines, (sheet.title, row[0].row, height, lines)
            # never shorter than the line breaks typed in the text, whatever the width
            assert height >= LINE_HEIGHT * max(t.count("\n") + 1 for t, _ in texts)
            taller += lines > 1
    assert name in ("errors", "published") or taller, "some rows hold wrapped text"


def test_the_evidence_of_a_match_wraps_onto_several_lines_in_a_bounded_column(written: dict[str, Path]) -> None:
    sheet = load_workbook(written["draft"])["Harmonised"]
    head = [c.value for c in sheet[1]]
    evidence = head.index("Match evidence") + 1
    assert MAX_WIDTH <= widths_of(sheet)[evidence] < MAX_WIDTH + 1  # long text: the bound, not one very wide column
    longest = max(
        (r[0] for r in sheet.iter_rows(min_row=2, min_col=evidence, max_col=evidence, values_only=True)),
        key=lambda v: len(v or ""),
    )
    row = next(
        r[0].row for r in sheet.iter_rows(min_row=2, min_col=evidence, max_col=evidence) if r[0].value == longest
    )
    assert len(longest) > MAX_WIDTH and sheet.row_dimensions[row].height >= 2 * LINE_HEIGHT
    assert sheet.cell(row=row, column=evidence).alignment.wrap_text


@pytest.mark.parametrize("name", ["draft", "group", "errors", "published"])
def test_widths_follow_the_content_within_bounds(written: dict[str, Path], name: str) -> None:
    for sheet in visible(written[name]):
        if sheet.title == "Instructions":
            continue
        widths = widths_of(sheet)
        by_header = {c.value: widths[c.column] for c in sheet[1]}
        assert all(MIN_WIDTH <= w <= 91 for w in by_header.values()), by_header
        if "Section" in by_header:  # '02.05.01' and its header: narrow
            assert by_header["Section"] <= 12


def test_line_count_wraps_at_word_boundaries_like_a_spreadsheet() -> None:
    evidence = "VETO strength differs: 5mg vs 10mg; same substance amlodipine (as besilate); form tablet = tablet"
    assert line_count("Amlodipine Tablets 5mg", 40) == 1
    assert line_count(evidence, 40) == 3
    assert line_count(evidence, 200) == 1
    assert line_count("Cheshire: Green\nMerseyside: Amber Recommended", 60) == 2  # typed line breaks count
    assert line_count("https://www.nice.org.uk/guidance/ta420/chapter/1-Recommendations", 20) == 4  # no spaces


def test_text_longer_than_a_cell_holds_is_refused_not_cut(tmp_path: Path) -> None:
    """A spreadsheet cell holds 32,767 characters: longer text (a hidden Items row of an item with hundreds of
    entries) would be cut off silently and its signature would no longer match, so it is refused by name."""
    notes = "Lipid clinic only; " * 2000
    sheet = Sheet("Chapter", columns(("Drug", "Notes")), [["Ezetimibe 10mg tablets", notes]])
    with pytest.raises(InputError, match=r"sheet 'Chapter' row 2, column 2: its text of 38,000 characters"):
        write_workbook(tmp_path / "chapter.xlsx", [sheet], Footer("Chapter 2 Cardiovascular system", "v1"))
    assert not (tmp_path / "chapter.xlsx").exists()
