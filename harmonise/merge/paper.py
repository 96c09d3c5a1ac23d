"""What the workbooks print. Each wide screen sheet (the draft's Harmonised sheet, about 40 columns; the
working-group workbook's Decisions sheet, about 20) is fitted one page wide, which printed makes its text too small
to read. Beside it, a **Print** sheet holds what a reader needs on paper: the item, every formulary's legacy
position in one column (each line led by the formulary's name, however many formularies there are), and the
outcome and rule (the draft) or why it was escalated, the candidates and room to write the decision (the
working-group workbook).

A Print sheet's columns have fixed widths that add up to about 160 characters: a landscape A4 page holds about 135
at full size, so fitted one page wide it prints at 80-90% (text of about 8.5 points) and its longer texts wrap.
The screen sheets are unchanged; the evidence, the rule verdicts and the keys stay there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from harmonise.model import Entry, Item
from harmonise.output import Column, Sheet, columns
from harmonise.workspace import Workspace

PRINT_SHEET = "Print"
LEGACY_POSITIONS = "Legacy positions"
# the working group's Print sheet leaves these blank, to be written on paper: a decision is typed, and imported
# from, the Decisions sheet alone (a formula showing what is typed there costs XlsxWriter about 0.1 ms a cell)
WRITE_DECISION, WRITE_RATIONALE = "Decision (write in)", "Rationale (write in)"


def join(values: Sequence[str]) -> str:
    return "\n".join(v for v in values if v)


def status_words(workspace: Workspace, entry: Entry) -> str:
    """The source's own word, with the common-scale status when it reads differently."""
    label = workspace.scale.label(entry.status) if entry.status else "not in the vocabulary"
    word = entry.status_word or "(blank)"
    return word if label.casefold() == word.casefold() else f"{word} ({label})"


def position_text(workspace: Workspace, item: Item, source: str) -> str:
    """One formulary's position on an item: each of its entries with its status, or that it does not list it."""
    position = item.position(source)
    if not position.present:
        return "not listed (non-formulary there)"
    return join([f"{e.display_name}: {status_words(workspace, e)}" for e in position.entries])


def legacy_positions(workspace: Workspace, texts: Mapping[str, str]) -> str:
    """Every formulary's position as one cell (``texts``: position text by source key), each line led by the
    formulary's name, so that a formulary listing several entries is never read as the next one's."""
    return "\n".join(f"{source.name}: {line}" for source in workspace.sources for line in texts[source.key].split("\n"))


def print_sheet(widths: Mapping[str, float], rows: Sequence[Sequence[Any]], **special: Mapping[str, Any]) -> Sheet:
    """A Print sheet: the columns of ``widths`` (header: characters), in order, header repeated on every page;
    protected, as nothing on it is typed."""
    head = tuple(widths)
    made: list[Column] = columns(head, width=widths, **special)
    return Sheet(PRINT_SHEET, made, rows, protected=True)
