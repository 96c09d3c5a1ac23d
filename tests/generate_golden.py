"""Regenerate the golden outputs of the end-to-end merge test (never edit them by hand).

    .venv/bin/python tests/generate_golden.py

Runs ``harmonise merge`` on the small chapter of ``merge_fixtures`` (two and three sources) and stores the
values read back from the draft workbook as CSV in ``tests/golden/``. Review the diff before committing.
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from merge_fixtures import CH02, small_chapter  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from harmonise.cli import app  # noqa: E402

CASES = {"merge-ch02-two-sources.csv": False, "merge-ch02-three-sources.csv": True}


def draft_values(three: bool, root: Path) -> str:
    """Merge the small chapter in ``root`` and return the draft workbook's values as CSV text."""
    small_chapter(root, three=three)
    result = CliRunner().invoke(app, ["--workspace", str(root), "merge", "--chapter", "2"])
    if result.exit_code != 0:
        raise RuntimeError(result.output)
    workbook = load_workbook(root / CH02 / "harmonised-draft.xlsx", read_only=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for sheet in ("Harmonised", "Summary"):
        for row in workbook[sheet].iter_rows(values_only=True):
            writer.writerow([sheet, *("" if v is None else v for v in row)])
    return buffer.getvalue()


def main() -> None:
    for name, three in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            (HERE / "golden" / name).write_text(draft_values(three, Path(tmp) / "ws"), encoding="utf-8")
        print(f"wrote tests/golden/{name}")


if __name__ == "__main__":
    main()
