"""``harmonise audit``: check the audit log's hash chain and ask why an item has its status."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer
from rich.table import Table

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
            console.print(history_table(histories))
        return EXIT_OK

    run(body)


def history_table(histories: list[ItemHistory]) -> Table:
    """One row per step, items grouped in the order ``why`` returns them."""
    table = Table(title="Audit history", show_lines=False)
    for column in ("when", "who", "chapter", "item", "what", "status", "by rule or decision", "rationale"):
        # Times and statuses stay whole; names and reasons wrap at spaces (fold only words too long to fit).
        table.add_column(column, no_wrap=column in ("when", "status"), overflow="fold")
    for history in histories:
        for entry in history.entries:
            table.add_row(
                *(
                    escape(value)
                    for value in (
                        entry.at,
                        entry.user,
                        history.chapter,
                        history.item_name,
                        entry.what,
                        str(entry.status or ""),
                        entry.decided_by,
                        entry.rationale,
                    )
                )
            )
        table.add_section()
    return table
