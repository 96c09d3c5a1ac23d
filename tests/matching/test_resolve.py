"""Resolving a name against the national list: a name that fits two current products is never automatic."""

from __future__ import annotations

from pathlib import Path

import pytest

from harmonise.matching import Named, Pair, match_names
from harmonise.matching.decide import reference_words
from harmonise.matching.knowledge import load_knowledge
from harmonise.matching.known import KnownSubstances
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


def decided(tmp_path: Path, left: str, right: str, *rows: str) -> tuple[str, str]:
    """The decision and the evidence of the one pair ``match`` gives."""
    [pair] = match(tmp_path, left, right, *rows)
    return pair.decision, pair.evidence.text


def settled_only_alone(tmp_path: Path, left: str, right: str, rows: tuple[str, ...], other: str) -> tuple[str, str]:
    """The evidence of the pair, automatic with ``rows``; asserts it is a candidate once ``other`` is listed too,
    and returns that candidate's evidence."""
    assert decided(tmp_path, left, right, *rows)[0] == "auto"
    decision, text = decided(tmp_path, left, right, *rows, other)
    assert decision == "candidate"
    return decided(tmp_path, left, right, *rows)[1], text


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


def test_an_injection_not_saying_powder_fits_the_powder_as_well_as_the_vials_saying_nothing(tmp_path: Path) -> None:
    """``Pantoprazole_Inj 40mg Vl``: older names leave unsaid whether the vial holds a powder. Against the current
    ``... inj vials`` (which does not say either) it fits the exact wording, but the national list also holds the
    powder, differing only by that: the name may be either, so neither is automatic, and the other is named."""
    decision, text = decided(tmp_path, "Pantoprazole_Inj 40mg Vl", "Pantoprazole 40mg inj vials", POWDER, SOLUTION)
    assert decision == "candidate"
    assert "also fits another current product: Pantoprazole 40mg pdr for soln inj vials" in text
    # the list holding the vials only, the name is them; a name saying powder is the powder
    assert decided(tmp_path, "Pantoprazole_Inj 40mg Vl", "Pantoprazole 40mg inj vials", SOLUTION)[0] == "auto"
    pdr = "Pantoprazole_Pdr For Inj 40mg Vl"
    assert decided(tmp_path, pdr, "Pantoprazole 40mg pdr for soln inj vials", POWDER, SOLUTION)[0] == "auto"


def test_without_the_national_list_an_injection_not_saying_powder_is_no_automatic_match_when_both_are_listed() -> None:
    """The same doubt with the other formulary as the only list: it holds the vials and the powder of one
    injection, and a name saying neither fits both."""
    right = ["Esomeprazole 40mg inj vials", "Esomeprazole 40mg powder for solution for injection vials"]
    pairs = match_names([Named("L0", "Esomeprazole_Inj 40mg Vl")], [Named(f"R{i}", n) for i, n in enumerate(right)])
    assert [p.decision for p in pairs] == ["candidate", "candidate"]
    assert "its powder: Esomeprazole 40mg powder for solution for injection vials" in pairs[0].evidence.text
    [pair] = match_names([Named("L0", "Esomeprazole_Inj 40mg Vl")], [Named("R0", right[0])])
    assert pair.decision == "auto"


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
    decision, text = decided(tmp_path, LEFT, RIGHT, PROMAZINE, PROPAMIDE)
    assert decision == "auto"
    assert "the only current BNF presentation it fits is Chlorpromazine 25mg/5ml oral solution" in text


def test_a_shortened_substance_that_two_current_presentations_fit_stays_a_candidate(tmp_path: Path) -> None:
    decision, text = decided(tmp_path, LEFT, RIGHT, PROMAZINE, PROPAMIDE, PROPAMIDE_LIQUID)
    assert decision == "candidate"
    assert "substance guessed from a shortened name" in text


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


INSULIN = "Endocrine System,06,Insulin soluble human,0601011N0,Insulin soluble human,0601011N0AA,"
SOLUBLE_10ML = INSULIN + "Insulin soluble human 100units/ml inj 10ml vials,0601011N0AAAAAA"
SOLUBLE_5ML = INSULIN + "Insulin soluble human 100units/ml inj 5ml vials,0601011N0AAABAB"
# not a product on the market: a second concentration in the same vial, to show the doubt stays
SOLUBLE_10ML_U40 = INSULIN + "Insulin soluble human 40units/ml inj 10ml vials,0601011N0AAACAC"


def test_a_generic_name_stating_its_fill_but_no_strength_is_the_one_presentation_of_that_fill(tmp_path: Path) -> None:
    """``Ins Solb Hum_Inj 10ml Vl``: the older name leaves an insulin's 100 units/ml unsaid but states its fill;
    the 5ml vial is another product (its fill differs), so the 10ml vial is the only current one it fits."""
    left, right = "Ins Solb Hum_Inj 10ml Vl", "Insulin soluble human 100units/ml inj 10ml vials"
    decision, text = decided(tmp_path, left, right, SOLUBLE_10ML, SOLUBLE_5ML)
    assert decision == "auto"
    assert "settled: the only current BNF presentation it fits is " + right in text
    # a second concentration in that fill leaves the doubt; without the national list it stays one too
    assert decided(tmp_path, left, right, SOLUBLE_10ML, SOLUBLE_10ML_U40)[0] == "candidate"
    [pair] = match_names([Named("L0", left)], [Named("R0", right)])
    assert pair.decision == "candidate" and "stated on one side only" in pair.evidence.text


def test_a_fill_stated_without_a_strength_differs_from_a_strength_of_another_fill() -> None:
    """``10ml Vl`` against ``500units/5ml``: the other name's strength is the content of a 5ml fill, another
    product whatever the strength; the same fill stays a doubt about the strength only."""
    left = "Ins Solb Hum_Inj 10ml Vl"
    [pair] = match_names([Named("L0", left)], [Named("R0", "Insulin soluble human 100units/ml inj 5ml vials")])
    assert pair.evidence.vetoes == ("fill differs: 10ml vs 500unit/5ml",)
    [pair] = match_names([Named("L0", left)], [Named("R0", "Insulin soluble human 100units/ml inj 10ml vials")])
    assert not pair.evidence.vetoes


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


RITO = "Infections,05,Ritonavir,0503010W0,Ritonavir,0503010W0AA,"
RITO_SF = RITO + "Ritonavir 80mg/1ml oral solution sugar free,0503010W0AAABAB"
# not a product on the market: the same solution with sugar
RITO_SUGAR = RITO + "Ritonavir 80mg/1ml oral solution,0503010W0AAACAC"


def test_sugar_free_only_the_current_presentation_states_is_settled_when_the_list_holds_it_only_so(
    tmp_path: Path,
) -> None:
    # an older name leaves sugar free out of a product that is sugar free
    # (the list holds it with sugar too: the name fits that one exactly, so it may be either)
    left, right = "Ritonavir_Oral Soln 400mg/5ml", "Ritonavir 80mg/1ml oral solution sugar free"
    settled, kept = settled_only_alone(tmp_path, left, right, (RITO_SF,), RITO_SUGAR)
    assert "(sugar free, which the name does not say: the list holds it only so)" in settled
    assert "sugar free on one side only" in kept
    # a solution the list holds besides, with words of its own, is one the name may be as well
    imported = RITO + "Ritonavir 80mg/1ml oral solution (Imported),0503010W0AAADAD"
    assert decided(tmp_path, left, right, RITO_SF, imported)[0] == "candidate"


LEVO = "Respiratory System,03,Levofloxacin,0501120L0,Levofloxacin,0501120L0AA,"
LEVO_NEB = LEVO + "Levofloxacin 100mg/ml nebuliser liquid ampoules,0501120L0AAAEAE"
# not products on the market: the fill the name states as a product of its own, and another fill
LEVO_NEB_3ML = LEVO + "Levofloxacin 300mg/3ml nebuliser liquid ampoules,0501120L0AAAFAF"
LEVO_NEB_5ML = LEVO + "Levofloxacin 500mg/5ml nebuliser liquid ampoules,0501120L0AAAGAG"
TEICO = "Infections,05,Teicoplanin,0501070T0,Teicoplanin,0501070T0AA,"
TEICO_POWDER = TEICO + "Teicoplanin 400mg powder for solution for injection vials,0501070T0AAAAAA"
# not a product on the market: a solution the name without "(Dry)" would fit as well
TEICO_SOLUTION = TEICO + "Teicoplanin 400mg/50ml solution for infusion vials,0501070T0AAABAB"


def test_a_fill_only_the_name_states_is_settled_when_the_list_holds_one_fill(tmp_path: Path) -> None:
    # 300mg in 3ml is 100mg/ml: the current presentation does not say its fill, the legacy name does
    left, right = "Levofloxacin_Neb Soln 300mg/3ml Amp", "Levofloxacin 100mg/ml nebuliser liquid ampoules"
    pairs = match(tmp_path, left, right, LEVO_NEB)
    assert [p.decision for p in pairs] == ["auto"]
    assert "the fill 3ml is stated on one side only; settled" in pairs[0].evidence.text
    # another fill is not what the name states; but a presentation of that very fill may be what it means
    assert [p.decision for p in match(tmp_path, left, right, LEVO_NEB, LEVO_NEB_5ML)] == ["auto"]
    assert [p.decision for p in match(tmp_path, left, right, LEVO_NEB, LEVO_NEB_3ML)] == ["candidate"]
    # the other way round (the current presentation states the fill) stays a doubt: another fill may be meant
    pairs = match(tmp_path, "Levofloxacin_Neb Soln 100mg/ml Amp", "Levofloxacin 500mg/5ml nebuliser liquid ampoules")
    assert [p.decision for p in pairs] == ["candidate"]


def test_a_diluent_volume_only_the_name_states_is_settled_by_the_one_presentation_it_fits(tmp_path: Path) -> None:
    # a powder to make up in 50ml: the current name states its content only
    left, right = "Teicoplanin_I/V Inf 400mg/50ml (Dry)", "Teicoplanin 400mg powder for solution for injection vials"
    pairs = match(tmp_path, left, right, TEICO_POWDER, TEICO_SOLUTION)
    assert [p.decision for p in pairs] == ["auto"]
    evidence = pairs[0].evidence.text
    assert "the volume 50ml is stated on one side only" in evidence and "; settled: the only current" in evidence
    # without "(Dry)" the name may be the powder or the solution of that volume
    left = "Teicoplanin_Inj 400mg/50ml Vl"
    assert [p.decision for p in match(tmp_path, left, right, TEICO_POWDER, TEICO_SOLUTION)] == ["candidate"]


# Classes of the older branded names (T4-legacy-brands style), read with the brands the national list names.
# Codes are made up in the list's shape (characters 10-11 not "AA": a branded presentation).
DILT = "Cardiovascular System,02,Diltiazem hydrochloride,0206020C0,"
TILDIEM_RETARD = DILT + "Tildiem Retard,0206020C0BB,Tildiem Retard 90mg tablets,0206020C0BBAAAA"
TILDIEM = DILT + "Tildiem,0206020C0BC,Tildiem 60mg tablets,0206020C0BCAAAA"
GLIP = "Endocrine System,06,Glipizide,0601021P0,"
MINODIAB_5 = GLIP + "Minodiab,0601021P0BB,Minodiab 5mg tablets,0601021P0BBAAAA"
MINODIAB_2 = GLIP + "Minodiab,0601021P0BB,Minodiab 2.5mg tablets,0601021P0BBABAB"
ROF = "Musculoskeletal,10,Rofecoxib,1001010R0,"
VIOXX_ACUTE = ROF + "VioxxAcute,1001010R0BC,VioxxAcute 50mg tablets,1001010R0BCAAAA"
AZ = "Eye,11,Brinzolamide/Timolol,1106000Z0,"
AZARGA = AZ + "Azarga,1106000Z0BB,Azarga 10mg/ml / 5mg/ml eye drops,1106000Z0BBAAAA"
ISP = "Gastro-Intestinal System,01,Ispaghula husk,0106010E0,"
FYBOGEL = ISP + "Fybogel,0106010E0BB,Fybogel effervescent granules sachets,0106010E0BBAAAA"
FYBOGEL_POWDER = ISP + "Fybogel,0106010E0BB,Fybogel 3.5g oral powder sachets,0106010E0BBABAB"
MIZOLLEN = "Central Nervous System,03,Mizolastine,0304010AA,Mizollen,0304010AABB,"
MIZOLLEN += "Mizollen 10mg modified-release tablets,0304010AABBAAAA"
TEGRETOL = "Central Nervous System,04,Carbamazepine,0408010C0,Tegretol,0408010C0BB,"
TEGRETOL_PR = TEGRETOL + "Tegretol Prolonged Release 200mg tablets,0408010C0BBAEAG"
TEGRETOL_CHEW = TEGRETOL + "Tegretol 200mg Chewtabs,0408010C0BBAHAK"
TEGRETOL_TAB = TEGRETOL + "Tegretol 200mg tablets,0408010C0BBABAC"
EPTACOG = "Cardiovascular System,02,Factor VIIa (Recombinant),0211000Z0,NovoSeven,0211000Z0BB,"
NOVOSEVEN = EPTACOG + '"NovoSeven 1mg (50,000units) inj vials",0211000Z0BBADAD'
NOVOSEVEN_PFS = EPTACOG + '"NovoSeven 1mg (50,000units) inj pfs",0211000Z0BBAHAH'
INDO = "Musculoskeletal,10,Indometacin,1001010K0,Flexin Continus,1001010K0BN,"
FLEXIN = [INDO + f"Flexin-{n} Continus tablets,1001010K0BNA{c}A{k}" for n, c, k in (("75", "A", "J"), ("50", "B", "K"))]
EYE = "Eye,11,Dibrompropamidine isetionate,1103010E0,Golden eye (Ointment),1103010E0BC,"
GOLDEN_EYE = EYE + "Golden Eye 0.15% ointment,1103010E0BCAAAA"
GOLDEN_EYE_ANTIBIOTIC = "Eye,11,Chloramphenicol,1103010C0,Golden eye (Antibiotic),1103010C0BJ,"
GOLDEN_EYE_ANTIBIOTIC += "Golden Eye Antibiotic 1% eye ointment,1103010C0BJAAAD"
LORATADINE = "Respiratory System,03,Loratadine,0304010AA,"
CLARITYN = LORATADINE + "Clarityn,0304010AABC,Clarityn 10mg tablets,0304010AABCAAAA"
CLARITYN_ALLERGY = LORATADINE + "Clarityn Allergy,0304010AABD,Clarityn Allergy 10mg tablets,0304010AABDAAAA"
DILZEM_XL = DILT + "Dilzem XL,0206020C0BF,Dilzem XL 120mg capsules,0206020C0BFAAAB"
DILZEM_SR = DILT + "Dilzem SR,0206020C0BE,Dilzem SR 120mg capsules,0206020C0BEAAAC"


@pytest.mark.parametrize(
    ("left", "right", "rows"),
    [
        # a brand written across the underscore; a brand and its suffix joined by a hyphen
        ("Clarityn_Allergy Tab 10mg", "Clarityn Allergy 10mg tablets", (CLARITYN, CLARITYN_ALLERGY)),
        ("Dilzem-XL_Cap 120mg", "Dilzem XL 120mg capsules", (DILZEM_XL, DILZEM_SR)),
        ("Minodiab-5_Tab 5mg", "Minodiab 5mg tablets", (MINODIAB_5, MINODIAB_2)),
        # "Ret": the brand's retard version; a number in the brand that is its strength
        ("Tildiem Ret 90_Tab 90mg", "Tildiem Retard 90mg tablets", (TILDIEM_RETARD, TILDIEM)),
        ("Minodiab 5_Tab 5mg", "Minodiab 5mg tablets", (MINODIAB_5, MINODIAB_2)),
        # a brand written apart
        ("Vioxx Acute_Tab 50mg", "VioxxAcute 50mg tablets", (VIOXX_ACUTE,)),
        # a combination's strengths in the order the brand writes them, on both sides
        ("Azarga_Eye Dps 10mg/ml / 5mg/ml", "Azarga 10mg/ml / 5mg/ml eye drops", (AZARGA,)),
        # the current presentation names no strength: the only one of the brand in that form
        ("Fybogel_Eff Gran Sach 3.5g", "Fybogel effervescent granules sachets", (FYBOGEL, FYBOGEL_POWDER)),
        # ... also for a product the list names by words that are no brand it knows (the words before the
        # underscore start the current name): the only presentation of them the name fits
        ("Flexin-50 Continus_Tab 50mg", "Flexin-50 Continus tablets", tuple(FLEXIN)),
        ("Golden Eye_Eye Oint", "Golden Eye 0.15% ointment", (GOLDEN_EYE,)),
        # a brand whose every product is modified-release, its older name not saying so
        ("Mizollen_Tab 10mg", "Mizollen 10mg modified-release tablets", (MIZOLLEN,)),
        # a diluent stated by the older name only, its strength in units with the mass stated equivalent
        ("NovoSeven_Inj 50,000u (1mg) Vl + Dil", "NovoSeven 1mg (50,000units) inj vials", (NOVOSEVEN, NOVOSEVEN_PFS)),
    ],
)
def test_classes_of_older_brand_names_are_automatic(tmp_path: Path, left: str, right: str, rows: tuple) -> None:
    assert [p.decision for p in match(tmp_path, left, right, *rows)] == ["auto"]


@pytest.mark.parametrize(
    ("left", "right", "rows"),
    [
        ("Tildiem Ret 90_Tab 90mg", "Tildiem 90mg tablets", (TILDIEM_RETARD, TILDIEM)),
        ("Clarityn_Allergy Tab 10mg", "Clarityn 10mg tablets", (CLARITYN, CLARITYN_ALLERGY)),
        ("Dilzem-XL_Cap 120mg", "Dilzem SR 120mg capsules", (DILZEM_XL, DILZEM_SR)),
        # the number in the brand is not the strength stated
        ("Minodiab 5_Tab 2.5mg", "Minodiab 2.5mg tablets", (MINODIAB_5, MINODIAB_2)),
        ("Minodiab-5_Tab 5mg", "Minodiab 2.5mg tablets", (MINODIAB_5, MINODIAB_2)),
        # the same strengths in another order are another product of the brand (or a doubt)
        ("Azarga_Eye Dps 5mg/ml / 10mg/ml", "Azarga 10mg/ml / 5mg/ml eye drops", (AZARGA,)),
        # a current presentation without strength, but the line holds two in that form
        (
            "Fybogel_Eff Gran Sach 3.5g",
            "Fybogel effervescent granules sachets",
            (FYBOGEL, ISP + "Fybogel,0106010E0BB,Fybogel effervescent granules sachets lemon,0106010E0BBACAC"),
        ),
        # two current products named by those words fit: the antibiotic eye ointment is one too
        ("Golden Eye_Eye Oint", "Golden Eye 0.15% ointment", (GOLDEN_EYE, GOLDEN_EYE_ANTIBIOTIC)),
        # the brand has products of standard release too (Chewtabs): "Tab 200mg" may be a standard tablet
        ("Tegretol_Tab 200mg", "Tegretol Prolonged Release 200mg tablets", (TEGRETOL_PR, TEGRETOL_CHEW)),
        # a name stating modified-release against the brand's standard tablet is another product
        ("Tegretol_Tab 200mg M/R", "Tegretol 200mg tablets", (TEGRETOL_TAB,)),
    ],
)
def test_near_misses_of_older_brand_names_stay_candidates(tmp_path: Path, left: str, right: str, rows: tuple) -> None:
    assert [p.decision for p in match(tmp_path, left, right, *rows)] == ["candidate"]


NACL = "Nutrition and blood,09,Sodium chloride,0902011S0,Sodium chloride,0902011S0AA,"
NACL_SURE_AMP_2 = NACL + "Sodium chloride 0.9% inj 2ml Sure-Amp ampoules,0902011S0AAAHAH"
NACL_SURE_AMP_5 = NACL + "Sodium chloride 0.9% inj 5ml Sure-Amp ampoules,0902011S0AAAIAI"


def test_a_maker_before_the_underscore_is_read_as_the_maker_of_the_product_after_it(tmp_path: Path) -> None:
    # "Sure-Amp" is no substance; "Sod Chlor" after the underscore is one the national list knows
    left, right = "Sure-Amp_Sod Chlor Inj 0.9% 2ml Amp", "Sodium chloride 0.9% inj 2ml Sure-Amp ampoules"
    pairs = match(tmp_path, left, right, NACL_SURE_AMP_2, NACL_SURE_AMP_5)
    assert [p.decision for p in pairs] == ["auto"]
    assert "Sure-Amp read as the maker or range" in pairs[0].evidence.text
    # another fill, or another maker's ampoules, stay apart
    right = "Sodium chloride 0.9% inj 5ml Sure-Amp ampoules"
    assert [p.decision for p in match(tmp_path, left, right, NACL_SURE_AMP_2, NACL_SURE_AMP_5)] == ["candidate"]
    left = "Mini-Plasco_Sod Chlor Inj 0.9% 2ml Amp"
    right = "Sodium chloride 0.9% inj 2ml Sure-Amp ampoules"
    assert [p.decision for p in match(tmp_path, left, right, NACL_SURE_AMP_2, NACL_SURE_AMP_5)] == ["candidate"]


GLUCOSE = "Nutrition and Blood,09,Glucose,0902021G0,Viaflo glucose,0902021G0BG,"
VIAFLO_GLUCOSE = GLUCOSE + "Viaflo glucose 5% infusion 500ml bags,0902021G0BGAAAA"
COLECALCIFEROL = "Nutrition and Blood,09,Colecalciferol,0906040G0,Sunvite Vitamin D3,0906040G0CX,"
SUNVITE_D3 = COLECALCIFEROL + '"Sunvite Vitamin D3 1,000unit capsules",0906040G0CXAAAA'


@pytest.mark.parametrize(
    ("left", "right", "rows"),
    [
        ("Viaflo_Glucose 5% Inf 500ml Bag", "Viaflo glucose 5% infusion 500ml bags", (VIAFLO_GLUCOSE,)),
        ("Sunvite_Vit D3 Cap 1,000u", "Sunvite Vitamin D3 1,000unit capsules", (SUNVITE_D3,)),
    ],
)
def test_a_current_name_starting_with_its_maker_is_read_as_the_maker_and_its_chemical_substance(
    tmp_path: Path, left: str, right: str, rows: tuple
) -> None:
    # the national list files the presentation under the substance the words after the maker name
    pairs = match(tmp_path, left, right, *rows)
    assert [p.decision for p in pairs] == ["auto"]
    assert "read as the maker or range of" in pairs[0].evidence.text
    # another maker's product, or the maker's name alone, stays a candidate
    other = left.replace("Viaflo_", "Polyfusor_").replace("Sunvite_", "Solgar_")
    assert [p.decision for p in match(tmp_path, other, right, *rows)] == ["candidate"]


NACL_AMP_50 = NACL + "Sodium chloride 0.9% solution for injection 50ml ampoules,0902011S0AABCBC"
NACL_BAGS_50 = NACL + "Sodium chloride 0.9% infusion 50ml bags,0902011S0AABDBD"


def test_a_name_without_a_container_is_no_automatic_match_when_the_list_holds_the_product_in_two(
    tmp_path: Path,
) -> None:
    # "I/V Inf 0.9% 50ml" says neither ampoule nor bag: the list holds both, so joining either is a guess
    rows = (NACL_AMP_50, NACL_BAGS_50)
    pairs = match(
        tmp_path, "Sod Chlor_I/V Inf 0.9% 50ml", "Sodium chloride 0.9% solution for injection 50ml ampoules", *rows
    )
    assert [p.decision for p in pairs] == ["candidate"]
    assert "also fits another current product: Sodium chloride 0.9% infusion 50ml bags" in pairs[0].evidence.text
    # ... also when it says what is in the container ("solution for injection"), not which container
    vials = NACL + "Sodium chloride 0.9% solution for injection 5ml vials,0902011S0AABEBE"
    amps = NACL + "Sodium chloride 0.9% solution for injection 5ml ampoules,0902011S0AABFBF"
    left, right = (
        "Sodium chloride 0.9% solution for injection 5ml",
        "Sodium chloride 0.9% solution for injection 5ml ampoules",
    )
    assert [p.decision for p in match(tmp_path, left, right, vials, amps)] == ["candidate"]
    # the name that states the ampoule is that product
    pairs = match(
        tmp_path, "Sod Chlor_I/V Inf 0.9% 50ml Amp", "Sodium chloride 0.9% solution for injection 50ml ampoules", *rows
    )
    assert [p.decision for p in pairs] == ["auto"]


BUDESONIDE = "Respiratory System,03,Budesonide with formoterol,0302000N0,Budesonide with formoterol,0302000N0AA,"
BUD_CFC_FREE = BUDESONIDE + "Budesonide 100microg / Formoterol 3microg/dose inh CFC free,0302000N0AAAGAG"
BUD_DRY_POWDER = BUDESONIDE + "Budesonide 100microg / Formoterol 3microg/dose dry powder inh,0302000N0AAAHAH"


def test_a_shortened_form_is_no_automatic_match_when_the_list_holds_a_product_it_names_better(tmp_path: Path) -> None:
    # "inh" may be any inhaler: the dry powder one, or the pressurised one the list states CFC free
    left, right = (
        "Budesonide/Formoterol_Inh 100mcg/3mcg",
        "Budesonide 100microg / Formoterol 3microg/dose dry powder inh",
    )
    pairs = match(tmp_path, left, right, BUD_CFC_FREE, BUD_DRY_POWDER)
    assert [p.decision for p in pairs] == ["candidate"]
    assert "also fits another current product: Budesonide 100microg / Formoterol 3microg/dose inh CFC free" in (
        pairs[0].evidence.text
    )


NIFEDIPINE = "Cardiovascular System,02,Nifedipine,0206020R0,"
NIFEDIPINE_CAPS = NIFEDIPINE + "Nifedipine,0206020R0AA,Nifedipine 10mg capsules,0206020R0AAAAAA"
CORACTEN_SR = NIFEDIPINE + "Coracten,0206020R0BD,Coracten SR 10mg capsules,0206020R0BDABAB"
ADALAT = NIFEDIPINE + "Adalat,0206020R0BB,Adalat 10mg capsules,0206020R0BBAAAA"
ADALAT_LA = NIFEDIPINE + "Adalat LA,0206020R0BC,Adalat LA 30mg tablets,0206020R0BCACAC"


def test_a_brand_whose_every_product_is_modified_release_is_never_joined_to_a_standard_release_name(
    tmp_path: Path,
) -> None:
    # "Coracten 10mg capsules" leaves out the "SR" every Coracten product has: not the standard capsules
    rows = (NIFEDIPINE_CAPS, CORACTEN_SR, ADALAT, ADALAT_LA)
    pairs = match(tmp_path, "Coracten 10mg capsules", "Nifedipine 10mg capsules", *rows)
    assert [p.decision for p in pairs] == ["candidate"]
    assert "every current product of coracten is modified-release" in pairs[0].evidence.text
    # a brand that also has standard-release products is read as the standard one, as its name says
    assert [p.decision for p in match(tmp_path, "Adalat 10mg capsules", "Nifedipine 10mg capsules", *rows)] == ["auto"]


VALPROATE = "Central Nervous System,04,Sodium valproate,0408010W0,"
VALPROATE_MR = VALPROATE + "Sodium valproate,0408010W0AA,Sodium valproate 300mg modified-release tablets,"
VALPROATE_MR += "0408010W0AAA1A1"
CHRONO = VALPROATE + "Epilim Chrono,0408010W0BB,Epilim Chrono 300 tablets,0408010W0BBAKA1"


def test_a_brand_presentation_has_the_release_its_generic_equivalent_states(tmp_path: Path) -> None:
    """``Epilim Chrono 300 tablets`` leave out that they are modified-release; the national list gives
    ``Sodium valproate 300mg modified-release tablets`` as their generic equivalent, so they are."""
    rows = (VALPROATE_MR, CHRONO)
    decision, text = decided(tmp_path, "Epilim Chrono 300_Tab 300mg C/R", "Epilim Chrono 300 tablets", *rows)
    assert decision == "auto"
    assert "modified-release as its generic equivalent Sodium valproate 300mg modified-release tablets" in text
    # a name of the brand that leaves the release out too is the same product line, as before
    assert decided(tmp_path, "Epilim Chrono 300_Tab 300mg", "Epilim Chrono 300 tablets", *rows)[0] == "auto"
    # ... and never the standard-release product another name states
    decision, text = decided(tmp_path, "Sodium Valproate_Tab 300mg", "Epilim Chrono 300 tablets", *rows)
    assert decision == "candidate"
    assert "release differs: standard vs modified-release" in text


GAS = "Anaesthesia,15,Nitrous oxide,1501020R0,"
NITROUS_G = GAS + "Nitrous oxide,1501020R0BB,Nitrous oxide cylinders size G,1501020R0BBABA0"
NITROUS_E = GAS + "Nitrous oxide,1501020R0BB,Nitrous oxide cylinders size E,1501020R0BBADA0"
ENTONOX_G = GAS + "Entonox,1501020R0BC,Entonox cylinders size G,1501020R0BCACA0"


def test_a_volume_only_the_name_states_is_settled_by_the_one_presentation_it_fits(tmp_path: Path) -> None:
    """A gas cylinder named by its size in the national list and by its size and litres in an older name: the list
    files the product under a product code with no brand in its name, and a brand of its own (Entonox) beside it."""
    rows = (NITROUS_G, NITROUS_E, ENTONOX_G)
    decision, text = decided(tmp_path, "Nitrous Ox_Cylinder Size G 9000L", "Nitrous oxide cylinders size G", *rows)
    assert decision == "auto"
    assert "settled: the only current BNF presentation it fits is Nitrous oxide cylinders size G" in text
    # another size is another product; a name without the size fits both sizes
    assert decided(tmp_path, "Nitrous Ox_Cylinder Size G 9000L", "Nitrous oxide cylinders size E", *rows)[0] == (
        "candidate"
    )
    assert decided(tmp_path, "Nitrous Ox_Cylinder 9000L", "Nitrous oxide cylinders size G", *rows)[0] == "candidate"


JAKEMANS = "Respiratory System,03,Menthol,0309010M0,Jakemans,0309010M0BB,"
JAKEMANS_ORIGINS = JAKEMANS + "Jakemans Origins lozenges,0309010M0BBABAB"


def test_a_shortened_word_that_fits_a_word_of_the_national_lists_names_is_a_guess(tmp_path: Path) -> None:
    # the lists hold only "Original"; the national list also names "Origins": "Orig" may be either
    path = tmp_path / "bnf.csv"
    path.write_text(HEADER + JAKEMANS_ORIGINS + "\n", encoding="utf-8")
    knowledge = load_knowledge()
    listed = reference_words(load_reference(path), knowledge)
    assert "origins" in listed["or"] and "lozenges" in listed["lo"]
    known = KnownSubstances(knowledge, words={"original", "orig"}, listed_words=listed)
    assert known.word_doubt("orig", "original") == "orig could be original or origins"
    assert KnownSubstances(knowledge, words={"original", "orig"}).word_doubt("orig", "original") == ""


NICOTINE = "Central Nervous System,04,Nicotine,0410020A0,Nicorette,0410020A0BB,"
NICORETTE_5 = NICOTINE + "Nicorette 5mg patches,0410020A0BBAAAA"
NICORETTE_10 = NICOTINE + "Nicorette 10mg patches,0410020A0BBABAB"
CANNABIS = "Central Nervous System,04,Cannabidiol/Delta-9-tetrahydrocannabinol,0408010AE,Sativex,0408010AEBB,"
SATIVEX = CANNABIS + "Sativex oromucosal spray,0408010AEBBAAAA"


@pytest.mark.parametrize(
    ("left", "right", "rows"),
    [
        # the time a patch's strength is per, stated by the older name only
        ("Nicorette_Patch 5mg/16hrs", "Nicorette 5mg patches", (NICORETTE_5, NICORETTE_10)),
        # a volume is a pack size, not a strength: stated by one name only, the brand's one spray settles it
        ("Sativex_Oromucosal P/Spy 10ml (90D)", "Sativex oromucosal spray", (SATIVEX,)),
    ],
)
def test_a_quantity_only_an_older_brand_name_states_is_settled_by_its_line(
    tmp_path: Path, left: str, right: str, rows: tuple
) -> None:
    assert [p.decision for p in match(tmp_path, left, right, *rows)] == ["auto"]
    # without the national list the quantity stated on one side only stays a doubt
    assert [p.decision for p in match_names([Named("L0", left)], [Named("R0", right)])] == ["candidate"]


PROMETHAZINE = "Central Nervous System,03,Promethazine hydrochloride,0304010W0,Promethazine,0304010W0AA,"
PROMETHAZINE_SF = PROMETHAZINE + "Promethazine 5mg/5ml oral solution sugar free,0304010W0AAAPAP"
PROMETHAZINE_SUGAR = PROMETHAZINE + "Promethazine 5mg/5ml oral solution,0304010W0AAAUAU"
TEOCLATE = "Central Nervous System,04,Promethazine teoclate,0406000V0,Promethazine teoclate,0406000V0AA,"
TEOCLATE += "Promethazine teoclate 25mg tablets,0406000V0AAAAAA"


def test_a_salt_the_current_name_leaves_to_its_chemical_substance_is_the_presentations_salt(tmp_path: Path) -> None:
    # the national list names the presentation without its salt, but files it under "Promethazine hydrochloride"
    rows = (PROMETHAZINE_SF, PROMETHAZINE_SUGAR, TEOCLATE)
    right = "Promethazine 5mg/5ml oral solution sugar free"
    pairs = match(tmp_path, "Promethazine HCl_Oral Soln 5mg/5ml S/F", right, *rows)
    assert [p.decision for p in pairs] == ["auto"]
    assert "salt hydrochloride from the national list (Promethazine hydrochloride)" in pairs[0].evidence.text
    # a name stating another salt is another product, not a doubt
    pairs = match(tmp_path, "Promethazine Teoclate_Oral Soln 5mg/5ml S/F", right, *rows)
    assert [p.decision for p in pairs] == ["candidate"]
    assert "VETO salt differs" in pairs[0].evidence.text


ESTRADIOL = "Endocrine System,06,Estradiol,0604011G0,Estradiol,0604011G0AA,Estradiol 1mg tablets,0604011G0AABDBD"
VALERATE = "Endocrine System,06,Estradiol valerate,0604011K0,Estradiol valerate,0604011K0AA,"
VALERATE += "Estradiol valerate 1mg tablets,0604011K0AAAAAA"


def test_a_salt_stated_by_the_name_is_looked_for_under_every_chemical_substance_of_the_drug(tmp_path: Path) -> None:
    # estradiol valerate is its own chemical substance in the national list: the name stating valerate is that
    # product, never "the only estradiol 1mg tablet" of the chemical substance Estradiol
    pairs = match(tmp_path, "Estradiol_Val Tab 1mg", "Estradiol 1mg tablets", ESTRADIOL, VALERATE)
    assert [p.decision for p in pairs] == ["candidate"]
    assert "settled" not in pairs[0].evidence.text
    both = [Named("R0", "Estradiol 1mg tablets"), Named("R1", "Estradiol valerate 1mg tablets")]
    path = tmp_path / "bnf.csv"
    pairs = match_names([Named("L0", "Estradiol_Val Tab 1mg")], both, reference=load_reference(path))
    assert [(p.right_id, p.decision) for p in pairs if p.decision == "auto"] == [("R1", "auto")]


ADCAL = "Nutrition and Blood,09,Calcium carbonate,0905011D0,Adcal,0905011D0BB,"
ADCAL += "Adcal 1500mg chewable tablets,0905011D0BBAAAA"


def test_a_brands_current_name_takes_no_salt_from_its_chemical_substance(tmp_path: Path) -> None:
    # the brand says which salt; an older name of the brand states none either, and is the same product
    pairs = match(tmp_path, "Adcal_Tab Chble 1.5g", "Adcal 1500mg chewable tablets", ADCAL)
    assert [p.decision for p in pairs] == ["auto"]


PARACETAMOL = "Central Nervous System,04,Paracetamol,0407010H0,Paracetamol,0407010H0AA,"
PARA_500_5 = PARACETAMOL + "Paracetamol 500mg/5ml oral solution sugar free,0407010H0AADPDP"
PARA_100_1 = PARACETAMOL + "Paracetamol 100mg/ml oral solution sugar free,0407010H0AACNCN"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Paracet_Oral Soln 500mg/5ml S/F", "Paracetamol 500mg/5ml oral solution sugar free"),
        ("PARACETAMOL Oral Soln S/F 100mg/1ml", "Paracetamol 100mg/ml oral solution sugar free"),
    ],
)
def test_two_products_of_one_concentration_are_told_apart_by_how_the_name_writes_it(
    tmp_path: Path, left: str, right: str
) -> None:
    pairs = match(tmp_path, left, right, PARA_500_5, PARA_100_1)
    assert [p.decision for p in pairs] == ["auto"]


def test_a_concentration_written_as_the_other_product_writes_it_is_that_other_product(tmp_path: Path) -> None:
    right = "Paracetamol 500mg/5ml oral solution sugar free"
    pairs = match(tmp_path, "PARACETAMOL Oral Soln S/F 100mg/1ml", right, PARA_500_5, PARA_100_1)
    assert [p.decision for p in pairs] == ["candidate"]
    assert "also fits another current product: Paracetamol 100mg/ml oral solution sugar free" in pairs[0].evidence.text


FERROUS = "Nutrition and Blood,09,Ferrous sulfate,0901011P0,Ferrous sulfate,0901011P0AA,"
FERROUS_PAED = FERROUS + "Ferrous sulfate heptahydrate 60mg/5ml soln paediatric,0901011P0AAABAB"
FERROUS_SOLUTION = FERROUS + "Ferrous sulfate 60mg/5ml oral solution,0901011P0AACKCK"


def test_a_qualifier_the_name_states_is_not_settled_away_when_another_current_product_states_it(
    tmp_path: Path,
) -> None:
    # "Paed" is not in the oral solution's name, and the national list holds a paediatric solution (its name
    # also states the hydration): the name may be that one, whatever the other formulary lists
    left = "Ferr Sulf_Oral Soln Paed 60mg/5ml"
    pairs = match(tmp_path, left, "Ferrous sulfate 60mg/5ml oral solution", FERROUS_PAED, FERROUS_SOLUTION)
    assert [p.decision for p in pairs] == ["candidate"]
    assert "paediatric on one side only" in pairs[0].evidence.text
    assert "settled" not in pairs[0].evidence.text


BETAMETHASONE_FOAM = "Skin,13,Betamethasone valerate,1304000G0,Betamethasone valerate,1304000G0AA,"
BETAMETHASONE_FOAM += "Betamethasone 0.1% foam,1304000G0AAAPAP"


def test_a_salt_only_the_national_list_names_says_nothing_against_a_name_that_states_none(tmp_path: Path) -> None:
    # neither name states the salt: the chemical substance's valerate is no doubt about the older name
    pairs = match(tmp_path, "Betameth_Foam Aero 0.1% 100g", "Betamethasone 0.1% foam", BETAMETHASONE_FOAM)
    assert [p.decision for p in pairs] == ["auto"]
    assert "salt valerate from the national list, not stated by either name" in pairs[0].evidence.text


TRIPTORELIN = "Endocrine System,08,Triptorelin embonate,0803042S0,Triptorelin embonate,0803042S0AA,"
TRIPTORELIN_EMBONATE = TRIPTORELIN + "Triptorelin embonate 11.25mg inj vials,0803042S0AAACAC"
TRIPTORELIN_PLAIN = "Endocrine System,08,Triptorelin,0803042W0,Triptorelin,0803042W0AA,"
TRIPTORELIN_PLAIN += "Triptorelin 11.25mg inj vials,0803042W0AAAAAA"


def test_the_presentation_leaving_out_strictly_less_of_what_the_name_states_is_the_one_it_fits(tmp_path: Path) -> None:
    # the name states the salt and a diluent; one presentation leaves out the diluent, the other the diluent and
    # the salt: the name is the first. With a diluent only (no salt), both leave out as much: no settling
    left = "Triptorelin Embon_Inj 11.25mg Vl + Dil"
    right = "Triptorelin embonate 11.25mg inj vials"
    pairs = match(tmp_path, left, right, TRIPTORELIN_EMBONATE, TRIPTORELIN_PLAIN)
    assert [p.decision for p in pairs] == ["auto"]
    assert f"settled: the only current BNF presentation it fits is {right}" in pairs[0].evidence.text
    pairs = match(tmp_path, "Triptorelin_Inj 11.25mg Vl + Dil", right, TRIPTORELIN_EMBONATE, TRIPTORELIN_PLAIN)
    assert [p.decision for p in pairs] == ["candidate"]


INTERFERON = "Malignant Disease And Immunosuppression,08,Interferon alfa,0802040J0,Interferon alfa-2b,0802040J0AA,"
INTERFERON_3M = INTERFERON + "Interferon alfa-2b 3million unit inj vials,0802040J0AAAGAG"
INTERFERON_10M = INTERFERON + "Interferon alfa-2b 10million unit inj vials,0802040J0AAAHAH"
INTERFERON_18M = INTERFERON + "Interferon alfa-2b 18million units/3ml inj vials,0802040J0AAAUAU"


def test_a_1ml_fill_the_strength_is_per_counts_as_stated_by_the_name(tmp_path: Path) -> None:
    """``3mu/ml 1ml Vl + Dil``: the canonical strength reads the 1ml fill as ``/ml``; the name still states it, so
    a vial of 3 million units (the diluent left out by today's name) is the one current presentation it fits."""
    rows = (INTERFERON_3M, INTERFERON_10M, INTERFERON_18M)
    right = "Interferon alfa-2b 3million unit inj vials"
    decision, text = decided(tmp_path, "Interf A_Inj 2b 3mu/ml 1ml Vl + Dil", right, *rows)
    assert decision == "auto"
    assert f"settled: the only current BNF presentation it fits is {right}" in text
    # without the fill the name does not say how many units a vial holds
    assert decided(tmp_path, "Interf A_Inj 2b 3mu/ml Vl + Dil", right, *rows)[0] == "candidate"


SLOW_SODIUM = (
    "Nutrition And Blood,09,Sodium chloride,0902012L0,Slow Sodium,0902012L0BB,Slow Sodium 600mg tablets,0902012L0BBAAAJ"
)


def test_an_older_name_written_with_the_makers_words_still_meets_the_current_name(tmp_path: Path) -> None:
    """The national list reads ``Slow`` out of ``Slow Sodium 600mg tablets`` as the maker's word of a sodium chloride
    product; the older ``Slow Sod_Tab 600mg`` starts with that word. The two names are compared (indexed under the
    name as written too), so the working group sees the current name as a candidate; they were never compared."""
    pairs = match(tmp_path, "Slow Sod_Tab 600mg", "Slow Sodium 600mg tablets", SLOW_SODIUM)
    assert [p.decision for p in pairs] == ["candidate"]


VITAMIN_B6 = "Nutrition and Blood,09,Pyridoxine hydrochloride,0906026M0,Pyridoxine hydrochloride,0906026M0AA,"
VITAMIN_B6 += "Pyridoxine 50mg tablets,0906026M0AAABAB"
OTHER_B = "Nutrition and Blood,09,Other vitamin B preparations,090602700,Pyridoxal phosphate,090602700AA,"
PHOSPHATE = OTHER_B + "Pyridoxal phosphate 50mg tablets,090602700AAAAAA"
# not a product on the market: a pyridoxal written without its salt, to show the doubt stays
UNSALTED = OTHER_B + "Pyridoxal 50mg tablets,090602700AAABAB"


@pytest.mark.parametrize(
    ("others", "decision"),
    [
        # the lists only ever write pyridoxal as the phosphate: "Pyridox HCl" is pyridoxine hydrochloride
        ([PHOSPHATE], "auto"),
        # a pyridoxal the lists write without a salt may be any salt of it: the guess stays a doubt
        ([PHOSPHATE, UNSALTED], "candidate"),
    ],
)
def test_a_shortened_substance_is_not_one_the_lists_only_write_with_another_salt(
    tmp_path: Path, others: list[str], decision: str
) -> None:
    path = tmp_path / "bnf.csv"
    path.write_text(HEADER + "\n".join([VITAMIN_B6, *others]) + "\n", encoding="utf-8")
    names = ["Pyridoxine 50mg tablets", *(row.split(",")[-2] for row in others)]
    right = [Named(f"R{i}", n) for i, n in enumerate(names)]
    pairs = match_names([Named("L0", "Pyridox HCl_Tab 50mg")], right, reference=load_reference(path))
    [pair] = [p for p in pairs if p.right_id == "R0"]
    assert pair.decision == decision
    if decision == "auto":
        assert "only pyridoxine is named with hydrochloride" in pair.evidence.text
    else:
        assert "pyridox could be pyridoxal or pyridoxine" in pair.evidence.text


BENZOCAINE = '"Ear, Nose and Oropharynx",12,Benzocaine,1203030B0,'
THROATEASE = BENZOCAINE + "Throatease,1203030B0BX,Throatease lozenges,1203030B0BXAAAE"
THROATEASE_GENERIC = BENZOCAINE + "Benzocaine,1203030B0AA,"
THROATEASE_GENERIC += "Benzocaine 10mg / Dequalinium chloride 250microgram lozenges,1203030B0AAAEAE"
# not a product on the market: a second lozenge of the brand in another strength, to show a name both fit (it
# states no strength) is not settled
THROATEASE_8MG = BENZOCAINE + "Throatease,1203030B0BX,Throatease 8mg lozenges,1203030B0BXABAF"
THROATEASE_8MG_GENERIC = BENZOCAINE + "Benzocaine,1203030B0AA,"
THROATEASE_8MG_GENERIC += "Benzocaine 8mg / Dequalinium chloride 250microgram lozenges,1203030B0AAAFAF"


@pytest.mark.parametrize(
    ("rows", "decision"),
    [
        ([THROATEASE, THROATEASE_GENERIC], "auto"),
        # two lozenges of the brand fit the name: it is the generic of neither (without the code, the names do not
        # agree on the substances, so the pair is not even a candidate)
        (
            [
                THROATEASE.replace("Throatease lozenges", "Throatease 10mg lozenges"),
                THROATEASE_GENERIC,
                THROATEASE_8MG,
                THROATEASE_8MG_GENERIC,
            ],
            None,
        ),
        # the brand's one lozenge today is a product the name does not say (its "Max"): the older name may be
        # another lozenge of the brand the list no longer holds
        ([THROATEASE.replace("Throatease lozenges", "Throatease Max lozenges"), THROATEASE_GENERIC], None),
    ],
)
def test_an_older_generic_of_a_brand_is_the_generic_equivalent_of_the_one_presentation_it_fits(
    tmp_path: Path, rows: list[str], decision: str | None
) -> None:
    # "Gppe Loz_Throatease": the generic equivalent of the brand's lozenges, which today's list names by its
    # substances; the brand is filed under one of them (benzocaine), so the names alone never agree
    path = tmp_path / "bnf.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    right = [Named("R0", "Benzocaine 10mg / Dequalinium chloride 250microgram lozenges")]
    pairs = match_names([Named("L0", "Gppe Loz_Throatease")], right, reference=load_reference(path))
    if decision is None:
        assert all(p.decision != "auto" for p in pairs)
    else:
        assert [p.decision for p in pairs] == [decision]
        assert "read as the generic equivalent of Throatease lozenges" in pairs[0].evidence.text


BISOPROLOL_DIURETIC = "Cardiovascular System,02,Bisoprolol fumarate with diuretic,020400090,"


def test_an_older_generic_of_a_product_named_with_a_number_is_found_by_the_words_after_the_underscore(
    tmp_path: Path,
) -> None:
    # "Bisozide 10" is no brand of the knowledge (a product named with a number never is): the presentations of
    # the older "Gppe Tab_Bisozide 10" are found by its words, and the one that fits gives the generic code
    path = tmp_path / "bnf.csv"
    rows = [
        BISOPROLOL_DIURETIC + "Bisozide 10,020400090BX,Bisozide 10 tablets,020400090BXAAAA",
        BISOPROLOL_DIURETIC
        + "Bisoprolol,020400090AA,Bisoprolol 10mg / Hydrochlorothiazide 6.25mg tablets,020400090AAAAAA",
        BISOPROLOL_DIURETIC + "Bisozide 5,020400090BY,Bisozide 5 tablets,020400090BYABAB",
        BISOPROLOL_DIURETIC
        + "Bisoprolol,020400090AA,Bisoprolol 5mg / Hydrochlorothiazide 6.25mg tablets,020400090AAABAB",
    ]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    right = [
        Named("R0", "Bisoprolol 10mg / Hydrochlorothiazide 6.25mg tablets"),
        Named("R1", "Bisoprolol 5mg / Hydrochlorothiazide 6.25mg tablets"),
    ]
    pairs = match_names([Named("L0", "Gppe Tab_Bisozide 10")], right, reference=load_reference(path))
    assert [(p.right_id, p.decision) for p in pairs if p.decision == "auto"] == [("R0", "auto")]
    assert "read as the generic equivalent of Bisozide 10 tablets" in pairs[0].evidence.text


PENTA = "Infections,05,Pentamidine isetionate,0504080P0,Pentacarinat,0504080P0BB,"
PENTA_NEB = PENTA + "Pentacarinat Ready-to-Use 300mg/5ml nebuliser liquid,0504080P0BBABAB"
PENTA_INJ = PENTA + "Pentacarinat 300mg powder for solution for injection vials,0504080P0BBAAAA"
# not a product on the market: a second nebuliser liquid of the brand the older name fits as well
PENTA_NEB_PLAIN = PENTA + "Pentacarinat 300mg/5ml nebuliser liquid,0504080P0BBACAC"
ORS = "Nutrition and Blood,09,Oral rehydration salts,0902012H0,"
ORS_EM = (
    ORS + "Rehydration Treatment,0902012H0BV,Rehydration Treatment granules 4.87g sachets (E M Pharma),0902012H0BVAAA0"
)
ORS_LLOYDS = (
    ORS + "Lloydspharmacy Rehydration Treatment,0902012H0BU,"
    "Lloydspharmacy Rehydration Treatment granules 4.87g sachets,0902012H0BUAAA0"
)


def test_a_brand_name_differing_only_by_words_one_side_states_is_the_one_presentation_of_the_brand_it_fits(
    tmp_path: Path,
) -> None:
    """``Pentacarinat_Neb Soln 300mg/5ml`` against ``Pentacarinat Ready-to-Use 300mg/5ml nebuliser liquid``: the
    brand, strength and form agree, and the words only one name states tell nothing the national list needs when
    the brand has no other presentation the name fits."""
    left, right = "Pentacarinat_Neb Soln 300mg/5ml", "Pentacarinat Ready-to-Use 300mg/5ml nebuliser liquid"
    decision, text = decided(tmp_path, left, right, PENTA_NEB, PENTA_INJ)
    assert decision == "auto"
    assert "words not understood: - / ready-to-use; settled: the only current BNF presentation it fits" in text
    # another nebuliser liquid of the brand fits as well: the words may be what tells the two apart
    assert decided(tmp_path, left, right, PENTA_NEB, PENTA_INJ, PENTA_NEB_PLAIN)[0] == "candidate"
    # ... or fits with a doubt of its own: the name may be that one as well
    flagged = PENTA + "Pentacarinat 300mg/5ml nebuliser liquid preservative free,0504080P0BBADAD"
    assert decided(tmp_path, left, right, PENTA_NEB, PENTA_INJ, flagged)[0] == "candidate"
    # a presentation leaving out what the name states (its unit dose) fits it less well than the right one
    vividrin = "Eye,11,Sodium cromoglicate,1104020T0,Vividrin,1104020T0BF,"
    unit_dose = vividrin + "Vividrin 2% eye drops 0.5ml unit dose preservative free,1104020T0BFABAG"
    left, right = "Vividrin_Eye Dps 2% 0.5ml Ud P/F(Import)", "Vividrin 2% eye drops 0.5ml unit dose preservative free"
    assert decided(tmp_path, left, right, unit_dose, vividrin + "Vividrin 2% eye drops,1104020T0BFAAAA")[0] == "auto"


def test_words_only_the_name_states_are_not_settled_away_when_another_product_states_them(tmp_path: Path) -> None:
    # "Lloyds" is the maker's word of another brand's product, Lloydspharmacy Rehydration Treatment
    left, right = "Lloyds_Rehyd Tt Gran sach 4.87g", "Rehydration Treatment granules 4.87g sachets (E M Pharma)"
    assert decided(tmp_path, left, right, ORS_EM)[0] == "auto"
    decision, text = decided(tmp_path, left, right, ORS_EM, ORS_LLOYDS)
    assert decision == "candidate"
    assert "words not understood: lloyds / -" in text


FRUMIL = "Cardiovascular System,02,Co-amilofruse,0202040B0,Frumil,0202040B0BB,"
FRUMIL_LS = FRUMIL + "Frumil LS 20mg/2.5mg tablets,0202040B0BBABAB"
FRUMIL_TAB = FRUMIL + "Frumil 40mg/5mg tablets,0202040B0BBAAAA"


def test_a_word_written_with_stops_is_the_word_without_them(tmp_path: Path) -> None:
    # "L.S." and "LS", left over beside the brand: one word
    pairs = match(tmp_path, "Frumil L.S._Tab 20mg/2.5mg", "Frumil LS 20mg/2.5mg tablets", FRUMIL_LS, FRUMIL_TAB)
    assert [p.decision for p in pairs] == ["auto"]
    assert "ls on both sides" in pairs[0].evidence.text


BIPHASIC = "Endocrine System,06,Biphasic isophane insulin,0601012D0,Biphasic isophane insulin,0601012D0AA,"
HUMAN_25_PEN = BIPHASIC + "Insulin isoph biphas hum 25/75 100u/ml inj 3ml pf dispos dev,0601012D0AAAKAK"
HUMAN_30_CART = BIPHASIC + "Insulin isophane biphasic human 30/70 100u/ml inj 3ml cart,0601012D0AAADAD"
PORCINE_30_CART = BIPHASIC + "Insulin isophane biphasic porcine 30/70 100u/ml inj 3ml cart,0601012D0AAAEAE"


@pytest.mark.parametrize(
    ("left", "right", "decision", "said"),
    [
        (
            "Ins Bip Isophane_25/75 100u/ml 3ml PfPen",
            "Insulin isoph biphas hum 25/75 100u/ml inj 3ml pf dispos dev",
            "auto",
            "(species human, which the name does not say: the list holds it only so)",
        ),
        # a porcine insulin of the same ratio and container: either may be meant
        (
            "Ins Bip Isophane_30/70 100u/ml 3ml Cart",
            "Insulin isophane biphasic human 30/70 100u/ml inj 3ml cart",
            "candidate",
            "not sure: species human on one side only",
        ),
    ],
)
def test_an_insulin_named_without_its_species_is_the_one_species_the_list_holds(
    tmp_path: Path, left: str, right: str, decision: str, said: str
) -> None:
    """``Ins Bip Isophane_25/75``: older names left out the species of a human insulin. The same insulin but
    for the species is a doubt, which the national list settles when it holds that insulin in one species only."""
    found, text = decided(tmp_path, left, right, HUMAN_25_PEN, HUMAN_30_CART, PORCINE_30_CART)
    assert found == decision
    assert "same insulin biphasic isophane but for its species" in text and said in text
    # without the national list the species stays a doubt; another species stated is another insulin
    [pair] = match_names([Named("L0", left)], [Named("R0", right)])
    assert pair.decision == "candidate"
    [pair] = match_names([Named("L0", left.replace("Isophane", "Isophane Pore"))], [Named("R0", right)])
    assert pair.evidence.vetoes


CLOT_VAGINAL = "Obstetrics,07,Clotrimazole,0702020F0,Clotrimazole,0702020F0AA,"
CLOT_SKIN = "Skin,13,Clotrimazole,1310020H0,Clotrimazole,1310020H0AA,"
CLOT_VAG_10 = CLOT_VAGINAL + "Clotrimazole 10% vaginal cream,0702020F0AAAGAG"
CLOT_VAG_2 = CLOT_VAGINAL + "Clotrimazole 2% vaginal cream,0702020F0AAAHAH"
CLOT_SKIN_2 = CLOT_SKIN + "Clotrimazole 2% cream,1310020H0AAAAAA"


def test_a_form_stated_without_the_word_today_s_name_writes_before_it_is_settled_by_the_list(tmp_path: Path) -> None:
    """``Clotrimazole_Crm 10%``: an older name may leave out the route today's name writes before the form. The
    national list settles it when, of its presentations of the drug in any cream, the name fits that one only;
    a 2% cream for the skin beside the 2% vaginal cream leaves the veto, with or without the list."""
    decision, text = decided(
        tmp_path, "Clotrimazole_Crm 10%", "Clotrimazole 10% vaginal cream", CLOT_VAG_10, CLOT_VAG_2, CLOT_SKIN_2
    )
    assert decision == "auto"
    assert "cream may be vaginal cream: the only current BNF presentation it fits, of those in any cream" in text
    left, right = "Clotrimazole_Crm 2%", "Clotrimazole 2% vaginal cream"
    [pair] = match(tmp_path, left, right, CLOT_VAG_10, CLOT_VAG_2, CLOT_SKIN_2)
    assert pair.decision == "candidate"
    assert pair.evidence.vetoes == ("form differs: cream vs vaginal cream",)
    [pair] = match_names([Named("L0", "Clotrimazole_Crm 10%")], [Named("R0", "Clotrimazole 10% vaginal cream")])
    assert pair.evidence.vetoes
    # a name stating no form, nothing vetoed: nothing to settle (a first version failed on it)
    assert (
        decided(tmp_path, "Clotrimazole 10%", "Clotrimazole 10%", CLOT_VAGINAL + "Clotrimazole 10%,0702020F0AAAJAJ")[0]
        == "auto"
    )


DICLO = "Musculoskeletal System,10,Diclofenac sodium,1001010C0,Diclofenac sodium,1001010C0AA,"
DICLO_DISPERSIBLE = DICLO + "Diclofenac 50mg dispersible tablets sugar free,1001010C0AAAUAU"
DICLO_GR = DICLO + "Diclofenac sodium 50mg gastro-resistant tablets,1001010C0AAADAD"


def test_a_form_stated_without_its_word_is_not_settled_when_the_name_may_be_another_release(tmp_path: Path) -> None:
    """``Diclofenac sodium 50mg tablets`` (the gastro-resistant tablets' name with the release dropped, found by
    ``benchmarks/drop_words.py``) was joined to the dispersible tablets, the only standard-release tablets the list
    holds: a name leaving out a word may leave out its release too."""
    left, right = "Diclofenac Sod_Tab 50mg", "Diclofenac 50mg dispersible tablets sugar free"
    settled, _ = settled_only_alone(tmp_path, left, right, (DICLO_DISPERSIBLE,), DICLO_GR)
    assert "tablets may be dispersible tablets" in settled


EUMOVATE = "Skin,13,Clobetasone butyrate,1305020C0,Eumovate,1305020C0BB,"
EUMOVATE_CRM = EUMOVATE + "Eumovate 0.05% cream,1305020C0BBAAAA"
# not a product on the market: a line of the brand named by the word the older name adds
EUMOVATE_LINE = EUMOVATE + "Eumovate Lipocream 0.1% cream,1305020C0BBACAC"


def test_words_only_the_name_states_are_kept_when_another_presentation_of_the_brand_is_named_by_them(
    tmp_path: Path,
) -> None:
    # the word may name a line of the brand whose product of this strength the list no longer holds
    left, right = "Eumovate_Lipocream Crm 0.05%", "Eumovate 0.05% cream"
    _, kept = settled_only_alone(tmp_path, left, right, (EUMOVATE_CRM,), EUMOVATE_LINE)
    assert "words not understood: lipocream / -" in kept


HYPROMELLOSE = "Eye,11,Hypromellose,1108010K0,Hypromellose,1108010K0AA,"
HYPROMELLOSE_PF = HYPROMELLOSE + "Hypromellose 0.5% eye drops preservative free,1108010K0AAAJAJ"
# not a product on the market: the same drops with a preservative
HYPROMELLOSE_PRESERVED = HYPROMELLOSE + "Hypromellose 0.5% eye drops,1108010K0AAAKAK"


def test_another_free_of_flag_only_the_current_presentation_states_is_settled_as_sugar_free_is(tmp_path: Path) -> None:
    # preservative, gluten, alcohol and lactose free, like sugar free, are left out of older names of products
    # that are free of them; CFC free is not one of them (see the test above)
    left, right = "Hypromellose_Eye Dps 0.5%", "Hypromellose 0.5% eye drops preservative free"
    settled, kept = settled_only_alone(tmp_path, left, right, (HYPROMELLOSE_PF,), HYPROMELLOSE_PRESERVED)
    assert "(preservative free, which the name does not say: the list holds it only so)" in settled
    assert "preservative free on one side only" in kept
