"""Validating the rows of a working-group workbook: each filled row's decision word, status, candidate,
meeting date, rationale and decider, and that its item key and protected cells were not edited.

Each problem is located by file, sheet, row and column; a row with a problem is rejected, the others stand.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from openpyxl.utils.datetime import from_excel
from openpyxl.workbook.workbook import Workbook

from harmonise.errors import did_you_mean
from harmonise.review.layout import (
    CANDIDATE,
    DECIDED_BY,
    DECISION,
    DECISION_COLUMNS,
    DECISION_SHEET,
    KEY_COLUMN,
    MEETING,
    NAME,
    RATIONALE,
    STATUS,
    check_value,
    decision_words,
)
from harmonise.review.reading import ReadContext, SeenItem
from harmonise.review.register import (
    CONFIRM_DECISIONS,
    MATCH_DECISIONS,
    NEEDS_STATUS,
    DecidedEntry,
    Decision,
    match_fingerprint,
)
from harmonise.review.register import DECIDED_BY as BY_WORKING_GROUP
from harmonise.workspace import normalise_word

EARLIEST_MEETING = date(2000, 1, 1)  # working groups met after that
EARLIEST_SERIAL = 36526  # 2000-01-01 as an Excel serial
LONGEST_NAME = 250  # characters: a medicine's name, not a paragraph
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")


@dataclass(frozen=True)
class RowDecision:
    """A valid decision and the workbook row it came from (for conflict messages)."""

    decision: Decision
    where: str
    row: int = 0


def read_decisions(context: ReadContext, workbook: Workbook) -> tuple[list[RowDecision], int]:
    sheet = workbook[DECISION_SHEET]
    index = {name: i for i, name in enumerate(context.head)}
    decided: list[RowDecision] = []
    blank, seen = 0, dict[str, int]()  # item key -> the first row deciding it
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        cells = {name: values[i] if i < len(values) else None for name, i in index.items()}
        if all(is_blank(cells.get(c)) for c in DECISION_COLUMNS):  # an earlier workbook has no harmonised name
            blank += not all(is_blank(v) for v in values)
            continue
        context.filled[number] = _typed(context, cells)
        before = len(context.problems)
        item = _item_of(context, number, cells, list(values[: context.info_count]), seen)
        if item is None:
            continue
        found = _validate(context, number, cells, item)
        if len(context.problems) == before:
            decided.extend(RowDecision(d, context.where(number, DECISION), number) for d in found)
    return decided, blank


def _typed(context: ReadContext, cells: dict[str, Any]) -> str:
    """What a filled row says, for messages: the item's name and the decision typed."""
    key = "" if cells[KEY_COLUMN] is None else str(cells[KEY_COLUMN]).strip()
    item = context.items.get(key)
    word = _text(cells[DECISION]) or "(no decision word)"
    return f"{item.name if item else key or 'an unknown item'}: {word!r}"


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _item_of(
    context: ReadContext, row: int, cells: dict[str, Any], info: list[Any], seen: dict[str, int]
) -> SeenItem | None:
    """The item a row is about, refusing an edited key, an edited protected cell or a copied row."""
    key = "" if cells[KEY_COLUMN] is None else str(cells[KEY_COLUMN]).strip()
    item = context.items.get(key)
    if item is None:
        context.problem(
            row,
            KEY_COLUMN,
            f"{key!r} is not an item of this workbook (the key was edited or the "
            "row was added); restore the row from the workbook as written",
        )
        return None
    if key in seen:
        context.problem(row, KEY_COLUMN, f"this item is already on row {seen[key]}; decide it on one row only")
        return None
    seen[key] = row
    settled = _not_escalated(context, item)
    if settled:
        context.problem(row, KEY_COLUMN, settled)
        return None
    changed = [context.head[i] for i, value in enumerate(info) if check_value(value) != item.checks[i]]
    for column in changed:
        context.problem(
            row,
            column,
            "this protected column was changed after the workbook was written; "
            "the row was refused (put back the original text and import again)",
        )
    return None if changed else item


def _not_escalated(context: ReadContext, item: SeenItem) -> str:
    """Why the merge that wrote the workbook did not ask the group about this row's item ('' when it did, or
    when that merge's outcomes are not known: a workbook read only to find typed decisions)."""
    if context.outcomes is None:
        return ""
    outcome = context.outcomes.get(item.of or item.key)
    if outcome is not None and outcome.escalated:
        return ""
    if outcome is None:
        return (
            f"{item.name} was not escalated by the merge that wrote this workbook (the audit log records no outcome "
            "for it in that merge); only an item the working group was asked about can be decided, so the row was "
            "refused"
        )
    by = "a recorded working-group decision" if outcome.decided_by == BY_WORKING_GROUP else f"rule {outcome.decided_by}"
    return (
        f"{outcome.name or item.name} was not escalated by the merge that wrote this workbook: {by} settled it "
        f"({outcome.kind}); only an item the working group was asked about can be decided, so the row was refused"
    )


def _validate(context: ReadContext, row: int, cells: dict[str, Any], item: SeenItem) -> list[Decision]:
    """Check one filled row; returns its decisions (several for 'reject match' of every candidate)."""
    words = decision_words(context.workspace)
    word = "" if cells[DECISION] is None else " ".join(str(cells[DECISION]).split())
    choice = next((v for w, v in words.items() if normalise_word(w) == normalise_word(word)), None)
    if choice is None:
        hint = did_you_mean(word, list(words)) if word else ""
        context.problem(
            row,
            DECISION,
            f"{word!r} is not a decision{hint}; choose one of: {', '.join(words)}"
            if word
            else "no decision chosen, but other yellow columns are filled",
        )
        return []
    decision, source = choice
    status = _status(context, row, cells, item, decision, source)
    candidates = _candidates(context, row, cells, item, decision)
    meeting = _meeting(context, row, cells[MEETING])
    name = _name(context, row, cells, item, decision)
    rationale = _text(cells[RATIONALE])
    if not rationale and decision != "defer":
        context.problem(row, RATIONALE, "a rationale is required (the committee reads it)")
    if not _text(cells[DECIDED_BY]):
        context.problem(row, DECIDED_BY, "say who decided (a name, or the group)")
    base: dict[str, Any] = {
        "item": item.name,
        "decision": decision,
        "rationale": rationale,
        "meeting": meeting or "",
        "decided_by": _text(cells[DECIDED_BY]),
        "status": status,
        "source": source,
        "name": name,
        "imported_at": context.now,
        "imported_by": context.user,
        "workbook": context.file,
    }
    if decision in MATCH_DECISIONS:
        vetoes = _vetoes(context, row, item, decision, candidates)
        return [
            Decision(
                match_fingerprint(item.entries, c.key),
                entries=(*item.entries, c),
                candidate=c.key,
                veto=vetoes.get(c.key, "") if decision == "confirm-despite-difference" else "",
                **base,
            )
            for c in candidates
        ]
    return [Decision(item.key, entries=item.entries, **base)]


def _name(context: ReadContext, row: int, cells: dict[str, Any], item: SeenItem, decision: str) -> str:
    """The harmonised name typed (optional): it goes with a decision on a whole item, whose name it replaces."""
    name = _text(cells.get(NAME))
    if not name:
        return ""
    if decision in MATCH_DECISIONS:
        context.problem(
            row,
            NAME,
            "a harmonised name goes with a decision on the item (adopt, include, exclude, retain both, defer), not "
            "with a match decision: the joined item comes back to the group, to be named then",
        )
    elif item.of and item.of != item.key:
        context.problem(row, NAME, "a harmonised name goes on the item's own row, not on the row of one strength")
    elif len(name) > LONGEST_NAME:
        context.problem(row, NAME, f"{len(name)} characters: a medicine's name has at most {LONGEST_NAME}")
    return name


def _vetoes(
    context: ReadContext, row: int, item: SeenItem, decision: str, candidates: Sequence[DecidedEntry]
) -> dict[str, str]:
    """The matcher's veto of each chosen candidate; a plain confirm of a vetoed candidate, or a confirm
    despite a difference the matcher did not find, is a located problem."""
    vetoes = {c.key: item.veto(c) for c in candidates}
    for candidate in candidates if decision in CONFIRM_DECISIONS else ():
        number = item.candidates.index(candidate) + 1
        veto = vetoes[candidate.key]
        if decision == "confirm-match" and veto:
            context.problem(
                row,
                DECISION,
                f"candidate {number} ({candidate.label}) was vetoed by the matcher: {veto}. If the group is "
                "sure they are the same product, choose 'confirm despite difference' and give the rationale",
            )
        elif decision == "confirm-despite-difference" and not veto:
            context.problem(
                row,
                DECISION,
                f"the matcher found no difference between this row and candidate {number} "
                f"({candidate.label}); choose 'confirm match'",
            )
    return vetoes


def _text(value: Any) -> str:
    """The cell as text, spaces collapsed; invisible format characters (zero-width spaces, joiners, BOMs)
    dropped, so a rationale of nothing but them counts as empty."""
    if value is None:
        return ""
    visible = "".join(ch for ch in str(value) if unicodedata.category(ch) != "Cf")
    return " ".join(visible.split())


def _status(
    context: ReadContext, row: int, cells: dict[str, Any], item: SeenItem, decision: str, source: str
) -> str | None:
    scale, given = context.workspace.scale, _text(cells[STATUS])
    status = next(
        (s.key for s in scale.statuses if normalise_word(given) in (normalise_word(s.label), normalise_word(s.key))),
        None,
    )
    if given and status is None:
        labels = [s.label for s in scale.statuses]
        context.problem(row, STATUS, f"{given!r} is not a status on the common scale{did_you_mean(given, labels)}")
        return None
    if decision == "adopt-source":
        return _source_status(context, row, item, source, status)
    if decision in NEEDS_STATUS and not status:
        context.problem(row, STATUS, f"'{_word(context, decision)}' needs a harmonised status")
    elif decision not in NEEDS_STATUS and status:
        context.problem(
            row,
            STATUS,
            "a harmonised status only goes with 'adopt status', 'include' or "
            f"'adopt <formulary> position', not with '{_word(context, decision)}'",
        )
        return None
    return status


def _source_status(context: ReadContext, row: int, item: SeenItem, source: str, given: str | None) -> str | None:
    name = context.workspace.source(source).name
    statuses = list(dict.fromkeys(e.status for e in item.entries if e.source == source))
    if not statuses:
        context.problem(row, DECISION, f"{name} does not list this item; choose 'exclude' or 'adopt status'")
    elif len(statuses) > 1 or statuses[0] is None:
        context.problem(row, DECISION, f"{name}'s position has no single status here; choose 'adopt status'")
    elif given and given != statuses[0]:
        context.problem(
            row,
            STATUS,
            f"the status given differs from {name}'s position "
            f"({context.workspace.scale.label(statuses[0])}); leave it blank",
        )
    else:
        return statuses[0]
    return None


def _word(context: ReadContext, decision: str) -> str:
    return next(w for w, (d, _) in decision_words(context.workspace).items() if d == decision)


def _candidates(
    context: ReadContext, row: int, cells: dict[str, Any], item: SeenItem, decision: str
) -> Sequence[DecidedEntry]:
    value, count = cells[CANDIDATE], len(item.candidates)
    if decision not in MATCH_DECISIONS:
        if not is_blank(value):
            context.problem(
                row,
                CANDIDATE,
                "a candidate number only goes with 'confirm match', 'confirm despite difference' or 'reject match'",
            )
        return []
    if not count:
        context.problem(row, DECISION, "this row shows no candidate match to confirm or reject")
        return []
    if is_blank(value):
        if decision == "reject-match" or count == 1:
            return item.candidates
        context.problem(row, CANDIDATE, f"say which candidate (1-{count}) is the same product")
        return []
    text = str(value).strip().removesuffix(".0")
    if not text.isdigit() or not 1 <= int(text) <= count:
        context.problem(row, CANDIDATE, f"{value!r} is not a candidate number on this row (1-{count})")
        return []
    return [item.candidates[int(text) - 1]]


def _meeting(context: ReadContext, row: int, value: Any) -> str | None:
    """The meeting date as YYYY-MM-DD; a located problem when missing, unreadable or in the future."""
    day = _as_date(value)
    if is_blank(value):
        context.problem(row, MEETING, "the meeting date is required (YYYY-MM-DD)")
    elif day is None and isinstance(value, (int, float)) and not isinstance(value, bool):
        context.problem(row, MEETING, f"{value!r} is a number, not a date; write it as YYYY-MM-DD, e.g. 2024-03-12")
    elif day is None:
        context.problem(row, MEETING, f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-03-12")
    elif day < EARLIEST_MEETING:  # 2024 typed into a date-formatted cell is read back as 1905-07-16
        context.problem(
            row,
            MEETING,
            f"{day.isoformat()} is before {EARLIEST_MEETING.year}: a number such as 2024 typed into a date cell reads "
            "as a day of 1905; type the full date as YYYY-MM-DD, e.g. 2024-03-12",
        )
    elif day > date.today() + timedelta(days=1):
        context.problem(row, MEETING, f"{day.isoformat()} is in the future; give the date of the meeting")
    else:
        return day.isoformat()
    return None


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial_date(value)
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(str(value).strip(), pattern).date()
        except ValueError:
            continue
    return None


def _serial_date(value: float) -> date | None:
    """A plain number is a date only as an Excel serial of this century (45363 is 2024-03-12); a number such
    as 2024 (a year typed alone) would be 1905-07-16, so it is no date."""
    if not EARLIEST_SERIAL <= value < 200000:
        return None
    converted = from_excel(value)
    return converted.date() if isinstance(converted, datetime) else None
