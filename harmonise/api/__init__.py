"""The pandas API: a workspace's entries, items, outcomes, decisions and audit events as DataFrames, and
``harmonise export`` writing the same tables as CSV, xlsx or Parquet.

Takes: a workspace folder. Gives: ``Frames`` (``load(root)``), whose tables are built from what ``merge``
computes, the decisions registers and the audit log, with the columns and dtypes of ``columns.TABLES``
(``docs/api.md``); ``export_tables``, which writes them.

It sits at the top beside the CLI: it may import every stage, and only the CLI imports it. pandas is imported
only when ``load``, ``Frames`` or ``export_tables`` is first used, so naming the tables (``TABLES``,
``FORMATS``) costs the CLI's start-up nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harmonise.api.columns import FORMATS, TABLES, Column, Table

if TYPE_CHECKING:  # the names below are loaded on first use (PEP 562): they import pandas
    from harmonise.api.export import Exported, export_tables
    from harmonise.api.frames import Frames, load

LAZY = {"Frames": "frames", "load": "frames", "Exported": "export", "export_tables": "export"}

__all__ = ["FORMATS", "TABLES", "Column", "Exported", "Frames", "Table", "export_tables", "load"]


def __getattr__(name: str) -> Any:
    if name not in LAZY:
        raise AttributeError(f"module 'harmonise.api' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"harmonise.api.{LAZY[name]}"), name)
