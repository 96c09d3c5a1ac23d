"""``harmonise decisions minutes``: a short Markdown record of what the working group decided at a meeting.

Written to ``reports/minutes-<DATE>.md`` from the decisions registers (not from workbooks), so it lists
exactly what was recorded: per chapter, the decisions with their rationale, the matches confirmed or
rejected, and the items deferred to the chapter review. A decision later replaced at another meeting is
still listed, marked as replaced: the minutes record the meeting as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from harmonise.errors import InputError
from harmonise.model import Chapter, all_of
from harmonise.output import write_text
from harmonise.review.register import Decision, load_register, parse_iso_date, register_path
from harmonise.workspace import Workspace


@dataclass
class ChapterMinutes:
    """One chapter's part of the minutes."""

    chapter: Chapter
    decided: list[Decision] = field(default_factory=list)
    matches: list[Decision] = field(default_factory=list)
    deferred: list[Decision] = field(default_factory=list)
    replaced: set[int] = field(default_factory=set)

    @property
    def count(self) -> int:
        return len(self.decided) + len(self.matches) + len(self.deferred)


@dataclass
class Minutes:
    """The record of one meeting, and the file it was written to."""

    meeting: str
    chapters: list[ChapterMinutes]
    path: Path

    @property
    def count(self) -> int:
        return sum(c.count for c in self.chapters)


def meeting_decisions(workspace: Workspace, chapter: Chapter, meeting: str) -> ChapterMinutes:
    """The decisions of ``chapter`` taken at ``meeting``, including ones replaced since (from history)."""
    register = load_register(register_path(workspace, chapter), chapter, workspace.scale)
    part = ChapterMinutes(chapter)
    for decision in register.decisions.values():
        taken = [decision] if decision.meeting == meeting else []
        for old in decision.history:
            if str(old.get("meeting")) == meeting:
                record = Decision(
                    decision.fingerprint,
                    decision.item,
                    str(old.get("decision", "")),
                    str(old.get("rationale", "")),
                    meeting,
                    str(old.get("decided_by", "")),
                    decision.entries,
                    old.get("status"),
                    str(old.get("source", "")),
                    str(old.get("candidate", "")),
                )
                taken.append(record)
                part.replaced.add(id(record))
        for record in taken:
            kind = record.decision
            target = part.matches if record.is_match else part.deferred if kind == "defer" else part.decided
            target.append(record)
    return part


def write_minutes(workspace: Workspace, meeting: str) -> Minutes:
    """Collect the meeting's decisions from every chapter's register and write the Markdown record."""
    day = parse_iso_date(meeting.strip())
    if day is None:
        raise InputError(f"--meeting {meeting!r}: give the meeting date as YYYY-MM-DD, e.g. 2024-03-12")
    text = day.isoformat()
    parts = [p for c in workspace.chapters if (p := meeting_decisions(workspace, c, text)).count]
    if not parts:
        raise InputError(f"no decisions are recorded for a meeting on {text}{_known_meetings(workspace)}")
    target = workspace.root / "reports" / f"minutes-{text}.md"
    minutes = Minutes(text, parts, target)
    write_text(target, render(workspace, minutes))
    return minutes


def _known_meetings(workspace: Workspace) -> str:
    dates: set[str] = set()
    for chapter in workspace.chapters:
        if register_path(workspace, chapter).exists():
            register = load_register(register_path(workspace, chapter), chapter, workspace.scale)
            dates.update(d.meeting for d in register.decisions.values())
    return f" (recorded meetings: {', '.join(sorted(dates))})" if dates else " (no decisions are recorded yet)"


def render(workspace: Workspace, minutes: Minutes) -> str:
    """The minutes as Markdown."""
    day = date.fromisoformat(minutes.meeting)
    lines = [
        f"# Harmonisation working group: {day.strftime('%d %B %Y').lstrip('0')}",
        "",
        f"{workspace.title}. Decisions recorded for the meeting of {minutes.meeting}: {minutes.count}.",
        "",
    ]
    for part in minutes.chapters:
        lines += [f"## Chapter {part.chapter.label}", ""]
        lines += _section(workspace, "Decisions", part.decided, part.replaced)
        lines += _section(workspace, "Matches", part.matches, part.replaced)
        positions = all_of(len(workspace.sources_for(part.chapter)), "legacy positions")
        lines += _section(
            workspace,
            f"Deferred to the chapter review ({positions} retained)",
            part.deferred,
            part.replaced,
        )
    return "\n".join(lines).rstrip() + "\n"


def _section(workspace: Workspace, title: str, decisions: list[Decision], replaced: set[int]) -> list[str]:
    if not decisions:
        return []
    lines = [f"### {title}", ""]
    for d in sorted(decisions, key=lambda d: d.item.casefold()):
        outcome = d.what(workspace.scale, {s.key: s.name for s in workspace.sources})
        note = " *(replaced at a later meeting)*" if id(d) in replaced else ""
        lines.append(
            f"- **{_md(d.item)}**: {_md(outcome)}{note}. Decided by {_md(d.decided_by)}."
            + (f" Rationale: {_md(d.rationale)}" if d.rationale else "")
        )
    return [*lines, ""]


def _md(text: str) -> str:
    """Plain text safe inside a Markdown list item (no accidental emphasis, links or HTML)."""
    out = " ".join(str(text).split())
    for char in "\\`*_[]<>|#":
        out = out.replace(char, "\\" + char)
    return out
