"""JSON Schema of ``harmonise.yaml`` for editors: every key the validator reads, accepting every configuration
harmonise ships, refusing the mistakes the validator refuses, and named by the ``yaml-language-server`` line of
every file ``harmonise init`` writes (rule files included)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import TWO_SOURCE_CONFIG, make_workspace
from jsonschema import Draft7Validator

from harmonise.errors import InputError
from harmonise.workspace import config, config_schema, init_workspace, load_workspace, schema_folder

REPO = Path(__file__).resolve().parents[2]
CONFIG = Draft7Validator(config_schema())
LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\n")


def errors(validator: Draft7Validator, text: str) -> list[str]:
    return [e.message for e in validator.iter_errors(yaml.safe_load(text))]


def test_the_schema_is_valid_draft_7() -> None:
    Draft7Validator.check_schema(config_schema())


def properties(schema: dict[str, Any], *path: str) -> set[str]:
    for key in path:
        schema = schema[key]
    return set(schema["properties"])


def test_every_key_the_validators_read_is_in_the_schemas() -> None:
    top = config_schema()
    assert properties(top) == set(config.TOP_KEYS)
    assert properties(top, "properties", "sources", "items") == set(config.SOURCE_KEYS)
    assert properties(top, "properties", "scale", "items") == set(config.SCALE_KEYS)
    assert properties(top, "properties", "chapters", "items") == set(config.CHAPTER_KEYS)
    assert properties(top, "properties", "matching") == set(config.MATCHING_KEYS)
    assert properties(top, "properties", "sources", "items", "properties", "columns") == set(config.FIELDS)


SHIPPED_CONFIGS = [REPO / "harmonise.yaml", REPO / "harmonise/workspace/defaults/harmonise.yaml"]
SHIPPED_CONFIGS += [REPO / "benchmarks/e2e/harmonise.yaml"]


@pytest.mark.parametrize("path", SHIPPED_CONFIGS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_shipped_configuration_is_accepted(path: Path) -> None:
    assert errors(CONFIG, path.read_text(encoding="utf-8")) == []


def test_init_points_every_file_at_its_schema_in_the_workspace(tmp_path: Path) -> None:
    init_workspace(tmp_path / "ws")
    files = [tmp_path / "ws" / "harmonise.yaml", *sorted((tmp_path / "ws" / "rules").glob("*.yaml"))]
    assert len(files) == 3
    for path in files:
        text = path.read_text(encoding="utf-8")
        line = LINE.match(text)
        assert line, f"{path.name} has no yaml-language-server line"
        schema = (path.parent / line.group(1)).resolve()
        assert schema.is_file() and schema.read_bytes() == (schema_folder() / schema.name).read_bytes()
        assert errors(Draft7Validator(json.loads(schema.read_text("utf-8"))), text) == []
    load_workspace(tmp_path / "ws")  # and the validator reads the files with their first line


@pytest.mark.parametrize(
    "old, new",
    [
        ('    file: "cheshire.*"', '    flie: "cheshire.*"'),  # a typo in a key
        ("  - key: merseyside", "  - key: Mersey Side"),  # not a key that can name files
        ("version: 1", "version: 3"),
        ('    file: "merseyside.*"', '    file: "merseyside.*"\n    header_row: top'),
        ('    file: "merseyside.*"', '    file: "../other/merseyside.*"'),  # outside the chapter folder
        ("rules: rules/default.yaml", "rules: rules/default.yaml\nmatching: {auto_score: 150}"),
        ("      drug: [Medicine]\n", ""),  # the drug column is required
        ("rules: rules/default.yaml", "rules: rules/default.yaml\nnice_ta: {positive: [TA223]}"),
    ],
)
def test_configuration_mistakes_the_validator_refuses_are_refused(tmp_path: Path, old: str, new: str) -> None:
    assert old in TWO_SOURCE_CONFIG
    text = TWO_SOURCE_CONFIG.replace(old, new)
    assert errors(CONFIG, text)
    with pytest.raises(InputError):
        load_workspace(make_workspace(tmp_path, text))
