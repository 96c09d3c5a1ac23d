"""Component checks of a comparison other than substances and strengths: form, release, dosing frequency,
containers and pack sizes, flags, brands and words not understood.

Each check adds to the ``Comparison``: an agreement, a veto (the names state different things) or a blocker
(something stated on one side only that can change the product, or a word not understood).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harmonise.match_known import abbreviates
from harmonise.normalise import DrugKey

if TYPE_CHECKING:
    from harmonise.match_compare import Comparison

SOLID = ("tablets", "capsules", "lozenges", "pessaries", "suppositories", "chewing gum")
# a container that only ever holds forms of one family: a name stating the container but no form
CONTAINER_FORMS = {
    "pre-filled syringes": ("injection",),
    "pre-filled disposable devices": ("injection",),
    "cartridges": ("injection",),
    "sachets": ("oral powder", "granules", "effervescent granules"),
}


def one_or_both(name: str, lv: str, rv: str, out: Comparison, veto: bool = True) -> None:
    """Equal: an agreement; both stated and different: a veto (or blocker); one side only: a blocker."""
    if lv == rv:
        if lv:
            out.agreements.append(f"{lv} = {rv}")
    elif lv and rv:
        (out.vetoes if veto else out.blockers).append(f"{name} differs: {lv} vs {rv}")
    else:
        out.blockers.append(f"{name} {lv or rv} stated on one side only")


def form(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    """Forms must agree; a form on one side only is implied when the other side's container only ever
    holds that form (``Sachets 4 g`` against ``Powder sachets 4g``)."""
    for stated, silent in ((left, right), (right, left)):
        if stated.form and not silent.form:
            implied = {f for c in silent.container.split("+") for f in CONTAINER_FORMS.get(c, ())}
            if stated.form in implied:
                out.agreements.append(f"{stated.form} implied by {silent.container}")
                return
    one_or_both("form", left.form, right.form, out)


def release(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    if left.release != right.release:
        out.vetoes.append(f"release differs: {left.release or 'standard'} vs {right.release or 'standard'}")
    elif left.release:
        out.agreements.append(f"{left.release} = {right.release}")


def frequency(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    """Once-daily and twice-daily products are different products; one stated on one side only is a doubt."""
    one_or_both("dosing frequency", left.frequency, right.frequency, out)


def optional_sets(name: str, lv: str, rv: str, out: Comparison) -> None:
    """Containers and pack sizes: a conflict vetoes; stated on one side only lowers the score a little."""
    ls, rs = set(filter(None, lv.split("+"))), set(filter(None, rv.split("+")))
    if ls == rs:
        if ls:
            out.agreements.append(f"{lv} = {rv}")
    elif ls and rs and not (ls <= rs or rs <= ls):
        out.vetoes.append(f"{name} differs: {lv} vs {rv}")
    else:
        out.softs += 1


def flags(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    """A flag on one side only: sugar free on a solid form, or preservative free on unit doses, is implied;
    any other (sugar-free against standard liquid, micronised against not) leaves the pair in doubt."""
    for flag in sorted(set(left.flags) ^ set(right.flags)):
        solid = all(any(s in key.form for s in SOLID) for key in (left, right) if key.form)
        unit_dose = "unit dose" in left.container or "unit dose" in right.container
        if (flag == "sugar free" and solid) or (flag == "preservative free" and unit_dose):
            out.softs += 1
        else:
            out.blockers.append(f"{flag} on one side only")


def brands(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    """Two different brands named on both sides (``Ozempic`` and ``Wegovy``) leave the pair in doubt."""
    if left.brand and right.brand:
        if left.brand == right.brand:
            out.agreements.append(f"brand {left.brand} on both sides")
        else:
            out.blockers.append(f"brands differ: {left.brand} vs {right.brand}")


def residual(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    """Words not understood must be on both sides (or be the other side's brand); one side only is doubt."""
    lwords, rwords = set(left.residual), set(right.residual)
    ls = lwords - rwords - set(right.brand.split())
    rs = rwords - lwords - set(left.brand.split())
    ls = {w for w in ls if not any(abbreviates(w, x) or abbreviates(x, w) for x in rs)}
    rs = {w for w in rs if not any(abbreviates(w, x) or abbreviates(x, w) for x in lwords)}
    shared = sorted((lwords & rwords) | (lwords & set(right.brand.split())) | (rwords & set(left.brand.split())))
    if shared:
        out.agreements.append(f"{' '.join(shared)} on both sides")
    if ls or rs:
        out.blockers.append(f"words not understood: {' '.join(sorted(ls)) or '-'} / {' '.join(sorted(rs)) or '-'}")
