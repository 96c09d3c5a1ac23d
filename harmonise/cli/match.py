"""``harmonise match``: match the names of two medicine lists and write the matches CSV."""

from __future__ import annotations

from pathlib import Path

import typer

from harmonise.cli.app import app, console, escape, print_json, run
from harmonise.errors import InputError


@app.command("match")
def match_command(
    left: Path = typer.Argument(..., help="Left list: CSV or xlsx with columns id, name and optional bnf_chapter."),
    right: Path = typer.Argument(..., help="Right list: CSV or xlsx with columns id, name and optional bnf_chapter."),
    out: Path = typer.Option(..., "--out", "-o", help="Where to write the matches CSV."),
    reference: Path | None = typer.Option(
        None,
        "--reference",
        help="An NHSBSA 'BNF Code Information' release CSV or reference pack to use instead of the shipped one.",
    ),
    no_reference: bool = typer.Option(
        False, "--no-reference", help="Match with the drug knowledge alone, without the BNF reference."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Match two lists of medicine names: automatic matches only when certain, ranked candidates otherwise.

    The NHSBSA BNF reference (shipped, release 2024-11) is on by default; --no-reference turns it off.

    Writes left_id,right_id,decision,score,rank,evidence; every row carries its evidence in plain English.
    """

    def action() -> int:
        from harmonise.matching import match_files

        if reference and no_reference:
            raise InputError("--reference and --no-reference contradict each other; give one")
        summary = match_files(left, right, out, reference, use_reference=not no_reference)
        if as_json:
            print_json(summary.as_dict())
            return 0
        console.print(
            f"matched {summary.left_rows} left names against {summary.right_rows} right names: "
            f"[bold]{summary.auto}[/] automatic matches, {summary.left_with_candidates} names with candidates "
            f"({summary.candidates} candidates), {summary.left_unmatched} names unmatched"
        )
        console.print(f"wrote {escape(summary.out_path)}")
        return 0

    run(action)
