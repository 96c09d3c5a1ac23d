"""``harmonise merge``: the pharmacists' main job, one chapter or all of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich import box
from rich.table import Table

from harmonise.cli.app import (
    GLOBALS,
    app,
    chapter_progress,
    console,
    err_console,
    escape,
    print_json,
    run,
    select_chapters,
)
from harmonise.cli.workspace import unclaimed_message
from harmonise.errors import InputError

if TYPE_CHECKING:  # the library is imported when a command runs: start-up stays fast (issue 15)
    from harmonise.merge import MergeRun

NOTE_WORDS = {
    "imported": "decisions imported first from the working-group workbook",
    "left_in_place": "working-group workbook with decisions not yet imported, left in place",
    "previous_copy": "previous working-group workbook kept as",
}


@app.command("merge")
def merge_command(
    chapter: str = typer.Option(None, "--chapter", "-c", help="Chapter number or folder name, e.g. 2."),
    all_chapters: bool = typer.Option(False, "--all", help="Merge every chapter folder."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    import_first: bool = typer.Option(
        False, "--import-first", help="Import the decisions typed in the existing working-group workbook first."
    ),
    beside: bool = typer.Option(
        False,
        "--beside",
        help="If the existing working-group workbook holds decisions not yet imported, leave it and write the new "
        "one beside it (working-group-<UTC stamp>.xlsx).",
    ),
) -> None:
    """Match both legacy formularies, apply the rules, and write the chapter workbook and the working-group report.

    Writes chapters/<NN-slug>/harmonised-draft.xlsx and reports/<NN-slug>/working-group.xlsx. A working-group
    workbook holding decisions not yet imported is never overwritten: merge refuses (exit 2, nothing written)
    unless --import-first or --beside; a workbook overwritten is kept in reports/<NN-slug>/history/.
    """

    def action() -> int:
        from harmonise.merge import run_merge
        from harmonise.workspace import load_workspace

        if import_first and beside:
            raise InputError("choose one of --import-first and --beside")
        workspace = load_workspace(GLOBALS.workspace)
        chapters = select_chapters(workspace, chapter, all_chapters)
        existing = "import-first" if import_first else "beside" if beside else "refuse"
        with chapter_progress(chapters, "Merging") as advance:
            result = run_merge(workspace, chapters, progress=advance, user=GLOBALS.user, existing=existing)
        if result.recovered:  # a merge killed mid-way, completed or rolled back before this one
            err_console.print(f"[yellow]note:[/] {escape(result.recovered)}")
        for name, closest in workspace.unclaimed_folders():  # a folder no chapter claims is never merged
            err_console.print(f"[yellow]warning:[/] {escape(unclaimed_message(name, closest))}")
        if as_json:
            print_json(
                {
                    "rules": [str(p) for p in result.rules.files],
                    "chapters": [m.summary() for m in result.chapters],
                    "workbooks": workbook_notes(result),
                    "recovered": result.recovered,
                }
            )
        else:
            render_merge(result)
        return 0

    run(action)


def workbook_notes(result: MergeRun) -> dict[str, dict[str, object]]:
    """Per chapter: decisions imported first, the filled workbook left in place, the dated copy kept."""
    notes: dict[str, dict[str, object]] = {}
    for slug, guarded in result.guarded.items():
        note: dict[str, object] = {}
        if guarded.imported is not None:
            note["imported"] = len(guarded.imported.recorded) + len(guarded.imported.superseded)
        if guarded.kept is not None:
            note["left_in_place"] = str(guarded.kept)
        if slug in result.kept_copies:
            note["previous_copy"] = str(result.kept_copies[slug])
        if note:
            notes[slug] = note
    return notes


def render_merge(result: MergeRun) -> None:
    table = Table(title="Merge summary", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    # a long chapter name folds onto a second line rather than being cut: it is what --chapter takes
    table.add_column("chapter", overflow="fold", min_width=12)
    for column in ("items", "auto", "adopted", "to WG", "kept", "excl.", "errors"):
        table.add_column(column, justify="right", no_wrap=True, min_width=len(column))
    for merge in result.chapters:
        outcome = merge.count_by(lambda r: r.outcome.kind)
        match = merge.count_by(lambda r: r.item.match.shown)
        errors = sum(1 for f in merge.findings if f.severity == "error")
        table.add_row(
            escape(merge.chapter.slug),
            str(len(merge.results)),
            str(match.get("auto", 0)),
            *(str(outcome.get(k, 0)) for k in ("adopt", "escalate", "retain-both", "exclude")),
            str(errors),
        )
    console.print(table)
    for merge in result.chapters:
        for name, path in merge.files.items():
            console.print(f"  {name.replace('_', '-')}: {escape(str(path))}", soft_wrap=True)
        for what, value in workbook_notes(result).get(merge.chapter.slug, {}).items():
            console.print(f"  {escape(NOTE_WORDS[what])}: {escape(str(value))}", soft_wrap=True)
        review = result.reviews.get(merge.chapter.slug)
        if review and (review.applied or review.stale or review.vanished):
            console.print(
                f"  {escape(merge.chapter.slug)} decisions: {len(review.applied)} applied, {len(review.stale)} "
                f"stale (back to the working group), {len(review.vanished)} vanished (items no longer listed)"
            )
