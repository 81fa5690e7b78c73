"""Word fields and page furniture: complex fields, the table of contents, bookmarks, margins.

``PAGE``/``NUMPAGES`` in the header or footer and the ``TOC`` are complex fields that Word
computes; the TOC's cached result lists the entries of the HTML's ``nav.toc`` and links to
bookmarks that wrap the headings. The page header and footer come from the first
``div.page-header`` and ``div.page-footer``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

from compliance.render.word.inline import XML_SPACE, Fmt, Item, Tab, Text, format_run, new_run
from compliance.render.word.markup import HEADINGS, classes, collapse
from compliance.render.word.story import Block, Ctx, Flow, Story
from compliance.render.word.styles import TEXT_WIDTH

if TYPE_CHECKING:
    from compliance.render.word.convert import Converter

_TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
_MARGIN_PARTS = ("left", "center", "right")

# --------------------------------------------------------------------------- complex fields


def field_start(parent: Any, paragraph: Any, instruction: str, fmt: Fmt | None = None) -> None:
    """The ``begin``, instruction and ``separate`` parts of a complex field."""
    _fld_char(parent, paragraph, "begin", fmt)
    run = new_run(parent, paragraph)
    instr = OxmlElement("w:instrText")
    instr.set(XML_SPACE, "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    _fld_char(parent, paragraph, "separate", fmt)


def field_end(parent: Any, paragraph: Any, fmt: Fmt | None = None) -> None:
    """The ``end`` part of a complex field."""
    _fld_char(parent, paragraph, "end", fmt)


def _fld_char(parent: Any, paragraph: Any, kind: str, fmt: Fmt | None) -> None:
    """A run holding one ``w:fldChar`` (``begin``, ``separate`` or ``end``)."""
    run = new_run(parent, paragraph)
    if fmt is not None:
        format_run(run, fmt, "")
    run._r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))


# --------------------------------------------------------------------------- bookmarks, TOC


def bookmark_names(body: Any) -> dict[str, str]:
    """Map heading ids to unique Word bookmark names (letter first, ``[A-Za-z0-9_]``, <= 40)."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for el in body.iter(*HEADINGS):
        ident = el.get("id")
        if not ident or ident in names:
            continue
        base = re.sub(r"[^A-Za-z0-9_]", "_", ident)
        if not base[0].isascii() or not base[0].isalpha():
            base = "h_" + base
        base = base[:40]
        name, counter = base, 2
        while name.lower() in used:  # Word compares bookmark names case-insensitively
            suffix = f"_{counter}"
            name, counter = base[: 40 - len(suffix)] + suffix, counter + 1
        used.add(name.lower())
        names[ident] = name
    return names


def render_toc(conv: Converter, el: Any, ctx: Ctx) -> None:
    """A heading, then a TOC field whose cached result lists the ``li`` texts."""
    title = next((h for h in el.iter(*HEADINGS) if h is not el), None)
    if title is not None:
        conv.render_block(title, replace(ctx, block=Block(style="TOC Heading")))
    entries = list(_toc_entries(el, 1))
    writer, story = conv.writer, ctx.story
    if not entries:
        paragraph = writer.new_paragraph(story, Block(style="toc 1"))
        field_start(paragraph._p, paragraph, _TOC_INSTRUCTION)
        field_end(paragraph._p, paragraph)
        return
    for index, (level, text, href) in enumerate(entries):
        paragraph = writer.new_paragraph(story, Block(style=f"toc {level}"))
        if index == 0:
            field_start(paragraph._p, paragraph, _TOC_INSTRUCTION)
        anchor = conv.bookmarks.get(href[1:]) if href.startswith("#") else None
        items: list[Item] = [Text(text, Fmt(anchor=anchor, decorate_link=False))]
        writer.write_items(paragraph, items)
        if index == len(entries) - 1:
            field_end(paragraph._p, paragraph)


def _toc_entries(el: Any, level: int) -> Iterator[tuple[int, str, str]]:
    """(level, text, href) for each ``li`` of the TOC's lists, nested lists one level down."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag in {"ul", "ol"}:
            for li in child:
                if isinstance(li.tag, str) and li.tag == "li":
                    yield from _toc_entry(li, level)
        elif child.tag not in HEADINGS:
            yield from _toc_entries(child, level)


def _toc_entry(li: Any, level: int) -> Iterator[tuple[int, str, str]]:
    # The item's own link, not one of a nested list's items.
    link = next((a for a in li.iter("a") if next(a.iterancestors("li"), None) is li), None)
    source = link if link is not None else li
    text = collapse(_own_text(source)).strip()
    if text:
        yield min(level, 2), text, (link.get("href") or "") if link is not None else ""
    for child in li:
        if isinstance(child.tag, str) and child.tag in {"ul", "ol"}:
            yield from _toc_entries(li, level + 1)
            break


def _own_text(el: Any) -> str:
    """Text of an element without that of nested lists."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in {"ul", "ol"}:
            parts.append(_own_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


# --------------------------------------------------------------------------- page margins


def render_margins(conv: Converter, body: Any) -> None:
    """Page header and footer from the first ``div.page-header`` / ``div.page-footer``."""
    section = conv.writer.document.sections[0]
    for css_class, part, style in (
        ("page-header", section.header, "Header"),
        ("page-footer", section.footer, "Footer"),
    ):
        el = next((d for d in body.iter("div") if css_class in classes(d)), None)
        if el is not None:
            part.is_linked_to_previous = False
            story = Story(part, part._element, width=TEXT_WIDTH)
            _render_margin(conv, el, Ctx(story, Block(style=style), Fmt()))
            story.finish()


def _render_margin(conv: Converter, el: Any, ctx: Ctx) -> None:
    """Header/footer text; ``span.left|center|right`` parts are joined by tab stops."""
    parts: dict[str, Any] = {}
    for span in el.iter("span"):
        for name in classes(span) & set(_MARGIN_PARTS):
            parts.setdefault(name, span)
    flow = Flow(conv.writer, ctx)
    if not parts:
        conv.children(el, ctx, flow)
    else:
        last = max(_MARGIN_PARTS.index(name) for name in parts)
        for index, name in enumerate(_MARGIN_PARTS[: last + 1]):
            if index:
                flow.add(Tab())
            if name in parts:
                conv.children(parts[name], conv.inherit(parts[name], ctx), flow)
    flow.flush()
