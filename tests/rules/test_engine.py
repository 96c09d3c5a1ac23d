"""The rules engine: loading and validation (exact located messages), evaluation, the committee document,
and the generated reference page. Rule semantics case by case live in ``cases/*.yaml``."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path
from typing import Any

import pytest
from rules_fixtures import REPO, SCALE, build_item, rules_workspace

from harmonise.errors import InputError
from harmonise.rules.condition_kinds import CONDITION_KINDS
from harmonise.rules.doc import render_reference
from harmonise.rules.engine import Evaluation, RuleSet, Verdict, evaluate, load_rules
from harmonise.rules.explain import explain_html, explain_markdown, write_explanation
from harmonise.rules.outcomes import OUTCOME_KINDS
from harmonise.rules.source_tests import SOURCE_TESTS

PACKS = ("default", "dominant-status")


# ---------------------------------------------------------------- builders (shared with the other rule tests)


def load_text(tmp_path: Path, rules: str, sources: tuple[str, ...] = ("cheshire", "merseyside")) -> RuleSet:
    workspace = rules_workspace(tmp_path, sources, rules)
    return load_rules(workspace)


def problems_of(tmp_path: Path, rules: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_text(tmp_path, rules)
    return [str(p) for p in caught.value.problems]


RULE_HEAD = """\
version: 1
rules:
"""

# ---------------------------------------------------------------- loading


@pytest.mark.parametrize("pack", PACKS)
@pytest.mark.parametrize("sources", [("cheshire", "merseyside"), ("a", "b", "c", "d")])
def test_shipped_packs_validate(tmp_path: Path, pack: str, sources: tuple[str, ...]) -> None:
    workspace = rules_workspace(tmp_path, sources)
    ruleset = load_rules(workspace, [REPO / "rules" / f"{pack}.yaml"])
    assert len(ruleset.rules) >= 7
    assert all(rule.title and rule.description for rule in ruleset.rules)


def test_ruleset_records_files_digest_and_version(tmp_path: Path) -> None:
    workspace = rules_workspace(tmp_path)
    files = [REPO / "rules" / "default.yaml", REPO / "rules" / "dominant-status.yaml"]
    ruleset = load_rules(workspace, files)
    expected = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    assert ruleset.digest == expected
    assert ruleset.files == tuple(files)
    assert ruleset.version == "default.yaml 1; dominant-status.yaml 1"
    assert ruleset.ids[:2] == ("R1", "R2") and ruleset.ids[-1] == "D7"


def test_rule_files_default_to_the_workspace_config(tmp_path: Path) -> None:
    ruleset = load_text(
        tmp_path, RULE_HEAD + "  - {id: A1, title: T, description: D, when: always, then: {exclude: yes}}\n"
    )
    assert ruleset.files == (tmp_path.resolve() / "rules" / "test.yaml",)
    assert ruleset.ids == ("A1",)


def test_every_problem_is_reported_at_once_with_file_line_and_path(tmp_path: Path) -> None:
    rules = RULE_HEAD + textwrap.indent(
        textwrap.dedent("""\
      - id: R1
        title: Same
        description: Same status everywhere.
        when: {all: [{matched: auto}, {same: status}]}
        then: {adopt: status}
      - id: R2
        title: Typo in status
        description: A typo.
        when: {source: {key: chesire, status: [red, blak]}}
        then: {adopt: ambre}
      - id: R3
        title: Unknown key
        description: An unknown key.
        when: {matched: automatic}
        then: {escalate: "{sorce} lists it"}
        colour: red
      - id: R1
        title: Duplicate
        description: A duplicate id.
        when: {presnt: all}
        then: {exclude: yes, adopt: green}
    """),
        "  ",
    )
    assert problems_of(tmp_path, rules) == [
        "rules/test.yaml:11: rules[1] (id=R2).when.source.key: 'chesire' is not a source of this workspace "
        "(cheshire, merseyside) (did you mean cheshire?)",
        "rules/test.yaml:11: rules[1] (id=R2).when.source.status[1]: 'blak' is not a status on the scale "
        "(did you mean black?)",
        "rules/test.yaml:12: rules[1] (id=R2).then.adopt: 'ambre' is not a status on the scale (did you mean "
        "amber-recommended or amber-initiated?); adopt also takes status, more-restrictive, less-restrictive, "
        "most-common",
        "rules/test.yaml:18: rules[2] (id=R3).colour: unknown key 'colour'",
        "rules/test.yaml:16: rules[2] (id=R3).when.matched: 'automatic' is not a match decision; use auto, "
        "candidate or none (did you mean auto?)",
        "rules/test.yaml:17: rules[2] (id=R3).then.escalate: unknown placeholder {sorce} (did you mean source?); "
        "available: {name}, {source}, {absent}, {status}, {positions}, {match}, {doubt}, {cheshire}, {merseyside}",
        "rules/test.yaml:19: rules[3] (id=R1).id: duplicate rule id 'R1' (first used at rules/test.yaml:3)",
        "rules/test.yaml:22: rules[3] (id=R1).when.presnt: unknown condition 'presnt' (did you mean present?)",
        "rules/test.yaml:23: rules[3] (id=R1).then: an outcome has one decision, found adopt, exclude",
    ]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            "{id: X1, title: T, when: always, then: {exclude: yes}}",
            "rules/test.yaml:3: rules[0] (id=X1): 'description' is required",
        ),
        (
            "{id: default, title: T, description: D, when: always, then: {exclude: yes}}",
            "rules/test.yaml:3: rules[0] (id=default).id: 'default': an id is a letter then letters, digits, '.', '-' "
            "or '_', and not 'default' (it names a workbook column)",
        ),
        (
            "{id: X1, title: T, description: D, when: {matched: auto, same: status}, then: {exclude: yes}}",
            "rules/test.yaml:3: rules[0] (id=X1).when: a condition has one kind, found matched, same: combine them "
            "with all: [...] or any: [...]",
        ),
        (
            "{id: X1, title: T, description: D, when: always, then: {adopt: most-common}}",
            "rules/test.yaml:3: rules[0] (id=X1).then: adopt: most-common needs ties: one of more-access, "
            "more-restrictive, escalate",
        ),
        (
            "{id: X1, title: T, description: D, when: always, then: {adopt: most-common, ties: more-acess}}",
            "rules/test.yaml:3: rules[0] (id=X1).then.ties: 'more-acess' is not a tie rule; use one of more-access, "
            "more-restrictive, escalate (did you mean more-access?)",
        ),
        (
            "{id: X1, title: T, description: D, when: {any-source: {status-at-least: grey}}, then: {exclude: yes}}",
            "rules/test.yaml:3: rules[0] (id=X1).when.any-source.status-at-least: 'grey' is outside the order of the "
            "scale; use one of green, amber-recommended, amber-initiated, shared-care, red, black",
        ),
        (
            "{id: X1, title: T, description: D, when: {flagged: NICE}, then: {exclude: yes}}",
            "rules/test.yaml:3: rules[0] (id=X1).when.flagged: no earlier rule adds the flag 'NICE'",
        ),
        (
            "{id: X1, title: T, description: D, when: {count: {status: green}}, then: {exclude: yes}}",
            "rules/test.yaml:3: rules[0] (id=X1).when.count: say how many formularies: at-least, at-most or exactly",
        ),
        (
            "{id: X1, title: T, description: D, when: {same: colour}, then: {exclude: yes}}",
            "rules/test.yaml:3: rules[0] (id=X1).when.same: 'colour' cannot be compared; use status, line, membership",
        ),
        (
            "{id: X1, title: T, description: D, when: always, then: {escalate: no}}",
            "rules/test.yaml:3: rules[0] (id=X1).then.escalate: expected yes or a reason (text)",
        ),
        (
            "{id: X1, title: T, description: D, when: always, then: {}}",
            "rules/test.yaml:3: rules[0] (id=X1).then: expected an outcome such as {adopt: status} or "
            "{escalate: reason}, got a mapping",
        ),
    ],
)
def test_single_rule_problems(tmp_path: Path, rule: str, message: str) -> None:
    assert problems_of(tmp_path, RULE_HEAD + f"  - {rule}\n") == [message]


def test_version_and_rules_are_required(tmp_path: Path) -> None:
    assert problems_of(tmp_path, "title: No rules\nrules: []\n") == [
        "rules/test.yaml:1: a version is required, e.g. 'version: 1'",
        "rules/test.yaml:2: rules: expected a list of one or more rules",
    ]


def test_problems_of_every_file_are_reported_together(tmp_path: Path) -> None:
    workspace = rules_workspace(tmp_path)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "a.yaml").write_text(
        "version: 1\nrules:\n  - {id: A, title: T, description: D, when: always, then: {adopt: gren}}\n"
    )
    (tmp_path / "rules" / "b.yaml").write_text("version: 1\nrules: [\n")
    with pytest.raises(InputError) as caught:
        load_rules(workspace, [tmp_path / "rules" / "a.yaml", tmp_path / "rules" / "b.yaml"])
    text = str(caught.value)
    assert text.splitlines()[0] == "the rules are not valid (2 problems); nothing was run"
    assert (
        "rules/a.yaml:3: rules[0] (id=A).then.adopt: 'gren' is not a status on the scale (did you mean green?)" in text
    )
    assert "rules/b.yaml:3: " in text


def test_no_rule_files_is_an_input_error(tmp_path: Path) -> None:
    workspace = rules_workspace(tmp_path)
    with pytest.raises(InputError, match=r"rules/test\.yaml: file not found"):
        load_rules(workspace)


# ---------------------------------------------------------------- evaluation


FLAG_AND_ADOPT = (
    RULE_HEAD
    + """\
  - {id: F1, title: NICE, description: Flag NICE TA., when: {any-source: {nice_ta: yes}}, then: {flag: NICE TA}}
  - {id: A1, title: Same status, description: Same., when: {same: status}, then: {adopt: status, flag: agreed}}
  - {id: E1, title: Anything, description: All else., when: always, then: {escalate: "{positions}"}}
  - {id: F2, title: Late flag, description: A flag after the decision., when: {flagged: NICE TA}, then: {flag: late}}
"""
)


def test_every_rule_gives_a_verdict_and_the_first_decides(tmp_path: Path) -> None:
    ruleset = load_text(tmp_path, FLAG_AND_ADOPT)
    item = build_item({"cheshire": {"status": "green", "nice_ta": "TA123"}, "merseyside": "green"})
    result = evaluate(ruleset, item, SCALE)
    assert isinstance(result, Evaluation)
    assert result.verdicts == (
        Verdict("F1", True, "flag: NICE TA"),
        Verdict("A1", True, "adopt green; flag: agreed"),
        Verdict("E1", True, "escalate"),
        Verdict("F2", True, "flag: late"),
    )
    assert result.outcome.kind == "adopt" and result.outcome.status == "green"
    assert result.outcome.decided_by == "A1"
    assert result.outcome.rationale == "A1 Same status: both formularies list it as Green"
    assert result.flags == ("NICE TA", "agreed", "late") == result.outcome.flags


def test_a_row_no_rule_decides_is_escalated_by_the_default(tmp_path: Path) -> None:
    ruleset = load_text(
        tmp_path,
        RULE_HEAD + "  - {id: A1, title: Same, description: D, when: {same: status}, then: {adopt: status}}\n",
    )
    result = evaluate(ruleset, build_item({"cheshire": "green", "merseyside": None}), SCALE)
    assert result.verdicts == (Verdict("A1", False, ""),)
    assert result.outcome.kind == "escalate" and result.outcome.decided_by == "default"
    assert result.outcome.rationale == (
        "default: no rule settles this row, so it goes to the working group (Cheshire: Green; Merseyside: not listed)"
    )


def test_evaluation_is_pure(tmp_path: Path) -> None:
    ruleset = load_text(tmp_path, FLAG_AND_ADOPT)
    item = build_item({"cheshire": ["green", "red"], "merseyside": "green"}, match="candidate")
    assert evaluate(ruleset, item, SCALE) == evaluate(ruleset, item, SCALE)


def test_reason_placeholders_are_filled(tmp_path: Path) -> None:
    rules = RULE_HEAD + (
        "  - {id: E1, title: Missing, description: D, when: {absent: any}, then: {escalate: "
        '"{source} lists {name} as {status}; {absent} does not ({merseyside}; match {match})"}}\n'
    )
    item = build_item({"cheshire": {"status": "red", "word": "Hospital Only"}, "merseyside": None}, match="none")
    outcome = evaluate(load_text(tmp_path, rules), item, SCALE).outcome
    assert outcome.rationale == (
        "E1 Missing: Cheshire lists Ezetimibe 10mg tablets as Red; Merseyside does not (not listed; match none)"
    )


# ---------------------------------------------------------------- the committee document and the reference


def test_explain_lists_rules_in_order_with_plain_english(tmp_path: Path) -> None:
    workspace = rules_workspace(tmp_path)
    ruleset = load_rules(workspace, [REPO / "rules" / "default.yaml"])
    text = explain_markdown(ruleset, workspace)
    positions = [text.index(f"### {rule.id}: {rule.title}") for rule in ruleset.rules]
    assert positions == sorted(positions)
    assert "- **When:** The match is automatic and every formulary lists it with the same status." in text
    assert "- **Then:** Adopt the status the formularies agree on." in text
    assert "| 5 | red | Red |" in text
    assert "### Cheshire (cheshire)" in text and "| Amber recommended | amber recommended |" in text


def test_explain_html_is_escaped_and_self_contained(tmp_path: Path) -> None:
    rules = (
        RULE_HEAD
        + "  - {id: X1, title: '<script>alert(1)</script>', description: 'A & B', when: always, then: {exclude: yes}}\n"
    )
    workspace = rules_workspace(tmp_path, rules=rules)
    page = explain_html(load_rules(workspace), workspace)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "A &amp; B" in page
    assert "http" not in page and "<link" not in page


def test_write_explanation_writes_markdown_html_and_word(tmp_path: Path) -> None:
    from docx import Document

    workspace = rules_workspace(tmp_path)
    ruleset = load_rules(workspace, [REPO / "rules" / "dominant-status.yaml"])
    (markdown, page, word), no_pdf = write_explanation(ruleset, workspace, tmp_path / "out")
    assert markdown.read_text(encoding="utf-8").startswith("# Harmonisation rules (most common status wins")
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    paragraphs = Document(str(word)).paragraphs
    assert paragraphs[0].style.name == "Title" and paragraphs[0].text.startswith("Harmonisation rules (most common")
    assert "Rules, in order" in [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert no_pdf == "PDF output is turned off (HARMONISE_SOFFICE=off)" and not (tmp_path / "out/rules.pdf").exists()


def test_docs_page_is_up_to_date() -> None:
    current = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == render_reference(), "regenerate: python -m harmonise.rules.doc > docs/rules.md"


def _all_docs() -> list[Any]:
    return (
        [k.doc for k in CONDITION_KINDS.values()]
        + [c.doc for c in SOURCE_TESTS.values()]
        + list(OUTCOME_KINDS.values())
    )


@pytest.mark.parametrize("doc", _all_docs(), ids=lambda d: d.name)
def test_every_kind_documents_itself(doc: Any) -> None:
    assert doc.summary and doc.example and doc.not_covered
    assert f"### `{doc.name}`" in render_reference()


def test_every_outcome_key_is_documented() -> None:
    from harmonise.rules.outcomes import THEN_KEYS

    assert set(THEN_KEYS) == set(OUTCOME_KINDS)


@pytest.mark.parametrize("doc", _all_docs(), ids=lambda d: d.name)
def test_every_documented_example_validates(tmp_path: Path, doc: Any) -> None:
    example = doc.example
    if example.startswith("then:"):
        rule = f"when: always\n    {example}"
    else:
        condition = example if example.split(":")[0] in CONDITION_KINDS else f"any-source: {{{example}}}"
        rule = f"when: {{{condition}}}\n    then: {{escalate: yes}}"
    prefix = "  - {id: F0, title: Flag, description: Adds a flag., when: always, then: {flag: NICE TA}}\n"
    rules = (
        RULE_HEAD + prefix + f"  - id: X1\n    title: Example\n    description: The documented example.\n    {rule}\n"
    )
    load_text(tmp_path, rules)
