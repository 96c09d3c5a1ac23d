"""Resolving a name against the national list: a name that fits two current products is never automatic."""

from __future__ import annotations

from pathlib import Path

import pytest

from harmonise.matching import Named, Pair, match_names
from harmonise.matching.reference import load_reference

HEADER = (
    "BNF Chapter,BNF Chapter Code,BNF Chemical Substance,BNF Chemical Substance Code,BNF Product,"
    "BNF Product Code,BNF Presentation,BNF Presentation Code\n"
)
PPI = "Gastro-Intestinal System,01,Pantoprazole,0103050T0,"
POWDER = PPI + "Pantoprazole,0103050T0AA,Pantoprazole 40mg pdr for soln inj vials,0103050T0AAACAC"
SOLUTION = PPI + "Pantoprazole,0103050T0AA,Pantoprazole 40mg inj vials,0103050T0AAADAD"
BRAND = PPI + "Protium,0103050T0BB,Protium 40mg pdr for soln inj vials,0103050T0BBAAAC"


def match(tmp_path: Path, left: str, right: str, *rows: str) -> list[Pair]:
    path = tmp_path / "bnf.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return match_names([Named("L0", left)], [Named("R0", right)], reference=load_reference(path))


def test_a_name_that_fits_two_current_products_is_a_candidate_naming_the_other(tmp_path: Path) -> None:
    # "Inj 40mg Vial" does not say whether it is the powder or the solution; both are current products
    pairs = match(tmp_path, "PANTOPRAZOLE Inj 40mg Vial", "Pantoprazole 40mg pdr for soln inj vials", POWDER, SOLUTION)
    assert [p.decision for p in pairs] == ["candidate"]
    # the national list holds injections as powder and as solution: a doubt already in the comparison (the
    # derived container_forms), or else the other fitting product named
    text = pairs[0].evidence.text
    assert "container powder stated on one side only" in text or "also fits another current product" in text


def test_a_name_that_fits_one_current_product_only_is_still_automatic(tmp_path: Path) -> None:
    pairs = match(tmp_path, "PANTOPRAZOLE Inj 40mg Vial", "Pantoprazole 40mg pdr for soln inj vials", POWDER, BRAND)
    assert [p.decision for p in pairs] == ["auto"]  # the brand is the same product, not a second fit


@pytest.mark.parametrize(
    "left",
    ["Pantoprazole 40mg pdr for soln inj vials", "PANTOPRAZOLE Pdr For Soln Inj 40mg Vial"],
)
def test_a_name_that_says_which_one_it_is_resolves(tmp_path: Path, left: str) -> None:
    pairs = match(tmp_path, left, "Pantoprazole 40mg pdr for soln inj vials", POWDER, SOLUTION)
    assert [p.decision for p in pairs] == ["auto"]


PROMAZINE = "Central Nervous System,04,Chlorpromazine hydrochloride,0402010D0,Chlorpromazine,0402010D0AA,"
PROMAZINE += "Chlorpromazine 25mg/5ml oral solution,0402010D0AAAIAI"
PROPAMIDE = "Endocrine System,06,Chlorpropamide,0601021E0,Chlorpropamide,0601021E0AA,"
PROPAMIDE += "Chlorpropamide 100mg tablets,0601021E0AAABAB"
# not a product on the market: a second presentation the shortened name would fit, to show the doubt stays
PROPAMIDE_LIQUID = "Endocrine System,06,Chlorpropamide,0601021E0,Chlorpropamide,0601021E0AA,"
PROPAMIDE_LIQUID += "Chlorpropamide 25mg/5ml oral solution,0601021E0AAACAC"
LEFT, RIGHT = "Chlorpro_Oral Soln 25mg/5ml", "Chlorpromazine 25mg/5ml oral solution"


def test_a_shortened_substance_that_only_one_current_presentation_fits_is_settled(tmp_path: Path) -> None:
    # "Chlorpro" could be chlorpromazine or chlorpropamide; only one of them is a 25mg/5ml oral solution
    pairs = match(tmp_path, LEFT, RIGHT, PROMAZINE, PROPAMIDE)
    assert [p.decision for p in pairs] == ["auto"]
    settled = "the only current BNF presentation it fits is Chlorpromazine 25mg/5ml oral solution"
    assert settled in pairs[0].evidence.text


def test_a_shortened_substance_that_two_current_presentations_fit_stays_a_candidate(tmp_path: Path) -> None:
    pairs = match(tmp_path, LEFT, RIGHT, PROMAZINE, PROPAMIDE, PROPAMIDE_LIQUID)
    assert [p.decision for p in pairs] == ["candidate"]
    assert "substance guessed from a shortened name" in pairs[0].evidence.text


FURO = "Cardiovascular System,02,Furosemide,0202020L0,"
LASIX_20 = FURO + "Lasix,0202020L0BB,Lasix 20mg tablets,0202020L0BBAAAA"
LASIX_40 = FURO + "Lasix,0202020L0BB,Lasix 40mg tablets,0202020L0BBABAB"
LASIX_LIQUID = FURO + "Lasix,0202020L0BB,Lasix 5mg/5ml oral solution,0202020L0BBACAC"
HEPARINOID = "Cardiovascular System,02,Heparinoid,0208010H0,"
HIRUDOID_CREAM = HEPARINOID + "Hirudoid,0208010H0BB,Hirudoid 0.3% cream,0208010H0BBAAAA"
HIRUDOID_GEL = HEPARINOID + "Hirudoid,0208010H0BB,Hirudoid 0.3% gel,0208010H0BBABAB"


def test_a_brand_without_its_strength_is_the_one_presentation_of_its_line_in_that_form(tmp_path: Path) -> None:
    pairs = match(tmp_path, "Hirudoid_Crm", "Hirudoid 0.3% cream", HIRUDOID_CREAM, HIRUDOID_GEL)
    assert [p.decision for p in pairs] == ["auto"]
    assert "settled: the only current BNF presentation it fits is Hirudoid 0.3% cream" in pairs[0].evidence.text


def test_a_brand_without_its_strength_stays_a_candidate_when_its_line_has_two(tmp_path: Path) -> None:
    pairs = match(tmp_path, "Lasix_Tab", "Lasix 20mg tablets", LASIX_20, LASIX_40, LASIX_LIQUID)
    assert [p.decision for p in pairs] == ["candidate"]
    assert "strength 20mg stated on one side only" in pairs[0].evidence.text


def test_a_generic_name_without_its_strength_is_never_settled_by_the_list(tmp_path: Path) -> None:
    generic = FURO + "Furosemide,0202020L0AA,Furosemide 20mg tablets,0202020L0AAAAAA"
    pairs = match(tmp_path, "Furosemide_Tab", "Furosemide 20mg tablets", generic)
    assert [p.decision for p in pairs] == ["candidate"]


LANTH = "Nutrition and blood,09,Lanthanum carbonate,0905021L0,"
LANTH_CHEW = LANTH + "Lanthanum carbonate,0905021L0AA,Lanthanum carbonate 750mg chewable tablets,0905021L0AAAAAA"
LANTH_CHEW_SF = (
    LANTH + "Lanthanum carbonate,0905021L0AA,Lanthanum carbonate 750mg chewable tablets sugar free,0905021L0AAABAB"
)
SALB = "Respiratory System,03,Salbutamol,0301011R0,"
SALB_CFC_FREE = SALB + "Salbutamol,0301011R0AA,Salbutamol 100micrograms/dose inhaler CFC free,0301011R0AAAPAP"


def test_a_flag_the_name_states_is_settled_when_the_list_holds_no_product_with_it(tmp_path: Path) -> None:
    left, right = "Lanthanum Carb_Tab Chble 750mg S/F", "Lanthanum carbonate 750mg chewable tablets"
    pairs = match(tmp_path, left, right, LANTH_CHEW)
    assert [p.decision for p in pairs] == ["auto"]
    assert "sugar free on one side only; settled: the only current BNF presentation it fits" in pairs[0].evidence.text
    # the list holds the sugar-free product too: the name means that one, not the right name
    assert [p.decision for p in match(tmp_path, left, right, LANTH_CHEW, LANTH_CHEW_SF)] == ["candidate"]


def test_a_flag_only_the_current_presentation_states_stays_a_doubt(tmp_path: Path) -> None:
    # the legacy name may be the CFC-containing inhaler the list no longer holds
    pairs = match(tmp_path, "Salbutamol_Inha 100mcg", "Salbutamol 100micrograms/dose inhaler CFC free", SALB_CFC_FREE)
    assert [p.decision for p in pairs] == ["candidate"]
    assert "cfc free on one side only" in pairs[0].evidence.text
