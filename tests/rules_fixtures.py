"""A small workspace for rule tests: shared by the rule-engine and ``rules`` command tests."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, cast

import yaml

from harmonise.model import Entry, Item, MatchDecision, MatchInfo, Position, Provenance, Scale
from harmonise.workspace.config import DEFAULT_SCALE, Workspace, load_workspace

REPO = Path(__file__).resolve().parents[1]


SCALE = Scale(DEFAULT_SCALE)


def rules_workspace(
    root: Path, sources: tuple[str, ...] = ("cheshire", "merseyside"), rules: str | None = None
) -> Workspace:
    """A workspace in ``root`` with these sources (every status word = the scale label) and ``rules/test.yaml``."""
    config = {
        "version": 1,
        "title": "Rules test",
        "sources": [
            {
                "key": key,
                "name": key.title(),
                "columns": {"drug": "Drug", "status": "Status"},
                "statuses": {s.key: [s.label] for s in DEFAULT_SCALE},
            }
            for key in sources
        ],
        "rules": "rules/test.yaml",
    }
    root.mkdir(parents=True, exist_ok=True)
    (root / "harmonise.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    if rules is not None:
        (root / "rules").mkdir(exist_ok=True)
        (root / "rules" / "test.yaml").write_text(textwrap.dedent(rules), encoding="utf-8")
    return load_workspace(root)


def entry(source: str, status: str | None, row: int = 2, **fields: Any) -> Entry:
    word = fields.pop("word", SCALE.label(status) if status else "")
    return Entry(
        source,
        "Ezetimibe 10mg tablets",
        Provenance(f"{source}.xlsx", "Sheet1", row),
        status=status,
        status_word=word,
        **fields,
    )


def position(source: str, spec: Any) -> Position:
    """``None``/``"absent"`` -> absent; ``"green"`` -> one row; ``[green, red]`` -> rows; a mapping -> one row
    with fields (``status``, ``word``, ``nice_ta``, ``notes``, ``brand``, ``line``, ``membership``) or ``rows``."""
    if spec is None or spec == "absent":
        return Position(source)
    if isinstance(spec, str):
        return Position(source, (entry(source, spec),))
    if isinstance(spec, list):
        return Position(source, tuple(entry(source, s, row=2 + i) for i, s in enumerate(spec)))
    fields = dict(spec)
    if "rows" in fields:
        rows = fields.pop("rows")
        return Position(source, tuple(entry(source, s, row=2 + i, **fields) for i, s in enumerate(rows)))
    return Position(source, (entry(source, fields.pop("status", None), **fields),))


def build_item(positions: dict[str, Any], match: str = "auto", level: str = "") -> Item:
    """One harmonised row from ``{source: spec}`` (see ``position``)."""
    return Item(
        "k1",
        "4",
        "04.01",
        "Ezetimibe 10mg tablets",
        tuple(position(source, spec) for source, spec in positions.items()),
        MatchInfo(decision=cast(MatchDecision, match), level=level),
    )
