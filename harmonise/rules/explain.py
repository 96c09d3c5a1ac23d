"""The rule set as a document for committee approval, in Markdown, as a self-contained page, as a Word
document and (where LibreOffice is installed) as a PDF.

Every rendering comes from one list of blocks (heading, paragraph, fields, table), so they always say the
same thing: each rule in order with its description, its condition and outcome in plain English, then the
status scale and each source's vocabulary mapping. All text in the page is escaped (an autoescaped template).
"""

from __future__ import annotations

from pathlib import Path

from harmonise.output import Block, Cell, Paper, paper_html, write_docx, write_pdf, write_text
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
            out.append("\n".join(f"- **{_md(str(k))}:** {_md(str(v))}" for k, v in block.rows))
        elif block.kind == "table":
            head, *body = block.rows
            lines = [_row(head), "|" + "---|" * len(head), *(_row(r) for r in body)]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _row(cells: tuple[str | Cell, ...]) -> str:
    return "| " + " | ".join(_md(str(c)).replace("|", "\\|") for c in cells) + " |"


def explanation_paper(ruleset: RuleSet, workspace: Workspace) -> Paper:
    """The document as a paper (for the page and the Word document); its footer names the rules and version."""
    blocks = explanation_blocks(ruleset, workspace)
    title = next((b.text for b in blocks if b.kind == "heading1"), "Harmonisation rules")
    return Paper(title, tuple(blocks), footer=f"{title}, version {ruleset.version}")


def explain_markdown(ruleset: RuleSet, workspace: Workspace) -> str:
    return render_markdown(explanation_blocks(ruleset, workspace))


def explain_html(ruleset: RuleSet, workspace: Workspace) -> str:
    """A self-contained page (the shared paper template: no script, every text escaped)."""
    return paper_html(explanation_paper(ruleset, workspace))


def write_explanation(ruleset: RuleSet, workspace: Workspace, out_dir: Path) -> tuple[list[Path], str]:
    """Write ``rules.md``, ``rules.html``, ``rules.docx`` and, where LibreOffice is installed, ``rules.pdf`` into
    ``out_dir`` (each atomically); return the paths written and why no PDF was written ('' when it was)."""
    paper = explanation_paper(ruleset, workspace)
    out = Path(out_dir)
    written = [out / "rules.md", out / "rules.html", out / "rules.docx"]
    write_text(written[0], render_markdown(list(paper.blocks)))
    write_text(written[1], paper_html(paper))
    write_docx(written[2], paper)
    no_pdf = write_pdf(written[2], out / "rules.pdf")
    return (written if no_pdf else [*written, out / "rules.pdf"]), no_pdf
