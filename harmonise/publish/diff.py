"""``harmonise diff``: what a rule change would do to a chapter, before anyone adopts it (a dry run).

The chapter is merged in memory once; every item a rule (or the default) settled is evaluated again with
the other rule file. Items settled by a recorded working-group decision or escalated for a data error keep
their outcome: a rule change never overrides a decision. The only file written is the Markdown report
``reports/<NN-slug>/diff-rules-<stem>.md`` (its name has no timestamp, so re-running replaces it).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from harmonise.errors import InputError
from harmonise.merge import PREVIOUS_STATE_NAME, STATE_NAME, ChapterMerge, ItemResult, read_state, run_merge
from harmonise.model import Chapter, Outcome, Scale
from harmonise.output import write_text
from harmonise.publish.content import section_key
from harmonise.publish.rationale import md_cell, md_table
from harmonise.rules import DEFAULT_ID, RuleSet, evaluate, load_rules
from harmonise.workspace import Workspace


@dataclass(frozen=True)
class OutcomeView:
    """An outcome as the diff shows it: kind, status, adopted source, deciding rule, rationale."""

    kind: str
    status: str
    source: str
    decided_by: str
    rationale: str

    @classmethod
    def of(cls, outcome: Outcome) -> OutcomeView:
        return cls(outcome.kind, outcome.status or "", outcome.source, outcome.decided_by, outcome.rationale)

    def text(self, scale: Scale) -> str:
        """'adopt Green (R5)', 'escalate (default)'."""
        status = f" {scale.label(self.status)}" if self.status else ""
        return f"{self.kind}{status} ({self.decided_by})"

    @property
    def decision(self) -> tuple[str, str, str]:
        return self.kind, self.status, self.source


@dataclass(frozen=True)
class OutcomeChange:
    """One item whose outcome differs between the two rule sets."""

    section: str
    item_key: str
    item_name: str
    before: OutcomeView
    after: OutcomeView


@dataclass(frozen=True)
class RuleDiff:
    """The dry run of a rule change on one chapter."""

    chapter: Chapter
    current_rules: tuple[str, ...]
    other_rules: tuple[str, ...]
    items: int
    kept_by_decision: int
    changes: tuple[OutcomeChange, ...]
    between_runs: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "chapter": self.chapter.number,
            "slug": self.chapter.slug,
            "current_rules": list(self.current_rules),
            "other_rules": list(self.other_rules),
            "items": self.items,
            "kept_by_decision": self.kept_by_decision,
            "changes": [asdict(c) for c in self.changes],
        }


def resolve_rule_file(workspace: Workspace, given: Path) -> Path:
    """The other rule file as given (relative to the current folder), else relative to the workspace."""
    for candidate in (given, workspace.root / given):
        if candidate.is_file():
            return candidate.resolve()
    raise InputError(f"{given}: rule file not found (looked in the current folder and in {workspace.root})")


def rule_settled(result: ItemResult, rules: RuleSet) -> bool:
    """True when the current rules (or their default) set this outcome, so other rules could change it."""
    return result.outcome.decided_by in rules.ids or result.outcome.decided_by == DEFAULT_ID


def compare(workspace: Workspace, merge: ChapterMerge, other: RuleSet) -> RuleDiff:
    """Evaluate every rule-settled item of ``merge`` with ``other`` and list those whose outcome changes."""
    changes, kept = [], 0
    for result in merge.results:
        if not rule_settled(result, merge.rules):
            kept += 1
            continue
        before = OutcomeView.of(result.outcome)
        after = OutcomeView.of(evaluate(other, result.item, workspace.scale).outcome)
        if before.decision != after.decision:
            changes.append(OutcomeChange(result.item.section, result.item.key, result.item.name, before, after))
    changes.sort(key=lambda c: (section_key(c.section), c.item_name.casefold()))
    return RuleDiff(
        merge.chapter,
        tuple(str(p) for p in merge.rules.files),
        tuple(str(p) for p in other.files),
        len(merge.results),
        kept,
        tuple(changes),
    )


def diff_rules(workspace: Workspace, chapter: Chapter, other_file: Path) -> RuleDiff:
    """Dry run: the chapter's outcomes under the current rules and under ``other_file`` (nothing written)."""
    other = load_rules(workspace, [resolve_rule_file(workspace, other_file)])
    merge = run_merge(workspace, [chapter], write=False).chapters[0]
    return compare(workspace, merge, other)


ABSENT = OutcomeView("absent", "", "", "", "not in that run")


def _view(state: dict[str, Any]) -> OutcomeView:
    return OutcomeView(
        str(state.get("kind", "")),
        str(state.get("status") or ""),
        str(state.get("source") or ""),
        str(state.get("decided_by", "")),
        str(state.get("rationale", "")),
    )


def _pair_by_name(gone: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """Items whose key changed (their legacy entries changed) are paired by name when the name is unique."""
    gone_names = {v.get("name"): k for k, v in gone.items()}
    new_names = {v.get("name"): k for k, v in new.items()}
    if len(gone_names) != len(gone) or len(new_names) != len(new):
        gone_names = {n: k for n, k in gone_names.items() if list(v.get("name") for v in gone.values()).count(n) == 1}
        new_names = {n: k for n, k in new_names.items() if list(v.get("name") for v in new.values()).count(n) == 1}
    pairs = []
    for name in sorted(set(gone_names) & set(new_names), key=str):
        pairs.append((new_names[name], gone.pop(gone_names[name]), new.pop(new_names[name])))
    pairs += [(k, v, None) for k, v in gone.items()] + [(k, None, v) for k, v in new.items()]
    return pairs


def compare_states(chapter: Chapter, before: dict[str, Any], after: dict[str, Any]) -> RuleDiff:
    """Every item whose outcome differs between two saved runs, including items new in or gone from one."""
    old, new = before.get("items", {}), after.get("items", {})
    changes = []
    pairs = [(k, old[k], new[k]) for k in sorted(set(old) & set(new))]
    pairs += _pair_by_name(
        {k: v for k, v in old.items() if k not in new}, {k: v for k, v in new.items() if k not in old}
    )
    for key, was, now in pairs:
        was_view = _view(was) if was else ABSENT
        now_view = _view(now) if now else ABSENT
        if was_view.decision != now_view.decision or was_view.decided_by != now_view.decided_by:
            name = str((now or was).get("name", key))
            changes.append(OutcomeChange("", key, name, was_view, now_view))
    changes.sort(key=lambda c: (c.item_name.casefold(), c.item_key))
    return RuleDiff(chapter, ("previous run",), ("last run",), len(new), 0, tuple(changes), between_runs=True)


def diff_last_runs(workspace: Workspace, chapter: Chapter) -> RuleDiff:
    """Compare the outcome states saved by the last two ``harmonise merge`` runs of ``chapter``."""
    folder = workspace.reports_dir(chapter)
    last, previous = folder / STATE_NAME, folder / PREVIOUS_STATE_NAME
    if not previous.is_file():
        raise InputError(
            f"{previous}: there is no earlier merge run of chapter {chapter.label} to compare with; "
            "run 'harmonise merge' twice (for example before and after a rule or data change)"
        )
    return compare_states(chapter, read_state(previous), read_state(last))


def report_name(other_file: Path) -> str:
    """``diff-rules-<stem>.md`` with the stem reduced to safe file-name characters."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(other_file).stem).strip("-.") or "rules"
    return f"diff-rules-{stem}.md"


def diff_markdown(diff: RuleDiff, scale: Scale) -> str:
    """The report: what is compared, how many items change, and every change old -> new with its rule."""
    if diff.between_runs:
        lines = [
            f"# Changes between the last two merge runs: {md_cell(diff.chapter.label)}",
            "",
            f"- items in the last run: {diff.items}",
            f"- outcomes that changed: **{len(diff.changes)}** (absent: the item was not in that run, "
            "for example because its legacy entries changed)",
            "",
        ]
        head = ("Section", "Medicine", "Previous run", "Last run", "Why (last run)")
    else:
        lines = [
            f"# Rule change dry run: {md_cell(diff.chapter.label)}",
            "",
            f"- current rules: {', '.join(md_cell(Path(p).name) for p in diff.current_rules)}",
            f"- other rules: {', '.join(md_cell(Path(p).name) for p in diff.other_rules)}",
            f"- items: {diff.items}; kept by a working-group decision or data error: {diff.kept_by_decision}",
            f"- outcomes that would change: **{len(diff.changes)}**",
            "",
        ]
        head = ("Section", "Medicine", "Now", "With the other rules", "Why (other rules)")
    if not diff.changes:
        return "\n".join([*lines, "No outcome changes.", ""])
    rows = [
        (c.section, c.item_name, c.before.text(scale), c.after.text(scale), c.after.rationale) for c in diff.changes
    ]
    return "\n".join(lines + md_table(head, rows))


def write_diff_report(workspace: Workspace, diff: RuleDiff, other_file: Path, name: str = "") -> Path:
    """Write the report beside the chapter's other reports; returns its path."""
    target = workspace.reports_dir(diff.chapter) / (name or report_name(other_file))
    write_text(target, diff_markdown(diff, workspace.scale))
    return target
