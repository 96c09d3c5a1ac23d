"""Classes of the older abbreviated BNF writing (the 2019 national names) read as the same product, each with the near
miss it must leave as a candidate: ``(Dry)`` (a powder to make up), a salt written after the underscore,
``Btl``/``Bag`` and an "infusion bags" form, ``PfPen``/``PfP`` (a pre-filled pen), ``P/R`` (prolonged-release),
``CFF`` (CFC-free, a flag both sides must state), a special-order base written after a slash (``/Aq_Crm``,
``/WSP_Oint``), and forms written the legacy or the 2024 short way (``Ophth Soln``, ``Pdr For Susp``, ``I/V Soln``,
``Capl``, ``Lin``, ``pdr for concentrate for inf``), and words of branded products' names (``Pastil``, ``Gelcap``,
``Syrg``, ``Jnr``, ``Pediatric``, ``Ex Strgh``, ``A/Spy``, ``P/Spy``, ``Inj Prep``, ``Sulf`` alone, ``IV``), and
``Applic`` (applicators, or what a dose is per). The names are written for these tests."""

from __future__ import annotations

import pytest
from match_helpers import auto_pairs as autos

from harmonise.matching.compare import compare
from harmonise.matching.knowledge import load_knowledge
from harmonise.matching.match import with_reference_brands
from harmonise.matching.parse import parse_name
from harmonise.matching.reference import load_reference, shipped_pack


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # "(Dry)": a powder to be made up, today's "powder for solution for injection / infusion"
        ("Cefuroxime_Inj 750mg Vl (Dry)", "Cefuroxime 750mg powder for solution for injection vials"),
        ("Gemcitabine_I/V Inf 1g Vl (Dry)", "Gemcitabine 1g pdr for concentrate for inf vials"),
        ("Ceftazidime Pentahyd_Inj 2g Vl (Dry)", "Ceftazidime 2g powder for solution for injection vials"),
        # containers: bottles and bags; "infusion bags" is an infusion in bags
        ("Metronidazole_I/V Inf 5mg/ml 100ml Bag", "Metronidazole 500mg/100ml infusion bags"),
        ("Paracet_I/V Inf 10mg/ml 100ml Btl", "Paracetamol 1g/100ml solution for infusion bottles"),
        ("Aciclovir_I/V Soln 25mg/ml 10ml Vl", "Aciclovir 250mg/10ml solution for infusion vials"),
        # a pre-filled pen written "PfPen" or "PfP"; prolonged-release written "P/R"
        ("Etanercept_Inj 50mg/ml 1ml PfPen", "Etanercept 50mg/1ml inj pf dispos dev"),
        ("Liraglutide_Inj 6mg/ml 3ml PfP", "Liraglutide 18mg/3ml inj pf dispos dev"),
        ("Octreotide_Inj 20mg Vl P/R", "Octreotide 20mg prolonged-release inj vials"),
        # CFC-free stated on both sides
        ("Fluticasone_Inha 50mcg (120D) CFF", "Fluticasone 50micrograms/dose inhaler CFC free"),
        # a special-order base written after a slash is the vehicle ("in Aqueous cream")
        ("Urea 10%/Aq_Crm", "Urea 10% in Aqueous cream"),
        ("Hydrocort 1% 25%/WSP_Oint", "Hydrocortisone 1% ointment 25% in WSP"),
        ("Menthol 1%/Phenol 0.5%/Aq_Crm", "Menthol 1% / Phenol 0.5% in Aqueous cream"),
        ("Clobetasol 0.05% 25% In Emulsif_Oint", "Clobetasol 0.05% ointment 25% in Emulsifying ointment"),
        ("Urea 5%/Unguentum M_Crm", "Urea 5% in Generic Unguentum M cream"),
        # ... also when every strength is written at the end, one for each substance before the base
        ("Hydrocort/Salic Acid/Aq_Crm 0.5%/0.25%", "Hydrocortisone 0.5% / Salicylic acid 0.25% in Aqueous cream"),
        ("Menthol/Aq_Crm 0.5%", "Menthol 0.5% in Aqueous cream"),
        # a product made in a soft paraffin, its form not written, is an ointment
        ("Hydrocort 2%/WSP_Oint", "Hydrocortisone 2% in White soft paraffin"),
        ("Salic Acid 5%/Lactic Acid 5%/WSP_Oint", "Salicylic acid 5% / Lactic acid 5% in White soft paraffin"),
        ("Salic Acid 3%/YSP_Oint", "Salicylic acid 3% in Yellow soft paraffin"),
        # an insulin: its kind and species in any order, shortened, the species in brackets; how a human insulin
        # was made is no longer said
        ("Ins Isop_Inj (Pore) 100u/ml 10ml Vl", "Insulin isophane porcine 100units/ml inj 10ml vials"),
        ("Ins Solb_Inj (Hum Prb) 100u/ml 3ml Cart", "Insulin soluble human 100units/ml inj 3ml cartridges"),
        ("Ins Prot Zn_Inj (Bov) 100u/ml 10ml Vl", "Insulin protamine zinc bovine 100units/ml inj 10ml vials"),
        ("Ins Bip Isophane_(Hum) 30/70 100u/ml 3ml Cart", "Insulin isoph biphas hum 30/70 100u/ml inj 3ml cart"),
        # "Ins" before an insulin named by its maker's words, which the current name writes without "insulin"
        ("Ins Hypurin Bov Neutral_100u/ml 3ml Cart", "Hypurin Bovine Neutral 100units/ml inj 3ml cartridges"),
        ("Ins Hum Mixt_30 Penfill 100u/ml 3ml", "Human Mixtard 30 Penfill 100units/ml inj 3ml cartridges"),
        # an insulin is only ever injected: named in vials without its form, it is the injection
        ("Ins Insuman Comb 50_100u/ml 5ml Vl", "Insuman Comb 50 100units/ml inj 5ml vials"),
        # an interferon's type written as a letter, its subtype apart; levodopa and carbidopa as pharmacists write them
        ("Peginterf A_Inj 2a 180mcg/0.5ml Pfs", "Peginterferon alfa-2a 180micrograms/0.5ml inj pfs"),
        ("Interf B 1a_Inj 30mcg Vl", "Interferon beta-1a 30microgram inj vials"),
        ("L-Dopa/C-Dopa/Entacap_Tab 100/25/200mg", "Levodopa 100mg / Carbidopa 25mg / Entacapone 200mg tablets"),
        # a vaccine named without its form is an injection
        ("Varicella_Vac Live 0.5ml Vl", "Varicella vacc (live) inj 0.5ml vials"),
        # "C/R" is controlled (modified) release; words of older product names: "Lem", "Fte"
        ("Carbamazepine_Tab 200mg C/R", "Carbamazepine 200mg modified-release tablets"),
        ("Numark_Cold & Flu Relief Hot Lem Pdr Sach", "Numark Cold and Flu Relief Hot Lemon oral powder sachets"),
        ("Numark_Cold Relief Fte Cap", "Numark Cold Relief Forte capsules"),
        # forms written the legacy way
        ("Timolol_Ophth Soln 0.25%", "Timolol 0.25% eye drops"),
        ("Timolol_Eye Dps 0.5% Ud P/F", "Timolol 0.5% ophthalmic solution 0.2ml unit dose"),
        ("Cefaclor_Pdr For Susp 125mg/5ml", "Cefaclor 125mg/5ml oral suspension"),
        ("Cefradine_Gran For Syr 250mg/5ml", "Cefradine 250mg/5ml syrup"),
        ("Paracet_Capl 500mg", "Paracetamol 500mg caplets"),
        ("Camphor_Lin 20%", "Camphor 20% liniment"),
        # words that do not distinguish a product: "dilute" (the strength says so), a salt typed "HCI"
        ("Adren_Inj 1/10,000 10ml Pfs", "Adrenaline 1mg/10ml (1 in 10,000) dilute inj pfs"),
        ("Metformin HCI_Tab 500mg", "Metformin 500mg tablets"),
        # names shortened to 40 characters run words together: read apart before a known word, abbreviation or salt
        ("SalicAcid5%/LacticAcid5%/Aq_Crm", "Salicylic acid 5% / Lactic acid 5% in Aqueous cream"),
        ("ChlorhexGlucon/Isopropyl Alc_Soln0.5/70%", "Chlorhexidine gluconate 0.5% / Isopropyl alcohol 70% soln"),
        ("CoalTarSoln5%/Hydrocort1%/Aq_Crm", "Coal tar solution 5% / Hydrocortisone 1% in Aqueous cream"),
        # ... also a form word run against the percentage before it, a salt's "Val" and a route run into the form
        ("Clobetasol0.05%Oint25%/WSP_Oint", "Clobetasol 0.05% ointment 25% in WSP"),
        ("BetamethVal0.1%/Clioquinol3%_Crm", "Betamethasone valerate 0.1% / Clioquinol 3% cream"),
        ("Meropenem_I/VInj 1g Vl (Dry)", "Meropenem 1g powder for solution for injection vials"),
        # "M/D": multi-dose
        ("Octreotide_Inj 500mcg/ml 1ml M/D Vl", "Octreotide 500micrograms/1ml solution for injection multidose vials"),
        # "Conc For Inf": a concentrate for infusion
        ("Docetaxel_Conc For Inf 20mg/ml 1ml Vl", "Docetaxel 20mg/1ml concentrate for solution for infusion vials"),
        # "Pastil", "Gelcap" / "gel caps", "Syrg" (a measuring syringe supplied), "Jnr"; "Paed" and the
        # "Pediatric" some current names spell the American way
        (
            "Amylmetacresol/Dichlorobenzyl Alc_Pastil 0.6mg/1.2mg",
            "Amylmetacresol 0.6mg / Dichlorobenzyl alcohol 1.2mg pastilles",
        ),
        ("Simeticone_Gelcap 125mg", "Simeticone 125mg gel caps"),
        ("Gliclazide_Oral Susp 6mg/ml + 1ml OralSyrg", "Gliclazide 6mg/ml oral suspension with 1ml oral syringe"),
        ("Multivitamin_Jnr Liq", "Multivitamin Junior liquid"),
        ("Digoxin_Inj Paed 100mcg/ml 1ml Amp", "Digoxin 100micrograms/1ml pediatric solution for injection ampoules"),
        # "+ Applic", "Gel Applic": the applicators a product comes with, as today's names write them; "/Applic"
        # is still what a dose is per, and "Scalp Applic" the form
        ("Clotrimazole_Pess 500mg + Applic", "Clotrimazole 500mg pessaries with applicator"),
        ("Dinoprost_Vag Gel Applic 2mg/3g", "Dinoprost 2mg/3g vaginal gel applicators"),
        ("Mesalazine_Foam Enema 1g/Applic", "Mesalazine 1g/application foam enema"),
        ("Clobetasol Prop_Scalp Applic 0.05%", "Clobetasol propionate 0.05% scalp application"),
        # "A/Spy" an aerosol spray, "Ex Strgh" extra strength
        ("Numark_Pain Relief Warming A/Spy", "Numark Warming Pain Relief spray"),
        ("Orajel_Ex Strgh Dental Gel 20%", "Orajel Extra Strength 20% dental gel"),
        # "P/Spy": a pump spray, which says how it is sprayed, not where (a spray of any route, unless one is named)
        ("Cetrimide_P/Spy 0.5%", "Cetrimide 0.5% cutaneous spray"),
        ("Lidocaine_P/Spy 10mg/Dose", "Lidocaine 10mg/dose spray"),
        ("Nicotine_Oromucosal P/Spy (1mg D) S/F", "Nicotine 1mg/dose oromucosal spray sugar free"),
        # "Sulf" alone is sulfur; "Inj Prep" a preparation for injection
        ("Hydrocort/Sulf_Crm 1%/1%", "Sulfur 1% in Hydrocortisone 1% cream"),
        ("Progesterone_Inj Prep 100mg/2ml Amp", "Progesterone 100mg/2ml solution for injection ampoules"),
        # "IV", "I.V.": the intravenous route, as "I/V"
        ("Losec_I/V Inj 40mg Vl", "Losec I.V. 40mg inj vials"),
        ("Epilim IV_Inj 400mg Vl", "Epilim Intravenous 400mg inj vials"),
        # the grade of a substance written with the form or after the substance ("heavy", "light", "caustic")
        ("Mag Ox_Heavy Cap 160mg", "Magnesium oxide heavy 160mg capsules"),
        ("Silver Nit Caustic_Applic 40%", "Silver nitrate 40% caustic applicators"),
        ("Liq Paraf Light_Eye Dps", "Liquid paraffin light eye drops"),
        # an intranasal spray is a nasal spray; a route in brackets after the form is the form's route
        ("Buserelin_I/Nsl Spy 150mcg/Dose", "Buserelin 150micrograms/dose nasal spray"),
        ("Miconazole Nit_Crm 2% (Vag)", "Miconazole 2% vaginal cream"),
        # a strength per drop; the grade words of a known substance after the underscore, in any form
        ("Colecal_Oral Dps 400u/Drop", "Colecalciferol 400units/drop oral drops"),
        ("Paraf_Soft Wte Crm 50%", "White soft paraffin 50% cream"),
        # the ester of a prodrug, as the salt of a substance, stated on one side only
        ("Baloxavir Marboxil_Tab 20mg", "Baloxavir 20mg tablets"),
        # capsules of powder for inhalation
        ("Glycopyrronium Brom_Pdr For Inh Cap 44mcg", "Glycopyrronium bromide 44microgram inhalation powder capsules"),
    ],
)
def test_legacy_abbreviation_is_auto(left: str, right: str) -> None:
    assert autos([left], [right]) == {("L0", "R0")}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # a powder is not a solution; a solution for infusion is not a powder
        ("Cefuroxime_Inj 750mg Vl (Dry)", ["Cefuroxime 750mg/7.5ml solution for injection vials"]),
        ("Aciclovir_I/V Soln 25mg/ml 10ml Vl", ["Aciclovir 250mg powder for solution for infusion vials"]),
        # bottles are not bags; a pen is not a syringe; a prolonged-release injection is not a standard one
        ("Metronidazole_I/V Inf 5mg/ml 100ml Btl", ["Metronidazole 500mg/100ml infusion bags"]),
        ("Etanercept_Inj 50mg/ml 1ml PfPen", ["Etanercept 50mg/1ml inj pfs"]),
        ("Octreotide_Inj 20mg Vl", ["Octreotide 20mg prolonged-release inj vials"]),
        # CFC-free on one side only: the other may be the older inhaler with CFC propellant
        ("Fluticasone_Inha 50mcg (120D)", ["Fluticasone 50micrograms/dose inhaler CFC free"]),
        ("Fluticasone_Inha 50mcg (120D) CFF", ["Fluticasone 50micrograms/dose inhaler"]),
        # a base on one side only, or another base; another dilution
        ("Urea 10%/Aq_Crm", ["Urea 10% cream"]),
        ("Hydrocort 1% 25%/WSP_Oint", ["Hydrocortisone 1% ointment 25% in Emulsifying ointment"]),
        ("Hydrocort 1% 25%/WSP_Oint", ["Hydrocortisone 1% ointment 50% in White soft paraffin"]),
        # strengths written at the end belong to the substances in order; another base; no base
        ("Hydrocort/Salic Acid/Aq_Crm 0.5%/0.25%", ["Hydrocortisone 0.25% / Salicylic acid 0.5% in Aqueous cream"]),
        ("Hydrocort/Salic Acid/Aq_Crm 0.5%/0.25%", ["Hydrocortisone 0.5% / Salicylic acid 0.25% cream"]),
        ("Hydrocort 2%/WSP_Oint", ["Hydrocortisone 2% in Yellow soft paraffin"]),
        ("Hydrocort 2%/WSP_Oint", ["Hydrocortisone 2% ointment"]),
        ("Hydrocort 2%_Crm", ["Hydrocortisone 2% in White soft paraffin"]),
        # a dilution of an ointment is not the substance made in the base directly
        ("Beclomet 0.025%/WSP_Oint", ["Beclometasone 0.025% ointment 10% in White soft paraffin"]),
        ("Beclometasone 0.025% ointment 10% in WSP", ["Beclometasone 0.025% in White soft paraffin"]),
        ("Carbamazepine_Tab 200mg C/R", ["Carbamazepine 200mg tablets"]),
        ("Typhoid_Vac Live Cap", ["Typhoid vaccine live 0.5ml inj vials"]),
        # the short current names' "susp inj", "soln inj", "pdr inj" say which injection it is
        (
            "Measles, Mumps and Rubella vacc (live) susp inj 0.5ml pfs",
            ["Measles, Mumps and Rubella vacc (live) soln inj 0.5ml pfs"],
        ),
        ("Hepatitis B vaccine (adsorbed) pdr inj 0.5ml pfs", ["Hepatitis B vaccine (adsorbed) susp inj 0.5ml pfs"]),
        ("Varicella_Vac Live 0.5ml Vl", ["Varicella vacc (live) oral suspension 0.5ml vials"]),
        ("Numark_Cold Relief Fte Cap", ["Numark Cold Relief capsules"]),
        ("Numark_Cold & Flu Relief Hot Lem Pdr Sach", ["Numark Cold and Flu Relief Hot oral powder sachets"]),
        # another subtype of interferon; a subtype not stated
        ("Peginterf A_Inj 2a 180mcg/0.5ml Pfs", ["Peginterferon alfa-2b 180micrograms/0.5ml inj pfs"]),
        ("Interf B 1a_Inj 30mcg Vl", ["Interferon beta-1b 30microgram inj vials"]),
        ("Interf A_Inj 3mu Vl", ["Interferon alfa-2b 3million unit inj vials"]),
        # a multi-dose vial is not the single-dose one
        ("Octreotide_Inj 500mcg/ml 1ml M/D Vl", ["Octreotide 500micrograms/1ml solution for injection vials"]),
        # another species or kind of insulin; a species on one side only
        ("Ins Isop_Inj (Pore) 100u/ml 10ml Vl", ["Insulin isophane bovine 100units/ml inj 10ml vials"]),
        ("Ins Solb_Inj (Pore) 100u/ml 3ml Cart", ["Insulin soluble human 100units/ml inj 3ml cartridges"]),
        ("Ins Isop_Inj (Hum) 100u/ml 3ml Cart", ["Insulin soluble human 100units/ml inj 3ml cartridges"]),
        ("Ins Isop_Inj 100u/ml 10ml Vl", ["Insulin isophane porcine 100units/ml inj 10ml vials"]),
        ("Ins Hypurin Bov Neutral_100u/ml 3ml Cart", ["Hypurin Porcine Neutral 100units/ml inj 3ml cartridges"]),
        ("Ins Hypurin Bov Neutral_100u/ml 3ml Cart", ["Hypurin Bovine Isophane 100units/ml inj 3ml cartridges"]),
        ("Ins Bip Isophane_(Hum) 30/70 100u/ml 3ml Cart", ["Insulin isoph biphas hum 50/50 100u/ml inj 3ml cart"]),
        ("Ins Hum Mixt_30 Penfill 100u/ml 3ml", ["Human Mixtard 50 Penfill 100units/ml inj 3ml cartridges"]),
        # eye drops are not an eye gel; another strength of a made-up suspension; caplets are not capsules
        ("Timolol_Ophth Soln 0.25%", ["Timolol 0.25% eye gel"]),
        ("Cefaclor_Pdr For Susp 125mg/5ml", ["Cefaclor 250mg/5ml oral suspension"]),
        ("Paracet_Capl 500mg", ["Paracetamol 500mg capsules"]),
        # a dilute adrenaline is not the 1 in 1,000 strength
        ("Adren_Inj 1/10,000 1ml Amp", ["Adrenaline 1mg/1ml (1 in 1,000) inj ampoules"]),
        # a paediatric product, however spelt, is not the adult one; a syringe supplied on one side only; a
        # junior version is not the adult one; gel caps are not chewable tablets
        ("Digoxin_Inj Paed 100mcg/ml 1ml Amp", ["Digoxin 100micrograms/1ml solution for injection ampoules"]),
        ("Digoxin_Inj 100mcg/ml 1ml Amp", ["Digoxin 100micrograms/1ml pediatric solution for injection ampoules"]),
        ("Gliclazide_Oral Susp 6mg/ml + 1ml OralSyrg", ["Gliclazide 6mg/ml oral suspension"]),
        ("Multivitamin_Jnr Liq", ["Multivitamin liquid"]),
        ("Simeticone_Gelcap 125mg", ["Simeticone 125mg chewable tablets"]),
        # a gel with its applicator is another product than the gel alone (the national list holds both); an
        # application to the skin is no set of applicators
        (
            "Calcipotriol/Betameth_Gel 50mcg/0.5mg/g + Applic",
            ["Calcipotriol 50micrograms/g / Betamethasone 0.5mg/g gel"],
        ),
        (
            "Calcipotriol/Betameth_Gel 50mcg/0.5mg/g",
            ["Calcipotriol 50micrograms/g / Betamethasone 0.5mg/g gel applicator"],
        ),
        ("Silver Nitrate_Applic 95%", ["Silver nitrate 95% cutaneous solution"]),
        # the words of a product's name must all agree: pain relief is another spray of the line
        ("Numark_Pain Relief Warming A/Spy", ["Numark Warming spray"]),
        ("Orajel_Dental Gel 20%", ["Orajel Extra Strength 20% dental gel"]),
        # a pump spray that two sprays of different routes fit is neither; a nasal one is no cutaneous spray
        ("Lidocaine_P/Spy 10mg/Dose", ["Lidocaine 10mg/dose spray", "Lidocaine 10mg/dose nasal spray"]),
        ("Isosorbide Dinit_Nsl P/Spy 1.25mg/Dose", ["Isosorbide dinitrate 1.25mg/dose spray"]),
        # today's names write "pump spray" as a form of its own (barrier films, deodorants): written out in full,
        # it is no other spray
        ("Cavilon barrier film pump spray", ["Cavilon barrier film cutaneous spray"]),
        # another route is another product; one named on one side only stays a doubt
        ("Primaxin IM_Inj 500mg Vl", ["Primaxin IV 500mg powder for solution for infusion vials"]),
        ("Vitamins B and C High Potency_Inj 5ml/2ml", ["Vitamins B and C high potency intravenous inj 5ml/5ml"]),
        # a grade on one side only, or another grade: the national list holds each grade and the plain substance
        ("Mag Ox_Heavy Cap 160mg", ["Magnesium oxide 160mg capsules"]),
        ("Magnesium oxide 160mg capsules", ["Magnesium oxide heavy 160mg capsules"]),
        ("Kaolin_Heavy Pdr", ["Kaolin light powder"]),
        ("Liquid paraffin eye drops", ["Liquid paraffin light eye drops"]),
        ("Miconazole Nit_Crm 2% (Vag)", ["Miconazole 2% cream"]),
        ("Buserelin_I/Nsl Spy 150mcg/Dose", ["Buserelin 150micrograms/dose spray"]),
        ("Colecal_Oral Dps 400u/Drop", ["Colecalciferol 400units/ml oral drops"]),
        ("Paraf_Soft Wte Crm 50%", ["Yellow soft paraffin 50% cream"]),
        ("Glycopyrronium Brom_Pdr For Inh Cap 44mcg", ["Glycopyrronium bromide 44microgram dry powder inhaler"]),
    ],
)
def test_legacy_abbreviation_near_miss_is_not_auto(left: str, right: list[str]) -> None:
    assert autos([left], right) == set()


def test_salt_after_the_underscore_stays_a_salt_when_the_salted_name_is_known() -> None:
    # with a brand or a reference naming "phenytoin sodium", "Sod" after the underscore is still its salt
    knowledge = load_knowledge().with_brands({"phenytoinbrand": ("phenytoin sodium",)})
    key = parse_name("Phenytoin_Sod Cap 100mg", knowledge)
    assert key.substances == ("phenytoin",)
    assert key.salts == (("phenytoin", "sodium"),)
    assert key.residual == ()
    assert key.canonical == parse_name("Phenytoin sodium 100mg capsules", knowledge).canonical


def test_a_substance_after_a_slash_with_its_own_strength_is_no_vehicle() -> None:
    # "Liq Paraf/WSP_Oint" names two substances; a base is only a vehicle after a strength
    assert parse_name("Liq Paraf/WSP_Oint").substances == ("liquid paraffin", "white soft paraffin")
    assert parse_name("Urea 10%/Aq_Crm").substances == ("urea",)
    assert parse_name("Urea 10%/Lactic Acid 5%_Crm").substances == ("urea", "lactic acid")
    # strengths at the end: as many as the substances before the base, so the base has none of its own
    assert parse_name("Urea/Aq_Crm 10%").substances == ("urea",)
    assert parse_name("Urea/Lactic Acid_Crm 10%/5%").substances == ("urea", "lactic acid")
    assert parse_name("Urea/Aq_Crm 10%/5%").substances == ("urea", "aqueous")


def test_dihyd_is_not_read_as_dihydrate() -> None:
    # "Sod Dihyd Phos" is sodium dihydrogen phosphate: an abbreviation with two meanings is never expanded
    assert "dihyd" not in load_knowledge().abbreviations


@pytest.mark.parametrize(
    ("name", "brand"),
    [
        ("NovoRapid FlexPen 100units/ml", "novorapid"),
        ("EpiPen 300micrograms", "epipen"),
        ("ReQuip 1mg", "requip"),
        ("NovoSeven 1mg", "novoseven"),
    ],
)
def test_a_brand_written_in_two_capitalised_parts_stays_whole(name: str, brand: str) -> None:
    # "Pen" is no start of "pentahydrate" and "Quip" no known word: the brand is read as one name
    knowledge = with_reference_brands(load_knowledge(), load_reference(shipped_pack()))
    assert parse_name(name, knowledge).brand == brand


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Vitamin C_Tab Eff Dble Action 1g", {"double", "action"}),
        ("Ibuprofen_Cap L/Last 200mg", {"long", "lasting"}),
        ("Nicotine_Patch T/Lucent 25mg/16hr", {"translucent"}),
    ],
)
def test_words_of_branded_products_names_are_read_in_full(name: str, words: set[str]) -> None:
    """Words a maker's product line is named by, shortened in the older names: read as the words the current names
    write in full, so that they are compared as words, never dropped."""
    assert words <= set(parse_name(name, load_knowledge()).residual)


@pytest.mark.parametrize(
    ("name", "substances", "salts"),
    [
        ("Hydrocort/Sulf_Crm 1%/1%", ("hydrocortisone", "sulfur"), ()),
        ("Ferr Sulf_Tab 200mg", ("ferrous",), (("ferrous", "sulfate"),)),
        ("Morphine Sulf_Tab 10mg", ("morphine",), (("morphine", "sulfate"),)),
    ],
)
def test_sulf_after_a_substance_is_its_sulfate_and_alone_is_sulfur(
    name: str, substances: tuple[str, ...], salts: tuple[tuple[str, str], ...]
) -> None:
    key = parse_name(name, load_knowledge())
    assert (key.substances, key.salts) == (substances, salts)


@pytest.mark.parametrize(
    ("name", "substances", "flags"),
    [
        ("Magnesium carbonate heavy 500mg capsules", ("magnesium",), ("heavy",)),
        ("Mag Carb_Heavy Cap 500mg", ("magnesium",), ("heavy",)),
        ("Ferr Sulf, Dried_Tab 160mg M/R", ("ferrous",), ("dried",)),
        ("Kaolin light 1.5g/5ml / Codeine 5mg/5ml susp", ("kaolin", "codeine"), ("light",)),
        # before or inside a name, the word is left where it is: no grade of a substance
        ("Dried yeast tablets", ("dried yeast",), ()),
    ],
)
def test_the_grade_of_a_substance_is_read_as_a_flag_wherever_it_is_written_after_it(
    name: str, substances: tuple[str, ...], flags: tuple[str, ...]
) -> None:
    key = parse_name(name, load_knowledge())
    assert (key.substances, key.flags) == (substances, flags)


@pytest.mark.parametrize(
    ("left", "strength"),
    [
        ("Heparin Sod_Inj 5000/ml 5ml Amp", "25000unit/5ml"),
        ("Nystatin_Oral Susp 100,000/ml", "100000unit/ml"),
        ("Ergocalciferol 600,000/1.5ml inj ampoules", "600000unit/1.5ml"),
    ],
)
def test_a_bare_count_of_a_thousand_or_more_per_volume_is_units(left: str, strength: str) -> None:
    """``Heparin Sod_Inj 5000/ml``: a number written per volume without its unit had taken the volume's unit
    (``25000ml/5ml``); a thousand or more per volume is a count of units, as today's names write it."""
    assert parse_name(left, load_knowledge()).strengths == (strength,)
    right = [
        "Heparin sodium 25,000units/5ml solution for injection ampoules",
        "Heparin sodium 5,000units/5ml solution for injection ampoules",
    ]
    if left.startswith("Heparin"):
        assert autos([left], right) == {("L0", "R0")}


def test_a_small_bare_number_per_volume_is_never_read_as_units_or_milligrams() -> None:
    """``Paracetamol 120/5ml``: below a thousand the number may be milligrams or units; no unit is guessed, so
    no strength agrees with it and nothing is joined on it."""
    key = parse_name("Paracetamol 120/5ml", load_knowledge())
    assert not any(s.endswith(("unit/ml", "mg/ml")) for s in key.strengths)
    assert autos(["Paracetamol 120/5ml"], ["Paracetamol 120mg/5ml oral suspension"]) == set()


@pytest.mark.parametrize(
    ("name", "substances", "salts"),
    [
        # a hydration named by its root, cut short: still read
        ("Sod Dihyd Phos Anh_Tab Eff 1.936g", ("sodium dihyd",), (("sodium dihyd", "phosphate anhydrous"),)),
        ("Imatinib Mesil_Cap 400mg", ("imatinib",), (("imatinib", "mesilate"),)),
        # a count alone names no hydration: a word of the name, never lost
        ("Isosorbide Mon M/R/Aspirin_Tab 60/75mg", ("isosorbide mon", "aspirin"), ()),
        ("Fluvax Tetra vacc inj 0.5ml pre-filled syringes", ("fluvax tetra",), ()),
    ],
)
def test_a_hydration_is_read_from_a_shortened_word_only_with_its_root(
    name: str, substances: tuple[str, ...], salts: tuple[tuple[str, str], ...]
) -> None:
    """``Tetra``, ``Mon``, ``Mono``: cut-short words a hydration begins with, but a count alone names none (a
    four-strain vaccine, the mononitrate, a once-daily tablet). Read as a hydration, which on one side only
    tells nothing, the word was lost and ``Fluad Tetra`` joined ``Fluad``; ``Anh``, ``Monohyd`` are still read."""
    key = parse_name(name, load_knowledge())
    assert (key.substances, key.salts) == (substances, salts)


def test_a_four_strain_vaccine_is_not_its_namesake() -> None:
    """``Tetra`` read as a tetrahydrate was lost, and the four-strain vaccine joined its namesake."""
    assert not autos(["Fluvax Tetra vacc inj 0.5ml pre-filled syringes"], ["Fluvax vacc inj 0.5ml pre-filled syringes"])


def test_a_pack_to_start_a_treatment_is_its_own_product_and_states_every_strength_it_holds() -> None:
    """``S/Pack``, ``Init/Pack``, ``treatment initiation pack``: a pack of several strengths to start a treatment,
    another product than the tablets of one of them and than the pack to go on with it (``follow on pack``). The
    strengths listed in brackets are all the pack's (only the first was read, as if the others were the same
    strength written another way)."""
    key = parse_name("Tapentadol_Tab S/Pack (25mg/50mg/100mg)", load_knowledge())
    assert (key.flags, key.strengths) == (("starter pack",), ("25mg", "50mg", "100mg"))
    left = "Pramipexole_Tab 88/180/350mcg Init/Pack"
    right = ["Pramipexole 88mcg/180mcg/350mcg tablets treatment initiation pack", "Pramipexole 88microgram tablets"]
    assert autos([left], right) == {("L0", "R0")}
    assert parse_name("Donepezil_Tab Initiation Tt/Pack", load_knowledge()).flags == ("starter pack",)
    knowledge = load_knowledge()
    start, follow = (parse_name(n, knowledge) for n in ("Ropinirole_Tab S/Pack", "Ropinirole tablets follow on pack"))
    assert "pack differs: starter pack vs follow-on pack" in compare(start, follow, knowledge).vetoes


@pytest.mark.parametrize(
    ("name", "form", "flags"),
    [
        ("Asmanex Twisthaler_D/P Inh 400mcg (30 D)", "dry powder inhaler", ()),
        ("Asmanex 400micrograms/dose Twisthaler", "dry powder inhaler", ()),
        ("Asmabec Clickhaler_D/P Inh 100mcg (200 D)", "dry powder inhaler", ()),
        ("Easyhaler Salbutamol_D/P Inh 100mcg", "dry powder inhaler", ()),
        ("Qvar 50 E-Breathe_Inha 50mcg (200D)", "inhaler", ("breath actuated",)),
    ],
)
def test_a_named_powder_inhaler_device_and_d_p_are_the_dry_powder_inhaler(
    name: str, form: str, flags: tuple[str, ...]
) -> None:
    """``D/P Inh`` (dry powder inhaler) and a powder inhaler named only by its device (``Clickhaler``,
    ``Twisthaler``): the form, as ``Accuhaler`` already was, not words left over; ``E-Breathe`` is the
    breath-actuated inhaler, as ``Easi-Breathe`` already was. (``Spiromax``, ``NEXThaler``, ``Novolizer`` are not:
    the national list names brands with them, ``DuoResp Spiromax``, which read as a form lost the brand.)"""
    key = parse_name(name, load_knowledge())
    assert (key.form, key.flags, key.residual) == (form, flags, ())


def test_a_powder_inhaler_named_by_its_device_joins_its_older_name_of_the_same_strength() -> None:
    right = ["Asmanex 400micrograms/dose Twisthaler", "Asmanex 200micrograms/dose Twisthaler"]
    assert autos(["Asmanex Twisthaler_D/P Inh 400mcg (30 D)"], right) == {("L0", "R0")}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # "Top": topical, which a cream, an ointment or eye drops already say
        ("Dermovate_Top Oint 0.05%", ["Dermovate 0.05% ointment", "Dermovate 0.05% cream"]),
        ("Chloromycetin_Top Ophth Soln 0.5%", ["Chloromycetin 0.5% eye drops", "Chloromycetin 1% eye ointment"]),
    ],
)
def test_top_before_a_form_put_on_the_skin_or_the_eye_leaves_no_doubt(left: str, right: list[str]) -> None:
    """``Top`` (topical) before a form put on the skin or the eye says nothing the form does not: no word the other
    name lacks (another strength or form stays apart)."""
    assert autos([left], right) == {("L0", "R0")}
