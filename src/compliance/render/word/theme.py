"""What the DOCX takes from the document's stylesheet: class looks, header cells, headings.

The converter has no colours of its own: ``html_to_docx`` is given the CSS that the PDF is
laid out with (``report.css.j2``/``meeting.css.j2`` after the user's overrides), and
:func:`theme_from_css` reads from it the selectors listed in :data:`STYLESHEET_SELECTORS`.
A stylesheet that lacks one leaves Word's default look there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from compliance.render.stylesheet import Stylesheet, parse_stylesheet, points

# The selectors the DOCX reads, and what it takes from each (ARCHITECTURE.md shows this table).
STYLESHEET_SELECTORS: dict[str, str] = {
    ".NAME": "an element with class NAME: color, font-weight, font-style, font-size (pt), "
    "text-align (as the element's inline style would, which still wins)",
    "thead th": "header cells: background (the cell shading) and color",
    "h1, h2, h3, h4": "the Heading 1-4 styles: color",
    "blockquote, .callout": "background and the colour of border-left: a shaded paragraph with a "
    "rule on the left (without them: the Intense Quote style)",
    "body.gbt9704 table th": "header cells of GB/T 9704 documents: background (none: no shading)"
    " and color",
}
_BOLD = frozenset({"bold", "bolder", "600", "700", "800", "900"})
_NOT_BOLD = frozenset({"normal", "lighter", "100", "200", "300", "400", "500"})
_ALIGNMENTS = frozenset({"left", "center", "right", "justify"})


@dataclass(frozen=True)
class Look:
    """The text look a class gives (None: left as inherited)."""

    color: str | None = None
    bold: bool | None = None
    italic: bool | None = None
    size: float | None = None
    align: str | None = None


@dataclass(frozen=True)
class Theme:
    """The stylesheet's values that the converter uses."""

    classes: dict[str, Look] = field(default_factory=dict)  # in stylesheet order
    header_fill: str | None = None
    header_colour: str | None = None
    headings: dict[int, str] = field(default_factory=dict)  # level -> RRGGBB
    callouts: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    official_header: tuple[str | None, str | None] | None = None  # GB/T 9704: (fill, colour)

    def looks(self, names: set[str]) -> list[Look]:
        """The looks of an element's classes, in stylesheet order (later rules win)."""
        return [look for name, look in self.classes.items() if name in names]


def theme_from_css(css: str) -> Theme:
    """The :class:`Theme` of a rendered stylesheet (an empty one for ``""``)."""
    sheet = parse_stylesheet(css)
    classes = {}
    for selector in sheet.classes():
        look = _look(sheet, selector)
        if look != Look():
            classes[selector[1:]] = look
    headings = {}
    for level in range(1, 5):
        colour = sheet.colour(f"h{level}")
        if colour:
            headings[level] = colour
    callouts = {}
    for selector in ("blockquote", ".callout"):
        pair = sheet.colour(selector, "background"), sheet.colour(selector, "border-left")
        if pair != (None, None):
            callouts[selector] = pair
    official_header = None
    gbt = "body.gbt9704 table th"
    if sheet.get(gbt, "background") is not None or sheet.get(gbt, "color") is not None:
        official_header = sheet.colour(gbt, "background"), sheet.colour(gbt)
    return Theme(
        callouts=callouts,
        official_header=official_header,
        classes=classes,
        header_fill=sheet.colour("thead th", "background-color")
        or sheet.colour("thead th", "background"),
        header_colour=sheet.colour("thead th"),
        headings=headings,
    )


def _look(sheet: Stylesheet, selector: str) -> Look:
    weight = (sheet.get(selector, "font-weight") or "").lower()
    style = (sheet.get(selector, "font-style") or "").lower()
    align = (sheet.get(selector, "text-align") or "").lower()
    return Look(
        color=sheet.colour(selector),
        bold=True if weight in _BOLD else False if weight in _NOT_BOLD else None,
        italic=True if style in {"italic", "oblique"} else False if style == "normal" else None,
        size=points(sheet.get(selector, "font-size")),
        align=align if align in _ALIGNMENTS else None,
    )
