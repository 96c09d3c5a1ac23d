"""Start-up stays light: importing the CLI, `--help` and `--version` load none of the heavy libraries a command
needs (pandas, numpy, openpyxl, rapidfuzz, calamine); each command imports the library when it runs. A
structural check, in a fresh interpreter: the figures are printed by benchmarks/startup.py, never asserted."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("pandas", "numpy", "openpyxl", "rapidfuzz", "python_calamine", "pyarrow")
PROBE = """
import sys
from typer.testing import CliRunner
from harmonise.cli import app
{run}
print(" ".join(m for m in {heavy!r} if m in sys.modules))
"""


@pytest.mark.parametrize(
    "run",
    [
        "",
        "assert CliRunner().invoke(app, ['--help']).exit_code == 0",
        "assert CliRunner().invoke(app, ['--version']).exit_code == 0",
        "assert CliRunner().invoke(app, ['export', '--help']).exit_code == 0",
    ],
    ids=["import", "--help", "--version", "export --help"],
)
def test_the_cli_starts_without_the_heavy_libraries(run: str) -> None:
    probe = PROBE.format(run=run, heavy=HEAVY)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []
