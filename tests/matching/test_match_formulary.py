"""Formulary naming styles (the bundled example workspace writes both): bracketed brands, S/L, micronised,
salts, liquids, sachets, dosing frequency, devices and brands named as the substance."""

from __future__ import annotations

import pytest
from match_helpers import autos, run


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Sildenafil (Revatio®) Tablets 20mg", "SILDENAFIL (Revatio) Tabs 20 mg"),
        ("GLYCERYL TRINITRATE S/L spray 400 mcg/dose", "Glyceryl trinitrate Sublingual spray 400 micrograms/dose"),
        ("Fenofibrate (micronised) Capsules 67mg", "FENOFIBRATE Micronised Caps 67 mg"),
        ("Naftidrofuryl oxalate Capsules 100mg", "NAFTIDROFURYL Caps 100 mg"),
        ("LITHIUM CITRATE Liquid 520 mg/5 ml", "Lithium citrate Oral solution 520mg/5mL"),
        ("Colestyramine Powder sachets 4g", "COLESTYRAMINE Sachets 4 g"),
        ("Nifedipine Modified-release tablets 30mg (once daily)", "NIFEDIPINE MR Tabs 30 mg (od)"),
        ("Doxazosin Modified-release tablets 4mg (Cardura® XL)", "DOXAZOSIN MR Tabs 4 mg"),
        ("Elleste Solo 1mg tablets", "Estradiol (Elleste Solo®) Tablets 1mg"),
    ],
)
def test_same_product_in_formulary_styles_is_auto(left: str, right: str) -> None:
    assert autos(run([left], [right])) == {("L0", "R0")}


@pytest.mark.parametrize(
    ("left", "right", "doubt"),
    [
        (
            "Nifedipine Modified-release tablets 10mg (twice daily)",
            "NIFEDIPINE MR Tabs 10 mg (od)",
            "VETO dosing frequency differs: twice daily vs once daily",
        ),
        ("Sildenafil (Revatio®) Tablets 20mg", "SILDENAFIL (Viagra) Tabs 20 mg", "words not understood"),
        ("Semaglutide (Ozempic®) Pre-filled pen 1mg", "Semaglutide (Wegovy®) Pre-filled pen 1mg", "brands differ"),
        ("Fenofibrate Capsules 67mg", "FENOFIBRATE Micronised Caps 67 mg", "micronised on one side only"),
        ("Nifedipine Modified-release tablets 30mg", "NIFEDIPINE MR Tabs 30 mg (od)", "dosing frequency once daily"),
        (
            "Tiotropium 18microgram inhalation powder capsules",
            "Tiotropium 18microgram inhalation powder capsules with device",
            "with device on one side only",
        ),
        # the brand comes as a pre-filled syringe and as a pre-filled pen: "Inj" alone could be either
        (
            "Fremanezumab (Ajovy®) Pre-filled syringe 225mg",
            "FREMANEZUMAB (Ajovy) Inj 225 mg",
            "container pre-filled syringes stated on one side only",
        ),
    ],
)
def test_a_difference_or_a_word_on_one_side_only_is_a_doubt(left: str, right: str, doubt: str) -> None:
    pairs = run([left], [right])
    assert not autos(pairs)
    assert doubt in pairs[0].evidence.text


def test_once_and_twice_daily_products_each_find_their_own() -> None:
    left = [
        "Nifedipine Modified-release tablets 10mg, 20mg (twice daily)",
        "Nifedipine Modified-release tablets 30mg, 60mg (once daily)",
    ]
    right = ["NIFEDIPINE MR Tabs 10 mg, 20 mg (bd)", "NIFEDIPINE MR Tabs 30 mg, 60 mg (od)"]
    assert autos(run(left, right)) == {("L0", "R0"), ("L1", "R1")}
