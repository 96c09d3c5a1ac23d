"""Compare two parsed names component by component: what agrees, what vetoes an automatic match.

Vetoes (a different product): substances, salts stated on both sides, strengths (a combination's paired
substance by substance), ratio, form, release, dosing frequency, container or pack size that differ; a
combination against a single substance; a look-alike/sound-alike pair; BNF codes that differ. Blockers (not
enough to be sure): something stated on one side only that can change the product (a flag such as sugar
free, a salt that matters, a strength, a form), two different brands, strengths that cannot be paired with
their substances, a truncated substance name that fits more than one known substance, or words not
understood.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from rapidfuzz import fuzz

from harmonise.matching import components
from harmonise.matching.comparison import LEVEL_SCORES, Comparison
from harmonise.matching.components import one_or_both
from harmonise.matching.knowledge import CLASS_WORDS, Knowledge
from harmonise.matching.known import KnownSubstances, abbreviates, same_words, truncates
from harmonise.matching.parse import DrugKey
from harmonise.matching.reference import generic_code, name_key
from harmonise.matching.strength import other_fills, restated, stated_packs

NUMBER_RE = re.compile(r"[\d.]+")
PER_TIME_RE = re.compile(r"/[\d.]*(hour|day)$")
HYDRATION = {
    "monohydrate",
    "dihydrate",
    "trihydrate",
    "tetrahydrate",
    "pentahydrate",
    "hexahydrate",
    "heptahydrate",
    "hemihydrate",
    "sesquihydrate",
    "anhydrous",
    "base",
}


@lru_cache(maxsize=262144)
def same_substance(a: str, b: str) -> bool:
    """Substances equal word by word, allowing an abbreviated word on either side."""
    aw, bw = a.split(), b.split()
    return len(aw) == len(bw) and all(abbreviates(x, y) or abbreviates(y, x) for x, y in zip(aw, bw, strict=False))


def can_pair(left: DrugKey, right: DrugKey, known: KnownSubstances) -> bool:
    """Whether the two names' substances can be the same (so that the pair may ever be automatic)."""
    if not left.substances or not right.substances:
        return True
    if " ".join(left.substances) in (right.brand, "") or " ".join(right.substances) == left.brand:
        return True
    key = (left.substances, right.substances)
    found = known.pairings.get(key)
    if found is None:
        found = known.pairings[key] = _pair_substances(left, right) is not None
    return found


def _pair_substances(left: DrugKey, right: DrugKey) -> list[tuple[str, str]] | None:
    rest = sorted(set(right.substances))
    if len(rest) != len(set(left.substances)):
        return None  # each substance pairs with exactly one of the other side's
    pairs = []
    for a in sorted(set(left.substances)):
        match = a if a in rest else next((b for b in rest if same_substance(a, b)), None)
        if match is None:
            return None
        rest.remove(match)
        pairs.append((a, match))
    return pairs if not rest else None


def _same_name_words(
    left: DrugKey, right: DrugKey, known: KnownSubstances, out: Comparison
) -> list[tuple[str, str]] | None:
    """A product named by words that are no known substance (``HealthAid_Vit D3 Cap`` and ``HealthAid Vitamin D3
    capsules``, ``Minadex_Tonic`` and ``Minadex tonic``): the two names agree when they hold the same words,
    whichever of them each side read as the name and which as words after it, and however a side split them
    (``Boots_Pharmacy Cold & Flu Night Cap`` and ``Boots Pharmacy Cold & Flu Night capsules``); words that only
    join others (``and``, ``with``) do not count."""
    words = same_name_words(left, right, known)
    if not words:
        return None
    a, b = " ".join(left.substances), " ".join(right.substances)
    written = shortened_words(words, name_words(right))
    shown = f" ({', '.join(f'{x} = {y}' for x, y in written)})" if written else ""
    out.agreements.append(f"the same name words: {' '.join(sorted(words))}{shown}")
    for x, y in written:
        short, full = sorted((x, y), key=len)
        doubt = "" if full in (f"{short}s", f"{short}es") else known.word_doubt(short, full)
        if doubt:
            out.blockers.append(f"word guessed from a shortened name: {doubt}")
    out.details["same_name_words"] = "yes"
    return [(a, b)]


JOINING_WORDS = frozenset({"and", "with", "&", "+"})


def same_name_words(left: DrugKey, right: DrugKey, known: KnownSubstances) -> frozenset[str]:
    """The words both names hold, when neither names a known substance and they hold the same words (see
    ``_same_name_words``); empty otherwise."""
    if not left.substances or not right.substances:
        return frozenset()
    words = _name_words(left.substances, left.residual)
    if not words_agree(words, _name_words(right.substances, right.residual)):
        return frozenset()
    if any(s in known.real for s in (*left.substances, *right.substances)):
        return frozenset()
    lnames, rnames = _name_words(left.substances, ()), _name_words(right.substances, ())
    if not lnames & rnames and not any(truncates(a, b) or truncates(b, a) for a in lnames for b in rnames):
        return frozenset()  # a word of the product's name in common, maybe cut short (Lloyds, Lloydspharmacy)
    return words


@lru_cache(maxsize=65536)
def _name_words(substances: tuple[str, ...], residual: tuple[str, ...]) -> frozenset[str]:
    """The words, written without stops and apostrophes and split at hyphens (``Frumil L.S.`` and ``Frumil LS``,
    ``Eurax-HC`` and ``Eurax HC``, ``Fletchers'`` and ``Fletchers``)."""
    return written_words(w for s in (*substances, *residual) for w in s.split()) - JOINING_WORDS - CLASS_WORDS


def written_words(words: Iterable[str]) -> frozenset[str]:
    """Words without stops and apostrophes, split at hyphens."""
    return frozenset(written(" ".join(words)).split())


def written(text: str) -> str:
    """``text`` without stops and apostrophes, hyphens read as spaces (``Frumil L.S.``, ``Calmurid-HC``)."""
    return " ".join(re.sub(r"[.'\u2019]", "", text).replace("-", " ").split())


@lru_cache(maxsize=65536)
def words_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """The same words, or the same but for words one side shortens or writes in the singular (``Zubes_Orig
    Loz`` and ``Zubes Original lozenges``, ``Nurofen_Meltlet`` and ``Nurofen Meltlets``): each such word fits
    exactly one word of the other side and no other word fits that one."""
    if a == b:
        return True
    ra, rb = a - b, b - a
    if len(ra) != len(rb) or not a & b:
        return False
    # a word only fits one with its first letter: the pairs must pair first letters off (cheap; most pairs fail)
    if sorted(x[0] for x in ra) != sorted(y[0] for y in rb):
        return False
    fits = {x: [y for y in rb if _word_fits(x, y)] for x in ra}
    taken = [ys[0] for ys in fits.values() if len(ys) == 1]
    return len(taken) == len(ra) and len(set(taken)) == len(taken)


def shortened_words(a: frozenset[str], b: frozenset[str]) -> list[tuple[str, str]]:
    """How the words two agreeing names write differently pair up (``orig`` and ``original``)."""
    return [(x, y) for x in sorted(a - b) for y in sorted(b - a) if _word_fits(x, y)]


def _word_fits(x: str, y: str) -> bool:
    return abbreviates(x, y) or abbreviates(y, x) or f"{x}s" == y or f"{y}s" == x


def name_words(key: DrugKey) -> frozenset[str]:
    """Every word of a name's substances and of the words after them (what ``same_name_words`` compares)."""
    return _name_words(key.substances, key.residual)


def _substances(left: DrugKey, right: DrugKey, knowledge: Knowledge, known: KnownSubstances, out: Comparison) -> None:
    for a in left.substances:
        for b in right.substances:
            if frozenset((a, b)) in knowledge.lasa_pairs:
                out.vetoes.append(f"look-alike/sound-alike pair {a} / {b}")
    pairs = (
        _pair_substances(left, right)
        or _named_by_brand(left, right, out)
        or _same_name_words(left, right, known, out)
        or _insulin_species_unsaid(left, right, knowledge, out)
    )
    if pairs is None:
        if not left.substances or not right.substances:
            out.blockers.append("substance not recognised on one side")
        elif len(set(left.substances)) != len(set(right.substances)):
            out.vetoes.append(f"combination differs: {' + '.join(left.substances)} vs {' + '.join(right.substances)}")
        else:
            out.vetoes.append(f"substance differs: {' + '.join(left.substances)} vs {' + '.join(right.substances)}")
        return
    out.pairs = pairs
    if out.details.get("same_name_words") or out.details.get("species_unsaid"):
        return
    for a, b in pairs:
        note = "" if a == b else f" ({a} read as {b})" if len(a) < len(b) else f" ({b} read as {a})"
        if a != b:
            out.joined_by.append("abbreviation")
            _guess(a, b, (stated_salt(left, a), stated_salt(right, b)), known, out)
        out.agreements.append(f"same substance {max(a, b, key=len)}{note}{_salts(a, b, left, right, knowledge, out)}")


def _insulin_species_unsaid(
    left: DrugKey, right: DrugKey, knowledge: Knowledge, out: Comparison
) -> list[tuple[str, str]] | None:
    """``Ins Bip Isophane_25/75`` against ``Insulin isoph biphas hum 25/75``: one insulin, named by the same words
    but for the species one name alone states. The same insulin, the species a doubt (the national list may
    settle it, see ``resolve.resolves_flags``)."""
    if len(left.substances) != 1 or len(right.substances) != 1:
        return None
    a, b = left.substances[0], right.substances[0]
    aw, bw = set(a.split()), set(b.split())
    if "insulin" not in aw or "insulin" not in bw or aw == bw:
        return None
    stated = (aw ^ bw) & knowledge.insulin_species
    if stated != aw ^ bw or len(stated) != 1 or (aw & knowledge.insulin_species and bw & knowledge.insulin_species):
        return None
    out.agreements.append(f"same {min(a, b, key=len)} but for its species")
    out.blockers.append(f"species {stated.pop()} on one side only")
    out.details["species_unsaid"] = "yes"
    return [(a, b)]


def _named_by_brand(left: DrugKey, right: DrugKey, out: Comparison) -> list[tuple[str, str]] | None:
    """``DesmoMelt 120microgram`` against ``Desmopressin (DesmoMelt®) 120 micrograms``: a name whose only
    substance is the brand the other side states is that brand's substances."""
    for named, branded in ((left, right), (right, left)):
        if branded.brand and branded.substances and _same_written(" ".join(named.substances), branded.brand):
            out.joined_by.append("brand")
            out.agreements.append(f"{branded.brand} is the brand stated with {' + '.join(branded.substances)}")
            return [(s, s) for s in dict.fromkeys(branded.substances)]
    return None


def stated_salt(key: DrugKey, substance: str) -> str:
    """The salt ``key``'s name states for ``substance`` ('' when none, or only the national list's)."""
    salt = dict(key.salts).get(substance, "")
    return "" if (substance, salt) in key.listed else salt


def _same_written(a: str, b: str) -> bool:
    """``calmurid-hc`` and ``calmurid hc``, ``frumil l.s`` and ``frumil ls``."""
    return a == b or written(a) == written(b)


def _guess(a: str, b: str, salts: tuple[str, str], known: KnownSubstances, out: Comparison) -> None:
    """A truncated name read as the other side's substance must fit no other substance the engine knows (of
    those named with the salt it states, when it states one)."""
    if same_words(a, b):
        short, full, salt = a, b, salts[0]
    elif same_words(b, a):
        short, full, salt = b, a, salts[1]
    else:
        out.blockers.append(f"substance guessed from a shortened name: {a} and {b} are both shortened")
        return
    doubt = known.doubt(short, full, salt)
    if doubt:
        out.blockers.append(f"substance guessed from a shortened name: {doubt}")
    elif salt and (unsalted := known.doubt(short, full)):
        out.agreements.append(f"{unsalted}, and only {full} is named with {salt}")


def _salts(a: str, b: str, left: DrugKey, right: DrugKey, knowledge: Knowledge, out: Comparison) -> str:
    lwords, rwords = set(dict(left.salts).get(a, "").split()), set(dict(right.salts).get(b, "").split())
    lh, rh = lwords & HYDRATION - {"base"}, rwords & HYDRATION - {"base"}
    if lh and rh and lh != rh:  # stated by one name only it says nothing; two different are two products
        out.vetoes.append(f"hydration differs: {' '.join(sorted(lh))} vs {' '.join(sorted(rh))}")
        return ""
    ls, rs = lwords - HYDRATION, rwords - HYDRATION
    if ls == rs:
        return f" {' '.join(sorted(ls))}" if ls else ""
    if ls and rs and not (ls <= rs or rs <= ls):
        out.vetoes.append(f"salt differs: {' '.join(sorted(ls))} vs {' '.join(sorted(rs))}")
        return ""
    stated = " ".join(sorted(ls ^ rs))
    listed = (a, dict(left.salts).get(a)) in left.listed or (b, dict(right.salts).get(b)) in right.listed
    if listed and not (ls and rs):  # neither name states a salt: the national list's says nothing against the other
        return f" (salt {stated} from the national list, not stated by either name)"
    significant = a in knowledge.salt_significant or a.split()[0] in knowledge.salt_significant
    if not significant:
        return f" ({stated} ignored)"
    sole = sole_salt(max(a, b, key=len), ls | rs, left, right, knowledge)
    if sole:
        return f" {' '.join(sorted(ls | rs))} (stated on one side; the only salt of {sole})"
    out.blockers.append(f"salt {stated} stated on one side only and it matters for {a}")
    return ""


def sole_salt(substance: str, stated: set[str], left: DrugKey, right: DrugKey, knowledge: Knowledge) -> str:
    """What makes ``stated`` (salt words) the only salt ``substance`` comes as in both names' products
    ('' when none): a ``sole_salts`` entry for these substances and forms whose salt holds every word."""
    forms = {f for f in (left.form, right.form) if f}
    for entry in knowledge.sole_salts:
        if entry.substance != substance or not any(stated <= set(salt.split()) for salt in entry.salts):
            continue
        if entry.covers(left.substance_set, forms) or entry.covers(right.substance_set, forms):
            where = f" {' / '.join(sorted(forms))}" if entry.forms else ""
            partner = f" with {entry.partner}" if entry.partner else ""
            return f"{substance}{partner}{where}"
    return ""


def _strengths(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    if len(right.options) > 1 and not left.options:
        _listed_strength(left, right, out)
    elif len(out.pairs) > 1 and left.strengths and right.strengths:
        _combination_strengths(left, right, out)
    elif len(out.pairs) > 1 and (left.strengths or right.strengths) and not (left.options or right.options):
        _unnamed_combination_strengths(left, right, out)
    else:
        _single_strengths(left, right, out)
    if left.ratio or right.ratio:
        one_or_both("ratio", left.ratio, right.ratio, out)
    if not (left.strengths or right.strengths or left.options or right.options):
        # the only strengths are in brackets ("Magnesium aspartate (magnesium 5mmol)", "Duac gel (5% and 1%)")
        lalts, ralts = " ".join(sorted(left.strength_alts)), " ".join(sorted(right.strength_alts))
        if lalts or ralts:
            one_or_both("strength", lalts, ralts, out)


def _single_strengths(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    ls, rs = sorted(left.strengths), sorted(right.strengths)
    differ = ls != rs and bool(ls) and bool(rs)
    if (
        differ
        and len(ls) == len(rs)
        and (set(ls) <= set(rs) | set(right.strength_alts) or set(rs) <= set(ls) | set(left.strength_alts))
        and not _other_fills(left, right)
    ):
        out.agreements.append(f"{' '.join(ls)} = {' '.join(rs)} (stated equivalent)")
        out.softs += 1  # an equivalence read from brackets is weaker evidence than the same strength
        return
    if differ and [_per_time(x) for x in ls] == [_per_time(x) for x in rs]:
        out.blockers.append(f"strength {' '.join(ls)} vs {' '.join(rs)}: per time stated on one side only")
        return
    if _strength_in_the_name(left, right, out) or _strength_in_the_name(right, left, out):
        return
    kind, why = (
        restated(ls[0], rs[0], stated_packs(left.name, left.packs), stated_packs(right.name, right.packs))
        if differ and len(ls) == len(rs) == 1
        else ("", "")
    )
    if kind == "agree":
        out.agreements.append(why)
        out.softs += 1  # the same strength written another way is weaker evidence than the same text
        return
    if kind == "doubt":
        out.blockers.append(why)
        return
    if bool(ls) != bool(rs) and _unstated_fill_differs(left if not ls else right, rs or ls, out):
        return
    one_or_both("strength", " ".join(ls), " ".join(rs), out)


ML_FILL_RE = re.compile(r"^(\d+(?:\.\d+)?)ml$")
PER_FILL_RE = re.compile(r"/(\d+(?:\.\d+)?)ml$")


def _unstated_fill_differs(silent: DrugKey, stated: list[str], out: Comparison) -> bool:
    """A name stating no strength but its fill (``Gppe Ins_Hum Mixt 50 10ml Vl``) against one whose one strength is
    the content of another fill (``500unit/5ml``: 5ml vials): another product, whatever the strength."""
    volumes = {float(found.group(1)) for found in map(ML_FILL_RE.match, silent.packs) if found}
    fills = {float(found.group(1)) for found in map(PER_FILL_RE.search, stated) if found}
    if len(stated) != 1 or not volumes or not fills or fills & volumes or fills == {1.0}:
        return False
    out.vetoes.append(f"fill differs: {' '.join(silent.packs)} vs {stated[0]}")
    return True


def _other_fills(left: DrugKey, right: DrugKey) -> bool:
    """Whether the two names' single strengths are contents of different fills (``1mg/10ml`` and ``100microg/1ml``,
    both ``1 in 10,000``): the same concentration in another ampoule is another product."""
    if len(left.strengths) != 1 or len(right.strengths) != 1:
        return False
    return other_fills(
        left.strengths[0],
        right.strengths[0],
        stated_packs(left.name, left.packs),
        stated_packs(right.name, right.packs),
    )


def strengths_clash(left: DrugKey, right: DrugKey) -> bool:
    """Whether ``compare`` will certainly find a strength veto: one substance each, one stated strength each
    (no list, no combination) that differ, with no stated equivalence and not only by a per-time unit.
    Such a pair is never automatic (unless BNF codes join them), so ``decide`` ranks it by its fuzzy bound
    instead of comparing it in full: the cost of a large substance block does not grow with its square."""
    if left.options or right.options or len(left.substances) != 1 or len(right.substances) != 1:
        return False
    ls, rs = sorted(left.strengths), sorted(right.strengths)
    if not ls or not rs or ls == rs or len(ls) != len(rs):
        return False
    if set(ls) <= set(rs) | set(right.strength_alts) or set(rs) <= set(ls) | set(left.strength_alts):
        return False
    if (
        len(ls) == 1
        and restated(ls[0], rs[0], stated_packs(left.name, left.packs), stated_packs(right.name, right.packs))[0]
    ):
        return False
    return [_per_time(x) for x in ls] != [_per_time(x) for x in rs]


def _strength_in_the_name(stated: DrugKey, silent: DrugKey, out: Comparison) -> bool:
    """A brand that carries its strength in its name (``Becotide 100 inhaler``, ``Lanoxin 125 tablets``) against
    a name stating the strength with its unit (``Becotide 100_Inha 100mcg``): the same number, a little weaker
    evidence than the same strength written out. Another number is left to the usual checks."""
    if len(stated.strengths) != 1 or silent.strengths or silent.options:
        return False
    number = _number(stated.strengths[0])
    if number not in silent.residual:
        return False
    out.agreements.append(f"{stated.strengths[0]} = {number} in the name {silent.name!r}")
    out.softs += 1
    return True


def _per_time(strength: str) -> str:
    """``25microgram/24hour`` -> ``25microgram``: a patch's strength without the time it is released over."""
    return PER_TIME_RE.sub("", strength)


def _listed_strength(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    """The right row lists several strengths (``5mg, 10mg``): the left strength must be one of them; the
    first listed strength that agrees (or, failing that, that only leaves a doubt) is the one matched."""
    listed = ", ".join(o.replace("+", " ") for o in right.options)
    trials = []
    for option in right.options:
        trial = Comparison(pairs=out.pairs)
        _strengths(left, right.with_option(option), trial)
        trials.append((bool(trial.blockers), option, trial))
    fitting = sorted((t for t in trials if not t[2].vetoes), key=lambda t: t[0])
    if fitting:
        _, option, trial = fitting[0]
        out.agreements.append(f"{' '.join(left.strengths)} is one of the strengths listed ({listed})")
        out.blockers.extend(trial.blockers)
        out.details["right_option"] = option
    elif left.strengths:
        out.vetoes.append(f"strength differs: {' '.join(left.strengths)} is not one of {listed}")
    else:
        out.blockers.append(f"strength {listed} stated on one side only")


def _combination_strengths(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    """Each substance's strength is compared with the same substance's strength on the other side:
    ``A 10mg / B 40mg`` is not ``A 40mg / B 10mg``; strengths that cannot be paired leave a doubt."""
    lp, rp = dict(left.paired), dict(right.paired)
    if lp and rp:
        differ = [f"{a} {lp[a]} vs {rp[b]}" for a, b in out.pairs if lp[a] != rp[b]]
        if differ and _unitless_agree(left, right, [(lp[a], rp[b]) for a, b in out.pairs]):
            shown = " / ".join(f"{a} {rp[b] if left.unitless else lp[a]}" for a, b in out.pairs)
            out.agreements.append(f"{shown} (the units written on one side only)")
            out.softs += 1
        elif differ:
            out.vetoes.append(f"strength differs: {'; '.join(differ)}")
        else:
            out.agreements.append(" / ".join(f"{a} {lp[a]}" for a, _ in out.pairs) + " on both sides")
        return
    ls, rs = sorted(left.strengths), sorted(right.strengths)
    if left.brand and left.brand == right.brand and left.strengths == right.strengths:
        # a brand writes its strengths in one order: the same list in the same order is the same strengths
        out.agreements.append(f"{' / '.join(left.strengths)}, in the order brand {left.brand} writes them")
    elif ls == rs:
        out.blockers.append(f"strengths {' '.join(ls)} cannot be paired with the substances on both sides")
    else:
        one_or_both("strength", " ".join(ls), " ".join(rs), out)


def _unnamed_combination_strengths(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    """``Co-codamol tablets`` against ``Co-codamol 30mg/500mg tablets``: a combination named without its
    strengths may be another strength of the same substances (8/500), so this is a doubt, never automatic,
    even when the other list holds only one product of those substances: the working group confirms it."""
    stated = " ".join(left.strengths or right.strengths)
    out.blockers.append(f"strengths {stated} stated on one side only: the other may be another strength")


def _unitless_agree(left: DrugKey, right: DrugKey, pairs: list[tuple[str, str]]) -> bool:
    """``100/6`` (no units) against ``100microgram / 6microgram``: the same numbers, the units written on one
    side only (an inhaler's strengths are micrograms per dose); never when both sides state units."""
    if left.unitless == right.unitless:
        return False
    return all(_number(a) == _number(b) for a, b in pairs)


def _number(strength: str) -> str:
    found = NUMBER_RE.match(strength)
    return found.group(0) if found else strength


def _reference(lcode: str, rcode: str, out: Comparison) -> bool:
    if not (lcode and rcode):
        return False
    lg, rg = generic_code(lcode), generic_code(rcode)
    out.details["left_bnf_code"], out.details["right_bnf_code"] = lcode, rcode
    if lg and lg == rg:
        return True
    out.vetoes.append(f"BNF codes differ: {lcode} vs {rcode}")
    return False


def compare(
    left: DrugKey,
    right: DrugKey,
    knowledge: Knowledge,
    lcode: str = "",
    rcode: str = "",
    known: KnownSubstances | None = None,
) -> Comparison:
    """Compare two parsed names; the result carries level, score, vetoes, blockers and the evidence line.

    ``known`` is every substance the engine knows, to judge a truncated substance name; without it, the
    shipped knowledge and the two names are all that is known."""
    out = compare_above(left, right, knowledge, lcode, rcode, known, None)
    assert out is not None  # no floor: always compared to the end
    return out


def compare_above(
    left: DrugKey,
    right: DrugKey,
    knowledge: Knowledge,
    lcode: str,
    rcode: str,
    known: KnownSubstances | None,
    floor: float | None,
) -> Comparison | None:
    """``compare``, or None as soon as the pair is certain to score below ``floor`` (when one side has no BNF
    code): a veto found, and the fuzzy score less what is found so far under the floor; what is found later
    only lowers it (``_decide_level``). A pair no list would show is then not compared to the end."""
    out = Comparison()
    if known is None:
        known = KnownSubstances(knowledge, seen=(*left.substances, *right.substances), words=name_words(right))
    below = _below(left, right, floor) if floor is not None and not (lcode and rcode) else None
    _substances(left, right, knowledge, known, out)
    if below and below(out):
        return None
    _strengths(left, right, out)
    if below and below(out):
        return None
    for check in COMPONENT_CHECKS:
        check(left, right, knowledge, out)
        if below and below(out):
            return None
    same_code = _reference(lcode, rcode, out)
    # a brand read as its substance is a synonym; the same brand on both sides is not, where the national list
    # holds one of the names and so checks that no other product of the brand fits as well (``resolve``):
    # without it, a brand's syrup and its liquid would be joined on the family of their forms alone
    same_brand = left.brand == right.brand and bool(lcode or rcode)
    if not same_brand and (
        (left.brand and left.brand in left.name.lower()) or (right.brand and right.brand in right.name.lower())
    ):
        out.joined_by.append("brand")
    _decide_level(left, right, same_code, out)
    out.details.update(left_key=left.canonical, right_key=right.canonical, joined_by=", ".join(out.joined_by))
    return out


# the checks of the components other than substances and strengths, in the order ``compare`` makes them
COMPONENT_CHECKS: tuple[Callable[[DrugKey, DrugKey, Knowledge, Comparison], None], ...] = (
    lambda left, right, knowledge, out: components.form(left, right, out, knowledge),
    lambda left, right, knowledge, out: components.release(left, right, out),
    lambda left, right, knowledge, out: components.frequency(left, right, out),
    lambda left, right, knowledge, out: components.unit_dose(left, right, out),
    lambda left, right, knowledge, out: components.containers(left, right, out, knowledge),
    lambda left, right, knowledge, out: components.packs(left, right, out),
    lambda left, right, knowledge, out: components.flags(left, right, out, knowledge),
    lambda left, right, knowledge, out: components.brands(left, right, out),
    lambda left, right, knowledge, out: components.residual(left, right, knowledge, out),
)


def fuzzy_score(base: float, out: Comparison) -> float:
    """A pair's score short of a level of its own: the fuzzy score of the two names less each veto and doubt."""
    return max(0.0, round(base - 12 * len(out.vetoes) - 4 * len(out.blockers), 1))


def _below(left: DrugKey, right: DrugKey, floor: float) -> Callable[[Comparison], bool]:
    """Whether a comparison found so far is certain to end below ``floor``: with a veto it is scored by the fuzzy
    score of the two names less each veto and doubt (``fuzzy_score``, rounded: 39.96 is shown as 40.0), and the
    checks still to come only add."""
    base = fuzz.token_sort_ratio(left.canonical, right.canonical)
    return lambda out: bool(out.vetoes) and fuzzy_score(base, out) < floor


def _decide_level(left: DrugKey, right: DrugKey, same_code: bool, out: Comparison) -> None:
    if name_key(left.name) == name_key(right.name) and not out.vetoes:
        out.level, out.blockers = "exact", []
    elif same_code:
        out.level = "reference"
        if out.vetoes or out.blockers:
            out.agreements.append(
                "BNF codes name the same generic product despite: " + "; ".join(out.vetoes + out.blockers)
            )
        out.vetoes, out.blockers = [], []
        out.agreements.insert(0, f"same generic BNF code {generic_code(out.details['left_bnf_code'])}")
    elif not out.vetoes and not out.blockers:
        out.level = "synonym" if out.joined_by else "normalised"
    if out.level in LEVEL_SCORES:
        out.score = LEVEL_SCORES[out.level] - (out.softs if out.level != "exact" else 0)
        return
    base = fuzz.token_sort_ratio(left.canonical, right.canonical)
    out.score = fuzzy_score(base, out)
