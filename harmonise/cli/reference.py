"""``harmonise reference``: which BNF reference a workspace matches with, and building one from a newer release."""

from __future__ import annotations

from pathlib import Path

import typer

from harmonise.cli.app import EXIT_OK, GLOBALS, app, console, escape, print_json, run

reference_app = typer.Typer(
    help="The NHSBSA BNF Code Information reference the matcher resolves names against.", no_args_is_help=True
)
app.add_typer(reference_app, name="reference")


@reference_app.command("build")
def build(
    release_csv: Path = typer.Argument(..., help="An NHSBSA 'BNF Code Information' release CSV."),
    release: str = typer.Option(None, "--release", help="YYYY-MM of the release (default: read from the file name)."),
    as_json: bool = typer.Option(False, "--json", help="Print what was built as JSON."),
) -> None:
    """Build a reference pack from a newer release into this workspace (reference/bnf-code-information.json.gz).

    From the next run on, check, merge and match use it instead of the shipped release (unless harmonise.yaml
    names another file or says 'reference: none'). The build is recorded in the audit log.
    """

    def action() -> int:
        from harmonise.matching import build_workspace_pack
        from harmonise.workspace import load_workspace

        built = build_workspace_pack(load_workspace(GLOBALS.workspace), release_csv, GLOBALS.user, release)
        if as_json:
            print_json({"file": str(built.target), "release": built.release, "presentations": built.presentations})
            return EXIT_OK
        console.print(
            f"wrote {escape(str(built.target))}: release {built.release}, {built.presentations:,} presentations "
            f"(from {escape(built.source)}); recorded in the audit log"
        )
        return EXIT_OK

    run(action)


@reference_app.command("info")
def info(as_json: bool = typer.Option(False, "--json", help="Print it as JSON.")) -> None:
    """Say which reference this workspace matches with: its file, release and number of presentations."""

    def action() -> int:
        from harmonise.matching import ATTRIBUTION, reference_path, workspace_reference
        from harmonise.workspace import load_workspace

        workspace = load_workspace(GLOBALS.workspace)
        path, reference = reference_path(workspace), workspace_reference(workspace)
        if as_json:
            found = {"file": None} if reference is None else {"file": str(path), "release": reference.release}
            print_json({**found, "presentations": len(reference.names) if reference else 0})
            return EXIT_OK
        if reference is None:
            console.print("no BNF reference: 'reference: none' in harmonise.yaml (matching uses drug knowledge only)")
        else:
            console.print(f"{escape(reference.described)}\n{ATTRIBUTION}")
        return EXIT_OK

    run(action)
