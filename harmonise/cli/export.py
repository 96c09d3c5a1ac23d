"""``harmonise export``: the tables of the pandas API (``harmonise.api``) as CSV, xlsx or Parquet files.

``harmonise.api`` is imported when the command runs, never when the CLI starts: it brings pandas.
"""

from __future__ import annotations

from pathlib import Path

import typer

from harmonise.api import FORMATS, TABLES  # plain data: harmonise.api imports pandas only when a table is built
from harmonise.cli.app import GLOBALS, app, console, escape, print_json, run, select_chapters


@app.command("export")
def export_command(
    chapter: str = typer.Option(None, "--chapter", "-c", help="Chapter number or folder name, e.g. 2."),
    all_chapters: bool = typer.Option(False, "--all", help="Export every chapter folder."),
    file_format: str = typer.Option(
        "csv", "--format", "-f", help=f"{', '.join(FORMATS)} (parquet needs pip install 'harmonise[parquet]')."
    ),
    tables: list[str] = typer.Option(
        [], "--table", "-t", help=f"A table to export (repeat for several; default: all): {', '.join(TABLES)}."
    ),
    out: Path = typer.Option(None, "--out", help="Folder to write into (default: reports/export)."),
    as_json: bool = typer.Option(False, "--json", help="Print what was written as JSON."),
) -> None:
    """Write the entries, items, outcomes, decisions and audit events of a chapter as tables.

    One file per table: <out>/<NN-slug>/<table>.<format>, the same tables (columns and types in docs/api.md) that
    harmonise.api gives a notebook. The chapter is merged in memory (nothing else is written); the export is
    recorded in the audit log (what, which chapter and format, each file's SHA-256).
    """

    def action() -> int:
        from harmonise.api import export_tables, load
        from harmonise.workspace import load_workspace

        workspace = load_workspace(GLOBALS.workspace)
        chapters = select_chapters(workspace, chapter, all_chapters)
        written = export_tables(load(workspace.root), chapters, file_format, tables, out, user=GLOBALS.user)
        if as_json:
            print_json([{"chapter": w.chapter, "table": w.table, "rows": w.rows, "path": str(w.path)} for w in written])
            return 0
        folders = sorted({str(w.path.parent.parent) for w in written})
        console.print(f"Wrote {len(written)} file(s) to {escape(', '.join(folders))}:", soft_wrap=True)
        for w in written:
            console.print(f"  {escape(w.path.parent.name)}/{escape(w.path.name)}: {w.rows} rows", soft_wrap=True)
        return 0

    run(action)
