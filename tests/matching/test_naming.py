"""How an item is named: its current BNF name when it resolved to one presentation and names no brand, else the
name of the source that writes names best (fewest words in capitals or shortened), whatever the config order."""

from __future__ import annotations

import pytest

from harmonise.matching.cluster import MatchOptions, build_items
from harmonise.matching.knowledge import load_knowledge
from harmonise.matching.naming import best_formed, item_name, names_brand, shortened, shouted
from harmonise.matching.reference import load_reference, shipped_pack
from harmonise.model import BNF_NAMED, Chapter, Entry, Position, Provenance, content_key

KNOWLEDGE = load_knowledge()
CHAPTER = Chapter("2", "02-cardiovascular", "Cardiovascular system")


def entry(source: str, name: str, formulation: str = "", row: int = 2) -> Entry:
    key = content_key(source, name, formulation)
    where = Provenance(f"{source}.xlsx", "Formulary", row)
    return Entry(source, name, where, formulation, status="green", status_word="Green", key=key)


def position(source: str, *names: tuple[str, str]) -> Position:
    return Position(source, tuple(entry(source, n, f, i + 2) for i, (n, f) in enumerate(names)))


@pytest.mark.parametrize(
    ("name", "capitals", "short"),
    [
        ("FUROSEMIDE Tabs 500 mg", 1, 1),
        ("Furosemide Tablets 500mg", 0, 0),
        ("GLYCERYL TRINITRATE S/L spray 400 mcg/dose", 2, 2),  # S/L read as sublingual; mcg for micrograms
        ("Glyceryl trinitrate Sublingual spray 400 micrograms/dose", 0, 0),
        ("ISOSORBIDE MONONITRATE MR Tabs 60 mg", 2, 2),  # MR is not shouting (two letters) but is shortened
        ("Nifedipine Modified-release tablets 30mg", 0, 0),
        ("Digoxin Tablets 1 tablet", 0, 0),  # a singular read as its plural is not shortened
        ("NovoRapid 100units/ml solution for injection 3ml cartridges", 0, 0),  # a brand read as its substance
        ("Salbutamol CFC-free inhaler 100 micrograms/dose", 0, 0),  # CFC: an acronym; 'CFC-free' only respelt
        ("CO-CODAMOL Caps 30/500", 1, 1),
    ],
)
def test_defects_of_a_name_are_words_in_capitals_and_shortened_words(name: str, capitals: int, short: int) -> None:
    assert (shouted(name), shortened(name, KNOWLEDGE)) == (capitals, short)


def test_best_formed_source_wins_whatever_the_config_order() -> None:
    mersey = position("merseyside", ("FUROSEMIDE", "Tabs 20 mg"), ("FUROSEMIDE", "Tabs 40 mg"))
    cheshire = position("cheshire", ("Furosemide", "Tablets 20mg, 40mg"))
    wirral = position("wirral")  # does not list it
    assert best_formed((mersey, wirral, cheshire), KNOWLEDGE).source == "cheshire"
    assert best_formed((cheshire, mersey), KNOWLEDGE).source == "cheshire"


def test_equally_well_formed_sources_go_by_config_order() -> None:
    first = position("wirral", ("Amlodipine 5mg tablets", ""))
    second = position("cheshire", ("Amlodipine", "Tablets 5mg"))
    assert best_formed((first, second), KNOWLEDGE).source == "wirral"
    assert best_formed((second, first), KNOWLEDGE).source == "cheshire"


def test_a_brand_the_formulary_names_is_kept_over_the_generic_current_name() -> None:
    plain = (position("cheshire", ("Sildenafil", "Tablets 20mg")), position("merseyside", ("SILDENAFIL", "Tabs 20 mg")))
    assert item_name(plain, "Sildenafil 20mg tablets", KNOWLEDGE) == ("Sildenafil 20mg tablets", BNF_NAMED)
    branded = (position("cheshire", ("Sildenafil (Revatio®)", "Tablets 20mg")), plain[1])
    assert item_name(branded, "Sildenafil 20mg tablets", KNOWLEDGE) == (
        "Sildenafil (Revatio®) Tablets 20mg",
        "cheshire",
    )


@pytest.mark.skipif(shipped_pack() is None, reason="the shipped BNF reference pack is not installed")
def test_items_are_named_by_their_current_bnf_name_else_the_best_formed_legacy_name() -> None:
    options = MatchOptions(knowledge=KNOWLEDGE, reference=load_reference(shipped_pack()))  # type: ignore[arg-type]
    cheshire = [
        entry("cheshire", "Furosemide", "Tablets 20mg, 40mg"),
        entry("cheshire", "Atorvastatin", "Tablets 20mg", 3),
    ]
    mersey = [
        entry("merseyside", "FUROSEMIDE", "Tabs 20 mg"),
        entry("merseyside", "FUROSEMIDE", "Tabs 40 mg", 3),
        entry("merseyside", "FUROSEMIDE", "Tabs 500 mg", 4),
        entry("merseyside", "ATORVASTATIN", "Tabs 20 mg", 5),
    ]
    items = build_items(CHAPTER, [("cheshire", cheshire), ("merseyside", mersey)], options)
    named = {i.name: i.named_from for i in items}
    assert named == {
        "Atorvastatin 20mg tablets": BNF_NAMED,  # both formularies' rows resolve to one current presentation
        "Furosemide 500mg tablets": BNF_NAMED,  # listed by Merseyside only, as 'FUROSEMIDE Tabs 500 mg'
        "Furosemide Tablets 20mg, 40mg": "cheshire",  # two strengths: no one presentation; Cheshire's name
    }


@pytest.mark.skipif(shipped_pack() is None, reason="the shipped BNF reference pack is not installed")
@pytest.mark.parametrize(
    ("name", "brand"),
    [
        ("Prolia 60mg/1ml solution for injection pre-filled syringes", True),  # a brand of the national list
        ("Trulicity 1.5mg/0.5ml pre-filled pen", True),
        ("Actrapid 100units/ml solution for injection 10ml vials", True),  # a current brand presentation's name
        ("Insulin aspart (NovoRapid®) FlexPen 100 units/mL", True),  # a brand in brackets
        ("Denosumab 60mg/1ml solution for injection pre-filled syringes", False),
        ("Insulin soluble human 100units/ml inj 10ml vials", False),
        ("FUROSEMIDE Tabs 500 mg", False),
    ],
)
def test_a_name_names_a_brand_by_the_knowledge_or_the_national_list(name: str, brand: bool) -> None:
    assert names_brand(name, KNOWLEDGE, load_reference(shipped_pack())) is brand  # type: ignore[arg-type]
