"""JSON Schema for rule files (``rules/*.yaml``), for editors: built from the registries the validator reads
(``CONDITION_KINDS``, ``SOURCE_TESTS``, the outcome keys and word lists), each kind described by its own
documentation, so an editor offers the kinds as people type and shows what each does on hover.

A kind's argument takes one of the shapes in ``ARGUMENTS`` / ``CHECKS`` (a test fails when a kind has none).
Statuses and source keys belong to each workspace, so the schema takes any text there (offering the default
scale's statuses); ``harmonise rules check`` still checks them against the workspace, with file and line.

``python -m harmonise.rules.schema`` writes this schema and the ``harmonise.yaml`` one
(``harmonise.workspace.config_schema``) into ``harmonise/workspace/schemas/``; a test fails when the committed
files differ from what the definitions give.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from harmonise.output import write_text
from harmonise.rules.condition_kinds import ALWAYS_DOC, CONDITION_KINDS, COUNT_KEYS, MATCH_DECISIONS
from harmonise.rules.conditions import FIELDS
from harmonise.rules.engine import _RULE_ID, DEFAULT_ID, RULE_KEYS
from harmonise.rules.outcomes import ADOPT_MODES, DECISIONS, OUTCOME_KINDS, TIES
from harmonise.rules.source_tests import SOURCE_TESTS, TA_WORDS
from harmonise.workspace import (
    CONFIG_SCHEMA,
    DEFAULT_STATUSES,
    DRAFT,
    MEMBERSHIP_WORDS,
    RULES_SCHEMA,
    TEXT,
    Schema,
    closed,
    config_schema,
    one_or_list,
    pattern,
    schema_folder,
    suggested,
)

CONDITION = {"$ref": "#/definitions/condition"}
SOURCE_TEST = "#/definitions/source-test"
STATUS = suggested(DEFAULT_STATUSES, "a status key on the workspace's scale")
STATUSES = one_or_list(STATUS)
SOURCE = {**TEXT, "description": "a source key from harmonise.yaml"}
YES_NO = {"type": "boolean"}


def source_test(extra: dict[str, Schema] | None = None, required: tuple[str, ...] = ()) -> Schema:
    """A source test, with the keys its condition kind reads itself (``key``, ``at-least``...)."""
    checks = {name: {**CHECKS[name], "description": check.doc.summary} for name, check in SOURCE_TESTS.items()}
    return closed({**checks, **(extra or {})}, required, minProperties=1 + len(required))


ARGUMENTS: dict[str, Schema] = {
    "all": {"type": "array", "items": CONDITION, "minItems": 1},
    "any": {"type": "array", "items": CONDITION, "minItems": 1},
    "not": CONDITION,
    "matched": one_or_list({"enum": list(MATCH_DECISIONS)}),
    "match-level": one_or_list(TEXT),
    "present": {"anyOf": [{"enum": ["all", "any"]}, one_or_list(SOURCE)]},
    "absent": {"anyOf": [{"enum": ["all", "any"]}, one_or_list(SOURCE)]},
    "same": one_or_list({"enum": list(FIELDS)}),
    "differ": one_or_list({"enum": list(FIELDS)}),
    "more-restrictive": closed({"source": SOURCE, "than": SOURCE}, ("source", "than")),
    "less-restrictive": closed({"source": SOURCE, "than": SOURCE}, ("source", "than")),
    "source": {"$ref": "#/definitions/named-source-test"},
    "any-source": {"$ref": SOURCE_TEST},
    "every-source": {"$ref": SOURCE_TEST},
    "every-listing-source": {"$ref": SOURCE_TEST},
    "no-source": {"$ref": SOURCE_TEST},
    "count": {"$ref": "#/definitions/count-test"},
    "flagged": TEXT,
}

CHECKS: dict[str, Schema] = {
    "present": YES_NO,
    "status": STATUSES,
    "status-not": STATUSES,
    "status-at-least": STATUS,
    "status-at-most": STATUS,
    "word": one_or_list(TEXT),
    "mixed": YES_NO,
    "line": one_or_list(TEXT),
    "membership": one_or_list({"enum": list(MEMBERSHIP_WORDS)}),
    "nice_ta": {"anyOf": [YES_NO, one_or_list({"enum": list(TA_WORDS)})]},
    "brand": YES_NO,
    "notes-contain": one_or_list(TEXT),
}

REASON = {"anyOf": [{"const": True}, TEXT]}
THEN_VALUES: dict[str, Schema] = {
    "adopt": {"anyOf": [{"enum": list(ADOPT_MODES)}, STATUS]},
    "adopt-source": SOURCE,
    "escalate": REASON,
    "retain-both": REASON,
    "exclude": REASON,
    "ties": {"enum": list(TIES)},
    "reason": TEXT,
    "flag": one_or_list(TEXT),
}


def condition_schema() -> Schema:
    kinds = {
        name: {**ARGUMENTS[name], "description": f"{kind.doc.summary} Example: {kind.doc.example}"}
        for name, kind in CONDITION_KINDS.items()
    }
    one_kind = closed(kinds, minProperties=1, maxProperties=1)
    return {"anyOf": [{"const": "always", "description": ALWAYS_DOC.summary}, one_kind]}


def then_schema() -> Schema:
    """An outcome: one decision (with ``ties``/``reason``/``flag`` where they go), or ``flag`` alone."""
    values = {k: {**v, "description": OUTCOME_KINDS[k].summary} for k, v in THEN_VALUES.items()}
    pairs = [[a, b] for i, a in enumerate(DECISIONS) for b in DECISIONS[i + 1 :]]
    one_decision = {"not": {"anyOf": [{"required": pair} for pair in pairs]}}
    return {**closed(values, anyOf=[{"required": [k]} for k in (*DECISIONS, "flag")]), **one_decision}


def rule_schema() -> Schema:
    rule_id = {"type": "string", "pattern": pattern(_RULE_ID), "not": {"const": DEFAULT_ID}}
    properties: dict[str, Schema] = {
        "id": {**rule_id, "description": "names the rule's workbook column; used once across every rule file"},
        "title": TEXT,
        "description": {**TEXT, "description": "what the committee approves, in plain English"},
        "when": CONDITION,
        "then": then_schema(),
    }
    return closed(properties, RULE_KEYS)


def rules_schema() -> Schema:
    """The schema of a rule file."""
    counts = {k: {"type": "integer", "minimum": 0} for k in COUNT_KEYS}
    properties: dict[str, Schema] = {
        "version": {"type": ["string", "integer", "number"]},
        "title": TEXT,
        "description": {"type": "string"},
        "rules": {"type": "array", "items": rule_schema(), "minItems": 1},
    }
    return {
        "$schema": DRAFT,
        "title": "harmonise rule file (rules/*.yaml)",
        **closed(properties, ("version", "rules")),
        "definitions": {
            "condition": condition_schema(),
            "source-test": source_test(),
            "named-source-test": source_test({"key": SOURCE}, ("key",)),
            "count-test": {**source_test(counts), "anyOf": [{"required": [k]} for k in COUNT_KEYS]},
        },
    }


def schema_texts() -> dict[str, str]:
    """Each schema file's name and text, as committed."""
    schemas = {CONFIG_SCHEMA: config_schema(), RULES_SCHEMA: rules_schema()}
    return {name: json.dumps(schema, indent=2, ensure_ascii=False) + "\n" for name, schema in schemas.items()}


def main(argv: list[str] | None = None) -> int:
    """Write both schemas into the package (or into the folder given)."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else schema_folder()
    for name, text in schema_texts().items():
        write_text(folder / name, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
