"""Nothing executes: text from a legacy spreadsheet, a rule or the configuration stays inert in every file
harmonise writes.

A drug name such as ``=HYPERLINK("http://x","click")`` is a string cell (never a formula) in every workbook,
and starts with ``'`` in every CSV; ``<script>`` is escaped in every HTML page; workbooks are parsed with
defusedxml (openpyxl) or calamine and sized before unpacking; YAML is loaded without tags or aliases.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from bad_files import lie_about_sizes, raw_xlsx
from conftest import CHESHIRE_HEADER, MERSEY_HEADER, write_csv
from openpyxl import load_workbook
from publish_fixtures import SETTLE_RULES, merged, publish_workspace
from typer.testing import CliRunner

from harmonise.cli import app
from harmonise.errors import InputError
from harmonise.output.xlsx import FORMULA_STARTS, csv_safe
from harmonise.publish.content import Change, DecisionNote, Rationale
from harmonise.publish.rationale import rationale_html, rationale_markdown
from harmonise.sources import tables
from harmonise.workspace.yamlio import parse_yaml

CH02 = "chapters/02-cardiovascular"
LINK = '=HYPERLINK("http://x","click")'
SCRIPT = "<script>alert(1)</script>"
DDE = "=cmd|' /C calc'!A0"
AMIODARONE, BISOPROLOL = "+Amiodarone (Cordarone® X)", "-Bisoprolol (Cardicor®)"  # brands: shown by these names
# Each name is listed by one formulary only, so each reaches the working group (default rules) and is
# published (settling rules: Merseyside-only adopted, Cheshire-only retained both).
CHESHIRE_ROWS = [
    ["02.02", "Amlodipine", "Tablets 5mg", "Green", "1st", "F", "+SUM(A1:A9)", "", "C1"],
    ["02.08", LINK, "Tablets 1mg", "Green", "", "F", "@SUM(A1)", "", "C2"],
    ["02.09", f"{SCRIPT} Warfarin", "Tablets 1mg", "Green", "", "F", "-1+2", "", "C3"],
]
MERSEY_ROWS = [
    ["02.02", "Amlodipine", "Tablets 5mg", "Green", "", ""],
    ["02.03", AMIODARONE, "Tablets 100mg", "Red", "=1+1", ""],
    ["02.04", BISOPROLOL, "Tablets 5mg", "Green", "", ""],
]


def invoke(root: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--workspace", str(root), "--user", "tester", *args])


def injected_workspace(tmp_path: Path, settle: bool) -> Path:
    """The legacy cells hold the formula-like *text* (inline strings): openpyxl would store ``=...`` as a
    formula, which harmonise reports as a formula without a value instead of reading it."""
    root = publish_workspace(tmp_path / "ws", settle=settle, merge=False)
    raw_xlsx(root / CH02 / "cheshire.xlsx", {"Formulary": [CHESHIRE_HEADER, *CHESHIRE_ROWS]})
    raw_xlsx(root / CH02 / "merseyside.xlsx", {"Sheet1": [MERSEY_HEADER, *MERSEY_ROWS]})
    return merged(root)


def text_cells(path: Path) -> dict[str, str]:
    """Every cell of every sheet whose value starts like a formula: value -> openpyxl data type.

    Fails if any cell anywhere in the workbook is a formula (openpyxl reads formulas as type ``f``)."""
    found = {}
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{path.name}[{sheet.title}]{cell.coordinate} is a formula"
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    found.setdefault(cell.value, cell.data_type)
    return found


def assert_inert_csv(text: str, *expected: str) -> None:
    fields = [f for row in csv.reader(io.StringIO(text)) for f in row]
    assert not [f for f in fields if f.startswith(FORMULA_STARTS)]
    for value in expected:
        assert "'" + value in fields


def test_formula_text_stays_text_in_the_draft_and_the_working_group_workbook(tmp_path: Path) -> None:
    root = injected_workspace(tmp_path, settle=False)
    assert invoke(root, "merge", "--chapter", "2").exit_code == 0
    draft = text_cells(root / CH02 / "harmonised-draft.xlsx")
    group = text_cells(root / "reports/02-cardiovascular/working-group.xlsx")
    for cells, copies in ((draft, 1), (group, 2)):  # the group's workbook shows the item and its position
        for name in (LINK, "+Amiodarone", "-Bisoprolol"):
            assert [kind for value, kind in cells.items() if value.startswith(name)] == ["s"] * copies, name
        assert set(cells.values()) == {"s"}
    assert draft["@SUM(A1)"] == draft["=1+1"] == "s"


def test_formula_text_stays_text_in_the_data_errors_report(tmp_path: Path) -> None:
    root = injected_workspace(tmp_path, settle=False)
    rows = [CHESHIRE_HEADER, ["02.08", LINK, "Tablets 1mg", DDE]]
    raw_xlsx(root / CH02 / "cheshire.xlsx", {"Formulary": rows})
    result = invoke(root, "check", "--chapter", "2")
    assert result.exit_code == 1
    cells = text_cells(root / "reports/02-cardiovascular/data-errors.xlsx")
    assert cells[DDE] == "s" and set(cells.values()) == {"s"}


def test_formula_text_stays_text_in_the_published_workbook_and_csv(tmp_path: Path) -> None:
    root = injected_workspace(tmp_path, settle=True)
    result = invoke(root, "publish", "--chapter", "2")
    assert result.exit_code == 0, result.output
    folder = root / "published/02-cardiovascular/v1"
    cells = text_cells(folder / "chapter.xlsx")
    assert {LINK, AMIODARONE, BISOPROLOL, "+SUM(A1:A9)", "=1+1"} <= set(cells) and set(cells.values()) == {"s"}
    assert_inert_csv(
        (folder / "chapter.csv").read_text(encoding="utf-8"), LINK, AMIODARONE, BISOPROLOL, "+SUM(A1:A9)", "=1+1"
    )


def test_formula_text_stays_text_in_the_match_csv(tmp_path: Path) -> None:
    left = write_csv(tmp_path / "left.csv", [["id", "name"], ["=1+1", LINK], ["@A1", "Amlodipine 5mg tablets"]])
    right = write_csv(tmp_path / "right.csv", [["id", "name"], ["-2", LINK], ["+3", "Amlodipine 5mg tablets"]])
    result = CliRunner().invoke(app, ["match", str(left), str(right), "--out", str(tmp_path / "out.csv")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert_inert_csv(text, "=1+1", "@A1", "+3")


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_csv_safe_defuses_every_formula_start(start: str) -> None:
    assert csv_safe(start + "SUM(A1)") == "'" + start + "SUM(A1)"
    assert csv_safe("Amlodipine " + start) == "Amlodipine " + start and csv_safe(None) == ""


# ---- HTML ---------------------------------------------------------------------------------------------------


def assert_escaped(html: str) -> None:
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_chapter_page_and_rationale_escape_a_script_in_a_drug_name(tmp_path: Path) -> None:
    root = injected_workspace(tmp_path, settle=True)
    assert invoke(root, "publish", "--chapter", "2").exit_code == 0
    folder = root / "published/02-cardiovascular/v1"
    for name in ("chapter.html", "rationale.html", "rationale.md"):
        assert_escaped((folder / name).read_text(encoding="utf-8"))


def test_dashboard_escapes_the_title_and_source_names(tmp_path: Path) -> None:
    root = injected_workspace(tmp_path, settle=False)
    config = (root / "harmonise.yaml").read_text(encoding="utf-8")
    config = config.replace("title: Test harmonisation", f'title: "{SCRIPT}"')
    (root / "harmonise.yaml").write_text(config.replace("name: Cheshire", f'name: "{SCRIPT}"'), encoding="utf-8")
    result = invoke(root, "status")
    assert result.exit_code == 0, result.output
    html = (root / "reports/dashboard.html").read_text(encoding="utf-8")
    assert_escaped(html)
    assert html.count("&lt;script&gt;") >= 3  # the page title, the heading, the source's name


def test_rules_explanation_escapes_rule_text(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws")
    rules = SETTLE_RULES.replace("title: Same status everywhere", f'title: "{SCRIPT}"')
    (root / "rules/settle.yaml").write_text(rules.replace("Identical positions are adopted.", SCRIPT), encoding="utf-8")
    result = invoke(root, "rules", "explain", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert_escaped((tmp_path / "out/rules.html").read_text(encoding="utf-8"))


# ---- Markdown links and images ------------------------------------------------------------------------------

LIVE = "[click](javascript:alert(1)) ![](http://tracker.example/p.png) [ref][1] <http://x.example> `x`"


def live_rationale() -> Rationale:
    """A summary whose every piece of text from a decision, a rule or a spreadsheet holds a live link and image."""
    note = DecisionNote("02.05", f"Amlodipine {LIVE}", "adopt", "Green", "Dr Shah", f"Agreed. {LIVE}")
    change = Change("cheshire", "added", f"Ramipril {LIVE}", "02.05", "", "Green")
    return Rationale(
        chapter=f"02 {LIVE}",
        items=1,
        published=1,
        by_rule=(("R1", f"Rule {LIVE}", 1),),
        by_outcome=(("adopt", 1),),
        decisions=(note,),
        retained=(note,),
        excluded=(note,),
        changes={"cheshire": (change,)},
        source_names={"cheshire": f"Cheshire {LIVE}"},
    )


def test_links_and_remote_images_in_a_rationale_stay_inert_in_markdown_and_html() -> None:
    from markdown_it import MarkdownIt

    summary = live_rationale()
    markdown = rationale_markdown(summary, 1, "2024-03-12T10:00:00Z")
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<a " not in rendered and "<img" not in rendered and "<code" not in rendered
    assert "javascript:alert(1)" in rendered and "http://tracker.example/p.png" in rendered  # shown as text
    assert rendered.count("<td>Agreed.") == 3  # every decision row is still one table row
    page = rationale_html(summary, 1, "2024-03-12T10:00:00Z")
    assert "<a " not in page and "<img" not in page and "href=" not in page and "src=" not in page
    assert "[click](javascript:alert(1))" in page  # plain text in the page


# ---- XML and zip bombs, YAML --------------------------------------------------------------------------------


def test_openpyxl_parses_with_defusedxml() -> None:
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True  # openpyxl uses defusedxml when it is installed (a declared dependency)


def test_sheet_scan_refuses_entity_declarations_and_reads_error_cells(tmp_path: Path) -> None:
    from bad_files import ENTITY_PROLOG, NA_ERROR, formula

    path = raw_xlsx(tmp_path / "a.xlsx", {"S": [["Drug", "Status"], ["Amlodipine", NA_ERROR], [formula("B1"), "Red"]]})
    [table] = tables.read_tables(path, "a.xlsx")
    assert [(c.text, c.kind) for c in (table.rows[1][1], table.rows[2][0])] == [("#N/A", "error"), ("=B1", "formula")]
    unsafe = raw_xlsx(tmp_path / "b.xlsx", {"S": [["Drug", formula("1")]]}, ENTITY_PROLOG)
    with pytest.raises(InputError, match=r"b\.xlsx: damaged or unsafe workbook XML .EntitiesForbidden"):
        tables.read_tables(unsafe, "b.xlsx")


def test_a_zip_whose_entries_declare_huge_sizes_is_refused_before_unpacking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = raw_xlsx(tmp_path / "bomb.xlsx", {"S": [["Drug", "Status"]]})
    lie_about_sizes(path, 300 * 1024 * 1024)  # five entries: 1500 MiB declared
    opened: list[str] = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(str(name)) or real_open(self, name, *a, **k)
    )
    with pytest.raises(InputError, match=r"bomb.xlsx: unpacks to 1500 MiB, over the 500 MiB limit"):
        tables.read_tables(path, "bomb.xlsx")
    assert opened == []  # refused from the declared sizes: not one entry was unpacked


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object:os.system",
        "!!python/name:os.system",
        "!!python/module:os",
        "!custom",
    ],
)
def test_yaml_refuses_python_and_custom_tags(tag: str) -> None:
    with pytest.raises(InputError) as refused:
        parse_yaml(f"title: {tag} ['echo owned']\n", "rules/x.yaml")
    assert f"rules/x.yaml:1: the YAML tag {tag!r} is not allowed" in str(refused.value)


def test_yaml_alias_bomb_is_refused_quickly() -> None:
    layers = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    layers += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(20)]
    with pytest.raises(InputError, match="YAML aliases"):
        parse_yaml("\n".join(layers), "bomb.yaml")
