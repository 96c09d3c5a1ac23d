"""Knowledge derived from the national list rather than written by hand: which flags tell two current
presentations apart, per form.

Two presentations of one product (the same BNF product code: the generic, or one brand) that parse to the same
strength, form and container and differ only by one flag (``Olanzapine 5mg orodispersible tablets`` and ``...
sugar free``) show that the flag matters for that form: a legacy name that leaves it out cannot be assumed to
mean either. ``tools/derive_knowledge.py`` writes the result into ``knowledge/derived.yaml`` (section
``flag_forms``), a test checks it still matches the shipped pack, and ``components.flags`` reads it: a flag that
is usually implied when left out (sugar free on a tablet, preservative free on a unit dose) is a doubt on the
forms listed there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from harmonise.matching.knowledge import Knowledge, presentation_form
from harmonise.matching.parse import on_the_skin, parse_name
from harmonise.matching.reference import Row

HEADER = (
    "# Derived from the shipped BNF reference pack by tools/derive_knowledge.py: do not edit by hand.\n"
    "# container_forms: for each container, the forms on which the list holds one product with and without it.\n"
    "# salt_significant: substances the list holds, strength and form alike, with different salts stated.\n"
    "# flag_forms: for each flag, the forms (in a container, when one is named) for which the national list\n"
    "# holds two presentations of one product that differ only by that flag: the flag tells products apart there.\n"
    "# current_forms: forms an older name writes without saying which of their family they are (form_families)\n"
    "# that current names use as forms of their own (at least CURRENT_FORM_NAMES presentations).\n"
)
CURRENT_FORM_NAMES = 5


def derive_flag_forms(rows: Iterable[Row], knowledge: Knowledge) -> dict[str, list[str]]:
    """For each flag, the forms (sorted) on which it separates two current presentations."""
    return derive(rows, knowledge)["flag_forms"]


def derive(rows: Iterable[Row], knowledge: Knowledge) -> dict[str, dict[str, list[str]]]:
    """Every derived section: ``flag_forms`` and ``container_forms`` (qualifier -> forms on which one product is
    listed with and without it), ``salt_significant`` (substances the list holds, strength and form alike,
    with two different salts stated, or with and without one) and ``current_forms`` (family forms, ``inhaler``,
    ``oral liquid``, that current names use as forms of their own)."""
    shapes: dict[tuple, set[tuple[tuple[str, ...], tuple[str, ...]]]] = defaultdict(set)
    salted: dict[tuple, set[tuple[str, ...]]] = defaultdict(set)
    generic_forms: dict[str, int] = defaultdict(int)
    for row in rows:
        key = on_the_skin(parse_name(row.name, knowledge), row.code[:2])  # read as the matcher reads it
        if key.form in knowledge.form_families:
            generic_forms[key.form] += 1
        containers = tuple(sorted(filter(None, key.container.split("+"))))
        words = tuple(w for w in key.residual if w not in knowledge.descriptive)  # as names are compared
        shape = (row.code[:11], key.substances, key.strengths, key.form, key.release, words)
        shapes[shape].add((key.flags, containers))
        if len(key.substances) == 1 and key.form:
            salts = tuple(sorted(dict(key.salts).get(key.substances[0], "").split()))
            salted[(key.substances[0], key.strengths, key.form, key.release, containers)].add(salts)
    flags: dict[str, set[str]] = defaultdict(set)
    holders: dict[str, set[str]] = defaultdict(set)
    for shape, variants in shapes.items():
        form = shape[3]
        if not form:
            continue
        for flag_set, containers in variants:
            for flag in flag_set:
                if (tuple(f for f in flag_set if f != flag), containers) in variants:
                    flags[flag].add(presentation_form(form, "+".join(containers)))
            for container in containers:
                if (flag_set, tuple(c for c in containers if c != container)) in variants:
                    holders[container].add(form)
    significant = sorted({key[0] for key, salts in salted.items() if len(salts) > 1})
    return {
        "flag_forms": {flag: sorted(forms) for flag, forms in sorted(flags.items())},
        "container_forms": {container: sorted(forms) for container, forms in sorted(holders.items())},
        "salt_significant": {"": significant},
        "current_forms": {"": sorted(f for f, n in generic_forms.items() if n >= CURRENT_FORM_NAMES)},
    }


def derived_text(sections: dict[str, dict[str, list[str]]]) -> str:
    """The text of ``knowledge/derived.yaml``."""
    lines = [HEADER.rstrip("\n"), "version: 1"]
    for section in ("flag_forms", "container_forms"):
        lines.append(f"{section}:")
        lines += [f"  {name}: [{', '.join(forms)}]" for name, forms in sections[section].items()]
    for section in ("salt_significant", "current_forms"):
        lines.append(f"{section}:")
        lines += [f"  - {name}" for name in sections[section][""]]
    return "\n".join(lines) + "\n"
