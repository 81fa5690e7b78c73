"""Rendering: result -> context -> HTML (one Jinja2 source per document) -> PDF and DOCX."""
