"""The notes and NICE TA references of an item, merged from its legacy entries for the published chapter.

Several formularies often say the same thing about a medicine, each in its own hand. The published chapter says
it once, and never drops what only one of them says:

* a note is split at ``;`` and line breaks, and two parts are the same note only when they read the same once
  case, spacing and trailing punctuation are set aside (``Lipid clinic only.`` and ``lipid clinic only``); one
  note contained in another (``Lipid clinic`` in ``Lipid clinic only``) is *not* the same note: the word left
  over may change what it says, so both are kept, each as its formulary wrote it;
* a NICE technology appraisal is written ``TA420``, whatever the spelling (``TA 420``, ``ta420``,
  ``TA-420``); a cell that lists references only (``TA236, TA420``) gives each one, a cell with words beside
  the reference (``TA223 not recommended``) is kept whole, references normalised; the result is deduplicated
  and sorted by appraisal number (``TA236; TA420``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from harmonise.workspace import TA_ID

PARTS = re.compile(r"\s*(?:;|\r?\n)\s*")
TRAILING = ".,;:!"
REFERENCES_ONLY = re.compile(rf"(?:{TA_ID.pattern}\s*(?:,|/|&|\band\b)?\s*)+", re.I)
UNNUMBERED = 1_000_000  # a part without a reference sorts after every appraisal


def same_note_key(text: str) -> str:
    """What two notes must share to be the same note: their words, whatever the case, spacing or final stop."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split()).rstrip(TRAILING + " ")


def merge_notes(values: Iterable[str]) -> str:
    """Every distinct note of ``values`` once, in the order first written, joined with ``; ``."""
    return "; ".join(_distinct(part for value in values for part in PARTS.split(value or "")))


def _distinct(parts: Iterable[str]) -> list[str]:
    kept: dict[str, str] = {}
    for part in parts:
        text = " ".join(part.split())
        if same_note_key(text):
            kept.setdefault(same_note_key(text), text)
    return list(kept.values())


def normalised_references(text: str) -> str:
    """``ta 420 not recommended`` -> ``TA420 not recommended``."""
    return TA_ID.sub(lambda found: f"TA{int(found[1])}", " ".join(text.split()))


def reference_parts(value: str) -> list[str]:
    """The parts of one NICE TA cell: each reference of a list of references, else each part kept whole."""
    parts = []
    for part in PARTS.split(value or ""):
        if REFERENCES_ONLY.fullmatch(part.strip()):
            parts += [f"TA{int(found[1])}" for found in TA_ID.finditer(part)]
        else:
            parts.append(normalised_references(part))
    return parts


def merge_nice_ta(values: Iterable[str]) -> str:
    """The NICE TA references of every entry: normalised, deduplicated, sorted by appraisal number."""
    parts = _distinct(part for value in values for part in reference_parts(value))
    return "; ".join(sorted(parts, key=_appraisal_order))


def _appraisal_order(part: str) -> tuple[int, str]:
    found = TA_ID.search(part)
    return (int(found[1]) if found else UNNUMBERED, part.casefold())
