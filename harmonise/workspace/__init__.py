"""The workspace: ``harmonise.yaml`` read and validated as data, YAML read safely with line numbers, and a
new workspace scaffolded by ``harmonise init``.

Takes: a workspace folder. Gives: a ``Workspace`` (sources, column mappings, status vocabularies on the
common scale, chapters, rules, thresholds) that every later stage reads; the workspace's secret key
(``secret``), which signs its working-group workbooks.
"""

from __future__ import annotations

from harmonise.workspace.config import (
    BNF_CHAPTERS,
    CONFIG_NAME,
    FIELDS,
    MEMBERSHIP_WORDS,
    TA_ID,
    TA_RECOMMENDATIONS,
    SourceConfig,
    Workspace,
    load_workspace,
    normalise_word,
    ta_id,
)
from harmonise.workspace.scaffold import init_workspace
from harmonise.workspace.secret import KEY_NAME, key_id, key_path, read_key, workspace_key
from harmonise.workspace.yamlio import KeyPath, YamlDoc, format_path, load_yaml

__all__ = [
    "BNF_CHAPTERS",
    "CONFIG_NAME",
    "FIELDS",
    "KEY_NAME",
    "MEMBERSHIP_WORDS",
    "TA_ID",
    "TA_RECOMMENDATIONS",
    "KeyPath",
    "SourceConfig",
    "Workspace",
    "YamlDoc",
    "format_path",
    "init_workspace",
    "key_id",
    "key_path",
    "load_workspace",
    "load_yaml",
    "normalise_word",
    "read_key",
    "ta_id",
    "workspace_key",
]
