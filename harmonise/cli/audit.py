"""``harmonise audit``: check the audit log's hash chain and ask why an item has its status."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer

from harmonise.audit import AuditLog, ItemHistory, VerifyResult
from harmonise.cli.app import EXIT_FINDINGS, EXIT_OK, GLOBALS, app, console, escape, print_json, run

audit_app = typer.Typer(help="Check and query the audit log (reports/audit.jsonl).", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


def log_path() -> Path:
    """The workspace's audit log."""
    return GLOBALS.workspace / "reports" / "audit.jsonl"


@audit_app.command("verify")
def verify(as_json: bool = typer.Option(False, "--json", help="Print the result as JSON.")) -> None:
    """Check that no event was edited, removed or reordered; exit 1 naming the first bad event."""

    def body() -> int:
        path = log_path()
        result = AuditLog(path).verify()
        if as_json:
            print_json({"path": str(path), **dataclasses.asdict(result)})
        else:
            render_verify(path, result)
        return EXIT_OK if result.ok else EXIT_FINDINGS

    run(body)


def render_verify(path: Path, result: VerifyResult) -> None:
    if not result.exists:
        console.print(f"no audit log yet at {escape(str(path))}: 0 events, nothing to verify")
    elif result.ok:
        console.print(f"[green]audit log intact:[/] {result.events} events, hash chain unbroken ({escape(str(path))})")
    else:
        where = f" at line {result.first_bad}" if result.first_bad else ""
        console.print(f"[bold red]audit log broken{where}:[/] {escape(result.problem)}")
        before = "1 event" if result.events == 1 else f"{result.events} events"
        console.print(f"{before} before it verified ({escape(str(path))})")


@audit_app.command("why")
def why(
    text: str = typer.Argument(..., help="Part of an item name (case-insensitive; words in any order)."),
    as_json: bool = typer.Option(False, "--json", help="Print the histories as JSON."),
) -> None:
    """Show the history of items whose names match TEXT: each outcome, by which rule or decision, who."""

    def body() -> int:
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
