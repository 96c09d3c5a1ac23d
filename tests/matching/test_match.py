"""The matching engine (``harmonise.matching.match``): vetoes, decisions, evidence, one-to-one and groups."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harmonise.matching import MatchSettings, Named, match_names


def run(left: list[str], right: list[str], **kwargs) -> list:
    return match_names(
        [Named(f"L{i}", n) for i, n in enumerate(left)], [Named(f"R{i}", n) for i, n in enumerate(right)], **kwargs
    )


def autos(pairs: list) -> set[tuple[str, str]]:
    return {(p.left_id, p.right_id) for p in pairs if p.decision == "auto"}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Gliclazide_Tab 60mg M/R", "Gliclazide 60mg modified-release tablets"),
        ("Amlodipine (as besilate) 5 mg tablets", "Amlodipine 5mg tablets"),
        ("AMLODIPINE Tabs 5 mg", "Amlodipine 5mg tablets"),
        ("Pramipexole_Tab 180mcg", "Pramipexole 180microgram tablets"),
        ("Lactulose 2.5g/5ml oral solution", "Lactulose 500mg/ml oral solution"),
        ("Paracet/Codeine Phos_Tab 500mg/30mg", "Co-codamol 30mg/500mg tablets"),
        ("Istin 5mg tablets", "Amlodipine 5mg tablets"),
        ("Verapamil HCl_Tab 80mg", "Verapamil 80mg tablets"),
    ],
)
def test_same_product_written_differently_is_auto(left: str, right: str) -> None:
    pairs = run([left], [right])
    assert autos(pairs) == {("L0", "R0")}
    assert pairs[0].evidence.level in ("normalised", "synonym")


@pytest.mark.parametrize(
    ("left", "right", "veto"),
    [
        ("Amlodipine 5mg tablets", "Amlodipine 10mg tablets", "strength differs"),
        ("Nifedipine 10mg modified-release tablets", "Nifedipine 10mg tablets", "release differs"),
        ("Aspirin 300mg tablets", "Aspirin 300mg gastro-resistant tablets", "release differs"),
        ("Amoxicillin 500mg capsules", "Amoxicillin 500mg tablets", "form differs"),
        ("Hydrocortisone 1% cream", "Hydrocortisone 1% ointment", "form differs"),
        ("Isosorbide mononitrate 20mg tablets", "Isosorbide dinitrate 20mg tablets", "look-alike"),
        ("Hydroxyzine 25mg tablets", "Hydralazine 25mg tablets", "look-alike"),
        ("Diclofenac sodium 50mg tablets", "Diclofenac potassium 50mg tablets", "salt differs"),
        ("Amlodipine 5mg tablets", "Amlodipine 5mg / Valsartan 80mg tablets", "combination differs"),
    ],
)
def test_vetoed_pair_is_only_a_candidate_with_the_veto_stated(left: str, right: str, veto: str) -> None:
    pairs = run([left], [right])
    assert not autos(pairs)
    assert pairs and pairs[0].decision == "candidate"
    assert any(veto in v for v in pairs[0].evidence.vetoes)
    assert "VETO" in pairs[0].evidence.text


def test_sugar_free_liquid_against_standard_liquid_is_not_auto() -> None:
    pairs = run(["Paracetamol 120mg/5ml oral suspension sugar free"], ["Paracetamol 120mg/5ml oral suspension"])
    assert not autos(pairs)


def test_ambiguous_best_is_a_candidate_not_an_auto() -> None:
    pairs = run(
        ["Diclofenac 50mg gastro-resistant tablets"],
        ["Diclofenac sodium 50mg gastro-resistant tablets", "Diclofenac potassium 50mg gastro-resistant tablets"],
    )
    assert not autos(pairs)


def test_one_to_one_no_right_row_in_two_autos() -> None:
    pairs = run(["Amlodipine 5mg tablets", "Amlodipine 5 mg tabs"], ["Amlodipine 5mg tablets"])
    assert len(autos(pairs)) <= 1
    assert ("L0", "R0") in autos(pairs)  # the exact name wins by the margin


def test_row_with_several_strengths_matches_a_group_of_rows() -> None:
    pairs = run(["Amlodipine tablets 5mg, 10mg"], ["Amlodipine 5mg tablets", "Amlodipine 10mg tablets"])
    assert autos(pairs) == {("L0", "R0"), ("L0", "R1")}


def test_evidence_reads_in_plain_english() -> None:
    pair = run(["Amlodipine (as besilate) 5 mg tablets"], ["Amlodipine 5mg tablets"])[0]
    assert "same substance amlodipine (besilate ignored); 5mg = 5mg; tablets = tablets" in pair.evidence.text
    assert pair.evidence.left_key and pair.evidence.right_key


def test_candidates_are_ranked_and_at_most_three() -> None:
    right = [f"Amlodipine {n}mg tablets" for n in (2, 5, 10, 20)] + ["Amlodipine 5mg capsules"]
    pairs = run(["Amlodipine 7mg tablets"], right)
    assert not autos(pairs)
    assert [p.rank for p in pairs] == [1, 2, 3]


def test_confirmed_and_rejected_pairs() -> None:
    left, right = [Named("L0", "Amlodipine 5mg tablets")], [Named("R0", "Amlodipine 10mg tablets")]
    confirmed = match_names(left, right, confirmed=[("L0", "R0")])
    assert [(p.decision, p.evidence.level) for p in confirmed] == [("auto", "confirmed")]
    assert match_names(left, right, rejected=[("L0", "R0")]) == []


def test_chapters_block_comparisons() -> None:
    pairs = match_names([Named("L0", "Timolol 0.5% eye drops", "11")], [Named("R0", "Timolol 0.5% eye drops", "02")])
    assert pairs == []


def test_output_is_deterministic_and_sorted() -> None:
    left = ["Amlodipine 5mg tablets", "Gliclazide 80mg tablets", "Amlodipine 7mg tablets"]
    right = ["Gliclazide 80mg tablets", "Amlodipine 5mg tablets", "Amlodipine 10mg tablets"]
    first, second = run(left, right), run(list(left), list(right))
    assert first == second
    assert [p.left_id for p in first] == sorted(p.left_id for p in first)


def test_settings_raise_the_bar_for_auto() -> None:
    pairs = run(["Istin 5mg tablets"], ["Amlodipine 5mg tablets"], settings=MatchSettings(auto_score=99.0))
    assert not autos(pairs)


SUBSTANCE = st.sampled_from(["Amlodipine", "Gliclazide", "Nifedipine", "Morphine sulfate", "Diltiazem"])
STRENGTH = st.sampled_from([(5, "mg"), (10, "mg"), (0.5, "mg"), (500, "micrograms"), (60, "mg")])
FORM = st.sampled_from(["tablets", "capsules", "oral solution", "cream"])
RELEASE = st.sampled_from(["", "modified-release ", "gastro-resistant "])


def _name(substance: str, strength: tuple, release: str, form: str) -> str:
    return f"{substance} {strength[0]:g}{strength[1]} {release}{form}"


@settings(max_examples=120, deadline=None)
@given(SUBSTANCE, STRENGTH, STRENGTH, RELEASE, RELEASE, FORM, FORM)
def test_names_differing_in_strength_release_or_form_never_auto(sub, s1, s2, r1, r2, f1, f2) -> None:
    mass = {"mg": 1.0, "micrograms": 0.001}
    same = s1[0] * mass[s1[1]] == s2[0] * mass[s2[1]] and r1 == r2 and f1 == f2
    pairs = run([_name(sub, s1, r1, f1)], [_name(sub, s2, r2, f2)])
    assert bool(autos(pairs)) == same
