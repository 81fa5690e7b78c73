"""Reading the HTML: lenient parsing, classes and inline styles, CSS colours and lengths, text.

Everything here looks at the parsed element tree or at attribute strings only; nothing writes
to the Word document.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml import etree

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")

_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
# Characters that XML 1.0 cannot carry; lxml refuses them, so they are dropped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HEX_COLOUR = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?![0-9a-fA-F])")
_RGB_COLOUR = re.compile(r"rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)", re.I)
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(cm|mm|in|px|pt|%)?\s*$", re.I)
_EMU_PER_UNIT = {"cm": 360000.0, "mm": 36000.0, "in": 914400.0, "pt": 12700.0, "px": 9525.0}


def parse(html: str) -> Any:
    """Parse HTML leniently; an empty or unparsable document becomes an empty body."""
    # Lone surrogates cannot be encoded; "replace" keeps the rest of the text.
    data = html.encode("utf-8", "replace")
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        return lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        return lxml.html.document_fromstring(b"<html><body></body></html>", parser=parser)


def find(root: Any, tag: str) -> Any:
    """The first descendant element ``tag`` (or None)."""
    return next(iter(root.iter(tag)), None)


def classes(el: Any) -> set[str]:
    """The element's class names."""
    return set((el.get("class") or "").split())


def style_map(el: Any) -> dict[str, str]:
    """The element's inline ``style`` declarations, property names lower-cased."""
    result: dict[str, str] = {}
    style = el.get("style")
    if not style:  # most elements have none: skip the parsing
        return result
    for declaration in style.split(";"):
        name, sep, value = declaration.partition(":")
        if sep:
            result[name.strip().lower()] = value.strip()
    return result


def colour(value: str) -> str | None:
    """``#rgb``, ``#rrggbb`` or ``rgb(r, g, b)`` as ``RRGGBB``; None otherwise."""
    match = _HEX_COLOUR.search(value)
    if match:
        digits = match[1]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return digits.upper()
    match = _RGB_COLOUR.search(value)
    if match:
        return "".join(f"{min(int(part), 255):02X}" for part in match.groups())
    return None


def length(value: str, reference: int) -> int | None:
    """A CSS length (cm, mm, in, pt, px, %; a bare number is px) in EMU; None if unusable."""
    match = _LENGTH.match(value)
    if not match:
        return None
    number = float(match[1])
    unit = (match[2] or "px").lower()
    emu = reference * number / 100 if unit == "%" else number * _EMU_PER_UNIT[unit]
    return int(emu) if emu >= 1 else None


def collapse(text: str) -> str:
    """Runs of HTML white space as one space, XML-invalid characters dropped."""
    return _HTML_SPACE.sub(" ", _XML_INVALID.sub("", text))


def clean(text: str) -> str:
    """Text made safe for XML without touching its white space."""
    return _XML_INVALID.sub("", text)
