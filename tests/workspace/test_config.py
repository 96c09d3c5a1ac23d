"""Workspace configuration: validated as data, every problem located, all reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TWO_SOURCE_CONFIG, make_workspace

from harmonise.errors import InputError
from harmonise.workspace.config import load_workspace, normalise_word


def problems_of(tmp_path: Path, config: str) -> list[str]:
    make_workspace(tmp_path, config)
    with pytest.raises(InputError) as caught:
        load_workspace(tmp_path)
    return [str(p) for p in caught.value.problems]


def test_valid_config_loads_two_sources(tmp_path: Path) -> None:
    workspace = load_workspace(make_workspace(tmp_path))
    assert workspace.source_keys == ("cheshire", "merseyside")
    assert workspace.source("merseyside").status_of("  AMBER   patient-retained ") == "shared-care"
    assert workspace.source("cheshire").status_of("hospital only") == "red"
    assert workspace.chapter("02").slug == "02-cardiovascular"
    assert workspace.chapter("4").title == "Central nervous system"
    assert workspace.scale.rank("red") == 5 and workspace.scale.rank("grey") is None


def test_four_sources_are_fine(tmp_path: Path) -> None:
    extra = "\n".join(
        f"  - key: src{i}\n    columns: {{drug: Drug, status: Status}}\n    statuses: {{green: [Green]}}"
        for i in range(2)
    )
    config = TWO_SOURCE_CONFIG.replace("rules: rules/default.yaml", "") + extra + "\n"
    workspace = load_workspace(make_workspace(tmp_path, config))
    assert workspace.source_keys == ("cheshire", "merseyside", "src0", "src1")


def test_every_problem_reported_at_once_with_line_and_path(tmp_path: Path) -> None:
    config = (
        TWO_SOURCE_CONFIG.replace('    file: "cheshire.*"', '    flie: "cheshire.*"')
        .replace("      amber-recommended: [Green SR]", "      ambre-recommended: [Green SR]")
        .replace("      drug: [Medicine]\n", "")
    )
    problems = problems_of(tmp_path, config)
    path = f"{tmp_path}/harmonise.yaml"
    assert f"{path}:6: sources[0].flie: unknown key 'flie' (did you mean file?)" in problems
    assert (
        f"{path}:19: sources[0].statuses.ambre-recommended: unknown key 'ambre-recommended' "
        "(did you mean amber-recommended?)" in problems
    )
    assert any(p.startswith(f"{path}:") and "sources[1].columns: the 'drug' column is required" in p for p in problems)
    assert len(problems) == 3


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("  - key: merseyside", "  - key: Mersey Side", "'Mersey Side': use lower-case letters"),
        ("      red: [Red, Hospital Only]", "      red: [Red, Green]", "'Green' is already mapped to 'green'"),
        (
            "rules: rules/default.yaml",
            "rules: ../elsewhere/rules.yaml",
            "'../elsewhere/rules.yaml' points outside the workspace folder",
        ),
        ("version: 1", "version: 3", "this harmonise reads config version 1, found 3"),
        (
            '    file: "merseyside.*"',
            '    file: "merseyside.*"\n    header_row: top',
            "expected 'auto' or a row number from 1, got 'top'",
        ),
    ],
)
def test_located_problems(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in TWO_SOURCE_CONFIG
    problems = problems_of(tmp_path, TWO_SOURCE_CONFIG.replace(old, new))
    assert any(message in p for p in problems), problems


def test_one_source_is_refused(tmp_path: Path) -> None:
    single = TWO_SOURCE_CONFIG.split("  - key: merseyside")[0] + "rules: rules/default.yaml\n"
    assert any("harmonising needs two or more sources, found 1" in p for p in problems_of(tmp_path, single))


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, "version: 1\nsources: [\n  - key: a\n")
    assert problems and problems[0].startswith(f"{tmp_path}/harmonise.yaml:")


def test_missing_config_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="harmonise init"):
        load_workspace(tmp_path)


def test_unknown_chapter(tmp_path: Path) -> None:
    workspace = load_workspace(make_workspace(tmp_path))
    with pytest.raises(InputError, match="unknown chapter '42'"):
        workspace.chapter("42")


@pytest.mark.parametrize(
    "word, expected", [(" Amber  Patient-Retained. ", "amber patient retained"), ("GREEN_SR", "green sr")]
)
def test_normalise_word(word: str, expected: str) -> None:
    assert normalise_word(word) == expected


WIRRAL = (
    "  - key: wirral\n    chapters: {chapters}\n"
    "    columns: {{drug: Product, status: Status}}\n    statuses: {{green: [Green]}}\n"
)


def test_a_source_can_cover_only_some_chapters(tmp_path: Path) -> None:
    extra = WIRRAL.format(chapters="[6, '02']")
    config = TWO_SOURCE_CONFIG.replace("rules: rules/default.yaml", extra + "rules: rules/default.yaml")
    workspace = load_workspace(make_workspace(tmp_path, config))
    keys = lambda n: tuple(s.key for s in workspace.sources_for(workspace.chapter(n)))  # noqa: E731
    assert keys("6") == ("cheshire", "merseyside", "wirral") and keys("2") == keys("6")
    assert keys("4") == ("cheshire", "merseyside")
    assert workspace.for_chapter(workspace.chapter("4")).source_keys == ("cheshire", "merseyside")


def test_a_source_naming_an_unknown_chapter_is_refused(tmp_path: Path) -> None:
    extra = WIRRAL.format(chapters="[61]")
    config = TWO_SOURCE_CONFIG.replace("rules: rules/default.yaml", extra + "rules: rules/default.yaml")
    problems = problems_of(tmp_path, config)
    assert any("sources[2].chapters[0]: chapter '61' is not a chapter of this workspace" in p for p in problems)
