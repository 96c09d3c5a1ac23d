"""The steps of parsing a medicine name: tokens, abbreviation expansion, phrase classes, segments.

A name is read left to right: numbers with units become quantities, ``/``-joined quantities become one
strength chain (``250mg/5ml``, ``10/5mg``), knowledge phrases become forms, containers, release types and
flags, and the remaining words become substance words (before the strength) or residual words (after it).
A ``/``, ``&``, ``+`` or ``and`` between substances starts a new segment: one segment per substance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from harmonise.matching.knowledge import Knowledge
from harmonise.matching.strength import (
    NUMBER,
    PER_WORDS,
    UNIT_RE,
    Quantity,
    is_per_denominator,
    per,
    quantity,
    to_number,
)

# "1/1000" written without units is a ratio strength (1 in 1000, as for adrenaline), never a combination
ONE_IN_MIN = 1000.0
# "Heparin Sod_Inj 5000/ml", "Nystatin_Oral Susp 100,000/ml": a bare number of a thousand or more written per volume
# is a count of units (no substance comes at a gram or more per ml written without its unit); a smaller one may be
# milligrams or units and keeps the volume's unit, which no strength agrees with
COUNT_MIN = 1000.0
VOLUME_UNITS = frozenset({"ml", "l", "litre", "litres"})

TOKEN_RE = re.compile(
    rf"(?P<num>{NUMBER})(?:\s*(?P<unit>{UNIT_RE}))?(?:\s*-\s*(?P<num2>{NUMBER})\s*(?P<unit2>{UNIT_RE})?)?"
    r"|(?P<slash>/)|(?P<word>[a-z][a-z0-9]*(?:['\-.][a-z0-9]+)*)|(?P<sep>[&+,;_])"
)
COMBINATION_PACK = "combination pack"
VEHICLE_WORD = "in"
VOLUMES = {"ml", "l", "mls", "litre", "litres"}
CLASSES = ("forms", "containers", "releases", "frequencies", "flags")
MAX_PHRASE = 8


@dataclass(frozen=True)
class Token:
    """One piece of a name: ``qty`` (data = number/unit parts), ``chain``, ``slash``, ``word``, ``sep``, or a
    knowledge class (``forms``, ``containers``, ``releases``, ``frequencies``, ``flags``; text = canonical name)."""

    kind: str
    text: str
    data: Any = None


def tokenise(text: str) -> list[Token]:
    """Split lower-case text into quantity, slash, word and separator tokens (other characters are dropped)."""
    tokens: list[Token] = []
    for found in TOKEN_RE.finditer(text):
        kind = found.lastgroup if found.group("num") is None else "qty"
        if kind == "qty":
            unit, unit2 = found.group("unit"), found.group("unit2")
            # ``15-33mm`` is a range of millimetres: the unit written once after the range belongs to both ends
            parts = (found.group("num"), unit or unit2, found.group("num2"), unit2)
            tokens.append(Token("qty", found.group(0), parts))
        elif kind is not None:
            tokens.append(Token(kind, found.group(0)))
    return tokens


def _phrase_tables(knowledge: Knowledge) -> dict[str, Any]:
    tables = knowledge.cache.get("phrases")
    if tables is None:
        abbreviations = {tuple(t.text for t in tokenise(k)): tokenise(v) for k, v in knowledge.abbreviations.items()}
        classes: dict[tuple[str, ...], tuple[str, str]] = {}
        for cls in reversed(CLASSES):  # forms win over containers for the same phrase
            for phrase, canonical in getattr(knowledge, cls).items():
                classes[tuple(t.text for t in tokenise(phrase))] = (cls, canonical)
        single = {phrase[0] for phrase in classes if len(phrase) == 1}
        for name in knowledge.synonyms:  # "liquid paraffin", "castor oil": a substance, not a form
            words = tuple(t.text for t in tokenise(name))
            if len(words) > 1 and single & set(words) and words not in classes:
                classes[words] = ("substance", name)
        tables = {"abbreviations": abbreviations, "classes": classes}
        for name in ("abbreviations", "classes"):  # longest phrase per first word: most words start none
            longest: dict[str, int] = {}
            for phrase in tables[name]:
                longest[phrase[0]] = max(longest.get(phrase[0], 0), len(phrase))
            tables[f"{name}_first"] = longest
        knowledge.cache["phrases"] = tables
    return tables


def _longest(
    tokens: list[Token], start: int, table: dict[tuple[str, ...], Any], first: dict[str, int]
) -> tuple[int, Any]:
    """Length and value of the longest phrase in ``table`` starting at ``start`` (0 when none)."""
    longest = first.get(tokens[start].text, 0)
    for size in range(min(longest, MAX_PHRASE, len(tokens) - start), 0, -1):
        window = tokens[start : start + size]
        if any(t.kind not in ("word", "slash") for t in window):
            continue
        value = table.get(tuple(t.text for t in window))
        if value is not None:
            return size, value
    return 0, None


def expand_abbreviations(tokens: list[Token], knowledge: Knowledge, notes: list[str]) -> list[Token]:
    """Replace abbreviations (``tab``, ``m/r``, ``pf dispos dev``) by what they stand for."""
    tables = _phrase_tables(knowledge)
    table, first = tables["abbreviations"], tables["abbreviations_first"]
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        size, value = _longest(tokens, i, table, first)
        if size and _per_unit(tokens, i):
            size = 0  # "20mg/Applic": what a strength is per, read by the strength ("applic" elsewhere: applicators)
        if size:
            written = " ".join(t.text for t in tokens[i : i + size]).replace(" / ", "/")
            replacement = " ".join(t.text for t in value)
            if written != replacement:
                notes.append(f"{written} read as {replacement}")
            out.extend(value)
            i += size
        else:
            out.append(tokens[i])
            i += 1
    return out


def _per_unit(tokens: list[Token], at: int) -> bool:
    """Whether the word at ``at`` is what the strength before it is per (``20mg/Applic``, ``10mg/dose``)."""
    return at >= 2 and tokens[at - 1].kind == "slash" and tokens[at - 2].kind == "qty" and tokens[at].text in PER_WORDS


def _chain(tokens: list[Token], start: int) -> tuple[int, Token]:
    """Group ``qty (/ qty | / per-word)*`` starting at ``start`` into one chain token."""
    parts: list[Any] = [tokens[start].data]
    i = start + 1
    while i + 1 < len(tokens) and tokens[i].kind == "slash":
        nxt = tokens[i + 1]
        if nxt.kind == "qty":
            parts.append(nxt.data)
        elif nxt.kind == "word" and nxt.text in PER_WORDS:
            parts.append(("1", nxt.text, None, None, "per"))
        else:
            break
        i += 2
    return i - start, Token("chain", "/".join(str(p[0]) for p in parts), tuple(parts))


def classify_phrases(tokens: list[Token], knowledge: Knowledge) -> list[Token]:
    """Group strength chains and turn knowledge phrases into class tokens (forms, containers, ...)."""
    tables = _phrase_tables(knowledge)
    table, first = tables["classes"], tables["classes_first"]
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        if tokens[i].kind == "qty":
            size, token = _chain(tokens, i)
        else:
            size, value = _longest(tokens, i, table, first)
            token = Token(value[0], value[1]) if size else tokens[i]
            size = size or 1
        out.append(token)
        i += size
    return out


@dataclass
class Segment:
    """The part of a name about one substance (or the head of a legacy ``Substance_Form`` name)."""

    words: list[str] = field(default_factory=list)
    salts: list[str] = field(default_factory=list)
    chains: list[tuple[Any, ...]] = field(default_factory=list)
    option_chains: list[tuple[Any, ...]] = field(default_factory=list)
    packs: list[tuple[Any, ...]] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    containers: list[str] = field(default_factory=list)
    releases: list[str] = field(default_factory=list)
    frequencies: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    residual: list[str] = field(default_factory=list)
    closed: bool = False
    after_comma: bool = False
    # a form written after a strength and a slash (``Pess 500mg/Crm 2%``): the strength after it belongs to
    # the second product of a combination pack
    slash_after_chain: bool = False
    form_after_chain: bool = False
    # "Menthol in aqueous cream": the words after "in" name the vehicle, not the substance
    vehicle: bool = False
    # the name starts with a form or container word ("Easyhaler Beclometasone", "Minims_Sod Chlor")
    device_first: bool = False
    device_words: bool = False  # the words after it are being read as the product's name

    @property
    def has_strength(self) -> bool:
        return bool(self.chains)

    @property
    def started(self) -> bool:
        return bool(
            self.chains
            or self.packs
            or self.forms
            or self.containers
            or self.releases
            or self.frequencies
            or self.flags
        )

    def named_by_device(self, word: str, knowledge: Knowledge) -> bool:
        """``Easyhaler Beclometasone 200micrograms/dose``, ``Minims_Sod Chlor 0.9% Ud``: a range named after its
        device or container comes first, before the product's name. When the name starts with that word, nothing
        else has been read yet and ``word`` begins a substance's name, it and the words right after it name the
        product; any other word after a form stays unread (``Irrigation clamp``, ``Inha Spare Top``)."""
        if self.words:  # the product's name goes on until something else is read
            return self.device_words
        self.device_words = (
            self.device_first
            and not (self.salts or self.chains or self.packs or self.residual or self.vehicle)
            and not (self.releases or self.frequencies or self.flags)
            and begins_substance(word, knowledge)
        )
        return self.device_words

    def add(self, item: Token, knowledge: Knowledge, in_head: bool) -> None:
        """Place one classified token in this segment."""
        if item.kind == "forms" and ":" in item.text:  # injection:powder -> form + presentation
            form, presentation = item.text.split(":", 1)
            self.forms.append(form)
            self.containers.append(presentation)
        elif item.kind in CLASSES:
            getattr(self, item.kind).append(item.text)
            self.form_after_chain = self.form_after_chain or (item.kind == "forms" and self.slash_after_chain)
        elif item.kind == "chain":
            self._add_chain(item.data)
        elif item.kind == "sep":
            self.after_comma = item.text in (",", ";")
            return
        elif item.kind == "word":
            self._add_word(item.text, knowledge, in_head)
        elif item.kind == "substance":
            for word in item.text.split():
                self._add_word(word, knowledge, in_head)
        if item.kind not in ("word", "substance"):
            self.device_words = False
        self.after_comma = False
        self.slash_after_chain = False

    def _add_chain(self, parts: tuple[Any, ...]) -> None:
        real = [p for p in parts if p[1] or len(parts) > 1]
        if not self.chains and len(parts) == 1 and parts[0][1] in VOLUMES and not parts[0][2]:
            self.packs.append(parts)  # "Deep Heat_A/Spy 150ml", "Entonox_Cylinder 5000L": a volume is no strength
        elif not self.chains and real:
            self.chains.append(parts)
        elif self.after_comma and self.chains:
            self.option_chains.append(parts)
        elif self.form_after_chain and real and parts[0][1] not in VOLUMES:
            self.chains.append(parts)  # the strength of the second product of a combination pack
            self.flags.append(COMBINATION_PACK)
        elif len(parts) == 1 and parts[0][1]:
            self.packs.append(parts)
        elif not real:
            self.residual.append(parts[0][0])
        else:
            self.chains.append(parts)

    def _add_word(self, word: str, knowledge: Knowledge, in_head: bool) -> None:
        known = " ".join([*self.words, word]) in knowledge.substance_names()  # insulin aspart, not aspartate
        salt = salt_word(word, knowledge) if self.words and not known else ""
        # "Menthol in aqueous cream"; in a legacy head also after the strength ("Betameth Val 0.1% 50% In Emulsif_Oint")
        if word == VEHICLE_WORD and self.words and (not self.chains or in_head):
            self.vehicle = True
        elif self.vehicle:
            self.residual.append(word)
        elif salt:
            before = self.words[-1]
            if len(self.words) > 1 and before not in knowledge.salts and f"{before} {salt}" in knowledge.salts:
                # "Noradren Acid Tart": a salt of two words whose first is no salt alone ("acid tartrate")
                self.words.pop()
                salt = f"{before} {salt}"
            self.salts.append(salt)
        elif known and self.closed and not self.started:
            # "Phenytoin_Sod Cap": a salt written after the underscore still names the substance's salt
            self.words.append(word)
        elif (self.closed or self.started) and not in_head and not self.named_by_device(word, knowledge):
            self.residual.append(word)
        else:
            self.words.append(word)


def substance_first_words(knowledge: Knowledge) -> frozenset[str]:
    """The first word of every substance, synonym and co- name the knowledge holds."""
    found = knowledge.cache.get("substance first words")
    if found is None:
        names = {*knowledge.substance_names(), *knowledge.synonyms, *knowledge.co_names}
        found = knowledge.cache["substance first words"] = frozenset(n.split()[0] for n in names if n.strip())
    return found


def begins_substance(word: str, knowledge: Knowledge) -> bool:
    """Whether ``word`` is the first word of a substance the knowledge names, or that word cut short (at least
    four letters: ``Piloc``, ``Chloramphen``)."""
    firsts = substance_first_words(knowledge)
    if word in firsts:
        return True
    if len(word) < 4 or not word.isalpha():
        return False
    found = knowledge.cache.get(("begins substance", word))
    if found is None:
        found = knowledge.cache[("begins substance", word)] = any(f.startswith(word) for f in firsts)
    return found


def _names_hydration(word: str, salt: str) -> bool:
    """Whether ``word`` cut short can name the hydration ``salt``: only with its root (``Monohyd``, ``Anh``). A
    count alone (``Mono``, ``Tetra``, ``Di``) names none: ``Bezalip Mono`` is a once-daily tablet, ``Fluad
    Tetra`` a four-strain vaccine and ``Isosorbide Mon`` the mononitrate, never a monohydrate or tetrahydrate
    (read so, a word of the name was silently lost: a hydration on one side only tells nothing)."""
    if not salt.endswith("hydrate") and salt != "anhydrous":
        return True
    return "hyd" in word or word.startswith("anh")


def salt_word(word: str, knowledge: Knowledge) -> str:
    """The salt ``word`` names: itself, or the one salt it is an unambiguous truncation of (``fumar``)."""
    if word in knowledge.salts:
        return word
    if len(word) < 3:
        return ""
    found = knowledge.cache.get(("salt word", word))
    if found is None:
        table = knowledge.cache.get("salt_words")
        if table is None:
            table = sorted(s for s in knowledge.salts if " " not in s)
            knowledge.cache["salt_words"] = table
        fits = [s for s in table if s.startswith(word)]
        one = len(fits) == 1 and _names_hydration(word, fits[0])
        found = knowledge.cache[("salt word", word)] = fits[0] if one else ""
    return found


def chain_quantities(parts: tuple[Any, ...], substances: int, co_name: bool) -> tuple[list[Quantity], str]:
    """Read one strength chain: a list of strengths, or a unitless ratio such as ``30/70``."""
    if all(not p[1] and not p[3] for p in parts):
        if len(parts) == 2 and parts[0][0] == "1" and to_number(parts[1][0]) >= ONE_IN_MIN:
            return [Quantity(1000.0 / to_number(parts[1][0]), "mg", 1.0, "ml")], ""  # 1/1000: 1 g in 1000 ml
        if co_name or (substances > 1 and len(parts) == substances):
            return [quantity(p[0], "mg") for p in parts], ""
        return [], "/".join(p[0] for p in parts)
    filled = []
    for i, p in enumerate(parts):  # 10/5mg: a leading bare number takes the next unit written
        unit = p[1] or p[3] or next((n[1] or n[3] for n in parts[i + 1 :] if n[1] or n[3]), None)
        if not (p[1] or p[3]) and unit in VOLUME_UNITS and to_number(p[0]) >= COUNT_MIN:
            unit = "units"  # 5000/ml, 100,000/ml: a count per volume, never a volume (heparin, nystatin)
        filled.append((p[0], p[1] or unit, p[2], p[3], *p[4:]))
    out = [quantity(*filled[0][:4])]
    for p in filled[1:]:
        q = quantity(p[0], p[1], p[2], p[3])
        if is_per_denominator(q, len(p) <= 4, substances) and out:
            out[-1] = per(out[-1], q)
        else:
            out.append(q)
    last = out[-1]
    if len(out) == substances > 1 and last.per_unit and not any(q.per_unit for q in out[:-1]):
        # 10mg/5mg/ml: the volume written once, after the last strength, belongs to every strength
        out = [per(q, Quantity(last.per_value, last.per_unit)) for q in out[:-1]] + [last]
    return out, ""
