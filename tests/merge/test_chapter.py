"""The chapter merge: clustering across sources, outcomes, safety guards and the workbook written."""

from __future__ import annotations

from pathlib import Path

from merge_fixtures import CH02, small_chapter
from openpyxl import load_workbook
from typer.testing import CliRunner

from harmonise.cli import app
from harmonise.merge.chapter import entries_accounted
from harmonise.merge.run import run_merge
from harmonise.workspace.config import load_workspace


def merged(root: Path):
    workspace = load_workspace(root)
    [merge] = run_merge(workspace, [workspace.chapter("2")], write=False).chapters
    return merge


def by_name(merge, text: str):
    found = [r for r in merge.results if any(text.lower() in e.display_name.lower() for e in r.item.entries)]
    assert found, text
    return found


def test_every_entry_in_exactly_one_item(tmp_path: Path) -> None:
    merge = merged(small_chapter(tmp_path))
    assert entries_accounted(merge)
    assert len(merge.loaded.entries) == 12 + 9


def test_same_product_written_differently_is_adopted(tmp_path: Path) -> None:
    [atorva] = by_name(merged(small_chapter(tmp_path)), "atorvastatin")
    assert atorva.item.match.decision == "auto"
    assert atorva.outcome.kind == "adopt" and atorva.outcome.status == "green" and atorva.outcome.decided_by == "R5"


def test_granularity_one_row_for_two_strengths_joins_both_rows(tmp_path: Path) -> None:
    [amlodipine] = by_name(merged(small_chapter(tmp_path)), "amlodipine")
    cheshire, merseyside = amlodipine.item.positions
    assert [e.formulation for e in cheshire.entries] == ["Tablets 5mg", "Tablets 10mg"]
    assert [e.formulation for e in merseyside.entries] == ["Tabs 5 mg, 10 mg"]
    assert amlodipine.outcome.status == "green"


def test_partial_strength_coverage_is_never_adopted(tmp_path: Path) -> None:
    [furosemide] = by_name(merged(small_chapter(tmp_path)), "furosemide")
    assert furosemide.item.match.decision == "candidate" and furosemide.item.match.level == "partial"
    assert "merseyside does not list 40mg" in furosemide.item.match.evidence
    assert furosemide.outcome.kind == "escalate"


def test_modified_release_is_not_joined_to_standard_release(tmp_path: Path) -> None:
    results = by_name(merged(small_chapter(tmp_path)), "nifedipine")
    joined = {
        r.item.position("cheshire").entries[0].formulation: r for r in results if r.item.position("cheshire").present
    }
    assert set(joined) == {"Modified-release tablets 30mg", "Capsules 10mg"}
    assert [e.formulation for e in joined["Modified-release tablets 30mg"].item.position("merseyside").entries] == [
        "MR Tabs 30 mg"
    ]
    assert not joined["Capsules 10mg"].item.position("merseyside").present


def test_isosorbide_mononitrate_is_not_dinitrate(tmp_path: Path) -> None:
    results = by_name(merged(small_chapter(tmp_path)), "isosorbide")
    [dinitrate] = [r for r in results if "dinitrate" in r.item.name.lower()]
    assert not dinitrate.item.position("merseyside").present
    [mononitrate] = [r for r in results if "mononitrate" in r.item.name.lower()]
    assert [e.name for e in mononitrate.item.position("merseyside").entries] == ["ISOSORBIDE MONONITRATE"]
    assert mononitrate.outcome.kind == "escalate"  # Green vs Amber recommended: a real disagreement


def test_unknown_status_word_is_escalated_as_data_error(tmp_path: Path) -> None:
    [rosuva] = by_name(merged(small_chapter(tmp_path)), "rosuvastatin")
    assert rosuva.outcome.kind == "escalate" and rosuva.outcome.decided_by == "data-error"
    assert "status 'Ambr' is not in the cheshire vocabulary" in rosuva.outcome.rationale


def test_one_sided_items_go_to_working_group(tmp_path: Path) -> None:
    [ticagrelor] = by_name(merged(small_chapter(tmp_path)), "ticagrelor")
    assert not ticagrelor.item.position("cheshire").present
    assert ticagrelor.outcome.kind in ("escalate", "retain-both")


def test_nice_ta_item_is_never_excluded(tmp_path: Path) -> None:
    [ezetimibe] = by_name(merged(small_chapter(tmp_path)), "ezetimibe")
    assert "NICE TA" in ezetimibe.flags
    assert ezetimibe.outcome.kind != "exclude"


def test_three_sources_cluster_with_one_position_each(tmp_path: Path) -> None:
    merge = merged(small_chapter(tmp_path, three=True))
    assert entries_accounted(merge)
    [atorva] = by_name(merge, "atorvastatin")
    assert [p.present for p in atorva.item.positions] == [True, True, True]
    assert atorva.outcome.status == "green"
    [apixaban] = by_name(merge, "apixaban")
    assert [p.present for p in apixaban.item.positions] == [False, False, True]
    [ticagrelor] = by_name(merge, "ticagrelor")
    assert [p.source for p in ticagrelor.item.positions if p.present] == ["merseyside", "wirral"]


def test_merge_is_deterministic(tmp_path: Path) -> None:
    root = small_chapter(tmp_path)
    first = [(r.item.key, r.outcome) for r in merged(root).results]
    second = [(r.item.key, r.outcome) for r in merged(root).results]
    assert first == second


def test_cli_merge_writes_workbooks_with_rule_columns(tmp_path: Path) -> None:
    root = small_chapter(tmp_path)
    result = CliRunner().invoke(app, ["--workspace", str(root), "merge", "--chapter", "2"])
    assert result.exit_code == 0, result.output
    draft = load_workbook(root / CH02 / "harmonised-draft.xlsx")
    assert draft.sheetnames == ["Harmonised", "Print", "Summary", "Rules"]
    header = [c.value for c in draft["Harmonised"][1]]
    rule_ids = [
        r.id
        for r in __import__("harmonise.rules.engine", fromlist=["load_rules"]).load_rules(load_workspace(root)).rules
    ]
    for rule_id in rule_ids:
        assert any(str(h).startswith(f"{rule_id} ") for h in header), rule_id
    assert {"Cheshire: status", "Merseyside: status", "Decided by", "Harmonised status", "Rationale"} <= set(header)
    # the header and the item (Section, Item) stay in view while scrolling right
    assert draft["Harmonised"].freeze_panes == "C2" and draft["Harmonised"].auto_filter.ref
    assert (root / "reports" / "02-cardiovascular" / "working-group.xlsx").is_file()


def test_cli_merge_json_matches_library(tmp_path: Path) -> None:
    import json

    root = small_chapter(tmp_path)
    result = CliRunner().invoke(app, ["--workspace", str(root), "merge", "--chapter", "2", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    summary = merged(root).summary()
    got = payload["chapters"][0]
    for key in ("items", "match", "outcome", "decided_by", "entries_per_source"):
        assert got[key] == summary[key]


def test_merge_refuses_a_chapter_it_cannot_read(tmp_path: Path) -> None:
    root = small_chapter(tmp_path)
    (root / CH02 / "merseyside.xlsx").unlink()
    result = CliRunner().invoke(app, ["--workspace", str(root), "merge", "--chapter", "2"])
    assert result.exit_code == 2
    assert "no file matching 'merseyside.*'" in result.output
