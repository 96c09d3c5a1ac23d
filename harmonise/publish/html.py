"""The published chapter page: a static page that works opened as a file (search box, status filter, RAG
badges with AA text contrast), rendered from ``templates/chapter.html``.

No network and no external assets: CSS and JavaScript are inline in the template, and autoescape puts every
piece of text from a spreadsheet, a rule or a decision through HTML escaping.
"""

from __future__ import annotations

from collections.abc import Sequence

from harmonise.model import Scale
from harmonise.output import render_page
from harmonise.publish.content import FinalRow, section_key

RETAINED = "retained-both"
RETAINED_LABEL = "Legacy positions retained"
PACKAGE = "harmonise.publish"


def search_text(row: FinalRow) -> str:
    """What the search box matches a row against: its words, lower-cased."""
    words = [row.drug, row.formulation, row.notes, row.nice_ta, row.status_label, row.section]
    return " ".join([*words, *(p.text for p in row.legacy)]).lower()


def status_options(keys: set[str], scale: Scale, retained: str = RETAINED_LABEL) -> list[tuple[str, str]]:
    """The status filter's choices: the statuses present, in scale order, then retained positions (labelled
    ``retained``: a chapter's own wording counts its sources, "All three legacy positions retained")."""
    options = [(s.key, s.label) for s in scale.statuses if s.key in keys]
    return options + ([(RETAINED, retained)] if RETAINED in keys else [])


def colours(scale: Scale) -> dict[str, str]:
    """Each status key's RAG colour."""
    return {s.key: s.colour for s in scale.statuses}


def chapter_page(
    title: str,
    chapter: str,
    version: int,
    published_at: str,
    rows: Sequence[FinalRow],
    scale: Scale,
    rationale: bool = True,
) -> str:
    """The published chapter as one searchable page: sections as headings, a table each."""
    sections: dict[str, list[tuple[FinalRow, str]]] = {}
    for row in sorted(rows, key=lambda r: section_key(r.section)):
        sections.setdefault(row.section, []).append((row, search_text(row)))
    return render_page(
        "chapter.html",
        PACKAGE,
        title=f"{chapter}, version {version}",
        workspace_title=title,
        chapter=chapter,
        version=version,
        published_at=published_at,
        rationale=rationale,
        statuses=status_options(
            {r.status or RETAINED for r in rows}, scale, next((r.status_label for r in rows if not r.status), "")
        ),
        sections=list(sections.items()),
        total=len(rows),
        colours=colours(scale),
        retained=RETAINED,
    )
