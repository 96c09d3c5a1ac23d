"""``harmonise decisions``: import a filled-in working-group workbook; write a meeting's minutes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from harmonise.cli.app import EXIT_FINDINGS, EXIT_OK, GLOBALS, app, console, escape, print_json, run

if TYPE_CHECKING:  # the library is imported when a command runs: start-up stays fast (issue 15)
    from harmonise.review import Decision, ImportReport
    from harmonise.workspace import Workspace

decisions_app = typer.Typer(
    help="Record the working group's decisions and write meeting minutes.", no_args_is_help=True
)
app.add_typer(decisions_app, name="decisions")


@decisions_app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="A filled-in working-group workbook (reports/<NN-slug>/working-group.xlsx)."),
    chapter: str = typer.Option(None, "--chapter", "-c", help="Refuse the workbook unless it is of this chapter."),
    as_json: bool = typer.Option(False, "--json", help="Print what was imported as JSON."),
) -> None:
    """Validate every filled row and record the valid decisions in decisions/<NN-slug>.yaml.

    Valid rows are recorded even when others are rejected; exit code 1 when any row was rejected (each with
    file, sheet, row and column). Importing the same workbook again changes nothing.
    """

    def body() -> int:
        from harmonise.review import import_decisions
        from harmonise.workspace import load_workspace

        workspace = load_workspace(GLOBALS.workspace)
        report = import_decisions(workspace, file, GLOBALS.user, chapter)
        if as_json:
            print_json(report.to_dict())
        else:
            render_import(report, workspace)
        return EXIT_OK if report.ok else EXIT_FINDINGS

    run(body)


def render_import(report: ImportReport, workspace: Workspace) -> None:
    if report.settled:
        console.print(f"[yellow]note:[/] {escape(str(report.settled))}")
    console.print(f"Chapter {escape(report.chapter.label)}: {escape(str(report.file))}")
    for title, decisions in (
        ("recorded", report.recorded),
        ("recorded, replacing an earlier meeting's decision (kept in its history)", report.superseded),
        ("already recorded, skipped", report.unchanged),
        ("already in the register but missing their decision event: the event is recorded now", report.relogged),
    ):
        if decisions:
            console.print(f"  {len(decisions)} {title}:")
            for decision in decisions:
                console.print(f"    {escape(line(decision, workspace))}")
    if report.blank_rows:
        console.print(f"  {report.blank_rows} rows without a decision, skipped (they stay pending chapter review)")
    if report.rejected:
        count = len(report.rejected)
        console.print(f"[bold red]  {count} problem{'s' if count != 1 else ''}: these rows were not recorded[/]")
        for problem in report.rejected:
            console.print(f"    {escape(str(problem))}")
    console.print(f"  register: {escape(str(report.register))}")


def line(decision: Decision, workspace: Workspace) -> str:
    what = decision.what(workspace.scale, {s.key: s.name for s in workspace.sources})
    return f"{decision.item}: {what} (meeting {decision.meeting}, {decision.decided_by})"


@decisions_app.command("minutes")
def minutes_command(
    meeting: str = typer.Option(..., "--meeting", help="The meeting date, YYYY-MM-DD."),
    as_json: bool = typer.Option(False, "--json", help="Print the counts and the file written as JSON."),
) -> None:
    """Write reports/minutes-<DATE>.md: per chapter, what the group decided at that meeting and why."""

    def body() -> int:
        from harmonise.review import write_minutes
        from harmonise.workspace import load_workspace

        minutes = write_minutes(load_workspace(GLOBALS.workspace), meeting)
        if as_json:
            print_json(
                {
                    "meeting": minutes.meeting,
                    "path": str(minutes.path),
                    "chapters": {p.chapter.slug: p.count for p in minutes.chapters},
                }
            )
        else:
            chapters = ", ".join(p.chapter.slug for p in minutes.chapters)
            console.print(
                f"Minutes of {minutes.meeting}: {minutes.count} decision(s) in {escape(chapters)}, "
                f"written to {escape(str(minutes.path))}"
            )
        return EXIT_OK

    run(body)
