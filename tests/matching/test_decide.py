"""Issue 14: the cost of one substance block. A pair whose strengths certainly clash is ranked by its fuzzy
bound instead of being compared in full, and only what can still decide something is kept per left name: the
outcome is the one comparing and keeping everything would give."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from match_helpers import run

from harmonise.matching import decide as decide_module
from harmonise.matching.compare import compare, compare_above, strengths_clash
from harmonise.matching.knowledge import load_knowledge
from harmonise.matching.parse import parse_name

NAMES = [
    "Amlodipine 5mg tablets",
    "Amlodipine 10mg tablets",
    "AMLODIPINE Tabs 5 mg",
    "Amlodipine (as besilate) 10mg tablets",
    "Amlodipine 5mg/5ml oral solution",
    "Amlodipine 1mg/ml oral solution",
    "Fentanyl 25micrograms/hour transdermal patches",
    "Fentanyl 25mcg/72hours patch",
    "Fentanyl 50micrograms/hour transdermal patches",
    "Co-codamol 30mg/500mg tablets",
    "Co-codamol 8mg/500mg tablets",
    "Salbutamol 100micrograms/dose inhaler CFC free",
    "Salbutamol 100mcg Inhaler",
    "Levothyroxine 25microgram tablets",
    "Levothyroxine 25mcg Tabs",
    "Levothyroxine 0.025mg tablets",
    "Levothyroxine 50 micrograms tablets",
    "Prednisolone 5mg, 25mg tablets",
    "Prednisolone 5mg tablets",
    "Prednisolone 1mg tablets",
    "Metformin 500mg m/r tablets",
    "Metformin 500mg tablets",
    "Metformin 1g modified-release tablets",
    "Heparin 5,000units/ml injection",
    "Heparin 1000 units/1ml solution for injection ampoules",
    "Morphine 10mg/5ml oral solution",
    "Morphine 2mg/ml oral solution",
]


@pytest.fixture(scope="module")
def keys() -> list[Any]:
    knowledge = load_knowledge()
    return [(parse_name(n, knowledge), knowledge) for n in NAMES]


def test_a_clash_of_strengths_is_always_a_strength_veto_in_the_full_comparison(keys: list[Any]) -> None:
    clashes = 0
    for (left, knowledge), (right, _) in itertools.permutations(keys, 2):
        if not strengths_clash(left, right):
            continue
        clashes += 1
        cmp = compare(left, right, knowledge)
        assert not cmp.auto_eligible, (left.name, right.name)
        assert any(v.startswith("strength differs") for v in cmp.vetoes), (left.name, right.name, cmp.text)
    assert clashes >= 40  # the check is exercised, not vacuous


def test_no_clash_where_a_strength_is_stated_equivalent_listed_or_per_time(keys: list[Any]) -> None:
    by_name = {k.name: k for k, _ in keys}
    kept = [
        ("Levothyroxine 25microgram tablets", "Levothyroxine 0.025mg tablets"),  # the same strength
        ("Fentanyl 25micrograms/hour transdermal patches", "Fentanyl 25mcg/72hours patch"),  # per time
        ("Prednisolone 5mg, 25mg tablets", "Prednisolone 1mg tablets"),  # a listed row: compared in full
        ("Co-codamol 30mg/500mg tablets", "Co-codamol 8mg/500mg tablets"),  # a combination
        ("Amlodipine 5mg tablets", "AMLODIPINE Tabs 5 mg"),
    ]
    for left, right in kept:
        assert not strengths_clash(by_name[left], by_name[right]), (left, right)


def block(source: int, size: int) -> list[str]:
    forms = ("tablets", "capsules", "oral solution", "orodispersible tablets")
    strengths = ("1mg", "2.5mg", "5mg", "10mg", "20mg", "40mg")
    out = []
    for i in range(size):
        form, strength = forms[i % len(forms)], strengths[(i // len(forms)) % len(strengths)]
        out.append(f"Amlodipine {strength} {form}" if source == 0 else f"AMLODIPINE {form} {strength}")
    return out


def test_a_block_gives_the_outcome_of_comparing_and_keeping_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three copies of each of 24 products on the right (a source listing packs): every left name fits three
    right names equally, so none is automatic, and each shows the same ranked candidates either way."""
    left, right = block(0, 24), block(1, 24) * 3
    fast = run(left, right)
    monkeypatch.setattr(decide_module, "strengths_clash", lambda left, right: False)
    monkeypatch.setattr(decide_module, "_worth_keeping", lambda compared, settings, crowded: compared.items())
    full = run(left, right)
    shown = [(p.left_id, p.right_id, p.decision, p.rank, p.evidence.score) for p in fast]
    assert shown == [(p.left_id, p.right_id, p.decision, p.rank, p.evidence.score) for p in full]
    assert not [p for p in fast if p.decision == "auto"]
    assert len({p.left_id for p in fast}) == 24


def test_a_comparison_is_cut_short_only_when_its_shown_score_is_below_the_floor(keys: list[Any]) -> None:
    """``compare_above`` gives up on a pair only when the score ``compare`` shows (rounded to one place) is below
    the floor: with the floor at that very score, every pair is compared to the end, with the same outcome."""
    cut = 0
    for (left, knowledge), (right, _) in itertools.permutations(keys, 2):
        full = compare(left, right, knowledge)
        at = compare_above(left, right, knowledge, "", "", None, full.score)
        assert at is not None and at.text == full.text and at.score == full.score, (left.name, right.name)
        cut += compare_above(left, right, knowledge, "", "", None, full.score + 0.1) is None
    assert cut > 0  # a floor above the score does cut pairs short


def test_comparisons_cut_short_below_the_candidate_threshold_change_no_outcome(monkeypatch: pytest.MonkeyPatch) -> None:
    """A name compared only to rank candidates is left as soon as it is certain to score below the threshold a
    candidate needs (``compare_above``): every automatic match, candidate, rank and evidence is what comparing it
    to the end gives, and some comparisons were cut short (the check is exercised)."""
    left = [*NAMES, *block(0, 12)]
    # near namesakes in another strength and form: candidates scoring little above the threshold, and below it
    right = [
        *block(1, 12),
        "Amlodipine 20mg capsules",
        "Metformin 850mg tablets",
        "Prednisolone 10mg soluble tablets",
        "Morphine 5mg/5ml oral suspension",
        "Heparin 25,000units/ml injection",
        "Levothyroxine 100microgram tablets",
        "Co-codamol 15mg/500mg capsules",
        "Salbutamol 200micrograms/dose dry powder inhaler",
        "Fentanyl 100micrograms/hour transdermal patches",
        "Atenolol 50mg tablets",
    ]
    cut: list[int] = []
    original = decide_module.compare_above

    def counting(*args: Any) -> Any:
        out = original(*args)
        cut.append(out is None)
        return out

    monkeypatch.setattr(decide_module, "compare_above", counting)
    fast = run(left, right)
    assert sum(cut) > 0
    monkeypatch.setattr(decide_module, "compare_above", lambda *args: original(*args[:-1], None))
    full = run(left, right)
    assert [(p.left_id, p.right_id, p.decision, p.rank, p.evidence) for p in fast] == [
        (p.left_id, p.right_id, p.decision, p.rank, p.evidence) for p in full
    ]


def test_a_left_name_fitting_more_names_than_are_kept_still_blocks_their_slots() -> None:
    """The first left name fits six identical right rows, more than the matcher keeps per name; the working
    group rejected the second left name against five of them. Keeping everything, the first name's claim on
    the sixth row made the second name's join to it ambiguous: it still must, though that claim was dropped."""
    right = ["Amlodipine 5mg tablets"] * 6
    rejected = {("L1", f"R{i}") for i in range(5)}
    pairs = run(["Amlodipine 5mg tablets", "Amlodipine 5mg tablets"], right, rejected=rejected)
    assert ("L1", "R5", "candidate") in {(p.left_id, p.right_id, p.decision) for p in pairs}
    assert not [p for p in pairs if p.decision == "auto"]


def test_a_candidate_with_only_doubts_ranks_before_near_namesakes_that_differ() -> None:
    # the special-order liquid written the older way is the oral solution or the oral suspension of the same
    # strength (a doubt each); the oral liquids of other strengths are closer as strings but differ in strength:
    # the working group must see the two products first, not near namesakes
    right = [
        "Pyridoxine 200mg/5ml oral liquid",
        "Pyridoxine 25mg/5ml oral liquid",
        "Pyridoxine 2.5mg/5ml oral liquid",
        "Pyridoxine 20mg/5ml oral solution",
        "Pyridoxine 20mg/5ml oral suspension",
        "Pyridoxal phosphate 100mg/5ml oral liquid",  # "Pyridox" may be either substance: a doubt more
    ]
    pairs = run(["Pyridox HCl_Liq Spec 20mg/5ml"], right, reference=None)
    assert all(p.decision == "candidate" for p in pairs)
    ranked = sorted(pairs, key=lambda p: p.rank)
    assert {p.right_id for p in ranked[:2]} == {"R3", "R4"}
    assert not ranked[0].evidence.vetoes and not ranked[1].evidence.vetoes


def test_comparing_in_worker_processes_gives_the_outcome_of_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Long lists are compared in forked worker processes, chunk by chunk; the pairs, their ranks and evidence
    are those of comparing every name in one process, including a right slot crowded by a name of another
    chunk (the copies of each product make every left name fit more right names than are kept)."""
    left = [*block(0, 24), "Amlodipine 5mg tablets", "AMLODIPINE Tabs 5 mg", *NAMES]
    right = block(1, 24) * 2 + NAMES
    monkeypatch.setenv("HARMONISE_WORKERS", "1")
    serial = run(left, right)
    monkeypatch.setenv("HARMONISE_WORKERS", "2")
    monkeypatch.setattr(decide_module, "PARALLEL_FROM", 2)
    assert decide_module.workers_for(len(left)) == 2
    parallel = run(left, right)
    assert [(p.left_id, p.right_id, p.decision, p.rank, p.evidence.text) for p in parallel] == [
        (p.left_id, p.right_id, p.decision, p.rank, p.evidence.text) for p in serial
    ]
    assert {p.decision for p in serial} == {"auto", "candidate"}


def test_short_lists_are_compared_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARMONISE_WORKERS", "4")
    assert decide_module.workers_for(decide_module.PARALLEL_FROM - 1) == 1
    assert decide_module.workers_for(decide_module.PARALLEL_FROM) == 4
    monkeypatch.setenv("HARMONISE_WORKERS", "1")
    assert decide_module.workers_for(10 * decide_module.PARALLEL_FROM) == 1


WORDS = ["orig", "original", "meltlet", "meltlets", "a", "as", "ab", "strong", "str", "lemon", "lem", "night", "day"]


def test_the_first_letter_check_of_words_agree_never_changes_its_answer() -> None:
    """``words_agree`` first checks that the words each side writes differently pair off by first letter, as every
    fitting pair does (a shortened word, a plural: ``a`` and ``as`` included); on every pair of small word sets it
    gives what matching the words one by one gives."""
    from harmonise.matching.compare import _word_fits, words_agree

    def one_by_one(a: frozenset[str], b: frozenset[str]) -> bool:
        if a == b:
            return True
        ra, rb = a - b, b - a
        if len(ra) != len(rb) or not a & b:
            return False
        fits = {x: [y for y in rb if _word_fits(x, y)] for x in ra}
        taken = [ys[0] for ys in fits.values() if len(ys) == 1]
        return len(taken) == len(ra) and len(set(taken)) == len(taken)

    sets = [frozenset(c) for size in (1, 2, 3) for c in itertools.combinations(WORDS, size)]
    agreeing = 0
    for a, b in itertools.product(sets, repeat=2):
        expected = one_by_one(a, b)
        assert words_agree(a, b) == expected, (a, b)
        agreeing += expected and a != b
    assert agreeing > 0  # the sets include pairs agreeing by a shortened word or a plural
