"""Strengths and quantities in medicine names: tokens, unit conversion and canonical text.

``500micrograms``, ``0.5mg`` and ``500 mcg`` all become ``0.5mg``; ``2.5g/5ml`` becomes ``500mg/ml`` for oral
liquids (a 5 ml spoon is a convention, not a pack), while ``10mg/0.2ml`` stays as written because for an
injection the volume is the fill of the syringe. Ratio strengths (``10/5mg``, ``30/500``) split into one
strength per component when the name has several substances.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"

# unit spelling -> (canonical unit, factor to the canonical unit)
UNITS: dict[str, tuple[str, float]] = {
    "mg": ("mg", 1.0),
    "milligram": ("mg", 1.0),
    "milligrams": ("mg", 1.0),
    "g": ("mg", 1000.0),
    "gram": ("mg", 1000.0),
    "grams": ("mg", 1000.0),
    "gm": ("mg", 1000.0),
    "kg": ("mg", 1e6),
    "mcg": ("mg", 1e-3),
    "microgram": ("mg", 1e-3),
    "micrograms": ("mg", 1e-3),
    "microg": ("mg", 1e-3),
    "ug": ("mg", 1e-3),
    "µg": ("mg", 1e-3),
    "μg": ("mg", 1e-3),
    "nanogram": ("mg", 1e-6),
    "nanograms": ("mg", 1e-6),
    "ng": ("mg", 1e-6),
    "ml": ("ml", 1.0),
    "mls": ("ml", 1.0),
    "millilitre": ("ml", 1.0),
    "millilitres": ("ml", 1.0),
    "l": ("ml", 1000.0),
    "litre": ("ml", 1000.0),
    "litres": ("ml", 1000.0),
    "unit": ("unit", 1.0),
    "units": ("unit", 1.0),
    "u": ("unit", 1.0),
    "iu": ("unit", 1.0),
    "million units": ("unit", 1e6),
    "million unit": ("unit", 1e6),
    "million": ("unit", 1e6),
    # legacy names write million units as mega units: "25mu/ml", "6mega u/ml"
    "mega u": ("unit", 1e6),
    "mega units": ("unit", 1e6),
    "megaunits": ("unit", 1e6),
    "mu": ("unit", 1e6),
    "mmol": ("mmol", 1.0),
    "micromol": ("mmol", 1e-3),
    "%": ("%", 1.0),
    "hour": ("hour", 1.0),
    "hours": ("hour", 1.0),
    "hr": ("hour", 1.0),
    "hrs": ("hour", 1.0),
    "h": ("hour", 1.0),
    "application": ("dose", 1.0),
    "applic": ("dose", 1.0),
    "dose": ("dose", 1.0),
    "doses": ("dose", 1.0),
    "actuation": ("dose", 1.0),
    "spray": ("dose", 1.0),
    # "Colecalciferol 200units/drop oral drops": one drop is the dose a strength of drops may be per
    "drop": ("dose", 1.0),
    "day": ("day", 1.0),
    "days": ("day", 1.0),
    "cm": ("cm", 1.0),
    "mm": ("cm", 0.1),
}
# short units must not run into a following letter ("5g" yes, "5gran" no)
_SHORT = {
    "g",
    "l",
    "u",
    "iu",
    "h",
    "hr",
    "hrs",
    "ug",
    "ng",
    "gm",
    "mm",
    "cm",
    "kg",
    "million",
    "mu",
    "mls",
    "hour",
    "hours",
    "dose",
    "doses",
    "drop",
    "unit",
    "units",
    "day",
    "days",
    "application",
    "applic",
}
_UNIT_ALTS = sorted(UNITS, key=len, reverse=True)
UNIT_RE = (
    "(?>"
    + "|".join(re.escape(u).replace(r"\ ", r"\s*") + ("(?![a-z])" if u in _SHORT else "") for u in _UNIT_ALTS)
    + ")"
)
QUANTITY_RE = re.compile(
    rf"(?P<num>{NUMBER})(?:\s*(?P<unit>{UNIT_RE}))?(?:\s*-\s*(?P<num2>{NUMBER})\s*(?P<unit2>{UNIT_RE})?)?"
)
PER_WORDS = frozenset(
    {
        "ml",
        "g",
        "dose",
        "hour",
        "hours",
        "hr",
        "hrs",
        "h",
        "actuation",
        "spray",
        "drop",
        "litre",
        "l",
        "kg",
        "day",
        "application",
        "applic",
    }
)
ONE_IN_RE = re.compile(rf"^1\s*in\s*({NUMBER})$")


@dataclass(frozen=True)
class Quantity:
    """A number with a canonical unit, optionally per an amount of another unit (``250mg/5ml``)."""

    value: float
    unit: str = ""
    per_value: float = 0.0
    per_unit: str = ""
    upper: float = 0.0  # the top of a range such as 3.1-3.7g

    def text(self, oral_per_volume: bool = True) -> str:
        """Canonical text; per 1 ml or 5 ml becomes per ml when ``oral_per_volume``."""
        value, per_value = self.value, self.per_value
        if self.per_unit == "dose":
            per_value = 0.0
        if self.unit == "mg" and self.per_unit == "mg" and per_value and not self.upper:
            return f"{_num(100 * value / per_value)}%"  # 3micrograms/g is 0.0003% w/w
        if self.unit == "unit" and self.per_unit == "mg" and per_value == 1000.0:
            return _amount(value, self.unit)  # 100,000units/g: a cream's units are always per gram
        upper = self.upper
        if self.per_unit == "ml" and oral_per_volume and per_value in (1.0, 5.0):
            value, upper, per_value = value / per_value, upper / per_value, 1.0
        amount = _amount(value, self.unit)
        if upper:
            amount = f"{_amount(value, self.unit)}-{_amount(upper, self.unit)}"
        if not self.per_unit or self.per_unit == "dose":
            return amount
        per = "" if per_value == 1.0 else _amount(per_value, self.per_unit)
        return f"{amount}/{per or self.per_unit}"


def _num(value: float) -> str:
    return f"{round(value, 9):.10g}"


def _amount(value: float, unit: str) -> str:
    """``0.5`` mg -> ``500microgram``; ``1000`` mg -> ``1g``: one spelling per amount, as pharmacists write it."""
    if unit == "mg" and 0 < value < 1:
        return _num(value * 1000) + "microgram"
    if unit == "mg" and value >= 1000:
        return _num(value / 1000) + "g"
    return _num(value) + unit


def to_number(text: str) -> float:
    """``1,000`` -> 1000.0, ``.5`` -> 0.5."""
    return float(text.replace(",", ""))


def quantity(num: str, unit: str | None, num2: str | None = None, unit2: str | None = None) -> Quantity:
    """A ``Quantity`` from a regex match's parts, converting to the canonical unit."""
    spelled = " ".join((unit or unit2 or "").lower().split())
    canonical, factor = UNITS.get(spelled, ("", 1.0))
    if spelled.startswith(("million", "mega", "mu")) and canonical == "unit":
        factor = 1e6
    upper = to_number(num2) * factor if num2 else 0.0
    return Quantity(to_number(num) * factor, canonical, upper=upper)


def per(q: Quantity, per_q: Quantity) -> Quantity:
    """``q`` per ``per_q`` (``250mg`` per ``5ml``)."""
    return Quantity(q.value, q.unit, per_q.value or 1.0, per_q.unit, q.upper)


def is_per_denominator(q: Quantity, has_number: bool, substances: int = 1) -> bool:
    """Whether the part after a slash is a denominator (``/5ml``, ``/g``, ``/24hours``) or a second strength."""
    if q.unit in ("ml", "dose", "hour", "day"):
        return True
    if not has_number:
        return True
    return substances <= 1 and q.unit == "mg" and q.value == 1000.0  # per 1g


def one_in(text: str) -> Quantity | None:
    """``1 in 1,000`` (1 g in 1000 ml) as mg/ml, or None."""
    found = ONE_IN_RE.match(text.strip())
    if not found:
        return None
    return Quantity(1000.0 / to_number(found.group(1)), "mg", 1.0, "ml")


CANONICAL_RE = re.compile(
    r"^(?P<value>\d+(?:\.\d+)?(?:e[-+]?\d+)?)(?P<unit>microgram|mg|g|unit|mmol|ml|%)"
    r"(?:/(?P<per_value>\d+(?:\.\d+)?(?:e[-+]?\d+)?)?(?P<per_unit>ml))?$"
)
CANONICAL_FACTORS = {"microgram": ("mg", 1e-3), "g": ("mg", 1000.0)}
# a content computed as a concentration times its fill is rounded by the name it came from ("70mg/ml 1.7ml" is
# 119mg/1.7ml, sold as 120mg/1.7ml): contents of the same fill that differ by less than this are one content
ROUNDING = 0.01


@lru_cache(maxsize=16384)  # a chapter's few hundred strengths, read for each of thousands of pairs
def read_canonical(text: str) -> Quantity | None:
    """The ``Quantity`` a canonical strength text (``300mg/3ml``, ``100mg/ml``, ``0.05%``, ``1g``) stands for;
    None for what this does not read (ranges, per-dose or per-time strengths)."""
    found = CANONICAL_RE.match(text)
    if not found:
        return None
    unit, factor = CANONICAL_FACTORS.get(found["unit"], (found["unit"], 1.0))
    value = float(found["value"]) * factor
    if not found["per_unit"]:
        return Quantity(value, unit)
    return Quantity(value, unit, float(found["per_value"] or 1.0), "ml")


def _close(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b)) + 1e-12


def _concentration(q: Quantity) -> tuple[float, str] | None:
    """Amount per ml (a percentage as mg per ml: 1% w/v is 10mg/ml), or None for a plain amount."""
    if q.unit == "%" and not q.per_unit:
        return q.value * 10.0, "mg"
    if q.per_unit == "ml" and q.per_value and q.unit in ("mg", "unit", "mmol"):
        return q.value / q.per_value, q.unit
    return None


def _fill(q: Quantity, packs: tuple[str, ...]) -> float:
    """The fill a content is per (``300mg/3ml``: 3), 0 for a concentration; per ml is a 1ml fill only when the
    name says so (``25mg/1ml``, see ``stated_packs``). A content per dose in a larger fill the name states
    (``6million units/0.5ml inj 1.5ml cartridges``) is that fill's."""
    if q.per_unit != "ml":
        return 0.0
    larger = {v for v in (_ml(text) for text in packs) if v > q.per_value}
    if len(larger) == 1 and q.per_value and q.per_value != 1.0:  # per ml is a concentration, not a dose
        return larger.pop()
    return q.per_value if q.per_value != 1.0 or "1ml" in packs else 0.0


def _ml(text: str) -> float:
    """The volume of a pack text in ml (``1.5ml``: 1.5), 0 for any other pack."""
    found = re.fullmatch(r"(\d+(?:\.\d+)?)ml", text)
    return float(found.group(1)) if found else 0.0


def other_fills(left: str, right: str, left_packs: tuple[str, ...], right_packs: tuple[str, ...]) -> bool:
    """Whether two strength texts are contents of two different stated fills (``1mg/10ml``, ``100microgram/ml``
    of a name that says ``1ml``)."""
    lq, rq = read_canonical(left), read_canonical(right)
    if lq is None or rq is None:
        return False
    lfill, rfill = _fill(lq, left_packs), _fill(rq, right_packs)
    return bool(lfill and rfill and lfill != rfill)


@lru_cache(maxsize=8192)  # asked of a pair by ``strengths_clash`` and again by ``compare``
def restated(left: str, right: str, left_packs: tuple[str, ...], right_packs: tuple[str, ...]) -> tuple[str, str]:
    """Two different strength texts that may state one strength another way: ``("agree", why)`` when they do
    (``0.02%`` = ``10mg/50ml`` in 50ml vials; ``119mg/1.7ml`` = ``120mg/1.7ml``, a computed content rounded),
    ``("doubt", why)`` when they agree but for a volume only one name states (``300mg/3ml`` against
    ``100mg/ml``: the other may be another fill; ``400mg/50ml`` against ``400mg``: the volume of a powder's
    diluent or a fill), ``("", "")`` when they are different strengths."""
    lq, rq = read_canonical(left), read_canonical(right)
    if lq is None or rq is None:
        return "", ""
    for a, b in ((lq, rq), (rq, lq)):
        if not a.per_unit and a.unit != "%" and b.per_unit == "ml" and a.unit == b.unit and _close(a.value, b.value, 0):
            return (
                "doubt",
                f"strength {left} vs {right}: the volume {_amount(b.per_value, 'ml')} is stated on one side only",
            )
    lc, rc = _concentration(lq), _concentration(rq)
    if lc is None or rc is None or lc[1] != rc[1]:
        return "", ""
    lfill, rfill = _fill(lq, left_packs), _fill(rq, right_packs)
    if lfill and rfill and lfill != rfill:
        return "", ""  # another fill is another product
    if not _close(lc[0], rc[0], ROUNDING if (lfill or rfill) else 1e-9):
        return "", ""
    if lfill == rfill:
        why = "the same concentration" if not lfill else "the same content, rounded"
        if lfill and lq.per_value != rq.per_value:  # one a content per dose of the fill the other holds
            why = f"the same concentration in {_amount(lfill, 'ml')}"
        return "agree", f"{left} = {right} ({why})"
    fill, packs = (lfill, right_packs) if lfill else (rfill, left_packs)
    volume = _amount(fill, "ml")
    if volume in packs:
        return "agree", f"{left} = {right} (the same concentration in {volume})"
    return "doubt", f"strength {left} vs {right}: the fill {volume} is stated on one side only"


ONE_ML_RE = re.compile(r"(?:/|\s)1\s?ml\b")


@lru_cache(maxsize=8192)  # asked of a name for each name it is compared with
def stated_packs(name: str, packs: tuple[str, ...]) -> tuple[str, ...]:
    """The pack sizes a name states, with a 1ml fill the canonical strength hides (``25mg/1ml`` reads as
    ``25mg/ml``): what ``restated`` needs to tell a concentration from the content of a 1ml fill."""
    return (*packs, "1ml") if ONE_ML_RE.search(name.lower()) else packs


PER_VOLUME_RE = re.compile(rf"(?P<num>{NUMBER})\s*(?P<unit>{UNIT_RE})\s*/\s*(?P<pnum>{NUMBER})?\s*(?P<punit>ml)\b")


def written_per_volume(name: str) -> frozenset[str]:
    """The strengths per volume a name states as it writes them, units spelled one way (``500mg/5ml``,
    ``50microgram/ml``), which the canonical strength makes per ml (``100mg/ml``): two current products of
    one concentration written two ways (``Paracetamol 500mg/5ml oral solution`` and ``... 100mg/ml ...``)
    are told apart by how a name writes it."""
    out = set()
    for found in PER_VOLUME_RE.finditer(name.lower()):
        amount = quantity(found["num"], found["unit"])
        volume = quantity(found["pnum"] or "1", found["punit"])
        if amount.unit and amount.unit != "ml":
            out.add(per(amount, volume).text(oral_per_volume=False))
    return frozenset(out)
