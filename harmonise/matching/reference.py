"""The NHSBSA "BNF Code Information" reference: every current presentation with its BNF code.

Shipped with harmonise as a compact pack (``reference/bnf-code-information-<release>.json.gz``, derived from the
public release by ``tools/build_reference_pack.py``; "Contains public sector information licensed under the Open
Government Licence v3.0") and on by default. A workspace can build a pack from a newer release (``harmonise
reference build FILE``), name a release CSV or pack (``reference: FILE``) or turn it off (``reference: none``).

A branded presentation's code maps to its generic equivalent as ``code[:9] + "AA" + code[13:15] * 2``
(a brand ending ``A0`` has none); generic codes have ``AA`` at characters 10-11. Two names whose generic
codes are equal are the same generic product, which lets the matcher join brands to generics it has no
synonym for. Brand product names (``Istin`` -> ``Amlodipine``) also extend the shipped brand list.
"""

from __future__ import annotations

import bisect
import csv
import gzip
import hashlib
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from harmonise.audit import AuditLog
from harmonise.errors import InputError, did_you_mean
from harmonise.output import write_bytes
from harmonise.workspace import Workspace

REQUIRED = ("BNF Presentation", "BNF Presentation Code", "BNF Chemical Substance", "BNF Product")
WITHDRAWN = "mdr bnf code - do not use"
NOT_A_DRUG = re.compile(r"^other |^dummy |proprietary|enteral|nutrition|food|dressing|appliance|bandage|stoma")
PACK_FORMAT = "harmonise BNF reference pack 1"
ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."
PACK_SUFFIX = ".json.gz"
SHIPPED_DIR = Path(__file__).with_name("reference")
RELEASE_RE = re.compile(r"(20\d\d)-?(0[1-9]|1[0-2])")
DIGIT = re.compile(r"\d")


class Row(NamedTuple):
    """One presentation of a release: its code and name, its chemical substance and its product (a named tuple:
    a pack's 54,000 are made on every run, three times faster than a frozen dataclass's)."""

    code: str
    name: str
    substance: str
    product: str


@dataclass(frozen=True)
class Reference:
    """Presentation names (lower case, single-spaced) to BNF codes, brand names to substances, and every
    chemical substance named (lower case, one entry per component of a combination)."""

    path: str
    codes: Mapping[str, str]
    names: Mapping[str, str]
    brands: Mapping[str, tuple[str, ...]]
    substances: frozenset[str] = field(default_factory=frozenset)
    release: str = ""
    chemicals: Mapping[str, str] = field(default_factory=dict)

    def chemical_of(self, code: str) -> str:
        """The chemical substance a presentation is filed under (``Promethazine hydrochloride`` for
        ``Promethazine 5mg/5ml oral solution``): the first 9 characters of its code; '' when unknown."""
        return self.chemicals.get(code[:9], "") if code else ""

    def code_for(self, name: str) -> str:
        """The BNF presentation code of ``name`` ('' when unknown or ambiguous)."""
        return self.codes.get(name_key(name), "")

    def generic_for(self, name: str) -> str:
        """The generic-equivalent BNF code of ``name`` ('' when unknown or when it has none)."""
        return generic_code(self.code_for(name))

    @property
    def described(self) -> str:
        """One line for messages and the audit log: which release, how many presentations."""
        release = f"release {self.release}" if self.release else "release unknown"
        return f"NHSBSA BNF Code Information, {release}, {len(self.names):,} medicine presentations ({self.path})"


TRADE_MARKS = ("®", "™", "©", "℠")


@lru_cache(maxsize=1 << 14)  # the same names are looked up for every pair they are in (not the list's: _add_row)
def name_key(name: str) -> str:
    """Lookup key of a presentation name: lower case, single spaces, no trade mark signs (``Locoid®``)."""
    text = str(name)
    if not text.isascii():  # the signs are not ASCII; most names are, and skip the replacing (called ~10^5 a run)
        for sign in TRADE_MARKS:
            text = text.replace(sign, " ")
    return " ".join(text.lower().split())


def generic_code(code: str) -> str:
    """The generic equivalent of a 15-character BNF presentation code ('' when it has none)."""
    if len(code) != 15:
        return ""
    if code[9:11] == "AA":
        return code
    if code.endswith("A0"):
        return ""
    return code[:9] + "AA" + code[13:15] + code[13:15]


@lru_cache(maxsize=1 << 14)  # asked for each presentation of a brand
def _brand_substances(substance: str) -> tuple[str, ...]:
    text = re.sub(r"\([^)]*\)", " ", substance.lower())
    return tuple(" ".join(part.split()) for part in text.split("/") if part.strip())


def _check_header(path: Path, header: list[str]) -> None:
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        hints = "".join(did_you_mean(m, header) for m in missing)
        raise InputError(
            f"{path}: not a BNF Code Information CSV: missing column(s) {', '.join(map(repr, missing))}"
            f"{hints} (found: {', '.join(header[:6]) or 'nothing'})"
        )


def read_release(path: Path) -> list[Row]:
    """Every row of an NHSBSA BNF Code Information CSV (about 55,000 rows, read with ``csv``)."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return list(_release_rows(path, csv.reader(handle)))
    except FileNotFoundError:
        raise InputError(f"{path}: reference file not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, expected the BNF Code Information CSV") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise InputError(f"{path}: not valid CSV ({exc})") from None


def _release_rows(path: Path, reader: Iterator[list[str]]) -> Iterator[Row]:
    header = [h.strip() for h in next(reader, [])]
    _check_header(path, header)
    col = {name: header.index(name) for name in REQUIRED}
    for row in reader:
        if len(row) >= len(header):
            yield Row(
                row[col["BNF Presentation Code"]].strip(),
                row[col["BNF Presentation"]].strip(),
                row[col["BNF Chemical Substance"]].strip(),
                row[col["BNF Product"]].strip(),
            )


def reference_from_rows(
    rows: Iterable[Row], path: str, release: str = "", substance_names: Iterable[str] = ()
) -> Reference:
    """The lookups the matcher uses, built from a release's rows (a CSV or a pack give the same).

    ``substance_names`` adds substances whose presentations are all withdrawn (a pack keeps their names).
    """
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    brands: dict[str, tuple[str, ...]] = {}
    substances: set[str] = set(substance_names)
    clashing: set[str] = set()
    chemicals: dict[str, str] = {}
    of_brand: dict[str, list[str]] = defaultdict(list)
    bracketed: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    bracketed_codes: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        _add_row(row, codes, names, brands, clashing, of_brand, (bracketed, bracketed_codes))
        substances.add(row.substance)
        chemicals.setdefault(row.code[:9], row.substance)
    for product in clashing:  # a maker's name on products of several substances ("Boots") names no generic
        del brands[product]
    # a product named with words in brackets ("Insulin Humulin S (Soluble)", "SOS (Oral Rehydration)") is also a
    # brand without them, when that names no other product and the products it stands for are of one substance;
    # outside insulins, only when its presentations are named by it and no other presentation begins so (a maker's
    # line, "Natures Aid (...)", or a word that begins other lines, "Golden (...)", is left as it is)
    keyed = sorted((name_key(name), code) for code, name in names.items())
    by_word: dict[str, set[str]] = defaultdict(set)
    for key, code in keyed:
        for word in key.split():
            by_word[word].add(code)
    for product, readings in bracketed.items():
        alone = product.startswith("insulin ") or _names_alone(product, bracketed_codes[product], keyed, by_word)
        if len(readings) == 1 and product not in brands and product not in clashing and alone:
            brands[product] = next(iter(readings))
    for product, found_codes in of_brand.items():
        if product in brands:
            brands[product] = _generic_combination(brands[product], found_codes, names)
    found = {part for text in substances if not NOT_A_DRUG.search(text.lower()) for part in _brand_substances(text)}
    codes = {k: v for k, v in codes.items() if v}
    return Reference(path, codes, names, brands, frozenset(found), release, chemicals)


def _add_row(
    row: Row,
    codes: dict[str, str],
    names: dict[str, str],
    brands: dict[str, tuple[str, ...]],
    clashing: set[str],
    of_brand: dict[str, list[str]],
    bracketed_by: tuple[dict[str, set[tuple[str, ...]]], dict[str, list[str]]],
) -> None:
    bracketed, bracketed_codes = bracketed_by  # a bracketed product's readings and presentations
    key = name_key.__wrapped__(row.name)  # each once: kept out of the cache of the names looked up
    if len(row.code) != 15 or key == WITHDRAWN:
        return
    codes[key] = row.code if codes.get(key, row.code) == row.code else ""  # one name, two codes: ambiguous
    names.setdefault(row.code, row.name)
    found = _brand_substances(row.substance)
    if row.code[9:11] == "AA" or not found or NOT_A_DRUG.search(row.substance.lower()):
        return
    full = name_key(row.product)
    # "Insulin Humulin S (Soluble)", "SOS (Oral Rehydration)": a product is also the brand its presentations
    # name, without the words in brackets (see ``reference_from_rows``)
    bare = " ".join(PAREN.sub(" ", full).split()) if "(" in full else ""
    bare = "" if "(" in bare or ")" in bare or (full.startswith("insulin ") and len(bare.split()) < 2) else bare
    for product in dict.fromkeys((full, bare)):
        if not product or len(product.split()) > 3 or DIGIT.search(product) or product in found:
            continue
        if product == full:
            if brands.setdefault(product, found) != found:
                clashing.add(product)
            of_brand[product].append(row.code)
        elif not set(product.split()) <= set(re.findall(r"[a-z0-9-]+", row.substance.lower())):
            bracketed[product].add(found)  # ... unless it is the substance's own name ("Insulin soluble")
            bracketed_codes[product].append(row.code)


PAREN = re.compile(r"\([^)]*\)")


def _names_alone(bare: str, own: list[str], keyed: list[tuple[str, str]], by_word: Mapping[str, set[str]]) -> bool:
    """Whether the presentations named starting with ``bare`` are exactly those of ``own`` (codes) (``sos`` for
    ``SOS Rehydrate oral powder sachets mango``, the ``SOS (Oral Rehydration)`` product's) and no other
    presentation's name has its words at all (``Active``, a meter's, is a word of ``Beechams Active Cold Relief
    caplets``). ``keyed`` holds every presentation's (name key, code), sorted; ``by_word`` the codes of the
    presentations whose name key has a word."""
    start = f"{bare} "
    found = set()
    for key, code in itertools.islice(keyed, bisect.bisect_left(keyed, (start, "")), None):
        if not key.startswith(start):
            break
        found.add(code)
    having = set.intersection(*(by_word.get(word, set()) for word in bare.split()))
    return bool(own) and found == set(own) and having <= found


# a chemical substance named as a class or a mixture: "Lisinopril with diuretic", "Aspirin and caffeine",
# "Paracetamol combined preparations"
CLASS_NAMED = re.compile(r" with | and |compound|combin|preparation")
# one word after a substance that names its salt: an -ate, an -ide, sodium or potassium (" hydrochloride")
SALT_AFTER = re.compile(r" [a-z]+(?:ate|ide)| sodium| potassium")
COMBINATION_PART = re.compile(r"\s+/\s+|(?<=[\d%a-z])/(?=[A-Z])")


def _combination(name: str) -> tuple[str, ...]:
    """The substances a generic presentation's name gives as a combination, each before its strength
    (``Allantoin 0.5% / Lidocaine 0.5% ointment``: allantoin, lidocaine); () when it is none, or a part has no
    strength or words other than letters before it."""
    parts = COMBINATION_PART.split(name)
    if len(parts) < 2:
        return ()
    out = []
    for part in parts:
        words = part.split()
        cut = next((i for i, word in enumerate(words) if DIGIT.search(word)), 0)
        head = words[:cut]
        if not head or not all(re.fullmatch(r"[A-Za-z][a-z\-]*", word) for word in head):
            return ()
        out.append(" ".join(head).lower())
    return tuple(out)


def _generic_combination(found: tuple[str, ...], brand_codes: list[str], names: Mapping[str, str]) -> tuple[str, ...]:
    """A brand's substances: those of its chemical substance (``found``), unless that is named as a class or a
    mixture (``Lisinopril with diuretic``, ``Zestoretic``'s) and every presentation of the brand has a generic
    equivalent naming the same combination (``Lisinopril 10mg / Hydrochlorothiazide 12.5mg tablets``). A brand
    filed under one plain substance of a combination (``Anodesyn``, under lidocaine hydrochloride) keeps it: read
    as the combination, it lost a held-out pair of the development tracks (session 11)."""
    if len(found) != 1 or not CLASS_NAMED.search(found[0]):
        return found
    combinations = {_combination(names.get(generic_code(code), "")) for code in brand_codes}
    if len(combinations) != 1:
        return found
    [combination] = combinations
    first = found[0].split()[0]
    if not combination or not any(part.split()[0] == first for part in combination):
        return found
    # the substance it is filed under keeps the salt its chemical substance names (lidocaine hydrochloride)
    return tuple(found[0] if SALT_AFTER.fullmatch(found[0].removeprefix(part)) else part for part in combination)


# ---- the compact pack ------------------------------------------------------------------------------------


def release_of(path: Path, given: str | None = None) -> str:
    """The release a file holds, ``YYYY-MM``: as given, else read from its name (``...-2024-11.csv``)."""
    text = given if given is not None else Path(path).name
    match = RELEASE_RE.search(text)
    if not match:
        raise InputError(
            f"{path}: cannot tell which release this is from its name; give it as --release YYYY-MM "
            "(the month NHSBSA published it)"
        )
    return f"{match.group(1)}-{match.group(2)}"


def pack_payload(rows: Iterable[Row], release: str) -> bytes:
    """The pack: only what the matcher needs, names shared per substance and product, gzip-compressed.

    Deterministic: the same release gives the same bytes (sorted, no timestamp in the gzip header).
    """
    presentations: dict[str, str] = {}
    substances: dict[str, str] = {}
    products: dict[str, str] = {}
    for row in rows:
        substances[row.code[:9]] = row.substance  # a withdrawn presentation's substance is still a name to know
        if name_key.__wrapped__(row.name) == WITHDRAWN or len(row.code) not in (11, 15):
            continue
        presentations[row.code] = row.name
        products[row.code[:11]] = row.product
    pack = {
        "format": PACK_FORMAT,
        "source": "NHSBSA BNF Code Information",
        "release": release,
        "licence": ATTRIBUTION,
        "substances": dict(sorted(substances.items())),
        "products": dict(sorted(products.items())),
        "presentations": sorted(presentations.items()),
    }
    text = json.dumps(pack, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def read_pack(path: Path) -> tuple[str, list[Row], list[str]]:
    """The release, rows and every substance name of a pack written by ``pack_payload``."""
    try:
        return read_pack_bytes(Path(path).read_bytes(), str(path))
    except FileNotFoundError:
        raise InputError(f"{path}: reference pack not found") from None


def read_pack_bytes(payload: bytes, path: str = "reference pack") -> tuple[str, list[Row], list[str]]:
    """The release, rows and every substance name of a pack's bytes."""
    try:
        pack = json.loads(gzip.decompress(payload).decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a harmonise reference pack ({exc}); rebuild it from the release CSV") from None
    if not isinstance(pack, dict) or pack.get("format") != PACK_FORMAT:
        found = pack.get("format") if isinstance(pack, dict) else type(pack).__name__
        raise InputError(
            f"{path}: not a reference pack this harmonise reads (format {found!r}, expected {PACK_FORMAT!r})"
        )
    substances, products = pack["substances"], pack["products"]
    rows = [
        Row(code, name, substances.get(code[:9], ""), products.get(code[:11], ""))
        for code, name in pack["presentations"]
    ]
    return str(pack.get("release", "")), rows, list(substances.values())


def load_reference(path: Path) -> Reference:
    """A release CSV or a pack (``.json.gz``), as the matcher's lookups."""
    path = Path(path)
    if path.name.endswith(PACK_SUFFIX):
        release, rows, substances = read_pack(path)
        return reference_from_rows(rows, str(path), release, substances)
    try:
        release = release_of(path)
    except InputError:
        release = ""
    return reference_from_rows(read_release(path), str(path), release)


def shipped_pack() -> Path | None:
    """The pack that ships with harmonise (the newest release in the package), if it is installed."""
    packs = sorted(SHIPPED_DIR.glob(f"*{PACK_SUFFIX}"))
    return packs[-1] if packs else None


@lru_cache(maxsize=4)
def cached_reference(path: str, stamp: float) -> Reference:
    """``load_reference`` once per file and modification time (a run loads it once for every chapter)."""
    return load_reference(Path(path))


# ---- which reference a workspace uses -------------------------------------------------------------------

WORKSPACE_PACK = Path("reference") / f"bnf-code-information{PACK_SUFFIX}"


def reference_path(workspace: Workspace) -> Path | None:
    """The reference a workspace matches with: none when ``reference: none``; else the file named in
    ``harmonise.yaml``; else a pack built into the workspace by ``harmonise reference build``; else the
    shipped pack."""
    if workspace.reference_off:
        return None
    if workspace.reference is not None:
        return workspace.reference
    built = workspace.root / WORKSPACE_PACK
    return built if built.is_file() else shipped_pack()


def workspace_reference(workspace: Workspace) -> Reference | None:
    """The workspace's reference, loaded once per file (see ``reference_path``)."""
    path = reference_path(workspace)
    if path is None:
        return None
    try:
        stamp = path.stat().st_mtime
    except OSError:
        raise InputError(f"{path}: reference file not found (named by 'reference:' in harmonise.yaml)") from None
    return cached_reference(str(path), stamp)


@dataclass(frozen=True)
class PackBuilt:
    """What ``build_workspace_pack`` wrote: where, from which release, how many presentations."""

    target: Path
    release: str
    presentations: int
    sha256: str
    source: str


def build_workspace_pack(workspace: Workspace, release_csv: Path, user: str, release: str | None = None) -> PackBuilt:
    """``harmonise reference build``: a pack from a newer BNF Code Information release, written into the
    workspace (``reference/bnf-code-information.json.gz``, used from the next run on) and recorded in the
    audit log. The release is read completely and checked before anything is written."""
    found = release_of(release_csv, release)
    rows = read_release(release_csv)
    payload = pack_payload(rows, found)
    count = len(read_pack_bytes(payload)[1])
    if count == 0:
        raise InputError(f"{release_csv}: the release lists no presentations; nothing was written")
    target = workspace.root / WORKSPACE_PACK
    write_bytes(target, payload)
    built = PackBuilt(target, found, count, hashlib.sha256(payload).hexdigest(), Path(release_csv).name)
    data = {"release": found, "file": WORKSPACE_PACK.as_posix(), "sha256": built.sha256, "source": built.source}
    AuditLog(workspace.root / "reports" / "audit.jsonl").append(
        [("reference", {**data, "presentations": count})], user=user
    )
    return built
