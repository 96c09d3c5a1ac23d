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
from harmonise.matching.parse import parse_name
from harmonise.matching.reference import Row

HEADER = (
    "# Derived from the shipped BNF reference pack by tools/derive_knowledge.py: do not edit by hand.\n"
    "# flag_forms: for each flag, the forms (in a container, when one is named) for which the national list\n"
    "# holds two presentations of one product that differ only by that flag: the flag tells products apart there.\n"
)


def derive_flag_forms(rows: Iterable[Row], knowledge: Knowledge) -> dict[str, list[str]]:
    """For each flag, the forms (sorted) on which it separates two current presentations."""
    signatures: dict[tuple, set[tuple[str, ...]]] = defaultdict(set)
    for row in rows:
        key = parse_name(row.name, knowledge)
        shape = (row.code[:11], key.substances, key.strengths, key.form, key.container, key.release, key.residual)
        signatures[shape].add(key.flags)
    found: dict[str, set[str]] = defaultdict(set)
    for shape, flag_sets in signatures.items():
        for flags in flag_sets:
            for flag in flags:
                if tuple(f for f in flags if f != flag) in flag_sets and shape[3]:
                    found[flag].add(presentation_form(shape[3], shape[4]))
    return {flag: sorted(forms) for flag, forms in sorted(found.items())}


def derived_text(flag_forms: dict[str, list[str]]) -> str:
    """The text of ``knowledge/derived.yaml``."""
    lines = [HEADER.rstrip("\n"), "version: 1", "flag_forms:"]
    for flag, forms in flag_forms.items():
        lines.append(f"  {flag}: [{', '.join(forms)}]")
    return "\n".join(lines) + "\n"
