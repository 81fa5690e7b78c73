"""compliance: check work-safety unit descriptions against rule packs and render the results."""

__version__ = "0.1.0"
