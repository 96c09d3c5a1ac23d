"""Rule semantics as data: every case in ``cases/*.yaml`` runs through this one parametrized test.

A case file may set ``sources`` (default cheshire, merseyside) and ``pack`` (a file in ``rules/``) or
``rules`` (a list of rules; ``title`` and ``description`` may be left out) for all its cases; a case may
override any of them. Each case gives ``positions`` (``{source: spec}``, see ``test_rules.position``),
``match`` (default auto) and ``expect``: ``outcome``, ``status``, ``decided_by``, ``source``, ``flags``,
``rationale`` (a part of it) and ``verdicts`` (``{rule id: summary}``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rules_fixtures import REPO, SCALE, build_item, rules_workspace

from harmonise.rules.engine import evaluate, load_rules

CASES = Path(__file__).parent / "cases"


def _cases() -> list[Any]:
    params = []
    for file in sorted(CASES.glob("*.yaml")):
        spec = yaml.safe_load(file.read_text(encoding="utf-8"))
        defaults = {k: v for k, v in spec.items() if k != "cases"}
        for case in spec["cases"]:
            params.append(pytest.param({**defaults, **case}, id=f"{file.stem}: {case['name']}"))
    return params


def _rules_text(rules: list[dict[str, Any]]) -> str:
    filled = [{"title": r["id"], "description": f"Test rule {r['id']}.", **r} for r in rules]
    return yaml.safe_dump({"version": 1, "rules": filled}, sort_keys=False)


@pytest.mark.parametrize("case", _cases())
def test_rule_case(tmp_path: Path, case: dict[str, Any]) -> None:
    sources = tuple(case.get("sources", ("cheshire", "merseyside")))
    assert set(case["positions"]) == set(sources), "give every source's position (absent for none)"
    if "pack" in case:
        workspace = rules_workspace(tmp_path, sources)
        ruleset = load_rules(workspace, [REPO / "rules" / f"{case['pack']}.yaml"])
    else:
        workspace = rules_workspace(tmp_path, sources, _rules_text(case["rules"]))
        ruleset = load_rules(workspace)
    item = build_item({s: case["positions"][s] for s in sources}, case.get("match", "auto"), case.get("level", ""))
    result = evaluate(ruleset, item, SCALE)
    expect = case["expect"]
    outcome = result.outcome
    assert outcome.kind == expect["outcome"], outcome.rationale
    assert outcome.decided_by == expect["decided_by"], outcome.rationale
    assert outcome.status == expect.get("status"), outcome.rationale
    assert outcome.source == expect.get("source", "")
    assert list(result.flags) == expect.get("flags", [])
    assert expect.get("rationale", "") in outcome.rationale
    summaries = {v.rule_id: v.summary for v in result.verdicts}
    for rule_id, summary in expect.get("verdicts", {}).items():
        assert summaries[rule_id] == summary, rule_id
