"""The decisions register and how recorded decisions meet a chapter's current entries."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from harmonise.errors import InputError
from harmonise.model import Chapter, Entry, Item, Position, Provenance, Scale, content_key
from harmonise.review.register import (
    DecidedEntry,
    Decision,
    Register,
    decision_outcome,
    load_register,
    match_fingerprint,
    replace_decision,
    save_register,
    status_fingerprint,
)
from harmonise.review.staleness import review_decisions
from harmonise.workspace.config import DEFAULT_SCALE

SCALE = Scale(DEFAULT_SCALE)
CHAPTER = Chapter("2", "02-cardiovascular", "Cardiovascular system")


def entry(source: str, name: str, word: str = "Green", status: str = "green", notes: str = "") -> Entry:
    key = content_key(source, name, word, notes)
    return Entry(
        source,
        name,
        Provenance(f"{source}.xlsx", "Sheet1", 2),
        status=status,
        status_word=word,
        notes=notes,
        key=key,
    )


def item(*entries: Entry) -> Item:
    positions = tuple(Position(s, tuple(e for e in entries if e.source == s)) for s in ("cheshire", "merseyside"))
    return Item(status_fingerprint(entries), "2", "02.05", entries[0].name, positions)


def decided(
    *entries: Entry,
    decision: str = "adopt-status",
    status: str | None = "green",
    meeting: str = "2024-03-12",
    candidate: Entry | None = None,
) -> Decision:
    seen = tuple(DecidedEntry.of(e) for e in entries)
    if candidate is not None:
        return Decision(
            match_fingerprint(seen, candidate.key),
            entries[0].name,
            decision,
            "same product",
            meeting,
            "Dr Shah",
            (*seen, DecidedEntry.of(candidate)),
            candidate=candidate.key,
        )
    return Decision(
        status_fingerprint(seen),
        entries[0].name,
        decision,
        "agreed",
        meeting,
        "Dr Shah",
        seen,
        status=status,
        imported_at=f"{meeting}T10:00:00Z",
    )


def register_of(*decisions: Decision) -> Register:
    return Register(CHAPTER.slug, {d.fingerprint: d for d in decisions})


RAMIPRIL_C, RAMIPRIL_M = (
    entry("cheshire", "Ramipril"),
    entry("merseyside", "Ramipril", "Amber Recommended", "amber-recommended"),
)


def test_register_round_trips_through_readable_yaml(tmp_path: Path) -> None:
    path = tmp_path / "decisions" / "02-cardiovascular.yaml"
    first = decided(RAMIPRIL_C, RAMIPRIL_M, status="amber-recommended")
    register = register_of(first)
    replace_decision(register, replace(first, status="red", meeting="2024-04-09"))
    save_register(path, register)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Working-group decisions for chapter 02-cardiovascular")
    assert f"  {first.fingerprint}:\n    item: Ramipril\n    decision: adopt-status\n    status: red\n" in text
    assert "meeting: '2024-04-09'" in text and "history:\n    - decision: adopt-status\n" in text
    loaded = load_register(path, CHAPTER, SCALE)
    again = loaded.decisions[first.fingerprint]
    assert (again.status, again.meeting, again.entries) == ("red", "2024-04-09", first.entries)
    assert again.history[0]["status"] == "amber-recommended"


def test_hand_edited_register_errors_are_located(tmp_path: Path) -> None:
    path = tmp_path / "02-cardiovascular.yaml"
    path.write_text(
        "version: 1\nchapter: 02-cardiovascular\ndecisions:\n"
        "  abc:\n    item: Ramipril\n    decision: adopt-statuss\n    rationale: x\n    meeting: 12/03/2024\n"
        "    decided_by: Dr Shah\n    entries: [{source: cheshire, name: Ramipril, key: k1, identity: i1}]\n"
        "  def:\n    item: Bisoprolol\n    decision: include\n    status: ambre\n    meeting: '2024-03-12'\n"
        "    decided_by: Dr Shah\n    entries: []\n    colour: red\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_register(path, CHAPTER, SCALE, "decisions/02-cardiovascular.yaml")
    text = str(caught.value)
    assert "decisions/02-cardiovascular.yaml:6: decisions.abc.decision: 'adopt-statuss' is not a decision" in text
    assert "(did you mean adopt-status?)" in text
    assert "decisions/02-cardiovascular.yaml:8: decisions.abc.meeting: '12/03/2024' is not a date" in text
    assert ":14: decisions.def.status: 'ambre' is not a status on the scale" in text
    assert ":17: decisions.def.entries: expected the list of legacy entries decided" in text
    assert ":18: decisions.def.colour: unknown key 'colour'" in text


def test_register_of_another_chapter_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("version: 1\nchapter: 04-central-nervous-system\ndecisions: {}\n", encoding="utf-8")
    with pytest.raises(InputError, match="this register is for chapter '04-central-nervous-system'"):
        load_register(path, CHAPTER, SCALE)


@pytest.mark.parametrize(
    ("decision", "kind", "status", "flags"),
    [
        ("adopt-status", "adopt", "green", ()),
        ("include", "adopt", "green", ()),
        ("exclude", "exclude", None, ()),
        ("retain-both", "retain-both", None, ("pending chapter review",)),
        ("defer", "retain-both", None, ("pending chapter review",)),
    ],
)
def test_each_status_decision_gives_its_outcome(
    decision: str, kind: str, status: str | None, flags: tuple[str, ...]
) -> None:
    outcome = decision_outcome(decided(RAMIPRIL_C, decision=decision))
    assert outcome is not None
    assert (outcome.kind, outcome.status, outcome.flags, outcome.decided_by) == (
        kind,
        status,
        flags,
        "working-group",
    )
    assert outcome.rationale == "agreed (working group, meeting 2024-03-12, Dr Shah)"


def test_fresh_decision_is_applied_before_the_rules() -> None:
    current = item(RAMIPRIL_C, RAMIPRIL_M)
    review = review_decisions(register_of(decided(RAMIPRIL_C, RAMIPRIL_M)), current.entries, SCALE)
    outcome = review.decide(current)
    assert outcome is not None and (outcome.kind, outcome.status) == ("adopt", "green")
    review.finish()
    assert list(review.applied) == [current.key] and not review.stale and not review.vanished


def test_changed_entry_makes_the_decision_stale_with_the_change_in_words() -> None:
    changed = entry("merseyside", "Ramipril", "Red", "red")
    current = item(RAMIPRIL_C, changed)
    review = review_decisions(register_of(decided(RAMIPRIL_C, RAMIPRIL_M)), current.entries, SCALE)
    outcome = review.decide(current)
    assert outcome is not None and (outcome.kind, outcome.decided_by) == ("escalate", "stale-decision")
    assert outcome.rationale == (
        "Recorded decision out of date, please review again: adopt status Green (meeting 2024-03-12, Dr Shah): "
        "agreed. merseyside Ramipril: status 'Amber Recommended' is now 'Red'"
    )
    assert list(review.stale_items) == [current.key]


def test_notes_change_and_regrouping_are_stale_too() -> None:
    notes = entry("merseyside", "Ramipril", "Amber Recommended", "amber-recommended", notes="new note")
    review = review_decisions(register_of(decided(RAMIPRIL_C, RAMIPRIL_M)), [RAMIPRIL_C, notes], SCALE)
    assert "its details (notes, line, section...) changed" in review.decide(item(RAMIPRIL_C, notes)).rationale
    alone = register_of(decided(RAMIPRIL_C))
    grouped = item(RAMIPRIL_C, RAMIPRIL_M)
    review = review_decisions(alone, grouped.entries, SCALE)
    assert review.decide(grouped).rationale.endswith("the item now also holds merseyside Ramipril")


def test_decision_whose_entries_are_gone_is_vanished() -> None:
    review = review_decisions(register_of(decided(RAMIPRIL_C, RAMIPRIL_M)), [entry("cheshire", "Other")], SCALE)
    assert review.decide(item(entry("cheshire", "Other"))) is None
    review.finish()
    assert [d.item for d in review.vanished] == ["Ramipril"] and not review.stale


def test_later_decision_on_the_same_entries_supersedes_a_stale_one() -> None:
    changed = entry("merseyside", "Ramipril", "Red", "red")
    old, new = (
        decided(RAMIPRIL_C, RAMIPRIL_M),
        decided(RAMIPRIL_C, changed, status="red", meeting="2024-04-09"),
    )
    current = item(RAMIPRIL_C, changed)
    review = review_decisions(register_of(old, new), current.entries, SCALE)
    assert review.decide(current).status == "red"
    review.finish()
    assert not review.stale and not review.vanished


def test_match_decisions_become_matcher_pairs_only_while_fresh() -> None:
    clopidogrel, plavix = entry("cheshire", "Clopidogrel"), entry("merseyside", "Clopidogrel (Plavix)")
    confirm = decided(clopidogrel, decision="confirm-match", candidate=plavix)
    review = review_decisions(register_of(confirm), [clopidogrel, plavix], SCALE)
    assert review.confirmed == [(clopidogrel.key, plavix.key)] and review.rejected == []
    reject = decided(clopidogrel, decision="reject-match", candidate=plavix)
    assert review_decisions(register_of(reject), [clopidogrel, plavix], SCALE).rejected == [
        (clopidogrel.key, plavix.key)
    ]
    relisted = entry("merseyside", "Clopidogrel (Plavix)", "Red", "red")
    stale = review_decisions(register_of(confirm), [clopidogrel, relisted], SCALE)
    assert stale.confirmed == [] and list(stale.stale) == [confirm.fingerprint]
    escalated = stale.decide(item(relisted))
    assert escalated is not None and escalated.decided_by == "stale-decision"
