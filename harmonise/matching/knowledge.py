"""Drug knowledge for matching: abbreviations, salts, forms, release types, dosing frequencies, flags,
synonyms, co- names, look-alike/sound-alike pairs and brand names.

The knowledge is data, not code: YAML files shipped in ``harmonise/matching/knowledge/`` and, optionally, YAML files
of the same shape in a workspace folder, which extend the shipped lists and override shipped entries of the
same key. Every file is validated and every problem is reported with its file and line before failing once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from harmonise.errors import InputError, ProblemLog, did_you_mean
from harmonise.workspace import YamlDoc, load_yaml

SHIPPED_DIR = Path(__file__).with_name("knowledge")

# the kind of product an older name writes before a product named by words ("Ins Hypurin Bov Neutral" is
# "Hypurin Bovine Neutral"): no word of the product's name
CLASS_WORDS = frozenset({"insulin"})

MAP_SECTIONS = ("abbreviations", "synonyms", "insulin_words", "salts_alone")
LIST_SECTIONS = (
    "salts",
    "salt_significant",
    "descriptive",
    "said_by_strength",
    "grades",
    "flavours",
    "excipients",
    "vehicles",
    "ointment_bases",
    "insulin_species",
    "insulin_origins",
    "insulin_premixes",
    "insulin_premix_brands",
    "current_forms",
)
PHRASE_SECTIONS = ("forms", "containers", "releases", "frequencies", "flags")
SECTIONS = (
    *MAP_SECTIONS,
    *LIST_SECTIONS,
    *PHRASE_SECTIONS,
    "co_names",
    "lasa_pairs",
    "brands",
    "sole_salts",
    "form_groups",
    "form_families",
    "flag_forms",
    "container_forms",
    "version",
)
SOLE_SALT_KEYS = ("substance", "salt", "forms", "with")


@dataclass(frozen=True)
class SoleSalt:
    """A substance that, in the forms listed (every form when none), is only ever sold as one salt or ester
    (``beclometasone`` as the dipropionate): a salt stated on one side only is then no doubt. ``partner`` is
    the other substance of the combination the entry is about ('' = the substance on its own)."""

    substance: str
    salts: frozenset[str]
    forms: frozenset[str] = frozenset()
    partner: str = ""

    def covers(self, substances: frozenset[str], forms: set[str]) -> bool:
        """Whether this entry speaks for a name with these substances and (stated) forms."""
        expected = {self.substance, self.partner} - {""}
        if substances != expected:
            return False
        return not self.forms or (bool(forms) and forms <= self.forms)


@dataclass(frozen=True)
class Knowledge:
    """Everything the normaliser and matcher know about medicine names (all keys lower case)."""

    abbreviations: Mapping[str, str]
    salts: frozenset[str]
    salt_significant: frozenset[str]
    forms: Mapping[str, str]
    containers: Mapping[str, str]
    releases: Mapping[str, str]
    flags: Mapping[str, str]
    synonyms: Mapping[str, str]
    co_names: Mapping[str, tuple[str, ...]]
    lasa_pairs: frozenset[frozenset[str]]
    brands: Mapping[str, tuple[str, ...]]
    files: tuple[str, ...] = ()
    frequencies: Mapping[str, str] = field(default_factory=dict)
    sole_salts: tuple[SoleSalt, ...] = ()
    descriptive: frozenset[str] = frozenset()
    said_by_strength: frozenset[str] = frozenset()
    # the grade of a substance written after it (``heavy``, ``dried``): read as a flag (parse._substance_grades)
    grades: frozenset[str] = frozenset()
    flavours: frozenset[str] = frozenset()
    form_families: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # for each flag, the forms on which the national list shows it tells products apart (``derived.yaml``)
    flag_forms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # for each container, the forms on which the national list holds one product with and without it
    container_forms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    excipients: frozenset[str] = frozenset()
    # bases a substance is diluted in ("Menthol 2%/Aq_Crm" = "Menthol 2% in Aqueous cream"): never a substance
    vehicles: frozenset[str] = frozenset()
    # bases that make what is made in them an ointment ("Hydrocortisone 2% in White soft paraffin")
    ointment_bases: frozenset[str] = frozenset()
    # an insulin's name is "insulin" and a set of words (its kind and species), each maybe shortened
    insulin_words: Mapping[str, str] = field(default_factory=dict)
    # a salt written alone, as a substance of its own, and the substance it then names (``Sulf`` alone: sulfur)
    salts_alone: Mapping[str, str] = field(default_factory=dict)
    insulin_species: frozenset[str] = frozenset()
    # how a human insulin was made ("Hum Prb", "Hum Pyr"): older names say it, the current ones do not
    insulin_origins: frozenset[str] = frozenset()
    # a premixed insulin named by its short-acting share ("Hum Mixt 20", "Humalog Mix25"): today's biphasic 20/80
    insulin_premixes: frozenset[str] = frozenset()
    # brands named by a premix word ("Human Mixtard 30"): read as the biphasic insulin only in a generic equivalent
    insulin_premix_brands: frozenset[str] = frozenset()
    # forms written without saying which of their family they are in older names ("Inh", "Liq") that today's
    # names use as forms of their own ("inhaler", a pressurised one; "oral liquid", a special) (derived.yaml)
    current_forms: frozenset[str] = frozenset()
    # words the national list writes with a capital inside ("KwikPen", "SureClick"): kept whole where a legacy name
    # squeezed to 40 characters has its other run-together words read apart
    whole_words: frozenset[str] = frozenset()
    # the national list's chemical substances (lower case), when a reference is used: the names a substance
    # written with its words in another order is read as (``reordered``)
    listed_substances: frozenset[str] = frozenset()
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def with_brands(
        self, extra: Mapping[str, tuple[str, ...]], whole_words: Iterable[str] = (), substances: Iterable[str] = ()
    ) -> Knowledge:
        """A copy that also knows ``extra`` brands (shipped and workspace entries win on conflict),
        ``whole_words`` and the national list's chemical ``substances``."""
        whole = self.whole_words | frozenset(whole_words)
        listed = self.listed_substances | frozenset(substances)
        return replace(self, brands={**extra, **self.brands}, whole_words=whole, listed_substances=listed, cache={})

    def reordered(self, phrase: str) -> str:
        """The known substance ``phrase`` names with its words in another order (``sulfadiazine silver``:
        ``silver sulfadiazine``, as the national list files ``Sulfadiazine silver 1% cream``), or ''. No two
        chemical substances of the national list share their set of words, so the order of a substance's words
        never tells two apart. The knowledge's own spelling wins over the national list's; a phrase the
        knowledge spells so itself is left as written, and so is an insulin, read by its set of words
        (``substances.name_insulin``)."""
        orders = self.cache.get("substance orders")
        if orders is None:
            own = self.substance_names() | frozenset(self.abbreviations.values())
            orders = self.cache["substance orders"] = (own, _by_word_set(own), _by_word_set(self.listed_substances))
        own, by_own, by_listed = orders
        if " " not in phrase or phrase in own:
            return ""
        words = tuple(sorted(phrase.split()))
        if CLASS_WORDS.intersection(words):
            return ""
        found = by_own.get(words, by_listed.get(words, ""))
        return "" if found == phrase else found

    def substance_names(self) -> frozenset[str]:
        """Every substance this knowledge names (synonyms, co- names, brands, salt and LASA lists)."""
        names = self.cache.get("substance_names")
        if names is None:
            found = set(self.synonyms.values()) | set(self.salt_significant)
            found |= {s for parts in (*self.co_names.values(), *self.brands.values()) for s in parts}
            found |= {s for pair in self.lasa_pairs for s in pair}
            names = self.cache["substance_names"] = frozenset(found)
        return names

    def same_family(self, generic: str, specific: str) -> bool:
        """Whether ``generic`` is a form written without saying which of its family (``specific``) it is."""
        return specific in self.form_families.get(generic, ())


def _by_word_set(names: Iterable[str]) -> dict[tuple[str, ...], str]:
    """Names of two words or more by their sorted words, where the words are those of one name only ('' else)."""
    found: dict[tuple[str, ...], set[str]] = {}
    for name in names:
        if " " in name:
            found.setdefault(tuple(sorted(name.split())), set()).add(name)
    return {words: next(iter(spelled)) if len(spelled) == 1 else "" for words, spelled in found.items()}


def _clean(text: Any) -> str:
    return " ".join(str(text).lower().split())


class _Collector:
    """Accumulates sections from several files, validating each entry with its location."""

    def __init__(self) -> None:
        self.maps: dict[str, dict[str, str]] = {name: {} for name in MAP_SECTIONS}
        self.lists: dict[str, set[str]] = {name: set() for name in LIST_SECTIONS}
        self.phrases: dict[str, dict[str, str]] = {name: {} for name in PHRASE_SECTIONS}
        self.co_names: dict[str, tuple[str, ...]] = {}
        self.lasa: set[frozenset[str]] = set()
        self.brands: dict[str, tuple[str, ...]] = {}
        self.sole_salts: list[tuple[YamlDoc, int, dict[str, Any]]] = []
        self.form_groups: dict[str, tuple[str, ...]] = {}
        self.form_families: dict[str, tuple[str, ...]] = {}
        self.flag_forms: dict[str, tuple[str, ...]] = {}
        self.container_forms: dict[str, tuple[str, ...]] = {}
        self.problems = ProblemLog()

    def add_file(self, doc: YamlDoc) -> None:
        if doc.value is None:
            return
        if not isinstance(doc.value, dict):
            self.problems.add(doc.where(()), "a knowledge file must be a mapping of sections")
            return
        for section, value in doc.value.items():
            if section not in SECTIONS:
                hint = did_you_mean(str(section), SECTIONS)
                self.problems.add(doc.where((section,)), f"unknown section {section!r}{hint}")
            elif section == "version":
                if value != 1:
                    self.problems.add(doc.where((section,)), f"version must be 1, got {value!r}")
            else:
                getattr(self, f"_add_{_kind(section)}")(doc, section, value)

    def _expect(self, doc: YamlDoc, path: tuple[Any, ...], value: Any, kind: type, what: str) -> bool:
        if isinstance(value, kind) and (not isinstance(value, str) or value.strip()):
            return True
        self.problems.add(doc.where(path), f"expected {what}, got {value!r}", _path(path))
        return False

    def _add_map(self, doc: YamlDoc, section: str, value: Any) -> None:
        if not self._expect(doc, (section,), value, dict, "a mapping of word: meaning"):
            return
        for key, meaning in value.items():
            if section == "abbreviations" and meaning == "":
                self.maps[section][_clean(key)] = ""  # words to ignore
            elif self._expect(doc, (section, key), meaning, str, "a word or phrase"):
                self.maps[section][_clean(key)] = _clean(meaning)

    def _add_list(self, doc: YamlDoc, section: str, value: Any) -> None:
        if not self._expect(doc, (section,), value, list, "a list of words"):
            return
        for i, item in enumerate(value):
            if self._expect(doc, (section, i), item, str, "a word or phrase"):
                self.lists[section].add(_clean(item))

    def _add_phrases(self, doc: YamlDoc, section: str, value: Any) -> None:
        if not self._expect(doc, (section,), value, dict, "a mapping of canonical name: [phrases]"):
            return
        for canonical, phrases in value.items():
            if not self._expect(doc, (section, canonical), phrases, list, "a list of phrases"):
                continue
            self.phrases[section][_clean(canonical)] = _clean(canonical)
            for i, phrase in enumerate(phrases):
                if self._expect(doc, (section, canonical, i), phrase, str, "a phrase"):
                    self.phrases[section][_clean(phrase)] = _clean(canonical)

    def _add_components(self, doc: YamlDoc, section: str, value: Any) -> None:
        if not self._expect(doc, (section,), value, dict, "a mapping of name: substance or [substances]"):
            return
        target = self.co_names if section == "co_names" else self.brands
        for name, parts in value.items():
            items = [parts] if isinstance(parts, str) else parts
            ok = isinstance(items, list) and items and all(isinstance(p, str) and p.strip() for p in items)
            if ok:
                target[_clean(name)] = tuple(_clean(p) for p in items)
            else:
                self.problems.add(
                    doc.where((section, name)), f"expected a substance or a list, got {parts!r}", _path((section, name))
                )

    def _add_pairs(self, doc: YamlDoc, section: str, value: Any) -> None:
        if not self._expect(doc, (section,), value, list, "a list of [substance, substance] pairs"):
            return
        for i, pair in enumerate(value):
            if isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair):
                self.lasa.add(frozenset(_clean(p) for p in pair))
            else:
                self.problems.add(doc.where((section, i)), f"expected a pair [a, b], got {pair!r}", _path((section, i)))

    def _add_sole_salts(self, doc: YamlDoc, section: str, value: Any) -> None:
        if not self._expect(doc, (section,), value, list, "a list of {substance, salt, forms, with} entries"):
            return
        for i, entry in enumerate(value):
            if not isinstance(entry, dict):
                self.problems.add(doc.where((section, i)), f"expected a mapping, got {entry!r}", _path((section, i)))
                continue
            for key in entry:
                if key not in SOLE_SALT_KEYS:
                    self.problems.add(
                        doc.where((section, i, key)),
                        f"unknown key {key!r}{did_you_mean(str(key), SOLE_SALT_KEYS)}",
                        _path((section, i, key)),
                    )
            for key in ("substance", "salt"):
                if key not in entry:
                    self.problems.add(doc.where((section, i)), f"missing key {key!r}", _path((section, i)))
            self.sole_salts.append((doc, i, entry))

    def _add_groups(self, doc: YamlDoc, section: str, value: Any) -> None:
        if not self._expect(doc, (section,), value, dict, "a mapping of group name: [forms]"):
            return
        for name, forms in value.items():
            if isinstance(forms, list) and forms and all(isinstance(f, str) for f in forms):
                getattr(self, section)[_clean(name)] = tuple(_clean(f) for f in forms)
            else:
                self.problems.add(
                    doc.where((section, name)), f"expected a list of forms, got {forms!r}", _path((section, name))
                )

    def _sole_salt(self, doc: YamlDoc, i: int, entry: dict[str, Any]) -> SoleSalt | None:
        """One validated entry; a form may name a group of ``form_groups``."""

        def words(key: str) -> list[str] | None:
            raw = entry.get(key, [])
            items = [raw] if isinstance(raw, str) else raw
            if isinstance(items, list) and all(isinstance(x, str) and x.strip() for x in items):
                return [_clean(x) for x in items]
            self.problems.add(
                doc.where(("sole_salts", i, key)),
                f"expected a word or a list of words, got {raw!r}",
                _path(("sole_salts", i, key)),
            )
            return None

        substance, salts, forms, partner = words("substance"), words("salt"), words("forms"), words("with")
        if not substance or not salts or forms is None or partner is None:
            return None
        expanded = {f for form in forms for f in self.form_groups.get(form, (form,))}
        return SoleSalt(substance[0], frozenset(salts), frozenset(expanded), partner[0] if partner else "")

    def build(self, files: tuple[str, ...]) -> Knowledge:
        sole = tuple(s for s in (self._sole_salt(*item) for item in self.sole_salts) if s)
        self.problems.raise_if_any("drug knowledge files are invalid")
        return Knowledge(
            abbreviations=self.maps["abbreviations"],
            salts=frozenset(self.lists["salts"]),
            salt_significant=frozenset(self.lists["salt_significant"]),
            forms=self.phrases["forms"],
            containers=self.phrases["containers"],
            releases=self.phrases["releases"],
            flags=self.phrases["flags"],
            synonyms=self.maps["synonyms"],
            co_names=self.co_names,
            lasa_pairs=frozenset(self.lasa),
            brands=self.brands,
            files=files,
            frequencies=self.phrases["frequencies"],
            sole_salts=sole,
            descriptive=frozenset(self.lists["descriptive"]),
            said_by_strength=frozenset(self.lists["said_by_strength"]),
            grades=frozenset(self.lists["grades"]),
            flavours=frozenset(self.lists["flavours"]),
            form_families=self.form_families,
            flag_forms=self.flag_forms,
            container_forms=self.container_forms,
            excipients=frozenset(self.lists["excipients"]),
            vehicles=frozenset(self.lists["vehicles"]),
            ointment_bases=frozenset(self.lists["ointment_bases"]),
            insulin_words=self.maps["insulin_words"],
            salts_alone=self.maps["salts_alone"],
            insulin_species=frozenset(self.lists["insulin_species"]),
            insulin_origins=frozenset(self.lists["insulin_origins"]),
            insulin_premixes=frozenset(self.lists["insulin_premixes"]),
            insulin_premix_brands=frozenset(self.lists["insulin_premix_brands"]),
            current_forms=frozenset(self.lists["current_forms"]),
        )


def presentation_form(form: str, container: str) -> str:
    """How ``flag_forms`` names a form and its container: ``eye drops``, ``eye drops in unit dose``."""
    return f"{form} in {container}" if container else form


def _kind(section: str) -> str:
    if section in MAP_SECTIONS:
        return "map"
    if section in LIST_SECTIONS:
        return "list"
    if section in PHRASE_SECTIONS:
        return "phrases"
    if section in ("sole_salts", "form_groups", "form_families", "flag_forms", "container_forms"):
        return "sole_salts" if section == "sole_salts" else "groups"
    return "pairs" if section == "lasa_pairs" else "components"


def _path(path: tuple[Any, ...]) -> str:
    from harmonise.workspace import format_path

    return format_path(path)


def knowledge_files(extra_dirs: Sequence[Path] = ()) -> list[Path]:
    """The shipped YAML files, then each extra folder's YAML files, each group in name order."""
    files = sorted(SHIPPED_DIR.glob("*.yaml"))
    for folder in extra_dirs:
        folder = Path(folder)
        if not folder.is_dir():
            raise InputError(f"{folder}: knowledge folder not found")
        files.extend(sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]))
    return files


@lru_cache(maxsize=8)
def _load(paths: tuple[str, ...]) -> Knowledge:
    collector = _Collector()
    for path in paths:
        collector.add_file(load_yaml(Path(path)))
    return collector.build(paths)


def load_knowledge(extra_dirs: Sequence[Path] = ()) -> Knowledge:
    """Load the shipped knowledge, extended and overridden by the YAML files of ``extra_dirs``.

    Raises ``InputError`` listing every invalid entry as ``file:line: section.key: problem``.
    """
    paths = tuple(str(p) for p in knowledge_files(extra_dirs))
    return _load(paths)
