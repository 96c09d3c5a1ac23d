"""Resolving a name against the national list: which current BNF presentations could it be?

A name that fits two current presentations that are different products (``Pantoprazole 40mg inj vials`` and
``... pdr for soln inj vials``; an orodispersible tablet and its sugar-free version) does not say which one it
means, however well it fits the one the other formulary happens to list. Before a pair becomes automatic, the
name is compared with every current presentation of the same chemical substance: if another generic product
fits it exactly, the pair is left to the working group with the fitting presentations named. The national list
decides this, not a hand-written list of qualifiers: when it holds two presentations that differ only by a
word, that word distinguishes products.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from harmonise.matching.compare import ML_FILL_RE, compare
from harmonise.matching.comparison import Comparison
from harmonise.matching.knowledge import Knowledge
from harmonise.matching.known import KnownSubstances, abbreviates
from harmonise.matching.pairs import MatchSettings
from harmonise.matching.parse import PARENTERAL, DrugKey, on_the_skin, parse_name
from harmonise.matching.reference import Reference, generic_code, name_key
from harmonise.matching.strength import restated, stated_packs, written_per_volume


@dataclass
class Presentations:
    """The reference's medicine presentations by chemical substance, parsed on first use."""

    reference: Reference
    knowledge: Knowledge
    by_substance: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    parsed: dict[str, DrugKey] = field(default_factory=dict)
    by_prefix: dict[str, list[str]] = field(default_factory=dict)
    chemicals_by_word: dict[str, list[str]] = field(default_factory=dict)
    releases: dict[str, str] = field(default_factory=dict)  # brand -> the release all its products have

    def __post_init__(self) -> None:
        grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for code, name in self.reference.names.items():
            grouped[code[:9]].append((code, name))
        self.by_substance = dict(grouped)
        # lower-case names in order, to find those starting with a prefix without reading them all
        self.in_order = sorted((name.lower(), code) for code, name in self.reference.names.items())

    def starting_with(self, prefix: str) -> list[tuple[str, DrugKey]]:
        """Every presentation whose name starts with ``prefix`` (lower case), parsed."""
        if prefix not in self.by_prefix:
            codes = []
            for name, code in itertools.islice(self.in_order, bisect.bisect_left(self.in_order, (prefix,)), None):
                if not name.startswith(prefix):
                    break
                codes.append(code)
            self.by_prefix[prefix] = codes
        return [(code, self.parsed_key(code)) for code in self.by_prefix[prefix]]

    def parsed_key(self, code: str) -> DrugKey:
        """The presentation's name parsed, with the salt its chemical substance names (``listed_salts``) and the
        release its generic equivalent states (``generic_release``)."""
        if code not in self.parsed:
            key = on_the_skin(parse_name(self.reference.names[code], self.knowledge), code[:2])
            key = listed_salts(key, code, self.reference, self.knowledge)
            self.parsed[code] = generic_release(key, code, self.reference, self.knowledge)
        return self.parsed[code]

    def of(self, code: str) -> list[tuple[str, DrugKey]]:
        """Every presentation of the chemical substance of ``code``, parsed."""
        return [(pcode, self.parsed_key(pcode)) for pcode, _ in self.by_substance.get(code[:9], [])]

    def of_drug(self, code: str, key: DrugKey) -> list[tuple[str, DrugKey]]:
        """Every presentation of the chemical substance of ``code`` and of the drug's other chemical substances,
        which the national list files apart by salt or ester (``Estradiol``, ``Estradiol valerate``): those
        whose name starts with the drug's first substance and names the same substances."""
        out = self.of(code)
        if not key.substances:
            return out
        first = key.substances[0]
        for chemical in self.chemicals_named(first.split()[0]):
            name = self.reference.chemicals[chemical]
            same = chemical != code[:9] and name.lower().startswith(first)
            if same and chemical_key(name, self.knowledge)[0] == key.substance_set:
                out += self.of(chemical)
        return out

    def chemicals_named(self, word: str) -> list[str]:
        """The chemical substance codes whose name starts with ``word`` (lower case)."""
        if not self.chemicals_by_word:
            for chemical, name in self.reference.chemicals.items():
                self.chemicals_by_word.setdefault(name.lower().split(" ")[0], []).append(chemical)
        return self.chemicals_by_word.get(word, [])


def chemical_key(chemical: str, knowledge: Knowledge) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    """The substances and salts a chemical substance's name states (parsed once per knowledge)."""
    cache = knowledge.cache.setdefault("chemical_salts", {})
    if chemical not in cache:
        parsed = parse_name(chemical, knowledge)
        cache[chemical] = (parsed.substance_set, parsed.salts)
    return cache[chemical]


def listed_salts(key: DrugKey, code: str, reference: Reference, knowledge: Knowledge) -> DrugKey:
    """``key`` of a current presentation, with the salt its chemical substance names where the name states none:
    the national list names ``Promethazine 5mg/5ml oral solution`` without its salt and files it under
    ``Promethazine hydrochloride``. Against a name that states no salt either it says nothing (``listed``; see
    ``compare._salts``). Only when the chemical substance names the same substances as the name, and
    never for a brand's name (the brand says which salt; names of it, old and new, rarely do); the evidence
    says where the salt came from."""
    chemical = reference.chemical_of(code)
    if not chemical or not key.substances or key.brand:
        return key
    substances, salts = chemical_key(chemical, knowledge)
    stated = {substance for substance, _ in key.salts}
    added = tuple(pair for pair in salts if pair[0] not in stated)
    if substances != key.substance_set or not added:
        return key
    note = f"salt {' '.join(salt for _, salt in added)} from the national list ({chemical})"
    salts = tuple(sorted({*key.salts, *added}))
    return dataclasses.replace(key, salts=salts, listed=tuple(sorted({*key.listed, *added})), notes=(*key.notes, note))


def generic_release(key: DrugKey, code: str, reference: Reference, knowledge: Knowledge) -> DrugKey:
    """``key`` of a current brand presentation whose name states no release, with the release its generic
    equivalent's name states: the national list names ``Epilim Chrono 300 tablets`` without saying they are
    modified-release, and gives ``Sodium valproate 300mg modified-release tablets`` as their generic equivalent.
    Only the release is taken, and the evidence says from where; against a name of the same brand that leaves it
    out too it says nothing (``components.release``)."""
    generic = generic_code(code)
    if key.release or not generic or generic == code or generic not in reference.names:
        return key
    release = parse_name(reference.names[generic], knowledge).release
    if not release:
        return key
    note = f"{release} as its generic equivalent {reference.names[generic]}"
    return dataclasses.replace(key, release=release, release_listed=True, notes=(*key.notes, note))


MAKER_WORDS = 3  # at most this many words of a maker or range before the substance ("Polyfusor SB", "Steriflex No.6")


def maker_before_substance(
    key: DrugKey, code: str, reference: Reference, knowledge: Knowledge, is_real: Callable[[str], bool]
) -> DrugKey:
    """``Sunvite Vitamin D3 1,000unit capsules``, ``Polyfusor SB sodium chloride 0.45% infusion 500ml bottles``: a
    current name may start with its maker or range. When what the name was read as is no known substance, and
    the name less its first words names exactly the chemical substance the national list files the presentation
    under, those words are the maker's, read like ``parse.maker_first`` reads an older name's (words the other
    side must state too)."""
    chemical = reference.chemical_of(code)
    if not chemical or not key.substances or key.brand or any(is_real(s) for s in key.substances):
        return key
    substances = chemical_key(chemical, knowledge)[0]
    words = key.name.split()
    for cut in range(1, min(MAKER_WORDS, len(words) - 1) + 1):
        head = words[:cut]
        if any(STRENGTH_RE.search(w) for w in head):
            break
        turned = parse_name(" ".join([*words[cut:], *head]), knowledge)
        if turned.substance_set == substances and all(is_real(s) for s in turned.substances) and not turned.brand:
            note = f"{' '.join(head)} read as the maker or range of {' + '.join(turned.substances)} (national list)"
            return dataclasses.replace(turned, name=key.name, notes=(*turned.notes, note))
    return key


STRENGTH_RE = re.compile(r"\d(?:[\d.,]*)(?:mg|g|ml|l|%|unit|micro|mcg|u\b)", re.IGNORECASE)


def presentations(reference: Reference, knowledge: Knowledge) -> Presentations:
    """The parsed presentations of ``reference``, kept with the knowledge so a run parses each once."""
    key = ("presentations", reference.path)
    cached = knowledge.cache.get(key)
    if cached is None or cached.reference is not reference:  # the same file loaded again may have changed
        cached = Presentations(reference, knowledge)
        knowledge.cache[key] = cached
    return cached


def other_fits(
    left: DrugKey,
    right_code: str,
    found: Presentations,
    known: KnownSubstances,
    settings: MatchSettings,
    loosely: bool = False,
) -> list[str]:
    """Names of current presentations, other products than ``right_code``'s, that ``left`` fits exactly: every
    component agrees, nothing in doubt, not even a soft difference (empty when the name can only be that one
    product). A name without a brand means a generic presentation, and a name with one that brand's
    presentations, so only presentations of the same brand (or of none) are counted. When the name fits the right
    one only ``loosely`` (a soft difference: a form of its family, a container it does not state), a presentation
    whose only doubts are what that presentation states and the name does not (``CFC free``, ``vials``) fits it
    as well: ``Beclometasone 200microg/Formoterol 6microg/dose inh`` is the CFC-free inhaler as much as the dry
    powder inhaler. A name saying infusion (or injection), as the right one does, does not fit a presentation
    saying the other (``Pamidronate Disod_I/V Inf 30mg Vl``: the ``inf vials``, not the ``inj vials``)."""
    target = generic_code(right_code) or right_code
    right = found.parsed_key(right_code) if right_code in found.reference.names else None
    # an infusion the name says it is, and the right one is too, is not another current product's injection
    route = left.parenteral_word if right is not None and right.parenteral_word == left.parenteral_word else ""
    fits: dict[str, str] = {}
    for pcode, pkey in found.of(right_code):
        product = generic_code(pcode) or pcode
        if product == target or product in fits or (pkey.brand != left.brand if left.brand else is_branded(pcode)):
            continue
        if route and pkey.parenteral_word and pkey.parenteral_word != route:
            continue
        if not could_fit_exactly(left, pkey) or written_apart(left, right_code, pcode, found):
            continue
        cmp = compare(left, pkey, found.knowledge, known=known)
        exact = cmp.auto_eligible and cmp.softs == 0 and cmp.score >= settings.auto_score
        unstated = loosely and only_unstated_doubts(left, cmp)
        another = right is not None and (
            in_another_container(left, right, pkey, cmp) or unsaid_powder(left, right, cmp)
        )
        if exact or unstated or another:
            fits[product] = found.reference.names.get(pcode, pkey.name)
    return sorted(fits.values())


POWDER_DOUBT = "container powder stated on one side only"


def unsaid_powder(left: DrugKey, right: DrugKey, cmp: Comparison) -> bool:
    """``Solu-Cortef_Inj 100mg Vl``: older names leave unsaid whether an injection's vial holds a powder or a
    solution. When neither the name nor the right presentation (``Solu-Cortef 100mg inj vials``) says, the
    powder the national list also holds (``... powder for solution for injection vials``), differing only by
    that, is a product the name may be as well: it fits both, and neither is automatic."""
    said = {*left.container.split("+"), *right.container.split("+")}
    return (
        left.form == PARENTERAL
        and not said & {"powder", "solution"}
        and not cmp.vetoes
        and cmp.blockers == [POWDER_DOUBT]
    )


def only_unstated_doubts(left: DrugKey, cmp: Comparison) -> bool:
    """No veto, and every doubt is something stated on one side only that ``left`` does not state."""
    if cmp.vetoes or not cmp.blockers:
        return False
    said = set(left.canonical.split())
    for blocker in cmp.blockers:
        if not blocker.endswith(" on one side only"):
            return False
        thing = blocker.removesuffix(" on one side only").removesuffix(" stated").split()
        if set(thing[1:] if thing[0] in ("container", "form", "release") else thing) <= said:
            return False
    return True


def unstated_brand_release(left: DrugKey, right: DrugKey, found: Presentations) -> str:
    """``Coracten 10mg capsules``, ``Sondate 50mg tablets``: a brand whose every current product is
    modified-release names a modified-release product even when the name leaves the release out, so it is never
    joined automatically to a name of another release (``Nifedipine 10mg capsules``). The doubt, or '' when
    neither name is such a brand."""
    for named, other in ((left, right), (right, left)):
        release = brand_release(named, found)
        if release and other.release != release:
            return (
                f"release: every current product of {named.brand} is {release}, which its name does not state; "
                f"the other is {other.release or 'standard'}"
            )
    return ""


def brand_release(key: DrugKey, found: Presentations) -> str:
    """The release every current presentation of ``key``'s brand has, when its name states none ('' otherwise)."""
    if not key.brand or key.release:
        return ""
    if key.brand not in found.releases:
        releases = {pkey.release for _, pkey in found.starting_with(key.brand)}
        found.releases[key.brand] = releases.pop() if len(releases) == 1 else ""
    return found.releases[key.brand]


def in_another_container(left: DrugKey, right: DrugKey, other: DrugKey, cmp: Comparison) -> bool:
    """``Sod Chlor_I/V Inf 0.9% 50ml`` names no container; the national list holds the product in ``50ml
    ampoules`` and as an ``infusion 50ml bags``: the name fits the other as well as the right one, whichever of
    the two a container on one side only is a doubt for. The same holds for another product in the containers
    the right one comes in (``Sodium chloride 30% solution for infusion 10ml ampoules`` and ``... for injection
    10ml ampoules``, both read as an injection): the right one has a container the name does not state, the name
    states none the other lacks (``solution`` says what is inside, not the container), and nothing but a container
    or a unit dose is in doubt. A name that states no container is the product the list names without one
    (``Ibuprofen 100mg/5ml oral suspension``, not its ``5ml sachets``)."""
    ls, rs, os = (set(filter(None, key.container.split("+"))) - {"solution"} for key in (left, right, other))
    return (
        ls < rs
        and ls <= os
        and not cmp.vetoes
        and all(b.startswith(("container ", "unit dose ")) and b.endswith(" on one side only") for b in cmp.blockers)
    )


def written_apart(left: DrugKey, right_code: str, other_code: str, found: Presentations) -> bool:
    """The name writes its strength per volume as the right presentation does and the other presentation
    writes the same concentration another way (``500mg/5ml``: ``Paracetamol 500mg/5ml oral solution``, not
    ``Paracetamol 100mg/ml oral solution``): then it names the right one, not the other."""
    written = written_per_volume(left.name)
    names = found.reference.names
    return (
        bool(written)
        and written_per_volume(names.get(right_code, "")) == written
        and written_per_volume(names.get(other_code, "")) != written
    )


def could_fit_exactly(left: DrugKey, presentation: DrugKey) -> bool:
    """A quick look before the full comparison: an exact fit has the same strengths, form and release, and the
    name states no pack or fill volume the presentation does not (then the name is the more specific)."""
    return (
        sorted(left.strengths) == sorted(presentation.strengths)
        and left.form == presentation.form
        and left.release == presentation.release
        and not set(left.packs) - set(presentation.packs)
    )


def is_branded(code: str) -> bool:
    """A branded presentation: characters 10-11 of its code are not ``AA``."""
    return len(code) == 15 and code[9:11] != "AA"


GUESS = "substance guessed from a shortened name"


def resolves_guess(left: DrugKey, right_code: str, found: Presentations, known: KnownSubstances) -> str:
    """A shortened substance name (``Hydrocort``) that fits several substances is still one product when, of
    every current presentation whose name starts like it, the right one's product is the only one the whole
    name fits: strength, form, release, container and the rest agreeing, nothing but the guess in doubt.
    Returns that presentation's name ('' when the national list does not settle it)."""
    words = [s.split()[0][:4] for s in left.substances if s.split()]
    if not words:
        return ""
    target = generic_code(right_code) or right_code
    fitting: set[str] = set()
    for pcode, pkey in found.starting_with(words[0]):
        if (pkey.brand != left.brand if left.brand else is_branded(pcode)) or not could_fit_exactly(left, pkey):
            continue
        cmp = compare(left, pkey, found.knowledge, known=known)
        if not cmp.vetoes and cmp.softs == 0 and all(b.startswith(GUESS) for b in cmp.blockers):
            fitting.add(generic_code(pcode) or pcode)
            if len(fitting) > 1:
                return ""
    return found.reference.names.get(target, "") if fitting == {target} else ""


STRENGTH_UNSTATED = ("strength ", "strengths ")


def unstated_release(blocker: str) -> bool:
    """A doubt only because one of two names of a brand states the release (``components.release``)."""
    return blocker.startswith("release ") and blocker.endswith(" stated on one side only")


def unstated_strength(blocker: str) -> bool:
    """A doubt only because one name states no strength (``strength 0.8% stated on one side only``), or a
    quantity the other does not: a volume (``volume 10ml stated on one side only``), a time a patch's strength
    is per (``strength 5mg/16hour vs 5mg: per time stated on one side only``)."""
    if blocker.startswith("volume ") and blocker.endswith(" stated on one side only"):
        return True
    if blocker.startswith(STRENGTH_UNSTATED) and blocker.endswith(": per time stated on one side only"):
        return True
    return blocker.startswith(STRENGTH_UNSTATED) and "stated on one side only" in blocker and " vs " not in blocker


def resolves_strength(left: DrugKey, right_code: str, found: Presentations, known: KnownSubstances) -> str:
    """A branded name without its strength (``Bruiseze_Oint``) is still one product when the brand's product
    line holds exactly one current presentation the name fits, strength aside (``Bruiseze 0.8% ointment``), and
    that is the right one. Only for names of a brand, whose product line the national list holds whole. The same
    holds the other way round: a current presentation named without a strength (``Fybogel effervescent granules
    sachets``) is the only one of its line in that form, so a name of that brand stating one (``Fybogel_Eff Gran
    Sach 3.5g``) is that presentation when it fits no other. So is a brand's older name that does not state the
    release when every product of the brand has the release the current name states (``Mizollen_Tab 10mg``).
    A product named by words that are no brand the list knows and no substance (``Golden Eye_Eye Oint``,
    ``Flexin-50 Continus_Tab 50mg``) is its line when the words before the underscore start the current name:
    the line is every current presentation whose name starts with them. A presentation of the line whose name
    has other words where the name has its own (``Equanox cylinders size F`` for ``Equanox_Cylinder Size G
    5000L``, none of the words shortening another) is another product, not one the name may be.
    A generic name stating its fill but no strength (``Gppe Ins_Hum Mixt 50 10ml Vl``: an insulin's 100 units/ml
    left unsaid) is the right presentation when it is the only generic presentation of the drug the name fits,
    strength aside: the national list holds every current strength, so a second one leaves the doubt. A generic
    name stating neither (``Furosemide_Tab``) stays a doubt even against the only one: a formulary row naming a
    drug's every strength states no fill, and may mean a strength the list no longer holds.
    Returns that presentation's name ('' when the national list does not settle it)."""
    if left.options:
        return ""
    if not is_branded(right_code):
        return _only_generic_strength(left, right_code, found, known)
    release = found.parsed_key(right_code).release
    if left.brand:
        line = [(pcode, pkey) for pcode, pkey in found.of(right_code) if pcode[:11] == right_code[:11]]
        if left.release != release and (left.release or any(pkey.release != release for _, pkey in line)):
            return ""  # only a brand whose every product has the release the current name states
    else:
        head = product_words(left.name)
        if not head or any(known.is_real(s) for s in left.substances):
            return ""
        if not name_key(found.reference.names.get(right_code, "")).startswith(head):
            return ""
        line = found.starting_with(head)
    words = {w for s in left.substances for w in s.split()} if not left.brand else set()
    # a product named by words: the words the name states beyond them are in every presentation it may be (when
    # the right one holds them all: a word no current name holds, a maker's code, tells nothing)
    own = [w for w in left.residual if w.isalpha()] if not left.brand else []
    own = own if own and _states_words(own, found.reference.names.get(right_code, "")) else []
    fitting: set[str] = set()
    for pcode, pkey in line:
        if pkey.form != left.form or pkey.release != release:
            continue
        if own and not _states_words(own, found.reference.names[pcode]):
            continue  # "Bell's Muscle Rub ointment" is not a product "Bell's_Corn & Callus Oint" may be
        cmp = compare(left, pkey, found.knowledge, known=known)
        # a product named by words may be one whose name holds more of them (Golden Eye Antibiotic)
        more_words = bool(words) and all(v.startswith("substance differs") for v in cmp.vetoes)
        more_words = more_words and words <= set(name_key(found.reference.names[pcode]).split())
        if (cmp.vetoes and not more_words) or any(contradicts(b) for b in cmp.blockers):
            continue  # not a presentation the name may be: a veto, or other words where the name has its own
        fitting.add(pcode)  # any presentation the name may be (a flavour it does not state too)
        if len(fitting) > 1:
            return ""
    return found.reference.names.get(right_code, "") if fitting == {right_code} else ""


def _only_generic_strength(left: DrugKey, right_code: str, found: Presentations, known: KnownSubstances) -> str:
    """See ``resolves_strength``: a generic name stating no strength, and the one generic presentation it fits."""
    if left.brand or left.strengths or not left.substances or not any(ML_FILL_RE.match(p) for p in left.packs):
        return ""  # only a name stating its fill: a formulary row naming a drug's every strength names none
    right = found.parsed_key(right_code)
    fitting: set[str] = set()
    for pcode, pkey in found.of_drug(right_code, left):
        if is_branded(pcode) or pkey.form != left.form or pkey.release != right.release:
            continue
        cmp = compare(left, pkey, found.knowledge, known=known)
        if cmp.vetoes or any(contradicts(b) for b in cmp.blockers):
            continue
        fitting.add(pcode)
        if len(fitting) > 1:
            return ""
    return found.reference.names.get(right_code, "") if fitting == {right_code} else ""


def _states_words(words: list[str], name: str) -> bool:
    """Whether ``name`` has each of ``words``, or a word it abbreviates (``Antis`` for antiseptic)."""
    held = name_key(name).split()
    return all(any(abbreviates(w, h) for h in held) for w in words)


GPPE = re.compile(r"^\s*gppe\b", re.IGNORECASE)


def resolves_generic_line(left: DrugKey, right_code: str, found: Presentations, known: KnownSubstances) -> str:
    """``Gppe Crm_Transvasin``: an older name of the generic equivalent of a brand, which today's list names
    ``Generic Transvasin ...``, saying less than today's name (``Generic Transvasin Heat Rub cream``: the words
    "heat rub", a strength, a volume, a form). It is that presentation when the brand's generic line (every current
    name starting ``Generic <brand>``) holds no other the name fits (``_fits_saying_less``). Words the older name
    states that a presentation does not keep that presentation from fitting (``A-Bact``).
    Returns that presentation's name ('' when the national list does not settle it)."""
    if not left.brand or not GPPE.match(left.name):
        return ""
    prefix = f"generic {left.brand} "
    if not name_key(found.reference.names.get(right_code, "")).startswith(prefix):
        return ""
    fitting = {
        pcode
        for pcode, pkey in found.starting_with(prefix)
        if _fits_saying_less(compare(left, pkey, found.knowledge, known=known), left)
    }
    return found.reference.names.get(right_code, "") if fitting == {right_code} else ""


def generic_of_brand(left: DrugKey, found: Presentations, known: KnownSubstances) -> tuple[str, str]:
    """``Gppe Loz_Dequacaine``: an older name of the generic equivalent of a brand's presentation. When exactly
    one current presentation of the brand (a name starting with the brand, under a brand's code) fits what the
    name says (``_fits_saying_less``), with no words of the product's name the older name leaves out (``Hydromol
    HC Intensive cream`` is not the ``Gppe Crm_Hydromol`` of an emollient cream the list no longer holds), the
    name is that presentation's generic equivalent, whatever today's list calls it (``Benzocaine 10mg /
    Dequalinium chloride 250microgram lozenges``): returns the generic BNF code and the brand presentation's name
    (empty when the name is no such name, or fits none or several)."""
    if not GPPE.match(left.name):
        return "", ""
    fitting: set[str] = set()
    for prefix in _product_prefixes(left):
        branded = [(pcode, pkey) for pcode, pkey in found.starting_with(prefix) if is_branded(pcode)]
        fitting = {
            pcode
            for pcode, pkey in branded
            if pkey.brand == left.brand
            and _fits_saying_less(compare(left, pkey, found.knowledge, known=known), left, product_words=False)
        }
        if branded:
            break
    if len(fitting) != 1:
        return "", ""
    [pcode] = fitting
    generic = generic_code(pcode)
    if not generic or generic == pcode or generic not in found.reference.names:
        return "", ""
    return generic, found.reference.names[pcode]


def _product_prefixes(left: DrugKey) -> list[str]:
    """How the current presentations of an older ``Gppe <kind>_<product>`` name begin: its brand, or, where the
    knowledge holds none (a product named with a number, ``Monozide 10``), the words after the underscore, the
    longest first."""
    if left.brand:
        return [f"{left.brand} "]
    words = name_key(left.name.partition("_")[2]).split()
    return [" ".join(words[:n]) + " " for n in range(len(words), 0, -1)]


def _fits_saying_less(cmp: Comparison, left: DrugKey, product_words: bool = True) -> bool:
    """No veto, and every doubt is about something one name states and the other leaves out: a strength or
    volume, a form, a container, words only the current name states (unless ``product_words`` is false), or a
    flag, flavour or salt only the older name states. A flag only the current name states (``sugar free``, ``CFC
    free``) stays a doubt, as it does in ``resolves_flags`` (sugar free aside there): the older name may be the
    product without it."""
    return not cmp.vetoes and all(
        unstated_strength(b)
        or unstated_form(b)
        or bool(one_sided_volume(b))
        or (bool(one_sided_flag(b)) and _stated_by_left(b, left))
        or (product_words and b.startswith(UNREAD_WORDS) and b[len(UNREAD_WORDS) :].startswith("- / "))
        for b in cmp.blockers
    )


def unsaid_form(blockers: list[str], left: DrugKey) -> bool:
    """Doubts only about a form the name does not state, and maybe the container it comes in (``Polyfusor_Sod
    Bicarb 4.2% 500ml``: the form injection and the container bottles stated by the presentation only)."""
    return any(unstated_form(b) for b in blockers) and all(
        unstated_form(b) or (one_sided_flag(b).startswith("container:") and not _said_by_name(b, left))
        for b in blockers
    )


def unstated_form(blocker: str) -> bool:
    """A doubt only because one name states a form the other does not (``form injection stated on one side
    only``)."""
    return blocker.startswith("form ") and blocker.endswith(" stated on one side only")


def resolves_form(left: DrugKey, right_code: str, found: Presentations, known: KnownSubstances) -> str:
    """A maker's or brand's older name stating no form at all (``Polyfusor_Sod Chlor 0.18% 500ml``) is the
    current presentation of that maker or brand it fits, the form aside, when it fits no other: of every current
    presentation of the drug, the right one (whose name starts with the maker's words, or of the same brand) is
    the only one the name fits with nothing in doubt but the form it does not state. A name stating no maker or
    brand stays a doubt (a 500ml bottle of a solution may be for infusion or irrigation).
    Returns that presentation's name ('' when the national list does not settle it)."""
    if left.form or left.options:
        return ""
    right_name = name_key(found.reference.names.get(right_code, ""))
    head = product_words(left.name)
    if left.brand:
        if found.parsed_key(right_code).brand != left.brand:
            return ""
    elif not head or not right_name.startswith(head):
        return ""
    fitting: set[str] = set()
    for pcode, pkey in found.of_drug(right_code, left):
        pkey = maker_before_substance(pkey, pcode, found.reference, found.knowledge, known.is_real)
        cmp = compare(left, pkey, found.knowledge, known=known)
        if cmp.vetoes or not unsaid_form(cmp.blockers, left):
            continue
        fitting.add(pcode)
        if len(fitting) > 1:
            return ""
    return found.reference.names.get(right_code, "") if fitting == {right_code} else ""


UNREAD_WORDS = "words not understood: "
FORM_VETO = re.compile(r"^form differs: ([a-z ]+) vs ([a-z ]+)$")


def unsaid_route(vetoes: list[str]) -> str:
    """The form an older name states without the word a current presentation writes before it (``cream``
    against ``vaginal cream``, ``gel`` against ``oral gel``, ``tablets`` against ``chewable tablets``): the only
    veto of the pair. Returns that form ('' for any other veto)."""
    found = FORM_VETO.match(vetoes[0]) if len(vetoes) == 1 else None
    if not found:
        return ""
    stated, current = found.groups()
    return stated if current.endswith(f" {stated}") else ""


def resolves_route(left: DrugKey, right_code: str, found: Presentations, known: KnownSubstances) -> str:
    """``Clotrimazole_Crm 10%`` against ``Clotrimazole 10% vaginal cream``, ``Glucose_Gel 40%`` against ``Glucose
    40% oral gel``: an older name may state a form without the word today's names write before it. It is the
    presentation when the name fits it with nothing else in doubt and no other current presentation of the drug
    (of the same brand, or none) in that form or any form ending with it fits the name without a veto (whatever
    its release, when the name states none), its doubts only about what it states and the name does not.
    Returns that presentation's name ('' when the national list does not settle it)."""
    stated = left.form
    fits = False
    for pcode, pkey in found.of_drug(right_code, left):
        if pkey.form != stated and not pkey.form.endswith(f" {stated}"):
            continue
        if pkey.brand != left.brand if left.brand else is_branded(pcode) and bool(pkey.brand):
            continue
        cmp = compare(dataclasses.replace(left, form=pkey.form), pkey, found.knowledge, known=known)
        # a release the name leaves unsaid is no veto here: ``Diclofenac sodium 50mg tablets`` may be the
        # gastro-resistant tablets as much as the dispersible ones
        vetoes = [v for v in cmp.vetoes if left.release or not v.startswith("release differs")]
        if vetoes:
            continue
        if pcode != right_code:
            if any(_name_says_more(b, left) for b in cmp.blockers):
                continue  # fits the name less well than the right one
            return ""  # another presentation the name may be, whatever it leaves in doubt
        fits = not cmp.blockers and not cmp.vetoes
    return found.reference.names.get(right_code, "") if fits else ""


def resolves_brand_words(left: DrugKey, right_code: str, found: Presentations, known: KnownSubstances) -> str:
    """``Pentacarinat_Neb Soln 300mg/5ml`` against ``Pentacarinat Ready-to-Use 300mg/5ml nebuliser liquid``,
    ``Stiemycin_Acne Soln 2%`` against ``Stiemycin 2% solution``: a brand's name and a current presentation of
    that brand agreeing in everything but words one of them states and the other does not (never words each
    states, none shortening another: two products, see ``contradicts``; never a number, which names a strength or
    a product of the brand). It is that presentation when no other current presentation of the brand fits the name
    without a veto, its doubts only about what it states and the name does not (``_name_says_more``), and no
    product of another brand or none states the words only the name states.
    Returns that presentation's name ('' when the national list does not settle it)."""
    if not left.brand or found.parsed_key(right_code).brand != left.brand:
        # a generic name's words stay a doubt: tried, settling them made false automatic matches on held-out names
        return ""
    right = compare(left, found.parsed_key(right_code), found.knowledge, known=known)
    if any(char.isdigit() for b in right.blockers for char in b):
        return ""  # a number names a strength or a product of the brand (``Minodiab 5_Tab 2.5mg``)
    own = [w for b in right.blockers for w in b[len(UNREAD_WORDS) :].partition(" / ")[0].split() if w != "-"]
    fits = False
    for pcode, pkey in found.of_drug(right_code, left):
        if (
            pcode != right_code
            and own
            and (_states_words(own, found.reference.names.get(pcode, "")) or set(own) <= set(pkey.residual))
        ):
            # another product whose name (or words read from it) states the words only the name states: they may be
            # what tells it apart (``Lloyds_Rehyd Tt Gran sach 4.87g``: ``Lloydspharmacy Rehydration Treatment
            # granules 4.87g sachets``)
            return ""
        if pkey.brand != left.brand:
            continue  # another brand's product, or none's
        cmp = right if pcode == right_code else compare(left, pkey, found.knowledge, known=known)
        if cmp.vetoes or any(contradicts(b) for b in cmp.blockers):
            continue  # another product
        if pcode != right_code:
            if any(_name_says_more(b, left) for b in cmp.blockers):
                continue  # fits the name less well than the right one
            return ""  # another presentation of the brand the name may be, whatever it leaves in doubt
        fits = all(b.startswith(UNREAD_WORDS) for b in cmp.blockers)
    return found.reference.names.get(right_code, "") if fits else ""


def _name_says_more(blocker: str, left: DrugKey) -> bool:
    """Whether a doubt is about something the name states and a presentation does not (a flag, a container, a
    unit dose, a strength, words): that presentation fits the name less well than one stating it."""
    if blocker.startswith(UNREAD_WORDS):
        return blocker[len(UNREAD_WORDS) :].partition(" / ")[0] != "-"
    if blocker.startswith("unit dose "):
        return "unit dose" in left.container.split("+")
    if unstated_strength(blocker):
        return bool(left.strengths)
    return bool(one_sided_flag(blocker)) and _said_by_name(blocker, left)


def contradicts(blocker: str) -> bool:
    """Whether a doubt is about words each name states and the other does not, none shortening another (``size G``
    against ``size F``): two products, not one the other name leaves something unsaid about."""
    if not blocker.startswith(UNREAD_WORDS):
        return False
    left, _, right = blocker[len(UNREAD_WORDS) :].partition(" / ")
    lw, rw = [w for w in left.split() if w != "-"], [w for w in right.split() if w != "-"]
    return bool(lw and rw) and not any(abbreviates(a, b) or abbreviates(b, a) for a in lw for b in rw)


def product_words(name: str) -> str:
    """The words before the underscore of an older national name (``Golden Eye_Eye Oint`` -> ``golden eye ``,
    with the space that ends a word), lower case; '' for a name written otherwise."""
    head, underscore, _ = str(name).partition("_")
    head = name_key(head)
    return f"{head} " if underscore and head else ""


SALT_DOUBT = re.compile(r"^salt (.+) stated on one side only and it matters for ")
CONTAINER_DOUBT = re.compile(r"^container (.+) stated on one side only$")


def one_sided_flag(blocker: str) -> str:
    """What a doubt is about when only one name states it: a flag, a flavour, a salt that matters (``salt:``
    before it) or a container (``container:``); '' for other doubts."""
    if blocker.startswith("flavour ") and blocker.endswith(" stated on one side only"):
        return blocker[len("flavour ") : -len(" stated on one side only")]
    salt, container = SALT_DOUBT.match(blocker), CONTAINER_DOUBT.match(blocker)
    if salt or container:
        return f"salt:{salt.group(1)}" if salt else f"container:{container.group(1)}"  # type: ignore[union-attr]
    if blocker.endswith(" on one side only") and not blocker.startswith(("strength", "form")):
        return blocker[: -len(" on one side only")]
    return ""


VOLUME_DOUBT = re.compile(r"^strength \S+ vs \S+: the (?:fill|volume) (\S+) is stated on one side only$")
# a name whose only quantity is its volume (``components.packs``): ``Nitrous Ox_Cylinder Size G 9000L``
ONLY_VOLUME_DOUBT = re.compile(r"^volume (\S+) stated on one side only$")


def one_sided_volume(blocker: str) -> str:
    """The volume of a doubt about a fill or a volume only one name states (``300mg/3ml`` against ``100mg/ml``,
    ``400mg/50ml`` against ``400mg``, a cylinder's ``9000L`` against its size alone); '' for other doubts."""
    found = VOLUME_DOUBT.match(blocker) or ONLY_VOLUME_DOUBT.match(blocker)
    return found.group(1) if found else ""


def _settles(blocker: str) -> bool:
    """Whether the national list may settle this doubt: a flag, flavour, salt, container, fill or
    volume only one side states."""
    return bool(one_sided_flag(blocker) or one_sided_volume(blocker))


def _stated_by_left(blocker: str, left: DrugKey) -> bool:
    volume = one_sided_volume(blocker)
    if volume:
        # a 1ml fill the canonical strength hides (``3mu/ml 1ml Vl``) is stated too
        return any(s.endswith(f"/{volume}") for s in left.strengths) or volume in stated_packs(left.name, left.packs)
    return _stated_by(left, one_sided_flag(blocker))


def _said_by_name(blocker: str, left: DrugKey) -> bool:
    """Whether a one-sided doubt is about something the name itself states (a container too only when the name
    states it, unlike ``_stated_by_left``)."""
    flag = one_sided_flag(blocker)
    if flag.startswith("container:"):
        return flag[len("container:") :] in left.container.split("+")
    return _stated_by_left(blocker, left)


def resolves_flags(left: DrugKey, right_code: str, found: Presentations, known: KnownSubstances) -> str:
    """A name stating a flag, flavour or salt the other, a current presentation, does not (or either stating a
    container the other does not) (``Lanthanum Carb_Tab Chble
    750mg S/F`` against ``Lanthanum carbonate 750mg chewable tablets``) is still that presentation when the
    national list holds no presentation of the substance with that flag the name could mean instead: of every
    current presentation of the same strength, form and release (and brand, or none), the right one is the only
    one the name fits with nothing in doubt but such flags. The other way round (the current presentation states
    a flag the name does not, as ``CFC free``) stays a doubt: the name may be the product without it. Sugar free
    and the other flags of an excipient left out aside (``UNSAID_FLAGS``): an older name leaves it out of a product
    that is sugar free (``Ritonavir_Oral Soln 400mg/5ml``, today ``Ritonavir 80mg/1ml oral solution sugar free``),
    so when no presentation without it fits the name as well, the name is the sugar-free one.
    The same holds for a fill or volume only the name states (``Levofloxacin_Neb Soln 300mg/3ml Amp`` against
    ``Levofloxacin 100mg/ml nebuliser liquid ampoules``, ``Teicoplanin_I/V Inf 400mg/50ml`` against
    ``Teicoplanin 400mg powder for solution for injection vials``), never for one only the presentation states.
    Never when another current presentation the name may be (nothing in it differs) states what the name states
    and the right one does not (``Paed``: ``Ferrous sulfate heptahydrate 60mg/5ml soln paediatric`` against
    ``Ferrous sulfate 60mg/5ml oral solution``), whatever else it leaves in doubt.
    Returns that presentation's name ('' when the national list does not settle it)."""
    fitting: dict[str, frozenset[str]] = {}  # presentation -> the doubts about what the name states and it does not
    right = compare(left, found.parsed_key(right_code), found.knowledge, known=known)
    unsaid = frozenset(b for b in right.blockers if _said_by_name(b, left))
    left_out = any(_unsaid_flag(b) and not _stated_by_left(b, left) for b in right.blockers)
    missing = [
        flag
        for flag in (one_sided_flag(b) for b in right.blockers if _stated_by_left(b, left))
        if flag and not flag.startswith("container:")
    ]
    for pcode, pkey in found.of_drug(right_code, left):
        # a generic name is none of a brand's presentations, but may be a product the list files under a product
        # code with no brand in its name (``Nitrous oxide cylinders size G``)
        if (pkey.brand != left.brand if left.brand else is_branded(pcode) and bool(pkey.brand)) or not could_fit_flags(
            left, pkey, found.knowledge
        ):
            continue
        cmp = right if pcode == right_code else compare(left, pkey, found.knowledge, known=known)
        if cmp.vetoes or written_apart(left, right_code, pcode, found):
            continue
        if pcode != right_code and missing and all(_stated_by(pkey, flag) for flag in missing):
            return ""  # another current product states what the name states and the right one does not
        if pcode != right_code and left_out and not any(_name_says_more(b, left) for b in cmp.blockers):
            # the right one states a flag the name leaves out (``sugar free``): any other presentation the name
            # may be, whatever it states the name does not (``... oral solution (Imported)``), leaves it in doubt
            return ""
        if not all(_settles(b) for b in cmp.blockers):
            continue
        if pcode == right_code and not all(_stated_by_left(b, left) or _unsaid_flag(b) for b in cmp.blockers):
            return ""
        fitting[pcode] = frozenset(b for b in cmp.blockers if _said_by_name(b, left))
        # the right one must be the only presentation that fits, or the one that leaves out strictly less of what
        # the name states (``Triptorelin Embon_Inj 11.25mg Vl + Dil``: ``Triptorelin embonate 11.25mg inj vials``
        # leaves out the diluent, ``Triptorelin 11.25mg inj vials`` the diluent and the salt)
        if pcode != right_code and not unsaid < fitting[pcode]:
            return ""  # fits as well as the right one: no need to read further
    if right_code not in fitting:
        return ""
    fitting.pop(right_code)
    name = found.reference.names.get(right_code, "")
    unsaid_flags = sorted(
        {one_sided_flag(b) for b in right.blockers if _unsaid_flag(b) and not _stated_by_left(b, left)}
    )
    if unsaid_flags:
        name += f" ({' and '.join(unsaid_flags)}, which the name does not say: the list holds it only so)"
    if fitting:  # say which presentations it was preferred to, and why
        others = "; ".join(sorted(found.reference.names.get(code, code) for code in fitting))
        name += f" ({others} only by leaving out more of what the name states)"
    return name


# flags an older name leaves out of a product that has them (free of an excipient): the national list alone may
# settle them, as it may an insulin's species (``species human``, see ``compare._insulin_species_unsaid``). Not
# ``cfc free``: an older inhaler's name without it may be the CFC-containing one the list no longer holds.
UNSAID_FLAGS = frozenset({"sugar free", "gluten free", "preservative free", "alcohol free", "lactose free"})


def _unsaid_flag(blocker: str) -> bool:
    """A doubt only because the current presentation states a flag of ``UNSAID_FLAGS`` or an insulin's species the
    name does not."""
    flag = one_sided_flag(blocker)
    return blocker.endswith(" on one side only") and (flag in UNSAID_FLAGS or flag.startswith("species "))


def could_fit_flags(left: DrugKey, presentation: DrugKey, knowledge: Knowledge) -> bool:
    """Same strengths (or one strength written another way, see ``restated``, or stated equivalent in brackets:
    ``50,000u (1mg)``) and release, and the same form or one of its family (``oral liquid``, ``oral solution``)."""
    forms = (left.form, presentation.form)
    ls, ps = sorted(left.strengths), sorted(presentation.strengths)
    one = len(ls) == len(ps) == 1
    return (
        (
            ls == ps
            or (one and (ls[0] in presentation.strength_alts or ps[0] in left.strength_alts))  # stated equivalent
            or (
                one
                and bool(
                    restated(
                        ls[0],
                        ps[0],
                        stated_packs(left.name, left.packs),
                        stated_packs(presentation.name, presentation.packs),
                    )[0]
                )
            )
        )
        and left.release == presentation.release
        and (forms[0] == forms[1] or knowledge.same_family(*forms) or knowledge.same_family(*reversed(forms)))
    )


def _stated_by(key: DrugKey, flag: str) -> bool:
    """Whether the name states the qualifier (a container, stated or not, never decides alone: either way)."""
    if flag.startswith("container:"):
        return True
    if flag.startswith("salt:"):
        stated = {word for _, salt in key.salts for word in salt.split()}
        return set(flag[len("salt:") :].split()) <= stated
    return flag in key.flags or all(word in key.residual for word in flag.split())
