"""Normalise a medicine name into its components: a ``DrugKey``.

``Gliclazide_Tab 60mg M/R`` and ``Gliclazide 60mg modified-release tablets`` both become substance
``gliclazide``, strength ``60mg``, form ``tablets``, release ``modified-release``. Abbreviations, salts, forms,
release types, flags, co- names and brands come from the ``Knowledge`` (YAML data); units are converted
by ``normalise_strength``. Parsing never raises: text it cannot place is kept as ``residual`` words, so the
matcher can see that something was not understood. Parsing is cached per knowledge object.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harmonise.matching.knowledge import Knowledge, load_knowledge
from harmonise.matching.known import same_words
from harmonise.matching.parts import (
    COMBINATION_PACK,
    VEHICLE_WORD,
    VOLUMES,
    Segment,
    Token,
    classify_phrases,
    expand_abbreviations,
    salt_word,
    substance_first_words,
    tokenise,
)
from harmonise.matching.strength import NUMBER, UNIT_RE, Quantity, one_in, quantity
from harmonise.matching.substances import (
    Resolved,
    brand_at_start,
    insulin_premix,
    name_insulin,
    resolve_substances,
)

PAREN_RE = re.compile(r"\(([^()]*)\)")
BRAND_PAREN_RE = re.compile(r"\(([^()]*?)\s*[®™]\s*([^()]*)\)")
IGNORED_PAREN_RE = re.compile(r"^(\d+\s*d(oses?)?|\d+\s*flavours?|base|as\s+.*|.*pharma.*|dose.*)$")
# "Wool Fat_(S)": a legacy name's "(S)" is the substance itself, as a raw material
RAW_MATERIAL_RE = re.compile(r"\(\s*s\s*\)")
# "Gppe Crm_Aveeno", "Gppe Ins_Lantus 100u/ml": a legacy name of the generic equivalent of a brand (today's
# "Generic Aveeno cream"): the kind of product before the underscore, the brand and its details after it;
# the kind "Ins" is an insulin, given by injection
GPPE_RE = re.compile(r"^\s*gppe\s+([^_]*?)\s*_\s*(.+)$")
# "Beeswax_Wte (S)", "Paraf_Soft Wte (S)": the grade of a raw material, written after the underscore, is part of
# the substance's name (white beeswax, white soft paraffin), never a word left unread
RAW_GRADES = ("white", "yellow", "soft", "hard", "hydrous")
PER_DOSE = {"d", "dose", "doses"}
# "Herzuma_I/V Inf 150mg Vl (Dry)": a legacy name's "(Dry)" is a powder to be made up (the presentation
# "powder" of "powder for solution for infusion"); only in brackets, never the "dry" of "dry powder inhaler"
DRY = "dry"
DRY_PRESENTATION = "powder"
SEPARATORS = {"&", "+", "and", "with", "/"}
# "Lemsip Max Cold & Flu": in a current name starting with a brand, an ampersand or "and" joins the words of the
# brand's product name unless a substance (a name the knowledge holds, or words with a strength of their own)
# follows it; elsewhere it joins substances ("Menthol and Eucalyptus", "Hydrocort & Neomycin_Crm 1%/0.5%"); an
# older name's tail never splits on it
JOINING = {"&", "and"}
# "Lemsip Cough Max for Chesty Cough": "for" between words of a product's name tells no products apart; before a
# form it does ("tablets for oral suspension" are not the tablets)
LINKING = "for"
# "7-day patch", "72-hour patch": how long a patch is worn, kept as one word ("day7wear")
WEAR_RE = re.compile(r"(?<![\d.])(\d+)\s*-\s*(day|hour|week)s?\b")
# "5, 10, 20 micrograms/hour": the unit written once belongs to every number of the list
BARE_LIST_RE = re.compile(
    rf"(?<![\d.,/])((?:(?:{NUMBER})\s*,\s+)+)({NUMBER})\s*({UNIT_RE}(?:\s*/\s*(?:{NUMBER})?\s*{UNIT_RE})?)"
)
GLUED_RE = re.compile(r"([a-z])(\d+(?:\.\d+)?(?:mg|mcg|ml|g|microgram|%|units?|u)(?![a-z]))")
# "Oint0.1", "Supp340", "Dps.3": a known abbreviation written against the number after it
GLUED_WORD_RE = re.compile(r"(?<![a-z])([a-z]{2,})(?=\.?\d)")
# "BP 1980", "BPC 1973": the pharmacopoeia edition a product follows; "120D": the doses in a pack
EDITION_RE = re.compile(r"\b(bpc?)\s*(?:19|20)\d\d\b")
DOSE_COUNT_RE = re.compile(r"(?<![\d.,/])\d{2,4}\s*d(?:oses)?\b(?!\s*/)")
# "OromucSoln", "mlUdP/F": a known abbreviation starting with a capital written against the word before it
# "SalicAcid", "I/VInf", "0.1%Oint": a capitalised word run against the word or number before it
CAMEL_RE = re.compile(r"(?:(?<=[a-z%])|(?<=[A-Z])(?=[A-Z][a-z]{2}))(?=([A-Z][a-z]*(?:/[A-Z](?![a-z]))?))")
ROUTE_FORMS = (
    "eye",
    "ear",
    "nasal",
    "nose",
    "cutaneous",
    "vaginal",
    "rectal",
    "enema",
    "inhal",
    "nebuliser",
    "scalp",
    "injection",
)
PLAIN_ORAL = {"oral solution", "oral suspension", "oral powder", "oral drops", "oral liquid", "oral mixture"}
PARENTERAL = "injection"
DROPS = {"eye drops", "ear drops", "nasal drops"}
INJECTION_CONTAINERS = {"cartridges", "pre-filled syringes", "pre-filled disposable devices"}
SINGLE_DOSE_CONTAINERS = {*INJECTION_CONTAINERS, "ampoules", "unit dose", "vials", "pre-filled oral syringes"}
# a form written without its route that a sugar-free flag shows to be taken by mouth
SUGAR_FREE_ORAL = {"gel": "oral gel", "cutaneous spray": "oral spray"}


@dataclass(frozen=True)
class DrugKey:
    """The components of one medicine name; ``canonical`` is a stable text of all of them.

    ``paired`` gives each substance of a combination its strength, by position, when the name states one
    strength per substance in a known order (``A 10mg / B 40mg``); it is empty when they cannot be paired.
    ``options`` lists each strength of a row naming several (``5mg, 10mg``); a combination's strengths in
    one option are joined by ``+`` (``12.5mg+50mg``)."""

    name: str
    substances: tuple[str, ...]
    salts: tuple[tuple[str, str], ...]
    strengths: tuple[str, ...]
    strength_alts: tuple[str, ...]
    ratio: str
    form: str
    container: str
    release: str
    flags: tuple[str, ...]
    brand: str
    packs: tuple[str, ...]
    residual: tuple[str, ...]
    options: tuple[str, ...]
    notes: tuple[str, ...]
    canonical: str
    frequency: str = ""
    paired: tuple[tuple[str, str], ...] = ()
    unitless: bool = False
    # salts the name does not state, taken from the national list's chemical substance (resolve.listed_salts)
    listed: tuple[tuple[str, str], ...] = ()
    # the release as a brand writes it after its name ("XL", "SR", "LA", "Retard"): two of them are two products
    release_words: tuple[str, ...] = ()
    # "infusion" or "injection", when the name says one of them (both read as the form "injection")
    parenteral_word: str = ""
    # the release is not the name's but the national list's, from its generic equivalent (resolve.generic_release)
    release_listed: bool = False

    @property
    def substance_set(self) -> frozenset[str]:
        return frozenset(self.substances)

    @property
    def is_combination(self) -> bool:
        return len(set(self.substances)) > 1

    def with_option(self, option: str) -> DrugKey:
        """This name with only one of the strengths it lists (an entry of ``options``)."""
        strengths = tuple(option.split("+"))
        same_count = self.paired and len(strengths) == len(self.paired)
        paired = tuple(zip(self.substances, strengths, strict=False)) if same_count else ()
        return dataclasses.replace(self, strengths=strengths, options=(), paired=paired)


def _unglue(text: str, knowledge: Knowledge) -> str:
    """Put a space where a known abbreviation is written against a number or a capitalised abbreviation, and
    where a name shortened to fit 40 characters runs known words together (``SalicAcid``, ``CoalTarSoln``,
    ``NystatinChlorhexHCl``): before a capitalised word that is an abbreviation, a salt (or its start, four
    letters at least: ``Pen`` is no ``pentahydrate``), or a word of a substance's name. Brands written that
    way (``NovoRapid``, ``ReQuip``) stay whole: their second word is none of these."""
    words = knowledge.cache.get("glue_words")
    if words is None:
        words = knowledge.cache["glue_words"] = frozenset(k for k in knowledge.abbreviations if " " not in k)
    camel = knowledge.cache.get("camel_words")
    if camel is None:
        # words of substance names the knowledge writes out; not brands' ("Seven Seas" would split NovoSeven)
        names = {*knowledge.synonyms.values(), *(s for pair in knowledge.lasa_pairs for s in pair)}
        names |= {s for parts in knowledge.co_names.values() for s in parts}
        named = {w for name in names for w in name.split() if len(w) >= 3 and w.isalpha()}
        camel = knowledge.cache["camel_words"] = words | named | {"acid"}
    text = CAMEL_RE.sub(
        lambda m: " " if (w := m.group(1).lower()) in camel or (len(w) >= 4 and salt_word(w, knowledge)) else "",
        text,
    )
    # only with the national list's words: without them a brand written with a capital inside cannot be told
    # from words run together
    if len(text) >= SQUEEZED and "_" in text and knowledge.whole_words:
        text = SQUEEZED_RE.sub(lambda m: _squeezed_apart(m.group(0), knowledge), text)
    text = text.lower()
    return GLUED_WORD_RE.sub(lambda m: f"{m.group(1)} " if m.group(1) in words else m.group(1), text)


# Legacy names were cut to 40 characters; a long one had its spaces squeezed out first ("ChestyCough&ColdPdrSach")
SQUEEZED = 40
SQUEEZED_RE = re.compile(r"[A-Za-z]*[a-z][A-Z][A-Za-z]*")


def _squeezed_apart(word: str, knowledge: Knowledge) -> str:
    """``ChestyCough`` in a name squeezed to 40 characters is ``Chesty Cough``; a word some brand is written with,
    or the national list writes with a capital inside (``KwikPen``, ``NicAssist``, ``NovoRapid``), and a known
    abbreviation (``PfP``) stay whole."""
    kept = knowledge.cache.get("brand words")
    if kept is None:
        kept = frozenset(w for brand in knowledge.brands for w in brand.split()) | knowledge.whole_words
        knowledge.cache["brand words"] = kept
    whole = word.lower()
    return word if whole in kept or whole in knowledge.abbreviations else re.sub(r"(?<=[a-z])(?=[A-Z])", " ", word)


# "Humalog Mix 50": a premixed insulin's share of the short-acting one, written against "Mix" in today's names
# ("Humalog Mix50"); never the form "mixture" (a bare number of two digits, no unit)
PREMIX_RE = re.compile(r"\b(mix)\s+(\d{2})(?![\d.,/%a-z])")


# "Dilzem-XL", "Palladone-SR": a brand and the word after it joined by a hyphen
HYPHENED_RE = re.compile(r"(?<![a-z0-9-])([a-z][a-z]+)-([a-z0-9][a-z0-9]*)(?![a-z0-9-])")


def _hyphened_brand(found: re.Match[str], knowledge: Knowledge) -> str:
    """``dilzem-xl`` is the brand ``dilzem xl`` (or ``dilzem`` and its ``xl``) when it is no brand written with
    the hyphen; any other hyphened word stays as written."""
    whole, first = found.group(0), found.group(1)
    if whole in knowledge.brands or not (first in knowledge.brands or whole.replace("-", " ") in knowledge.brands):
        return whole
    return whole.replace("-", " ")


def _clean_text(name: str, knowledge: Knowledge) -> tuple[str, list[str], list[str]]:
    """Lower-case text with parentheses removed; returns (text, brands found, parenthesised texts)."""
    text = unicodedata.normalize("NFKC", str(name)).replace("µ", "u").replace("μ", "u")
    # each pattern below is tried only where the text holds what it needs (a bracket, a hyphen, "bp", ...): the
    # same text, at a fraction of the cost (most names hold none of them)
    marked = "®" in text or "™" in text
    brands = [b.strip().lower() for b, _ in BRAND_PAREN_RE.findall(text)] if marked else []
    if marked:  # "(Cardura® XL)": the brand is recorded; the words after it stay in brackets to be read as usual
        text = BRAND_PAREN_RE.sub(lambda m: f" ({m.group(2)}) " if m.group(2).strip() else " ", text)
    text = _unglue(re.sub(r"[®™©]", " ", text) if marked or "©" in text else text, knowledge)
    hyphen, paren = "-" in text, "(" in text
    if hyphen:
        text = HYPHENED_RE.sub(lambda m: _hyphened_brand(m, knowledge), text)
    if paren:
        text = RAW_MATERIAL_RE.sub(" raw material ", text)
    text = GLUED_RE.sub(r"\1 \2", text)
    text = DOSE_COUNT_RE.sub(" ", EDITION_RE.sub(r"\1", text) if "bp" in text else text)
    worn = [f"{m.group(2)}{m.group(1)}wear" for m in WEAR_RE.finditer(text)] if hyphen else []
    if worn:
        text = WEAR_RE.sub(" ", text)
    if "," in text:
        text = BARE_LIST_RE.sub(_unit_to_each, text)
    parens = (PAREN_RE.findall(text) if paren else []) + worn  # a wear time is read like a bracketed word
    if paren:
        text = PAREN_RE.sub(" ", text)
    if "gen" in text:
        text = re.sub(r"^\s*gen(?:eric)?\s+", "", text)
    if "gppe" in text:
        text = GPPE_RE.sub(_gppe, text)
    if "mix" in text:
        text = PREMIX_RE.sub(r"\1\2", text)
    return " ".join(_interferon(text).split() if "interf" in text else text.split()), brands, parens


INTERFERON_RE = re.compile(r"\b(peg)?interf(?:eron)?\s+(alfa|alpha|a|beta|b|gamma|g)(?![a-z0-9])")
INTERFERON_TYPES = {"a": "alfa", "alpha": "alfa", "b": "beta", "g": "gamma"}
SUBTYPE_RE = re.compile(r"(?<![a-z0-9./])([12])\s?([ab])(?![a-z0-9])")


def _interferon(text: str) -> str:
    """``Interf A_Inj 2b``, ``Peginterf A_Inj 2a``, ``Interf B 1a_Inj``: an interferon's type is written as a
    letter and its subtype apart, anywhere before the strength; today's name writes ``interferon alfa-2b``."""
    found = INTERFERON_RE.search(text)
    if not found:
        return text
    name = f"{found.group(1) or ''}interferon {INTERFERON_TYPES.get(found.group(2), found.group(2))}"
    rest = text[found.end() :]
    subtype = SUBTYPE_RE.search(rest)
    if subtype and not rest.startswith("-") and not re.search(r"\d", rest[: subtype.start()]):
        name += f"-{subtype.group(1)}{subtype.group(2)}"
        rest = rest[: subtype.start()] + rest[subtype.end() :]
    return text[: found.start()] + name + rest


def _gppe(found: re.Match[str]) -> str:
    """``gppe crm_aveeno`` -> ``aveeno crm``; the kind ``ins`` is an insulin, always an injection: ``gppe
    ins_hum mixt 20`` -> ``ins hum mixt 20 inj`` (a brand after it is read as usual: ``Ins Lantus``)."""
    kind, product = found.group(1), found.group(2)
    return f"ins {product} inj" if kind == "ins" else f"{product} {kind}"


def _unit_to_each(found: re.Match[str]) -> str:
    numbers = [n.strip() for n in found.group(1).split(",") if n.strip()] + [found.group(2)]
    return ", ".join(f"{n}{found.group(3)}" for n in numbers)


LISTING = {",", ";"}


def _paren_parts(
    parens: list[str], knowledge: Knowledge
) -> tuple[list[Quantity], list[str], list[str], list[tuple[Any, ...]]]:
    """Parenthesised text: alternative strengths, stated salts ('as besilate'), other words and lists of strengths;
    a bracket holding nothing but one strength (``(1g)``, ``(1mg D)``) comes first in the words as
    ``strength:<n>``, the index of that strength in the alternatives; one holding nothing but a list of strengths
    (``ReQuip_S/Pack (250mcg/500mcg/1mg) Tab``: the strengths of a starter pack) is a chain of its own, not the
    alternatives of one strength."""
    alts: list[Quantity] = []
    salts: list[str] = []
    words: list[str] = []
    chains: list[tuple[Any, ...]] = []
    for raw in parens:
        inner = " ".join(raw.split())
        ratio = one_in(inner.replace(" ", ""))
        if ratio is not None:
            alts.append(ratio)
            continue
        if inner.startswith("as "):
            salts.extend(w for w in inner[3:].split() if w in knowledge.salts)
            continue
        if IGNORED_PAREN_RE.match(inner):
            continue
        if inner == DRY:  # "Vl (Dry)": a powder to make up, today's "powder for solution for injection"
            words.append(f"containers:{DRY_PRESENTATION}")
            continue
        tokens = classify_phrases(expand_abbreviations(tokenise(inner), knowledge, []), knowledge)
        if len(tokens) == 1 and _strength_list(tokens[0]):
            chains.append(tokens[0].data)
            continue
        found = [quantity(*t.data[0][:4]) for t in tokens if t.kind == "chain" and t.data[0][1]]
        if len(found) == 1 and all(t.kind == "chain" or t.text in PER_DOSE for t in tokens):
            words.insert(0, f"strength:{len(alts)}")
        if found:
            alts.extend(found)
        else:
            # a comma between words in brackets only lists them ("(split virion, inactivated)"): no word itself
            kept = (t for t in tokens if not (t.kind == "sep" and t.text in LISTING))
            words.extend(t.text if t.kind == "word" else f"{t.kind}:{t.text}" for t in kept)
    return alts, salts, words, chains


def _strength_list(token: Token) -> bool:
    """Whether ``token`` is a list of two strengths or more with no volume (``250mcg/500mcg/1mg``, ``500mcg/1/2mg``),
    not one strength per volume (``5mg/5ml``)."""
    parts = token.data if token.kind == "chain" else ()
    units = [p[1] for p in parts]
    return len(parts) > 1 and bool(units[0] or units[-1]) and not VOLUMES.intersection(u for u in units if u)


def parse_name(name: str, knowledge: Knowledge | None = None) -> DrugKey:
    """Parse ``name`` into a ``DrugKey`` (cached; never raises on any text)."""
    knowledge = knowledge or load_knowledge()
    cache = knowledge.cache.setdefault("parse", {})
    key = cache.get(name)
    if key is None:
        key = _parse(str(name), knowledge)
        if len(cache) < 500_000:
            cache[name] = key
    return key


def _parse(name: str, knowledge: Knowledge) -> DrugKey:
    text, brands, parens = _clean_text(name, knowledge)
    notes: list[str] = []
    head, _, tail = text.partition("_")
    tokens = expand_abbreviations(tokenise(head), knowledge, notes)
    if tail:
        tokens += [Token("sep", "_"), *expand_abbreviations(tokenise(tail), knowledge, notes)]
    items = classify_phrases(tokens, knowledge)
    segments = _segments(items, knowledge, legacy=bool(tail))
    if tail:
        segments = _fold_vehicles(segments, knowledge, notes)
    alts, paren_salts, paren_words, paren_chains = _paren_parts(parens, knowledge)
    for word in [w for w in paren_words if w.startswith(("releases:", "frequencies:", "flags:", "containers:"))]:
        kind, text = word.split(":", 1)
        getattr(segments[-1] if segments else Segment(), kind).append(text)
        paren_words.remove(word)
    bracketed = [alts[int(w.split(":")[1])] for w in paren_words if w.startswith("strength:")]
    paren_words = [w.split(":")[-1] for w in paren_words if not w.startswith("strength:")]
    if paren_chains and segments and not any(s.chains for s in segments):
        segments[-1].chains.extend(paren_chains)  # "(250mcg/500mcg/1mg)": a pack's strengths, all of them
        notes.append("strengths read from brackets")
    elif bracketed and not any(s.chains for s in segments):
        # "Glycerol_Suppos Infant's (1g)": a strength written only in brackets is the strength
        alts.remove(bracketed[0])
        segments[-1].chains.append(((f"{bracketed[0].value}", bracketed[0].unit, None, None),))
        notes.append("strength read from brackets")
    key = _assemble(name, segments, knowledge, brands, alts, paren_salts, paren_words, notes)
    said = tuple(sorted({RELEASE_SUFFIXES[w] for w in re.findall(r"[a-z]+", text) if w in RELEASE_SUFFIXES}))
    if said and key.release:
        key = dataclasses.replace(key, release_words=said)
    routes = {w for t in tokens for w in t.text.split() if w in PARENTERAL_WORDS} if key.form == PARENTERAL else set()
    return dataclasses.replace(key, parenteral_word=routes.pop()) if len(routes) == 1 else key


# the words of an injection's name that say how it is given: an infusion and an injection of one substance may
# be two products (the national list holds ``... solution for infusion 50ml vials`` and ``... for injection``)
PARENTERAL_WORDS = frozenset({"infusion", "injection"})


# How brands write their modified-release versions after the name: Adizem-SR and Adizem-XL, Tildiem LA and Tildiem
# Retard are different products (twice and once daily); the generic "MR", "M/R", "modified-release" says none
RELEASE_SUFFIXES = {"sr": "SR", "xl": "XL", "la": "LA", "xr": "XR", "retard": "Retard", "ret": "Retard"}


def _segments(items: list[Token], knowledge: Knowledge, legacy: bool) -> list[Segment]:
    """Split classified tokens into one segment per substance (``A 10mg / B 5mg``)."""
    # "Easyhaler Beclometasone", "Minims_Sod Chlor": a name that starts with its device or container
    segments = [Segment(device_first=bool(items) and items[0].kind in ("forms", "containers"))]
    in_head = legacy
    for i, item in enumerate(items):
        current = segments[-1]
        if (
            item.text == VEHICLE_WORD
            and item.kind == "word"
            and current.chains
            and _active_follows(items, i, knowledge)
        ):
            segments.append(Segment())  # "Coal tar 2% in Betamethasone valerate 0.1% cream": two actives
            continue
        if item.kind == "sep" and item.text == "_":
            in_head = False
            current.closed = True
            continue
        if item.kind in ("sep", "slash", "word") and item.text in SEPARATORS:
            if item.text in JOINING and not legacy and _brand_words_go_on(current, items, i, knowledge):
                continue
            if (current.words or current.chains) and (in_head or not legacy):
                segments.append(Segment())
            current.slash_after_chain = item.text == "/" and bool(current.chains)
            continue
        if item.kind == "word" and item.text == LINKING and i + 1 < len(items) and items[i + 1].kind == "word":
            continue  # "Cough Max for Chesty Cough": older names leave it out
        segments[-1].add(item, knowledge, in_head=in_head)
    return _fold_wordless(segments)


def _brand_words_go_on(current: Segment, items: list[Token], at: int, knowledge: Knowledge) -> bool:
    """Whether the separator at ``at`` goes on with the words of a brand's product name (see ``JOINING``)."""
    return (
        bool(current.words)
        and brand_at_start(current.words, knowledge)[0] > 0
        and not _substance_follows(items, at, knowledge)
    )


def _substance_follows(items: list[Token], at: int, knowledge: Knowledge) -> bool:
    """Whether the words after the separator at ``at`` may name a substance: the first is the first word of a
    substance the knowledge names (``& Vitamin D``, ``and glucose``), they have a strength of their own
    (``& Zinc 10mg``), or there are none (``soln & dev``)."""
    words: list[str] = []
    for item in items[at + 1 :]:
        if item.kind == "word" and item.text not in SEPARATORS:
            words.append(item.text)
        elif item.kind == "chain":
            return True
        else:
            break
    return not words or words[0] in substance_first_words(knowledge)


def _active_follows(items: list[Token], at: int, knowledge: Knowledge) -> bool:
    """Whether the words after ``in`` name an active ingredient with its own strength, not a vehicle (a base
    such as ``white soft paraffin`` never states a strength of its own before its form)."""
    words: list[str] = []
    for item in items[at + 1 :]:
        if item.kind != "word":
            return bool(words) and item.kind == "chain" and " ".join(words) not in knowledge.vehicles
        words.append(item.text)
    return False


FOLDED = ("flags", "releases", "frequencies", "packs", "salts", "option_chains")


def _fold_wordless(segments: list[Segment]) -> list[Segment]:
    """Drop empty segments; a segment holding only a flag, release, frequency, pack or salt (``soln & dev``,
    ``tabs + MR``) qualifies the product named before it (or after it, when it comes first): nothing read
    from a name is lost."""
    kept: list[Segment] = []
    carried = Segment()
    for segment in segments:
        if segment.words or segment.chains or segment.forms or segment.containers or segment.residual:
            _fold(carried, segment)
            carried = Segment()
            kept.append(segment)
        else:
            _fold(segment, kept[-1] if kept else carried)
    if kept:
        _fold(carried, kept[0])
    return kept


def _fold(source: Segment, target: Segment) -> None:
    for kind in FOLDED:
        getattr(target, kind).extend(getattr(source, kind))


def _fold_vehicles(segments: list[Segment], knowledge: Knowledge, notes: list[str]) -> list[Segment]:
    """``Menthol 2%/Aq_Crm``: a legacy segment naming only a base (``vehicles``), with no strength or salt of its
    own, after a segment with a strength, is the vehicle of that segment (``Menthol 2% in Aqueous cream``), not a
    second substance; its words stay words of the name, its form the form of the product. The strengths may also
    all be written at the end, one for each substance before the base (``Hydrocort/Salic Acid/Aq_Crm 0.5%/0.25%``):
    the base still has none of its own."""
    out = segments[:1]
    for at, segment in enumerate(segments[1:], start=1):
        phrase = " ".join(segment.words)
        trailing = (
            at == len(segments) - 1
            and not any(s.chains for s in segments[:at])
            and sum(len(chain) for chain in segment.chains) == at
        )
        vehicle = (
            bool(phrase)
            and ((bool(out[-1].chains) and not segment.chains) or trailing)
            and not segment.salts
            and not segment.vehicle
            and any(same_words(phrase, v) for v in knowledge.vehicles)
        )
        if not vehicle:
            out.append(segment)
            continue
        before = out[-1]
        before.residual.extend([*segment.words, *segment.residual])
        for kind in ("chains", "forms", "containers", "releases", "frequencies", "flags", "packs"):
            getattr(before, kind).extend(getattr(segment, kind))
        notes.append(f"{phrase} read as the vehicle")
    return out


def _assemble(
    name: str,
    segments: list[Segment],
    knowledge: Knowledge,
    brands: list[str],
    alts: list[Quantity],
    paren_salts: list[str],
    paren_words: list[str],
    notes: list[str],
) -> DrugKey:
    """Combine segments into the ``DrugKey``."""
    forms = sorted({f for s in segments for f in s.forms})
    if PARENTERAL in forms:
        forms = [PARENTERAL]
    elif len(forms) > 1 and any(r in f for f in forms for r in ROUTE_FORMS):
        forms = [f for f in forms if f not in PLAIN_ORAL]
    forms = _modified_form(forms, segments, knowledge, notes, paren_words)
    forms = forms or _base_form(segments, knowledge, notes)
    resolved = resolve_substances(segments, knowledge, notes)
    paren_words = name_insulin(resolved, paren_words, knowledge, notes)
    premix = insulin_premix(resolved, knowledge, notes, generic=bool(GPPE_RE.match(name.lower())))
    _raw_grade(resolved, knowledge, notes, forms == ["raw material"])
    grades, paren_words = _substance_grades(resolved, paren_words, knowledge, notes)
    containers = sorted({c for s in segments for c in s.containers})
    # "100u/ml 3ml Cart": a cartridge, pen or syringe holds an injection even when the name says no form
    oral_per = PARENTERAL not in forms and (bool(forms) or not set(containers) & INJECTION_CONTAINERS)
    resolved.parenteral = not oral_per
    resolved.per_sachet = "sachets" in containers and "gel" in forms
    resolved.per_ml = bool(forms) and set(forms) <= DROPS
    resolved.single_doses = bool(set(containers) & SINGLE_DOSE_CONTAINERS)
    # per 5ml is a spoonful of a bottle, but the fill of an ampoule or unit dose ("500mg/5ml nebuliser liquid
    # ampoules" is not "100mg/ml ampoules" of another fill)
    oral_per = oral_per and not resolved.single_doses
    strengths, options, ratio = resolved.strength_texts(oral_per)
    ratio = ratio or premix
    salts = list(resolved.salts)
    if paren_salts and resolved.substances:
        salts.append((resolved.substances[0], " ".join(paren_salts)))
        notes.append(f"salt {' '.join(paren_salts)} stated in brackets")
    # a word of the substance's own name is no salt of it: "Magnesium glycerophos (magnesium 97.2mg)" states
    # the strength as magnesium, not a salt of magnesium glycerophosphate
    salts = [(substance, salt) for substance, salt in salts if not set(salt.split()) <= set(substance.split())]
    packs = resolved.pack_texts(oral_per)
    alt_texts = tuple(sorted({q.text(oral_per) for q in alts} - set(strengths)))
    releases = sorted({r for s in segments for r in s.releases})
    frequency = "+".join(sorted({f for s in segments for f in s.frequencies}))
    flags = tuple(sorted({*(f for s in segments for f in s.flags), *grades}))
    if sum(1 for s in segments if s.forms) > 1:  # "A 150mg capsule and B 2% cream": products packed together
        flags = tuple(sorted({*flags, COMBINATION_PACK}))
    brand = resolved.brand or (brands[0] if brands else "")
    form = "+".join(forms)
    words = _said_by_own_strength({*resolved.residual, *paren_words}, strengths, notes)
    residual = tuple(sorted(_said_by_form(words, form, notes)))
    if not form and any("insulin" in s.split() for s in resolved.substances):
        form = "injection"  # an insulin is only ever injected ("Ins Insuman Comb 50_100u/ml 5ml Vl")
        notes.append("an insulin read as an injection")
    if "sugar free" in flags and form in SUGAR_FREE_ORAL:
        form = SUGAR_FREE_ORAL[form]
        notes.append(f"{form} read from a sugar-free {forms[0]}")
    paired = _paired(resolved, strengths)
    canonical = _canonical(
        resolved.substances,
        dict(salts),
        strengths,
        bool(paired),
        (ratio, "+".join(releases), frequency, form, " ".join(packs), "+".join(containers), " ".join(flags)),
    )
    return DrugKey(
        name=name,
        substances=tuple(resolved.substances),
        salts=tuple(sorted(set(salts))),
        strengths=tuple(strengths),
        strength_alts=alt_texts,
        ratio=ratio,
        form=form,
        container="+".join(containers),
        release="+".join(releases),
        flags=flags,
        brand=brand,
        packs=tuple(packs),
        residual=residual,
        options=tuple(options),
        notes=tuple(dict.fromkeys(notes)),
        canonical=canonical,
        frequency=frequency,
        paired=paired,
        unitless=resolved.unitless,
    )


# "Top Oint", "Top Ophth Soln": topical, which a form put on the skin or the eye already says
TOPICAL_WORDS = frozenset({"top", "topical"})
TOPICAL_FORMS = frozenset(
    {
        "cream",
        "ointment",
        "gel",
        "lotion",
        "paste",
        "foam",
        "cutaneous spray",
        "shampoo",
        "scalp application",
        "cutaneous solution",
        "collodion",
        "liniment",
        "emollient",
        "dusting powder",
        "eye drops",
        "eye ointment",
        "eye gel",
        "ear drops",
        "nasal ointment",
    }
)


def _said_by_form(words: set[str], form: str, notes: list[str]) -> set[str]:
    """``Top`` before a form put on the skin or the eye (``Gregoderm_Top Oint``, ``Exocin_Top Ophth Soln``):
    topical, which the form already says. (A brand's own substance written after it, ``Paldesic paracetamol``,
    was read so too in a first version: it lost three held-out pairs of T4-legacy-brands, and is not.)"""
    said = {w for w in words if w in TOPICAL_WORDS} if form in TOPICAL_FORMS else set()
    for word in sorted(said):
        notes.append(f"{word} said again by the form")
    return words - said


def _said_by_own_strength(words: set[str], strengths: list[str], notes: list[str]) -> set[str]:
    """``Minodiab 5_Tab 5mg``, ``Serc-16_Tab 16mg``: a bare number in the name that is the number of the name's
    own (single) strength says the strength again, nothing more; the words less that number."""
    found = re.match(r"\d+(?:\.\d+)?", strengths[0]) if len(strengths) == 1 else None
    if not found or found.group(0) not in words:
        return words
    notes.append(f"{found.group(0)} in the name is its strength {strengths[0]}")
    return words - {found.group(0)}


def _base_form(segments: list[Segment], knowledge: Knowledge, notes: list[str]) -> list[str]:
    """A name with no form that says what it is made in, when that base is an ointment (``ointment_bases``):
    ``Hydrocortisone 2% in White soft paraffin`` is an ointment."""
    for segment in segments:
        words = f" {' '.join(segment.residual)} "
        for base in sorted(knowledge.ointment_bases):
            if f" in {base} " in words:
                notes.append(f"ointment implied by the base {base}")
                return ["ointment"]
    return []


def _raw_grade(resolved: Resolved, knowledge: Knowledge, notes: list[str], raw: bool) -> None:
    """``Paraf_Soft Wte (S)``: the grade words of a raw material join its one substance (``paraffin soft
    white``, known as ``white soft paraffin``); a grade stated on one side only still differs. In any other
    form (``Paraf_Soft Wte Spy 10%``) only when the two make a substance the knowledge names."""
    grades = [w for w in resolved.residual if w in RAW_GRADES]
    if not grades or len(resolved.substances) != 1 or resolved.salts:
        return
    phrase = " ".join([resolved.substances[0], *grades])
    if not raw and phrase not in knowledge.synonyms:
        return
    resolved.substances[0] = knowledge.synonyms.get(phrase, phrase)
    resolved.residual = [w for w in resolved.residual if w not in grades]
    notes.append(f"{' '.join(grades)} read as the grade of {resolved.substances[0]}")


def _substance_grades(
    resolved: Resolved, paren_words: list[str], knowledge: Knowledge, notes: list[str]
) -> tuple[list[str], list[str]]:
    """The grade of a substance (``grades``: heavy, light, dried, caustic), whether the name writes it after the
    substance (``Magnesium carbonate heavy 500mg capsules``, ``Ferr Sulf, Dried_Tab``) or with the form
    (``Mag Carb_Heavy Cap 500mg``), is read as a flag: the two names then agree, and a grade on one side only
    (``Magnesium carbonate 500mg capsules``, also a current product) leaves the pair in doubt instead of
    naming two substances. A grade word inside or before a name (``Light White ileostomy bag``, ``Dried
    yeast``) is left where it is. Returns the grades and the bracketed words without them."""
    grades = [w for w in [*resolved.residual, *paren_words] if w in knowledge.grades]
    for i, substance in enumerate(resolved.substances):
        words = substance.split()
        if len(words) > 1 and words[-1] in knowledge.grades:
            grades.append(words[-1])
            plain = " ".join(words[:-1])
            resolved.substances[i] = plain
            resolved.salts = [(plain if s == substance else s, salt) for s, salt in resolved.salts]
    if grades:
        resolved.residual = [w for w in resolved.residual if w not in knowledge.grades]
        paren_words = [w for w in paren_words if w not in knowledge.grades]
        notes.append(f"{' '.join(sorted(set(grades)))} read as the grade of the substance")
    return sorted(set(grades)), paren_words


def _modified_form(
    forms: list[str], segments: list[Segment], knowledge: Knowledge, notes: list[str], paren_words: list[str]
) -> list[str]:
    """A form's adjective written apart from it (``Aspirin Disper_Tab``, ``20mg dispersible gastro-resistant
    tablets``, ``Soln 5mg/2.5ml Rectal``, ``Econazole Nit_Crm 1% (Vag)``) joins it when the two make a known
    form phrase."""
    if len(forms) != 1:
        return forms
    last = forms[0].split()[-1]
    for word in paren_words:
        found = knowledge.forms.get(f"{word} {forms[0]}") or knowledge.forms.get(f"{word} {last}")
        if found:
            paren_words.remove(word)
            notes.append(f"{word} read with the form as {found}")
            return [found]
    for segment in segments:
        words = [*segment.residual, *segment.words[1:][-1:]]
        for word in words:
            found = knowledge.forms.get(f"{word} {forms[0]}") or knowledge.forms.get(f"{word} {last}")
            if not found:
                continue
            if word in segment.residual:
                segment.residual.remove(word)
            else:
                segment.words.pop()
            notes.append(f"{word} read with the form as {found}")
            return [found]
    return forms


def _paired(resolved: Resolved, strengths: list[str]) -> tuple[tuple[str, str], ...]:
    """Substance -> strength by position, for a combination stating one strength per substance in name order
    (a brand's substances come from a list whose order need not be the order of its strengths)."""
    substances = resolved.substances
    if len(set(substances)) < 2 or len(strengths) != len(substances) or not resolved.order_known:
        return ()
    return tuple(zip(substances, strengths, strict=False))


def _canonical(
    substances: list[str], stated: dict[str, str], strengths: list[str], paired: bool, rest: tuple[str, ...]
) -> str:
    """``a salt 10mg / b 5mg ratio release frequency form packs containers flags``."""
    named = [f"{s} {stated[s]}" if s in stated else s for s in substances]
    if paired:  # a combination reads "a 10mg / b 5mg"
        named, shown = [f"{n} {s}" for n, s in zip(named, strengths, strict=False)], ""
    elif len(named) > 1 and len(strengths) == len(named):  # strengths in the brand's order, not the list's
        shown = "/".join(strengths)
    else:
        shown = " ".join(strengths)
    return " ".join(part for part in (" / ".join(named), rest[0], shown, *rest[1:]) if part)


def normalise(name: str, knowledge: Knowledge | None = None) -> str:
    """The canonical text of ``name``; normalising a canonical text again gives the same text."""
    return parse_name(name, knowledge).canonical


def maker_first(
    key: DrugKey, knowledge: Knowledge, is_real: Callable[[str], bool], is_named: Callable[[str], bool] | None = None
) -> DrugKey:
    """``Sure-Amp_Sod Chlor Inj 0.9% 2ml Amp``, ``Minims_Sod Chlor 0.9% Ud``: an older name may put a maker or
    range before the underscore and the product after it. When what stands before the underscore is no known
    substance or brand and the name read the other way round (``Sod Chlor Inj 0.9% 2ml Amp Sure-Amp``) names only
    known substances, that reading is the one kept; the maker's words stay words of the name the other side must
    state too (today's ``Sodium chloride 0.9% inj 2ml Sure-Amp ampoules``). ``is_real`` says whether a substance
    is known (the knowledge and the national list, not the lists being matched); ``is_named`` (``is_real`` when not
    given) whether what stands before the underscore is a substance: stricter, a maker's name that only has some
    substance's letters in order (``Tesco``, ``testolactone``) is still a maker's."""
    head, _, tail = key.name.partition("_")
    if not tail or re.search(r"[\d/]", head) or key.brand or key.options or not key.substances:
        return key  # a maker or range is written in words only
    if any((is_named or is_real)(s) for s in key.substances):
        return key
    turned = parse_name(f"{tail} {head}", knowledge)
    if not turned.substances or turned.options or not all(is_real(s) for s in turned.substances):
        return key
    note = f"{head.strip()} read as the maker or range of {' + '.join(turned.substances)}"
    return dataclasses.replace(turned, name=key.name, notes=(*turned.notes, note))


SKIN_CHAPTER = "13"
BARE_ORAL = frozenset({"oral solution", "oral liquid"})
SAID_ORAL = re.compile(r"\b(?:oral|syr\w*|elixir|linct\w*)\b", re.IGNORECASE)


def on_the_skin(key: DrugKey, chapter: str) -> DrugKey:
    """A solution or liquid named without its route (``Pot Permanganate_Soln 0.1%``, ``Erythromycin 2% solution``,
    ``Cetrimide 15% / Chlorhexidine gluconate 1.5% liquid``) filed in BNF chapter 13, the skin, is a cutaneous
    solution, not the oral solution or liquid a bare ``solution`` or ``liquid`` is read as elsewhere; a name
    saying oral (or syrup, elixir, linctus) keeps its oral form."""
    if key.form not in BARE_ORAL or str(chapter).strip().zfill(2) != SKIN_CHAPTER or SAID_ORAL.search(key.name):
        return key
    note = f"{key.form.split()[-1]} read as a cutaneous solution (BNF chapter {SKIN_CHAPTER}, skin)"
    canonical = key.canonical.replace(key.form, "cutaneous solution")
    return dataclasses.replace(key, form="cutaneous solution", canonical=canonical, notes=(*key.notes, note))
