"""Atomic writes: the file appears whole or not at all, with the permissions an ordinary new file gets."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from harmonise.output import files as fileio


def test_new_file_gets_ordinary_permissions_not_private_temp_ones(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        fileio.write_text(tmp_path / "report.md", "hello")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report.md").stat().st_mode) == 0o644


def test_rewrite_keeps_the_existing_permissions(tmp_path: Path) -> None:
    target = tmp_path / "shared.xlsx"
    target.write_text("v1")
    target.chmod(0o664)
    fileio.write_text(target, "v2")
    assert target.read_text() == "v2" and stat.S_IMODE(target.stat().st_mode) == 0o664


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "draft.xlsx"
    target.write_text("previous")

    def broken(path: Path) -> None:
        path.write_text("half")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        fileio.write_with(target, broken)
    assert target.read_text() == "previous" and [p.name for p in tmp_path.iterdir()] == ["draft.xlsx"]
