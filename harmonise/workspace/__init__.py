"""The workspace: ``harmonise.yaml`` read and validated as data, YAML read safely with line numbers, and a
new workspace scaffolded by ``harmonise init``.

Takes: a workspace folder. Gives: a ``Workspace`` (sources, column mappings, status vocabularies on the
common scale, chapters, rules, thresholds) that every later stage reads; the workspace's secret key
(``secret``), which signs its working-group workbooks; the JSON Schema of ``harmonise.yaml`` for editors
(``schema``, with the helpers the rule-file schema is built with).
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
from harmonise.workspace.schema import (
    CONFIG_SCHEMA,
    DEFAULT_STATUSES,
    DRAFT,
    RULES_SCHEMA,
    SCHEMA_FOLDER,
    TEXT,
    Schema,
    closed,
    config_schema,
    one_or_list,
    pattern,
    schema_folder,
    suggested,
)
from harmonise.workspace.secret import KEY_NAME, key_id, key_path, read_key, workspace_key
from harmonise.workspace.yamlio import KeyPath, YamlDoc, format_path, load_yaml

__all__ = [
    "BNF_CHAPTERS",
    "CONFIG_NAME",
    "CONFIG_SCHEMA",
    "DEFAULT_STATUSES",
    "DRAFT",
    "FIELDS",
    "KEY_NAME",
    "MEMBERSHIP_WORDS",
    "RULES_SCHEMA",
    "SCHEMA_FOLDER",
    "TA_ID",
    "TA_RECOMMENDATIONS",
    "TEXT",
    "KeyPath",
    "Schema",
    "SourceConfig",
    "Workspace",
    "YamlDoc",
    "closed",
    "config_schema",
    "format_path",
    "init_workspace",
    "key_id",
    "key_path",
    "load_workspace",
    "load_yaml",
    "normalise_word",
    "one_or_list",
    "pattern",
    "read_key",
    "schema_folder",
    "suggested",
    "ta_id",
    "workspace_key",
]
