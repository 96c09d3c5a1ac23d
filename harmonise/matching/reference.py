"""The optional NHSBSA "BNF Code Information" reference: BNF codes for presentation names.

A branded presentation's code maps to its generic equivalent as ``code[:9] + "AA" + code[13:15] * 2``
(a brand ending ``A0`` has none); generic codes have ``AA`` at characters 10-11. Two names whose generic
codes are equal are the same generic product, which lets the matcher join brands to generics it has no
synonym for. Brand product names (``Istin`` -> ``Amlodipine``) also extend the shipped brand list.
The file is an input the user downloads; harmonise never needs it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from harmonise.errors import InputError, did_you_mean

REQUIRED = ("BNF Presentation", "BNF Presentation Code", "BNF Chemical Substance", "BNF Product")
WITHDRAWN = "mdr bnf code - do not use"
NOT_A_DRUG = re.compile(r"^other |proprietary|enteral|nutrition|food|dressing|appliance|bandage|stoma")


@dataclass(frozen=True)
class Reference:
    """Presentation names (lower case, single-spaced) to BNF codes, brand names to substances, and every
    chemical substance named (lower case, one entry per component of a combination)."""

    path: str
    codes: Mapping[str, str]
    names: Mapping[str, str]
    brands: Mapping[str, tuple[str, ...]]
    substances: frozenset[str] = field(default_factory=frozenset)

    def code_for(self, name: str) -> str:
        """The BNF presentation code of ``name`` ('' when unknown or ambiguous)."""
        return self.codes.get(name_key(name), "")

    def generic_for(self, name: str) -> str:
        """The generic-equivalent BNF code of ``name`` ('' when unknown or when it has none)."""
        return generic_code(self.code_for(name))


def name_key(name: str) -> str:
    """Lookup key of a presentation name: lower case, single spaces."""
    return " ".join(str(name).lower().split())


def generic_code(code: str) -> str:
    """The generic equivalent of a 15-character BNF presentation code ('' when it has none)."""
    if len(code) != 15:
        return ""
    if code[9:11] == "AA":
        return code
    if code.endswith("A0"):
        return ""
    return code[:9] + "AA" + code[13:15] + code[13:15]


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


def load_reference(path: Path) -> Reference:
    """Load the NHSBSA BNF Code Information CSV at ``path`` (about 55,000 rows, read with ``csv``)."""
    path = Path(path)
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    brands: dict[str, tuple[str, ...]] = {}
    substances: set[str] = set()
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip() for h in next(reader, [])]
            _check_header(path, header)
            col = {name: header.index(name) for name in REQUIRED}
            for row in reader:
                if len(row) < len(header):
                    continue
                _add_row(row, col, codes, names, brands)
                substances.add(row[col["BNF Chemical Substance"]])
    except FileNotFoundError:
        raise InputError(f"{path}: reference file not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, expected the BNF Code Information CSV") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise InputError(f"{path}: not valid CSV ({exc})") from None
    found = {part for text in substances if not NOT_A_DRUG.search(text.lower()) for part in _brand_substances(text)}
    return Reference(str(path), {k: v for k, v in codes.items() if v}, names, brands, frozenset(found))


def _add_row(
    row: list[str],
    col: dict[str, int],
    codes: dict[str, str],
    names: dict[str, str],
    brands: dict[str, tuple[str, ...]],
) -> None:
    name = row[col["BNF Presentation"]].strip()
    code = row[col["BNF Presentation Code"]].strip()
    key = name_key(name)
    if len(code) != 15 or key == WITHDRAWN:
        return
    codes[key] = code if codes.get(key, code) == code else ""  # one name, two codes: ambiguous
    names.setdefault(code, name)
    product = name_key(row[col["BNF Product"]])
    substance = row[col["BNF Chemical Substance"]].strip()
    if code[9:11] != "AA" and product and len(product.split()) <= 3 and not re.search(r"\d", product):
        found = _brand_substances(substance)
        if found and not NOT_A_DRUG.search(substance.lower()) and product not in found:
            brands.setdefault(product, found)
