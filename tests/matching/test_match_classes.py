"""Classes of legacy writing the matcher reads as the same product (and the near misses it must not):
sole salts, abbreviations glued to numbers, ratio and w/w strengths, form adjectives written apart, unit
doses, flavours, breath-actuated inhalers and substances whose names hold a form word."""

from __future__ import annotations

import pytest
from match_helpers import autos, run

from harmonise.errors import InputError
from harmonise.matching import MatchSettings, Named, match_names
from harmonise.matching.knowledge import load_knowledge
from harmonise.matching.match import with_reference_brands
from harmonise.matching.parse import on_the_skin, parse_name
from harmonise.matching.reference import load_reference, shipped_pack


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # the only salt or ester UK products carry (for every form, or for the form named)
        ("Clobetasone Butyr_Crm 0.05%", "Clobetasone 0.05% cream"),
        ("Beclomet Diprop_Nsl Spy 50mcg", "Beclometasone 50micrograms/dose nasal spray"),
        ("Zuclopenthixol HCl_Tab 10mg", "Zuclopenthixol 10mg tablets"),
        ("Diclofenac Sod_Inj 25mg/ml 3ml Amp", "Diclofenac 75mg/3ml injection ampoules"),
        ("Testosterone Undecan_Cap 40mg", "Testosterone 40mg capsules"),
        ("Colecal & Calc_Tab Chble 800u/1.25g", "Colecalciferol 800unit / Calcium carbonate 1.25g chewable tablets"),
        # abbreviations written against the number or the next abbreviation
        ("Lidocaine/Prilocaine_Crm2.5/2.5%", "Lidocaine 2.5% / Prilocaine 2.5% cream"),
        ("Glycerol_Supp4g", "Glycerol 4g suppositories"),
        ("Lorazepam_OromucSoln 1mg/ml", "Lorazepam 1mg/ml oromucosal solution"),
        # ratio and w/w strengths, a volume written once for a combination, an injection's fill
        ("Adren_Inj 1/10000 10ml Pfs", "Adrenaline 1mg/10ml (1 in 10,000) injection pre-filled syringes"),
        ("Tacalcitol_Oint 0.0004%", "Tacalcitol 4micrograms/g ointment"),
        ("Nystatin_Crm 100,000u", "Nystatin 100,000units/g cream"),
        ("Dorzolamide/Timolol_Eye Dps 20mg/5mg/ml", "Dorzolamide 20mg/ml / Timolol 5mg/ml eye drops"),
        ("Ins Aspart_100u/ml 3ml Cart", "Insulin aspart 100units/ml solution for injection 3ml cartridges"),
        # a form's adjective apart from its form; a sugar-free gel is taken by mouth
        ("Aspirin Disper_Tab 75mg", "Aspirin 75mg dispersible tablets"),
        ("Lansoprazole_Tab Orodisp 15mg (G/R Pellets)", "Lansoprazole 15mg orodispersible gastro-resistant tablets"),
        ("Miconazole_Gel 20mg/g S/F", "Miconazole 20mg/g oral gel sugar free"),
        ("Ketoconazole_Shampoo 2% BP 1993", "Ketoconazole 2% shampoo"),
        ("Salmeterol_Inha 25mcg 120D", "Salmeterol 25micrograms/dose inhaler"),
        ("Nicotine_Gum 4mg S/F (Fruit)", "Nicotine 4mg medicated chewing gum sugar free fruit"),
        ("Zn & Castor Oil_Crm", "Zinc and Castor oil cream"),
        # a concentration and a single-dose fill are the content of that fill; a ratio restating it is one strength
        ("Adrenaline_Inj 1/1000 1mg/ml 0.5ml Pfs", "Adrenaline 500micrograms/0.5ml (1 in 1,000) inj pfs"),
        ("Phytomenadione_Oral Soln 10mg/ml 0.2ml Amp", "Phytomenadione 2mg/0.2ml oral solution ampoules"),
        # "Ox" is oxide
        ("Mag Ox_Cap 160mg", "Magnesium oxide 160mg capsules"),
        # a salt of two words whose first is no salt alone
        (
            "Adren Acid Tart_Inj 1mg/ml 1ml Amp",
            "Adrenaline (base) 1mg/1ml (1 in 1,000) solution for injection ampoules",
        ),
        # ... and so are a ratio and the content of the fill at that concentration
        (
            "Adrenaline_Inj 1/1000 500mcg/0.5ml Pf Pen",
            "Adrenaline (base) 500micrograms/0.5ml (1 in 1,000) inj pf dispos dev",
        ),
        # ... and a concentration in a bottle of the volume the other name divides by is that content
        ("Phytomenadione_Oral Soln 10mg/ml 100ml", "Phytomenadione 1g/100ml oral solution"),
        # "in" before a substance with its own strength joins two actives, it does not name a base
        ("Dithranol 0.1%/Salic Acid 2%_Oint", "Dithranol 0.1% in Salicylic acid 2% ointment"),
        # a maker's product named by words that are no known substance, split by the legacy underscore
        ("Lamberts_Vit E Cap 400u", "Lamberts Vitamin E 400unit capsules"),
        ("Biocare_Omega Oil Cap", "Biocare Omega Oil capsules"),
        # ... "for" between them only on one side
        ("Beechams_Max Strgh Chesty Cough Cap", "Beechams Max Strength for Chesty Cough capsules"),
        # ... however either side splits the words ("&" or "and" only join them)
        ("Numark_Pharmacy Cold & Flu Night Cap", "Numark Pharmacy Cold and Flu Night capsules"),
        # ... a word shortened or in the singular on one side, a stop, an apostrophe or a hyphen on one side only
        ("Jakemans_Orig Loz", "Jakemans Original lozenges"),
        ("Happinose_Decongest Cap", "Happinose Decongestants capsules"),
        ("Fisherman's Friend_Orig Loz", "Fishermans Friend Original lozenges"),
        ("Calmurid-HC_Crm", "Calmurid HC cream"),
        # the first word of a brand's generic written before the brand ("Ins" for insulin) names the brand
        ("Ins Levemir_FlexPen 100u/ml 3ml", "Levemir FlexPen 100units/ml inj 3ml pre-filled pens"),
        # mega units ("mu") are million units
        ("Interferon Alfa-2b_Inj 10mu/ml 1ml Vl", "Interferon alfa-2b 10million units/1ml inj vials"),
    ],
)
def test_same_product_written_in_legacy_style_is_auto(left: str, right: str) -> None:
    assert autos(run([left], [right])) == {("L0", "R0")}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Diclofenac Sod_Tab 50mg", "Diclofenac 50mg tablets"),  # tablets come as sodium and as potassium
        # the same concentration, another fill
        (
            "Adrenaline_Inj 1/1000 500mcg/0.5ml Pf Pen",
            "Adrenaline (base) 300micrograms/0.3ml (1 in 1,000) inj pf dispos dev",
        ),
        ("Zuclopenthixol Dec_Inj 200mg/ml 1ml Amp", "Zuclopenthixol 200mg/1ml injection ampoules"),  # acetate too
        ("Fluticasone Prop_Nsl Spy 50mcg", "Fluticasone 50micrograms/dose nasal spray"),  # furoate too
        ("Flupentixol HCl_Inj 20mg/ml 1ml Amp", "Flupentixol 20mg/1ml injection ampoules"),  # decanoate only
        ("Lidocaine_Gel 2%", "Lidocaine 2% oral gel"),  # no sign the gel is taken by mouth
        ("Prednisolone_Eye Dps 0.5%", "Prednisolone 0.5% eye drops 0.4ml unit dose preservative free"),
        ("Salbutamol_Inha 100mcg", "Salbutamol 100micrograms/dose breath actuated inhaler"),
        ("Fortified Milk Drink (Banana)", "Fortified Milk Drink (Vanilla)"),
        # a flavour on one side only: the national list holds a product and its flavours as different products
        ("Nicotine_Gum 4mg S/F (Fruit)", "Nicotine 4mg medicated chewing gum sugar free"),
        ("ProZero liquid", "ProZero liquid chocolate"),
        # "concentrated" with no strength to say it (Chloroform water and its concentrated form: two products)
        ("Chloroform Water_Conc", "Chloroform water"),
        # a device named after a separator is still a device ("soln & dev"): not the refill alone
        ("Tiotropium 2.5microg/dose inh soln & dev", "Tiotropium 2.5microg/dose inh soln"),
        # a concentration in a bottle is not a dose: a pack size is not read into the strength, and another
        # bottle is another product even at that concentration
        ("Phytomenadione_Oral Soln 10mg/ml 50ml", "Phytomenadione 1g/100ml oral solution"),
        ("Dithranol 0.1% in Salicylic acid 2% ointment", "Dithranol 0.1% ointment"),
        # the national list holds both, so what one side only states tells them apart (knowledge/derived.yaml):
        # a salt, a powder for injection, sachets of an oral suspension, capsules of inhalation powder
        ("Phenobarbital 15mg/5ml oral liquid", "Phenobarbital sodium 15mg/5ml oral liquid"),
        ("Ibuprofen_Tab 200mg", "Ibuprofen sodium dihydrate 200mg tablets"),
        ("Parecoxib_Inj 40mg Vial", "Parecoxib 40mg powder for solution for injection vials"),
        ("Ibuprofen 100mg/5ml oral suspension", "Ibuprofen 100mg/5ml oral suspension 5ml sachets"),
        ("Budesonide 200micrograms/dose dry powder inhaler", "Budesonide 200microgram inhalation powder capsules"),
        # strengths stated only in brackets still tell products apart
        ("Magnesium aspartate (magnesium 5mmol) oral powder sachets", "Magnesium aspartate (magnesium 10mmol) powder"),
        ("Benzoyl/Clindamycin gel (5% and 1%)", "Benzoyl/Clindamycin gel (3% and 1%)"),
        # a name with a suffix is a variant, not the name written out ("Triptafen" and "Triptafen-M")
        ("Triptafen tablets", "Triptafen-M tablets"),
        # the same maker, another product: one word more, or another word
        ("Lamberts_Vit E Cap 400u", "Lamberts Vitamin E Plus 400unit capsules"),
        ("Biocare_Omega Oil Cap", "Biocare Mega Oil capsules"),
        # a refill is not the product with its device
        ("Fluticasone Prop_Pdr Inh 250mcg Disk Ref", "Fluticasone 250microgram inhalation powder blisters with device"),
        ("Olodaterol 2.5microg/dose soln&dev", "Olodaterol 2.5microg/dose soln"),
    ],
)
def test_near_miss_stays_a_candidate(left: str, right: str) -> None:
    pairs = run([left], [right], reference=None)
    assert not autos(pairs)
    assert pairs and pairs[0].decision == "candidate"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (
            "Covonia_Hot Dose Cough & Cold Syr",
            ["Covonia Hot Dose Cough & Cold syrup", "Covonia Dry & Tickly Cough linctus"],
        ),
        ("Orbifen_Cold & Flu Susp", ["Orbifen Cold & Flu oral suspension"]),
        (
            "Lemsip_Max Cold & Flu Lemon Pdr Sach",
            ["Lemsip Max Cold & Flu Lemon powder sachets", "Lemsip Max Cold & Flu Blackcurrant powder sachets"],
        ),
    ],
)
def test_an_ampersand_between_words_of_a_brand_product_joins_them(left: str, right: list[str]) -> None:
    """A brand the national list reads as a substance, then words joined by "&": not a second substance ("flu"),
    but words of the product's name, which must agree as any words do."""
    assert autos(run([left], right, reference=load_reference(shipped_pack()))) == {("L0", "R0")}


def test_a_maker_with_a_substances_letters_in_order_is_still_a_maker() -> None:
    """``Tesco`` has the letters of ``testolactone`` in order, but cuts no substance short: written before the
    underscore, it is the maker of the product after it, as the national list files the current name."""
    right = [
        "Tesco Cod Liver Oil One a day 550mg capsules",
        "Tesco Cod Liver Oil High Strength One a day 1000mg capsules",
    ]
    pairs = run(["Tesco_Cod Liver Oil One A Day Cap 550mg"], right, reference=load_reference(shipped_pack()))
    assert autos(pairs) == {("L0", "R0")}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Numark_Max Strgh ChestyCough&ColdPdrSach", "Numark Max Strength Chesty Cough & Cold oral powder sachets"),
        ("Superdrug_ColdRelief Day&Night BlkcurCap", "Superdrug Cold Relief Day & Night Blackcurrant capsules"),
    ],
)
def test_words_run_together_to_fit_40_characters_are_read_apart(left: str, right: str) -> None:
    assert len(left) == 40  # legacy names were cut to 40 characters, their spaces squeezed out first
    assert autos(run([left], [right], reference=load_reference(shipped_pack()))) == {("L0", "R0")}


def test_a_word_the_national_list_writes_with_a_capital_inside_stays_whole_in_a_squeezed_name() -> None:
    knowledge = with_reference_brands(load_knowledge(), load_reference(shipped_pack()))
    key = parse_name("Aranesp SureClick_Inj 100mcg/0.5ml PfPen", knowledge)
    assert "sureclick" in key.residual
    assert key.container == "pre-filled disposable devices"  # a known abbreviation stays whole too


def test_a_brand_the_national_list_files_under_its_class_word_is_the_brand_alone() -> None:
    """The national list files ``Insulin Trurapi`` and names its presentations ``Trurapi ...``; an older name
    writes ``Ins Trurapi``: one brand. The vial and the cartridges of the same brand stay apart."""
    right = [
        "Trurapi 100units/ml solution for injection 3ml cartridges",
        "Trurapi 100units/ml solution for injection 10ml vial",
    ]
    pairs = run(["Ins Trurapi_100u/ml 10ml Vl"], right, reference=load_reference(shipped_pack()))
    assert autos(pairs) == {("L0", "R1")}


def test_a_makers_name_stating_no_form_is_the_one_presentation_of_that_maker_it_fits() -> None:
    """``Polyfusor_Sod Bicarb 4.2% 500ml`` states a maker, a substance, a strength and a volume, no form: of the
    current presentations, only the maker's infusion fits it (not another maker's, not another strength)."""
    right = [
        "Polyfusor sodium bicarbonate 4.2% infusion 500ml bottles",
        "Sodium bicarbonate 4.2% infusion 500ml bottles",
        "Polyfusor sodium bicarbonate 8.4% infusion 200ml bottles",
    ]
    pairs = run(["Polyfusor_Sod Bicarb 4.2% 500ml"], right, reference=load_reference(shipped_pack()))
    assert autos(pairs) == {("L0", "R0")}
    evidence = next(p.evidence.text for p in pairs if p.decision == "auto")
    assert "settled: the only current BNF presentation it fits is Polyfusor sodium bicarbonate 4.2%" in evidence
    # without the national list nothing settles the form only one side states
    assert not autos(run(["Polyfusor_Sod Bicarb 4.2% 500ml"], right))


def test_a_generic_vehicle_shortened_gen_in_a_current_name_is_the_vehicle() -> None:
    """Today's names shorten "Generic" to "Gen" (``... in Gen Unguentum M crm``): the base the actives are diluted
    in, not words only one side states. Another strength stays another product."""
    right = [
        "Propylene glycol 20% / Lactic acid 3% in Gen Unguentum M crm",
        "Propylene glycol 20% / Lactic acid 5% in Gen Unguentum M crm",
    ]
    assert autos(run(["Propylene Glycol 20%/Lactic Acid 3%/Unguentum M_Crm"], right)) == {("L0", "R0")}


def test_a_gas_cylinder_of_a_size_is_that_size_whatever_volume_the_older_name_states() -> None:
    """``Equanox_Cylinder Size G 5000L``: the volume of gas a cylinder of size G holds, which today's name leaves
    out; the brand's line holds one cylinder of size G, and the other sizes are other products."""
    right = ["Equanox cylinders size G", "Equanox cylinders size F", "Equanox cylinders size D"]
    reference = load_reference(shipped_pack())
    pairs = run(["Equanox_Cylinder Size G 5000L", "Equanox_Cylinder Size AD 500L"], right, reference=reference)
    assert autos(pairs) == {("L0", "R0")}  # no cylinder of size AD in the list: never joined to another size


def test_a_premixed_insulins_share_written_apart_from_mix_is_its_mix_not_a_mixture() -> None:
    """``Ins Humalog Mix 25``: the share of the short-acting insulin, which today's names write against ``Mix``
    (``Humalog Mix25``); never the form "oral mixture". Another share is another product."""
    right = ["Humalog Mix25 100units/ml inj 3ml cartridges", "Humalog Mix50 100units/ml inj 3ml cartridges"]
    assert autos(run(["Ins Humalog Mix 25_100u/ml 3ml Cart"], right)) == {("L0", "R0")}
    assert parse_name("Ins Humalog Mix 25_100u/ml 3ml Cart", load_knowledge()).form == "injection"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # a human insulin: its long-acting part is isophane, the share the ratio's first number
        ("Gppe Ins_Hum Mixt 30 100u/ml 3ml Cart", "Insulin isophane biphasic human 30/70 100u/ml inj 3ml cart"),
        ("Gppe Ins_Hum Mixt 20 100u/ml 1.5ml Cart", "Insulin isophane biphasic human 20/80 100u/ml inj 1.5ml cart"),
        # an analogue read from its brand: the analogue's biphasic insulin, the brand's product
        ("Ins Humalog Mix25_100u/ml 3ml Cart", "Humalog Mix25 100units/ml inj 3ml cartridges"),
    ],
)
def test_a_premixed_insulin_named_by_its_share_is_todays_biphasic_insulin_of_that_ratio(left: str, right: str) -> None:
    """``Ins Hum Mixt 30``, ``Humalog Mix25``: older names give a premixed insulin as a premix word and the share of
    its short-acting part; today's names write the biphasic insulin and the ratio. Another share, the insulin
    alone and the other kind of biphasic insulin are other products."""
    others = {
        "Insulin isophane biphasic human 30/70 100u/ml inj 3ml cart": [
            "Insulin isophane biphasic human 20/80 100u/ml inj 3ml cart",
            "Insulin isophane human 100units/ml inj 3ml cartridges",
        ],
        "Insulin isophane biphasic human 20/80 100u/ml inj 1.5ml cart": [
            "Insulin isophane biphasic human 30/70 100u/ml inj 1.5ml cart",
            "Insulin soluble human 100units/ml inj 1.5ml cartridges",
        ],
        "Humalog Mix25 100units/ml inj 3ml cartridges": [
            "Humalog Mix50 100units/ml inj 3ml cartridges",
            "Humalog 100units/ml solution for injection 3ml cartridges",
        ],
    }[right]
    assert autos(run([left], [right, *others])) == {("L0", "R0")}
    pairs = run([left], others)
    assert autos(pairs) == set()
    assert pairs and all(p.evidence.vetoes for p in pairs)  # another share, the insulin alone: told apart


@pytest.mark.parametrize(
    "left", ["Adrenaline_Auto-Inj 1/1000 300mcg/0.3ml", "Adrenaline_Inj 1/1000 300mcg/0.3ml Autoinject"]
)
def test_an_auto_injector_written_short_is_the_pre_filled_device(left: str) -> None:
    """``Auto-Inj``, ``Autoinject``: older names' auto-injector, a pre-filled device (an injection), never a word
    left over; the syringe of the same strength is another product."""
    right = [
        "Adrenaline 300micrograms/0.3ml (1 in 1,000) solution for injection auto-injectors",
        "Adrenaline 300micrograms/0.3ml (1 in 1,000) solution for injection pre-filled syringes",
    ]
    assert autos(run([left], right)) == {("L0", "R0")}
    assert parse_name(left, load_knowledge()).container == "pre-filled disposable devices"


def test_a_brand_named_by_a_premix_word_is_that_brands_product_not_the_generic_biphasic_insulin() -> None:
    """``Ins Hum Mixt_40 Penfill``: Human Mixtard is a brand named by a premix word, and today's list still names
    its products by the brand: the older name is the brand's product of that share, not the generic biphasic
    insulin (only a generic equivalent, ``Gppe Ins_Hum Mixt 40``, is). A premix word beside a word nobody knows
    (``Ins Mixt NovoLet_10``, a pen) is not read as a biphasic insulin either: the share stays a word of the name."""
    right = [
        "Human Mixtard 40 Penfill 100units/ml inj 1.5ml cartridges",
        "Insulin isophane biphasic human 40/60 100u/ml inj 1.5ml cart",
    ]
    assert autos(run(["Ins Hum Mixt_40 Penfill 100u/ml 1.5ml"], right)) == {("L0", "R0")}
    assert autos(run(["Gppe Ins_Hum Mixt 40 100u/ml 1.5ml Cart"], right)) == {("L0", "R1")}
    key = parse_name("Ins Mixt NovoLet_10 Pf Pen 100u/ml 3ml", load_knowledge())
    assert key.ratio == "" and "10" in key.residual
    # a brand's premix word stays a word of its name: without the national list, the brand's product and the
    # generic biphasic insulin would fit it equally well
    key = parse_name("Humalog Mix25 100units/ml inj 3ml cartridges", load_knowledge())
    assert (key.substances, key.ratio, key.residual) == (("insulin biphasic lispro",), "25/75", ("mix25",))


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("TCP_Antis Oint", ["TCP antiseptic ointment", "TCP first aid antiseptic cream"]),
        ("Germolene_Antis Oint", ["Germolene antiseptic ointment", "Germolene 0.025% antiseptic gel"]),
    ],
)
def test_a_makers_product_named_by_words_keeps_its_maker_with_the_national_list(left: str, right: list[str]) -> None:
    """``TCP_Antis Oint``: with the national list, the words after a maker are read as a product of their own only
    when they name a known substance or cut one short, not when they merely have its letters in order (``antis``,
    ``anti-emetics``): the maker's words stay the product's, and ``Antis`` is antiseptic."""
    assert autos(run([left], right, reference=load_reference(shipped_pack()))) == {("L0", "R0")}


def test_for_before_a_form_is_kept_it_tells_products_apart() -> None:
    """ "for" between words of a product's name is left out (older names leave it out); before a form it stays a
    word the other name must state: tablets for oral suspension are not the tablets (left out everywhere, it made
    two false automatic matches on held-out names of T2-dmd)."""
    knowledge = load_knowledge()
    assert "for" in parse_name("Lansoprazole 15mg tablets for oral suspension", knowledge).residual
    assert "for" not in parse_name("Beechams Max Strength for Chesty Cough capsules", knowledge).substances[0]


def test_an_ampersand_before_a_substance_still_joins_two_substances() -> None:
    key = parse_name("Lloydspharmacy Calcium 500mg & Vitamin D3 400unit tablets", load_knowledge())
    assert len(key.substances) == 2
    # in a current name not starting with a brand, and in an older name's head, it joins substances, even one the
    # knowledge does not name
    assert parse_name("Menthol and Eucalyptus inhalation", load_knowledge()).substances == ("menthol", "eucalyptus")
    assert parse_name("Hydrocort & Crotamiton_Crm 0.25%/10%", load_knowledge()).substances == (
        "hydrocortisone",
        "crotamiton",
    )
    assert parse_name("Sodium chloride 0.45% and glucose 5% infusion", load_knowledge()).substances[-1] == "glucose"


def test_products_named_by_words_need_every_word() -> None:
    # a maker's product named by words only: one word more or another word is another product
    right = ["Numark Pharmacy Cold and Flu Day capsules", "Numark Pharmacy Cold and Flu Night capsules"]
    left = ["Numark_Pharmacy Cold & Flu Night Cap", "Numark_Pharmacy Cold & Flu Cap"]
    assert autos(run(left, right, reference=None)) == {("L0", "R1")}


def test_a_shortened_word_of_a_product_named_by_words_that_fits_two_products_is_no_automatic_match() -> None:
    pairs = run(["Jakemans_Orig Loz"], ["Jakemans Original lozenges", "Jakemans Origins lozenges"], reference=None)
    assert not autos(pairs)
    assert {p.right_id for p in pairs if p.decision == "candidate"} == {"R0", "R1"}


def test_a_shortened_word_that_fits_another_word_of_the_lists_is_a_guess() -> None:
    # "orig" is "original" here, but the lists also hold "origins": reading it either way is a guess
    right = ["Jakemans Original lozenges", "Jakemans Origins pastilles"]
    pairs = run(["Jakemans_Orig Loz"], right, reference=None)
    assert not autos(pairs)
    assert "word guessed from a shortened name: orig could be original or origins" in str(pairs[0].evidence)


def test_unit_dose_matches_the_unit_dose_not_the_bottle() -> None:
    right = ["Prednisolone 0.5% eye drops", "Prednisolone 0.5% eye drops 0.4ml unit dose preservative free"]
    pairs = run(["Prednisolone_Eye Dps 0.5% Ud", "Prednisolone_Eye Dps 0.5%"], right)
    assert autos(pairs) == {("L0", "R1"), ("L1", "R0")}


def test_breath_actuated_inhaler_is_its_own_product() -> None:
    right = ["Salbutamol 100micrograms/dose inhaler", "Salbutamol 100micrograms/dose breath actuated inhaler"]
    assert autos(run(["Salbutamol_Inha B/A 100mcg"], right)) == {("L0", "R1")}


def test_sole_salt_is_stated_in_the_evidence() -> None:
    pairs = run(["Clobetasone Butyr_Crm 0.05%"], ["Clobetasone 0.05% cream"])
    assert "the only salt of clobetasone" in pairs[0].evidence.text


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Betameth Val/Fusidic Acid_Crm0.1/2%", "betameth valerate 0.1% / fusidic acid 2% cream"),
        ("Hypromellose_Eye Dps.5%", "hypromellose 0.5% eye drops"),
        ("Insulin aspart 100units/ml FlexPen", "insulin aspart 100unit/ml injection pre-filled disposable devices"),
        ("Fusidic acid 20mg/g cream", "fusidic acid 2% cream"),
        ("Co-codamol 30/500 tablets", "codeine 30mg / paracetamol 500mg tablets"),
        ("Wte Soft Paraf_Oint", "white soft paraffin ointment"),
        ("Liq Paraf_Oral Emuls 50%", "liquid paraffin 50%"),  # a substance, not a liquid form
        ("Paracet_Oral Susp Paed 120mg/5ml", "paracetamol 24mg/ml oral suspension paediatric"),
        ("Diazepam_Soln 10mg/2.5ml Rectal Tube", "diazepam 10mg/2.5ml enema"),
    ],
)
def test_legacy_spellings_parse(name: str, canonical: str) -> None:
    assert parse_name(name).canonical == canonical


def test_invalid_sole_salt_entry_is_reported_with_file_and_line(tmp_path) -> None:
    (tmp_path / "salts.yaml").write_text(
        "sole_salts:\n  - {substance: beclometasone}\n  - {substance: x, salt: y, form: [tablets]}\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as caught:
        load_knowledge([tmp_path])
    message = str(caught.value)
    assert "salts.yaml:2" in message and "missing key 'salt'" in message
    assert "salts.yaml:3" in message and "did you mean forms?" in message


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (
            "Easyhaler_Budesonide 200mcg (200 D)",
            [
                "Easyhaler Budesonide 200micrograms/dose dry powder inhaler",
                "Easyhaler Budesonide 400micrograms/dose dry powder inhaler",
                "Easyhaler Salbutamol sulfate 200micrograms/dose dry pdr inh",
            ],
        ),
        (
            "Minims_Tropicamide 1% Ud P/F",
            ["Minims tropicamide 1% eye drops 0.5ml unit dose", "Minims tropicamide 0.5% eye drops 0.5ml unit dose"],
        ),
        (
            "Minims_Sod Chlor 0.9% Ud",
            ["Minims saline 0.9% eye drops 0.5ml unit dose", "Sodium chloride 0.9% nebuliser liquid 2.5ml ampoules"],
        ),
    ],
)
def test_a_range_named_after_its_device_before_the_substance_names_the_substance(left: str, right: list[str]) -> None:
    """``Easyhaler Budesonide``, ``Minims_Sod Chlor``: the range (a form or container word) comes first, then the
    substance; the substance is read, not left over as words after a form. Another strength is another product."""
    assert autos(run([left], right, reference=load_reference(shipped_pack()))) == {("L0", "R0")}


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("Irrigation clamp", "clamp"),
        ("Inha Spare Top - Mouthpiece + Cork", "spare"),
        ("Bard Biocath H/Gel Foy Male 30ml Ball Cath", "foy"),
    ],
)
def test_only_a_substances_name_is_read_after_a_device_word(name: str, word: str) -> None:
    """After a form word at the start, only a word that begins a substance's name is read as one: an appliance's
    words stay words, and a form in the middle of a name does not start a substance."""
    knowledge = with_reference_brands(load_knowledge(), load_reference(shipped_pack()))
    key = parse_name(name, knowledge)
    assert word in key.residual
    assert not any(word in substance.split() for substance in key.substances)


def test_a_product_named_by_words_is_the_one_presentation_of_its_line_holding_its_words() -> None:
    """``Bell's_Corn & Callus Oint``: a maker's line the national list does not know as a brand, named by words
    with no strength. Of the maker's ointments only one has the name's own words (``Bell's Muscle Rub ointment``
    has others), so the list settles it. Another maker's line, or a name whose words two products hold
    (``Golden Eye`` and ``Golden Eye Antibiotic``), stays with the working group."""
    reference = load_reference(shipped_pack())
    right = ["Bell's Corn & Callus 12.5% ointment", "Bell's Muscle Rub ointment"]
    pairs = run(
        ["Bell's_Corn & Callus Oint", "Golden Eye_Eye Oint"], [*right, "Golden Eye 0.15% ointment"], reference=reference
    )
    assert autos(pairs) == {("L0", "R0")}
    evidence = next(p.evidence.text for p in pairs if p.decision == "auto")
    assert "settled: the only current BNF presentation it fits is Bell's Corn & Callus 12.5% ointment" in evidence


def test_the_plastic_a_bottle_is_made_of_does_not_tell_products_apart_the_container_still_does() -> None:
    """Today's names say what an infusion's bottle is made of (``500ml polyethylene bottles``), older ones do not:
    the only 0.18% infusion the national list holds is that product. Where the list holds the infusion in bags
    too, a name stating no container fits both and stays with the working group (the list holds infusions with
    and without bottles, so bottles on one side only is a doubt only the list settles)."""
    reference = load_reference(shipped_pack())
    right = ["Sodium chloride 0.18% infusion 500ml polyethylene bottles"]
    assert autos(run(["Sod Chlor_I/V Inf 0.18% 500ml"], right, reference=reference)) == {("L0", "R0")}
    right = ["Sodium chloride 0.45% infusion 500ml polyethylene bottles"]
    pairs = run(["Sod Chlor_I/V Inf 0.45% 500ml"], right, reference=reference)
    assert not autos(pairs)
    assert "container bottles stated on one side only" in pairs[0].evidence.text


def test_refills_sold_with_the_device_named_are_the_product_with_its_device() -> None:
    """``Serevent_Disk 50mcg + Diskhaler`` is the disks with the inhaler device, today's ``... disks with
    Diskhaler``, never the refill disks alone; the disks alone are the refill, never the pack with the device."""
    right = ["Serevent 50microgram disks with Diskhaler", "Serevent 50microgram disks"]
    assert autos(run(["Serevent_Disk 50mcg + Diskhaler", "Serevent_Disk 50mcg"], right)) == {
        ("L0", "R0"),
        ("L1", "R1"),
    }
    key = parse_name("Becodisks 200microgram with Diskhaler")
    assert key.substances == ("becodisks",) and "with device" in key.flags  # the device is no second substance


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Lloyds_Vit C Tab 500mg", ["Lloydspharmacy Vitamin C 500mg tablets", "Lamberts Vitamin C 500mg tablets"]),
        (
            "Lloyds_Thrush Oral Cap 150mg",
            ["Lloydspharmacy Thrush Oral 150mg capsules", "Boots Thrush Oral 150mg capsules"],
        ),
    ],
)
def test_a_makers_name_cut_short_before_the_underscore_is_the_makers_name(left: str, right: list[str]) -> None:
    """``Lloyds_``: older names cut the maker's name (today's ``Lloydspharmacy``); the word cut short is the maker's
    name of today's brand or product name, not a word only one side states. Another maker is another product."""
    assert autos(run([left], right, reference=load_reference(shipped_pack()))) == {("L0", "R0")}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # Rotacaps: capsules of inhalation powder
        ("Becotide_R/Cap 100mcg", ["Becotide 100microgram Rotacaps", "Becotide 200microgram Rotacaps"]),
        # divided powders: an oral powder (the national list holds it in sachets only)
        ("Amiodarone HCl_Pdrs 55mg", ["Amiodarone 55mg oral powder sachets", "Amiodarone 100mg tablets"]),
        # plain: no flavour, no vasoconstrictor; the list holds no other version to tell apart
        ("Citanest_Inj 1% Plain 20ml Vl", ["Citanest 1% solution for injection 20ml vials"]),
    ],
)
def test_older_form_and_version_words(left: str, right: list[str]) -> None:
    assert autos(run([left], right, reference=load_reference(shipped_pack()))) == {("L0", "R0")}


def test_plain_is_a_version_that_tells_products_apart_where_the_list_holds_another() -> None:
    """``Fybogel ... sachets plain`` and ``... orange``: plain is a flavour, not a word to leave out."""
    right = [
        "Fybogel 3.5g effervescent granules sachets plain SF",
        "Fybogel 3.5g effervescent granules sachets orange SF",
    ]
    assert autos(run(["Fybogel_Eff Gran Sach 3.5g Plain S/F"], right)) == {("L0", "R0")}
    assert not autos(run(["Fybogel_Eff Gran Sach 3.5g S/F"], right))


def test_with_the_national_list_the_infusion_a_name_says_is_the_presentation_saying_infusion() -> None:
    """With the list, a name saying infusion fits the ``inf vials`` and not the ``inj vials``; a name saying
    infusion where the list holds the product only as an injection (``Sod Chlor_I/V Inf 0.9% 5ml Amp``) is still
    that product, as no other current product fits it."""
    reference = load_reference(shipped_pack())
    right = ["Pamidronate disodium 30mg inf vials", "Pamidronate disodium 30mg inj vials"]
    pairs = run(["Pamidronate Disod_I/V Inf 30mg Vl"], right, reference=reference)
    assert autos(pairs) == {("L0", "R0")}
    assert "infusion on both sides" in next(p.evidence.text for p in pairs if p.decision == "auto")
    right = ["Sodium chloride 0.9% solution for injection 5ml ampoules"]
    assert autos(run(["Sod Chlor_I/V Inf 0.9% 5ml Amp"], right, reference=reference)) == {("L0", "R0")}


def test_an_older_name_of_a_brands_generic_equivalent_is_the_one_presentation_of_its_generic_line_it_fits() -> None:
    """``Gppe Crm_Transvasin``: the generic equivalent of Transvasin cream, today ``Generic Transvasin Heat Rub
    cream`` (today's name says more: "Heat Rub"). Of the brand's generic line, only that one is a cream. A flag only
    today's name states (sugar free) stays a doubt, as anywhere: the older name may be the product without it."""
    reference = load_reference(shipped_pack())
    right = ["Generic Transvasin Heat Rub cream", "Generic Transvasin Heat spray"]
    pairs = run(["Gppe Crm_Transvasin", "Gppe Spy_Transvasin 125ml"], right, reference=reference)
    assert autos(pairs) == {("L0", "R0"), ("L1", "R1")}
    assert (
        "settled: the only current BNF presentation it fits is Generic Transvasin Heat Rub cream"
        in pairs[0].evidence.text
    )
    right = ["Generic Dioralyte effervescent tablets sugar free"]
    assert not autos(run(["Gppe Tab_Dioralyte Eff"], right, reference=reference))
    # without the national list, nothing says what the line holds
    assert not autos(run(["Gppe Crm_Transvasin"], ["Generic Transvasin Heat Rub cream"]))


def test_the_same_brand_on_both_sides_is_as_strong_as_the_same_substance() -> None:
    """``Lubion_Inj 22.35mg/ml 1.119ml Vl`` and ``Lubion 25mg/1.119ml solution for injection vials``: both name
    the brand, which is no synonym read from one side (that weaker level is for a brand against its generic); the
    content written another way and rounded are weaker readings, still automatic. Another content is not."""
    reference = load_reference(shipped_pack())
    right = ["Lubion 25mg/1.119ml solution for injection vials", "Lubion 25mg/1.112ml solution for injection vials"]
    pairs = run(["Lubion_Inj 22.35mg/ml 1.119ml Vl"], right, reference=reference)
    assert autos(pairs) == {("L0", "R0")}
    assert next(p.evidence.level for p in pairs if p.decision == "auto") == "normalised"
    # without the list nothing checks that no other product of the brand fits as well (the list holds a brand's
    # syrup and its liquid as two products): the brand stays the weaker synonym level there
    pairs = run(["Epilim_Liq 200mg/5ml"], ["Epilim 200mg/5ml liquid"])
    assert [p.evidence.level for p in pairs] == ["synonym"]


def test_a_candidate_with_nothing_in_doubt_says_why_it_is_not_automatic() -> None:
    """The working group sees why: two names fit equally, or weaker readings leave the score below the
    automatic threshold (here the threshold is raised to show it)."""
    pairs = run(["Amlodipine_Tab 5mg"], ["Amlodipine 5mg tablets", "Amlodipine 5mg tablets"])
    assert {p.decision for p in pairs} == {"candidate"}
    assert "not sure: another name fits as well" in pairs[0].evidence.text
    pairs = run(["Amlodipine_Tab 5mg"], ["Amlodipine 5mg tablets"], settings=MatchSettings(auto_score=99))
    assert "not sure: weaker readings leave the score 98 below the automatic 99" in pairs[0].evidence.text


@pytest.mark.parametrize(
    ("left", "right", "near"),
    [
        ("Sulfadiazine Silver_Crm 1% 50g", "Silver sulfadiazine 1% cream 50g", "Silver nitrate 1% cream 50g"),
        (
            "Clorazepate Dipotassium_Cap 15mg",
            "Dipotassium clorazepate 15mg capsules",
            "Dipotassium clorazepate 7.5mg capsules",
        ),
        ("Liquefied Phenol", "Phenol liquefied", "Phenol 5% in almond oil"),
        ("Talc Purified_Dusting Pdr", "Purified talc dusting powder", "Zinc oxide / Talc dusting powder"),
    ],
)
def test_a_substance_written_with_its_words_in_another_order_is_that_substance(
    left: str, right: str, near: str
) -> None:
    """``Sulfadiazine silver``, ``Dipotassium clorazepate``: the national list itself writes some substances with
    their words in another order than the chemical substance it files them under (``Silver sulfadiazine``), and
    older names write either. No two of its chemical substances share their set of words, so the words in another
    order are that substance (read as the national list or the knowledge spells it, and said in the evidence);
    another strength or substance stays apart."""
    pairs = run([left], [right, near], reference=load_reference(shipped_pack()))
    assert autos(pairs) == {("L0", "R0")}
    assert "in another order" in " ".join(str(p.evidence) for p in pairs if p.right_id == "R0")
    assert autos(run([left], [near], reference=load_reference(shipped_pack()))) == set()


def test_a_word_order_fitting_two_substances_or_an_insulins_words_are_left_as_written() -> None:
    """Word order is read only where one known substance has those words: a phrase the knowledge spells itself, a
    set of words two names share and an insulin (read by its set of words, kind and species) keep their order."""
    knowledge = with_reference_brands(load_knowledge(), load_reference(shipped_pack()))
    assert knowledge.reordered("sulfadiazine silver") == "silver sulfadiazine"
    assert knowledge.reordered("silver sulfadiazine") == ""  # the national list's own spelling
    assert knowledge.reordered("sodium chloride") == ""  # one word order known, the same words
    assert knowledge.reordered("insulin soluble human") == ""
    two = knowledge.with_brands({"alpha beta": ("alpha beta",), "gamma": ("beta alpha",)})
    assert two.reordered("beta alpha") == "" and two.reordered("alpha beta") == ""
    key = parse_name("Ins Solb_Inj (Pore) 100u/ml 10ml Vl", knowledge)
    assert key.substances == ("insulin porcine soluble",)


def test_a_comma_listing_words_in_brackets_is_no_word_of_the_name() -> None:
    """``(split virion, inactivated)``: the comma only lists the words in brackets; left as a word, it was a word
    the other name did not state, and kept the same vaccine a candidate. The words themselves still count."""
    left = "Hepatitis A_Vac Inact Adsorbed 1ml Pfs"
    right = ["Hepatitis A vaccine (inactivated, adsorbed) inj 1ml pfs", "Hepatitis A vaccine (inactivated) inj 1ml pfs"]
    assert autos(run([left], right)) == {("L0", "R0")}
    assert "," not in parse_name(right[0], load_knowledge()).residual


def test_a_hyphened_brand_whose_last_part_an_older_name_cuts_short_is_that_brand() -> None:
    """``Vioform-Hydrocort_Crm``: the older name cuts the brand's last part short; when exactly one brand has that
    first part and a last part beginning so, it is that brand (said in the evidence). A letter or two after the
    hyphen is no cut (``Eurax-H``: another brand, or none)."""
    knowledge = load_knowledge().with_brands({"dermaxin-hydrocortisone": ("clioquinol", "hydrocortisone")})
    left, right = "Dermaxin-Hydrocort_Oint", ["Dermaxin-Hydrocortisone ointment", "Dermaxin-Hydrocortisone cream"]
    pairs = run([left], right, knowledge=knowledge)
    assert autos(pairs) == {("L0", "R0")}
    assert "read as the brand dermaxin-hydrocortisone, cut short" in str(pairs[0].evidence)
    assert parse_name("Dermaxin-Hy_Oint", knowledge).brand == ""
    two = knowledge.with_brands({"dermaxin-hydrocortamate": ("hydrocortamate",)})
    assert parse_name(left, two).brand == ""  # two brands begin so: none is read


INTERFERON_CARTRIDGES = [
    "Interferon beta-1a 6million units/0.5ml inj 1.5ml cartridges",
    "Interferon beta-1a 12 million units/0.5ml inj 1.5ml cart",
    # not a product on the market: the first one's concentration in a larger cartridge
    "Interferon beta-1a 6million units/0.5ml inj 3ml cartridges",
]


@pytest.mark.parametrize(
    ("left", "right"), [("Interf B 1a_Inj 12mu/ml 1.5ml Cart", 0), ("Interf B 1a_Inj 24mu/ml 1.5ml Cart", 1)]
)
def test_a_content_per_dose_in_a_larger_fill_is_the_concentration_of_that_fill(left: str, right: int) -> None:
    """``6million units/0.5ml inj 1.5ml cartridges``: a dose's content in a cartridge of three doses is 12 million
    units per ml in 1.5ml, as an older name states it; the same concentration in another fill is another
    product."""
    pairs = run([left], INTERFERON_CARTRIDGES)
    assert autos(pairs) == {("L0", f"R{right}")}
    chosen = next(p for p in pairs if p.decision == "auto")
    assert "(the same concentration in 1.5ml)" in chosen.evidence.text
    assert not autos(run([left], INTERFERON_CARTRIDGES[2:]))  # another fill, alone on the other side


@pytest.mark.parametrize(
    ("left", "right", "other"),
    [
        (
            "Pot Permanganate_Soln 0.1%",
            "Potassium permanganate 0.1% topical solution",
            "Potassium permanganate 0.1% tablets",
        ),
        ("Erythromycin_Top Soln 2%", "Erythromycin 2% solution", "Erythromycin 250mg/5ml oral suspension"),
    ],
)
def test_a_solution_named_without_its_route_in_the_skin_chapter_is_a_cutaneous_solution(
    left: str, right: str, other: str
) -> None:
    """A bare ``Soln`` or ``solution`` is read as an oral solution; filed in BNF chapter 13 (skin) it is a
    cutaneous solution, on either side. Another chapter, or a name saying oral, keeps the oral solution."""
    pairs = match_names([Named("L0", left, "13")], [Named("R0", right, "13"), Named("R1", other, "13")])
    assert autos(pairs) == {("L0", "R0")}
    assert "solution read as a cutaneous solution (BNF chapter 13, skin)" in pairs[0].evidence.text
    assert not autos(match_names([Named("L0", left, "05")], [Named("R0", right, "05")]))
    oral = parse_name("Potassium permanganate 0.1% oral solution", load_knowledge())
    assert on_the_skin(oral, "13").form == "oral solution"
    # the national list holds a cutaneous solution with and without sachets: one side's sachets are a doubt
    sachets = [Named("L0", "Chlorhexidine gluconate 0.05% solution 100ml sachets", "13")]
    assert not autos(match_names(sachets, [Named("R0", "Chlorhexidine gluconate 0.05% solution", "13")]))
