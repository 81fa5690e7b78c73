"""Landscape sections: a ``section.landscape`` of the HTML on turned pages of its own.

A wide register (the rectification plan's nine columns) reads badly on a portrait page. In
Word a section's page set-up is stored in the ``w:sectPr`` of the paragraph that ends it; the
last section's is the body's own. So a landscape part is framed by two section breaks: one
that ends the portrait pages before it (a copy of the body's set-up, with the cover's
different first page), one that ends the turned pages (the copy turned, no different first
page). The pages after it continue with the body's set-up, now without a different first page.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from docx.oxml.ns import qn
from docx.section import Section

from compliance.render.word.fields import render_margins
from compliance.render.word.story import Ctx, Flow, Story
from compliance.render.word.styles import _MARGIN, _PAGE_HEIGHT, _PAGE_WIDTH, TEXT_WIDTH

if TYPE_CHECKING:
    from compliance.render.word.convert import Converter

LANDSCAPE_TEXT_WIDTH = int(_PAGE_HEIGHT - 2 * _MARGIN)  # EMU
_EMU_PER_TWIP = 635


def render_landscape(conv: Converter, el: Any, ctx: Ctx, flow: Flow) -> None:
    """The element's content on landscape pages (in the body; elsewhere as usual)."""
    story = ctx.story
    body_sect = story.element.find(qn("w:sectPr"))
    if not story.body or body_sect is None:
        conv.in_block(el, ctx, flow)
        return
    flow.flush()
    _end_section(story, copy.deepcopy(body_sect))
    conv.writer._pending_break = False  # the section break already starts a new page
    story.width = LANDSCAPE_TEXT_WIDTH
    try:
        conv.in_block(el, ctx, flow)
    finally:
        story.width = TEXT_WIDTH
    turned = copy.deepcopy(body_sect)
    _no_title_page(turned)
    size = turned.find(qn("w:pgSz"))
    if size is not None:
        size.set(qn("w:w"), str(int(_PAGE_HEIGHT) // _EMU_PER_TWIP))
        size.set(qn("w:h"), str(int(_PAGE_WIDTH) // _EMU_PER_TWIP))
        size.set(qn("w:orient"), "landscape")
    for reference in turned.findall(qn("w:headerReference")) + turned.findall(
        qn("w:footerReference")
    ):
        turned.remove(reference)
    _end_section(story, turned)
    if conv.margins is not None:  # its own header and footer, tab stops at the turned width
        render_margins(
            conv, conv.margins, Section(turned, conv.writer.document.part), LANDSCAPE_TEXT_WIDTH
        )
    conv.writer._pending_break = False
    _no_title_page(body_sect)  # the cover is in the first section, not in the last


def _end_section(story: Story, sect_pr: Any) -> None:
    """An empty paragraph that ends the current section with the set-up ``sect_pr``."""
    paragraph = story.add_paragraph()
    paragraph._p.get_or_add_pPr().append(sect_pr)


def _no_title_page(sect_pr: Any) -> None:
    for title_pg in sect_pr.findall(qn("w:titlePg")):
        sect_pr.remove(title_pg)
