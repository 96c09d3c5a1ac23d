"""Compare two parsed names component by component: what agrees, what vetoes an automatic match.

Vetoes (a different product): substances, salts stated on both sides, strengths, ratio, form, release,
container or pack size that differ; a combination against a single substance; a look-alike/sound-alike pair;
BNF codes that differ. Blockers (not enough to be sure): something stated on one side only that can change
the product (a flag such as sugar free, a salt that matters, a strength, a form) or words not understood.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from harmonise.knowledge import Knowledge
from harmonise.normalise import DrugKey
from harmonise.reference import generic_code, name_key

HYDRATION = {"monohydrate", "trihydrate", "dihydrate", "anhydrous", "base", "hemihydrate"}
LEVEL_SCORES = {"exact": 100.0, "confirmed": 100.0, "reference": 99.0, "normalised": 98.0, "synonym": 96.0}


@dataclass
class Comparison:
    """The outcome of comparing two names; ``text`` is the pharmacist-readable line."""

    level: str = "fuzzy"
    score: float = 0.0
    vetoes: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    agreements: list[str] = field(default_factory=list)
    softs: int = 0
    joined_by: list[str] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)

    @property
    def auto_eligible(self) -> bool:
        return self.level in LEVEL_SCORES and not self.vetoes and not self.blockers

    @property
    def text(self) -> str:
        parts = list(self.agreements)
        parts += [f"VETO {v}" for v in self.vetoes]
        parts += [f"not sure: {b}" for b in self.blockers]
        head = "exact same name" if self.level == "exact" else f"{self.level}"
        if self.level == "fuzzy":
            head = f"fuzzy {self.score:.0f}"
        return f"{head}: " + "; ".join(parts) if parts else head


def abbreviates(short: str, full: str) -> bool:
    """Whether word ``short`` is a legacy abbreviation of ``full`` (truncation or letters dropped)."""
    if short == full:
        return True
    if len(short) >= len(full) or short[:2] != full[:2]:
        return False
    if len(short) >= 4 and full.startswith(short):
        return True
    if len(short) < 5:
        return False
    pos = 0
    for char in short:
        pos = full.find(char, pos) + 1
        if not pos:
            return False
    return True


def same_substance(a: str, b: str) -> bool:
    """Substances equal word by word, allowing an abbreviated word on either side."""
    aw, bw = a.split(), b.split()
    return len(aw) == len(bw) and all(abbreviates(x, y) or abbreviates(y, x) for x, y in zip(aw, bw))


def _pair_substances(left: DrugKey, right: DrugKey) -> list[tuple[str, str]] | None:
    rest = sorted(set(right.substances))
    pairs = []
    for a in sorted(set(left.substances)):
        match = a if a in rest else next((b for b in rest if same_substance(a, b)), None)
        if match is None:
            return None
        rest.remove(match)
        pairs.append((a, match))
    return pairs if not rest else None


def _substances(left: DrugKey, right: DrugKey, knowledge: Knowledge, out: Comparison) -> None:
    for a in left.substances:
        for b in right.substances:
            if frozenset((a, b)) in knowledge.lasa_pairs:
                out.vetoes.append(f"look-alike/sound-alike pair {a} / {b}")
    pairs = _pair_substances(left, right)
    if pairs is None:
        if not left.substances or not right.substances:
            out.blockers.append("substance not recognised on one side")
        elif len(set(left.substances)) != len(set(right.substances)):
            out.vetoes.append(f"combination differs: {' + '.join(left.substances)} vs {' + '.join(right.substances)}")
        else:
            out.vetoes.append(f"substance differs: {' + '.join(left.substances)} vs {' + '.join(right.substances)}")
        return
    for a, b in pairs:
        note = "" if a == b else f" ({a} read as {b})" if len(a) < len(b) else f" ({b} read as {a})"
        if a != b:
            out.joined_by.append("abbreviation")
        out.agreements.append(f"same substance {max(a, b, key=len)}{note}{_salts(a, b, left, right, knowledge, out)}")


def _salts(a: str, b: str, left: DrugKey, right: DrugKey, knowledge: Knowledge, out: Comparison) -> str:
    ls = set(dict(left.salts).get(a, "").split()) - HYDRATION
    rs = set(dict(right.salts).get(b, "").split()) - HYDRATION
    if ls == rs:
        return f" {' '.join(sorted(ls))}" if ls else ""
    if ls and rs and not (ls <= rs or rs <= ls):
        out.vetoes.append(f"salt differs: {' '.join(sorted(ls))} vs {' '.join(sorted(rs))}")
        return ""
    significant = a in knowledge.salt_significant or a.split()[0] in knowledge.salt_significant
    stated = " ".join(sorted(ls ^ rs))
    if significant:
        out.blockers.append(f"salt {stated} stated on one side only and it matters for {a}")
        return ""
    return f" ({stated} ignored)"


def _one_or_both(name: str, lv: str, rv: str, out: Comparison, veto: bool = True) -> None:
    if lv == rv:
        if lv:
            out.agreements.append(f"{lv} = {rv}")
    elif lv and rv:
        (out.vetoes if veto else out.blockers).append(f"{name} differs: {lv} vs {rv}")
    else:
        out.blockers.append(f"{name} {lv or rv} stated on one side only")


def _strengths(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    ls, rs = sorted(left.strengths), sorted(right.strengths)
    if ls != rs and ls and rs and len(ls) == len(rs):
        if set(ls) <= set(rs) | set(right.strength_alts) or set(rs) <= set(ls) | set(left.strength_alts):
            out.agreements.append(f"{' '.join(ls)} = {' '.join(rs)} (stated equivalent)")
            return
    _one_or_both("strength", " ".join(ls), " ".join(rs), out)
    if left.ratio or right.ratio:
        _one_or_both("ratio", left.ratio, right.ratio, out)


def _release(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    if left.release != right.release:
        out.vetoes.append(f"release differs: {left.release or 'standard'} vs {right.release or 'standard'}")
    elif left.release:
        out.agreements.append(f"{left.release} = {right.release}")


def _optional_sets(name: str, lv: str, rv: str, out: Comparison) -> None:
    """Containers and pack sizes: a conflict vetoes; stated on one side only lowers the score a little."""
    ls, rs = set(filter(None, lv.split("+"))), set(filter(None, rv.split("+")))
    if ls == rs:
        if ls:
            out.agreements.append(f"{lv} = {rv}")
    elif ls and rs and not (ls <= rs or rs <= ls):
        out.vetoes.append(f"{name} differs: {lv} vs {rv}")
    else:
        out.softs += 1


SOLID = ("tablets", "capsules", "lozenges", "pessaries", "suppositories", "chewing gum")


def _flags(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    """A flag on one side only: sugar free on a solid form, or preservative free on unit doses, is implied;
    any other (sugar-free against standard liquid) leaves the pair in doubt."""
    for flag in sorted(set(left.flags) ^ set(right.flags)):
        solid = all(any(s in key.form for s in SOLID) for key in (left, right) if key.form)
        unit_dose = "unit dose" in left.container or "unit dose" in right.container
        if (flag == "sugar free" and solid) or (flag == "preservative free" and unit_dose):
            out.softs += 1
        else:
            out.blockers.append(f"{flag} on one side only")


def _residual(left: DrugKey, right: DrugKey, out: Comparison) -> None:
    ls, rs = set(left.residual) - set(right.residual), set(right.residual) - set(left.residual)
    ls = {w for w in ls if not any(abbreviates(w, x) or abbreviates(x, w) for x in rs)}
    rs = {w for w in rs if not any(abbreviates(w, x) or abbreviates(x, w) for x in left.residual)}
    if ls or rs:
        out.blockers.append(f"words not understood: {' '.join(sorted(ls)) or '-'} / {' '.join(sorted(rs)) or '-'}")


def _reference(lcode: str, rcode: str, out: Comparison) -> bool:
    if not (lcode and rcode):
        return False
    lg, rg = generic_code(lcode), generic_code(rcode)
    out.details["left_bnf_code"], out.details["right_bnf_code"] = lcode, rcode
    if lg and lg == rg:
        return True
    out.vetoes.append(f"BNF codes differ: {lcode} vs {rcode}")
    return False


def compare(left: DrugKey, right: DrugKey, knowledge: Knowledge, lcode: str = "", rcode: str = "") -> Comparison:
    """Compare two parsed names; the result carries level, score, vetoes, blockers and the evidence line."""
    out = Comparison()
    _substances(left, right, knowledge, out)
    _strengths(left, right, out)
    _one_or_both("form", left.form, right.form, out)
    _release(left, right, out)
    _optional_sets("container", left.container, right.container, out)
    _optional_sets("pack size", " ".join(left.packs).replace(" ", "+"), " ".join(right.packs).replace(" ", "+"), out)
    _flags(left, right, out)
    _residual(left, right, out)
    same_code = _reference(lcode, rcode, out)
    if left.brand and left.brand in left.name.lower() or right.brand and right.brand in right.name.lower():
        out.joined_by.append("brand")
    _decide_level(left, right, same_code, out)
    out.details.update(left_key=left.canonical, right_key=right.canonical, joined_by=", ".join(out.joined_by))
    return out


def _decide_level(left: DrugKey, right: DrugKey, same_code: bool, out: Comparison) -> None:
    if name_key(left.name) == name_key(right.name) and not out.vetoes:
        out.level, out.blockers = "exact", []
    elif same_code:
        out.level = "reference"
        if out.vetoes or out.blockers:
            out.agreements.append("BNF codes name the same generic product despite: "
                                  + "; ".join(out.vetoes + out.blockers))
        out.vetoes, out.blockers = [], []
        out.agreements.insert(0, f"same generic BNF code {generic_code(out.details['left_bnf_code'])}")
    elif not out.vetoes and not out.blockers:
        out.level = "synonym" if out.joined_by else "normalised"
    if out.level in LEVEL_SCORES:
        out.score = LEVEL_SCORES[out.level] - (out.softs if out.level != "exact" else 0)
        return
    base = fuzz.token_sort_ratio(left.canonical, right.canonical)
    out.score = max(0.0, round(base - 12 * len(out.vetoes) - 4 * len(out.blockers), 1))
