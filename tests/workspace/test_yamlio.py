"""Reading YAML with libyaml gives what PyYAML's own parser gives: the same values, the same lines, the same
messages for a document it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harmonise.errors import InputError
from harmonise.workspace import yamlio

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(
    [
        *(ROOT / "harmonise" / "matching" / "knowledge").glob("*.yaml"),
        *(ROOT / "rules").glob("*.yaml"),
        ROOT / "harmonise.yaml",
    ]
)


def by_pyyaml(text: str, file: str) -> yamlio.YamlDoc:
    """The document as PyYAML's pure-Python parser reads it (what harmonise read before libyaml)."""
    builder = yamlio._Builder(file)
    root = yamlio.compose(text, file)
    return yamlio.YamlDoc(file, builder.build(root, ()) if root is not None else None, builder.lines)


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML was built without libyaml")
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_knowledge_rules_and_config_read_alike_by_libyaml_and_pyyaml(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    fast, own = yamlio.parse_yaml(text, path.name), by_pyyaml(text, path.name)
    assert fast.value == own.value and fast.value
    assert fast.lines == own.lines


BROKEN = [
    ("sources:\n  - key: cheshire\n    columns: {drug: Drug, status: [Status\n", "while parsing a flow sequence"),
    ("rules:\n  - id: R1\n   title: Same status\n", "while parsing a block collection"),
    ("title: one\n---\ntitle: two\n", "expected a single document in the stream"),
    ("title: 'unterminated\n", "while scanning a quoted scalar"),
]


@pytest.mark.parametrize(("text", "reason"), BROKEN, ids=[b[1] for b in BROKEN])
def test_a_document_libyaml_refuses_gets_pyyaml_message_and_line(text: str, reason: str) -> None:
    with pytest.raises(InputError) as fast:
        yamlio.parse_yaml(text, "rules/ch04.yaml")
    with pytest.raises(InputError) as own:
        yamlio.compose(text, "rules/ch04.yaml")
    assert str(fast.value) == str(own.value)
    assert reason in str(fast.value) and "rules/ch04.yaml:" in str(fast.value)


def test_nesting_too_deep_is_refused_with_its_line_by_either_parser() -> None:
    text = "rules:\n" + "".join("  " * n + "- all:\n" for n in range(1, 45))
    with pytest.raises(InputError, match=r"rules/deep.yaml:\d+: mappings and lists nested more than 40") as fast:
        yamlio.parse_yaml(text, "rules/deep.yaml")
    with pytest.raises(InputError) as own:
        yamlio.compose(text, "rules/deep.yaml")
    assert str(fast.value) == str(own.value)
