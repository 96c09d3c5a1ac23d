"""``harmonise rules check`` and ``harmonise rules explain`` through the CLI, with exit codes and messages."""

from __future__ import annotations

import json
from pathlib import Path

from rules_fixtures import REPO, rules_workspace
from typer.testing import CliRunner

from harmonise.cli import app
from harmonise.cli.rules import ruleset_summary
from harmonise.rules.engine import load_rules

runner = CliRunner()

GOOD = """\
version: 2
rules:
  - {id: R1, title: Same, description: Same status everywhere., when: {same: status}, then: {adopt: status}}
  - {id: R2, title: Rest, description: Everything else., when: always, then: {escalate: yes}}
"""
BAD = """\
version: 1
rules:
  - {id: R1, title: Same, description: Same status., when: {same: status}, then: {adopt: ambre}}
"""


def _flat(text: str) -> str:
    """Console output wraps long lines; compare with whitespace runs collapsed."""
    return " ".join(text.split())


def test_check_prints_a_summary(tmp_path: Path) -> None:
    rules_workspace(tmp_path, rules=GOOD)
    result = runner.invoke(app, ["--workspace", str(tmp_path), "rules", "check"])
    assert result.exit_code == 0, result.output
    assert _flat(result.output).startswith("Rules OK: 2 rules in 1 file (version 2)")


def test_check_reports_located_problems_with_exit_2(tmp_path: Path) -> None:
    rules_workspace(tmp_path, rules=BAD)
    result = runner.invoke(app, ["--workspace", str(tmp_path), "rules", "check"])
    assert result.exit_code == 2
    assert _flat(
        "error: the rules are not valid (1 problem); nothing was run "
        "rules/test.yaml:3: rules[0] (id=R1).then.adopt: 'ambre' is not a status on the scale "
        "(did you mean amber-recommended or amber-initiated?); adopt also takes status, more-restrictive, "
        "less-restrictive, most-common"
    ) in _flat(result.output)
    assert "Traceback" not in result.output


def test_check_json_equals_the_library(tmp_path: Path) -> None:
    workspace = rules_workspace(tmp_path)
    pack = REPO / "rules" / "dominant-status.yaml"
    result = runner.invoke(app, ["--workspace", str(tmp_path), "rules", "check", "--json", str(pack)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == ruleset_summary(load_rules(workspace, [pack]))


def test_check_without_a_workspace_is_an_input_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--workspace", str(tmp_path / "none"), "rules", "check"])
    assert result.exit_code == 2
    assert "no workspace configuration here" in _flat(result.output)


def test_explain_prints_markdown(tmp_path: Path) -> None:
    rules_workspace(tmp_path, rules=GOOD)
    result = runner.invoke(app, ["--workspace", str(tmp_path), "rules", "explain"])
    assert result.exit_code == 0, result.output
    assert "### R1: Same" in result.stdout
    assert "- **When:** Every formulary lists it with the same status." in result.stdout
    assert "- **Then:** Escalate to the working group." in result.stdout


def test_explain_out_writes_markdown_and_html(tmp_path: Path) -> None:
    rules_workspace(tmp_path / "ws", rules=GOOD)
    out = tmp_path / "committee"
    result = runner.invoke(app, ["--workspace", str(tmp_path / "ws"), "rules", "explain", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "rules.md").read_text(encoding="utf-8").startswith("# Harmonisation rules")
    assert "<h3>R2: Rest</h3>" in (out / "rules.html").read_text(encoding="utf-8")


def test_rules_commands_have_help() -> None:
    for command in (["rules", "--help"], ["rules", "check", "--help"], ["rules", "explain", "--help"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0
        assert "rules" in result.output.lower()
