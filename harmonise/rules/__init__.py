"""Rules: the committee's harmonisation rules, read from YAML and validated with file and line, evaluated for
every item (one verdict per rule; the first that applies decides), documented and explained.

Takes: a ``Workspace`` and items. Gives: a ``RuleSet`` and, per item, an ``Evaluation`` (verdicts and the
deciding outcome).
"""

from __future__ import annotations

from harmonise.rules.engine import DEFAULT_ID, Evaluation, RuleSet, Verdict, evaluate, load_rules
from harmonise.rules.explain import explain_markdown, write_explanation

__all__ = [
    "DEFAULT_ID",
    "Evaluation",
    "RuleSet",
    "Verdict",
    "evaluate",
    "explain_markdown",
    "load_rules",
    "write_explanation",
]
