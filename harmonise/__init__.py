"""harmonise: turn two or more legacy NHS medicines formularies into one, chapter by chapter."""

__version__ = "0.1.0"
