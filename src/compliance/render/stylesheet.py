"""The rendered stylesheet read back as data: the one source of a document's colours and sizes.

WeasyPrint lays out the PDF with the stylesheet that ``report.css.j2`` (and
``meeting.css.j2``) rendered after the template override chain; the DOCX writer and the charts
read their colours and sizes from that very text, so a user's override of the stylesheet
changes every format. Only plain rules are read: a comma-separated list of selectors and its
declarations (``.sev-critical { color: #B00020 }``, ``h1, h2 { color: ... }``). At-rules
(``@page``) are skipped, and a selector is looked up by its exact text, so ``thead th`` is
found and ``table.finding th`` is a different selector.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tinycss2
import tinycss2.color3

from compliance.names import SEVERITY_NAMES

_SPACE = re.compile(r"\s+")
_POINTS = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*pt\s*$", re.I)


@dataclass(frozen=True)
class Stylesheet:
    """The plain rules of a stylesheet: selector -> declarations, later rules winning."""

    rules: dict[str, dict[str, str]] = field(default_factory=dict)
    order: dict[str, int] = field(default_factory=dict)  # selector -> position of its last rule

    def get(self, selector: str, prop: str) -> str | None:
        """The value that the last rule for ``selector`` gives ``prop`` (or None)."""
        return self.rules.get(selector, {}).get(prop)

    def colour(self, selector: str, prop: str = "color") -> str | None:
        """A colour of ``selector`` as ``RRGGBB`` (None when unset, transparent or ``none``)."""
        value = self.get(selector, prop)
        return None if value is None else css_colour(value)

    def classes(self) -> list[str]:
        """The class names that have a rule of their own (``.name``), in stylesheet order."""
        names = [s for s in self.rules if s.startswith(".") and _is_class_name(s[1:])]
        return sorted(names, key=self.order.__getitem__)


def _is_class_name(name: str) -> bool:
    return bool(name) and re.fullmatch(r"-?[A-Za-z_][A-Za-z0-9_-]*", name) is not None


def parse_stylesheet(css: str) -> Stylesheet:
    """The plain rules of ``css`` (text WeasyPrint also reads; nothing here fails on bad CSS)."""
    rules: dict[str, dict[str, str]] = {}
    order: dict[str, int] = {}
    parsed = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    for position, rule in enumerate(parsed):
        if rule.type != "qualified-rule":
            continue  # @page, @media... and parse errors
        declarations = {}
        for item in tinycss2.parse_declaration_list(
            rule.content, skip_comments=True, skip_whitespace=True
        ):
            if item.type == "declaration":
                declarations[item.lower_name] = tinycss2.serialize(item.value).strip()
        for selector in tinycss2.serialize(rule.prelude).split(","):
            key = _SPACE.sub(" ", selector).strip()
            if key:
                rules.setdefault(key, {}).update(declarations)
                order[key] = position
    return Stylesheet(rules, order)


def css_colour(value: str) -> str | None:
    """A CSS colour (``#rgb``, ``#rrggbb``, ``rgb()``, ``hsl()``, a name) as ``RRGGBB``.

    The first word that is a colour counts, so ``background: #F4F6F9`` and
    ``border-left: 2pt solid #1F3A5F`` both give theirs; None for ``none`` or transparent.
    """
    for token in tinycss2.parse_component_value_list(value):
        if token.type in ("whitespace", "comment"):
            continue
        rgba = tinycss2.color3.parse_color(token)
        if rgba is None or isinstance(rgba, str):  # not a colour, or 'currentColor'
            continue
        if rgba.alpha == 0:
            return None
        return "".join(f"{round(part * 255):02X}" for part in rgba[:3])
    return None


def points(value: str | None) -> float | None:
    """A length given in ``pt`` as a number (other units: None)."""
    match = _POINTS.match(value or "")
    return float(match[1]) if match else None


def severity_colours(css: str) -> dict[str, str]:
    """The ``.sev-*`` text colours of a stylesheet as ``#RRGGBB`` by severity (for charts)."""
    sheet = parse_stylesheet(css)
    found = {severity: sheet.colour(f".sev-{severity}") for severity in SEVERITY_NAMES}
    return {severity: f"#{colour}" for severity, colour in found.items() if colour}
