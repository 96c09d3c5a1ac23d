"""How long `harmonise --help` and `harmonise --version` take to start, and which heavy libraries the CLI imports
before running a command (issue 15: under 0.2 s; the libraries a command needs are imported when it runs).

    .venv/bin/python benchmarks/startup.py [--runs 15]

Prints, for each command line, the fastest and the median wall time of fresh interpreters (the fastest is the
figure to quote on a busy machine), the same for a bare `python -c pass` (the floor no CLI goes below), and the
heavy modules `import harmonise.cli` loads. A benchmark prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HEAVY = ("pandas", "numpy", "openpyxl", "rapidfuzz", "python_calamine", "yaml", "jinja2", "pyarrow")
ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], runs: int) -> tuple[float, float]:
    """Fastest and median wall time of ``runs`` fresh processes, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def heavy_imports() -> list[str]:
    """The heavy modules loaded by importing the CLI (what every command pays for before it runs)."""
    probe = f"import sys, harmonise.cli; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return result.stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    script = shutil.which("harmonise", path=str(Path(sys.executable).parent)) or "harmonise"
    lines = {
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
        "harmonise --version": [script, "--version"],
        "harmonise --help": [script, "--help"],
        "import harmonise.cli": [sys.executable, "-c", "import harmonise.cli"],
    }
    print(f"{'command':40} {'fastest':>9} {'median':>9}   ({runs} runs each)")
    for label, command in lines.items():
        fastest, median = timed(command, runs)
        print(f"{label:40} {fastest:8.3f}s {median:8.3f}s")
    print("heavy modules loaded by `import harmonise.cli`:", ", ".join(heavy_imports()) or "none")


if __name__ == "__main__":
    main()
