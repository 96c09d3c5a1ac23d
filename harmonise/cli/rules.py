"""Rule commands: ``rules check`` (validate the rule files) and ``rules explain`` (the committee document)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from harmonise.cli.app import GLOBALS, app, console, escape, print_json, run

if TYPE_CHECKING:  # the library is imported when a command runs: start-up stays fast (issue 15)
    from harmonise.rules import RuleSet

rules_app = typer.Typer(help="Check the harmonisation rules and render them for the committee.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

FILES_HELP = "Rule files to use instead of those named in harmonise.yaml."


def ruleset_summary(ruleset: RuleSet) -> dict[str, object]:
    """What ``rules check --json`` prints: files, version, digest and rule ids in order."""
    return {
        "files": [str(f) for f in ruleset.files],
        "version": ruleset.version,
        "digest": ruleset.digest,
        "rules": list(ruleset.ids),
    }


@rules_app.command("check")
def check_command(
    files: list[Path] = typer.Argument(None, help=FILES_HELP, show_default=False),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Validate the rule files: every problem is listed with file:line (exit 2), else a short summary."""

    def action() -> int:
        from harmonise.rules import load_rules
        from harmonise.workspace import load_workspace

        workspace = load_workspace(GLOBALS.workspace)
        ruleset = load_rules(workspace, files or None)
        if as_json:
            print_json(ruleset_summary(ruleset))
            return 0
        count, n_files = len(ruleset.rules), len(ruleset.files)
        console.print(
            f"Rules OK: {count} rule{'s' if count != 1 else ''} in {n_files} file{'s' if n_files != 1 else ''} "
            f"(version {escape(ruleset.version)})"
        )
        for path in ruleset.files:
            console.print(f"  {escape(str(path))}")
        return 0

    run(action)


@rules_app.command("explain")
def explain_command(
    files: list[Path] = typer.Argument(None, help=FILES_HELP, show_default=False),
    out: Path = typer.Option(None, "--out", help="Folder to write rules.md, .html, .docx (and .pdf) into."),
) -> None:
    """Render the rules for committee approval: Markdown to the screen, or with --out the committee's papers.

    --out writes rules.md, rules.html and rules.docx, and rules.pdf when LibreOffice (soffice) is installed
    (HARMONISE_SOFFICE names another program, or 'off'); without it the PDF is skipped and the reason said.
    """

    def action() -> int:
        from harmonise.rules import explain_markdown, load_rules, write_explanation
        from harmonise.workspace import load_workspace

        workspace = load_workspace(GLOBALS.workspace)
        ruleset = load_rules(workspace, files or None)
        if out is None:
            sys.stdout.write(explain_markdown(ruleset, workspace))
            return 0
        written, no_pdf = write_explanation(ruleset, workspace, out)
        for path in written:
            console.print(f"Wrote {escape(str(path))}")
        if no_pdf:
            console.print(f"No PDF written: {escape(no_pdf)}")
        return 0

    run(action)
