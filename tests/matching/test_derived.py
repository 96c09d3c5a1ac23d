"""Issue 12: which qualifiers tell products apart is derived from the national list itself."""

from __future__ import annotations

from match_helpers import autos, run

from harmonise.matching.derived import derive, derive_flag_forms, derived_text
from harmonise.matching.knowledge import SHIPPED_DIR, load_knowledge
from harmonise.matching.reference import Row, read_pack, shipped_pack


def test_the_shipped_derived_knowledge_is_what_the_shipped_pack_says() -> None:
    """Drift check: rebuilding the pack without re-deriving (tools/derive_knowledge.py) fails here."""
    pack = shipped_pack()
    assert pack is not None
    _, rows, _ = read_pack(pack)
    expected = derived_text(derive(rows, load_knowledge()))
    assert (SHIPPED_DIR / "derived.yaml").read_text(encoding="utf-8") == expected


def test_a_flag_separates_a_form_only_where_one_product_is_listed_both_ways() -> None:
    rows = [
        Row("0101010X0AAAAAA", "Calcium carbonate 500mg chewable tablets", "Calcium carbonate", "Calcium carbonate"),
        Row("0101010X0AAABAB", "Calcium carbonate 500mg chewable tablets sugar free", "Calcium carbonate", "x"),
        Row("0101010X0AAACAC", "Calcium carbonate 500mg tablets", "Calcium carbonate", "Calcium carbonate"),
        # a brand without the flag and the generic with it: two products, not one listed both ways
        Row("0101010Y0AAAAAA", "Ranitidine 75mg tablets sugar free", "Ranitidine", "Ranitidine"),
        Row("0101010Y0BBAAAA", "Zantac 75mg tablets", "Ranitidine", "Zantac"),
    ]
    assert derive_flag_forms(rows, load_knowledge()) == {"sugar free": ["chewable tablets"]}


def test_sugar_free_is_implied_on_a_tablet_but_tells_chewable_tablets_apart() -> None:
    assert autos(run(["Paracetamol_Tab 500mg"], ["Paracetamol 500mg tablets sugar free"], reference=None))
    pairs = run(["Calcium Carb_Tab Chble 500mg"], ["Calcium carbonate 500mg chewable tablets sugar free"])
    assert not autos(pairs)
    assert pairs and "sugar free on one side only" in pairs[0].evidence.text


def test_a_container_of_a_descriptive_plastic_still_tells_the_product_apart_from_one_in_none() -> None:
    """``... inf 500ml polyeth bottles`` and ``... infusion 500ml`` are listed both ways: the plastic the bottle is
    made of is descriptive (ignored when names are compared), so it does not hide that the list holds the
    infusion with and without bottles; without the list, bottles on one side only of an infusion is a doubt."""
    rows = [
        Row("0902021S0AABPBP", "Sodium chloride 0.18% / Glucose 4% infusion 500ml", "Sodium chloride", "x"),
        Row("0902021S0AADRDR", "Sodium chloride 0.18% / Glucose 4% inf 500ml polyeth bottles", "Sodium chloride", "x"),
    ]
    assert derive(rows, load_knowledge())["container_forms"] == {"bottles": ["injection"]}
    right = ["Sodium chloride 0.18% / Glucose 4% infusion 500ml"]
    pairs = run(["Sodium chloride 0.18% / Glucose 4% inf 500ml polyeth bottles"], right, reference=None)
    assert not autos(pairs) and "container bottles stated on one side only" in pairs[0].evidence.text
