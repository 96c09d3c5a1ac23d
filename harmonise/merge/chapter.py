"""``harmonise merge``: load -> match -> decide -> write, for one chapter.

Every legacy entry ends up in exactly one item. Each item gets an outcome: a recorded working-group
decision first (the ``decide`` seam), then the rules in order, with an explicit default (escalate) when no
rule applies. An entry whose status word is not in its source's vocabulary is never adopted: its item is
escalated with the data error as the reason. A row that could not be read (an error in its drug cell, a name
alone on its row) is a ``Gap``: an item it may hold is escalated too, never read as "not listed" there.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harmonise.errors import InputError, Problem
from harmonise.matching import MatchOptions, build_items
from harmonise.merge.limits import require_entries_fit
from harmonise.model import Chapter, Item, Outcome
from harmonise.rules import Evaluation, RuleSet, Verdict, evaluate
from harmonise.sources import ChapterLoad, Finding, Gap, load_chapter
from harmonise.workspace import Workspace

BLOCKING = {"missing-file", "several-files", "missing-sheet", "no-header", "missing-column", "duplicate-column"}
NAME_WORD = re.compile(r"[^\W\d_]{4,}")
SHOWN_GAPS = 3

Decide = Callable[[Item], Outcome | None]


@dataclass(frozen=True)
class ItemResult:
    """One harmonised row: the item, every rule's verdict, and the outcome that settles it (or not)."""

    item: Item
    verdicts: tuple[Verdict, ...]
    outcome: Outcome
    flags: tuple[str, ...] = ()


@dataclass
class ChapterMerge:
    """The merged chapter: results in row order, what was loaded, and the files written."""

    chapter: Chapter
    loaded: ChapterLoad
    rules: RuleSet
    results: list[ItemResult]
    files: dict[str, Path] = field(default_factory=dict)
    # the outcome state (outcomes.json) as written, when made where the chapter was merged (``run.merged``)
    state: str = ""

    @property
    def findings(self) -> list[Finding]:
        return self.loaded.findings

    def gaps_for(self, item: Item) -> list[Gap]:
        """The unreadable rows that may hold ``item`` in a source that does not list it."""
        return gaps_covering(item, self.loaded.gaps)

    def count_by(self, what: Callable[[ItemResult], str]) -> dict[str, int]:
        return dict(sorted(Counter(what(r) for r in self.results).items()))

    def summary(self) -> dict[str, object]:
        return {
            "chapter": self.chapter.number,
            "slug": self.chapter.slug,
            "items": len(self.results),
            "entries_per_source": {s.source: len(s.entries) for s in self.loaded.sources},
            "match": self.count_by(lambda r: r.item.match.decision),
            "outcome": self.count_by(lambda r: r.outcome.kind),
            "decided_by": self.count_by(lambda r: r.outcome.decided_by),
            "data_errors": sum(1 for f in self.findings if f.severity == "error"),
            "files": {name: str(path) for name, path in self.files.items()},
        }


def require_loadable(loaded: ChapterLoad) -> None:
    """A chapter whose files cannot be read as tables cannot be merged: say which and why."""
    blocking = [f for f in loaded.findings if f.kind in BLOCKING]
    if not blocking:
        require_entries_fit(loaded)
    if blocking:
        raise InputError(
            f"chapter {loaded.chapter.label} cannot be merged until these are fixed "
            "(run 'harmonise check' for the full report):",
            [Problem(f.where, f.message) for f in blocking],
        )


def data_error_outcome(item: Item) -> Outcome | None:
    """Escalate an item that holds an entry whose status word is unknown: never guess a status."""
    unknown = [e for e in item.entries if e.status is None]
    if not unknown:
        return None
    detail = "; ".join(
        f"{e.provenance}: status {e.status_word or '(blank)'!r} is not in the {e.source} vocabulary" for e in unknown
    )
    return Outcome("escalate", "data-error", f"Data error, fix the source or decide: {detail}")


def same_section(one: str, other: str) -> bool:
    """Two sections name the same BNF section at the first two levels (02.02.01 and 2.2); unknown is the same."""
    if not one or not other:
        return True
    return one.split(".")[:2] == other.split(".")[:2]


def gap_covers(gap: Gap, item: Item) -> bool:
    """Whether an unreadable row of ``gap.source`` may hold ``item``, which that source does not list: by a
    shared word of the name when the row has one, else by section (any section when it is unknown)."""
    if item.position(gap.source).present:
        return False
    if gap.name:
        words = set(NAME_WORD.findall(gap.name.casefold()))
        return any(words & set(NAME_WORD.findall(e.name.casefold())) for e in item.entries)
    return any(same_section(gap.section, e.section) for e in item.entries)


def gaps_covering(item: Item, gaps: Sequence[Gap]) -> list[Gap]:
    return [gap for gap in gaps if gap_covers(gap, item)]


def gap_outcome(item: Item, gaps: Sequence[Gap]) -> Outcome | None:
    """Escalate an item that an unreadable row may hold: its source's silence is not 'not listed'."""
    found = gaps_covering(item, gaps)
    if not found:
        return None
    sources = ", ".join(dict.fromkeys(g.source for g in found))
    shown = "; ".join(g.describe() for g in found[:SHOWN_GAPS])
    more = f"; and {len(found) - SHOWN_GAPS} more" if len(found) > SHOWN_GAPS else ""
    return Outcome(
        "escalate",
        "data-error",
        f"Data error, fix the source or decide: {sources} may list this medicine on a row that could not be read "
        f"({shown}{more}); it is not treated as not listed there",
    )


def settle(
    item: Item, rules: RuleSet, workspace: Workspace, decide: Decide | None, gaps: Sequence[Gap] = ()
) -> ItemResult:
    evaluation: Evaluation = evaluate(rules, item, workspace.scale)
    decided = decide(item) if decide else None
    outcome = decided or data_error_outcome(item) or gap_outcome(item, gaps) or evaluation.outcome
    flags = tuple(dict.fromkeys((*evaluation.flags, *outcome.flags)))
    return ItemResult(item, evaluation.verdicts, outcome, flags)


def merge_loaded(
    workspace: Workspace, loaded: ChapterLoad, rules: RuleSet, options: MatchOptions, decide: Decide | None = None
) -> ChapterMerge:
    """Match and decide an already loaded chapter (no files written)."""
    require_loadable(loaded)
    per_source = [(s.source, s.entries) for s in loaded.sources]
    items = build_items(loaded.chapter, per_source, options)
    results = [settle(item, rules, workspace, decide, loaded.gaps) for item in items]
    return ChapterMerge(loaded.chapter, loaded, rules, results)


def merge_chapter(
    workspace: Workspace, chapter: Chapter, rules: RuleSet, options: MatchOptions, decide: Decide | None = None
) -> ChapterMerge:
    """Load and merge one chapter (no files written; see ``harmonise.outputs``)."""
    return merge_loaded(workspace, load_chapter(workspace, chapter), rules, options, decide)


def entries_accounted(merge: ChapterMerge) -> bool:
    """Every loaded entry appears in exactly one item (the no-loss invariant)."""
    loaded = sorted(e.key for e in merge.loaded.entries)
    placed = sorted(e.key for r in merge.results for e in r.item.entries)
    return loaded == placed
