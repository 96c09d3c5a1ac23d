"""Rule outcomes: the ``then:`` of a rule, from a closed set, and how each settles a row.

``then`` holds one decision (adopt, adopt-source, escalate, retain-both, exclude), optionally with
``flag``; or ``flag`` alone, which marks the row and does not decide it. An adopt outcome that cannot be
computed for a row (sources disagree on ``adopt: status``, a status outside the order for
``more-restrictive``, a source with mixed statuses) means the rule does not apply to that row: a later rule
or the default decides, never a silent guess.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from harmonise.errors import did_you_mean
from harmonise.model import Outcome, all_of
from harmonise.rules.syntax import Checker, Facts, KindDoc, Template, join_names, suggest

ADOPT_MODES = ("status", "more-restrictive", "less-restrictive", "most-common")
TIES = ("more-access", "more-restrictive", "escalate")
DECISIONS = ("adopt", "adopt-source", "escalate", "retain-both", "exclude")
THEN_KEYS = (*DECISIONS, "ties", "reason", "flag")


@dataclass(frozen=True)
class Then:
    """A parsed outcome. ``decision`` is None for a flag-only rule."""

    decision: str | None
    argument: str = ""
    ties: str = ""
    reason: Template | None = None
    flags: tuple[str, ...] = ()

    def explain(self, names: dict[str, str], scale_label: Any) -> str:
        """The outcome in plain English for the committee document."""
        text = {
            None: "",
            "adopt": _adopt_words(self.argument, self.ties, scale_label),
            "adopt-source": f"adopt {names.get(self.argument, self.argument)}'s position",
            "escalate": "escalate to the working group",
            "retain-both": "retain every legacy position until the chapter review",
            "exclude": "exclude it from the harmonised formulary",
        }[self.decision]
        if self.reason:
            text += f", giving the reason: \u201c{self.reason.explain(names)}\u201d"
        if self.flags:
            flags = ", ".join(repr(f) for f in self.flags)
            text = f"{text}, and flag it {flags}" if text else f"flag it {flags} (does not decide the row)"
        return text


def _adopt_words(mode: str, ties: str, scale_label: Any) -> str:
    if mode == "most-common":
        tie = {
            "more-access": "the status giving more access",
            "more-restrictive": "the more restrictive status",
            "escalate": "the working group (escalate)",
        }[ties]
        return f"adopt the most common status among the formularies that list it; a tie goes to {tie}"
    return {
        "status": "adopt the status the formularies agree on",
        "more-restrictive": "adopt the more restrictive of the listed statuses",
        "less-restrictive": "adopt the less restrictive of the listed statuses (more access)",
    }.get(mode, f"adopt {scale_label(mode)}")


@dataclass(frozen=True)
class Resolution:
    """What an applicable rule does to a row: an outcome (None when flag-only) and the verdict summary."""

    outcome: Outcome | None
    summary: str


def parse_then(checker: Checker, value: Any, path: tuple[Any, ...]) -> Then | None:
    """Parse a rule's ``then:``; every problem goes to the checker."""
    raw = checker.mapping(value, path, THEN_KEYS, "an outcome such as {adopt: status} or {escalate: reason}")
    if raw is None:
        return None
    before = len(checker.log.problems)
    decisions = [k for k in DECISIONS if k in raw]
    if len(decisions) > 1:
        checker.problem(path, f"an outcome has one decision, found {', '.join(decisions)}")
    if not decisions and "flag" not in raw:
        checker.problem(path, f"say what the rule does: one of {', '.join(DECISIONS)}, or flag")
    decision = decisions[0] if decisions else None
    argument = _argument(checker, decision, raw, path)
    ties = _ties(checker, decision, argument, raw, path)
    reason = _reason(checker, decision, raw, path)
    flags = checker.texts(raw["flag"], (*path, "flag")) if "flag" in raw else ()
    checker.flags_seen.update(flags)
    if len(checker.log.problems) > before:
        return None
    return Then(decision, argument, ties, reason, flags)


def _argument(checker: Checker, decision: str | None, raw: dict[str, Any], path: tuple[Any, ...]) -> str:
    if decision == "adopt":
        text = checker.text(raw["adopt"], (*path, "adopt"))
        if text and text not in ADOPT_MODES and text not in checker.scale.keys:
            modes = ", ".join(ADOPT_MODES)
            hint = suggest(text, (*ADOPT_MODES, *checker.scale.keys))
            checker.problem((*path, "adopt"), f"{text!r} is not a status on the scale{hint}; adopt also takes {modes}")
        return text
    if decision == "adopt-source":
        return checker.source(raw["adopt-source"], (*path, "adopt-source")) or ""
    return ""


def _ties(checker: Checker, decision: str | None, argument: str, raw: dict[str, Any], path: tuple[Any, ...]) -> str:
    most_common = decision == "adopt" and argument == "most-common"
    if "ties" not in raw:
        if most_common:
            checker.problem(path, f"adopt: most-common needs ties: one of {', '.join(TIES)}")
        return ""
    if not most_common:
        checker.problem((*path, "ties"), "ties only goes with adopt: most-common")
        return ""
    text = checker.text(raw["ties"], (*path, "ties"))
    if text and text not in TIES:
        checker.problem(
            (*path, "ties"),
            f"{text!r} is not a tie rule; use one of {', '.join(TIES)}{did_you_mean(text, TIES)}",
        )
    return text


def _reason(checker: Checker, decision: str | None, raw: dict[str, Any], path: tuple[Any, ...]) -> Template | None:
    if decision in ("escalate", "retain-both", "exclude"):
        value = raw[decision]
        if value is True:
            return None
        if value is False or value is None:
            checker.problem((*path, decision), "expected yes or a reason (text)")
            return None
        if "reason" in raw:
            checker.problem((*path, "reason"), f"give the reason as the value of {decision} instead")
        return Template.parse(checker, value, (*path, decision))
    if "reason" in raw:
        if decision is None:
            checker.problem((*path, "reason"), "a flag-only rule takes no reason")
            return None
        return Template.parse(checker, raw["reason"], (*path, "reason"))
    return None


def resolve(then: Then, rule_id: str, title: str, facts: Facts) -> Resolution | None:
    """Apply ``then`` to a row whose condition holds; None when the outcome cannot be computed."""
    flag_text = "flag: " + ", ".join(then.flags) if then.flags else ""
    if then.decision is None:
        return Resolution(None, flag_text)
    settled = _settle(then, facts)
    if settled is None:
        return None
    kind, status, source, detail = settled
    if then.reason:
        reason = then.reason.render(facts)
        detail = f"{detail}; {reason}" if kind == "adopt" else reason
    outcome = Outcome(kind, rule_id, f"{rule_id} {title}: {detail}", status, source, then.flags)  # type: ignore[arg-type]
    summary = {"adopt": f"adopt {status}", "retain-both": "retain both"}.get(kind, kind)
    if kind == "escalate" and then.decision == "adopt":
        summary = "escalate (tie)"
    return Resolution(outcome, "; ".join(s for s in (summary, flag_text) if s))


Settled = tuple[str, str | None, str, str]


def _settle(then: Then, facts: Facts) -> Settled | None:
    if then.decision == "escalate":
        return "escalate", None, "", "escalated to the working group"
    if then.decision == "retain-both":
        return "retain-both", None, "", "every legacy position is retained until the chapter review"
    if then.decision == "exclude":
        return "exclude", None, "", "excluded from the harmonised formulary"
    if then.decision == "adopt-source":
        position = facts.item.position(then.argument)
        if position.status is None:
            return None
        return (
            "adopt",
            position.status,
            then.argument,
            f"{facts.name(then.argument)}'s position is adopted ({facts.scale.label(position.status)})",
        )
    return _adopt(then, facts)


def _adopt(then: Then, facts: Facts) -> Settled | None:
    mode = then.argument
    if mode not in ADOPT_MODES:
        return "adopt", mode, "", f"adopted as {facts.scale.label(mode)}"
    listing = facts.listing
    statuses = [p.status for p in listing]
    if not listing or None in statuses:
        return None  # mixed or unknown statuses are never adopted silently
    known = [s for s in statuses if s is not None]
    if mode == "status":
        return _agreed(known, facts)
    if mode == "most-common":
        return _most_common(known, then.ties, facts)
    ranks = [facts.scale.rank(s) for s in known]
    if None in ranks:
        return None
    pick = max if mode == "more-restrictive" else min
    chosen = pick(known, key=lambda s: facts.scale.rank(s) or 0)
    word = "more" if mode == "more-restrictive" else "less"
    each = join_names([f"{facts.scale.label(p.status)} ({facts.name(p.source)})" for p in listing])
    return "adopt", chosen, "", f"the {word} restrictive of {each} is {facts.scale.label(chosen)}"


def _agreed(statuses: list[str], facts: Facts) -> Settled | None:
    if len(set(statuses)) != 1:
        return None
    label = facts.scale.label(statuses[0])
    total = len(facts.item.positions)
    if len(statuses) == total:
        who = all_of(total, "formularies")
    else:
        who = join_names([facts.name(p.source) for p in facts.listing])
    return "adopt", statuses[0], "", f"{who} list it as {label}"


def _most_common(statuses: list[str], ties: str, facts: Facts) -> Settled:
    counts = Counter(statuses)
    top = max(counts.values())
    leaders = sorted((s for s in counts if counts[s] == top), key=facts.scale.keys.index)
    of = f"{top} of {len(statuses)} formularies that list it"
    if len(leaders) == 1:
        return "adopt", leaders[0], "", f"{facts.scale.label(leaders[0])} is the most common status ({of})"
    tied = join_names([facts.scale.label(s) for s in leaders])
    ranks = [facts.scale.rank(s) for s in leaders]
    if ties == "escalate" or None in ranks:
        why = "" if ties == "escalate" else " and a status outside the order cannot be ranked"
        return "escalate", None, "", f"{tied} are tied ({top} each){why}: escalated to the working group"
    pick = min if ties == "more-access" else max
    chosen = pick(leaders, key=lambda s: facts.scale.rank(s) or 0)
    direction = "more access" if ties == "more-access" else "the more restrictive status"
    return (
        "adopt",
        chosen,
        "",
        f"{tied} are tied ({top} each); the tie goes to {direction}: {facts.scale.label(chosen)}",
    )


OUTCOME_KINDS: dict[str, KindDoc] = {
    doc.name: doc
    for doc in (
        KindDoc(
            "adopt",
            "Adopt a status: a named status on the scale, or 'status' (the one the formularies "
            "that list it agree on), 'more-restrictive', 'less-restrictive', or 'most-common' (with ties).",
            "then: {adopt: status}",
            "Never adopts a mixed or unknown status: the rule then does not apply "
            "and a later rule or the default decides. Absent formularies are not consulted.",
        ),
        KindDoc(
            "ties",
            "With adopt: most-common, how a tie is settled: more-access (the least restrictive "
            "tied status), more-restrictive, or escalate.",
            "then: {adopt: most-common, ties: more-access}",
            "A tie involving a status outside the order (grey) is always escalated.",
        ),
        KindDoc(
            "adopt-source",
            "Adopt a named source's status.",
            "then: {adopt-source: cheshire}",
            "Does not apply when that source does not list it or has mixed statuses.",
        ),
        KindDoc(
            "escalate",
            "Send the row to the working group, with yes or a reason (placeholders allowed).",
            'then: {escalate: "{source} lists it as {status}; {absent} does not list it"}',
            "Does not record a decision; the working group's decision later takes precedence.",
        ),
        KindDoc(
            "retain-both",
            "Keep every legacy position until a formal chapter review.",
            "then: {retain-both: yes}",
            "Says nothing about which position is right.",
        ),
        KindDoc(
            "exclude",
            "Leave the item out of the harmonised formulary.",
            "then: {exclude: yes}",
            "Put a NICE TA guard before any exclude rule: exclude does not check for one.",
        ),
        KindDoc(
            "flag",
            "Add a flag (text or list) to the row: with a decision, the flag goes with it; alone, "
            "the rule marks the row and does not decide it.",
            "then: {flag: NICE TA}",
            "A flag does not change the outcome; later rules can test it with flagged.",
        ),
        KindDoc(
            "reason",
            "With adopt or adopt-source, a sentence added to the rationale (placeholders allowed).",
            'then: {adopt: status, reason: "identical in {source}"}',
            "Escalate, retain-both and exclude take their reason as their value instead.",
        ),
    )
}
