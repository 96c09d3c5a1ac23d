"""Benchmark: candidate xlsx writers writing the same workbook, every feature harmonise's workbooks use.

    python benchmarks/xlsx_writers.py [--chapters 15] [--rows 400] [--repeat 3]

The rows are the draft chapter rows of a generated formulary (``formulary_gen``), merged without writing. Each
writer writes, per chapter, one workbook with: a "Harmonised" sheet (bold filled header, wrapped top-aligned
text, a RAG fill per status cell, frozen header and item columns, filter, widths, row heights, landscape print
setup fitted to one page wide with the header repeated, gridlines and a footer); a "Decisions" sheet of the
escalated rows with six yellow unlocked input columns, drop-down lists drawn from a hidden "Lists" sheet and sheet
protection without a password; the workbook structure locked; no write time in the package. A writer that cannot
do one of these says which and is timed without it. Writers not installed are skipped:
``pip install xlsxwriter rustpy-xlsxwriter``.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from formulary_gen import generate, size_arguments

from harmonise.merge import headers, row, run_merge
from harmonise.workspace import load_workspace

REPO = Path(__file__).resolve().parent.parent
INPUTS = ("Decision", "Which candidate (1-3)", "Harmonised status", "Rationale", "Meeting date", "Decided by")
COLOURS = {"Green": "00B050", "Amber Recommended": "FFC000", "Red": "FF0000", "Black": "000000"}
FOOTER = "&L02 Cardiovascular&Crun 20240312T101500Z&RPage &P of &N"

Table = tuple[list[str], list[list[Any]]]


def tables(chapters: int, rows: int) -> list[tuple[Table, Table]]:
    """Per chapter: the draft table and the working-group table (escalated rows plus the input columns)."""
    rules_text = (REPO / "rules" / "default.yaml").read_text(encoding="utf-8")
    root = generate(Path(tempfile.mkdtemp(prefix="harmonise-writers-")) / "ws", chapters, rows, rules_text=rules_text)
    workspace = load_workspace(root)
    out = []
    for merge in run_merge(workspace, list(workspace.chapters_present()), write=False).chapters:
        head = headers(workspace, merge)
        body = [[("" if v is None else v) for v in row(workspace, r)] for r in merge.results]
        group = [
            r + [None] * len(INPUTS) for r, m in zip(body, merge.results, strict=True) if m.outcome.kind == "escalate"
        ]
        out.append(((head, body), ([*head, *INPUTS], group)))
    return out


def status_columns(head: Sequence[str]) -> set[int]:
    return {i for i, h in enumerate(head) if h.endswith(": status") or h == "Harmonised status"}


def with_openpyxl(draft: Table, group: Table, write_only: bool) -> tuple[bytes, str]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.workbook.protection import WorkbookProtection
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook(write_only=write_only)
    if not write_only:
        book.remove(book.active)
    head_font, head_fill, wrap = (
        Font(bold=True, color="FFFFFF"),
        PatternFill("solid", fgColor="1F4E79"),
        Alignment(wrap_text=True, vertical="top"),
    )
    fills = {k: PatternFill("solid", fgColor=v) for k, v in COLOURS.items()}
    yellow, unlocked = PatternFill("solid", fgColor="FFF2CC"), Protection(locked=False)

    def sheet(name: str, table: Table, inputs: int) -> Any:
        head, body = table
        ws = book.create_sheet(name)
        statuses, first_input = status_columns(head), len(head) - inputs
        for col in range(len(head)):
            ws.column_dimensions[chr(65 + col % 26) * (1 + col // 26)].width = 30
        ws.freeze_panes = "C2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = "landscape", 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = True
        ws.oddFooter.center.text = "run 20240312T101500Z"
        rows = [head, *body]
        for number, values in enumerate(rows):
            cells = []
            for col, value in enumerate(values):
                cell = WriteOnlyCell(ws, value) if write_only else ws.cell(row=number + 1, column=col + 1, value=value)
                cell.alignment = wrap
                if number == 0:
                    cell.font, cell.fill = head_font, head_fill
                elif col in statuses and value in fills:
                    cell.fill = fills[value]
                elif col >= first_input:
                    cell.fill, cell.protection = yellow, unlocked
                cells.append(cell)
            if write_only:
                ws.append(cells)
            else:
                ws.row_dimensions[number + 1].height = 30
        return ws

    sheet("Harmonised", draft, 0)
    decisions = sheet("Decisions", group, len(INPUTS))
    lists = book.create_sheet("Lists")
    for word in ("adopt status", "exclude", "retain both", "defer"):
        lists.append([word])
    lists.sheet_state = "hidden"
    validation = DataValidation(type="list", formula1="Lists!$A$1:$A$4", allow_blank=True)
    validation.add(f"{chr(65 + len(group[0]) - len(INPUTS))}2:{chr(65 + len(group[0]) - len(INPUTS))}999")
    decisions.data_validations.append(validation)  # add_data_validation is not in write-only mode
    decisions.protection.sheet = True
    book.security = WorkbookProtection(lockStructure=True)
    packed = io.BytesIO()
    book.save(packed)
    return packed.getvalue(), "row heights" if write_only else ""


def with_xlsxwriter(draft: Table, group: Table, constant_memory: bool) -> tuple[bytes, str]:
    import datetime

    import xlsxwriter

    packed = io.BytesIO()
    options = {"in_memory": not constant_memory, "constant_memory": constant_memory, "strings_to_formulas": False}
    book = xlsxwriter.Workbook(packed, options)
    book.set_properties({"created": datetime.datetime(1980, 1, 1, tzinfo=datetime.UTC)})
    head_format = book.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    fills = {k: book.add_format({"bg_color": f"#{v}", "text_wrap": True, "valign": "top"}) for k, v in COLOURS.items()}
    editable = book.add_format({"bg_color": "#FFF2CC", "locked": False, "text_wrap": True, "valign": "top"})

    def sheet(name: str, table: Table, inputs: int) -> Any:
        head, body = table
        ws = book.add_worksheet(name)
        statuses, first_input = status_columns(head), len(head) - inputs
        ws.set_column(0, len(head) - 1, 30)
        ws.freeze_panes(1, 2)
        ws.repeat_rows(0)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.hide_gridlines(0)
        ws.set_footer(FOOTER)
        ws.autofilter(0, 0, len(body), len(head) - 1)
        ws.set_row(0, 30)
        for col, value in enumerate(head):
            ws.write_string(0, col, value, head_format)
        for number, values in enumerate(body, start=1):
            ws.set_row(number, 30)
            for col, value in enumerate(values):
                style = fills.get(value, wrap) if col in statuses else editable if col >= first_input else wrap
                if isinstance(value, str):
                    ws.write_string(number, col, value, style)
                elif value is None:
                    ws.write_blank(number, col, None, style)
                else:
                    ws.write_number(number, col, value, style)
        return ws

    sheet("Harmonised", draft, 0)
    decisions = sheet("Decisions", group, len(INPUTS))
    lists = book.add_worksheet("Lists")
    for number, word in enumerate(("adopt status", "exclude", "retain both", "defer")):
        lists.write_string(number, 0, word)
    lists.hide()
    col = len(group[0]) - len(INPUTS)
    decisions.data_validation(1, col, 999, col, {"validate": "list", "source": "=Lists!$A$1:$A$4"})
    decisions.protect("", {"autofilter": True, "format_columns": True, "format_rows": True})
    book.close()
    return packed.getvalue(), "workbook structure lock (added by a subclass in harmonise.output)"


def with_rustpy(draft: Table, group: Table) -> tuple[bytes, str]:
    import rustpy_xlsxwriter as rx

    def records(table: Table) -> list[dict[str, Any]]:
        head, body = table
        # a column of numbers and blanks is a column of numbers to it: a blank is None, never ''
        return [{h: (None if v == "" else v) for h, v in zip(head, values, strict=True)} for values in body]

    page = {"landscape": True, "fit_to_pages": (1, 0), "repeat_rows": 0, "print_gridlines": True, "footer": FOOTER}
    status_rules = {
        h: [
            {"type": "text", "criteria": "begins_with", "value": k, "format": rx.Format().set_background_color(v)}
            for k, v in COLOURS.items()
        ]
        for h in (draft[0][i] for i in status_columns(draft[0]))
    }
    packed = io.BytesIO()
    rx.write_worksheets(
        [("Harmonised", records(draft)), ("Decisions", records(group)), ("Lists", [{"Decisions": "defer"}])],
        packed,
        freeze_panes={"general": {"row": 1, "col": 2}},
        column_width={"general": 30},
        header_format={"general": rx.Format().set_bold().set_background_color("1F4E79").set_font_color("FFFFFF")},
        row_heights={
            name: dict.fromkeys(range(1, len(t[1]) + 1), 30.0)
            for name, t in (("Harmonised", draft), ("Decisions", group))
        },
        autofilter={"Harmonised": True, "Decisions": True},
        page_setup={"Harmonised": page, "Decisions": page},
        conditional_formats={"Harmonised": status_rules},
        data_validations={"Decisions": {"Decision": {"type": "list", "values": ["adopt status", "exclude", "defer"]}}},
        sheet_view={"Lists": {"hidden": True}},
    )
    return packed.getvalue(), (
        "per-cell fills (conditional formats instead), a list drawn from a hidden sheet (inline values only, 255 "
        "characters), workbook structure lock, fixed document times (not tried: unlocked input columns)"
    )


def writers() -> dict[str, Callable[[Table, Table], tuple[bytes, str]]]:
    found: dict[str, Callable[[Table, Table], tuple[bytes, str]]] = {
        "openpyxl": lambda d, g: with_openpyxl(d, g, write_only=False),
        "openpyxl write-only": lambda d, g: with_openpyxl(d, g, write_only=True),
    }
    try:
        import xlsxwriter  # noqa: F401

        found["XlsxWriter"] = lambda d, g: with_xlsxwriter(d, g, constant_memory=False)
        found["XlsxWriter constant_memory"] = lambda d, g: with_xlsxwriter(d, g, constant_memory=True)
    except ImportError:
        pass
    try:
        import rustpy_xlsxwriter  # noqa: F401

        found["rustpy-xlsxwriter"] = with_rustpy
    except ImportError:
        pass
    return found


def main() -> None:
    args = size_arguments(__doc__ or "")
    chapters = tables(args.chapters, args.rows)
    count = sum(len(d[1]) + len(g[1]) for d, g in chapters)
    print(f"{len(chapters)} workbooks, {count} rows in all (draft rows + working-group rows)")
    print(f"{'writer':28}{'median s':>10}{'MB':>8}  missing")
    for name, write in writers().items():
        times, size, missing = [], 0, ""
        for _ in range(args.repeat):
            start = time.perf_counter()
            outputs = [write(draft, group) for draft, group in chapters]
            times.append(time.perf_counter() - start)
            size, missing = sum(len(o[0]) for o in outputs), outputs[0][1]
        print(f"{name:28}{statistics.median(times):>10.2f}{size / 1e6:>8.2f}  {missing or '-'}")


if __name__ == "__main__":
    main()
