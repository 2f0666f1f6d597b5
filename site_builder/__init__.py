"""site-builder: a static website generator for academics."""

__version__ = "0.1.0"
