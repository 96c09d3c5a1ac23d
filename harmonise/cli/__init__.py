"""Command-line interface: ``harmonise`` (a thin layer over the library; see ``app.py``)."""

from __future__ import annotations

from harmonise.cli import audit as _audit  # noqa: F401
from harmonise.cli import decisions as _decisions  # noqa: F401
from harmonise.cli import export as _export  # noqa: F401
from harmonise.cli import match as _match  # noqa: F401
from harmonise.cli import merge as _merge  # noqa: F401
from harmonise.cli import publish as _publish  # noqa: F401
from harmonise.cli import reference as _reference  # noqa: F401
from harmonise.cli import rules as _rules  # noqa: F401

# Command modules register themselves on ``app`` when imported; one module per command group.
from harmonise.cli import workspace as _workspace  # noqa: F401
from harmonise.cli.app import app


def main() -> None:
    """Console-script entry point."""
    app()
