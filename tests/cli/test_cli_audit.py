"""``harmonise audit verify`` and ``harmonise audit why``: exit codes, messages and JSON parity."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from typer.testing import CliRunner

from harmonise.audit import AuditLog
from harmonise.cli import app

runner = CliRunner()


def audit(tmp_path: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--workspace", str(tmp_path), "--user", "tester", "audit", *args])
    return result.exit_code, result.output


def write_history(tmp_path: Path) -> AuditLog:
    """A run that settles two items by rules, then a decision that changes one of them."""
    log = AuditLog(tmp_path / "reports" / "audit.jsonl")
    after = {"kind": "adopt", "status": "amber", "decided_by": "rule R3", "rationale": "both amber"}
    log.append(
        [
            ("run", {"command": "merge 02"}),
            (
                "outcome",
                {
                    "chapter": "02",
                    "item_key": "a1",
                    "item_name": "Atorvastatin 20mg tablets",
                    "before": None,
                    "after": after,
                },
            ),
            (
                "outcome",
                {
                    "chapter": "02",
                    "item_key": "s1",
                    "item_name": "Simvastatin 40mg tablets",
                    "before": None,
                    "after": {**after, "status": "green", "decided_by": "rule R1"},
                },
            ),
        ],
        user="alice",
    )
    log.append(
        [
            (
                "decision",
                {
                    "chapter": "02",
                    "item_key": "a1",
                    "item_name": "Atorvastatin 20mg tablets",
                    "decision": "adopt",
                    "status": "green",
                    "rationale": "NICE",
                    "meeting": "2024-11",
                    "decided_by": "APC",
                },
            )
        ],
        user="bob",
    )
    return log


def test_verify_without_a_log_says_there_is_none(tmp_path: Path) -> None:
    code, output = audit(tmp_path, "verify")
    assert code == 0
    assert "no audit log yet" in output and "0 events" in output


def test_verify_an_intact_log_exits_0(tmp_path: Path) -> None:
    write_history(tmp_path)
    code, output = audit(tmp_path, "verify")
    assert code == 0
    assert "audit log intact: 4 events" in output


def test_verify_a_broken_log_exits_1_naming_the_first_bad_event(tmp_path: Path) -> None:
    log = write_history(tmp_path)
    lines = log.path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("amber", "green")
    log.path.write_text("".join(lines), encoding="utf-8")
    code, output = audit(tmp_path, "verify")
    assert code == 1
    assert "audit log broken at line 2" in output
    assert "event 2 (line 2) was edited" in " ".join(output.split())


def test_verify_json_equals_the_library_result(tmp_path: Path) -> None:
    log = write_history(tmp_path)
    log.path.write_text("".join(log.path.read_text().splitlines(keepends=True)[1:]))
    code, output = audit(tmp_path, "verify", "--json")
    assert code == 1
    payload = json.loads(output)
    assert payload == {
        "path": str(log.path),
        **dataclasses.asdict(log.verify()),
        "workspace_problems": [],
        "notes": ["published versions and registers not checked: the log is broken"],
    }
    assert payload["first_bad"] == 1 and payload["ok"] is False


def test_why_prints_each_step_with_who_and_by_what(tmp_path: Path) -> None:
    write_history(tmp_path)
    code, output = audit(tmp_path, "why", "atorva")
    assert code == 0
    for expected in ("alice", "bob", "amber", "green", "R3", "APC", "NICE"):
        assert expected in output
    assert "Simvastatin" not in output
    assert output.index("alice") < output.index("bob")  # time order


def test_why_json_equals_the_library_histories(tmp_path: Path) -> None:
    log = write_history(tmp_path)
    code, output = audit(tmp_path, "why", "ATORVASTATIN", "--json")
    assert code == 0
    assert json.loads(output) == [h.to_dict() for h in log.why("ATORVASTATIN")]
    assert [e["status"] for e in json.loads(output)[0]["entries"]] == ["amber", "green"]


def test_why_with_no_match_exits_0_and_says_so(tmp_path: Path) -> None:
    write_history(tmp_path)
    code, output = audit(tmp_path, "why", "rosuvastatin")
    assert code == 0
    assert "no item in the audit log matches 'rosuvastatin'" in output


def test_why_over_a_corrupt_log_is_an_input_error_naming_the_line(tmp_path: Path) -> None:
    log = write_history(tmp_path)
    log.path.write_bytes(log.path.read_bytes()[:-10])
    code, output = audit(tmp_path, "why", "atorva")
    assert code == 2
    assert "line 4 is incomplete (interrupted write?)" in " ".join(output.split())
