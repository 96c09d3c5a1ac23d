"""A chapter the working group has decided on, merged again: the workspace the pandas API and ``export`` tests
read (shared by tests/api and tests/cli)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from review_fixtures import DECIDED, WORKBOOK, chapter_workspace, fill, merge, workspace_of

from harmonise.api import TABLES
from harmonise.api.columns import TIME
from harmonise.review.importer import import_decisions


def decided_workspace(tmp_path: Path) -> Path:
    """Chapter 2 of two small formularies: merged, the group's first decisions imported (Ramipril adopted as
    Amber recommended, Bisoprolol deferred, Cheshire's position adopted for Atorvastatin, the candidate match of
    the two Doxazosin rows rejected), merged again."""
    root = chapter_workspace(tmp_path)
    merge(root)
    report = import_decisions(workspace_of(root), fill(root / WORKBOOK, DECIDED), "alice")
    assert report.ok, report.rejected
    merge(root)
    return root


def read_csv_table(path: Path, table: str) -> pd.DataFrame:
    """An exported CSV read back with the table's documented dtypes."""
    columns = TABLES[table].columns
    text = {c.name: "string" for c in columns if c.dtype != TIME}
    data = pd.read_csv(path, dtype=text, keep_default_na=False, na_values={c: [""] for c in text})
    for column in columns:
        values = data[column.name]
        if column.dtype == TIME:
            data[column.name] = pd.to_datetime(values, utc=True).astype(TIME)
        elif column.dtype == "boolean":
            data[column.name] = values.map({"True": True, "False": False}, na_action="ignore").astype("boolean")
        else:
            data[column.name] = values.astype(column.dtype)
    return data
