"""Workspace commands: ``init`` (scaffold a workspace) and ``check`` (data errors in legacy spreadsheets)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from harmonise.cli.app import (
    EXIT_FINDINGS,
    EXIT_OK,
    GLOBALS,
    app,
    chapter_progress,
    console,
    escape,
    print_json,
    run,
    select_chapters,
)

if TYPE_CHECKING:  # the library is imported when a command runs: start-up stays fast (issue 15)
    from harmonise.sources import CheckReport


@app.command("init")
def init_command(folder: Path = typer.Argument(..., help="Folder to create the workspace in.")) -> None:
    """Scaffold a new workspace: a commented harmonise.yaml, chapters/, the default rules and a README."""

    def action() -> int:
        from harmonise.workspace import init_workspace

        written = init_workspace(folder)
        console.print(f"Created a workspace in [bold]{escape(str(folder))}[/] ({len(written)} files and folders).")
        console.print(
            "Next: edit harmonise.yaml, put each chapter's legacy spreadsheets in chapters/NN-slug/, "
            "then run [bold]harmonise check --all[/]."
        )
        return 0

    run(action)


@app.command("check")
def check_command(
    chapter: str = typer.Option(
        None, "--chapter", "-c", help="Chapter number or folder name, e.g. 2 or 02-cardiovascular."
    ),
    all_chapters: bool = typer.Option(False, "--all", help="Check every chapter folder."),
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
    no_report: bool = typer.Option(False, "--no-report", help="Do not write reports/<chapter>/data-errors.xlsx."),
) -> None:
    """Load each source's spreadsheet and report data errors and warnings with file, sheet, row and column.

    Exit code 0 when there are no errors (warnings allowed), 1 when there are errors.
    """

    def action() -> int:
        from harmonise.matching import entry_checks
        from harmonise.sources import check_chapters
        from harmonise.workspace import load_workspace

        workspace = load_workspace(GLOBALS.workspace)
        chapters = select_chapters(workspace, chapter, all_chapters)
        with chapter_progress(chapters, "Checking") as advance:
            report = check_chapters(
                workspace, chapters, write=not no_report, progress=advance, entry_checks=entry_checks(workspace)
            )
        if as_json:
            print_json(report.to_json())
        else:
            render_check(report)
        return EXIT_FINDINGS if report.errors else EXIT_OK

    run(action)


def unclaimed_message(name: str, closest: str) -> str:
    """One unclaimed chapter folder in words, with what to do."""
    hint = f"; did you mean chapters/{closest}/? Rename the folder" if closest else "; rename it after its chapter"
    return (
        f"chapters/{name}/ is not a chapter of this workspace, so its spreadsheets are never checked or merged"
        f"{hint} (NN-slug, e.g. 02-cardiovascular) or add the chapter to 'chapters:' in harmonise.yaml"
    )


def render_check(report: CheckReport) -> None:
    for name, closest in report.unclaimed:
        console.print(f"[red]error[/] {escape(unclaimed_message(name, closest))}")
    for result in report.chapters:
        counts = ", ".join(f"{source} {n}" for source, n in result.entries_per_source.items())
        console.print(
            f"[bold]Chapter {escape(result.chapter.label)}[/]: {result.entries} entries ({escape(counts)}); "
            f"{result.errors} errors, {result.warnings} warnings"
        )
        if result.findings:
            table = Table(show_lines=False, box=None, pad_edge=False)
            for column in ("", "where", "problem", "message"):
                table.add_column(column, overflow="fold")
            for f in result.findings:
                mark = "[red]error[/]" if f.severity == "error" else "[yellow]warning[/]"
                table.add_row(mark, escape(f.where), escape(f.title), escape(f.message))
            console.print(table)
        if result.report:
            console.print(f"  report: {escape(str(result.report))}")
    console.print(f"[bold]{report.errors} errors, {report.warnings} warnings[/] in {len(report.chapters)} chapter(s).")
