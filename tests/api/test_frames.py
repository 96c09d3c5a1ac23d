"""The pandas API: a decided chapter's entries, items, outcomes, decisions and audit events as DataFrames, with
the documented columns and dtypes, agreeing with what ``merge`` computed and logged."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from api_fixtures import decided_workspace
from review_fixtures import CHESHIRE, MERSEYSIDE, chapter_workspace, write_sources

from harmonise import api
from harmonise.api import TABLES
from harmonise.errors import InputError


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> api.Frames:
    return api.load(decided_workspace(tmp_path_factory.mktemp("api")))


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_has_the_documented_columns_and_dtypes(frames: api.Frames, table: str) -> None:
    data = frames.table(table, 2)
    assert list(data.columns) == list(TABLES[table].names)
    assert {c: str(t) for c, t in data.dtypes.items()} == {c.name: c.dtype for c in TABLES[table].columns}
    assert len(data) > 0


def test_a_workspace_never_merged_has_empty_decisions_and_audit_with_their_dtypes(tmp_path: Path) -> None:
    frames = api.load(chapter_workspace(tmp_path))
    assert len(frames.items(2)) > 0
    for name in ("decisions", "audit"):
        data = frames.table(name, 2)
        assert data.empty and [str(t) for t in data.dtypes] == [c.dtype for c in TABLES[name].columns]


def test_every_legacy_row_is_an_entry_in_exactly_one_item(frames: api.Frames) -> None:
    entries, items = frames.entries(2), frames.items(2)
    assert len(entries) == len(CHESHIRE) + len(MERSEYSIDE)
    assert entries.groupby("source").size().to_dict() == {"cheshire": len(CHESHIRE), "merseyside": len(MERSEYSIDE)}
    assert set(entries["item_key"]) == set(items["item_key"])
    assert (
        entries.groupby("item_key").size().sort_index().tolist()
        == items.set_index("item_key")["entries"].sort_index().tolist()
    )
    ramipril = entries[entries["name"] == "Ramipril"].set_index("source")
    assert ramipril.loc["merseyside", "status"] == "amber-recommended"
    assert ramipril.loc["merseyside", "status_word"] == "Amber Recommended"
    assert ramipril.loc["cheshire", "file"].endswith("cheshire.xlsx") and ramipril.loc["cheshire", "row"] == 3


def test_items_carry_the_match_and_its_evidence(frames: api.Frames) -> None:
    items = frames.items(2).set_index("name")
    amlodipine = items.loc["Amlodipine 5mg tablets"]
    assert (amlodipine["match"], amlodipine["listed_by"], amlodipine["sources_listing"]) == (
        "auto",
        "cheshire; merseyside",
        2,
    )
    assert "identical name" in amlodipine["match_evidence"] and amlodipine["match_score"] > 90
    atorvastatin = items.loc["Atorvastatin 20mg tablets"]
    assert atorvastatin["match"] == "none" and pd.isna(atorvastatin["match_score"])
    assert atorvastatin["listed_by"] == "cheshire" and atorvastatin["strengths"] == "20mg"
    clopidogrel = items[items.index.str.startswith("Clopidogrel")]
    assert (clopidogrel["match"] == "candidate").any() and (clopidogrel["candidates"] > 0).any()


def test_outcomes_are_what_merge_recorded(frames: api.Frames) -> None:
    outcomes = frames.outcomes(2).set_index("item_key")
    state = json.loads((frames.workspace.root / "reports/02-cardiovascular/outcomes.json").read_text("utf-8"))
    assert set(outcomes.index) == set(state["items"])
    for key, recorded in state["items"].items():
        row = outcomes.loc[key]
        assert (row["outcome"], row["decided_by"], row["rationale"]) == (
            recorded["kind"],
            recorded["decided_by"],
            recorded["rationale"],
        )
        assert (None if pd.isna(row["status"]) else row["status"]) == recorded["status"]


def test_outcomes_show_the_working_group_decisions_and_the_rules(frames: api.Frames) -> None:
    outcomes = frames.outcomes(2).set_index("item_name")
    ramipril = outcomes.loc["Ramipril 2.5mg capsules"]
    assert (ramipril["outcome"], ramipril["status"], ramipril["status_label"], ramipril["decided_by"]) == (
        "adopt",
        "amber-recommended",
        "Amber recommended",
        "working-group",
    )
    assert outcomes.loc["Bisoprolol 5mg tablets", "flags"] == "pending chapter review"
    nifedipine = outcomes.loc["Nifedipine 5mg capsules"]
    assert (nifedipine["outcome"], nifedipine["decided_by"]) == ("exclude", "R6")
    assert nifedipine["rules_applying"] == "R6; R7"  # every rule whose condition held; the first decided
    atorvastatin = outcomes.loc["Atorvastatin 20mg tablets"]
    assert (atorvastatin["status"], atorvastatin["adopted_source"]) == ("green", "cheshire")
    assert frames.outcomes(2).groupby("decided_by").size()["working-group"] == 3


def test_decisions_come_from_the_register_and_go_stale_when_a_legacy_row_changes(tmp_path: Path) -> None:
    root = decided_workspace(tmp_path)
    decisions = api.load(root).decisions(2).set_index("item")
    assert sorted(decisions.index) == [
        "Atorvastatin 20mg tablets",
        "Bisoprolol 5mg tablets",
        "Doxazosin 4mg tablets",
        "Ramipril 2.5mg capsules",
    ]
    doxazosin = decisions.loc["Doxazosin 4mg tablets"]
    assert doxazosin["decision"] == "reject-match" and doxazosin["candidate"] and pd.isna(doxazosin["status"])
    ramipril = decisions.loc["Ramipril 2.5mg capsules"]
    assert (ramipril["decision"], ramipril["status"], ramipril["decided_by"], ramipril["imported_by"]) == (
        "adopt-status",
        "amber-recommended",
        "Dr Shah",
        "alice",
    )
    assert ramipril["meeting"] == pd.Timestamp("2024-03-12", tz="UTC") and not ramipril["stale"]
    changed = [row if row[1] != "Ramipril" else [*row[:3], "Red"] for row in MERSEYSIDE]
    write_sources(root, merseyside=changed)
    again = api.load(root).decisions(2).set_index("item")
    assert again.loc["Ramipril 2.5mg capsules", "stale"] and not again.loc["Bisoprolol 5mg tablets", "stale"]


def test_audit_events_are_the_log_in_order(frames: api.Frames) -> None:
    events = frames.audit_events()
    assert events["seq"].tolist() == list(range(1, len(events) + 1))
    assert events["kind"].value_counts()[["run", "decision"]].tolist() == [2, 4]
    decision_keys = set(events.loc[events["kind"] == "decision", "item_key"])
    assert decision_keys == set(frames.decisions(2)["fingerprint"])
    assert events["at"].dt.tz is not None and (events["user"] == "alice").all()
    assert pd.isna(events.loc[events["kind"] == "run", "chapter"]).all()
    for_chapter = frames.audit_events(2)
    assert set(for_chapter["kind"]) == {"outcome", "decision"} and (for_chapter["chapter"] == "2").all()
    first = json.loads(events.loc[events["kind"] == "decision", "data"].iloc[0])
    assert first["meeting"] == "2024-03-12"


def test_every_chapter_present_is_the_default(frames: api.Frames) -> None:
    assert frames.chapters == ["2"]
    pd.testing.assert_frame_equal(frames.items(), frames.items("02-cardiovascular"))


def test_an_unknown_chapter_is_a_clear_error(frames: api.Frames) -> None:
    with pytest.raises(InputError, match="unknown chapter '99'"):
        frames.items(99)
