"""Harmonisation rules: load the ordered YAML rule files of a workspace and evaluate them for one row.

A rule file holds a ``version`` and ordered ``rules``, each with ``id``, ``title``, ``description`` (what
the committee approves), ``when`` (a condition, see ``rules_condition_kinds``) and ``then`` (an outcome,
see ``rules_outcomes``). Every rule is evaluated for every row and gives a ``Verdict`` (a column of the
chapter workbook); the first rule in order whose outcome decides the row settles it; a row no rule decides
is escalated by the explicit ``default``. Evaluation is a pure function of (rule set, item, scale).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from harmonise.errors import InputError, Problem, ProblemLog
from harmonise.model import Item, Outcome, Scale
from harmonise.rules.condition_kinds import parse_condition
from harmonise.rules.conditions import Condition
from harmonise.rules.outcomes import Then, parse_then, resolve
from harmonise.rules.syntax import Checker, Facts
from harmonise.workspace import Workspace, YamlDoc, load_yaml

FILE_KEYS = ("version", "title", "description", "rules")
RULE_KEYS = ("id", "title", "description", "when", "then")
DEFAULT_ID = "default"
_RULE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class Rule:
    """One harmonisation rule, where it was written (``file:line``), and its parsed condition and outcome."""

    id: str
    title: str
    description: str
    when: Condition
    then: Then
    where: str
    key_path: str = ""


@dataclass(frozen=True)
class RuleSet:
    """The ordered rules of one or more files; ``digest`` is the SHA-256 of the files' bytes in order."""

    rules: tuple[Rule, ...]
    files: tuple[Path, ...]
    digest: str
    version: str
    title: str
    sources: tuple[tuple[str, str], ...]

    @property
    def source_names(self) -> dict[str, str]:
        return dict(self.sources)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self.rules)


@dataclass(frozen=True)
class Verdict:
    """One rule's verdict on one row: whether it applies and a short summary ("adopt green", "escalate")."""

    rule_id: str
    applies: bool
    summary: str


@dataclass(frozen=True)
class Evaluation:
    """Every rule's verdict, in order; the outcome (first deciding rule, or the default) and the flags."""

    verdicts: tuple[Verdict, ...]
    outcome: Outcome
    flags: tuple[str, ...]


def load_rules(workspace: Workspace, paths: Sequence[Path] | None = None) -> RuleSet:
    """Load and validate the rule files (default: the workspace's); InputError listing every problem."""
    files = tuple(Path(p).resolve() for p in (paths if paths else workspace.rule_files))
    if not files:
        raise InputError("no rule files: name them in harmonise.yaml, e.g. 'rules: rules/default.yaml'")
    log = ProblemLog()
    digest = hashlib.sha256()
    rules: list[Rule] = []
    versions: list[str] = []
    titles: list[str] = []
    names = {s.key: s.name for s in workspace.sources}
    seen_ids: dict[str, str] = {}
    for path in files:
        doc = _load(path, workspace.root, log)
        if doc is None:
            continue
        digest.update(path.read_bytes())
        checker = Checker(doc, workspace.scale, names, log)
        checker.nice_ta = dict(workspace.nice_ta)
        version, title, file_rules = _read_file(checker, seen_ids)
        versions.append(f"{Path(doc.file).name} {version}" if len(files) > 1 else version)
        titles.append(title)
        rules.extend(file_rules)
    count = len(log.problems)
    log.raise_if_any(f"the rules are not valid ({count} problem{'s' if count != 1 else ''}); nothing was run")
    return RuleSet(
        tuple(rules),
        files,
        digest.hexdigest(),
        "; ".join(versions),
        " + ".join(t for t in titles if t),
        tuple(names.items()),
    )


def _load(path: Path, root: Path, log: ProblemLog) -> YamlDoc | None:
    """Parse one file, turning its YAML errors into problems so every file is still checked."""
    try:
        display = str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        display = str(path)
    try:
        return load_yaml(path, display)
    except InputError as exc:
        log.problems.extend(exc.problems or [Problem(display, str(exc))])
        return None


def _read_file(checker: Checker, seen_ids: dict[str, str]) -> tuple[str, str, list[Rule]]:
    top = checker.mapping(checker.doc.value, (), FILE_KEYS, "a rule file (version, rules)") or {}
    version = top.get("version")
    if version is None or isinstance(version, (dict, list, bool)) or not str(version).strip():
        checker.problem(("version",) if "version" in top else (), "a version is required, e.g. 'version: 1'")
        version = ""
    title = checker.text(top["title"], ("title",)) if "title" in top else ""
    raw_rules = top.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        if top:
            checker.problem(("rules",) if "rules" in top else (), "expected a list of one or more rules")
        return str(version), title, []
    for i, raw in enumerate(raw_rules):
        if isinstance(raw, dict) and isinstance(raw.get("id"), (str, int)):
            checker.rule_ids[i] = str(raw["id"])
    rules = [_read_rule(checker, raw, i, seen_ids) for i, raw in enumerate(raw_rules)]
    return str(version).strip(), title, [r for r in rules if r is not None]


def _read_rule(checker: Checker, raw: Any, index: int, seen_ids: dict[str, str]) -> Rule | None:
    path = ("rules", index)
    rule = checker.mapping(raw, path, RULE_KEYS, "a rule (id, title, description, when, then)")
    if rule is None:
        return None
    before = len(checker.log.problems)
    for key in RULE_KEYS:
        if key not in rule:
            checker.problem(path, f"{key!r} is required")
    rule_id = checker.text(rule["id"], (*path, "id")) if "id" in rule else ""
    if rule_id and (not _RULE_ID.fullmatch(rule_id) or rule_id == DEFAULT_ID):
        checker.problem(
            (*path, "id"),
            f"{rule_id!r}: an id is a letter then letters, digits, '.', '-' or '_', "
            f"and not {DEFAULT_ID!r} (it names a workbook column)",
        )
    if rule_id:
        _check_unique(checker, index, seen_ids)
    title = checker.text(rule["title"], (*path, "title")) if "title" in rule else ""
    description = checker.text(rule["description"], (*path, "description")) if "description" in rule else ""
    when = parse_condition(checker, rule["when"], (*path, "when")) if "when" in rule else None
    then = parse_then(checker, rule["then"], (*path, "then")) if "then" in rule else None
    if len(checker.log.problems) > before or when is None or then is None:
        return None
    where, key_path = checker.doc.where(path), checker.format(path)
    return Rule(rule_id, title, " ".join(description.split()), when, then, where, key_path)


def _check_unique(checker: Checker, index: int, seen_ids: dict[str, str]) -> None:
    """Rule ids name workbook columns and audit entries: each is used once across every file."""
    rule_id, path = checker.rule_ids[index], ("rules", index, "id")
    if rule_id in seen_ids:
        checker.problem(path, f"duplicate rule id {rule_id!r} (first used at {seen_ids[rule_id]})")
    seen_ids.setdefault(rule_id, checker.doc.where(path))


def evaluate(rules: RuleSet, item: Item, scale: Scale) -> Evaluation:
    """Every rule's verdict on ``item``; the first deciding rule settles it, else the default escalates."""
    names = rules.source_names
    flags: list[str] = []
    verdicts: list[Verdict] = []
    decided: Outcome | None = None
    facts = Facts(item, scale, names)  # made again only when a rule raises a flag (every rule sees the flags so far)
    for rule in rules.rules:
        resolution = resolve(rule.then, rule.id, rule.title, facts) if rule.when.holds(facts) else None
        if resolution is None:
            verdicts.append(Verdict(rule.id, False, ""))
            continue
        verdicts.append(Verdict(rule.id, True, resolution.summary))
        if resolution.outcome is None or decided is None:
            flags.extend(f for f in rule.then.flags if f not in flags)
            if len(flags) != len(facts.flags):
                facts = Facts(item, scale, names, tuple(flags))
        if resolution.outcome is not None and decided is None:
            decided = resolution.outcome
    outcome = decided or default_outcome(Facts(item, scale, names))
    raised = tuple(flags)
    return Evaluation(tuple(verdicts), outcome if outcome.flags == raised else replace(outcome, flags=raised), raised)


def default_outcome(facts: Facts) -> Outcome:
    """The explicit default for a row no rule decides: escalate, saying so."""
    rationale = f"default: no rule settles this row, so it goes to the working group ({facts.positions_text()})"
    return Outcome("escalate", DEFAULT_ID, rationale)
