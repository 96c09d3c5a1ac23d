"""``harmonise audit``: check the audit log's hash chain (and the published versions and registers against it),
repair an interrupted write, and ask why an item has its status."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from harmonise.cli.app import EXIT_FINDINGS, EXIT_OK, GLOBALS, app, console, escape, print_json, run

if TYPE_CHECKING:  # the library is imported when a command runs: start-up stays fast (issue 15)
    from harmonise.audit import ItemHistory, VerifyResult
    from harmonise.publish import Integrity

audit_app = typer.Typer(help="Check and query the audit log (reports/audit.jsonl).", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


def log_path() -> Path:
    """The workspace's audit log."""
    return GLOBALS.workspace / "reports" / "audit.jsonl"


@audit_app.command("verify")
def verify(as_json: bool = typer.Option(False, "--json", help="Print the result as JSON.")) -> None:
    """Check that no event was edited, removed or reordered and that the log was not emptied, then re-hash
    every published version against its publication event and check every recorded decision has its event;
    exit 1 naming the first bad event or each problem."""

    def body() -> int:
        from harmonise.publish import verify_workspace

        result = verify_workspace(GLOBALS.workspace)
        if as_json:
            print_json(result.to_dict())
        else:
            render_verify(result.path, result.log)
            render_workspace(result)
        return EXIT_OK if result.ok else EXIT_FINDINGS

    run(body)


def render_verify(path: Path, result: VerifyResult) -> None:
    if not result.exists and result.ok:
        console.print(f"no audit log yet at {escape(str(path))}: 0 events, nothing to verify")
    elif result.ok:
        console.print(f"[green]audit log intact:[/] {result.events} events, hash chain unbroken ({escape(str(path))})")
    else:
        where = f" at line {result.first_bad}" if result.first_bad else ""
        console.print(f"[bold red]audit log broken{where}:[/] {escape(result.problem)}", soft_wrap=True)
        before = "1 event" if result.events == 1 else f"{result.events} events"
        console.print(f"{before} before it verified ({escape(str(path))})")


def render_workspace(result: Integrity) -> None:
    """The published versions and registers checked against the log: each problem, then notes."""
    if result.problems:
        count = len(result.problems)
        console.print(f"[bold red]{count} problem{'s' if count != 1 else ''} in the workspace:[/]")
    for problem in result.problems:
        console.print(f"  {escape(problem)}", soft_wrap=True)
    for note in result.notes:
        console.print(f"note: {escape(note)}", soft_wrap=True)


@audit_app.command("repair")
def repair() -> None:
    """Repair only what can be repaired honestly: remove a trailing partial line left by an interrupted write
    (its bytes are kept in a 'repair' event), and complete or roll back an interrupted decisions import.
    Anything else (an edited, removed or reordered event) is reported, never rewritten."""

    def body() -> int:
        from harmonise.publish import verify_workspace
        from harmonise.review import repair_workspace

        done = repair_workspace(GLOBALS.workspace, GLOBALS.user)
        if done.event is None:
            console.print("the audit log ends in a complete line: no partial line to remove")
        else:
            removed = done.event.data["removed_bytes"]
            console.print(
                f"removed a partial last line of {removed} bytes (an interrupted write), recorded as event "
                f"{done.event.seq} (its bytes are kept in the event)"
            )
        for note in done.settled:
            console.print(escape(str(note)), soft_wrap=True)
        result = verify_workspace(GLOBALS.workspace)
        render_verify(result.path, result.log)
        render_workspace(result)
        return EXIT_OK if result.ok else EXIT_FINDINGS

    run(body)


@audit_app.command("why")
def why(
    text: str = typer.Argument(..., help="Part of an item name (case-insensitive; words in any order)."),
    as_json: bool = typer.Option(False, "--json", help="Print the histories as JSON."),
) -> None:
    """Show the history of items whose names match TEXT: each outcome, by which rule or decision, who."""

    def body() -> int:
        from harmonise.audit import AuditLog

        histories = AuditLog(log_path()).why(text)
        if as_json:
            print_json([h.to_dict() for h in histories])
        elif not histories:
            console.print(f"no item in the audit log matches {escape(repr(text))}")
        else:
            render_histories(histories)
        return EXIT_OK

    run(body)


def render_histories(histories: list[ItemHistory]) -> None:
    """Each item as a heading, then its history as a timeline: when, who, what, by which rule or decision,
    and why (a table of eight columns is unreadable in an 80-column terminal)."""
    for history in histories:
        console.print(
            f"[bold]{escape(history.item_name)}[/]  (chapter {escape(history.chapter)}, "
            f"item {escape(history.item_key)})"
        )
        for entry in history.entries:
            status = f" {entry.status}" if entry.status else ""
            by = f" by {entry.decided_by}" if entry.decided_by else ""
            console.print(
                f"  {escape(entry.at)}  {escape(entry.user)}: {escape(entry.what)}{escape(status)}{escape(by)}",
                soft_wrap=True,
            )
            if entry.rationale:
                console.print(f"      {escape(entry.rationale)}", soft_wrap=True)
        console.print()
