"""``harmonise publish``, ``harmonise status`` and ``harmonise diff``: finishing chapters and seeing progress."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich import box
from rich.table import Table

from harmonise.cli.app import GLOBALS, app, console, escape, print_json, run
from harmonise.errors import InputError

if TYPE_CHECKING:  # the library is imported when a command runs: start-up stays fast (issue 15)
    from harmonise.model import Scale
    from harmonise.publish import ChapterStatus, RuleDiff


@app.command("publish")
def publish_command(
    chapter: str = typer.Option(..., "--chapter", "-c", help="Chapter number or folder name, e.g. 2."),
    as_json: bool = typer.Option(False, "--json", help="Print the publication (version, files, hashes) as JSON."),
) -> None:
    """Publish a finished chapter as the next read-only version under published/<NN-slug>/v<K>/.

    Refused (exit 2, listing each blocking item) while any item is escalated and undecided, any recorded
    decision is stale, any data error is neither fixed nor acknowledged ('harmonise acknowledge'), or any input
    (legacy file, rules, harmonise.yaml, decisions) changed since the last merge, whose draft was reviewed.
    Writes chapter.xlsx, chapter.csv, chapter.html, rationale.md, rationale.html, rationale.docx,
    rationale.pdf (when LibreOffice's soffice is installed; HARMONISE_SOFFICE names another program, or 'off';
    without it publishing goes on and says why there is no PDF) and manifest.json, and records a 'publication'
    event with their SHA-256 in the audit log. Then rebuilds published/index.html, the whole formulary: every
    chapter's latest version and one search across them all.
    """

    def action() -> int:
        from harmonise.publish import publish_chapter
        from harmonise.workspace import load_workspace

        workspace = load_workspace(GLOBALS.workspace)
        publication = publish_chapter(workspace, workspace.chapter(chapter), user=GLOBALS.user)
        if as_json:
            print_json(publication.summary())
            return 0
        console.print(
            f"Published {escape(publication.chapter.label)} version {publication.version}: "
            f"{escape(str(publication.folder))}"
        )
        for name, digest in publication.manifest["files"].items():
            console.print(f"  {escape(name)}  sha256 {digest[:16]}...")
        for note in publication.notes:
            console.print(f"Note: {escape(note)}")
        if publication.index:
            console.print(f"The whole formulary: {escape(str(publication.index))}")
        return 0

    run(action)


@app.command("acknowledge")
def acknowledge_command(
    ids: list[str] = typer.Argument(..., help="Data error ids, as listed by a refused publish or check --json."),
    chapter: str = typer.Option(..., "--chapter", "-c", help="Chapter number or folder name, e.g. 2."),
    rationale: str = typer.Option(..., "--rationale", help="Why the working group accepts the data error."),
    meeting: str = typer.Option(..., "--meeting", help="The meeting that decided it (YYYY-MM-DD)."),
    by: str = typer.Option("", "--by", help="Who decided (default: --user)."),
) -> None:
    """Record the working group's acknowledgement of data errors, so the chapter can be published despite them.

    Each acknowledgement names one finding (its id, file, sheet, row and column) and goes into
    decisions/<NN-slug>.data-errors.yaml and the audit log. Fixing the source is better where possible.
    """

    def action() -> int:
        from harmonise.publish import acknowledge
        from harmonise.workspace import load_workspace

        workspace = load_workspace(GLOBALS.workspace)
        found = workspace.chapter(chapter)
        done = acknowledge(
            workspace, found, ids, rationale=rationale, meeting=meeting, by=by or GLOBALS.user, user=GLOBALS.user
        )
        for record in done:
            console.print(f"Acknowledged data error {record.finding}: {escape(record.where)}")
        return 0

    run(action)


@app.command("status")
def status_command(
    as_json: bool = typer.Option(False, "--json", help="Print every chapter's progress as JSON."),
) -> None:
    """Show every chapter's progress and write reports/dashboard.html.

    Each chapter folder is merged in memory (nothing else is written): entries per source, items matched
    automatically, settled by rules, escalated, decided, retained both, stale decisions, published version.
    """

    def action() -> int:
        from harmonise.publish import workspace_status, write_dashboard
        from harmonise.workspace import load_workspace

        workspace = load_workspace(GLOBALS.workspace)
        statuses = workspace_status(workspace)
        target = write_dashboard(workspace, statuses)
        if as_json:
            print_json([s.to_dict() for s in statuses])
        else:
            render_status(statuses)
            console.print(f"Dashboard: {escape(str(target))}")
        return 0

    run(action)


def render_status(statuses: list[ChapterStatus]) -> None:
    """One compact row per chapter (fits 80 columns); source names and publication dates below it."""
    table = Table(title="Chapters", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("chapter")
    for column in ("entries", "auto", "by rules", "escal.", "decided", "both", "stale", "pub."):
        table.add_column(column, justify="right", no_wrap=True)
    for s in statuses:
        published = f"v{s.published_version}" if s.published_version else "-"
        if s.error:
            table.add_row(escape(s.chapter), f"[red]{escape(s.error)}[/]", *[""] * 6, published)
            continue
        table.add_row(
            escape(s.chapter),
            "/".join(str(n) for n in s.entries_per_source.values()),
            str(s.matched_automatically),
            f"{s.settled_by_rules} ({s.settled_by_rules_pct:.0f}%)",
            str(s.escalated),
            str(s.decided),
            str(s.retained_both),
            str(s.stale_decisions),
            published,
        )
    console.print(table)
    layouts: dict[tuple[str, ...], list[str]] = {}
    for s in statuses:
        if s.entries_per_source:
            layouts.setdefault(tuple(s.entries_per_source), []).append(s.label.split(" ")[0])
    for sources, numbers in layouts.items():
        where = "" if len(layouts) == 1 else f" (chapter {', '.join(numbers)})"
        console.print(f"entries{escape(where)}: " + " / ".join(escape(k) for k in sources))
    for s in statuses:
        when = f": version {s.published_version} published {s.published_at}" if s.published_version else ""
        console.print(f"chapter {escape(s.label)}{escape(when)}")


@app.command("diff")
def diff_command(
    chapter: str = typer.Option(..., "--chapter", "-c", help="Chapter number or folder name, e.g. 2."),
    rules: Path = typer.Option(None, "--rules", help="Another rule file to compare with the current rules."),
    last_runs: bool = typer.Option(False, "--last-runs", help="Compare the outcomes of the last two merge runs."),
    as_json: bool = typer.Option(False, "--json", help="Print the changes as JSON."),
) -> None:
    """What changed: a dry run of another rule file (--rules), or the last two merge runs (--last-runs).

    Lists every item whose outcome would change (or changed), old -> new, with the deciding rule. Nothing is
    written except the report reports/<NN-slug>/diff-rules-<stem>.md or diff-last-runs.md.
    """

    def action() -> int:
        from harmonise.publish import diff_last_runs, diff_rules, write_diff_report
        from harmonise.workspace import load_workspace

        if last_runs == (rules is not None):
            raise InputError("give either --rules OTHER.yaml (a dry run of a rule change) or --last-runs")
        workspace = load_workspace(GLOBALS.workspace)
        if last_runs:
            diff = diff_last_runs(workspace, workspace.chapter(chapter))
            target = write_diff_report(workspace, diff, Path("last-runs"), "diff-last-runs.md")
        else:
            diff = diff_rules(workspace, workspace.chapter(chapter), rules)
            target = write_diff_report(workspace, diff, rules)
        if as_json:
            print_json({**diff.to_dict(), "report": str(target)})
        else:
            render_diff(diff, workspace.scale)
            console.print(f"Report: {escape(str(target))}")
        return 0

    run(action)


def render_diff(diff: RuleDiff, scale: Scale) -> None:
    console.print(
        f"{escape(diff.chapter.label)}: {len(diff.changes)} of {diff.items} outcomes differ "
        f"({diff.kept_by_decision} kept by a working-group decision or data error)."
    )
    if not diff.changes:
        return
    table = Table(title_justify="left")
    for column in ("section", "medicine", "before", "after"):
        table.add_column(column)
    for change in diff.changes:
        table.add_row(
            escape(change.section),
            escape(change.item_name),
            escape(change.before.text(scale)),
            escape(change.after.text(scale)),
        )
    console.print(table)
