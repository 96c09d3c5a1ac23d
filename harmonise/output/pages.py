"""Web pages from Jinja2 templates, for every page harmonise writes (the published chapter, the formulary index,
the rationale, the dashboard, the rules for the committee).

Autoescape is on for every template: text from a spreadsheet, a rule or a decision is escaped wherever it lands,
and nothing in the Python code builds markup from strings. Pages fetch nothing: CSS and JavaScript are inline in
the templates, so a page works opened as a file, offline. ``base.html`` (here) is the shell every page extends;
a stage keeps its own pages in its ``templates`` folder. jinja2 is imported on first use, so commands that write
no page do not pay for it.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

OWN = "harmonise.output"


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


@functools.cache
def environment(package: str = OWN) -> jinja2.Environment:
    """The templates of ``package`` (its ``templates`` folder), then the shared ones; autoescape always on."""
    import jinja2

    folders = [jinja2.PackageLoader(package, "templates")] if package != OWN else []
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([*folders, jinja2.PackageLoader(OWN, "templates")]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["text_colour"] = text_colour
    return env


def render_page(template: str, package: str = OWN, **context: Any) -> str:
    """Render ``template`` (of ``package``'s templates, or the shared ones) with ``context``."""
    return environment(package).get_template(template).render(**context)
