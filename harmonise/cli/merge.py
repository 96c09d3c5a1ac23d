"""``harmonise merge``: the pharmacists' main job, one chapter or all of them."""

from __future__ import annotations

import typer
from rich import box
from rich.table import Table

from harmonise.cli.app import GLOBALS, app, chapter_progress, console, escape, print_json, run, select_chapters
from harmonise.merge import MergeRun, run_merge
from harmonise.workspace import load_workspace


@app.command("merge")
def merge_command(
    chapter: str = typer.Option(None, "--chapter", "-c", help="Chapter number or folder name, e.g. 2."),
    all_chapters: bool = typer.Option(False, "--all", help="Merge every chapter folder."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Match both legacy formularies, apply the rules, and write the chapter workbook and the working-group report.

    Writes chapters/<NN-slug>/harmonised-draft.xlsx and reports/<NN-slug>/working-group.xlsx.
    """

    def action() -> int:
        workspace = load_workspace(GLOBALS.workspace)
        chapters = select_chapters(workspace, chapter, all_chapters)
        with chapter_progress(chapters, "Merging") as advance:
            result = run_merge(workspace, chapters, progress=advance, user=GLOBALS.user)
        if as_json:
            print_json(
                {"rules": [str(p) for p in result.rules.files], "chapters": [m.summary() for m in result.chapters]}
            )
        else:
            render_merge(result)
        return 0

    run(action)


def render_merge(result: MergeRun) -> None:
    table = Table(title="Merge summary", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("chapter", no_wrap=True, max_width=20, overflow="ellipsis")
    for column in ("items", "auto", "adopted", "to WG", "kept", "excl.", "errors"):
        table.add_column(column, justify="right", no_wrap=True, min_width=len(column))
    for merge in result.chapters:
        outcome = merge.count_by(lambda r: r.outcome.kind)
        match = merge.count_by(lambda r: r.item.match.decision)
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
        review = result.reviews.get(merge.chapter.slug)
        if review and (review.applied or review.stale or review.vanished):
            console.print(
                f"  {escape(merge.chapter.slug)} decisions: {len(review.applied)} applied, {len(review.stale)} "
                f"stale (back to the working group), {len(review.vanished)} vanished (items no longer listed)"
            )
