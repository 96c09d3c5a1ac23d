"""Component checks of a comparison other than substances and strengths: form, release, dosing frequency,
containers and pack sizes, flags, brands and words not understood.

Each check adds to the ``Comparison``: an agreement, a veto (the names state different things) or a blocker
(something stated on one side only that can change the product, or a word not understood).
"""

from __future__ import annotations

import dataclasses
import re

from harmonise.matching.comparison import Comparison
from harmonise.matching.knowledge import Knowledge, presentation_form
from harmonise.matching.known import abbreviates, truncates
from harmonise.matching.parse import DrugKey

# Sugar free is implied on these solid forms; not on lozenges, which are sold in sugared and sugar-free versions
SOLID = ("tablets", "capsules", "pessaries", "suppositories", "chewing gum", "lyophilisates", "granules")
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


def form(left: DrugKey, right: DrugKey, out: Comparison, knowledge: Knowledge | None = None) -> None:
    """Forms must agree; a form on one side only is implied when the other side's container only ever
    holds that form (``Sachets 4 g`` against ``Powder sachets 4g``); a generic form (``mixture``) may be a
    form of its family (``oral suspension``), a little weaker evidence than the same form (with the national
    list, ``resolve.other_fits`` keeps it from joining one member when the list holds two)."""
    if knowledge and left.form and right.form and left.form != right.form:
        for (generic, named), specific in (((left.form, left), right.form), ((right.form, right), left.form)):
            if knowledge.same_family(generic, specific):
                if generic in knowledge.current_forms and _written_out(generic, named):
                    # today's names write "inhaler" for a pressurised inhaler, "oral liquid" for a special
                    out.blockers.append(f"form {generic} vs {specific}: a current name's {generic} is its own form")
                    return
                out.agreements.append(f"{generic} may be {specific}")
                out.softs += 1
                return
    for stated, silent in ((left, right), (right, left)):
        if stated.form and not silent.form:
            implied = {f for c in silent.container.split("+") for f in CONTAINER_FORMS.get(c, ())}
            if stated.form in implied:
                out.agreements.append(f"{stated.form} implied by {silent.container}")
                return
    one_or_both("form", left.form, right.form, out)
    if left.parenteral_word == right.parenteral_word == "infusion":  # (an injection is the form's own word)
        out.agreements.append("infusion on both sides")


def _written_out(form: str, key: DrugKey) -> bool:
    """Whether the name writes the form as today's names do: in full (``oral liquid``, ``inhaler``) or by the
    device named for it (``Evohaler``), not shortened (``Inha``, ``Liq``: read as the form's word, which the
    evidence says) nor by part of it (``Aciferol D3 2,000units/ml liquid``)."""
    words = " ".join(key.name.lower().replace("_", " ").split()).split()
    if f" {form} " in f" {' '.join(words)} ":
        return True
    # read from a shortened word or a shortened form (``Inha``, ``P/Spy`` read as pump spray)
    shortened = any(note.endswith(f" read as {word}") for note in key.notes for word in (*form.split(), form))
    return not shortened and not set(form.split()) & set(words)


def release(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    """A standard and a modified-release product differ; names of one brand where only one states the release
    (``Mizollen_Tab 10mg``, ``Mizollen 10mg modified-release tablets``) leave it in doubt (see
    ``resolve.resolves_strength``: the national list settles it when the brand has no other release). A release
    the national list gives a brand's presentation (``resolve.generic_release``) says nothing against a name of
    the same brand that states none either (``Adderall XR_Cap 10mg``, ``Adderall XR 10mg capsules``)."""
    for listed, silent in ((left, right), (right, left)):
        if listed.release_listed and not silent.release and listed.brand and listed.brand == silent.brand:
            return
    if (
        left.release != right.release
        and left.brand
        and left.brand == right.brand
        and "" in (left.release, right.release)
    ):
        out.blockers.append(f"release {left.release or right.release} stated on one side only")
    elif left.release != right.release:
        out.vetoes.append(f"release differs: {left.release or 'standard'} vs {right.release or 'standard'}")
    elif left.release_words and right.release_words and left.release_words != right.release_words:
        lw, rw = " ".join(left.release_words), " ".join(right.release_words)
        out.vetoes.append(f"release differs: {left.release} {lw} vs {right.release} {rw}")
    elif left.release:
        said = " ".join(sorted({*left.release_words, *right.release_words}))
        out.agreements.append(f"{left.release} = {right.release}" + (f" ({said})" if said else ""))


def frequency(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    """Once-daily and twice-daily products are different products; one stated on one side only is a doubt."""
    one_or_both("dosing frequency", left.frequency, right.frequency, out)


# A device, a refill and a cartridge of one medicine are different products (an insulin pen and its cartridge, a
# pre-filled syringe and a vial): these containers must be stated alike on both sides to be automatic.
DEVICES = frozenset({"pre-filled syringes", "pre-filled disposable devices", "pre-filled oral syringes", "cartridges"})


def containers(left: DrugKey, right: DrugKey, out: Comparison, knowledge: Knowledge | None = None) -> None:
    """Containers: a conflict vetoes; a device or refill stated on one side only leaves the pair in doubt, and
    so does a container the national list holds one product of this form with and without
    (``derived.container_forms``: sachets of an oral suspension, powder of an injection); any other container
    on one side only (vials, bottles) lowers the score a little."""
    ls, rs = set(filter(None, left.container.split("+"))), set(filter(None, right.container.split("+")))
    separates = knowledge.container_forms if knowledge else {}
    forms = {key.form for key in (left, right) if key.form}
    # a unit dose is judged with its fill volume (``unit_dose``), not as a container alone
    told_apart = {c for c in ls ^ rs if c != UNIT_DOSE and forms & set(separates.get(c, ()))}
    one_sided = sorted(((ls ^ rs) & DEVICES) | told_apart)
    if one_sided and (ls <= rs or rs <= ls):
        out.blockers.append(f"container {' + '.join(one_sided)} stated on one side only")
        return
    optional_sets("container", left.container, right.container, out)


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


UNIT_DOSE = "unit dose"
FILL_RE = re.compile(r"(?:^|/)([\d.]+)ml$")  # "0.4ml" or ".../2.5ml", never "/ml"
MAX_UNIT_FILL_ML = 5.0


def unit_dose(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    """A unit dose (``Ud``, ``0.5ml unit dose``) is another product than the multi-dose pack of the same
    strength; stated on one side only it is a doubt, unless the other side states a unit fill (a pack of
    ``0.4ml``, a strength of ``2.5mg/2.5ml`` or ``70mg/100ml``)."""
    for stated, silent in ((left, right), (right, left)):
        if is_unit_dose(stated) and not is_unit_dose(silent) and not _unit_fill(silent):
            out.blockers.append(f"{UNIT_DOSE} stated on one side only")
            return


def is_unit_dose(key: DrugKey) -> bool:
    """A unit dose: said so, or a liquid other than an injection packed in 1 ml or less (``eye dps 0.4ml``)."""
    if UNIT_DOSE in key.container.split("+"):
        return True
    small = [FILL_RE.search(text) for text in key.packs]
    return key.form != "injection" and any(0 < float(found.group(1)) <= 1.0 for found in small if found)


def packs(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    """Pack sizes; the fill volume of a unit dose on one side only is no difference (the unit dose is). A
    percentage is a dilution, not a pack (``Beclometasone 0.025% ointment 10% in White soft paraffin``): it must
    be stated on both sides, and agree."""
    ldil = " ".join(p for p in left.packs if p.endswith("%"))
    rdil = " ".join(p for p in right.packs if p.endswith("%"))
    if ldil or rdil:
        one_or_both("dilution", ldil, rdil, out)
        left = dataclasses.replace(left, packs=tuple(p for p in left.packs if not p.endswith("%")))
        right = dataclasses.replace(right, packs=tuple(p for p in right.packs if not p.endswith("%")))
    if not (left.strengths or right.strengths or left.options or right.options) and bool(left.packs) != bool(
        right.packs
    ):
        # a name whose only quantity is its volume: that volume stated on one side only is a doubt
        out.blockers.append(f"volume {' '.join(left.packs or right.packs)} stated on one side only")
        return
    if is_unit_dose(left) and is_unit_dose(right) and not (left.packs and right.packs):
        if left.packs or right.packs:
            out.agreements.append(f"unit dose of {' '.join(left.packs or right.packs)}")
        return
    lp, rp = set(left.packs), set(right.packs)
    if lp and rp and lp != rp and (lp < rp or rp < lp):
        # both state the packs, one more of them: "5ml and 2ml" ampoules are not "5ml and 5ml" (Pabrinex IM and IV)
        out.blockers.append(f"pack sizes {' '.join(left.packs)} vs {' '.join(right.packs)} differ in part")
        return
    optional_sets("pack size", "+".join(left.packs), "+".join(right.packs), out)


def _unit_fill(key: DrugKey) -> bool:
    """Whether a pack or a strength of ``key`` is a small fill in ml, as a unit dose holds."""
    packs = [FILL_RE.search(text) for text in key.packs]
    if any(0 < float(found.group(1)) <= MAX_UNIT_FILL_ML for found in packs if found):
        return True
    return any(FILL_RE.search(text) for text in key.strengths)  # 70mg/100ml: the content of one fill


# flags two names cannot each state of one product: a pack to start a treatment is not the pack to go on with it
EXCLUSIVE_FLAGS = (("starter pack", "follow-on pack"),)


def flags(left: DrugKey, right: DrugKey, out: Comparison, knowledge: Knowledge | None = None) -> None:
    """A flag on one side only: sugar free on a solid form, preservative free on unit doses, or refill where
    neither name states a device, is implied,
    unless the national list holds the form both with and without the flag (``derived.flag_forms``: sugar-free
    chewable tablets, say); any other (sugar-free against standard liquid, micronised against not) leaves the
    pair in doubt."""
    separates = knowledge.flag_forms if knowledge else {}
    for one, other in EXCLUSIVE_FLAGS:
        for a, b in ((left.flags, right.flags), (right.flags, left.flags)):
            if one in a and other in b and other not in a and one not in b:
                out.vetoes.append(f"pack differs: {one} vs {other}")
                return
    for flag in sorted(set(left.flags) ^ set(right.flags)):
        solid = all(any(s in key.form for s in SOLID) for key in (left, right) if key.form)
        unit_dose = "unit dose" in left.container or "unit dose" in right.container
        told_apart = any(
            presentation_form(key.form, key.container) in separates.get(flag, ()) for key in (left, right) if key.form
        )
        implied = (
            (flag == "sugar free" and solid)
            or (flag == "preservative free" and unit_dose)
            or (flag == "refill" and "with device" not in (*left.flags, *right.flags))
        )
        if implied and not told_apart:
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


def _flavours(left: DrugKey, right: DrugKey, knowledge: Knowledge, out: Comparison) -> tuple[set[str], set[str]]:
    """Residual words less descriptive words (and the words a strength says, when both state one); a flavour
    on one side only is a doubt of its own (the flavours of two sides that both state one are left to
    ``residual``, where they must agree)."""
    ignored = knowledge.descriptive | (knowledge.said_by_strength if left.strengths and right.strengths else set())
    lwords = {_unstopped(w) for w in left.residual} - ignored
    rwords = {_unstopped(w) for w in right.residual} - ignored
    lf, rf = lwords & knowledge.flavours, rwords & knowledge.flavours
    if bool(lf) != bool(rf):
        out.blockers.append(f"flavour {' '.join(sorted(lf | rf))} stated on one side only")
        return lwords - lf, rwords - rf
    return lwords, rwords


def _unstopped(word: str) -> str:
    """A word written with stops is the word without them (``L.S.``, ``LS``; ``No.7``, ``No7``); a number keeps
    its decimal point."""
    return word.replace(".", "") if re.search(r"[a-z]", word) else word


def _strength_numbers(stated: DrugKey, silent: DrugKey) -> set[str]:
    """The number of ``stated``'s one strength, when ``silent`` states none: the number a brand carries in its
    name (``Qvar 50 inhaler`` against ``Qvar 50_Inha 50mcg``) is that strength (see ``compare``)."""
    if len(stated.strengths) != 1 or silent.strengths or silent.options:
        return set()
    found = re.match(r"\d+(?:\.\d+)?", stated.strengths[0])
    return {found.group(0)} if found else set()


def _brand_words(words: set[str], brand: str) -> set[str]:
    """Those of ``words`` the other side's brand states: a word of it, or one cut short (``Lloyds_Vit C`` against
    the brand ``Lloydspharmacy Vitamin C``: the maker's name as the older name wrote it)."""
    held = brand.split()
    return {w for w in words if any(truncates(w, b) for b in held)}


def residual(left: DrugKey, right: DrugKey, knowledge: Knowledge, out: Comparison) -> None:
    """Words not understood must be on both sides (or be the other side's brand); one side only is doubt."""
    lwords: set[str]
    rwords: set[str]
    if out.details.get("same_name_words"):  # the words, a flavour too, were compared with the names
        lwords, rwords = set(), set()
    else:
        lwords, rwords = _flavours(left, right, knowledge, out)
    ls = lwords - rwords - _brand_words(lwords, right.brand) - _strength_numbers(right, left)
    rs = rwords - lwords - _brand_words(rwords, left.brand) - _strength_numbers(left, right)
    ls = {w for w in ls if not any(abbreviates(w, x) or abbreviates(x, w) for x in rs)}
    rs = {w for w in rs if not any(abbreviates(w, x) or abbreviates(x, w) for x in lwords)}
    shared = sorted((lwords & rwords) | _brand_words(lwords, right.brand) | _brand_words(rwords, left.brand))
    if shared:
        out.agreements.append(f"{' '.join(shared)} on both sides")
    if ls or rs:
        out.blockers.append(f"words not understood: {' '.join(sorted(ls)) or '-'} / {' '.join(sorted(rs)) or '-'}")
