"""The optional NHSBSA BNF code reference (``harmonise.matching.reference``)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from harmonise.errors import InputError
from harmonise.matching import Named, match_names
from harmonise.matching.reference import generic_code, load_reference

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
SHARED_REFERENCE = Path("/work/shared/reference/bnf-code-information-2024-11.csv")


@pytest.fixture()
def reference_file(tmp_path: Path) -> Path:
    path = tmp_path / "bnf.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
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


def test_real_reference_loads_quickly() -> None:
    if not SHARED_REFERENCE.is_file():
        pytest.skip("the NHSBSA reference file is not available here")
    start = time.perf_counter()
    reference = load_reference(SHARED_REFERENCE)
    assert time.perf_counter() - start < 3.0
    assert reference.generic_for("Istin 5mg tablets") == reference.code_for("Amlodipine 5mg tablets")
