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
    assert "also fits another current product: Pantoprazole 40mg inj vials" in pairs[0].evidence.text


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
