"""Issue 13 item 8: a NICE TA with its recommendation. A TA that recommends against (TA223) is not protected by
the bundled rules; a positive one, or one whose recommendation nobody recorded, is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import CHESHIRE_HEADER, MERSEY_HEADER, write_xlsx
from publish_fixtures import publish_workspace

from harmonise.errors import InputError
from harmonise.merge.run import run_merge
from harmonise.rules.source_tests import ta_recommendations
from harmonise.workspace.config import load_workspace

CH02 = "chapters/02-cardiovascular"


def ta_workspace(root: Path, cell: str, listed: str = "") -> Path:
    """Cheshire lists a medicine as Black citing ``cell``; Merseyside does not list it (default rules)."""
    root = publish_workspace(root, settle=False, merge=False)
    rows = [CHESHIRE_HEADER, ["02.02", "Amlodipine", "Tablets 5mg", "Green"]]
    rows.append(["02.09", "Cilostazol", "Tablets 100mg", "Black", "", "NF", "", cell])
    write_xlsx(root / CH02 / "cheshire.xlsx", {"Formulary": rows})
    write_xlsx(
        root / CH02 / "merseyside.xlsx", {"Sheet1": [MERSEY_HEADER, ["02.02", "Amlodipine", "Tablets 5mg", "Green"]]}
    )
    if listed:
        config = (root / "harmonise.yaml").read_text(encoding="utf-8")
        (root / "harmonise.yaml").write_text(config + listed, encoding="utf-8")
    return root


def outcome(root: Path) -> Any:
    workspace = load_workspace(root)
    merge = run_merge(workspace, [workspace.chapter("2")], write=False).chapters[0]
    [result] = [r for r in merge.results if r.item.name.startswith("Cilostazol")]
    return result


def test_a_ta_the_workspace_lists_as_not_recommended_is_flagged_but_not_protected(tmp_path: Path) -> None:
    root = ta_workspace(tmp_path / "ws", "TA223", "nice_ta:\n  not-recommended: [TA223]\n")
    result = outcome(root)
    assert result.outcome.kind == "exclude" and result.outcome.decided_by == "R6"
    assert "NICE TA not recommended" in result.flags and "NICE TA" not in result.flags


def test_a_ta_cell_saying_not_recommended_is_not_protected(tmp_path: Path) -> None:
    result = outcome(ta_workspace(tmp_path / "ws", "TA223 (not recommended)"))
    assert result.outcome.decided_by == "R6"


@pytest.mark.parametrize("cell", ["TA223", "TA223 recommended", "TA223 optimised"])
def test_a_positive_or_unrecorded_ta_is_protected(tmp_path: Path, cell: str) -> None:
    result = outcome(ta_workspace(tmp_path / "ws", cell))
    assert result.outcome.kind == "escalate" and result.outcome.decided_by == "R2"
    assert "a positive NICE TA is cited" in result.outcome.rationale


def test_recommendations_are_read_per_ta_from_the_cell_then_the_list() -> None:
    table = {"TA94": "optimised"}
    assert ta_recommendations("TA385 recommended; TA223 not recommended, TA94", table) == [
        "recommended",
        "not-recommended",
        "optimised",
    ]
    assert ta_recommendations("see NICE", {}) == ["unknown"] and ta_recommendations("", {}) == []


def test_a_bad_nice_ta_list_is_refused_with_its_line(tmp_path: Path) -> None:
    root = ta_workspace(tmp_path / "ws", "TA223", "nice_ta:\n  not-recommended: [TA223, Ezetimibe]\n  maybe: [TA1]\n")
    with pytest.raises(InputError) as caught:
        load_workspace(root)
    text = str(caught.value)
    assert "'Ezetimibe' is not a NICE TA reference" in text and "unknown key 'maybe'" in text
