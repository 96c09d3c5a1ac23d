"""Error types shared by every stage.

Two families: ``InputError`` is the user's or the data's fault (exit 2, a clear located message, no
traceback); anything else escaping the library is a bug (exit 3), but for the machine's own failures (an
``OSError``; ``WorkerLost``: a worker process killed, or out of memory), which are reported as exit 2 too.
``Problem`` is one located finding; ``ProblemLog`` collects every problem of a file before failing once, so a
pharmacist fixes all of them in one go instead of one per run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One located finding: ``where`` is ``file:line`` or ``file[sheet] row N``, ``path`` a key path."""

    where: str
    message: str
    path: str = ""

    def __str__(self) -> str:
        inner = f"{self.path}: " if self.path else ""
        return f"{self.where}: {inner}{self.message}"


class WorkerLost(RuntimeError):
    """A worker process ended before sending its result (killed, or out of memory): the machine, not a bug."""


class InputError(Exception):
    """Bad input (config, rules, spreadsheet, command line): reported to the user, exit code 2."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        self.problems = tuple(problems)
        super().__init__(message)

    def __str__(self) -> str:
        head = self.args[0] if self.args else "invalid input"
        if not self.problems:
            return str(head)
        return "\n".join([str(head), *(f"  {p}" for p in self.problems)])


@dataclass
class ProblemLog:
    """Collects problems so that validation reports all of them at once."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, where: str, message: str, path: str = "") -> None:
        self.problems.append(Problem(where, message, path))

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self, message: str) -> None:
        if self.problems:
            raise InputError(message, self.problems)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean X?)`` for the closest choice, or an empty string when nothing is close."""
    spelled = {str(c).casefold(): str(c) for c in choices}
    close = difflib.get_close_matches(str(word).casefold(), list(spelled), n=1, cutoff=0.6)
    return f" (did you mean {spelled[close[0]]}?)" if close else ""
