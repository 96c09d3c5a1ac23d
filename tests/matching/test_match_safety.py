"""Safety of automatic matches: truncated substance names, combination strengths, multi-strength rows, and
a property test that names differing only in strength, release, form or dosing frequency never auto-match."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from match_helpers import autos, run

from harmonise.matching.reference import Reference, load_reference, shipped_pack


def evidence(pairs: list, left: str = "L0", right: str = "R0") -> str:
    return next(p.evidence.text for p in pairs if (p.left_id, p.right_id) == (left, right))


# --- truncated substance names -------------------------------------------------------------------------


def test_unambiguous_truncation_still_auto_matches() -> None:
    pairs = run(["Misoprost_Tab 200mcg"], ["Misoprostol 200microgram tablets"])
    assert autos(pairs) == {("L0", "R0")}


def test_truncation_fitting_two_substances_in_the_lists_is_a_candidate() -> None:
    # only chlorpromazine is on the other side, but "chlorprom" also fits chlorpropamide, seen in the left list
    pairs = run(["Chlorprom_Tab 25mg", "Chlorpropamide_Tab 100mg"], ["Chlorpromazine 25mg tablets"])
    assert not autos(pairs)
    assert "chlorprom could be chlorpromazine or chlorpropamide" in evidence(pairs)


def test_truncation_fitting_a_reference_substance_is_a_candidate() -> None:
    reference = Reference("test", {}, {}, {}, frozenset({"misoprostol", "misoprostene"}))
    pairs = run(["Misoprost_Tab 200mcg"], ["Misoprostol 200microgram tablets"], reference=reference)
    assert not autos(pairs)
    assert "could be misoprostene or misoprostol" in evidence(pairs)


def test_truncation_fitting_shipped_knowledge_is_a_candidate() -> None:
    pairs = run(["Prednis_Tab 5mg"], ["Prednisolone 5mg tablets"])  # prednisone is known too
    assert not autos(pairs)
    assert "prednis could be prednisolone or prednisone" in evidence(pairs)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Estriol 1mg tablets", "Estradiol 1mg tablets"),  # a known substance is not a truncation
        ("Quinine 200mg tablets", "Quinidine 200mg tablets"),
    ],
)
def test_a_substance_that_looks_like_a_shortened_other_is_never_auto(left: str, right: str) -> None:
    pairs = run([left], [right])
    assert not autos(pairs)
    assert pairs and pairs[0].decision == "candidate"


# --- combination strengths ------------------------------------------------------------------------------


def test_combination_strengths_are_paired_with_their_substances() -> None:
    pairs = run(["Olmesartan 40mg / Amlodipine 10mg tablets"], ["Olmesartan 10mg / Amlodipine 40mg tablets"])
    assert not autos(pairs)
    assert "olmesartan 40mg vs 10mg" in " ".join(pairs[0].evidence.vetoes)


def test_combination_pairing_works_across_name_orders() -> None:
    pairs = run(["Paracetamol 500mg / Codeine 30mg tablets"], ["Co-codamol 30mg/500mg tablets"])
    assert autos(pairs) == {("L0", "R0")}


def test_combination_strengths_that_cannot_be_paired_are_a_candidate() -> None:
    # a brand's strengths follow the brand's own order, not the order of its substance list
    pairs = run(["Inegy 10mg/20mg tablets"], ["Simvastatin 20mg / Ezetimibe 10mg tablets"])
    assert not autos(pairs)
    assert "cannot be paired" in evidence(pairs)


# --- rows listing several strengths ---------------------------------------------------------------------


def test_combination_row_listing_strengths_matches_each_strength() -> None:
    right = [
        "Co-beneldopa 12.5mg/50mg capsules",
        "Co-beneldopa 25mg/100mg capsules",
        "Co-beneldopa 50mg/200mg capsules",
    ]
    pairs = run(["Co-beneldopa capsules 12.5mg/50mg, 25mg/100mg"], right)
    assert autos(pairs) == {("L0", "R0"), ("L0", "R1")}


def test_right_row_listing_strengths_takes_one_left_row_per_strength() -> None:
    pairs = run(
        ["Furosemide 20mg tablets", "Furosemide 40mg tablets", "Furosemide 500mg tablets"],
        ["Furosemide tablets 20mg, 40mg"],
    )
    assert autos(pairs) == {("L0", "R0"), ("L1", "R0")}
    assert "500mg is not one of 20mg, 40mg" in evidence(pairs, "L2")


def test_unit_written_once_for_a_list_of_strengths() -> None:
    pairs = run(
        ["Rotigotine patch 2mg/24hours, 4mg/24hours"],
        ["Rotigotine 2mg/24hours transdermal patches", "Rotigotine 4mg/24hours transdermal patches"],
    )
    assert autos(pairs) == {("L0", "R0"), ("L0", "R1")}
    pairs = run(["Rotigotine transdermal patches 2mg, 4mg/24 hours"], ["Rotigotine 2mg/24hours transdermal patches"])
    assert autos(pairs) == {("L0", "R0")}


# --- property: only strength, release, form or frequency differ -> never auto ------------------------

SINGLE = st.sampled_from(["Amlodipine", "Nifedipine", "Diltiazem hydrochloride", "Morphine sulfate"])
COMBO = st.sampled_from([("Amlodipine", "Valsartan"), ("Codeine", "Paracetamol"), ("Olmesartan", "Amlodipine")])
DOSE = st.sampled_from([5, 10, 20, 40, 80])
RELEASE = st.sampled_from(["", "modified-release ", "gastro-resistant "])
FORM = st.sampled_from(["tablets", "capsules", "oral solution", "dispersible tablets"])
FREQUENCY = st.sampled_from(["", " (once daily)", " (twice daily)"])


@settings(max_examples=150, deadline=None)
@given(COMBO, DOSE, DOSE, DOSE, DOSE, RELEASE, FORM)
def test_combinations_differing_only_in_strengths_never_auto(combo, a1, b1, a2, b2, release, form) -> None:
    left = f"{combo[0]} {a1}mg / {combo[1]} {b1}mg {release}{form}"
    right = f"{combo[0]} {a2}mg / {combo[1]} {b2}mg {release}{form}"
    assert bool(autos(run([left], [right]))) == ((a1, b1) == (a2, b2))


@settings(max_examples=150, deadline=None)
@given(
    SINGLE,
    st.lists(DOSE, min_size=2, max_size=3, unique=True),
    DOSE,
    RELEASE,
    RELEASE,
    FORM,
    FORM,
    FREQUENCY,
    FREQUENCY,
)
def test_multi_strength_rows_only_match_a_listed_product(sub, listed, dose, r1, r2, f1, f2, q1, q2) -> None:
    left = f"{sub} {r1}{f1} {', '.join(f'{d}mg' for d in listed)}{q1}"
    right = f"{sub} {dose}mg {r2}{f2}{q2}"
    same = dose in listed and r1 == r2 and f1 == f2 and q1 == q2
    assert bool(autos(run([left], [right]))) == same
    assert bool(autos(run([right], [left]))) == same


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # appliance sizes are one product's dimensions, not alternative strengths: all must agree
        ("KARAYA WASHER 51mm base, 29mm opening", "Karaya washer 70mm base, 29mm opening"),
        # a size range written with its unit once: both ends count
        ("Ostomy bag with filter, midi 15-33mm", "Ostomy bag with filter, midi 15-43mm"),
        # lozenges come sugared and sugar free: sugar free on one side only is a doubt
        ("Amylmetacresol 600microgram / Dichlorobenzyl alcohol 1.2mg lozenges", "Amylmetacresol 600microg loz SF"),
    ],
)
def test_sizes_ranges_and_sugar_free_lozenges_never_auto(left: str, right: str) -> None:
    """Found by the 50,000 x 50,000 benchmark on real BNF names: each was once a wrong automatic match."""
    assert not autos(run([left], [right]))


def test_a_pack_of_two_fills_is_not_the_pack_of_one_of_them() -> None:
    """``... inj 5ml and 2ml`` (the intramuscular pair of ampoules) is not ``... inf 5ml and 5ml`` (the
    intravenous pair, read as ``5ml``): the fills a name states must all agree, not only those one side has. Found
    by ``benchmarks/drop_words.py`` dropping the route from the national list's names: the two were joined
    automatically."""
    left = "Vitamins B and C high potency inj 5ml and 2ml"
    pairs = run([left], ["Vitamins B and C high potency intravenous inf 5ml and 5ml"])
    assert not autos(pairs)
    assert "pack sizes 2ml 5ml vs 5ml differ in part" in evidence(pairs)
    assert autos(run([left], ["Vitamins B and C high potency inj 5ml and 2ml ampoules"])) == {("L0", "R0")}


def test_the_same_sizes_still_match() -> None:
    pairs = run(["KARAYA WASHER 51mm base, 29mm opening"], ["Karaya washer 51mm base, 29mm opening"])
    assert autos(pairs) == {("L0", "R0")}


def test_a_stated_salt_settles_a_truncation_only_one_of_its_fits_is_named_with() -> None:
    # "pyridox" fits pyridoxine and pyridoxal; of the two only pyridoxine is a hydrochloride
    reference = Reference("test", {}, {}, {}, frozenset({"pyridoxine hydrochloride", "pyridoxal phosphate"}))
    pairs = run(["Pyridox HCl_Tab 50mg"], ["Pyridoxine hydrochloride 50mg tablets"], reference=reference)
    assert autos(pairs) == {("L0", "R0")}
    assert "pyridox could be pyridoxal or pyridoxine, and only pyridoxine is named with hydrochloride" in evidence(
        pairs
    )


@pytest.mark.parametrize("left", ["Pyridox_Tab 50mg", "Pyridox Sulf_Tab 50mg"])
def test_a_truncation_without_a_salt_that_tells_its_fits_apart_stays_a_candidate(left: str) -> None:
    reference = Reference("test", {}, {}, {}, frozenset({"pyridoxine hydrochloride", "pyridoxal phosphate"}))
    pairs = run([left], ["Pyridoxine 50mg tablets"], reference=reference)
    assert not autos(pairs)
    assert "pyridox could be pyridoxal or pyridoxine" in evidence(pairs)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Dilzem XL 120mg capsules", "Dilzem SR 120mg capsules"),  # once and twice daily
        ("Tildiem LA 200mg capsules", "Tildiem Retard 200mg capsules"),
        ("Nifedipress LA_Tab 30mg", "Nifedipress Retard 30mg tablets"),
    ],
)
@pytest.mark.parametrize("national_list", [True, False])
def test_two_release_suffixes_of_a_brand_are_two_products(left: str, right: str, national_list: bool) -> None:
    reference = load_reference(shipped_pack()) if national_list else None
    pairs = run([left], [right], reference=reference)
    assert not autos(pairs)
    assert "release differs" in evidence(pairs)
