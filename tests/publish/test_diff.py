"""``harmonise diff --rules``: a dry run of a rule change lists exactly the items whose outcome changes."""

from __future__ import annotations

import json
from pathlib import Path

from publish_fixtures import publish_workspace
from typer.testing import CliRunner

from harmonise.cli import app
from harmonise.publish.diff import diff_rules, report_name
from harmonise.workspace.config import load_workspace


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_rule_change_lists_the_known_changes_with_their_rules(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws", settle=False)
    workspace = load_workspace(root)
    diff = diff_rules(workspace, workspace.chapter("2"), root / "rules" / "settle.yaml")
    changes = {c.item_name.split()[0]: c for c in diff.changes}
    assert set(changes) == {"Bisoprolol", "Nicorandil", "Amiodarone"}  # doxazosin stays excluded, adopted stay
    bisoprolol = changes["Bisoprolol"]
    assert (bisoprolol.before.kind, bisoprolol.before.decided_by) == ("escalate", "R8")
    assert (bisoprolol.after.kind, bisoprolol.after.status, bisoprolol.after.decided_by) == (
        "adopt",
        "amber-recommended",
        "S5",
    )
    assert (changes["Nicorandil"].before.decided_by, changes["Nicorandil"].after.kind) == ("R7", "retain-both")
    assert (changes["Amiodarone"].after.kind, changes["Amiodarone"].after.source) == ("adopt", "merseyside")
    assert diff.items == 7 and diff.kept_by_decision == 0


def test_diff_command_writes_only_its_report_and_json_matches(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws", settle=False)
    before = files_under(root)
    result = CliRunner().invoke(
        app,
        ["--workspace", str(root), "diff", "--chapter", "2", "--rules", str(root / "rules" / "settle.yaml"), "--json"],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    report = root / "reports" / "02-cardiovascular" / "diff-rules-settle.md"
    assert payload["report"] == str(report) and len(payload["changes"]) == 3
    library = diff_rules(load_workspace(root), load_workspace(root).chapter("2"), root / "rules" / "settle.yaml")
    assert {k: v for k, v in payload.items() if k != "report"} == library.to_dict()
    after = files_under(root)
    assert set(after) - set(before) == {"reports/02-cardiovascular/diff-rules-settle.md"}
    assert all(after[name] == data for name, data in before.items())
    text = report.read_text(encoding="utf-8")
    assert "outcomes that would change: **3**" in text
    assert "| 02.04 | Bisoprolol 2.5mg tablets | escalate (R8) | adopt Amber recommended (S5) |" in text


def test_diff_refuses_a_missing_rule_file_and_last_runs(tmp_path: Path) -> None:
    root = publish_workspace(tmp_path / "ws", settle=False)
    missing = CliRunner().invoke(app, ["--workspace", str(root), "diff", "--chapter", "2", "--rules", "nope.yaml"])
    assert missing.exit_code == 2 and "nope.yaml: rule file not found" in " ".join(missing.output.split())
    last = CliRunner().invoke(app, ["--workspace", str(root), "diff", "--chapter", "2", "--last-runs"])
    assert last.exit_code == 2 and "there is no earlier merge run" in " ".join(last.output.split())
    both = CliRunner().invoke(
        app, ["--workspace", str(root), "diff", "--chapter", "2", "--last-runs", "--rules", "x.yaml"]
    )
    assert both.exit_code == 2 and "give either --rules OTHER.yaml" in both.output
    assert report_name(Path("rules/My rules (v2).yaml")) == "diff-rules-My-rules-v2.md"


def test_diff_between_the_last_two_runs(tmp_path: Path) -> None:
    """A status changed in a legacy file between two merges: the item's outcome change is listed."""
    import json

    from conftest import write_xlsx
    from merge_fixtures import CH02, MERSEYSIDE, small_chapter

    root = small_chapter(tmp_path / "ws")
    runner = CliRunner()
    assert runner.invoke(app, ["--workspace", str(root), "merge", "--chapter", "2"]).exit_code == 0
    refused = runner.invoke(app, ["--workspace", str(root), "diff", "--chapter", "2", "--last-runs"])
    assert refused.exit_code == 2 and "no earlier merge run" in refused.output
    rows = [list(r) for r in MERSEYSIDE]
    atorva = next(r for r in rows if r[1] == "ATORVASTATIN")
    atorva[3] = "Red"  # Merseyside now lists atorvastatin as red: the identical-status rule no longer applies
    write_xlsx(root / CH02 / "merseyside.xlsx", {"Formulary": rows})
    assert runner.invoke(app, ["--workspace", str(root), "merge", "--chapter", "2"]).exit_code == 0
    result = runner.invoke(app, ["--workspace", str(root), "diff", "--chapter", "2", "--last-runs", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    changed = {c["item_name"]: (c["before"]["kind"], c["after"]["kind"]) for c in payload["changes"]}
    assert changed == {"Atorvastatin 20mg tablets": ("adopt", "escalate")}
    report = (root / "reports" / "02-cardiovascular" / "diff-last-runs.md").read_text(encoding="utf-8")
    assert "Changes between the last two merge runs" in report and "Atorvastatin 20mg tablets" in report
