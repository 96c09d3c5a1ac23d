"""Tests that keep the docs honest: every command has help, the README's commands are the ones that run,
the commands the README lists exist, and the rule packs ``init`` ships are the ones in ``rules/``."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harmonise.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> list[tuple[str, ...]]:
    """Every command path, e.g. ('merge',), ('decisions', 'import')."""
    import typer.main

    group = typer.main.get_command(app)
    paths = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            paths += [(name, sub) for sub in subcommands]
        else:
            paths.append((name,))
    return sorted(paths)


def quick_start() -> list[str]:
    """The fenced shell commands of the README's quick start, in order."""
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, re.S)


@pytest.mark.parametrize("path", commands(), ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    usage_and_summary = result.output.split("Options")[0]
    assert len(" ".join(usage_and_summary.split())) > len(" ".join(path)) + 40, f"{path} has no help text"


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    run_main, run_tests = quick_start()
    assert "harmonise merge --all" in run_main and "pip install" in run_main
    ci_last_line = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci_last_line == run_tests


def test_the_main_job_runs_on_the_bundled_example(tmp_path: Path) -> None:
    for name in ("harmonise.yaml", "chapters", "rules"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    for draft in (tmp_path / "chapters").glob("*/harmonised-draft.xlsx"):
        draft.unlink()
    result = CliRunner().invoke(app, ["--workspace", str(tmp_path), "merge", "--all"])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "chapters").glob("*/harmonised-draft.xlsx"))) == 3


def test_every_command_in_the_readme_exists() -> None:
    listed = set(re.findall(r"`harmonise ([a-z]+)(?: ([a-z]+))?", README))
    known = {p[0] for p in commands()} | {" ".join(p) for p in commands()}
    for first, second in listed:
        assert first in known or f"{first} {second}" in known, f"README names 'harmonise {first} {second}'"


@pytest.mark.parametrize("pack", sorted(p.name for p in (ROOT / "rules").glob("*.yaml")))
def test_init_ships_the_same_rule_packs(pack: str) -> None:
    shipped = ROOT / "harmonise" / "workspace" / "defaults" / "rules" / pack
    assert shipped.read_bytes() == (ROOT / "rules" / pack).read_bytes(), (
        f"copy rules/{pack} to harmonise/workspace/defaults/rules/ (the packs 'harmonise init' installs)"
    )


def test_init_makes_a_workspace_that_validates(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "new"
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    assert (target / "rules" / "default.yaml").is_file() and (target / "chapters").is_dir()
    checked = runner.invoke(app, ["--workspace", str(target), "rules", "check"])
    assert checked.exit_code == 0, checked.output
    again = runner.invoke(app, ["init", str(target)])
    assert again.exit_code == 2 and "already holds a harmonise.yaml" in again.output
