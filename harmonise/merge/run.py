"""Running the chapter merge end to end for the CLI.

Per chapter: load the legacy spreadsheets, review the recorded working-group decisions against them
(``harmonise.review.register``), pass confirmed/rejected matches to the matcher, merge with the fresh decisions
applied before the rules, name each item whole and label the joins the group confirmed (``merge.naming``),
write the draft workbook and the working-group workbook. Before anything is written, every chapter's existing
working-group workbook is checked for typed decisions not yet imported (``merge.guard``): the merge refuses,
imports them first, or writes beside it; a workbook overwritten is kept as a dated copy. After every output is
written: one ``run`` audit event (input hashes, rules digest, config), an ``outcome`` event per item whose
outcome changed since the last run, and ``decision-stale`` / ``decision-vanished`` events for decisions newly
found out of date; then the per-chapter outcome state (``reports/<NN-slug>/outcomes.json``) is updated.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from harmonise.audit import AuditLog, run_event
from harmonise.matching import MatchOptions, MatchSettings, load_knowledge, reference_path, workspace_reference
from harmonise.merge.chapter import ChapterMerge, ItemResult, merge_loaded
from harmonise.merge.draft_workbook import write_draft
from harmonise.merge.group_workbook import write_working_group
from harmonise.merge.guard import Guarded, guard_workbooks, keep_copy, workbook_path
from harmonise.merge.naming import labelled
from harmonise.model import Chapter
from harmonise.output import write_text
from harmonise.review import (
    VANISHED,
    DecisionReview,
    audit_data,
    load_register,
    register_path,
    review_decisions,
)
from harmonise.rules import RuleSet, load_rules
from harmonise.sources import load_chapter
from harmonise.workspace import CONFIG_NAME, Workspace

SETTING_NAMES = {"auto_score": "auto_score", "candidate_score": "candidate_score", "margin": "margin"}
STATE_NAME = "outcomes.json"
PREVIOUS_STATE_NAME = "outcomes.previous.json"


@dataclass
class MergeRun:
    """What one ``harmonise merge`` did; ``reviews`` says how each chapter's recorded decisions fared."""

    rules: RuleSet
    chapters: list[ChapterMerge]
    reviews: dict[str, DecisionReview] = field(default_factory=dict)
    audit_events: int = 0
    guarded: dict[str, Guarded] = field(default_factory=dict)
    kept_copies: dict[str, Path] = field(default_factory=dict)


def match_options(workspace: Workspace) -> MatchOptions:
    """Matcher settings from the workspace: thresholds, extra knowledge folders, optional BNF reference."""
    defaults = MatchSettings()
    overrides = {SETTING_NAMES[k]: v for k, v in workspace.matching.items() if hasattr(defaults, SETTING_NAMES[k])}
    settings = MatchSettings(**{**defaults.__dict__, **overrides}) if overrides else defaults
    knowledge = load_knowledge(workspace.knowledge_dirs)
    reference = workspace_reference(workspace)
    return MatchOptions(knowledge=knowledge, reference=reference, settings=settings)


def write_outputs(
    workspace: Workspace, merge: ChapterMerge, review: DecisionReview | None = None, target: Path | None = None
) -> Path | None:
    """Write the draft and the working-group workbook (to ``target``, by default the chapter's); returns the
    dated copy kept of the working-group workbook it overwrote, if any."""
    workspace = workspace.for_chapter(merge.chapter)
    previous = {key: s.decision.describe(workspace.scale) for key, s in review.stale_items.items()} if review else {}
    merge.files["draft"] = write_draft(workspace, merge, workspace.chapter_dir(merge.chapter) / "harmonised-draft.xlsx")
    target = target or workbook_path(workspace, merge.chapter)
    copy = keep_copy(target)
    merge.files["working_group"] = write_working_group(workspace, merge, target, previous)
    return copy


def merge_with_decisions(
    workspace: Workspace, chapter: Chapter, rules: RuleSet, options: MatchOptions
) -> tuple[ChapterMerge, DecisionReview]:
    """Load, review the chapter's recorded decisions, and merge with them applied before the rules."""
    loaded = load_chapter(workspace, chapter)
    register = load_register(
        register_path(workspace, chapter), chapter, workspace.scale, f"decisions/{chapter.slug}.yaml"
    )
    review = review_decisions(register, loaded.entries, workspace.scale)
    with_pairs = replace(options, confirmed=tuple(review.confirmed), rejected=tuple(review.rejected))
    merge = merge_loaded(workspace, loaded, rules, with_pairs, decide=review.decide)
    merge.results = [labelled(r, review.joins(r.item)) for r in merge.results]
    review.finish()
    merge.stale = list(review.stale.values())  # type: ignore[attr-defined]  # read by publish and dashboard
    return merge, review


def run_merge(
    workspace: Workspace,
    chapters: Sequence[Chapter],
    write: bool = True,
    progress: Callable[[Chapter], None] | None = None,
    user: str = "unknown",
    command: str = "merge",
    existing: str = "refuse",
) -> MergeRun:
    """Merge each chapter; rules are validated once, before any chapter is touched.

    With ``write``, each chapter's working-group workbook is first checked for typed decisions not yet imported
    (``existing``: ``refuse``, ``import-first`` or ``beside``, see ``merge.guard``); then the workbooks are
    written, then the audit events, then the outcome state.
    """
    rules = load_rules(workspace)
    options = match_options(workspace)
    run = MergeRun(rules, [])
    if write:
        run.guarded = guard_workbooks(workspace, chapters, existing, user)
    for chapter in chapters:
        merge, review = merge_with_decisions(workspace, chapter, rules, options)
        if write:
            copy = write_outputs(workspace, merge, review, run.guarded[chapter.slug].target)
            if copy:
                run.kept_copies[chapter.slug] = copy
        run.chapters.append(merge)
        run.reviews[chapter.slug] = review
        if progress:
            progress(chapter)
    if write:
        record_run(workspace, run, user, command)
    return run


def record_run(workspace: Workspace, run: MergeRun, user: str, command: str) -> None:
    """Append the run's audit events, then save each chapter's outcome state for the next comparison."""
    events = [run_event(command, run_inputs(workspace, run), run.rules.digest, workspace.root / CONFIG_NAME)]
    states = {}
    for merge in run.chapters:
        state_file = workspace.reports_dir(merge.chapter) / STATE_NAME
        before = read_state(state_file)
        review = run.reviews[merge.chapter.slug]
        events += outcome_events(merge, before.get("items", {}))
        events += decision_events(merge.chapter, review, before)
        states[state_file] = chapter_state(merge, review)
    run.audit_events = len(AuditLog(workspace.root / "reports" / "audit.jsonl").append(events, user=user))
    for state_file, state in states.items():
        if state_file.is_file():  # kept so that 'harmonise diff --last-runs' can compare the last two runs
            write_text(state_file.with_name(PREVIOUS_STATE_NAME), state_file.read_text(encoding="utf-8"))
        write_text(state_file, json.dumps(state, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def run_inputs(workspace: Workspace, run: MergeRun) -> dict[str, Path]:
    """Every input spreadsheet, rule file and decisions register, named by its workspace-relative path."""
    paths = [p for m in run.chapters for p in m.loaded.files]
    paths += list(run.rules.files)
    paths += [register_path(workspace, m.chapter) for m in run.chapters]
    reference = reference_path(workspace)
    out = {} if reference is None else {f"reference:{reference.name}": reference}
    for path in paths:
        path = Path(path) if Path(path).is_absolute() else workspace.root / path
        if path.is_file():
            out[relative(workspace, path)] = path
    return out


def relative(workspace: Workspace, path: Path) -> str:
    try:
        return path.resolve().relative_to(workspace.root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_state(path: Path) -> dict[str, Any]:
    """The previous run's outcome state; an unreadable file counts as none (every outcome is then logged)."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def outcome_state(result: ItemResult) -> dict[str, Any]:
    o = result.outcome
    return {
        "name": result.item.name,
        "kind": o.kind,
        "status": o.status,
        "source": o.source,
        "decided_by": o.decided_by,
        "rationale": o.rationale,
    }


def chapter_state(merge: ChapterMerge, review: DecisionReview) -> dict[str, Any]:
    return {
        "version": 1,
        "chapter": merge.chapter.slug,
        "items": {r.item.key: outcome_state(r) for r in merge.results},
        "stale": sorted(review.stale),
        "vanished": sorted(d.fingerprint for d in review.vanished),
    }


def outcome_events(merge: ChapterMerge, before: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """One ``outcome`` event per item that is new or whose outcome (kind, status, source, by) changed."""
    events = []
    for result in merge.results:
        now, was = outcome_state(result), before.get(result.item.key)
        if was and all(was.get(k) == now[k] for k in ("kind", "status", "source", "decided_by")):
            continue
        previous = {k: was.get(k) for k in ("kind", "status", "decided_by")} if was else None
        events.append(
            (
                "outcome",
                {
                    "chapter": merge.chapter.slug,
                    "item_key": result.item.key,
                    "item_name": result.item.name,
                    "before": previous,
                    "after": {k: now[k] for k in ("kind", "status", "decided_by", "rationale")},
                },
            )
        )
    return events


def decision_events(
    chapter: Chapter, review: DecisionReview, before: Mapping[str, Any]
) -> list[tuple[str, dict[str, Any]]]:
    """``decision-stale`` / ``decision-vanished`` for decisions not already reported so by the last run."""
    known_stale, known_vanished = set(before.get("stale", ())), set(before.get("vanished", ()))
    events = [
        ("decision-stale", audit_data(chapter.slug, s.decision, s.reason))
        for fp, s in review.stale.items()
        if fp not in known_stale
    ]
    events += [
        ("decision-vanished", audit_data(chapter.slug, d, VANISHED))
        for d in review.vanished
        if d.fingerprint not in known_vanished
    ]
    return events
