"""Running the chapter merge end to end for the CLI.

Every chapter is loaded and checked first (unreadable files, too many entries, substance blocks too large to
match, output folders that are symbolic links): a chapter that fails stops the run before anything is written.
Then per chapter: review the recorded working-group decisions against the entries (``harmonise.review.register``),
pass confirmed/rejected matches to the matcher, merge with the fresh decisions applied before the rules, and name
each item whole (``merge.naming``). Before that, every chapter's existing working-group workbook is checked for
typed decisions not yet imported (``merge.guard``). All outputs (drafts, working-group workbooks, the
per-chapter outcome state ``reports/<NN-slug>/outcomes.json``) and the audit events (one ``run`` event, an
``outcome`` event per changed item, ``decision-stale`` / ``decision-vanished``) are written as one transaction,
all or nothing (``merge.commit``): each chapter's workbooks are staged as soon as it is merged (nothing visible
changes), and put in place with the others once the last chapter is merged. With several chapters, forked
worker processes merge chapters while this one stages those already merged, in chapter order (``merged``), so
what is written and logged is what merging them one after another writes (``HARMONISE_WORKERS=1``: one process).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from harmonise.matching import (
    MatchOptions,
    MatchSettings,
    each_in_workers,
    load_knowledge,
    prepare,
    reference_path,
    usable_workers,
    workers_for,
    workspace_reference,
)
from harmonise.merge.chapter import ChapterMerge, ItemResult, merge_loaded, require_loadable
from harmonise.merge.collector import collector_paused, heap_frozen
from harmonise.merge.commit import (
    MergeRun,
    PackedBooks,
    chapter_books,
    clean_temporary,
    commit,
    merge_lock,
    new_transaction,
    recover_merge,
    run_record,
    stage_chapter,
    state_text,
)
from harmonise.merge.guard import WORKBOOK_NAME, guard_workbooks
from harmonise.merge.limits import require_blocks_fit
from harmonise.merge.naming import labelled
from harmonise.model import Chapter
from harmonise.output import Transaction
from harmonise.review import (
    VANISHED,
    DecisionReview,
    audit_data,
    load_logged_register,
    register_path,
    review_decisions,
)
from harmonise.rules import RuleSet, load_rules
from harmonise.sources import ChapterLoad, load_chapter
from harmonise.workspace import Workspace, workspace_key

SETTING_NAMES = {"auto_score": "auto_score", "candidate_score": "candidate_score", "margin": "margin"}
STATE_NAME = "outcomes.json"
PREVIOUS_STATE_NAME = "outcomes.previous.json"


def match_options(workspace: Workspace) -> MatchOptions:
    """Matcher settings from the workspace: thresholds, extra knowledge folders, optional BNF reference."""
    defaults = MatchSettings()
    overrides = {SETTING_NAMES[k]: v for k, v in workspace.matching.items() if hasattr(defaults, SETTING_NAMES[k])}
    settings = MatchSettings(**{**defaults.__dict__, **overrides}) if overrides else defaults
    knowledge = load_knowledge(workspace.knowledge_dirs)
    reference = workspace_reference(workspace)
    return MatchOptions(knowledge=knowledge, reference=reference, settings=settings)


def prepared_options(workspace: Workspace) -> MatchOptions:
    """``match_options`` with the tables the matcher keeps for the run built (``matching.prepare``)."""
    options = match_options(workspace)
    prepare(options)
    return options


def merge_with_decisions(
    workspace: Workspace, loaded: ChapterLoad, rules: RuleSet, options: MatchOptions
) -> tuple[ChapterMerge, DecisionReview]:
    """Review the loaded chapter's recorded decisions, and merge with them applied before the rules."""
    chapter = loaded.chapter
    register = load_logged_register(workspace, chapter)  # refused if a record lacks its decision event
    review = review_decisions(register, loaded.entries, workspace.scale)
    with_pairs = replace(options, confirmed=tuple(review.confirmed), rejected=tuple(review.rejected))
    merge = merge_loaded(workspace, loaded, rules, with_pairs, decide=review.decide)
    merge.results = [labelled(r, review.joins(r.item)) for r in merge.results]
    review.finish()
    merge.stale = list(review.stale.values())  # type: ignore[attr-defined]  # read by publish and dashboard
    return merge, review


def load_all(
    workspace: Workspace, chapters: Sequence[Chapter], write: bool, meanwhile: Callable[[], object] | None = None
) -> list[ChapterLoad]:
    """Load and check every chapter before any is merged or written: unreadable files, too many entries,
    substance blocks too large to match, and (when writing) output folders that lead out of the workspace. With
    several chapters the files are read in worker processes too (``HARMONISE_WORKERS``), while this one does
    ``meanwhile`` (first, in one process); each chapter is checked here, in chapter order, so the first problem
    found is the one one process would find."""
    loads = []
    read = each_in_workers(
        lambda index: load_chapter(workspace, chapters[index]),
        len(chapters),
        usable_workers() - 1,
        helping=True,
        meanwhile=meanwhile,
    )
    with contextlib.closing(read):  # a problem found stops the reading at once
        for chapter, loaded in zip(chapters, read, strict=True):
            require_loadable(loaded)
            require_blocks_fit(loaded)
            if write:
                for folder in (workspace.chapter_dir(chapter), workspace.reports_dir(chapter)):
                    workspace.require_writable(folder)
            loads.append(loaded)
    return loads


def run_merge(
    workspace: Workspace,
    chapters: Sequence[Chapter],
    write: bool = True,
    progress: Callable[[Chapter], None] | None = None,
    user: str = "unknown",
    command: str = "merge",
    existing: str = "refuse",
) -> MergeRun:
    """Merge each chapter; rules are validated and every chapter loaded and checked before anything is written.

    With ``write``, the run holds the merge lock, first completes or rolls back a merge that was killed
    (``run.recovered`` says which); the input files are read (in worker processes too) while this process gets the
    matcher ready (``prepared_options``: its knowledge, the national list and the tables kept for the run); then it
    checks each chapter's working-group workbook for typed decisions not
    yet imported (``existing``: ``refuse``, ``import-first`` or ``beside``, see ``merge.guard``); then every
    output and the audit events are written together, all or nothing (``merge.commit``). Chapters are merged in
    worker processes when there are several (``merged``); each is staged as soon as it and those before it are
    merged, in chapter order.
    """
    rules = load_rules(workspace)
    run = MergeRun(rules, [])
    with (
        collector_paused(collect_first=True),  # see merge.collector
        merge_lock(workspace) if write else contextlib.nullcontext(),
    ):
        if write:
            run.recovered = recover_merge(workspace)
        ready: list[MatchOptions] = []  # the matcher's settings, knowledge and national list, made ready
        loads = load_all(workspace, chapters, write, meanwhile=lambda: ready.append(prepared_options(workspace)))
        options = ready[0]
        if write:
            with heap_frozen():  # openpyxl reads a workbook into objects that refer to each other
                run.guarded = guard_workbooks(workspace, chapters, existing, user)
        tx = open_transaction(workspace, [loaded.chapter for loaded in loads]) if write else None
        events = merge_and_stage(workspace, run, loads, options, tx, progress, command)
        if tx:
            with heap_frozen():
                commit(workspace, run, events, user, tx)
    return run


def merge_and_stage(
    workspace: Workspace,
    run: MergeRun,
    loads: Sequence[ChapterLoad],
    options: MatchOptions,
    tx: Transaction | None,
    progress: Callable[[Chapter], None] | None,
    command: str,
) -> list[tuple[str, Any]]:
    """Merge every chapter into ``run`` and, with a transaction, stage each chapter's workbooks as soon as it and
    those before it are merged, then every outcome state; give the run's audit events. On any error what was
    staged is removed (nothing visible has changed)."""
    try:
        for merge, review, books in merged(workspace, loads, run.rules, options, tx.tag if tx else None):
            run.chapters.append(merge)
            run.reviews[merge.chapter.slug] = review
            if tx:
                with heap_frozen():  # XlsxWriter's worksheets refer to their workbook
                    stage_chapter(workspace, run, merge, books, tx)
            if progress:
                progress(merge.chapter)
        if not tx:
            return []
        with heap_frozen():
            return staged_events(workspace, run, command, tx)
    except BaseException:
        if tx:
            tx.discard()
        raise


def merged(
    workspace: Workspace, loads: Sequence[ChapterLoad], rules: RuleSet, options: MatchOptions, run_id: str | None
) -> Iterator[tuple[ChapterMerge, DecisionReview, PackedBooks | None]]:
    """Each loaded chapter merged with its recorded decisions, in chapter order, with its workbooks written when the
    run writes (``run_id``) and shares the chapters out (None: built as they are staged). Chapters are
    independent (each one's items, outcomes and evidence depend on nothing but its rows, its decisions, the rules
    and the drug knowledge), so with several chapters they share out over ``HARMONISE_WORKERS`` processes (one
    per core by default): the workers inherit the tables the matcher keeps for the run, built already
    (``prepared_options``); this one writes each chapter as it comes and merges chapters from the end while
    it would otherwise wait; forked workers merge the others and write their workbooks (xlsx bytes, put in place
    by this process, which holds the transaction). The outcome is that of
    merging them one after another. A chapter long enough for the matcher to share its names out over the
    processes itself is merged here."""
    long_chapter = any(workers_for(len(s.entries)) > 1 for loaded in loads for s in loaded.sources)
    workers = 0 if long_chapter else usable_workers() - 1  # this process is one of them

    def chapter_merged(index: int) -> tuple[ChapterMerge, DecisionReview, PackedBooks | None]:
        merge, review = merge_with_decisions(workspace, loads[index], rules, options)
        if not (run_id and workers):
            return merge, review, None
        merge.state = state_text(chapter_state(merge, review))  # made here too, not by the process that stages
        return merge, review, chapter_books(workspace, merge, review, run_id).packed()

    for merge, review, books in each_in_workers(chapter_merged, len(loads), workers, helping=True):
        merge.rules = rules  # one rule set for the run, as when merged in this process
        yield merge, review, books


def open_transaction(workspace: Workspace, chapters: Sequence[Chapter]) -> Transaction:
    """The run's transaction, once what killed merges left half-written is cleaned away and the workspace has the
    key its working-group workbooks are signed with (made here, not by the workers that sign them)."""
    clean_temporary(workspace, chapters, (WORKBOOK_NAME, STATE_NAME, PREVIOUS_STATE_NAME))
    workspace_key(workspace.root)
    return new_transaction(workspace)


def staged_events(workspace: Workspace, run: MergeRun, command: str, tx: Transaction) -> list[tuple[str, Any]]:
    """Stage the outcome state of every chapter, and give the run's audit events (the run event first, then
    per chapter its outcome and decision events)."""
    events = [run_record(workspace, run, command, run_inputs(workspace, run))]
    for merge in run.chapters:
        state_file = workspace.reports_dir(merge.chapter) / STATE_NAME
        before = read_state(state_file)
        review = run.reviews[merge.chapter.slug]
        events += outcome_events(merge, before.get("items", {}))
        events += decision_events(merge.chapter, review, before)
        if state_file.is_file():  # kept so that 'harmonise diff --last-runs' can compare the last two runs
            text = state_file.read_text(encoding="utf-8")
            tx.stage_text(state_file.with_name(PREVIOUS_STATE_NAME), text, late=True)
        # the state says 'a logged run happened': it is put in place after the run event is appended
        tx.stage_text(state_file, merge.state or state_text(chapter_state(merge, review)), late=True)
    return events


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
