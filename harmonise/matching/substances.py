"""Substances of a parsed name: brands, co- names, synonyms and salts, and the strengths that go with them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from harmonise.matching.knowledge import CLASS_WORDS, Knowledge
from harmonise.matching.parts import Segment, chain_quantities
from harmonise.matching.strength import Quantity, per, quantity

LENGTH_UNITS = frozenset({"mm", "cm", "m"})

MAX_BRAND_WORDS = 3


@dataclass
class Resolved:
    """Substances (in name order), their stated salts, the brand, and the raw strength chains."""

    substances: list[str] = field(default_factory=list)
    salts: list[tuple[str, str]] = field(default_factory=list)
    brand: str = ""
    co_name: bool = False
    residual: list[str] = field(default_factory=list)
    chains: list[tuple[Any, ...]] = field(default_factory=list)
    option_chains: list[tuple[Any, ...]] = field(default_factory=list)
    packs: list[tuple[Any, ...]] = field(default_factory=list)
    parenteral: bool = False
    order_known: bool = True
    unitless: bool = False
    # a gel in sachets (``1mg/1g``): the strength is the content of one sachet, not a concentration
    per_sachet: bool = False
    # drops (eye, ear, nose) are always a concentration: a bare ``5mg`` is per ml
    per_ml: bool = False
    # held in single-dose containers (ampoules, unit doses, vials): a fill volume is one dose
    single_doses: bool = False
    # what ``quantities`` found, read once the fields above are all set (by the strengths, then the packs)
    found: tuple[list[Quantity], str] | None = field(default=None, repr=False, compare=False)

    def quantities(self) -> tuple[list[Quantity], str]:
        """All strengths in name order, and a unitless ratio (``30/70``) if the name has one."""
        if self.found is None:
            self.found = self._quantities()
        return self.found

    def _quantities(self) -> tuple[list[Quantity], str]:
        out: list[Quantity] = []
        ratio = ""
        for parts in self.chains:
            found, unitless = chain_quantities(parts, len(self.substances), self.co_name)
            out.extend(found)
            ratio = ratio or unitless
            bare = all(not p[1] and not p[3] for p in parts) and not self.co_name
            self.unitless = self.unitless or (bare and bool(found) and not found[0].per_unit)
        out = self._shared_volume(out)
        if len(set(self.substances)) == 1:  # "1/1000 1mg/ml": one strength written twice
            out = self._concentration_restated(self._percent_restated(list(dict.fromkeys(out))))
        volumes = {q.value for q in (quantity(*p[0][:4]) for p in self.packs) if q.unit == "ml"}
        if (
            (self.parenteral or self.single_doses)
            and len(out) == 1
            and len(volumes) == 1
            and out[0].per_unit == "ml"
            and out[0].per_value == 1.0
        ):
            # 25,000units/ml in a 0.2ml syringe is 5,000units/0.2ml: injections and other single doses (oral
            # solution in 2ml ampoules) are named by content per fill
            volume = volumes.pop()
            out = [Quantity(round(out[0].value * volume, 9), out[0].unit, volume, "ml")]
        return out, ratio

    def _percent_restated(self, out: list[Quantity]) -> list[Quantity]:
        """``0.05% 25mg/50ml``: a percentage and the content of a volume at that concentration are one strength
        written twice; the percentage stays, the volume is the fill (a pack)."""
        if len(out) != 2:
            return out
        percent = [q for q in out if q.unit == "%" and not q.per_unit]
        content = [q for q in out if q.unit == "mg" and q.per_unit == "ml" and q.per_value]
        if not (percent and content):
            return out
        p, c = percent[0], content[0]
        if abs(p.value * 10.0 - c.value / c.per_value) > 1e-9 * max(1.0, p.value * 10.0):
            return out
        fill = ((f"{c.per_value:g}", "ml", None, None),)
        if c.per_value != 1.0 and fill not in self.packs:
            self.packs.append(fill)
        return [p]

    @staticmethod
    def _concentration_restated(out: list[Quantity]) -> list[Quantity]:
        """``1/2000 150mcg/0.3ml``: a concentration per ml (here from a ratio) and the content of a fill at that
        concentration are one strength written twice; the content of the fill stays."""
        if len(out) != 2:
            return out
        per_ml = [q for q in out if q.per_unit == "ml" and q.per_value == 1.0]
        filled = [q for q in out if q.per_unit == "ml" and q.per_value and q.per_value != 1.0]
        if not (per_ml and filled) or per_ml[0].unit != filled[0].unit:
            return out
        c, f = per_ml[0], filled[0]
        if abs(c.value * f.per_value - f.value) > 1e-9 * max(1.0, f.value):
            return out
        return [f]

    def _shared_volume(self, out: list[Quantity]) -> list[Quantity]:
        """``A 40mg / B 10mg/1ml``: a volume written once, after the last substance's strength, belongs to
        every strength; a sachet's ``1mg/1g`` is its content; a drop's bare ``5mg`` is per ml."""
        last = out[-1] if out else None
        if (
            last
            and len(out) == len(self.substances) > 1
            and last.per_unit == "ml"
            and not any(q.per_unit for q in out[:-1])
        ):
            out = [per(q, Quantity(last.per_value, last.per_unit)) for q in out[:-1]] + [last]
        if self.per_sachet:  # 1mg/1g, 500mcg/0.5g: the content of one sachet and the sachet's fill
            out = [Quantity(q.value, q.unit) if q.unit == q.per_unit == "mg" else q for q in out]
            out = out[:1] if len(out) == 2 and len(self.substances) == 1 and out[1].unit == "mg" else out
        if self.per_ml:
            out = [per(q, Quantity(1.0, "ml")) if q.unit == "mg" and not q.per_unit else q for q in out]
        return out

    def strength_texts(self, oral_per_volume: bool) -> tuple[list[str], list[str], str]:
        """(strength texts, options when the row lists several strengths, ratio).

        Each option is one listed strength; a combination's strengths in one option are joined by ``+``."""
        found, ratio = self.quantities()
        if not self.option_chains:
            return [q.text(oral_per_volume) for q in found], [], ratio
        count = len(self.substances) if len(set(self.substances)) > 1 else 1
        groups = [found] + [chain_quantities(parts, count, self.co_name)[0] for parts in self.option_chains]
        groups = share_denominator(groups)
        if all(q.unit in LENGTH_UNITS and not q.per_unit for group in groups for q in group):
            # ``51mm base, 29mm opening``: the sizes of one appliance, not alternative strengths; all must match
            return [q.text(oral_per_volume) for group in groups for q in group], [], ratio
        options = ["+".join(q.text(oral_per_volume) for q in group) for group in groups if group]
        return [q.text(oral_per_volume) for q in groups[0]], options, ratio

    def pack_texts(self, oral_per_volume: bool) -> list[str]:
        """Pack quantities (``5ml`` ampoules, ``7g`` sachets), leaving out a volume the strength is per."""
        found, _ = self.quantities()
        per_volumes = {q.per_value for q in found if q.per_unit == "ml"}
        out = []
        for parts in self.packs:
            q = quantity(*parts[0][:4])
            if not (q.unit == "ml" and q.value in per_volumes):
                out.append(q.text(oral_per_volume))
        return sorted(set(out))


def share_denominator(groups: list[list[Quantity]]) -> list[list[Quantity]]:
    """``2mg, 4mg, 8mg/24 hours``: a denominator written on the last listed strength only belongs to all."""
    last = groups[-1]
    if (
        len(last) != 1
        or not last[0].per_unit
        or any(q.per_unit or q.unit != last[0].unit for group in groups[:-1] for q in group)
    ):
        return groups
    return [[per(q, Quantity(last[0].per_value, last[0].per_unit)) for q in group] for group in groups[:-1]] + [last]


def _synonym(phrase: str, knowledge: Knowledge) -> str:
    if phrase in knowledge.synonyms:
        return knowledge.synonyms[phrase]
    return " ".join(knowledge.synonyms.get(w, w) for w in phrase.split())


def _split_salt(substance: str, knowledge: Knowledge) -> tuple[str, str]:
    """``diclofenac sodium`` -> (``diclofenac``, ``sodium``) when the trailing words are salts."""
    words = substance.split()
    cut = len(words)
    while cut > 1 and words[cut - 1] in knowledge.salts:
        cut -= 1
    return " ".join(words[:cut]), " ".join(words[cut:])


def _expand(phrase: str, knowledge: Knowledge, out: Resolved, salts: list[str], notes: list[str] | None = None) -> None:
    """Add the substance(s) named by ``phrase`` (a co- name expands to its components)."""
    phrase = _synonym(phrase, knowledge)
    phrase = knowledge.salts_alone.get(phrase, phrase)  # "Hydrocort/Sulf_Crm": no sulfate of nothing, sulfur
    reordered = knowledge.reordered(phrase)  # "Sulfadiazine silver": silver sulfadiazine
    if reordered:
        if notes is not None:
            notes.append(f"{phrase} read as {reordered} (its words in another order)")
        phrase = reordered
    if phrase in knowledge.co_names:
        out.co_name = True
        for part in knowledge.co_names[phrase]:
            _expand(part, knowledge, out, [])
        return
    substance, salt = _split_salt(phrase, knowledge)
    out.substances.append(substance)
    stated = " ".join([salt, *salts]).strip()
    if stated:
        out.salts.append((substance, stated))


def _brand(words: list[str], knowledge: Knowledge) -> tuple[int, tuple[str, ...]]:
    size, generics, _ = brand_at_start(words, knowledge)
    return size, generics


def brand_at_start(words: list[str], knowledge: Knowledge) -> tuple[int, tuple[str, ...], str]:
    """The brand the words start with: (how many words, its generics, the brand as the knowledge spells it). A
    brand is also read written apart (``Intron A`` for ``IntronA``, ``Vioxx Acute`` for ``VioxxAcute``, and
    ``Nystaform HC ointment``, as the national list names the presentations of its product ``Nystaform-HC``)."""
    for size in range(min(MAX_BRAND_WORDS, len(words)), 0, -1):
        for spelled in dict.fromkeys((" ".join(words[:size]), "".join(words[:size]), "-".join(words[:size]))):
            generics = knowledge.brands.get(spelled)
            if generics:
                return size, generics, spelled
    spelled = _hyphened_brand_cut_short(words[0], knowledge) if words else ""
    return (1, knowledge.brands[spelled], spelled) if spelled else (0, (), "")


def _hyphened_brand_cut_short(word: str, knowledge: Knowledge) -> str:
    """``Vioform-Hydrocort``: a brand of two parts joined by a hyphen whose last part an older name cuts short (four
    letters at least), when exactly one brand has that first part and a last part beginning so (``Vioform-
    Hydrocortisone``); '' otherwise. A number or a letter or two after the hyphen (``Eurax-H``) is no cut."""
    head, hyphen, tail = word.rpartition("-")
    if not hyphen or not head or len(tail) < 4 or not tail.isalpha():
        return ""
    found = knowledge.cache.get(("brand cut short", word))
    if found is None:
        index = knowledge.cache.get("hyphened brands")
        if index is None:
            index = {}
            for brand in knowledge.brands:
                first, joined, last = brand.rpartition("-")
                if joined and first and " " not in brand:
                    index.setdefault(first, []).append(last)
            knowledge.cache["hyphened brands"] = index
        fits = [last for last in index.get(head, ()) if last.startswith(tail) and last != tail]
        found = knowledge.cache[("brand cut short", word)] = f"{head}-{fits[0]}" if len(fits) == 1 else ""
    return found


def _class_before_brand(words: list[str], knowledge: Knowledge) -> list[str]:
    """``Ins Tresiba`` (insulin Tresiba): the first word of a brand's generic written before the brand names the
    brand, not another substance; it is left out so the brand is read, the same brand as a name without that
    word (the national list also files some products as ``Insulin Tresiba``)."""
    if len(words) < 2:
        return words
    size, generics = _brand(words[1:], knowledge)
    if size and all(g.split()[0] == words[0] for g in generics):
        return words[1:]
    return words


def resolve_substances(segments: list[Segment], knowledge: Knowledge, notes: list[str]) -> Resolved:
    """Turn segments into substances, salts, brand and strength chains."""
    out = Resolved()
    for segment in segments:
        out.chains.extend(segment.chains)
        out.option_chains.extend(segment.option_chains)
        out.packs.extend(segment.packs)
        out.residual.extend(segment.residual)
        if not segment.words:
            continue
        words = _class_before_brand(segment.words, knowledge)
        size, generics, spelled = brand_at_start(words, knowledge)
        if size == len(words) and segment.closed and segment.residual:
            # "Clarityn_Allergy Tab": the brand goes on after the underscore ("Clarityn Allergy")
            longer = brand_at_start([*words, *segment.residual[:MAX_BRAND_WORDS]], knowledge)
            if longer[0] > size:
                taken = segment.residual[: longer[0] - size]
                for word in taken:
                    out.residual.remove(word)
                words = [*words, *taken]
                size, generics, spelled = longer
        if size:
            written = words[:size]
            if spelled not in (" ".join(written), "".join(written), "-".join(written)):
                notes.append(f"{' '.join(written)} read as the brand {spelled}, cut short")
            # "Ins Humulin I": the brand as today's names write it ("Humulin I"), not with the class word the
            # national list files the product under ("Insulin Humulin I (Isophane)")
            first, _, rest = spelled.partition(" ")
            unclassed = first in CLASS_WORDS and knowledge.brands.get(rest) == generics
            out.brand = rest if unclassed else spelled
            notes.append(f"brand {out.brand} read as {' + '.join(generics)}")
            before = len(out.substances)
            for generic in generics:
                _expand(generic, knowledge, out, segment.salts)
            # a brand's strengths are written in its own order, not in the order of its substance list
            out.order_known = out.order_known and len(out.substances) - before <= 1
            out.residual.extend(words[size:])
        else:
            _expand(" ".join(segment.words), knowledge, out, segment.salts, notes)
    _trailing_brand(out, knowledge)
    _drop_excipients(out, knowledge, notes)
    return out


def name_insulin(out: Resolved, apart: list[str], knowledge: Knowledge, notes: list[str]) -> list[str]:
    """``Ins Isop_Inj (Pore)`` is ``Insulin isophane porcine``: an insulin is named by a set of words, its kind
    and species, in any order and maybe shortened (``insulin_words``); a species written apart belongs to it, and
    how a human insulin was made (``insulin_origins``) no longer tells products apart. ``apart`` are the words
    written in brackets; returns those not read into the insulin."""
    insulins = [i for i, s in enumerate(out.substances) if s.split()[0] == "insulin"]
    if len(insulins) != 1:
        return apart
    at = insulins[0]
    words = [knowledge.insulin_words.get(w, w) for w in out.substances[at].split()[1:]]
    left: list[str] = []
    for word in [*out.residual, *apart]:
        read = knowledge.insulin_words.get(word, word)
        if read in knowledge.insulin_species:
            words.append(read)
            notes.append(f"{word} read as the insulin's species {read}")
        elif word in knowledge.insulin_origins:
            notes.append(f"{word} (how a human insulin was made) left out")
        else:
            left.append(word)
            continue
        if word in out.residual:
            out.residual.remove(word)
    named = " ".join(["insulin", *sorted(dict.fromkeys(words))])
    if named != out.substances[at]:
        out.salts = [(named if s == out.substances[at] else s, salt) for s, salt in out.salts]
        out.substances[at] = named
    return [w for w in apart if w in left]


PREMIX_SHARE_RE = re.compile(r"^([a-z]+?)(\d{2})$")  # "mix25": a premix word and the share, written together


def insulin_premix(out: Resolved, knowledge: Knowledge, notes: list[str], generic: bool = False) -> str:
    """``Humalog Mix25``, ``Gppe Ins_Hum Mixt 20``: a premixed insulin named by the share of its short-acting part
    after a premix word (``insulin_premixes``) is today's biphasic insulin with the ratio ``25/75``; returns that
    ratio ('' when the name is no such insulin). A brand named by a premix word (``Human Mixtard 20``) is read so
    only in the name of its ``generic`` equivalent: the list still names the brand's products by the brand. Only
    an insulin named by its kind and species, or a known insulin (an analogue, a brand read as one) is read so: a
    word nobody knows (``Insuman Comb``) may be a product line, and stays in the name. A human or animal insulin's
    long-acting part is isophane. A brand's premix word and share stay words of its name too (``Humalog Mix25``
    against ``Insulin lispro biphasic 25/75``: without the national list, two names it fits equally well)."""
    premixes = knowledge.insulin_premixes | (knowledge.insulin_premix_brands if generic else frozenset())
    insulins = [i for i, s in enumerate(out.substances) if s.split()[0] == "insulin"]
    if len(insulins) != 1:
        return ""
    at = insulins[0]
    words = out.substances[at].split()[1:]
    said = [w for w in words if w in premixes]
    shares = [w for w in out.residual if w.isdigit() and len(w) == 2]
    glued = [w for w in out.residual if (m := PREMIX_SHARE_RE.match(w)) and m.group(1) in premixes]
    if glued and not said and not shares and len(glued) == 1:
        written, share = glued[0], glued[0][-2:]
    elif said and len(shares) == 1 and not glued:
        written, share = shares[0], shares[0]
    else:
        return ""
    rest = [w for w in words if w not in premixes]
    kinds = set(knowledge.insulin_words.values()) | knowledge.insulin_species
    plain = set(rest) <= kinds  # named by its kind and species only: a human or animal insulin
    if not (plain or " ".join(["insulin", *rest]) in knowledge.substance_names()) or not 0 < int(share) < 100:
        return ""
    named = " ".join(["insulin", *sorted({*rest, "biphasic", *(["isophane"] if plain else [])})])
    out.salts = [(named if s == out.substances[at] else s, salt) for s, salt in out.salts]
    out.substances[at] = named
    if not out.brand:  # a brand's line word stays a word of its name: it tells the brand's product from the generic
        out.residual.remove(written)
    ratio = f"{int(share)}/{100 - int(share)}"
    notes.append(f"{' '.join(said) or written[:-2]} {share} read as {named} {ratio}")
    return ratio


def _drop_excipients(out: Resolved, knowledge: Knowledge, notes: list[str]) -> None:
    """``Colestyramine/Aspartame``: a sweetener named with the active substance is not a substance."""
    kept = [s for s in out.substances if s not in knowledge.excipients]
    if kept and len(kept) < len(out.substances):
        notes.append(f"excipient {' '.join(s for s in out.substances if s not in kept)} left out")
        out.substances = kept
        out.salts = [(s, salt) for s, salt in out.salts if s in kept]


def _trailing_brand(out: Resolved, knowledge: Knowledge) -> None:
    """A brand written after the generic (``Ezetimibe 10mg tablets Ezetrol``) is recorded, not residual."""
    for word in list(out.residual):
        generics = knowledge.brands.get(word)
        if generics and set(generics) <= set(out.substances):
            out.brand = out.brand or word
            out.residual.remove(word)
