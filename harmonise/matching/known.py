"""Every substance the engine knows, to judge a guessed expansion of a truncated substance name.

A legacy name may shorten a substance (``Dexameth``, ``Hydchloroth``); the matcher reads it as the other
side's substance when the letters fit. That guess is only safe when the short form fits one substance of
all those the engine knows: the shipped knowledge, the reference's substances (when given) and every
substance in either list, not just the other side's. ``Prednis`` fits prednisolone and prednisone, so it
is never read as either automatically; a short form that is itself the name of a known substance is not a
truncation at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from harmonise.matching.knowledge import Knowledge


def abbreviates(short: str, full: str) -> bool:
    """Whether word ``short`` is a legacy abbreviation of ``full`` (truncation or letters dropped)."""
    if truncates(short, full):
        return True
    if len(short) >= len(full) or short[:2] != full[:2] or full.startswith(short) or len(short) < 5:
        return False  # a start too short to tell, or one that ends where ``full`` goes on with no letter
    pos = 0
    for char in short:
        pos = full.find(char, pos) + 1
        if not pos:
            return False
    return True


def truncates(short: str, full: str) -> bool:
    """Whether word ``short`` is ``full`` or ``full`` cut short (``salic``, ``chlorhex``), no letters dropped.
    "Triptafen" is not short for "Triptafen-M", nor "Cystine" for "Cystine500": a variant, not a truncation."""
    return short == full or (len(short) >= 4 and full.startswith(short) and full[len(short)].isalpha())


def same_words(short: str, full: str) -> bool:
    """Word by word, ``short`` is ``full`` or an abbreviation of it (one direction only)."""
    sw, fw = short.split(), full.split()
    return len(sw) == len(fw) and all(abbreviates(a, b) for a, b in zip(sw, fw, strict=False))


def strip_salts(name: str, knowledge: Knowledge) -> str:
    """``diclofenac sodium`` -> ``diclofenac``, as the parser stores substances."""
    words = name.split()
    cut = len(words)
    while cut > 1 and words[cut - 1] in knowledge.salts:
        cut -= 1
    return " ".join(words[:cut])


class KnownSubstances:
    """Substances by first two letters and word count, split into names known to be real substances
    (knowledge, reference) and names only seen in the lists being matched."""

    def __init__(
        self,
        knowledge: Knowledge,
        reference_names: Iterable[str] = (),
        seen: Iterable[str] = (),
        words: Iterable[str] = (),
        listed_words: Mapping[str, set[str]] | None = None,
        seen_salts: Mapping[str, set[str]] | None = None,
    ) -> None:
        self.real, self.real_index = _real_names(knowledge, frozenset(reference_names))
        self.index = _indexed({*seen} - self.real)  # the names seen only in the lists, beside the real ones
        self.words = by_start(words)  # every word of the names matched, by first two letters
        self.listed_words = listed_words or {}  # ... and of the national list's names (see ``by_start``)
        # the salts each name of ``seen`` is written with in the lists ('' for none): ``pyridoxal`` only ever as
        # the phosphate
        self.seen_salts = seen_salts or {}
        self.cache: dict[tuple[str, str, str], str] = {}
        self.pairings: dict[tuple[tuple[str, ...], tuple[str, ...]], bool] = {}

    def is_real(self, substance: str) -> bool:
        """Whether ``substance`` is, or shortens, a substance known to be real (the knowledge or the national
        list): ``sodium chloride``, ``salic acid``."""
        if substance in self.real:
            return True
        near = self.real_index.get((substance[:2], len(substance.split())), set())
        return any(same_words(substance, name) for name in near)

    def is_named(self, substance: str) -> bool:
        """Whether ``substance`` is, or cuts short word by word, a substance known to be real; stricter than
        ``is_real``, which also takes letters dropped anywhere: ``tesco`` has the letters of ``testolactone`` in
        order, but cuts short no substance."""
        if substance in self.real:
            return True
        words = substance.split()
        near = self.real_index.get((substance[:2], len(words)), set())
        return any(all(map(truncates, words, name.split())) for name in near)

    def named(self, key: tuple[str, int]) -> set[str]:
        """The substances known or seen with these first two letters and this many words."""
        return self.real_index.get(key, set()) | self.index.get(key, set())

    def doubt(self, short: str, full: str, salt: str = "") -> str:
        """Why reading ``short`` as ``full`` is not safe ('' when it is the only substance it fits). A salt the
        short name states narrows the substances it fits to those named with that salt (``Pyridox HCl`` is
        pyridoxine hydrochloride, never pyridoxal phosphate)."""
        key = (short, full, salt)
        if key not in self.cache:
            self.cache[key] = self._doubt(short, full, salt)
        return self.cache[key]

    def word_doubt(self, short: str, full: str) -> str:
        """Why reading the word ``short`` of a product named by words as ``full`` is not safe: another word of the
        names matched or of the national list's names fits it too ('' when none does)."""
        key = (short, full, "word")
        if key not in self.cache:
            near = self.words.get(short[:2], set()) | self.listed_words.get(short[:2], set())
            fits = {w for w in near if w != short and abbreviates(short, w)} | {full}
            # a word and its plural, or a shortening of another fitting word, are one word
            widest = {w for w in fits if w[:-1] not in fits and not any(w != t and abbreviates(w, t) for t in fits)}
            self.cache[key] = f"{short} could be {' or '.join(sorted(widest))}" if len(widest) > 1 else ""
        return self.cache[key]

    def _doubt(self, short: str, full: str, salt: str) -> str:
        if short in self.real:
            return f"{short} is itself the name of a substance"
        fits = {s for s in self.named((short[:2], len(short.split()))) if s != short and same_words(short, s)}
        fits.add(full)
        # a list's own truncation of a fitting substance is not another substance; a real name always is
        widest = {s for s in fits if s in self.real or not any(s != t and same_words(s, t) for t in fits)}
        if len(widest) > 1 and salt and f"{full} {salt}" in self.real:
            # a substance only the lists name may have any salt, unless they only ever write it with others
            # (``Pyridox HCl``: pyridoxine hydrochloride, never the ``Pyridoxal phosphate`` of the lists)
            widest = {s for s in widest if (f"{s} {salt}" in self.real if s in self.real else self._may_be(s, salt))}
        if len(widest) > 1:
            return f"{short} could be {' or '.join(sorted(widest))}"
        for s, f in zip(short.split(), full.split(), strict=False):
            if _look_alike(s, f):
                return f"{s} may be another substance than {f} (a few letters missing in the middle)"
        return ""

    def _may_be(self, substance: str, salt: str) -> bool:
        """Whether a substance only the lists name may be the one a name states ``salt`` of: the lists write it
        with no salt, with that one, or were not told."""
        salts = self.seen_salts.get(substance)
        return not salts or "" in salts or salt in salts


def by_start(words: Iterable[str]) -> dict[str, set[str]]:
    """Words by their first two letters."""
    index: dict[str, set[str]] = defaultdict(set)
    for word in words:
        index[word[:2]].add(word)
    return index


def _real_names(
    knowledge: Knowledge, reference_names: frozenset[str]
) -> tuple[frozenset[str], dict[tuple[str, int], set[str]]]:
    """The real substance names (with and without their salts) and their index, made once per knowledge and
    reference: a merge matches twice per chapter with the same two (about 2,700 names each time)."""
    key = ("known substances", reference_names)
    found = knowledge.cache.get(key)
    if found is None:
        real: set[str] = set()
        for name in [*knowledge.substance_names(), *reference_names]:
            real.update({name, strip_salts(name, knowledge)})
        found = knowledge.cache[key] = (frozenset(real), _indexed(real))
    return found


def _indexed(names: Iterable[str]) -> dict[tuple[str, int], set[str]]:
    index: dict[tuple[str, int], set[str]] = defaultdict(set)
    for name in names:
        if name:
            index[(name[:2], len(name.split()))].add(name)
    return index


def _look_alike(short: str, full: str) -> bool:
    """A word that keeps the other's ending but misses two or three letters inside looks like another
    substance (prednisone/prednisolone, estriol/estradiol, quinine/quinidine), not an abbreviation."""
    return short != full and not full.startswith(short) and short[-3:] == full[-3:] and len(full) - len(short) <= 3
