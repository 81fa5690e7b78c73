"""The HTML the DOCX converter handles, as data, and the strict check against it.

The converter maps a small subset of HTML to Word; anything else passes its text through
(an unknown element) or is ignored (an unknown attribute or inline style). These tables are
that subset: the converter's dispatch uses :data:`SKIPPED` and :data:`CONTAINERS`, ARCHITECTURE.md
lists the same tables, and :func:`unsupported` (``html_to_docx(strict=True)``, used by the
tests that render every built-in template) names what falls outside them, so a template that
starts using an element or style the DOCX would lose fails a test instead of a reader.
"""

from __future__ import annotations

import re
from typing import Any

from compliance.render.word.markup import colour, length, style_map

# Elements whose content is dropped (``title`` and ``meta`` are read for the core properties).
SKIPPED = frozenset(
    {"head", "title", "meta", "style", "script", "link", "template", "base", "noscript"}
)
# Transparent blocks: they end the open paragraph and render their content as blocks.
CONTAINERS = frozenset(
    {
        "div",
        "section",
        "nav",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "address",
        "pre",
        "form",
        "fieldset",
        "details",
        "summary",
        "hgroup",
        "center",
        "dl",
        "body",
        "html",
    }
)
# Every element the converter handles, with what it becomes in Word.
ELEMENTS: dict[str, str] = {
    **dict.fromkeys(sorted(SKIPPED), "dropped with its content (title, meta: core properties)"),
    **dict.fromkeys(sorted(CONTAINERS), "transparent block: ends the open paragraph"),
    "p": "paragraph (a lone picture in it is centred)",
    "h1": "Heading 1 (Title on the cover), bookmarked by id",
    "h2": "Heading 2",
    "h3": "Heading 3",
    "h4": "Heading 4",
    "h5": "Heading 5",
    "h6": "Heading 6",
    "ul": "bulleted list",
    "ol": "numbered list (start)",
    "li": "list item",
    "table": "fixed-layout table, header rows repeated",
    "caption": "table caption (Caption style)",
    "colgroup": "column widths",
    "col": "column width",
    "thead": "header rows",
    "tbody": "body rows",
    "tfoot": "body rows",
    "tr": "row that does not split (height: at least)",
    "th": "bold cell (a first row of th heads the table)",
    "td": "cell (background shading)",
    "blockquote": "call-out: shaded with a left rule as the stylesheet says, else Intense Quote",
    "figure": "block with its picture centred",
    "figcaption": "Caption paragraph",
    "dt": "bold term kept with its definition",
    "dd": "indented definition",
    "strong": "bold",
    "b": "bold",
    "em": "italic",
    "i": "italic",
    "code": "monospace",
    "kbd": "monospace",
    "samp": "monospace",
    "span": "inline text (page-number, page-count: fields)",
    "a": "hyperlink (http, https) or internal link (#id of a heading)",
    "br": "line break",
    "hr": "paragraph with a bottom border",
    "img": "picture (PNG or JPEG from the document's assets)",
}
# Attributes read on every element, and per element.
GLOBAL_ATTRIBUTES = frozenset({"class", "style", "id"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "html": frozenset({"lang"}),
    "meta": frozenset({"name", "content", "charset"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan"}),
    "th": frozenset({"colspan"}),
    "col": frozenset({"span", "width"}),
    "ol": frozenset({"start"}),
}
_WEIGHTS = frozenset({"bold", "bolder", "600", "700", "800", "900"})
_ALIGN = frozenset({"left", "center", "right", "justify"})
_PT = re.compile(r"\s*[0-9]*\.?[0-9]+\s*pt\s*$", re.I)
_EM = re.compile(r"\s*[0-9]*\.?[0-9]+\s*em\s*$", re.I)


def _is_length(value: str) -> bool:
    return length(value, 1000) is not None


def _is_colour(value: str) -> bool:
    return colour(value) is not None


# Inline style properties (``style="..."``), the values the converter understands, and where.
STYLES: dict[str, tuple[str, Any, frozenset[str] | None]] = {
    "color": ("#rgb, #rrggbb or rgb()", _is_colour, None),
    "font-weight": ("bold, bolder, 600-900", lambda v: v.strip() in _WEIGHTS, None),
    "font-style": ("italic, oblique", lambda v: v.strip() in {"italic", "oblique"}, None),
    "text-align": ("left, center, right, justify", lambda v: v.strip().lower() in _ALIGN, None),
    "font-size": ("pt", _PT.match, None),
    "font-family": ("the first family", lambda v: bool(v.strip()), None),
    "line-height": ("pt", _PT.match, None),
    "margin-top": ("pt", _PT.match, None),
    "margin-right": ("em", _EM.match, None),
    "margin-left": ("cm, mm, in, pt, px", lambda v: "%" not in v and _is_length(v), None),
    "text-indent": ("em (first line)", _EM.match, None),
    "break-after": ("avoid (keep with next)", lambda v: "avoid" in v, None),
    "page-break-after": ("avoid (keep with next)", lambda v: "avoid" in v, None),
    "background": ("a colour (cell shading)", _is_colour, frozenset({"td", "th"})),
    "background-color": ("a colour (cell shading)", _is_colour, frozenset({"td", "th"})),
    "width": ("cm, mm, in, pt, px, %", _is_length, frozenset({"img", "col"})),
    "height": ("cm, mm, in, pt, px", _is_length, frozenset({"img", "tr"})),
}
# Classes with a meaning of their own to the converter (any class also takes its colour, weight,
# style, size and alignment from the stylesheet: theme.STYLESHEET_SELECTORS).
CLASSES: dict[str, str] = {
    "body.gbt9704": "GB/T 9704 page: FangSong body, 22 lines a page, folios",
    "section.cover": "cover page (Title style, no running header), then a page break",
    "h1.title": "the cover's Title",
    "section.landscape": "landscape pages of their own",
    "nav.toc": "table of contents (page numbers from the PDF's layout)",
    "div.page-break": "page break",
    "div.page-header, div.page-footer": "page header and footer (span.left, .center, .right)",
    "div.callout": "call-out, as blockquote",
    "span.page-number, span.page-count": "PAGE and NUMPAGES fields",
    "td.num, th.num": "right-aligned cell",
    "table.rules": "rules above, between and below rows only",
    "table.keep-with-next": "kept with what follows",
    ".page-foot > table": "floated to the foot of its page",
}


def unsupported(root: Any) -> list[str]:
    """What in the parsed document falls outside the subset, one line each, first seen first."""
    problems: dict[str, None] = {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag not in ELEMENTS:
            problems[f"element <{tag}>"] = None
            continue
        allowed = GLOBAL_ATTRIBUTES | ATTRIBUTES.get(tag, frozenset())
        for name in el.attrib:
            if name not in allowed:
                problems[f"attribute {name} on <{tag}>"] = None
        for prop, value in style_map(el).items():
            rule = STYLES.get(prop)
            if rule is None or (rule[2] is not None and tag not in rule[2]):
                problems[f"style {prop} on <{tag}>"] = None
            elif not rule[1](value):
                problems[f"style {prop}: {value} on <{tag}> (understood: {rule[0]})"] = None
    return list(problems)


class UnsupportedMarkup(ValueError):
    """Strict conversion met HTML outside the subset (the message lists what)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("HTML the DOCX converter does not handle: " + "; ".join(problems))
        self.problems = problems
