"""``published/index.html``: the whole formulary as one page, rebuilt by every ``publish``.

It lists every chapter's latest published version (with links to its page, its rationale, the Word document and
the PDF) and holds every medicine of those versions as JSON embedded in the page, so one search box, a status
filter and a chapter filter work across all chapters opened as a file, offline: no fetch, nothing loaded from
elsewhere. The medicines are read back from each version's sealed ``chapter.csv`` (what was published, hashed in
its manifest), so the page says exactly what the chapters say. The page is a pure function of the published
folders: rebuilding it twice gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harmonise.output import csv_safe, locked, render_page, text_colour, write_text
from harmonise.publish.html import PACKAGE, RETAINED, status_options
from harmonise.workspace import Workspace

INDEX = "index.html"
RETAINED_CODE = "retain-both"  # the 'Status code' of a retained-both line in chapter.csv
LINKS = (
    ("chapter.html", "Chapter page"),
    ("rationale.html", "Rationale"),
    ("rationale.docx", "Rationale (Word)"),
    ("rationale.pdf", "Rationale (PDF)"),
)


@dataclass(frozen=True)
class PublishedChapter:
    """The latest published version of one chapter, as the index shows it."""

    number: str
    label: str
    version: int
    published_at: str
    links: tuple[tuple[str, str], ...]
    medicines: tuple[dict[str, str], ...]


def latest_version(chapter_root: Path) -> tuple[Path, dict[str, Any]] | None:
    """The highest ``v<K>`` folder of a chapter whose manifest can be read, with that manifest."""
    folders = [p for p in chapter_root.glob("v*") if p.is_dir() and p.name[1:].isdigit()]
    for folder in sorted(folders, key=lambda p: int(p.name[1:]), reverse=True):
        try:
            return folder, json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return None


def as_published(value: str) -> str:
    """A CSV field as it was before ``csv_safe`` quoted a leading formula character ('+Amiodarone)."""
    return value[1:] if value.startswith("'") and csv_safe(value[1:]) == value else value


def medicines(folder: Path, chapter: int) -> tuple[dict[str, str], ...]:
    """The lines of a published ``chapter.csv``, as the index's search reads them."""
    text = (folder / "chapter.csv").read_text(encoding="utf-8")
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        line = {k: as_published(v or "") for k, v in row.items() if k}
        out.append(
            {
                "chapter": str(chapter),
                "section": line.get("Section", ""),
                "drug": line.get("Drug", ""),
                "formulation": line.get("Formulation", ""),
                "status": RETAINED if line.get("Status code", "") in ("", RETAINED_CODE) else line["Status code"],
                "label": line.get("Status", ""),
                "line": line.get("Line of choice", ""),
                "notes": line.get("Notes", ""),
                "nice_ta": line.get("NICE TA", ""),
                "flag": line.get("Flag", ""),
            }
        )
    return tuple(out)


def published_chapters(root: Path) -> list[PublishedChapter]:
    """Every chapter with a readable published version, in chapter order."""
    found: list[PublishedChapter] = []
    for chapter_root in sorted(p for p in (root / "published").glob("*") if p.is_dir()):
        latest = latest_version(chapter_root)
        if latest is None:
            continue
        folder, manifest = latest
        href = f"{chapter_root.name}/{folder.name}/"
        try:
            rows = medicines(folder, len(found))
        except (OSError, ValueError, csv.Error):
            continue
        found.append(
            PublishedChapter(
                number=str(manifest.get("chapter", "")),
                label=f"{manifest.get('chapter', '')} {manifest.get('title', chapter_root.name)}".strip(),
                version=int(manifest.get("version", folder.name[1:])),
                published_at=str(manifest.get("published_at", "")),
                links=tuple((href + name, label) for name, label in LINKS if (folder / name).is_file()),
                medicines=rows,
            )
        )
    return found


def index_html(workspace: Workspace, chapters: list[PublishedChapter]) -> str:
    """The formulary index page (``templates/index.html``)."""
    statuses = status_options({m["status"] for c in chapters for m in c.medicines}, workspace.scale)
    colours = {s.key: [s.colour, text_colour(s.colour)] for s in workspace.scale.statuses}
    return render_page(
        "index.html",
        PACKAGE,
        title=f"{workspace.title}: formulary",
        workspace_title=workspace.title,
        chapters=chapters,
        statuses=statuses,
        data={
            "chapters": [{"label": c.label, "href": c.links[0][0] if c.links else ""} for c in chapters],
            "medicines": [m for c in chapters for m in c.medicines],
            "colours": colours,
        },
        total=sum(len(c.medicines) for c in chapters),
    )


def write_index(workspace: Workspace) -> Path:
    """Rebuild ``published/index.html`` from every chapter's latest version (atomically, one writer at a time)."""
    target = workspace.root / "published" / INDEX
    with locked(target):
        write_text(target, index_html(workspace, published_chapters(workspace.root)))
    return target
