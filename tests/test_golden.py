"""End-to-end golden test: the draft chapter workbook's values for a small chapter, compared as text.

Regenerate with ``.venv/bin/python tests/generate_golden.py`` after an intended change, and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from generate_golden import CASES, HERE, draft_values


@pytest.mark.parametrize("name", sorted(CASES))
def test_draft_workbook_matches_golden(tmp_path: Path, name: str) -> None:
    expected = (HERE / "golden" / name).read_text(encoding="utf-8")
    actual = draft_values(CASES[name], tmp_path / "ws")
    assert actual.splitlines() == expected.splitlines(), (
        "the draft chapter changed; if intended, run tests/generate_golden.py and review the diff"
    )
