"""More classes of legacy BNF writing read as the same product, each with the near miss it must not take:
generic forms (``Mix``, ``Liq``, ``Inh``, ``Pdr`` sachets, ``(S)``), unit-less inhaler strengths, a volume
or a concentration written once, a sachet's content, a strength written only in brackets, a vehicle
(``in aqueous cream``), combination packs, combinations named without strengths, excipients, and words
that say nothing about the product (``conc``, ``(For B)``). The names are written for these tests."""

from __future__ import annotations

import pytest
from match_helpers import auto_pairs as autos
from match_helpers import run

from harmonise.matching.parse import parse_name


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # generic forms: a mixture or a liquid is a solution or a suspension, an "Inh" any inhaler
        ("Kaolin_Mix", "Kaolin oral suspension"),
        ("Baclofen_Liq 5mg/5ml", "Baclofen 5mg/5ml oral suspension"),
        ("Salmeterol_Inha 50mcg", "Salmeterol 50micrograms/dose dry powder inhaler"),
        ("Camphor & Menthol_Inh", "Camphor and Menthol inhalation"),
        ("Cefalexin_Pdr Sach 250mg", "Cefalexin 250mg granules for oral suspension sachets"),
        ("Cefalexin_Gran For Susp 125mg/5ml", "Cefalexin 125mg/5ml oral suspension"),
        ("Zinc Oxide_(S)", "Zinc oxide powder"),
        # an inhaler's strengths written without units, when the other side states them
        ("Budesonide/Formoterol_Inh 200/6 (120D)", "Budesonide 200microgram/Formoterol 6microgram/dose inhaler"),
        # a volume written once for a combination; a drop's concentration written without "/ml"
        ("Triamcinolone/Lidocaine_Inj 40/10mg/ml Vl", "Triamcinolone 40mg / Lidocaine 10mg/1ml inj vials"),
        ("Brimonidine/Timolol_Eye Dps 2mg/5mg", "Brimonidine 2mg/ml / Timolol 5mg/ml eye drops"),
        # a gel sachet's content; a strength written only in brackets
        ("Testosterone_Gel Sach 50mg/5g", "Testosterone 50mg gel sachets"),
        ("Nicotine_Nsl Spy (500mcg D)", "Nicotine 500micrograms/dose nasal spray"),
        ("Glycerol_Suppos Infant's (1g)", "Glycerol 1g suppositories"),
        # a vehicle; a combination pack; a combination named without its strengths; an excipient
        ("Camphor In Aq_Crm 1%", "Camphor 1% in Aqueous cream"),
        ("Miconazole_Pess 100mg/Crm 2%", "Miconazole 100mg pessary and Miconazole 2% cream"),
        ("Ibuprofen/Famotidine_C/Pk Tab 400mg/20mg", "Ibuprofen 400mg tablets and Famotidine 20mg tablets"),
        ("Psyllium/Aspartame_Pdr Sach 3.5g", "Psyllium 3.5g oral powder sachets"),
        # sugar free is implied for solids; diclofenac's dispersible tablets are only ever the sodium salt
        ("Loperamide_Oral Lyoph 2mg", "Loperamide 2mg oral lyophilisates sugar free"),
        ("Diclofenac Sod_Tab Disper 25mg", "Diclofenac 25mg dispersible tablets"),
        # words that do not distinguish a product
        ("Methadone_Conc Oral Soln 10mg/ml", "Methadone 10mg/ml oral solution"),
        ("Sod Citrate_Enem (For B) 5ml Stnd Tube", "Sodium citrate enema (Formula B) 5ml standard tube"),
        ("Malathion_Creme Rinse 1%", "Malathion 1% scalp application"),
        ("Soya Oil_Bath Add 80%", "Soya oil 80% bath additive"),
        ("Salbutamol_Inha 100mcg200D CFCfree", "Salbutamol 100micrograms/dose inhaler CFC free"),
        ("Silver Nit Caustic_Pencil 75%", "Silver nitrate 75% caustic pencils"),
        ("Budesonide_Cap 3mg (G/R Gran)", "Budesonide 3mg gastro-resistant capsules"),
        # one concentration written two ways: a percentage and mg per ml in the same fill
        ("Nimodipine_Inf 0.2mg/ml 50ml Vl", "Nimodipine 0.02% solution for infusion 50ml vials"),
        ("Isosorbide Dinit_I/V Inf 0.05% 25mg/50ml Vl", "Isosorbide dinitrate 0.05% solution for infusion 50ml vials"),
        # a content computed from a rounded concentration ("70mg/ml" of 70.6mg/ml) and its fill
        ("Denosumab_Inj 70mg/ml 1.7ml Vl", "Denosumab 120mg/1.7ml solution for injection vials"),
        ("Progesterone_Inj 22.48mg/ml 1.112ml Vl", "Progesterone 25mg/1.112ml solution for injection vials"),
    ],
)
def test_legacy_class_is_auto(left: str, right: str) -> None:
    assert autos([left], [right]) == {("L0", "R0")}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # a generic form that fits two products of the other list is never automatic
        ("Kaolin_Mix", ["Kaolin oral suspension", "Kaolin oral solution"]),
        ("Baclofen_Liq 5mg/5ml", ["Baclofen 5mg/5ml oral suspension", "Baclofen 5mg/5ml oral solution"]),
        ("Zinc Oxide_(S)", ["Zinc oxide powder", "Zinc oxide ointment"]),
        # unit-less numbers must still be the same numbers
        ("Budesonide/Formoterol_Inh 200/6", ["Budesonide 100microgram/Formoterol 6microgram/dose inhaler"]),
        ("Testosterone_Gel Sach 50mg/5g", ["Testosterone 25mg gel sachets"]),
        # a vehicle on one side only; a pack against one of its products or a combined tablet
        ("Camphor In Aq_Crm 1%", ["Camphor 1% cream"]),
        ("Miconazole_Pess 100mg/Crm 2%", ["Miconazole 100mg pessaries"]),
        ("Ibuprofen/Famotidine_C/Pk Tab 400mg/20mg", ["Ibuprofen 400mg / Famotidine 20mg tablets"]),
        # a combination named without strengths is never automatic, even against the only product of it
        # in the other list: the legacy entry may mean a strength the other list does not hold
        ("Clindamycin/Tretinoin_Gel", ["Clindamycin 1% / Tretinoin 0.025% gel"]),
        ("Co-codamol_Tab", ["Co-codamol 30mg/500mg tablets"]),
        # a combination named without strengths, against two strengths of it
        (
            "Clindamycin/Tretinoin_Gel",
            ["Clindamycin 1% / Tretinoin 0.025% gel", "Clindamycin 1% / Tretinoin 0.05% gel"],
        ),
        # sugar free on one side of a liquid still matters
        ("Loperamide_Oral Soln 1mg/5ml", ["Loperamide 1mg/5ml oral solution sugar free"]),
        # an oral powder is never an injection's powder
        ("Ceftriaxone_Inj 1g Vl + Dil", ["Ceftriaxone 1g pdr for soln inj vials"]),
        # a concentration is not another one, nor the same one in another fill; a fill or a volume stated on one
        # side only is a doubt without the national list (with it, see test_resolve)
        ("Nimodipine_Inf 0.2mg/ml 50ml Vl", ["Nimodipine 0.2% solution for infusion 50ml vials"]),
        ("Nimodipine_Inf 0.2mg/ml 50ml Vl", ["Nimodipine 0.02% solution for infusion 100ml vials"]),
        ("Levofloxacin_Neb Soln 300mg/3ml Amp", ["Levofloxacin 100mg/ml nebuliser liquid ampoules"]),
        ("Teicoplanin_I/V Inf 400mg/50ml (Dry)", ["Teicoplanin 400mg powder for solution for injection vials"]),
        ("Promethazine HCl_Inj 25mg/ml 2ml Amp", ["Promethazine 25mg/1ml solution for injection ampoules"]),
        # the same concentration, stated in brackets on both sides, in another fill is another product
        (
            "Adrenaline (base) 1mg/10ml (1 in 10,000) inj ampoules",
            ["Adrenaline (base) 100microg/1ml (1 in 10,000) inj amp"],
        ),
        ("Adrenaline (base) 1mg/1ml (1 in 1,000) inj pfs", ["Adrenaline (base) 5mg/5ml (1 in 1,000) inj pfs"]),
        # two different hydrations stated are two products (stated by one name only it says nothing)
        (
            "Sod dihydrogen phos dihydrate 680mg/Sod bicarb 500mg suppos",
            ["Sod dihydrogen phos anhydrous 680mg/Sod bicarb 500mg suppos"],
        ),
        # rounding is only forgiven in the content of one fill, never between two concentrations
        ("Denosumab_Inj 70mg/ml 1.7ml Vl", ["Denosumab 120mg/2ml solution for injection vials"]),
        ("Pyridox_Oral Soln 99mg/5ml", ["Pyridoxine 100mg/5ml oral solution"]),
    ],
)
def test_near_miss_of_a_legacy_class_stays_a_candidate(left: str, right: list[str]) -> None:
    assert autos([left], right) == set()


@pytest.mark.parametrize(
    ("name", "substances", "strengths"),
    [
        ("Coal Tar_Soln 5%", ("coal tar",), ("5%",)),
        ("Triamcinolone 40mg / Lidocaine 10mg/1ml inj vials", ("triamcinolone", "lidocaine"), ("40mg/ml", "10mg/ml")),
        ("Testosterone_Gel Sach 50mg/5g", ("testosterone",), ("50mg",)),
        ("Camphor In Aq_Crm 1%", ("camphor",), ("1%",)),
        ("Psyllium/Aspartame_Pdr Sach 3.5g", ("psyllium",), ("3.5g",)),
    ],
)
def test_legacy_names_parse(name: str, substances: tuple[str, ...], strengths: tuple[str, ...]) -> None:
    key = parse_name(name)
    assert (key.substances, key.strengths) == (substances, strengths)


def test_unitless_strengths_are_marked_and_co_names_are_not() -> None:
    assert parse_name("Budesonide/Formoterol_Inh 200/6").unitless
    assert not parse_name("Co-codamol_Tab 30/500").unitless
    assert "combination pack" in parse_name("Miconazole 100mg pessary and Miconazole 2% cream").flags


def test_a_volume_alone_is_a_pack_size_not_a_strength() -> None:
    # "Sterets Unisept_Soln 25ml Sach" states the sachet's volume, not its strength: against a name stating a
    # strength and that volume, the strength is stated on one side only (a doubt), never a clash
    key = parse_name("Sterets Unisept_Soln 25ml Sach")
    assert (key.strengths, key.packs) == ((), ("25ml",))
    pairs = run(["Sterets Unisept_Soln 25ml Sach"], ["Sterets Unisept 0.05% solution 25ml sachets"], reference=None)
    assert [p.decision for p in pairs] == ["candidate"]
    assert not pairs[0].evidence.vetoes
    assert "strength 0.05% stated on one side only" in pairs[0].evidence.text
    # a name whose only quantity is its volume: another volume differs, no volume is a doubt
    assert run(["Glycerol_Liq 100ml"], ["Glycerol liquid 200ml"], reference=None)[0].evidence.vetoes
    assert [p.decision for p in run(["Glycerol_Liq 100ml"], ["Glycerol liquid"], reference=None)] == ["candidate"]
