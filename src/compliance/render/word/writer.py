"""Paragraph output: styles, list numbering, page breaks, bookmarks, hyperlinks and pictures.

The writer holds the document-wide state of the output (style lookups, bookmark and picture
ids, a page break waiting for the next body block) and turns a block look plus inline items into
a ``w:p`` in a story.
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Cm, Emu, Pt

from compliance.render.word.fields import field_end, field_start
from compliance.render.word.inline import (
    Break,
    Field,
    Item,
    Picture,
    Tab,
    Text,
    format_run,
    link_groups,
    new_run,
    text_run,
)
from compliance.render.word.markup import clean
from compliance.render.word.story import Block, Story

_DEFAULT_PT = 10.5  # Word's Normal size when a block does not say
_AFTER_PBDR = frozenset(
    qn(f"w:{name}")
    for name in (
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    )
)


class Writer:
    """Writes paragraphs (and places tables) in the stories of one document."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self._bookmark_id = 0
        self._picture_id = 0
        self._styles: dict[str, Any] = {}
        self._pending_break = False
        self._body_started = False

    def style(self, name: str) -> Any:
        """A paragraph or table style by name, looked up once (the lookup scans all styles)."""
        if name not in self._styles:
            try:
                self._styles[name] = self.document.styles[name]
            except KeyError:
                self._styles[name] = None
        return self._styles[name]

    def page_break(self, story: Story) -> None:
        """Start the next body block on a new page; a break before any content is dropped."""
        if story.body and self._body_started:
            self._pending_break = True

    def add_table(self, story: Story, tbl: Any) -> Any:
        """Place a prepared ``w:tbl`` in the story, after any page break waiting for it."""
        if story.body and self._pending_break:
            # Word ignores a page break inside a table: an empty paragraph carries it.
            self.new_paragraph(story, Block())
        table = story.add_table(tbl)
        if story.body:
            self._body_started = True
        return table

    def new_paragraph(self, story: Story, block: Block) -> Any:
        """An empty paragraph with the block's style, list numbering and page break."""
        paragraph = story.add_paragraph()
        style_name = block.style
        item = block.item
        if item is not None:
            style_name = item.continue_style if item.used else item.style
        style = self.style(style_name)
        if style is not None and style_name != "Normal":
            # Set pStyle directly: python-docx's setter scans every style for each paragraph.
            paragraph._p.get_or_add_pPr().style = style.style_id
        fmt = paragraph.paragraph_format
        if item is not None and not item.used:
            item.used = True
            if item.num_id is not None:
                num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = item.num_id
        if block.align is not None:
            paragraph.alignment = block.align
        if block.indent_cm and item is None:
            fmt.left_indent = Cm(block.indent_cm)
        if block.keep_with_next:
            fmt.keep_with_next = True
        if block.first_line_em or block.right_indent_em:
            em = block.font_pt or _DEFAULT_PT
            if block.first_line_em:
                fmt.first_line_indent = Pt(block.first_line_em * em)
            if block.right_indent_em:
                fmt.right_indent = Pt(block.right_indent_em * em)
        if block.space_before_pt:
            fmt.space_before = Pt(block.space_before_pt)
        if block.line_pt:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(block.line_pt)
            fmt.space_after = 0
        if block.rule_color:  # a callout: the stylesheet's left rule and background
            self._border(paragraph, "left", block.rule_color, "4")
        if block.fill:
            self._shade(paragraph, block.fill)
        if story.body:
            if self._pending_break:
                fmt.page_break_before = True
                self._pending_break = False
            self._body_started = True
        return paragraph

    def bottom_border(self, paragraph: Any, color: str) -> None:
        """A single 1.5 pt rule under the paragraph (the red line of a GB/T 9704 head)."""
        self._border(paragraph, "bottom", color)

    def _border(self, paragraph: Any, side: str, color: str, space: str = "1") -> None:
        """A single 1.5 pt rule on one side of the paragraph."""
        p_pr = paragraph._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        rule = OxmlElement(
            f"w:{side}",
            {qn("w:val"): "single", qn("w:sz"): "12", qn("w:space"): space, qn("w:color"): color},
        )
        borders.append(rule)
        # pBdr comes after keepNext...pageBreakBefore and before shd/tabs/spacing/ind/jc.
        successor = next(
            (c for c in p_pr if c.tag in _AFTER_PBDR),
            None,
        )
        if successor is not None:
            successor.addprevious(borders)
        else:
            p_pr.append(borders)

    def _shade(self, paragraph: Any, fill: str) -> None:
        """A background colour behind the paragraph (``w:shd``, right after ``w:pBdr``)."""
        p_pr = paragraph._p.get_or_add_pPr()
        shd = OxmlElement(
            "w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill}
        )
        successor = next((c for c in p_pr if c.tag in _AFTER_PBDR and c.tag != qn("w:shd")), None)
        if successor is not None:
            successor.addprevious(shd)
        else:
            p_pr.append(shd)

    def write_paragraph(
        self, story: Story, block: Block, items: list[Item], bookmark: str | None
    ) -> None:
        """A paragraph holding ``items``, wrapped in a bookmark when one is given."""
        if (
            block.center_lone_picture
            and len(items) == 1
            and isinstance(items[0], Picture)
            and block.item is None
        ):
            block = replace(block, align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph = self.new_paragraph(story, block)
        p = paragraph._p
        if bookmark is not None:
            self._bookmark_id += 1
            ident = str(self._bookmark_id)
            p.append(OxmlElement("w:bookmarkStart", {qn("w:id"): ident, qn("w:name"): bookmark}))
        self.write_items(paragraph, items)
        if bookmark is not None:
            p.append(OxmlElement("w:bookmarkEnd", {qn("w:id"): ident}))

    def write_items(self, paragraph: Any, items: list[Item]) -> None:
        """Runs for the items; linked stretches inside ``w:hyperlink`` elements."""
        for (url, anchor), group in link_groups(items):
            parent = paragraph._p
            if url is not None or anchor is not None:
                parent = OxmlElement("w:hyperlink", {qn("w:history"): "1"})
                if url is not None:
                    rel = paragraph.part.relate_to(
                        url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True
                    )
                    parent.set(qn("r:id"), rel)
                else:
                    parent.set(qn("w:anchor"), anchor)
                paragraph._p.append(parent)
            for item in group:
                self._write_item(parent, paragraph, item)

    def _write_item(self, parent: Any, paragraph: Any, item: Item) -> None:
        """The run(s) of one item, appended to the paragraph or to a hyperlink in it."""
        if isinstance(item, Text):
            run = text_run(parent, paragraph, item.text)
            format_run(run, item.fmt, item.text)
        elif isinstance(item, Break):
            new_run(parent, paragraph).add_break()
        elif isinstance(item, Tab):
            new_run(parent, paragraph).add_tab()
        elif isinstance(item, Field):
            field_start(parent, paragraph, item.code, item.fmt)
            result = text_run(parent, paragraph, item.result)  # shown until computed
            format_run(result, item.fmt, "")
            field_end(parent, paragraph, item.fmt)
        else:
            run = new_run(parent, paragraph)
            run.add_picture(io.BytesIO(item.blob), width=Emu(item.width), height=Emu(item.height))
            for doc_pr in run._r.iter(qn("wp:docPr")):
                # python-docx numbers pictures per part, so header and body ids could clash.
                self._picture_id += 1
                doc_pr.set("id", str(self._picture_id))
                doc_pr.set("name", f"Picture {self._picture_id}")
                doc_pr.set("descr", clean(item.alt))  # alt text for screen readers
