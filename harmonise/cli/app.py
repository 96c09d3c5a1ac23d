"""The Typer application, global options and the one error handler.

Exit codes: 0 ok; 1 findings where the user asked for them (data errors from ``check``, rejected rows on
import, a broken audit chain); 2 user or input error (a clear message, no traceback); 3 a bug in harmonise
(traceback only with ``--debug``). Commands live in sibling modules, one per command group; each parses its
options, makes one library call, renders the result and picks the exit code.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from harmonise import __version__
from harmonise.errors import InputError, WorkerLost

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3
# Commands that write decisions, or merge or publish with them: an interrupted import is settled first.
SETTLING_COMMANDS = ("merge", "publish", "decisions", "acknowledge")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # tab and newline are left alone
RAW_IN_JSON = re.compile("[\x7f-\x9f]")

app = typer.Typer(
    name="harmonise",
    help="Harmonise legacy NHS medicines formularies into one, chapter by chapter, with every decision traceable.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

console = Console(highlight=False, soft_wrap=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass
class Globals:
    """Options given before the command: the workspace folder, the acting user, debug tracebacks."""

    workspace: Path = Path(".")
    user: str = ""
    debug: bool = False


GLOBALS = Globals()


def default_user() -> str:
    for var in ("HARMONISE_USER", "USER", "USERNAME"):
        if os.environ.get(var):
            return os.environ[var]
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - getpass raises OSError, KeyError or ImportError on odd systems
        return "unknown"


def _version(value: bool) -> None:
    if value:
        console.print(f"harmonise {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main_options(
    ctx: typer.Context,
    workspace: Path = typer.Option(
        Path("."), "--workspace", "-w", help="Workspace folder (holds harmonise.yaml).", envvar="HARMONISE_WORKSPACE"
    ),
    user: str = typer.Option("", "--user", help="Who is running this (recorded in the audit log)."),
    debug: bool = typer.Option(False, "--debug", help="Show a traceback for internal errors."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Harmonise legacy NHS medicines formularies into one, chapter by chapter."""
    GLOBALS.workspace = workspace
    GLOBALS.user = user or default_user()
    GLOBALS.debug = debug
    if ctx.invoked_subcommand in SETTLING_COMMANDS and not ctx.resilient_parsing:
        code = handled(settle_interrupted)
        if code != EXIT_OK:
            raise typer.Exit(code)


def settle_interrupted() -> int:
    """Before a command that writes decisions or reads them to merge or publish, complete or roll back a
    decisions import that was interrupted (``review.recording``) and say which."""
    from harmonise.review import settle_pending

    for note in settle_pending(GLOBALS.workspace):
        err_console.print(f"[yellow]note:[/] {escape(str(note))}")
    return EXIT_OK


def run(action: Callable[[], int | None]) -> None:
    """Run a command body under the one error handler and exit with its code."""
    raise typer.Exit(handled(action))


def handled(action: Callable[[], int | None]) -> int:
    """Run ``action`` and turn what it raises into a message and an exit code."""
    try:
        return action() or EXIT_OK
    except InputError as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}")
        return EXIT_INPUT
    except typer.Exit:
        raise
    except OSError as exc:  # the machine, not harmonise: a full disk, a file open in Excel, no permission
        err_console.print(f"[bold red]error:[/] {escape(os_error_message(exc))}")
        return EXIT_INPUT
    except WorkerLost as exc:  # the machine, not harmonise: a worker killed, or out of memory
        err_console.print(
            f"[bold red]error:[/] {escape(str(exc))}: the command stopped before it finished. Run it again; "
            "with HARMONISE_WORKERS=1 everything runs in one process, which needs less memory"
        )
        return EXIT_INPUT
    except KeyboardInterrupt:
        err_console.print("interrupted: nothing was written after the last completed file")
        return EXIT_INPUT
    except Exception as exc:  # noqa: BLE001 - the boundary where a bug becomes exit code 3
        if GLOBALS.debug:
            traceback.print_exc(file=sys.stderr)
        err_console.print(
            f"[bold red]internal error:[/] {escape(type(exc).__name__)}: {escape(str(exc))}\n"
            "This is a bug in harmonise; run again with --debug for the traceback and report it."
        )
        return EXIT_BUG


def os_error_message(exc: OSError) -> str:
    """A file-system error in words a pharmacist can act on, naming the file."""
    import errno

    where = f"{exc.filename}: " if exc.filename else ""
    if isinstance(exc, PermissionError):
        advice = "permission denied; if the file is open in Excel or another program, close it and run again"
    elif exc.errno == errno.ENOSPC:
        advice = "the disk is full; free some space and run again"
    else:
        advice = f"{exc.strerror or exc}"
    return f"{where}{advice}"


def escape(text: str) -> str:
    """Make user-provided text safe to print: rich markup escaped, and control characters (an ANSI escape
    sequence in a legacy cell could clear the screen or retitle the terminal) shown as ``\\x1b``."""
    from rich.markup import escape as rich_escape

    return rich_escape(CONTROL.sub(_shown, text))


def _shown(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def print_json(payload: Any) -> None:
    """Write machine-readable output to stdout (no rich formatting, no wrapping; DEL and C1 controls, which
    JSON leaves raw, are written as \\u escapes)."""
    text = json.dumps(payload, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write(RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def select_chapters(workspace: Any, chapter: str | None, all_chapters: bool) -> list[Any]:
    """The chapters a command works on: ``--chapter N`` or ``--all`` (every chapter folder present)."""
    if chapter and all_chapters:
        raise InputError("give either --chapter N or --all, not both")
    if chapter:
        return [workspace.chapter(chapter)]
    if all_chapters:
        chapters = list(workspace.chapters_present())
        if not chapters:
            raise InputError(f"{workspace.root / 'chapters'}: no chapter folders (for example 02-cardiovascular)")
        return chapters
    raise InputError("say which chapter: --chapter N (for example --chapter 2) or --all")


@contextlib.contextmanager
def chapter_progress(chapters: Sequence[Any], label: str) -> Iterator[Callable[[Any], None]]:
    """A rich progress bar on stderr over chapters (shown only for two or more); yields the callback that
    the library calls after each chapter."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"))
    with Progress(*columns, console=err_console, transient=True, disable=len(chapters) < 2) as bar:
        task = bar.add_task("", total=len(chapters))
        yield lambda chapter: bar.update(task, advance=1, description=chapter.slug)
