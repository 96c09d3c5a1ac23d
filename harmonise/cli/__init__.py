"""Command-line interface: ``harmonise`` (a thin layer over the library; see ``app.py``)."""

from __future__ import annotations

from harmonise.cli.app import app

# Command modules register themselves on ``app`` when imported; one module per command group.
from harmonise.cli import workspace as _workspace  # noqa: E402,F401
from harmonise.cli import merge as _merge  # noqa: E402,F401
from harmonise.cli import rules as _rules  # noqa: E402,F401
from harmonise.cli import audit as _audit  # noqa: E402,F401
from harmonise.cli import decisions as _decisions  # noqa: E402,F401
from harmonise.cli import publish as _publish  # noqa: E402,F401
from harmonise.cli import match as _match  # noqa: E402,F401


def main() -> None:
    """Console-script entry point."""
    app()
