"""Qualifiers that distinguish products must agree: a device, a refill, a cartridge and a pre-filled syringe are
different products, and a name that leaves such a qualifier unstated fits more than one of them.

Names written for these tests in the styles legacy formularies use; none is taken from the development data.
"""

from __future__ import annotations

import pytest
from match_helpers import autos, run


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # a pre-filled syringe with a cartridge against the cartridge alone
        ("Somatropin_Inj 5mg Pfs Cart", ["Somatropin 5mg inj cartridges"]),
        # a container on one side only: the product could be the syringe or another presentation
        ("Adrenaline 1mg/10ml inj", ["Adrenaline 1mg/10ml inj pre-filled syringes"]),
        ("Teriparatide 20micrograms/80microlitres inj", ["Teriparatide 20micrograms/80microlitres inj cartridges"]),
        ("Exenatide_Inj 250mcg/ml 2.4ml Pf Pen", ["Exenatide 250micrograms/ml inj 2.4ml cartridges"]),
    ],
)
def test_a_device_or_refill_stated_on_one_side_only_is_never_automatic(left: str, right: list[str]) -> None:
    pairs = run([left], right)
    assert autos(pairs) == set()
    assert pairs and "container" in pairs[0].evidence.text  # the evidence says which container differs


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Enoxaparin_Inj 40mg/0.4ml Pfs", "Enoxaparin 40mg/0.4ml inj pre-filled syringes"),
        ("INSULIN GLARGINE Inj 100units/ml 3ml Cart", "Insulin glargine 100units/ml inj 3ml cartridges"),
        ("Adalimumab_Inj 40mg/0.4ml Pf Pen", "Adalimumab 40mg/0.4ml inj pre-filled pens"),
    ],
)
def test_the_same_device_on_both_sides_still_matches(left: str, right: str) -> None:
    assert autos(run([left], [right])) == {("L0", "R0")}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Qvar 50_Inha 50mcg (200 D)", "Qvar 50 inhaler"),
        ("Priadel 400_Tab 400mg M/R", "Priadel 400 modified-release tablets"),
    ],
)
def test_a_brand_that_carries_its_strength_in_its_name_matches_the_strength_written_out(left: str, right: str) -> None:
    assert autos(run([left], [right])) == {("L0", "R0")}


def test_a_brand_number_that_is_another_strength_never_matches() -> None:
    pairs = run(["Qvar 100_Inha 100mcg (200 D)"], ["Qvar 50 inhaler"])
    assert autos(pairs) == set()


def test_a_paediatric_version_is_another_product() -> None:
    # the national list holds a linctus and its paediatric version side by side: the word distinguishes them
    assert autos(run(["SIMPLE LINCTUS Paed"], ["Simple linctus"])) == set()
    assert autos(run(["SIMPLE LINCTUS Paed"], ["Simple linctus paediatric", "Simple linctus"])) == {("L0", "R0")}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # today's names write "inhaler" for a pressurised inhaler, not a dry powder one
        ("Salbutamol 100micrograms/dose inhaler", "Salbutamol 100micrograms/dose dry powder inhaler"),
        # ... and a device named for a pressurised inhaler
        ("Ventolin 100micrograms/dose Evohaler", "Salbutamol 100micrograms/dose dry powder inhaler"),
        # "oral liquid" in today's names is a special, not the licensed oral solution
        ("Ramipril 2.5mg/5ml oral liquid", "Ramipril 2.5mg/5ml oral solution"),
        # an oral powder and granules for oral solution are two products
        ("Sodium citrate 4g oral powder sachets", "Sodium citrate 4g granules for oral solution sachets"),
    ],
)
def test_a_form_written_out_as_todays_names_write_it_is_its_own_form(left: str, right: str) -> None:
    pairs = run([left], [right])
    assert autos(pairs) == set()
    assert "is its own form" in pairs[0].evidence.text


def test_the_same_form_shortened_in_an_older_name_may_still_be_any_of_its_family() -> None:
    # "Inha" says an inhaler without saying which kind: the national list tells the kinds apart, not the word
    pairs = run(["Budesonide_Inha 200mcg (200 D)"], ["Budesonide 200micrograms/dose dry powder inhaler"])
    assert autos(pairs) == {("L0", "R0")}
    assert "inhaler may be dry powder inhaler" in pairs[0].evidence.text
