"""Parsing medicine names into components (``harmonise.matching.parse``)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harmonise.matching.knowledge import load_knowledge
from harmonise.matching.parse import normalise, parse_name


@pytest.mark.parametrize(
    ("name", "substances", "strengths", "form", "release"),
    [
        ("Gliclazide_Tab 60mg M/R", ("gliclazide",), ("60mg",), "tablets", "modified-release"),
        ("Gliclazide 60mg modified-release tablets", ("gliclazide",), ("60mg",), "tablets", "modified-release"),
        ("AMLODIPINE Tabs 5 mg", ("amlodipine",), ("5mg",), "tablets", ""),
        ("Amlodipine (as besilate) 5 mg tablets", ("amlodipine",), ("5mg",), "tablets", ""),
        ("Sod Bicarb_Oral Soln 420mg/5ml", ("sodium",), ("84mg/ml",), "oral solution", ""),
        ("Pramipexole_Tab 180mcg", ("pramipexole",), ("180microgram",), "tablets", ""),
        ("Pramipexole 0.18mg tablets", ("pramipexole",), ("180microgram",), "tablets", ""),
        ("Levothyroxine 500nanograms tablets", ("levothyroxine",), ("0.5microgram",), "tablets", ""),
        ("Lanthanum carbonate 1000mg chewable tablets", ("lanthanum",), ("1g",), "chewable tablets", ""),
        ("Lactulose 2.5g/5ml oral solution", ("lactulose",), ("500mg/ml",), "oral solution", ""),
        ("Methotrexate 10mg/0.2ml inj pre-filled syringes", ("methotrexate",), ("10mg/0.2ml",), "injection", ""),
        ("Co-codamol 30/500 tablets", ("codeine", "paracetamol"), ("30mg", "500mg"), "tablets", ""),
        (
            "Oxycodone HCl/Naloxone HCl_Tab 10/5mgM/R",
            ("oxycodone", "naloxone"),
            ("10mg", "5mg"),
            "tablets",
            "modified-release",
        ),
        ("Esomeprazole_Cap E/C 20mg", ("esomeprazole",), ("20mg",), "capsules", "gastro-resistant"),
        ("Istin 5mg tablets", ("amlodipine",), ("5mg",), "tablets", ""),
        (
            "Rivastigmine 4.6mg/24hours transdermal patches",
            ("rivastigmine",),
            ("4.6mg/24hour",),
            "transdermal patches",
            "",
        ),
        ("Hydrocortisone 1% w/w cream", ("hydrocortisone",), ("1%",), "cream", ""),
        ("Timolol 0.5% eye drops", ("timolol",), ("0.5%",), "eye drops", ""),
    ],
)
def test_components(name: str, substances: tuple, strengths: tuple, form: str, release: str) -> None:
    key = parse_name(name)
    assert key.substances == substances
    assert key.strengths == strengths
    assert key.form == form
    assert key.release == release


@pytest.mark.parametrize(
    ("name", "salts"),
    [
        ("Verapamil HCl_Tab 80mg", (("verapamil", "hydrochloride"),)),
        ("Diclofenac sodium 50mg gastro-resistant tablets", (("diclofenac", "sodium"),)),
        ("Ketotifen Fumar_Tab 1mg", (("ketotifen", "fumarate"),)),
        ("Amlodipine 5mg tablets", ()),
    ],
)
def test_salts_from_the_allow_list(name: str, salts: tuple) -> None:
    assert parse_name(name).salts == salts


def test_isosorbide_mononitrate_and_dinitrate_stay_different_substances() -> None:
    assert parse_name("Isosorbide Mononit_Tab 20mg").substances == ("isosorbide mononitrate",)
    assert parse_name("Isosorbide dinitrate 20mg tablets").substances == ("isosorbide dinitrate",)


@pytest.mark.parametrize(
    ("name", "flags"),
    [
        ("Naproxen_Oral Susp 125mg/5ml S/F", ("sugar free",)),
        ("Naproxen 125mg/5ml oral suspension", ()),
        ("Dexamethasone 0.1% eye drops 0.5ml unit dose preservative free", ("preservative free",)),
    ],
)
def test_flags(name: str, flags: tuple) -> None:
    assert parse_name(name).flags == flags


def test_brand_in_brackets_is_recorded_not_a_substance() -> None:
    key = parse_name("Ezetimibe (Ezetrol®) 10mg tabs")
    assert key.brand == "ezetrol"
    assert key.substances == ("ezetimibe",)


def test_row_listing_several_strengths_keeps_every_strength() -> None:
    key = parse_name("Amlodipine tablets 5mg, 10mg")
    assert key.options == ("5mg", "10mg")


def test_thousands_separator_is_not_a_list() -> None:
    key = parse_name("Colecalciferol 25,000units/1ml oral solution")
    assert key.strengths == ("25000unit/ml",)
    assert key.options == ()


def test_injection_concentration_times_fill_volume() -> None:
    assert parse_name("Dalteparin Sod_Inj 25,000u/ml 0.2ml Pfs").strengths == ("5000unit/0.2ml",)


def test_normalisation_notes_say_what_was_read() -> None:
    assert "m/r read as modified-release" in parse_name("Gliclazide_Tab 60mg M/R").notes


def test_workspace_knowledge_extends_the_shipped_lists(tmp_path) -> None:
    (tmp_path / "brands.yaml").write_text("brands:\n  zorbix: amlodipine\n", encoding="utf-8")
    knowledge = load_knowledge([tmp_path])
    assert parse_name("Zorbix 5mg tablets", knowledge).substances == ("amlodipine",)
    assert parse_name("Zorbix 5mg tablets").substances == ("zorbix",)


def test_invalid_knowledge_file_is_reported_with_file_and_line(tmp_path) -> None:
    from harmonise.errors import InputError

    (tmp_path / "bad.yaml").write_text("brandz:\n  x: y\nsalts: notalist\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_knowledge([tmp_path])
    message = str(caught.value)
    assert "bad.yaml:1" in message and "did you mean brands?" in message
    assert "bad.yaml:3" in message and "salts" in message


SUBSTANCES = st.sampled_from(
    [
        "Amlodipine",
        "Sod Chlor",
        "Gliclazide",
        "co-codamol",
        "Istin",
        "Paracet/Codeine",
        "Diclofenac sodium",
        "Insulin aspart",
    ]
)
STRENGTHS = st.sampled_from(["5mg", "2.5g/5ml", "30/500", "1,000u", "500 µg", "0.5%", "10mg/0.2ml", ""])
FORMS = st.sampled_from(["Tab", "tablets", "inj", "Eye Dps", "oral solution", "Crm", "capsules", ""])
EXTRAS = st.sampled_from(["M/R", "S/F", "modified-release", "(Istin®)", "gastro-resistant", "", "5ml ampoules"])
REALISTIC = st.tuples(SUBSTANCES, STRENGTHS, FORMS, EXTRAS).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    key = parse_name(text)
    assert isinstance(key.canonical, str)
    assert isinstance(normalise(key.canonical), str)


@settings(max_examples=200, deadline=None)
@given(REALISTIC)
def test_normalising_a_normalised_name_changes_nothing(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert parse_name(once).substances == parse_name(text).substances


def test_a_bare_list_of_numbers_takes_the_unit_written_after_the_last() -> None:
    """``AMLODIPINE Tabs 5, 10 mg``: a row listing strengths writes the unit once, after the last number."""
    assert parse_name("AMLODIPINE Tabs 5, 10 mg").options == ("5mg", "10mg")


@pytest.mark.parametrize(
    ("name", "worn"),
    [("Estradiol 50micrograms/24hours 7-day patches", "day7wear"), ("Fentanyl_Patch 72-hour 25mcg/hr", "hour72wear")],
)
def test_how_long_a_patch_is_worn_is_one_word_never_a_strength(name: str, worn: str) -> None:
    """``7-day``, ``72-hour``: how long a patch is worn is kept as one word both names must state, never a number
    read into the strength."""
    key = parse_name(name)
    assert worn in key.residual
    assert not any(s.startswith(("7", "72")) for s in key.strengths)
