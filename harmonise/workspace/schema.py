"""JSON Schema for ``harmonise.yaml``, for editors: built from the names the validator (``config.py``) reads, so the
two cannot drift apart (``tests/workspace/test_schema.py`` compares the committed file with this).

The schema is what an editor can check as people type: the keys, their shapes, the closed word lists. The
validator still has the last word on what needs the whole file (a status word mapped twice, a source's chapter
the workspace does not have, a rule file outside the workspace). Draft-07, which yaml-language-server reads.
The files are written by ``python -m harmonise.rules.schema`` into ``harmonise/workspace/schemas/`` (package data);
``harmonise init`` copies them into the new workspace's ``schemas/`` folder and points each file it writes at
its schema with a ``# yaml-language-server: $schema=...`` line, a path relative to the file, so it works offline
and wherever the workspace is moved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harmonise.workspace.config import (
    CHAPTER_SLUG,
    COLOUR,
    DEFAULT_SCALE,
    FIELDS,
    MATCHING_KEYS,
    MEMBERSHIP_WORDS,
    REQUIRED_FIELDS,
    SOURCE_KEY,
    TA_RECOMMENDATIONS,
)

DRAFT = "http://json-schema.org/draft-07/schema#"
SCHEMA_FOLDER = "schemas"  # in a workspace, and in this package
CONFIG_SCHEMA = "harmonise.schema.json"
RULES_SCHEMA = "rules.schema.json"
Schema = dict[str, Any]


def schema_folder() -> Path:
    """Where the package keeps the schema files (package data)."""
    return Path(__file__).resolve().parent / SCHEMA_FOLDER


TEXT: Schema = {"type": "string", "minLength": 1}


def one_or_list(item: Schema) -> Schema:
    """A value or a non-empty list of such values (the validator reads both)."""
    return {"anyOf": [item, {"type": "array", "items": item, "minItems": 1}]}


def closed(properties: dict[str, Schema], required: tuple[str, ...] = (), **more: Any) -> Schema:
    """A mapping of exactly these keys: an editor flags any other (a typo such as ``flie``)."""
    schema: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return {**schema, **more}


def pattern(regex: Any) -> str:
    """A whole-value JSON Schema pattern from a validator's compiled ``fullmatch`` expression."""
    return f"^(?:{regex.pattern})$"


def words(description: str) -> Schema:
    return {**one_or_list(TEXT), "description": description}


def suggested(values: tuple[str, ...], description: str) -> Schema:
    """Text, with these values offered for completion (a workspace may declare others)."""
    return {"anyOf": [{"enum": list(values)}, TEXT], "description": description}


DEFAULT_STATUSES = tuple(s.key for s in DEFAULT_SCALE)
STATUS_KEY = {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"}


def scale_schema() -> Schema:
    status = closed(
        {
            "status": suggested(DEFAULT_STATUSES, "the status's key, used in statuses: and in the rules"),
            "label": {"type": "string", "description": "as reports show it"},
            "rank": {
                "type": ["integer", "null"],
                "minimum": 1,
                "description": "1 = least restrictive; none for a status outside the order (grey)",
            },
            "colour": {"type": "string", "pattern": f"^#?(?:{COLOUR.pattern})$", "description": "hex RGB, e.g. 00843D"},
        },
        ("status",),
    )
    return {"type": "array", "items": status, "minItems": 1, "description": "least restrictive first"}


def source_schema() -> Schema:
    columns = closed({f: words(f"the header text(s) of the {f} column") for f in FIELDS}, REQUIRED_FIELDS)
    statuses = {
        "type": "object",
        "propertyNames": STATUS_KEY,
        "additionalProperties": words("this source's words for the status"),
        "minProperties": 1,
        "description": "common status -> this source's words for it (case and spacing ignored)",
        "properties": {key: words("this source's words for the status") for key in DEFAULT_STATUSES},
    }
    properties: dict[str, Schema] = {
        "key": {"type": "string", "pattern": pattern(SOURCE_KEY), "description": "short name: lower-case"},
        "name": {"type": "string", "description": "display name used in reports"},
        "file": {"type": "string", "pattern": r"^[^/\\]+$", "description": "file name pattern in a chapter folder"},
        "sheet": {"type": "string"},
        "header_row": {"anyOf": [{"const": "auto"}, {"type": "integer", "minimum": 1}]},
        "columns": columns,
        "statuses": statuses,
        "membership": closed({k: words(f"words meaning {k}") for k in MEMBERSHIP_WORDS}),
        "chapters": {"type": "array", "items": {"type": ["string", "integer"]}, "minItems": 1},
    }
    return closed(properties, ("key", "columns", "statuses"))


def config_schema() -> Schema:
    """The schema of ``harmonise.yaml``."""
    chapter = closed(
        {
            "number": {"type": ["string", "integer"]},
            "slug": {"type": "string", "pattern": pattern(CHAPTER_SLUG)},
            "title": {"type": "string"},
        },
        ("number", "slug"),
    )
    properties: dict[str, Schema] = {
        "version": {"const": 1},
        "title": {"type": "string"},
        "scale": scale_schema(),
        "sources": {"type": "array", "items": source_schema(), "minItems": 2},
        "chapters": {"type": "array", "items": chapter},
        "rules": words("rule files, in order, relative to the workspace"),
        "matching": closed({k: {"type": "number", "minimum": 0, "maximum": 100} for k in MATCHING_KEYS}),
        "knowledge": words("folders of extra drug knowledge"),
        "reference": {"type": "string", "description": "a BNF release CSV or pack, or none"},
        "nice_ta": closed({k: words("NICE TA references, e.g. TA223") for k in TA_RECOMMENDATIONS}),
    }
    return {
        "$schema": DRAFT,
        "title": "harmonise workspace configuration (harmonise.yaml)",
        **closed(properties, ("sources",)),
    }
