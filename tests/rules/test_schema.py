"""JSON Schema of rule files for editors: generated from the validator's registries (the committed files must be
what the definitions give), accepting every rule file harmonise ships, refusing the mistakes the validator
refuses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import make_workspace
from jsonschema import Draft7Validator

from harmonise.errors import InputError
from harmonise.rules import condition_kinds, engine, outcomes, source_tests
from harmonise.rules.schema import ARGUMENTS, CHECKS, THEN_VALUES, rules_schema, schema_texts
from harmonise.workspace import load_workspace, schema_folder

REPO = Path(__file__).resolve().parents[2]
RULES = Draft7Validator(rules_schema())
SHIPPED_RULES = sorted(REPO.glob("rules/*.yaml")) + sorted(REPO.glob("harmonise/workspace/defaults/rules/*.yaml"))
SHIPPED_RULES += sorted(REPO.glob("benchmarks/e2e/rules/*.yaml"))


def errors(text: str) -> list[str]:
    return [e.message for e in RULES.iter_errors(yaml.safe_load(text))]


def test_the_schema_is_valid_draft_7() -> None:
    Draft7Validator.check_schema(rules_schema())


def test_the_committed_schemas_are_what_the_definitions_give() -> None:
    for name, text in schema_texts().items():
        assert (schema_folder() / name).read_text(encoding="utf-8") == text, (
            f"{name} drifted from the definitions: run python -m harmonise.rules.schema"
        )


def test_every_kind_and_key_the_validator_reads_is_in_the_schema() -> None:
    def properties(schema: dict[str, Any], *path: str) -> set[str]:
        for key in path:
            schema = schema[key]
        return set(schema["properties"])

    rules = rules_schema()
    assert properties(rules) == set(engine.FILE_KEYS)
    assert properties(rules, "properties", "rules", "items") == set(engine.RULE_KEYS)
    assert set(ARGUMENTS) == set(condition_kinds.CONDITION_KINDS)
    assert set(CHECKS) == set(source_tests.SOURCE_TESTS)
    assert set(THEN_VALUES) == set(outcomes.THEN_KEYS) <= set(outcomes.OUTCOME_KINDS)


@pytest.mark.parametrize("path", SHIPPED_RULES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_shipped_rule_file_is_accepted(path: Path) -> None:
    assert errors(path.read_text(encoding="utf-8")) == []


RULE = """\
version: 1
rules:
  - id: R5
    title: Same status in every formulary
    description: Where every legacy formulary gives the same status, the harmonised formulary keeps it.
    when: {all: [{matched: auto}, {same: status}]}
    then: {adopt: status}
  - id: R6
    title: Black and listed by one formulary only
    description: A medicine one formulary does not recommend and no other lists is excluded.
    when: {all: [{count: {present: yes, exactly: 1}}, {any-source: {status: black}}]}
    then: {exclude: yes}
"""


@pytest.mark.parametrize(
    "old, new",
    [
        ("{matched: auto}", "{macthed: auto}"),  # an unknown condition kind
        ("{matched: auto}", "{matched: maybe}"),
        ("{matched: auto}", "{matched: auto, same: status}"),  # two kinds in one condition
        ("{all: [{matched: auto}, {same: status}]}", "{all: []}"),
        ("{same: status}", "{same: colour}"),
        ("then: {adopt: status}", "then: {adopt: status, escalate: yes}"),  # two decisions
        ("then: {adopt: status}", "then: {adopt: most-common, ties: sometimes}"),
        ("then: {adopt: status}", "then: {adpot: status}"),
        ("then: {exclude: yes}", "then: {exclude: no}"),
        ("exactly: 1", "exactly: -1"),
        ("{count: {present: yes, exactly: 1}}", "{count: {present: yes}}"),  # how many?
        ("{any-source: {status: black}}", "{any-source: {membership: sometimes}}"),
        ("{any-source: {status: black}}", "{source: {status: black}}"),  # which source?
        ("  - id: R6", "  - id: default"),  # the id of the default outcome
        ("    title: Black and listed by one formulary only\n", ""),
    ],
)
def test_rule_mistakes_the_validator_refuses_are_refused(tmp_path: Path, old: str, new: str) -> None:
    assert errors(RULE) == [] and old in RULE
    text = RULE.replace(old, new)
    assert errors(text)
    make_workspace(tmp_path, rules=text)
    with pytest.raises(InputError):
        engine.load_rules(load_workspace(tmp_path))
