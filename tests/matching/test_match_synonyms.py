"""Legacy BNF writing read as today's names, each with the near misses it must not take: a ``Gppe`` name (the
generic equivalent of a brand, today ``Generic <brand> <form>``; ``Gppe Ins_`` an insulin, so an injection)
and a raw material's grade written after the underscore (``Paraf_Soft Wte (S)`` is white soft paraffin).
The names are written for these tests."""

from __future__ import annotations

import pytest
from match_helpers import auto_pairs as autos

from harmonise.matching.parse import parse_name


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # "Gppe <kind>_<brand>": the generic equivalent of the brand
        ("Gppe Crm_Diprobase", "Generic Diprobase cream"),
        ("Gppe Oint_Hydromol", "Generic Hydromol ointment"),
        ("Gppe Bath Oil_Oilatum", "Generic Oilatum bath additive"),
        # "Gppe Ins_<brand>": an insulin brand's generic, an injection
        ("Gppe Ins_Lantus 100u/ml 3ml Cart", "Insulin glargine 100units/ml inj 3ml cartridges"),
        ("Gppe Ins_Humalog 100u/ml 10ml Vl", "Insulin lispro 100units/ml solution for injection 10ml vials"),
        # a raw material's grade written after the underscore
        ("Paraf_Soft Yell (S)", "Yellow soft paraffin solid"),
        ("Paraf_Soft Wte (S)", "White soft paraffin solid"),
        ("Beeswax_Yellow (S)", "Beeswax yellow solid"),
    ],
)
def test_legacy_name_is_auto(left: str, right: str) -> None:
    assert autos([left], [right]) == {("L0", "R0")}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # a Gppe name is still its form, strength and container, and its brand is no other brand
        ("Gppe Crm_Diprobase", ["Generic Diprobase ointment"]),
        ("Gppe Crm_Diprobase", ["Generic Aveeno cream"]),
        ("Gppe Ins_Lantus 100u/ml 3ml Cart", ["Insulin glargine 100units/ml inj 10ml vials"]),
        ("Gppe Ins_Lantus 100u/ml 3ml Cart", ["Insulin glargine 300units/ml inj 1.5ml pre-filled pens"]),
        ("Gppe Ins_Lantus 100u/ml 3ml Cart", ["Insulin detemir 100units/ml inj 3ml cartridges"]),
        # a grade is part of the substance: another grade, or a grade on one side only, is another substance
        ("Paraf_Soft Wte (S)", ["Yellow soft paraffin solid"]),
        ("Beeswax_Wte (S)", ["Beeswax yellow solid"]),
        ("Beeswax_Yell (S)", ["Beeswax white solid"]),
        ("Beeswax (S)", ["Beeswax white solid"]),
        ("Paraf_Soft Wte (S)", ["Hard paraffin solid"]),
        # a raw material that fits two presentations is never automatic
        ("Paraf_Soft Wte (S)", ["White soft paraffin solid", "White soft paraffin ointment"]),
    ],
)
def test_near_miss_of_a_legacy_name_stays_a_candidate(left: str, right: list[str]) -> None:
    assert autos([left], right) == set()


@pytest.mark.parametrize(
    ("name", "substances", "form", "residual"),
    [
        ("Gppe Crm_Diprobase", ("diprobase",), "cream", ()),
        ("Gppe Ins_Lantus 100u/ml 3ml Cart", ("insulin glargine",), "injection", ()),
        ("Paraf_Soft Wte (S)", ("white soft paraffin",), "raw material", ()),
        ("Beeswax_Wte (S)", ("beeswax white",), "raw material", ()),
        # in another form, grade words join the substance only where the two make a substance the knowledge names
        ("Paraffin_Soft Wte Oint", ("white soft paraffin",), "ointment", ()),
        ("Beeswax_Wte Crm", ("beeswax",), "cream", ("white",)),
    ],
)
def test_legacy_names_parse(name: str, substances: tuple[str, ...], form: str, residual: tuple[str, ...]) -> None:
    key = parse_name(name)
    assert (key.substances, key.form, key.residual) == (substances, form, residual)
