"""Static web pages that work opened as a file: the published chapter page, and helpers the rationale and
the dashboard share (page shell, RAG badges with AA text contrast).

No network and no external assets: CSS and JavaScript are inline. Every piece of text from a spreadsheet,
a rule or a decision goes through ``html.escape`` (``esc``) before it reaches the markup.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from harmonise.model import Scale, Status
from harmonise.publish.content import FinalRow, section_key

BASE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.5rem;
color:#1b1b1b;background:#fff;line-height:1.45}
h1{font-size:1.6rem;margin:.2rem 0 .4rem}h2{font-size:1.25rem;margin:1.6rem 0 .4rem;border-bottom:2px solid #1f4e79}
h3{font-size:1.05rem;margin:1.2rem 0 .3rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}
th,td{border:1px solid #b1b4b6;padding:.35rem .5rem;text-align:left;vertical-align:top}
thead th{background:#1f4e79;color:#fff}tbody th{font-weight:600}
.badge{display:inline-block;padding:.1rem .45rem;border-radius:.3rem;font-weight:600;border:1px solid #505a5f}
.meta{color:#3d3d3d}.flag{font-weight:700;color:#8a2a00}
mark.added{background:#cce2d8;color:#005a30}mark.removed{background:#f6d7d2;color:#942514}
mark.changed{background:#fff7bf;color:#594d00}mark{padding:0 .25rem}
:focus{outline:3px solid #ffdd00;outline-offset:1px}
"""


def esc(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def luminance(colour: str) -> float:
    """WCAG relative luminance of a hex colour such as 00843D."""
    channels = []
    for i in (0, 2, 4):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, two: str) -> float:
    """WCAG contrast ratio of two hex colours (1 to 21)."""
    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (always at least 4.5:1, WCAG AA)."""
    return "000000" if contrast(background, "000000") >= contrast(background, "FFFFFF") else "FFFFFF"


def badge(status: Status | None, label: str) -> str:
    """A status label on its RAG colour, with readable text."""
    if status is None:
        return f'<span class="badge">{esc(label)}</span>'
    style = f"background:#{status.colour};color:#{text_colour(status.colour)}"
    return f'<span class="badge" style="{style}">{esc(label)}</span>'


def page(title: str, body: str, script: str = "", extra_css: str = "") -> str:
    """A complete HTML document: language, charset, viewport, inline CSS and JS, nothing fetched."""
    js = f"<script>\n{script}\n</script>\n" if script else ""
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{BASE_CSS}{extra_css}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n{js}</body>\n</html>\n"
    )


def table(
    caption: str,
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
    row_header: bool = True,
    row_attrs: Sequence[str] = (),
) -> str:
    """A table whose cells are already markup; the first cell of each row is a row header when asked."""
    th = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    body = []
    for i, cells in enumerate(rows):
        first = f'<th scope="row">{cells[0]}</th>' if row_header else f"<td>{cells[0]}</td>"
        rest = "".join(f"<td>{c}</td>" for c in cells[1:])
        attrs = f" {row_attrs[i]}" if i < len(row_attrs) and row_attrs[i] else ""
        body.append(f"<tr{attrs}>{first}{rest}</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{th}</tr></thead><tbody>{''.join(body)}</tbody></table>"


CHAPTER_CSS = """
.controls{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end;margin:1rem 0;padding:.75rem;background:#f3f2f1}
.controls label{display:block;font-weight:600;margin-bottom:.2rem}
.controls input,.controls select{font-size:1rem;padding:.3rem;border:2px solid #0b0c0c;min-width:14rem}
.legacy{margin:0;padding-left:1.1rem}
"""

CHAPTER_JS = """
(function () {
  var search = document.getElementById('search');
  var filter = document.getElementById('status-filter');
  var count = document.getElementById('shown');
  function apply() {
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var wanted = filter.value;
    var shown = 0;
    document.querySelectorAll('tr[data-search]').forEach(function (row) {
      var text = row.getAttribute('data-search');
      var ok = words.every(function (w) { return text.indexOf(w) !== -1; }) &&
               (!wanted || row.getAttribute('data-status') === wanted);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.querySelectorAll('section[data-section]').forEach(function (section) {
      section.hidden = !section.querySelector('tr[data-search]:not([hidden])');
    });
    count.textContent = shown + ' of ' + count.getAttribute('data-total') + ' medicines shown';
  }
  search.addEventListener('input', apply);
  filter.addEventListener('change', apply);
  apply();
})();
"""

RETAINED = "retained-both"


def row_cells(row: FinalRow, scale: Scale) -> list[str]:
    """The cells of one medicine: drug, formulation, status badge (or each legacy position), line, notes, TA."""
    if row.legacy:
        items = "".join(f"<li>{esc(p.source_name)}: {badge(scale.get(p.status), p.text)}</li>" for p in row.legacy)
        status = f'{esc(row.status_label)} <span class="flag">({esc(row.flag)})</span><ul class="legacy">{items}</ul>'
    else:
        status = badge(scale.get(row.status), row.status_label)
    return [esc(row.drug), esc(row.formulation), status, esc(row.line), esc(row.notes), esc(row.nice_ta)]


def row_attributes(row: FinalRow) -> str:
    """Data attributes the search and filter read (lower-cased text, status key)."""
    words = " ".join(
        [
            row.drug,
            row.formulation,
            row.notes,
            row.nice_ta,
            row.status_label,
            row.section,
            *(p.text for p in row.legacy),
        ]
    ).lower()
    return f'data-search="{esc(words)}" data-status="{esc(row.status or RETAINED)}"'


def controls(rows: Sequence[FinalRow], scale: Scale) -> str:
    """The search box and the status filter, each with a visible label."""
    present = {r.status or RETAINED for r in rows}
    options = ['<option value="">All statuses</option>']
    options += [f'<option value="{esc(s.key)}">{esc(s.label)}</option>' for s in scale.statuses if s.key in present]
    if RETAINED in present:
        label = next(r.status_label for r in rows if not r.status)  # "All three legacy positions retained"
        options.append(f'<option value="{RETAINED}">{esc(label)}</option>')
    return (
        '<form class="controls" role="search" onsubmit="return false">'
        '<div><label for="search">Search medicines</label>'
        '<input id="search" type="search" autocomplete="off" placeholder="drug, formulation, note..."></div>'
        f'<div><label for="status-filter">Status</label><select id="status-filter">{"".join(options)}</select></div>'
        f'<p id="shown" role="status" aria-live="polite" data-total="{len(rows)}">{len(rows)} medicines</p>'
        "</form>"
    )


def chapter_page(
    title: str, chapter: str, version: int, published_at: str, rows: Sequence[FinalRow], scale: Scale
) -> str:
    """The published chapter as one searchable page: sections as headings, a table each."""
    head = ["Medicine", "Formulation", "Status", "Line of choice", "Notes", "NICE TA"]
    sections: dict[str, list[FinalRow]] = {}
    for row in sorted(rows, key=lambda r: section_key(r.section)):
        sections.setdefault(row.section, []).append(row)
    parts = [
        f"<h1>{esc(chapter)}</h1>",
        f'<p class="meta">{esc(title)}: version {version}, published {esc(published_at)}</p>',
        controls(rows, scale),
    ]
    for section, members in sections.items():
        name = f"Section {section}" if section else "Section not given"
        cells = [row_cells(r, scale) for r in members]
        attrs = [row_attributes(r) for r in members]
        parts.append(
            f'<section data-section="{esc(section)}" aria-label="{esc(name)}"><h2>{esc(name)}</h2>'
            f"{table('', head, cells, row_attrs=attrs)}</section>"
        )
    if not rows:
        parts.append("<p>This chapter has no medicines.</p>")
    return page(f"{chapter}, version {version}", "\n".join(parts), CHAPTER_JS, CHAPTER_CSS)
