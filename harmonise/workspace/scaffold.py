"""``harmonise init``: scaffold a new workspace folder a pharmacist can fill in."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from harmonise.errors import InputError
from harmonise.output import write_text
from harmonise.workspace.schema import CONFIG_SCHEMA, RULES_SCHEMA, SCHEMA_FOLDER

WORKSPACE_README = """# Formulary harmonisation workspace

- `harmonise.yaml`: the legacy sources, their columns and status words. Edit it first.
- `chapters/NN-slug/`: one folder per BNF chapter (for example `02-cardiovascular`), holding one legacy
  spreadsheet per source (`.xlsx`, `.xlsm` or `.csv`).
- `rules/`: the harmonisation rules, in order (`harmonise rules explain` renders them for the committee).
- `schemas/`: what an editor checks `harmonise.yaml` and the rule files against as you type (VS Code with the
  YAML extension, or any editor using yaml-language-server: the first line of each file points here).
- `decisions/`: the working group's recorded decisions (written by `harmonise decisions import`).
- `reports/`: data-error reports, working-group workbooks, the audit log and the dashboard.
- `published/`: finalised chapters, one read-only folder per version.

Start with `harmonise check --all`, then `harmonise merge --all`.
"""


def default_file(*parts: str) -> str:
    """Text of a file shipped in ``harmonise/workspace/defaults``."""
    node = resources.files("harmonise.workspace").joinpath("defaults", *parts)
    return node.read_text(encoding="utf-8")


def schema_line(schema: str, depth: int) -> str:
    """The line that tells an editor (yaml-language-server) which schema a file follows: a path relative to the
    file (``depth`` folders below the workspace), to the copy in the workspace, so it works offline and moves
    with the workspace."""
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_FOLDER}/{schema}\n"


def init_workspace(target: Path) -> list[Path]:
    """Create a workspace in ``target`` (new or empty folder); returns the files written."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise InputError(f"{target}: exists and is not a folder")
    if (target / "harmonise.yaml").exists():
        raise InputError(f"{target}: already holds a harmonise.yaml; nothing was changed")
    written = []
    files = {
        "harmonise.yaml": schema_line(CONFIG_SCHEMA, 0) + default_file("harmonise.yaml"),
        "README.md": WORKSPACE_README,
    }
    rules = resources.files("harmonise.workspace").joinpath("defaults", "rules")
    if rules.is_dir():
        for node in sorted(rules.iterdir(), key=lambda n: n.name):
            if node.name.endswith(".yaml"):
                files[f"rules/{node.name}"] = schema_line(RULES_SCHEMA, 1) + node.read_text(encoding="utf-8")
    schemas = resources.files("harmonise.workspace").joinpath(SCHEMA_FOLDER)
    for name in (CONFIG_SCHEMA, RULES_SCHEMA):
        files[f"{SCHEMA_FOLDER}/{name}"] = schemas.joinpath(name).read_text(encoding="utf-8")
    for name, text in files.items():
        write_text(target / name, text)
        written.append(target / name)
    for folder in ("chapters", "decisions", "reports", "published"):
        (target / folder).mkdir(parents=True, exist_ok=True)
        written.append(target / folder)
    return written
