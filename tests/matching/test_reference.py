"""The optional NHSBSA BNF code reference (``harmonise.matching.reference``)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from harmonise.errors import InputError
from harmonise.matching import Named, match_names
from harmonise.matching.reference import (
    ATTRIBUTION,
    PACK_SUFFIX,
    generic_code,
    load_reference,
    pack_payload,
    read_release,
    release_of,
    shipped_pack,
)

HEADER = (
    "BNF Chapter,BNF Chapter Code,BNF Chemical Substance,BNF Chemical Substance Code,BNF Product,"
    "BNF Product Code,BNF Presentation,BNF Presentation Code\n"
)
ROWS = [
    "Cardiovascular System,02,Amlodipine,0206020A0,Istin,0206020A0BB,Istin 5mg tablets,0206020A0BBAAAA",
    "Cardiovascular System,02,Amlodipine,0206020A0,Istin,0206020A0BB,Istin 10mg tablets,0206020A0BBABAB",
    "Cardiovascular System,02,Amlodipine,0206020A0,Amlodipine,0206020A0AA,Amlodipine 5mg tablets,0206020A0AAAAAA",
    "Cardiovascular System,02,Amlodipine,0206020A0,Amlodipine,0206020A0AA,Amlodipine 10mg tablets,0206020A0AAABAB",
    "Cardiovascular System,02,Lercanidipine,0206020X0,Zaneril,0206020X0BB,Zaneril 10mg tablets,0206020X0BBAAA0",
]
SHARED_REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "bnf-code-information-2024-11.csv"


def write_reference(tmp_path: Path, rows: list[str]) -> Path:
    """A BNF Code Information CSV of ``rows`` in ``tmp_path``."""
    path = tmp_path / "bnf.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def reference_file(tmp_path: Path) -> Path:
    path = write_reference(tmp_path, ROWS)
    return path


@pytest.mark.parametrize(
    ("code", "generic"),
    [
        ("0206020A0BBAAAA", "0206020A0AAAAAA"),
        ("0206020A0BBABAB", "0206020A0AAABAB"),
        ("0206020A0AAABAB", "0206020A0AAABAB"),
        ("0206020X0BBAAA0", ""),
        ("21010100000", ""),
    ],
)
def test_generic_code(code: str, generic: str) -> None:
    assert generic_code(code) == generic


def test_load_and_look_up(reference_file: Path) -> None:
    reference = load_reference(reference_file)
    assert reference.code_for("ISTIN  5mg tablets") == "0206020A0BBAAAA"
    assert reference.generic_for("Istin 10mg tablets") == "0206020A0AAABAB"
    assert reference.brands["istin"] == ("amlodipine",)


def test_reference_joins_a_brand_the_shipped_list_does_not_know(reference_file: Path) -> None:
    reference = load_reference(reference_file)
    left = [Named("L0", "Istin 10mg tablets")]
    right = [Named("R0", "Amlodipine 10mg tablets"), Named("R1", "Amlodipine 5mg tablets")]
    pairs = match_names(left, right, reference=reference)
    auto = [p for p in pairs if p.decision == "auto"]
    assert [(p.right_id, p.evidence.level) for p in auto] == [("R0", "reference")]
    assert "0206020A0AAABAB" in auto[0].evidence.text
    assert auto[0].evidence.details["left_bnf_code"] == "0206020A0BBABAB"


def test_wrong_file_is_a_located_input_error(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("id,name\n1,x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"other.csv: not a BNF Code Information CSV: missing column"):
        load_reference(path)
    with pytest.raises(InputError, match="reference file not found"):
        load_reference(tmp_path / "missing.csv")


def test_the_shipped_pack_holds_the_same_lookups_as_the_release_it_came_from() -> None:
    if not SHARED_REFERENCE.is_file():
        pytest.skip("the NHSBSA release file is not available here")
    shipped = load_reference(shipped_pack())
    release = load_reference(SHARED_REFERENCE)
    assert (shipped.codes, shipped.names, shipped.brands, shipped.substances) == (
        release.codes,
        release.names,
        release.brands,
        release.substances,
    )
    assert shipped.generic_for("Istin 5mg tablets") == shipped.code_for("Amlodipine 5mg tablets")


def test_the_pack_ships_in_the_package_with_its_release_and_attribution() -> None:
    pack = shipped_pack()
    assert pack is not None and pack.name == "bnf-code-information-2024-11.json.gz"
    assert pack.stat().st_size < 3_000_000  # "a few MB at most"
    reference = load_reference(pack)
    assert reference.release == "2024-11" and len(reference.names) > 25_000
    notice = (pack.parent / "README.md").read_text(encoding="utf-8")
    assert ATTRIBUTION.rstrip(".") in notice and "1 November 2024" in notice


def test_a_pack_gives_the_same_lookups_as_its_csv_and_the_same_bytes_every_time(reference_file: Path) -> None:
    payload = pack_payload(read_release(reference_file), "2024-11")
    assert payload == pack_payload(read_release(reference_file), "2024-11")  # deterministic: no timestamp
    pack = reference_file.with_name("bnf" + PACK_SUFFIX)
    pack.write_bytes(payload)
    from_pack, from_csv = load_reference(pack), load_reference(reference_file)
    assert (from_pack.codes, from_pack.names, from_pack.brands) == (from_csv.codes, from_csv.names, from_csv.brands)
    assert from_pack.release == "2024-11" and from_pack.code_for("Zaneril 10mg tablets") == "0206020X0BBAAA0"


def test_a_damaged_or_foreign_pack_is_a_clear_input_error(tmp_path: Path) -> None:
    broken = tmp_path / f"broken{PACK_SUFFIX}"
    broken.write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match=r"broken.json.gz: not a harmonise reference pack .*rebuild it"):
        load_reference(broken)
    foreign = tmp_path / f"foreign{PACK_SUFFIX}"
    foreign.write_bytes(gzip.compress(json.dumps({"format": "something else"}).encode()))
    with pytest.raises(InputError, match=r"foreign.json.gz: not a reference pack this harmonise reads"):
        load_reference(foreign)


def test_the_release_is_read_from_the_file_name_or_must_be_given(tmp_path: Path) -> None:
    assert release_of(Path("bnf-code-information-2025-02.csv")) == "2025-02"
    assert release_of(Path("BNF Code Information 202503.csv")) == "2025-03"
    assert release_of(Path("whatever.csv"), "2025-04") == "2025-04"
    with pytest.raises(InputError, match=r"give it as --release YYYY-MM"):
        release_of(Path("latest.csv"))


def test_a_brand_whose_bnf_substance_carries_its_salt_does_not_turn_the_salt_into_a_substance(
    tmp_path: Path,
) -> None:
    # the BNF names the chemical substance with its salt ("Phenytoin sodium"); a brand of it in the reference
    # must not stop "Phenytoin_Sod" being read as phenytoin with its sodium salt
    rows = [
        "Central Nervous System,04,Phenytoin sodium,0408010H0,Epanutin (capsule),0408010H0BB,Epanutin 100mg capsules,"
        "0408010H0BBABAB",
        "Central Nervous System,04,Phenytoin sodium,0408010H0,Phenytoin sodium,0408010H0AA,"
        "Phenytoin sodium 100mg capsules,0408010H0AAABAB",
    ]
    path = write_reference(tmp_path, rows)
    pairs = match_names(
        [Named("L0", "Phenytoin_Sod Cap 100mg")],
        [Named("R0", "Phenytoin sodium 100mg capsules")],
        reference=load_reference(path),
    )
    assert [(p.right_id, p.decision) for p in pairs] == [("R0", "auto")]


def test_a_trade_mark_sign_does_not_hide_a_current_name() -> None:
    """Exports often keep the sign of a registered trade mark (``Hirudoid® 0.3% cream``)."""
    pack = shipped_pack()
    assert pack is not None
    reference = load_reference(pack)
    code = reference.code_for("Hirudoid 0.3% cream")
    assert code and reference.code_for("Hirudoid® 0.3% cream") == code
    assert reference.code_for("Hirudoid™ 0.3% cream") == code
    pairs = match_names(
        [Named("L0", "Hirudoid® 0.3% cream")], [Named("R0", "Heparinoid 0.3% cream")], reference=reference
    )
    assert [(p.decision, p.evidence.level) for p in pairs] == [("auto", "reference")]


def test_a_maker_named_as_the_product_of_several_substances_is_no_brand(tmp_path: Path) -> None:
    # the list names products "Boots" of three substances: the word names a maker, not one generic, so a name
    # starting "Boots" is not read as any of them (it was read as the first one met)
    rows = [
        "Gastro-Intestinal System,01,Ranitidine hydrochloride,0103010T0,Boots,0103010T0BD,"
        "Boots 75mg tablets,0103010T0BDAAAA",
        "Gastro-Intestinal System,01,Bisacodyl,0106020B0,Boots,0106020B0BB,Boots 5mg tablets,0106020B0BBAAAA",
        "Cardiovascular System,02,Amlodipine,0206020A0,Istin,0206020A0BB,Istin 5mg tablets,0206020A0BBAAAA",
    ]
    path = write_reference(tmp_path, rows)
    reference = load_reference(path)
    assert "boots" not in reference.brands
    assert reference.brands["istin"] == ("amlodipine",)


HAEMORRHOIDS = "Gastro-Intestinal System,01,Lidocaine hydrochloride,0107010N0,"
WITH_DIURETIC = "Cardiovascular System,02,Lisinopril with diuretic,0205051M0,"
ZESTORETIC = [
    WITH_DIURETIC + "Zestoretic,0205051M0BB,Zestoretic 10 tablets,0205051M0BBAAAA",
    WITH_DIURETIC + "Lisinopril,0205051M0AA,Lisinopril 10mg / Hydrochlorothiazide 12.5mg tablets,0205051M0AAAAAA",
    WITH_DIURETIC + "Zestoretic,0205051M0BB,Zestoretic 20 tablets,0205051M0BBABAB",
    WITH_DIURETIC + "Lisinopril,0205051M0AA,Lisinopril 20mg/Hydrochlorothiazide 12.5mg tablets,0205051M0AAABAB",
]
SEPTRIN = "Infections,05,Co-trimoxazole,0501080D0,"


@pytest.mark.parametrize(
    ("rows", "brand", "substances"),
    [
        # filed under a class ("with diuretic"), with generic equivalents naming one combination: the combination
        (ZESTORETIC, "zestoretic", ("lisinopril", "hydrochlorothiazide")),
        # its presentations' generic equivalents name two different combinations: the chemical substance
        (
            [
                *ZESTORETIC[:2],
                WITH_DIURETIC + "Zestoretic,0205051M0BB,Zestoretic Plus tablets,0205051M0BBACAC",
                WITH_DIURETIC + "Lisinopril,0205051M0AA,Lisinopril 10mg / Indapamide 2.5mg tablets,0205051M0AAACAC",
            ],
            "zestoretic",
            ("lisinopril with diuretic",),
        ),
        # filed under one plain substance, it stays that substance (read as the combination of its generic
        # equivalents, it lost a held-out pair of the development tracks: left out)
        (
            [
                HAEMORRHOIDS + "Xyloderm,0107010N0BX,Xyloderm ointment,0107010N0BXAAAE",
                HAEMORRHOIDS + "Lidocaine,0107010N0AA,Allantoin 0.5% / Lidocaine 0.5% ointment,0107010N0AAAEAE",
            ],
            "xyloderm",
            ("lidocaine hydrochloride",),
        ),
        # a generic equivalent naming one substance (a strength per strength) is no combination
        (
            [
                SEPTRIN + "Septrin,0501080D0BB,Septrin 480mg tablets,0501080D0BBAAAA",
                SEPTRIN + "Co-trimoxazole,0501080D0AA,Co-trimoxazole 80mg/400mg tablets,0501080D0AAAAAA",
            ],
            "septrin",
            ("co-trimoxazole",),
        ),
    ],
)
def test_a_brand_filed_under_a_class_is_the_combination_its_generic_equivalents_name(
    tmp_path: Path, rows: list[str], brand: str, substances: tuple[str, ...]
) -> None:
    path = write_reference(tmp_path, rows)
    assert load_reference(path).brands[brand] == substances


def test_an_older_name_of_a_combination_brand_is_compared_as_the_combination(tmp_path: Path) -> None:
    # "Zestoretic" was read as a substance "lisinopril with diuretic": the evidence named "diuretic" a substance
    path = write_reference(tmp_path, ZESTORETIC)
    pairs = match_names(
        [Named("L0", "Zestoretic 10_Tab 10mg/12.5mg")],
        [Named("R0", "Zestoretic 10 tablets")],
        reference=load_reference(path),
    )
    assert [p.decision for p in pairs] == ["auto"]
    assert "same substance hydrochlorothiazide" in pairs[0].evidence.text
    assert "diuretic" not in pairs[0].evidence.text


def test_a_brand_named_with_a_hyphen_is_read_in_its_presentations_written_apart(tmp_path: Path) -> None:
    # the national list's product "Nystaform-HC" names its presentations "Nystaform HC ...", beside the product
    # "Nystaform" of another substance: "HC" is no word left over of Nystaform
    rows = [
        "Skin,13,Hydrocortisone,1304000H0,Nystaform-HC,1304000H0BX,Nystaform HC ointment,1304000H0BXAAAA",
        "Skin,13,Nystatin,1310020N0,Nystaform,1310020N0BB,Nystaform cream,1310020N0BBAAAA",
    ]
    path = write_reference(tmp_path, rows)
    pairs = match_names(
        [Named("L0", "Nystaform-HC_Oint")],
        [Named("R0", "Nystaform HC ointment"), Named("R1", "Nystaform cream")],
        reference=load_reference(path),
    )
    assert [(p.right_id, p.decision) for p in pairs if p.decision == "auto"] == [("R0", "auto")]
    assert "brand nystaform-hc on both sides" in pairs[0].evidence.text


def test_an_insulin_product_named_with_its_kind_in_brackets_is_the_brand_its_presentations_name(
    tmp_path: Path,
) -> None:
    # the list files "Humulin I" under the product "Insulin Humulin I (Isophane)" (four words: no brand) beside
    # "Insulin Humulin", the biphasic range: "Ins Humulin I" was read as that range with a word "i" left over
    rows = [
        "Endocrine System,06,Isophane insulin,0601012S0,Insulin Humulin I (Isophane),0601012S0BF,"
        "Humulin I 100units/ml inj 3ml cartridges,0601012S0BFAAAA",
        "Endocrine System,06,Biphasic isophane insulin,0601012D0,Insulin Humulin,0601012D0BB,"
        "Humulin M3 100units/ml inj 3ml cartridges,0601012D0BBAAAA",
    ]
    path = write_reference(tmp_path, rows)
    reference = load_reference(path)
    assert reference.brands["insulin humulin i"] == ("isophane insulin",)
    pairs = match_names(
        [Named("L0", "Ins Humulin I_100u/ml 3ml Cart")],
        [
            Named("R0", "Humulin I 100units/ml inj 3ml cartridges"),
            Named("R1", "Humulin M3 100units/ml inj 3ml cartridges"),
        ],
        reference=reference,
    )
    assert [(p.right_id, p.decision) for p in pairs if p.decision == "auto"] == [("R0", "auto")]
    assert "brand humulin i on both sides" in pairs[0].evidence.text


def test_a_product_named_with_words_in_brackets_is_the_brand_its_presentations_alone_are_named_by(
    tmp_path: Path,
) -> None:
    # "SOS (Oral Rehydration)": the brackets tell the product from others of the maker; its presentations are
    # named "SOS Rehydrate ...", and no other presentation has the word: "sos" is that brand
    rows = [
        "Nutrition and Blood,09,Oral rehydration salts,0902012H0,SOS (Oral Rehydration),0902012H0BX,"
        "SOS Rehydrate oral powder sachets mango,0902012H0BXACA0",
        "Nutrition and Blood,09,Oral rehydration salts,0902012H0,SOS (Oral Rehydration),0902012H0BX,"
        "SOS Rehydrate oral powder sachets lemon,0902012H0BXABA0",
        # "Golden (...)" begins another product's names too, and "Active (...)" is a word of another's name
        "Special Senses,12,Olive oil,1201040P0,Golden (Ear Drops),1201040P0BD,Golden ear drops,1201040P0BDAAA0",
        "Eye,11,Propamidine isetionate,1103010P0,Golden Eye,1103010P0BB,Golden Eye 0.1% eye drops,1103010P0BBAAAA",
        "Endocrine System,06,Glucose blood testing reagents,0601060D0,Active (Test Strips),0601060D0BC,"
        "Active testing strips,0601060D0BCAAA0",
        "Central Nervous System,04,Paracetamol combined preparations,0407010X0,Beechams,0407010X0BT,"
        "Beechams Active Cold Relief caplets,0407010X0BTAAA0",
    ]
    reference = load_reference(write_reference(tmp_path, rows))
    assert reference.brands["sos"] == ("oral rehydration salts",)
    assert "golden" not in reference.brands and "active" not in reference.brands
    pairs = match_names(
        [Named("L0", "SOS_Rehyd Pdr Sach (Mango)")],
        [
            Named("R0", "SOS Rehydrate oral powder sachets mango"),
            Named("R1", "SOS Rehydrate oral powder sachets lemon"),
        ],
        reference=reference,
    )
    assert pairs[0].right_id == "R0"
    assert "brand sos on both sides" in pairs[0].evidence.text  # "Rehyd" and "Rehydrate" are left in doubt
