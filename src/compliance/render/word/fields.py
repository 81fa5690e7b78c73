"""Word fields and page furniture: complex fields, the table of contents, bookmarks, margins.

``PAGE``/``NUMPAGES`` in the header or footer are complex fields that Word computes. The
contents list the entries of the HTML's ``nav.toc``, each linked to the bookmark that wraps
its heading, with a ``PAGEREF`` field whose shown result is the page number of the PDF layout:
no TOC field and no "update fields" request, so Word opens the file without asking (and
LibreOffice computes the references itself). The page header and footer come from the first
``div.page-header`` and ``div.page-footer``; a document with a cover has none on its first page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Emu

from compliance.render.word.inline import (
    XML_SPACE,
    Field,
    Fmt,
    Item,
    Tab,
    Text,
    format_run,
    new_run,
)
from compliance.render.word.markup import HEADINGS, classes, collapse
from compliance.render.word.story import Block, Ctx, Flow, Story
from compliance.render.word.styles import TEXT_WIDTH

if TYPE_CHECKING:
    from compliance.render.word.convert import Converter

# Above this width (in half-em units: a Chinese character counts 2) the three parts of a
# running header would run into each other on one line: the centre part gets its own line.
_MARGIN_ONE_LINE = 92
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
    """A heading, then one linked entry per ``li``, its page number a ``PAGEREF`` field."""
    title = next((h for h in el.iter(*HEADINGS) if h is not el), None)
    if title is not None:
        conv.render_block(title, replace(ctx, block=Block(style="TOC Heading")))
    writer, story = conv.writer, ctx.story
    for level, text, href in _toc_entries(el, 1):
        paragraph = writer.new_paragraph(story, Block(style=f"toc {level}"))
        ident = href[1:] if href.startswith("#") else ""
        anchor = conv.bookmarks.get(ident)
        items: list[Item] = [Text(text, Fmt(anchor=anchor, decorate_link=False))]
        if anchor is not None:
            page = conv.pages.get(ident)
            items += [Tab(), Field(f"PAGEREF {anchor} \\h", Fmt(), str(page) if page else "")]
        writer.write_items(paragraph, items)


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


def render_margins(
    conv: Converter, body: Any, section: Any = None, width: int = TEXT_WIDTH
) -> None:
    """Page header and footer from the first ``div.page-header`` / ``div.page-footer``.

    By default for the document's first section; a landscape section gets its own, with the
    tab stops at its wider text width.
    """
    conv.margins = body
    if section is None:
        section = conv.writer.document.sections[0]
        if any("cover" in classes(s) for s in body.iter("section")):
            # the cover page (a title page) shows no running header, footer or page number
            section.different_first_page_header_footer = True
    for css_class, part, style in (
        ("page-header", section.header, "Header"),
        ("page-footer", section.footer, "Footer"),
    ):
        el = next((d for d in body.iter("div") if css_class in classes(d)), None)
        if el is not None:
            part.is_linked_to_previous = False
            story = Story(part, part._element, width=width)
            no_centre = _render_margin(conv, el, Ctx(story, Block(style=style), Fmt()), width)
            story.finish()
            _set_tab_stops(part, width, no_centre)


def _set_tab_stops(part: Any, width: int, no_centre: bool) -> None:
    """Tab stops for the text width; a first line of left and right parts only has no centre
    stop, so that its one tab goes to the right edge however long the left part is."""
    for index, paragraph in enumerate(part.paragraphs):
        stops = paragraph.paragraph_format.tab_stops
        centre = not (no_centre and index == 0)
        if not centre:
            stops.add_tab_stop(Emu(TEXT_WIDTH // 2), WD_TAB_ALIGNMENT.CLEAR)
        if width == TEXT_WIDTH:
            continue  # the style's right stop is at the right edge
        stops.add_tab_stop(Emu(TEXT_WIDTH), WD_TAB_ALIGNMENT.CLEAR)
        if centre:
            stops.add_tab_stop(Emu(TEXT_WIDTH // 2), WD_TAB_ALIGNMENT.CLEAR)
            stops.add_tab_stop(Emu(width // 2), WD_TAB_ALIGNMENT.CENTER)
        stops.add_tab_stop(Emu(width), WD_TAB_ALIGNMENT.RIGHT)


def _render_margin(conv: Converter, el: Any, ctx: Ctx, width: int = TEXT_WIDTH) -> bool:
    """Header/footer text; ``span.left|center|right`` parts are joined by tab stops.

    True when the first line holds a left and a right part only (joined by one tab).
    """
    parts: dict[str, Any] = {}
    for span in el.iter("span"):
        for name in classes(span) & set(_MARGIN_PARTS):
            parts.setdefault(name, span)
    flow = Flow(conv.writer, ctx)
    no_centre = False
    if not parts:
        conv.children(el, ctx, flow)
    elif "center" not in parts or _width(parts) > _MARGIN_ONE_LINE * width // TEXT_WIDTH:
        # left and right on the first line; a centre part centred on a line of its own
        if "left" in parts:
            conv.children(parts["left"], conv.inherit(parts["left"], ctx), flow)
        if "right" in parts:
            flow.add(Tab())
            conv.children(parts["right"], conv.inherit(parts["right"], ctx), flow)
        no_centre = True
        if "center" not in parts:
            flow.flush()
            return no_centre
        flow.flush()
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        centre = replace(ctx, block=replace(ctx.block, align=WD_ALIGN_PARAGRAPH.CENTER))
        flow = Flow(conv.writer, centre)
        conv.children(parts["center"], conv.inherit(parts["center"], centre), flow)
    else:
        last = max(_MARGIN_PARTS.index(name) for name in parts)
        for index, name in enumerate(_MARGIN_PARTS[: last + 1]):
            if index:
                flow.add(Tab())
            if name in parts:
                conv.children(parts[name], conv.inherit(parts[name], ctx), flow)
    flow.flush()
    return no_centre


def _width(parts: dict[str, Any]) -> int:
    """Rough width of the margin parts in half-em units (a Chinese character counts 2)."""
    text = "".join(collapse(span.text_content()) for span in parts.values())
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)
