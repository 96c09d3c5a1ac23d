"""``harmonise status``: where every chapter stands, as records and as ``reports/dashboard.html``.

Each chapter folder present is merged in memory (nothing written) with the recorded decisions and the
current rules. Every item falls in exactly one progress band: settled by a rule, decided by the working
group, retained-both (awaiting chapter review) or escalated (undecided); the page (``templates/dashboard.html``)
draws these as inline SVG bars, with the numbers in an accessible table beside them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from harmonise.audit import utc_now
from harmonise.errors import InputError
from harmonise.merge import ChapterMerge, ItemResult, run_merge
from harmonise.model import Chapter
from harmonise.output import render_page, write_text
from harmonise.publish.content import is_rule
from harmonise.publish.versions import published_versions, stale_blockers
from harmonise.workspace import Workspace

BANDS = (
    ("settled_by_rules", "Settled by rules", "00703C"),
    ("decided", "Decided by the working group", "1D70B8"),
    ("retained_both", "Legacy positions retained", "6F3C97"),
    ("escalated", "Escalated, undecided", "B3261E"),
)


@dataclass(frozen=True)
class ChapterStatus:
    """One chapter's progress. ``error`` is set (and counts are zero) when the chapter cannot be merged."""

    chapter: str
    slug: str
    title: str
    entries_per_source: dict[str, int] = field(default_factory=dict)
    items: int = 0
    matched_automatically: int = 0
    settled_by_rules: int = 0
    settled_by_rules_pct: float = 0.0
    escalated: int = 0
    decided: int = 0
    retained_both: int = 0
    excluded: int = 0
    stale_decisions: int = 0
    published_version: int | None = None
    published_at: str = ""
    error: str = ""
    decided_retained: int = 0  # decisions that retain both: in 'decided' and 'retained_both', one band only

    @property
    def label(self) -> str:
        return f"{self.chapter} {self.title}"

    def band(self, name: str) -> int:
        """Items in one progress band; decisions that retain both count as retained-both here."""
        if name == "decided":
            return self.decided - self.decided_retained
        return int(getattr(self, name))

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "decided_retained"}


def band_of(result: ItemResult, rule_ids: Sequence[str]) -> str:
    kind = result.outcome.kind
    if kind == "escalate":
        return "escalated"
    if kind == "retain-both":
        return "retained_both"
    return "settled_by_rules" if is_rule(result.outcome.decided_by, rule_ids) else "decided"


def status_of(workspace: Workspace, merge: ChapterMerge) -> ChapterStatus:
    """Count one merged chapter."""
    ids, results = merge.rules.ids, merge.results
    decided = [r for r in results if r.outcome.kind != "escalate" and not is_rule(r.outcome.decided_by, ids)]
    rules_settled = sum(1 for r in results if band_of(r, ids) == "settled_by_rules")
    latest = (published_versions(workspace, merge.chapter) or [{}])[-1]
    return ChapterStatus(
        chapter=merge.chapter.number,
        slug=merge.chapter.slug,
        title=merge.chapter.title,
        entries_per_source={s.source: len(s.entries) for s in merge.loaded.sources},
        items=len(results),
        matched_automatically=sum(1 for r in results if r.item.match.decision == "auto"),
        settled_by_rules=rules_settled,
        settled_by_rules_pct=round(100 * rules_settled / len(results), 1) if results else 0.0,
        escalated=sum(1 for r in results if r.outcome.kind == "escalate"),
        decided=len(decided),
        decided_retained=sum(1 for r in decided if r.outcome.kind == "retain-both"),
        retained_both=sum(1 for r in results if r.outcome.kind == "retain-both"),
        excluded=sum(1 for r in results if r.outcome.kind == "exclude"),
        stale_decisions=len(stale_blockers(merge)),
        published_version=latest.get("version"),
        published_at=str(latest.get("published_at", "")),
    )


def chapter_status(workspace: Workspace, chapter: Chapter) -> ChapterStatus:
    """Merge one chapter in memory and count it; a chapter that cannot be merged says why."""
    try:
        merge = run_merge(workspace, [chapter], write=False).chapters[0]
    except InputError as exc:
        first = str(exc).splitlines()[0]
        return ChapterStatus(chapter.number, chapter.slug, chapter.title, error=first)
    return status_of(workspace, merge)


def workspace_status(workspace: Workspace) -> list[ChapterStatus]:
    """Every chapter whose folder is present, in chapter order."""
    chapters = workspace.chapters_present()
    if not chapters:
        raise InputError(f"{workspace.root / 'chapters'}: no chapter folders (for example 02-cardiovascular)")
    return [chapter_status(workspace, c) for c in chapters]


BAR_WIDTH, BAR_HEIGHT = 160, 20
HEAD = (
    "Chapter",
    "Entries per source",
    "Auto-matched",
    "By rules",
    "Escalated",
    "Decided",
    "Legacy positions retained",
    "Stale",
    "Items",
    "Progress",
    "Published",
)


def bar(status: ChapterStatus) -> list[tuple[float, float, str, str, int]]:
    """The stacked bar of the progress bands: x, width, colour, label and count of each band drawn."""
    parts, x, total = [], 0.0, max(status.items, 1)
    for name, label, colour in BANDS:
        share = BAR_WIDTH * status.band(name) / total
        if share > 0:
            parts.append((x, share, colour, label, status.band(name)))
        x += share
    return parts


def bar_label(status: ChapterStatus) -> str:
    """The bar's text alternative: every band in words."""
    words = [f"{status.band(name)} {label.lower()}" for name, label, _ in BANDS]
    return f"Chapter {status.label}: {status.items} items: " + ", ".join(words)


def dashboard_html(workspace: Workspace, statuses: Sequence[ChapterStatus], generated_at: str) -> str:
    """The dashboard page: one table, one progress bar per chapter, a legend."""
    rows = [
        {
            "status": s,
            "sources": [(workspace.source(k).name, n) for k, n in s.entries_per_source.items()],
            "bar": bar(s),
            "bar_label": bar_label(s),
        }
        for s in statuses
    ]
    return render_page(
        "dashboard.html",
        "harmonise.publish",
        title=f"{workspace.title}: dashboard",
        workspace_title=workspace.title,
        generated_at=generated_at,
        bands=BANDS,
        columns=HEAD,
        rows=rows,
        bar_width=BAR_WIDTH,
        bar_height=BAR_HEIGHT,
    )


def write_dashboard(
    workspace: Workspace, statuses: Sequence[ChapterStatus], clock: Callable[[], datetime] = utc_now
) -> Path:
    """Write ``reports/dashboard.html`` atomically; returns its path."""
    target = workspace.reports_dir() / "dashboard.html"
    stamp = clock().strftime("%Y-%m-%dT%H:%M:%SZ")
    write_text(target, dashboard_html(workspace, statuses, stamp))
    return target
