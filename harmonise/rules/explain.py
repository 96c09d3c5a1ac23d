"""The rule set as a document for committee approval, in Markdown and in self-contained HTML.

Both renderings come from one list of blocks (heading, paragraph, fields, table), so they always say the
same thing: each rule in order with its description, its condition and outcome in plain English, then the
status scale and each source's vocabulary mapping. All text in the HTML is escaped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from harmonise.output import write_text
from harmonise.rules.engine import RuleSet
from harmonise.workspace import Workspace

HOW_RULES_APPLY = (
    "Every rule is checked for every medicine, and its verdict is shown as a column of the chapter workbook. "
    "The first rule, in the order below, that decides a row settles it; a rule that only adds a flag marks "
    "the row and does not decide it. A row that no rule decides goes to the working group (shown as "
    "'default'). Decisions of the working group take precedence over every rule. Statuses are compared on "
    "the common scale below, never by each formulary's own words. Where one formulary lists a medicine with "
    "different statuses on different rows, no rule treats that formulary as having a status."
)


@dataclass(frozen=True)
class Block:
    """One piece of the document: ``kind`` is heading1/heading2/heading3, paragraph, fields or table."""

    kind: str
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


def explanation_blocks(ruleset: RuleSet, workspace: Workspace) -> list[Block]:
    """The committee document as blocks: overview, rules in order, scale, vocabularies."""
    names = ruleset.source_names
    files = ", ".join(_display(f, workspace.root) for f in ruleset.files)
    blocks = [
        Block("heading1", ruleset.title or "Harmonisation rules"),
        Block(
            "fields",
            rows=(
                ("Workspace", workspace.title),
                ("Rule files", files),
                ("Version", ruleset.version),
                ("Rules", str(len(ruleset.rules))),
                ("SHA-256", ruleset.digest),
                ("Sources", ", ".join(f"{n} ({k})" for k, n in names.items())),
            ),
        ),
        Block("heading2", "How the rules are applied"),
        Block("paragraph", HOW_RULES_APPLY),
        Block("heading2", "Rules, in order"),
    ]
    for rule in ruleset.rules:
        when = rule.when.explain(names, workspace.scale)
        then = rule.then.explain(names, workspace.scale.label)
        blocks += [
            Block("heading3", f"{rule.id}: {rule.title}"),
            Block("paragraph", rule.description),
            Block(
                "fields",
                rows=(("When", _sentence(when)), ("Then", _sentence(then)), ("Written in", rule.where)),
            ),
        ]
    blocks += [
        Block("heading3", "default: no rule applies"),
        Block("paragraph", "A row that no rule above decides is escalated to the working group."),
    ]
    return blocks + _scale_blocks(workspace)


def _scale_blocks(workspace: Workspace) -> list[Block]:
    scale_rows = tuple(
        (str(s.rank) if s.rank is not None else "outside the order", s.key, s.label) for s in workspace.scale.statuses
    )
    blocks = [
        Block("heading2", "Status scale"),
        Block(
            "paragraph",
            "From least restrictive (rank 1) to most restrictive; statuses outside the order are "
            "handled by the rules that name them.",
        ),
        Block("table", rows=(("Rank", "Status", "Label"), *scale_rows)),
        Block("heading2", "Status words of each formulary"),
    ]
    for source in workspace.sources:
        words: dict[str, list[str]] = {}
        for word, status in source.vocabulary.items():
            words.setdefault(status, []).append(word)
        rows = tuple((workspace.scale.label(k), ", ".join(words[k])) for k in workspace.scale.keys if k in words)
        blocks += [
            Block("heading3", f"{source.name} ({source.key})"),
            Block("table", rows=(("Common status", "Words (case and spacing ignored)"), *rows)),
        ]
    return blocks


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def render_markdown(blocks: list[Block]) -> str:
    """Markdown, with table cells' pipes escaped."""
    out: list[str] = []
    for block in blocks:
        if block.kind.startswith("heading"):
            out.append("#" * int(block.kind[-1]) + " " + _md(block.text))
        elif block.kind == "paragraph":
            out.append(_md(block.text))
        elif block.kind == "fields":
            out.append("\n".join(f"- **{_md(k)}:** {_md(v)}" for k, v in block.rows))
        elif block.kind == "table":
            head, *body = block.rows
            lines = [_row(head), "|" + "---|" * len(head), *(_row(r) for r in body)]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(_md(c).replace("|", "\\|") for c in cells) + " |"


STYLE = (
    "body{font-family:system-ui,Segoe UI,Arial,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1d1d1d}h1{color:#005eb8}h2{border-bottom:2px solid #005eb8;margin-top:2rem}"
    "h3{margin-bottom:.25rem}table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;"
    "padding:.25rem .6rem;text-align:left}th{background:#f0f4f5}dl{display:grid;grid-template-columns:"
    "max-content auto;gap:.1rem 1rem}dt{font-weight:600}dd{margin:0}"
)


def render_html(blocks: list[Block]) -> str:
    """A self-contained HTML page (inline style, no scripts, every text escaped)."""
    esc = html.escape
    title = next((b.text for b in blocks if b.kind == "heading1"), "Harmonisation rules")
    body: list[str] = []
    for block in blocks:
        if block.kind.startswith("heading"):
            level = block.kind[-1]
            body.append(f"<h{level}>{esc(block.text)}</h{level}>")
        elif block.kind == "paragraph":
            body.append(f"<p>{esc(block.text)}</p>")
        elif block.kind == "fields":
            items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in block.rows)
            body.append(f"<dl>{items}</dl>")
        elif block.kind == "table":
            head, *rows = block.rows
            cells = "".join(f"<th>{esc(c)}</th>" for c in head)
            trs = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
            body.append(f"<table><thead><tr>{cells}</tr></thead><tbody>{trs}</tbody></table>")
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{esc(title)}</title>\n'
        f"<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def explain_markdown(ruleset: RuleSet, workspace: Workspace) -> str:
    return render_markdown(explanation_blocks(ruleset, workspace))


def explain_html(ruleset: RuleSet, workspace: Workspace) -> str:
    return render_html(explanation_blocks(ruleset, workspace))


def write_explanation(ruleset: RuleSet, workspace: Workspace, out_dir: Path) -> tuple[Path, Path]:
    """Write ``rules.md`` and ``rules.html`` into ``out_dir`` (atomically); return their paths."""
    blocks = explanation_blocks(ruleset, workspace)
    markdown, page = Path(out_dir) / "rules.md", Path(out_dir) / "rules.html"
    write_text(markdown, render_markdown(blocks))
    write_text(page, render_html(blocks))
    return markdown, page
