"""Blocking and decisions: which pairs are compared, which become ``auto``, which ``candidate``s.

Right names are indexed by (BNF chapter, first letters of each substance) and, with a reference, by
generic BNF code, so each left name is compared with a handful of right names rather than all of them.
An auto match needs an auto-eligible comparison (no veto, nothing in doubt) that beats every other
auto-eligible partner of both names by the ambiguity margin: one-to-one, unambiguous. A row listing
several strengths is split into one variant per strength; each variant may match one row, and a right row
listing several strengths may match one left row per strength it lists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from harmonise.matching.compare import (
    CLASS_WORDS,
    can_pair,
    compare,
    compare_above,
    name_words,
    same_name_words,
    strengths_clash,
    words_agree,
    written_words,
)
from harmonise.matching.comparison import LEVEL_SCORES, Comparison
from harmonise.matching.knowledge import Knowledge
from harmonise.matching.known import KnownSubstances, by_start
from harmonise.matching.pairs import Evidence, MatchSettings, Named, Pair
from harmonise.matching.parse import DrugKey, maker_first, on_the_skin, parse_name
from harmonise.matching.reference import Reference, generic_code
from harmonise.matching.resolve import (
    GUESS,
    UNREAD_WORDS,
    Presentations,
    generic_of_brand,
    generic_release,
    listed_salts,
    maker_before_substance,
    one_sided_flag,
    one_sided_volume,
    other_fits,
    presentations,
    resolves_brand_words,
    resolves_flags,
    resolves_form,
    resolves_generic_line,
    resolves_guess,
    resolves_route,
    resolves_strength,
    unsaid_form,
    unsaid_powder,
    unsaid_route,
    unstated_brand_release,
    unstated_release,
    unstated_strength,
)
from harmonise.matching.workers import in_workers, usable_workers

PREFIX = 3
Variant = tuple[int, Named, DrugKey]


def chapter_key(chapter: str) -> str:
    """``2`` and ``02`` are the same chapter; other labels are compared as written (case-insensitive)."""
    text = str(chapter or "").strip().lower()
    return text.zfill(2) if text.isdigit() else text


def block_keys(key: DrugKey) -> frozenset[str]:
    """First letters of every substance (and of the brand): names sharing none are never compared."""
    return _block_keys(key.substances, key.brand)


@lru_cache(maxsize=16384)  # asked of every name in every match, of the same few substances
def _block_keys(substances: tuple[str, ...], brand: str) -> frozenset[str]:
    words = [s.split()[0] for s in substances if s.split()]
    # "Ins Hypurin Bov Neutral": after a class word, every word of the name may be the one the other side starts with
    words += [w for s in substances if s.split()[:1] and s.split()[0] in CLASS_WORDS for w in s.split()[1:]]
    if brand:
        words.append(brand.split()[0])
    return frozenset(w[:PREFIX] for w in words)


class RightIndex:
    """Right names by (chapter, block key) and by generic BNF code."""

    def __init__(
        self, right: list[Named], keys: list[DrugKey], codes: list[str], written: list[DrugKey] | None = None
    ) -> None:
        """``written``: the names as parsed, before the national list read a maker's words out of them
        (``Slow Sodium 600mg tablets`` is a product of sodium chloride by the maker of ``Slow``): indexed under
        both, so an older name written with the maker's words (``Slow Sod_Tab 600mg``) still meets it."""
        self.by_chapter: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.by_key: dict[str, list[int]] = defaultdict(list)
        self.by_code: dict[str, list[int]] = defaultdict(list)
        for i, (named, key) in enumerate(zip(right, keys, strict=False)):
            for block in block_keys(key) | (block_keys(written[i]) if written else frozenset()):
                self.by_chapter[(chapter_key(named.chapter), block)].append(i)
                self.by_key[block].append(i)
            if codes[i]:
                self.by_code[generic_code(codes[i])].append(i)

    def candidates(self, named: Named, key: DrugKey, code: str) -> set[int]:
        chapter = chapter_key(named.chapter)
        found: set[int] = set()
        for block in block_keys(key):
            if chapter:
                found.update(self.by_chapter.get((chapter, block), ()))
                found.update(self.by_chapter.get(("", block), ()))
            else:
                found.update(self.by_key.get(block, ()))
        if code:
            found.update(self.by_code.get(generic_code(code), ()))
        return found


def parse_all(named: list[Named], knowledge: Knowledge) -> list[DrugKey]:
    """Every name parsed, in worker processes when the list is long (see ``workers_for``)."""

    def parse_range(start: int, stop: int) -> list[DrugKey]:
        return [parse_name(n.name, knowledge) for n in named[start:stop]]

    return [key for part in in_workers(parse_range, len(named), workers_for(len(named))) for key in part]


def variants(left: list[Named], knowledge: Knowledge) -> list[Variant]:
    """One variant per left row, or one per strength when a row lists several (``5mg, 10mg``)."""
    out: list[Variant] = []
    for i, (named, key) in enumerate(zip(left, parse_all(left, knowledge), strict=True)):
        if len(key.options) > 1:
            out.extend((i, named, key.with_option(option)) for option in key.options)
        else:
            out.append((i, named, key))
    return out


def _evidence(cmp: Comparison, left: DrugKey, right: DrugKey, level: str | None = None, note: str = "") -> Evidence:
    details = dict(cmp.details)
    if left.notes:
        details["left_normalisation"] = "; ".join(left.notes)
    if right.notes:
        details["right_normalisation"] = "; ".join(right.notes)
    text = cmp.text if level is None else f"confirmed by the working group; {cmp.text}"
    if note:
        text += f"; {note}"
    read = list(dict.fromkeys([*left.notes, *right.notes]))
    if read and cmp.level != "exact":
        text += f" [normalised: {', '.join(read[:6])}]"
    return Evidence(
        level or cmp.level,
        100.0 if level else cmp.score,
        text,
        tuple(cmp.vetoes),
        left.canonical,
        right.canonical,
        details,
    )


def _unambiguous(best: tuple[float, int], others: Iterable[tuple[float, int]], margin: float) -> bool:
    return all(best[0] - score >= margin for score, idx in others if idx != best[1])


def _slot(pair: tuple[int, int], cmp: Comparison) -> tuple[int, str]:
    """The part of a right row a pair takes: one listed strength of a multi-strength row, or the whole row."""
    return (pair[1], str(cmp.details.get("right_option", "")))


def candidate_rank(cmp: Comparison) -> tuple[bool, float, int]:
    """How candidates are ordered for the working group: every name the comparison found nothing against (only
    doubts) before any it found a difference in (a veto), then by score: a near namesake in another strength
    never hides the product itself written another way (``Pyridox HCl_Liq Spec 20mg/5ml``: ``Pyridoxine
    20mg/5ml oral solution`` before ``Pyridoxine 200mg/5ml oral liquid``)."""
    return bool(cmp.vetoes), -cmp.score, len(cmp.vetoes)


def _worth_keeping(
    compared: dict[tuple[int, int], Comparison], settings: MatchSettings, crowded: dict[tuple[int, str], float]
) -> Iterable[tuple[tuple[int, int], Comparison]]:
    """What of one left variant's comparisons can still decide anything, so memory grows with the names and
    not with the square of a substance block: its best ``max_candidates + 2`` by rank (every candidate it can
    show) and its best ``max_candidates + 2`` auto-eligible pairs. An auto-eligible pair dropped (the name
    fits more right names than it could be told apart from) leaves its score in ``crowded``, the best per
    right slot, which ``choose_autos`` counts against every other name claiming that slot: the outcome of
    keeping them all, or a more cautious one."""
    keep = settings.max_candidates + 2
    ranked = sorted(compared.items(), key=lambda item: (*candidate_rank(item[1]), item[0][1]))
    fitting = [(pair, cmp) for pair, cmp in ranked if cmp.auto_eligible and cmp.score >= settings.auto_score]
    for pair, cmp in fitting[keep:]:
        slot = _slot(pair, cmp)
        crowded[slot] = max(crowded.get(slot, cmp.score), cmp.score)
    return [*ranked[:keep], *fitting[:keep]]


def choose_autos(
    eligible: dict[tuple[int, int], float],
    margin: float,
    slots: Mapping[tuple[int, int], object] | None = None,
    crowded: Mapping[tuple[int, str], float] | None = None,
) -> set[tuple[int, int]]:
    """Pairs (variant, right) that are each side's clear best among auto-eligible pairs; ``slots`` names the
    part of a right row a pair takes (one listed strength of a multi-strength row; default the whole row);
    ``crowded`` the best score per slot of auto-eligible pairs not kept (see ``_worth_keeping``)."""
    slots = slots or {}
    by_left: dict[int, list[tuple[float, int]]] = defaultdict(list)
    by_right: dict[object, list[tuple[float, int]]] = defaultdict(list)
    for slot, score in (crowded or {}).items():
        by_right[slot].append((score, -1))  # a left name not kept: never the index of the pair checked
    for (v, r), score in eligible.items():
        by_left[v].append((score, r))
        by_right[slots.get((v, r), r)].append((score, v))
    autos = set()
    for v, options in by_left.items():
        best = max(options, key=lambda item: (item[0], -item[1]))
        if not _unambiguous(best, options, margin):
            continue
        score, r = best
        if _unambiguous((score, v), by_right[slots.get((v, r), r)], margin):
            autos.add((v, r))
    return autos


def reference_words(reference: Reference | None, knowledge: Knowledge) -> dict[str, set[str]]:
    """Every word of the national list's presentation names, written as ``name_words`` writes them, by first two
    letters (made once per reference: a merge matches twice per chapter)."""
    if reference is None:
        return {}
    key = ("reference words", reference.path, len(reference.names))
    found = knowledge.cache.get(key)
    if found is None:
        words = {w for name in reference.names.values() for w in written_words(name.lower().split())}
        found = knowledge.cache[key] = by_start(words)
    return found


def decide(
    left: list[Named],
    right: list[Named],
    knowledge: Knowledge,
    reference: Reference | None,
    settings: MatchSettings,
    confirmed: set[tuple[str, str]],
    rejected: set[tuple[str, str]],
) -> list[Pair]:
    """Compare blocked pairs and decide autos and candidates (see the module docstring)."""
    rkeys = written = parse_all(right, knowledge)
    rcodes = [reference.code_for(r.name) if reference else "" for r in right]
    lvars = variants(left, knowledge)
    first_known = KnownSubstances(knowledge, reference.substances if reference else ())
    real, cut_short = first_known.is_real, first_known.is_named
    # the product after a maker must be a known substance or cut one short; without the national list the
    # knowledge names too few substances for that (glucose), and letters dropped count too
    product = cut_short if reference is not None else real
    rkeys = [
        on_the_skin(maker_first(key, knowledge, product, cut_short), named.chapter or code[:2])
        for key, named, code in zip(rkeys, right, rcodes, strict=True)
    ]
    lvars = [
        (i, named, on_the_skin(maker_first(key, knowledge, product, cut_short), named.chapter))
        for i, named, key in lvars
    ]
    if reference is not None:
        # a current name's maker, its salt where only its chemical substance names it, and its release where only
        # its generic equivalent states it
        def as_listed(key: DrugKey, code: str) -> DrugKey:
            key = maker_before_substance(key, code, reference, knowledge, real)
            return generic_release(listed_salts(key, code, reference, knowledge), code, reference, knowledge)

        rkeys = [as_listed(key, code) for key, code in zip(rkeys, rcodes, strict=True)]
        lcodes = {named.id: reference.code_for(named.name) for _, named, _ in lvars}
        lvars = [(i, named, as_listed(key, lcodes[named.id])) for i, named, key in lvars]
    index = RightIndex(right, rkeys, rcodes, written)
    seen = {s for _, _, key in lvars for s in key.substances} | {s for key in rkeys for s in key.substances}
    seen_salts: dict[str, set[str]] = defaultdict(set)
    for key in [*(key for _, _, key in lvars), *rkeys]:
        salts = dict(key.salts)
        for substance in key.substances:
            seen_salts[substance].add(salts.get(substance, ""))
    rwords = [name_words(key) for key in rkeys]
    words = {w for found in rwords for w in found} | {w for _, _, key in lvars for w in name_words(key)}
    known = KnownSubstances(
        knowledge,
        reference.substances if reference else (),
        seen,
        words,
        reference_words(reference, knowledge),
        seen_salts,
    )
    taken_left = {a for a, _ in confirmed}
    taken_right = {b for _, b in confirmed}
    job = _Job(lvars, right, rkeys, rcodes, rwords, index, knowledge, known, reference, settings, rejected)
    comparisons, crowded = _compare_all(job)
    eligible = {
        pair: cmp.score
        for pair, cmp in comparisons.items()
        if cmp.auto_eligible
        and cmp.score >= settings.auto_score
        and lvars[pair[0]][1].id not in taken_left
        and right[pair[1]].id not in taken_right
    }
    _powder_also_listed(eligible, comparisons, lvars, right, rkeys, settings)
    if reference is not None:
        found = presentations(reference, knowledge)
        _unresolved(eligible, comparisons, lvars, rkeys, rcodes, found, known, settings)
    slots = {pair: _slot(pair, comparisons[pair]) for pair in eligible}
    autos = choose_autos(eligible, settings.ambiguity_margin, slots, crowded)
    pairs = _confirmed_pairs(left, right, knowledge, confirmed, rejected)
    pairs += [
        Pair(lvars[v][1].id, right[r].id, "auto", 1, _evidence(comparisons[(v, r)], lvars[v][2], rkeys[r]))
        for v, r in autos
    ]
    pairs += _candidates(lvars, right, rkeys, comparisons, autos, settings, taken_left)
    return sorted(pairs, key=lambda p: (p.left_id, p.decision != "auto", p.rank, p.right_id))


@dataclass
class _Job:
    """What comparing every left variant with its blocked right names needs (one per ``decide``)."""

    lvars: list[Variant]
    right: list[Named]
    rkeys: list[DrugKey]
    rcodes: list[str]
    rwords: list[frozenset[str]]
    index: RightIndex
    knowledge: Knowledge
    known: KnownSubstances
    reference: Reference | None
    settings: MatchSettings
    rejected: set[tuple[str, str]]

    def compare_range(self, start: int, stop: int) -> tuple[Kept, dict[tuple[int, str], float]]:
        """Left variants ``start``..``stop``: what of their comparisons is worth keeping, and the best score
        per right slot of the auto-eligible pairs not kept (see ``_worth_keeping``)."""
        kept: Kept = {}
        crowded: dict[tuple[int, str], float] = {}
        context_of = (self.knowledge, self.known)
        found_list = presentations(self.reference, self.knowledge) if self.reference is not None else None
        for v in range(start, stop):
            _, named, key = self.lvars[v]
            code = self.reference.code_for(named.name) if self.reference else ""
            generic_of = ""
            if not code and found_list is not None:
                code, generic_of = generic_of_brand(key, found_list, self.known)
            found = [
                r for r in self.index.candidates(named, key, code) if (named.id, self.right[r].id) not in self.rejected
            ]
            context = (*context_of, code, self.rcodes, self.rwords)
            compared = {(v, r): cmp for r, cmp in _compare_left(key, found, self.rkeys, context, self.settings)}
            if generic_of:
                for cmp in compared.values():
                    if cmp.level == "reference":
                        cmp.agreements.insert(0, f"{named.name} read as the generic equivalent of {generic_of}")
            if found_list is not None:
                _settle_guesses(compared, self.lvars, self.rcodes, found_list, self.known)
            kept.update(_worth_keeping(compared, self.settings, crowded))
        return kept, crowded


Kept = dict[tuple[int, int], Comparison]
# below this many left variants the work is too small to pay for starting processes
PARALLEL_FROM = 4000


def workers_for(count: int) -> int:
    """How many processes compare ``count`` left variants: ``usable_workers`` (one per usable core,
    ``HARMONISE_WORKERS`` sets it, 1 turns it off), and only from ``PARALLEL_FROM`` variants."""
    return 1 if count < PARALLEL_FROM else usable_workers()


def _compare_all(job: _Job) -> tuple[Kept, dict[tuple[int, str], float]]:
    """Every left variant compared with its blocked right names, in worker processes when the lists are
    long: each variant's comparisons depend on nothing but the variant, and the best scores per right slot
    merge by maximum, so the outcome is the same as one process comparing them in order."""
    parts = in_workers(job.compare_range, len(job.lvars), workers_for(len(job.lvars)))
    kept: Kept = {}
    crowded: dict[tuple[int, str], float] = {}
    for part, part_crowded in parts:
        kept.update(part)
        for slot, score in part_crowded.items():
            crowded[slot] = max(crowded.get(slot, score), score)
    return kept, crowded


def _settle_guesses(
    comparisons: dict[tuple[int, int], Comparison],
    lvars: list[Variant],
    rcodes: list[str],
    found: Presentations,
    known: KnownSubstances,
) -> None:
    """Lift the doubt of a shortened substance name, or of a brand's strength left unstated, where the national
    list settles it (see ``resolve``): the pair's only doubt is that, and the right name's presentation is the
    one current presentation the name fits."""
    for (v, r), cmp in comparisons.items():
        if rcodes[r] and cmp.vetoes and not cmp.blockers and unsaid_route(cmp.vetoes) == lvars[v][2].form:
            _settle_route(cmp, lvars[v][2], rcodes[r], found, known)
        if cmp.vetoes or not cmp.blockers or not rcodes[r]:
            continue
        if all(b.startswith(GUESS) for b in cmp.blockers):
            name = resolves_guess(lvars[v][2], rcodes[r], found, known)
        elif all(unstated_strength(b) or unstated_release(b) for b in cmp.blockers):
            name = resolves_strength(lvars[v][2], rcodes[r], found, known)
        elif all(one_sided_flag(b) or one_sided_volume(b) for b in cmp.blockers):
            name = resolves_flags(lvars[v][2], rcodes[r], found, known)
        elif unsaid_form(cmp.blockers, lvars[v][2]):
            name = resolves_form(lvars[v][2], rcodes[r], found, known)
        elif all(b.startswith(UNREAD_WORDS) for b in cmp.blockers):
            name = resolves_brand_words(lvars[v][2], rcodes[r], found, known)
        else:
            name = ""
        if not name and all(one_sided_flag(b) or one_sided_volume(b) for b in cmp.blockers):
            # a volume only the name states (a gas cylinder's litres): settled as a flag, for a generic name too
            name = resolves_flags(lvars[v][2], rcodes[r], found, known)
        name = name or resolves_generic_line(lvars[v][2], rcodes[r], found, known)
        if name:
            _settled(cmp, f"{'; '.join(cmp.blockers)}; settled: the only current BNF presentation it fits is {name}")


def _settle_route(
    cmp: Comparison, left: DrugKey, right_code: str, found: Presentations, known: KnownSubstances
) -> None:
    """Lift the veto of a form the older name states without the word the current presentation writes before it,
    where the national list settles it (``resolve.resolves_route``)."""
    name = resolves_route(left, right_code, found, known)
    if name:
        current = cmp.vetoes[0].rpartition(" vs ")[2]
        cmp.vetoes = []
        why = f"{left.form} may be {current}: the only current BNF presentation it fits, of those in any {left.form}"
        _settled(cmp, f"{why}, is {name}", weaker=1)  # a form of its family: a little weaker than the same form


def _settled(cmp: Comparison, why: str, weaker: int = 0) -> None:
    """The pair's doubts lifted by the national list, ``why`` saying how: as sure as a normalised name."""
    cmp.agreements.append(why)
    cmp.blockers = []
    cmp.level = "normalised"
    cmp.score = LEVEL_SCORES["normalised"] - cmp.softs - weaker


def _powder_also_listed(
    eligible: dict[tuple[int, int], float],
    comparisons: dict[tuple[int, int], Comparison],
    lvars: list[Variant],
    right: list[Named],
    rkeys: list[DrugKey],
    settings: MatchSettings,
) -> None:
    """Drop from ``eligible`` a pair whose left name, an injection that does not say whether its vial holds a
    powder (``Hydrocort Sod Succ_Inj 100mg Vl``), fits a right name that does not say either (``... 100mg inj
    vials``) while the right list also holds the powder (``... 100mg pdr for soln inj vials``): with or without
    the national list, the name may be either (``resolve.unsaid_powder``)."""
    by_left: dict[int, list[int]] = defaultdict(list)
    for v, r in comparisons:
        by_left[v].append(r)
    for pair in list(eligible):
        v, r = pair
        powders = [o for o in by_left[v] if o != r and unsaid_powder(lvars[v][2], rkeys[r], comparisons[(v, o)])]
        if powders:
            cmp = comparisons[pair]
            shown = "; ".join(right[o].name for o in sorted(powders)[:3])
            cmp.blockers.append(f"the name also fits another name of the list, its powder: {shown}")
            cmp.score = min(cmp.score, settings.auto_score - 1)
            del eligible[pair]


def _unresolved(
    eligible: dict[tuple[int, int], float],
    comparisons: dict[tuple[int, int], Comparison],
    lvars: list[Variant],
    rkeys: list[DrugKey],
    rcodes: list[str],
    found: Presentations,
    known: KnownSubstances,
    settings: MatchSettings,
) -> None:
    """Drop from ``eligible`` every pair whose left name fits another current product exactly (see
    ``resolve``); the comparison says which, so the working group sees why it is a candidate."""
    checked: dict[tuple[int, str], list[str]] = {}
    for pair in list(eligible):
        v, r = pair
        cmp = comparisons[pair]
        unsaid = unstated_brand_release(lvars[v][2], rkeys[r], found)
        if unsaid:
            cmp.blockers.append(unsaid)
            cmp.score = min(cmp.score, settings.auto_score - 1)
            del eligible[pair]
            continue
        if cmp.level in ("exact", "reference") or not rcodes[r]:
            continue  # the name is a current name, or both names carry the same BNF code
        key = (v, generic_code(rcodes[r]) or rcodes[r])
        if key not in checked:
            checked[key] = other_fits(lvars[v][2], rcodes[r], found, known, settings, loosely=cmp.softs > 0)
        if checked[key]:
            shown = "; ".join(checked[key][:3]) + (" ..." if len(checked[key]) > 3 else "")
            cmp.blockers.append(f"the name also fits another current product: {shown}")
            cmp.score = min(cmp.score, settings.auto_score - 1)
            del eligible[pair]


def _compare_left(
    key: DrugKey, found: list[int], rkeys: list[DrugKey], context: tuple, settings: MatchSettings
) -> list[tuple[int, Comparison]]:
    """Full comparisons with every right name whose substances can pair with ``key``'s and whose strength does
    not clash with it (``strengths_clash``); of the others (never automatic, candidates at best) only as many
    as can rank among the best candidates are compared.

    Their score is at most the fuzzy score of the two normalised names less one veto, so they are compared
    in that order until the best ``max_candidates`` scores found beat the next bound: the same candidates
    as comparing them all, at a fraction of the cost on long lists."""
    knowledge, known, code, rcodes, rwords = context
    out: list[tuple[int, Comparison]] = []
    others: list[int] = []
    pairable: dict[tuple[str, ...], bool] = {}
    words_only = bool(key.substances) and not any(s in known.real for s in key.substances)
    lwords = name_words(key)
    for r in found:
        rkey = rkeys[r]
        ok = None if rkey.brand else (True if rkey.substances == key.substances else pairable.get(rkey.substances))
        if ok is None:
            ok = can_pair(key, rkey, known)
            if not rkey.brand:  # a brand can join names whose substances differ
                pairable[rkey.substances] = ok
        # products named by words (compare._same_name_words): only when neither name holds a known substance
        ok = ok or (words_only and words_agree(lwords, rwords[r]) and bool(same_name_words(key, rkey, known)))
        if (code and rcodes[r]) or (ok and not strengths_clash(key, rkey)):
            out.append((r, compare(key, rkey, knowledge, code, rcodes[r], known)))
        else:
            others.append(r)
    keep = settings.max_candidates + 2
    best = sorted((cmp.score for _, cmp in out), reverse=True)[:keep]
    for bound, r in _bounds(key, others, rkeys, keep, settings.candidate_score + 12):
        if bound < settings.candidate_score or (len(best) >= keep and best[-1] > bound):
            break
        # a pair certain to score below the candidates' threshold is shown nowhere, and ranks after every pair
        # that is (it has a veto): not compared to the end, not kept
        cmp = compare_above(key, rkeys[r], knowledge, code, rcodes[r], known, settings.candidate_score)
        if cmp is None:
            continue
        out.append((r, cmp))
        best = sorted([*best, cmp.score], reverse=True)[:keep]
    return out


def _bounds(
    key: DrugKey, others: list[int], rkeys: list[DrugKey], keep: int, cutoff: float
) -> Iterator[tuple[float, int]]:
    """(upper bound of the score, right index) of ``others``, best first; the fuzzy scores are computed in
    C (rapidfuzz) for the best few, and for all of them only when the few run out on a tie."""
    choices = [rkeys[r].canonical for r in others]
    few = process.extract(key.canonical, choices, scorer=fuzz.token_sort_ratio, limit=2 * keep, score_cutoff=cutoff)
    ranked = sorted(((score - 12, others[i]) for _, score, i in few), key=lambda item: (-item[0], item[1]))
    yield from ranked
    if len(few) == 2 * keep:
        rest = process.extract(key.canonical, choices, scorer=fuzz.token_sort_ratio, limit=None, score_cutoff=cutoff)
        seen = {r for _, r in ranked}
        yield from sorted(
            ((score - 12, others[i]) for _, score, i in rest if others[i] not in seen),
            key=lambda item: (-item[0], item[1]),
        )


def _confirmed_pairs(
    left: list[Named],
    right: list[Named],
    knowledge: Knowledge,
    confirmed: set[tuple[str, str]],
    rejected: set[tuple[str, str]],
) -> list[Pair]:
    lnames = {n.id: n for n in left}
    rnames = {n.id: n for n in right}
    out = []
    for a, b in sorted(confirmed - rejected):
        if a in lnames and b in rnames:
            lk, rk = parse_name(lnames[a].name, knowledge), parse_name(rnames[b].name, knowledge)
            out.append(Pair(a, b, "auto", 1, _evidence(compare(lk, rk, knowledge), lk, rk, "confirmed")))
    return out


def _candidates(
    lvars: list[Variant],
    right: list[Named],
    rkeys: list[DrugKey],
    comparisons: dict[tuple[int, int], Comparison],
    autos: set[tuple[int, int]],
    settings: MatchSettings,
    taken_left: set[str],
) -> list[Pair]:
    """Up to ``max_candidates`` ranked candidates for every left variant without an auto match."""
    auto_variants = {v for v, _ in autos}
    auto_pairs = {(lvars[v][1].id, r) for v, r in autos}
    best: dict[str, dict[int, tuple[Comparison, int]]] = defaultdict(dict)
    for (v, r), cmp in comparisons.items():
        left_id = lvars[v][1].id
        if (
            v in auto_variants
            or left_id in taken_left
            or cmp.score < settings.candidate_score
            or (left_id, r) in auto_pairs
        ):
            continue
        if r not in best[left_id] or cmp.score > best[left_id][r][0].score:
            best[left_id][r] = (cmp, v)
    out = []
    for left_id, options in best.items():
        ranked = sorted(options.items(), key=lambda item: (*candidate_rank(item[1][0]), right[item[0]].id))
        for rank, (r, (cmp, v)) in enumerate(ranked[: settings.max_candidates], start=1):
            evidence = _evidence(cmp, lvars[v][2], rkeys[r], note=_why_not_automatic(cmp, settings))
            out.append(Pair(left_id, right[r].id, "candidate", rank, evidence))
    return out


def _why_not_automatic(cmp: Comparison, settings: MatchSettings) -> str:
    """What a candidate with nothing vetoed or in doubt still lacks, so its evidence says why the working group
    sees it: weaker readings (a strength written another way, a form of its family) that leave its score below
    the automatic threshold, or another name that fits as well ('' when a doubt or veto already says why)."""
    if cmp.vetoes or cmp.blockers:
        return ""
    if cmp.score < settings.auto_score:
        return (
            f"not sure: weaker readings leave the score {cmp.score:.0f} below the automatic {settings.auto_score:.0f}"
        )
    return "not sure: another name fits as well, or this one fits another name as well"
