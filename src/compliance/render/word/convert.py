"""The tree walk: each HTML element is dispatched to the handler that writes its Word structure.

Block elements end the open paragraph and start their own; inline elements add formatting to
what their content inherits. Elements without a handler pass their content through, skipped
ones (``head``, ``script``...) vanish, and subtrees deeper than a fixed limit are flattened to
text so that the recursion stays bounded.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any, TypeAlias

from docx.enum.text import WD_ALIGN_PARAGRAPH

from compliance.render.word.fields import render_toc
from compliance.render.word.images import ImageCache, ImageLoader, render_image
from compliance.render.word.inline import Break, Field, Fmt
from compliance.render.word.lists import render_list, render_stray_item
from compliance.render.word.markup import HEADINGS, classes, clean, colour, length, style_map
from compliance.render.word.official import (
    GBT_BODY_FONT,
    GBT_BODY_PT,
    GBT_HEADING_FONT,
    GBT_LINE_PT,
    text_width,
)
from compliance.render.word.sections import render_landscape
from compliance.render.word.story import Block, Ctx, Flow, Story
from compliance.render.word.styles import TEXT_WIDTH
from compliance.render.word.subset import CONTAINERS, SKIPPED
from compliance.render.word.tables import render_table
from compliance.render.word.theme import Theme
from compliance.render.word.writer import Writer

Handler: TypeAlias = Callable[[Any, Ctx, Flow], None]

_MAX_DEPTH = 120  # deeper subtrees are flattened to text so recursion stays bounded
_BOLD_WEIGHTS = frozenset({"bold", "bolder", "600", "700", "800", "900"})
_HTTP_URL = re.compile(r"https?://", re.I)
_POINTS = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*pt\s*$", re.I)
_EMS = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*em\s*$", re.I)
_EMU_PER_CM = 360000

_ALIGNMENTS = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


class Converter:
    """Walks the parsed HTML and writes the matching Word structure."""

    def __init__(
        self,
        document: Any,
        load_image: ImageLoader,
        bookmarks: dict[str, str],
        pages: dict[str, int] | None = None,
        official: bool = False,
        theme: Theme | None = None,
    ) -> None:
        self.writer = Writer(document)
        self.theme = theme or Theme()  # the stylesheet's colours and sizes
        self.images = ImageCache(load_image)
        self.bookmarks = bookmarks
        self.pages = pages or {}  # heading id -> page number, for the contents
        self.margins: Any = None  # the HTML that gave the page header and footer
        self.official = official  # GB/T 9704 layout: FangSong body, 22 lines a page
        self._handlers = self._make_handlers()

    def render_body(self, body: Any) -> None:
        """The document body; an empty body still gets the paragraph Word needs."""
        document = self.writer.document
        width = text_width(document) if self.official else TEXT_WIDTH
        story = Story(document, document.element.body, width=width, body=True)
        block, fmt = Block(), Fmt()
        if self.official:
            block = Block(line_pt=GBT_LINE_PT, font_pt=GBT_BODY_PT)
            fmt = Fmt(font=GBT_BODY_FONT)
        self.render_block(body, Ctx(story, block, fmt))
        story.finish()

    # ----- tree walking

    def _make_handlers(self) -> dict[str, Handler]:
        # div, section and the like are transparent, but they end the open paragraph.
        handlers: dict[str, Handler] = {tag: self.in_block for tag in CONTAINERS}
        bold = partial(self._formatted, bold=True)
        italic = partial(self._formatted, italic=True)
        code = partial(self._formatted, mono=True)
        handlers.update(
            {
                "div": self._div,
                "section": self._section,
                "nav": self._nav,
                "p": self._picture_block,
                "ul": partial(render_list, self),
                "ol": partial(render_list, self),
                "li": partial(render_stray_item, self),
                "table": partial(render_table, self),
                "blockquote": self._quote,
                "figure": self._picture_block,
                "figcaption": self.caption,
                "dt": self._term,
                "dd": self._definition,
                "strong": bold,
                "b": bold,
                "em": italic,
                "i": italic,
                "code": code,
                "kbd": code,
                "samp": code,
                "span": self._span,
                "a": self._anchor,
                "br": self._break,
                "hr": self._rule,
                "img": partial(render_image, self),
            }
        )
        for tag in HEADINGS:
            handlers[tag] = self._heading
        return handlers

    def children(self, el: Any, ctx: Ctx, flow: Flow) -> None:
        """Walk the element's text, child elements and their tails."""
        flow.text(el.text, ctx.fmt)
        for child in el:
            self.walk(child, ctx, flow)
            flow.text(child.tail, ctx.fmt)

    def walk(self, el: Any, ctx: Ctx, flow: Flow) -> None:
        """Render one element; unknown elements pass their content through."""
        if not isinstance(el.tag, str):  # comments and processing instructions
            return
        tag = el.tag.lower()
        if tag in SKIPPED:
            return
        if ctx.depth >= _MAX_DEPTH:
            flow.text(el.text_content(), ctx.fmt)
            return
        ctx = self.inherit(el, replace(ctx, depth=ctx.depth + 1))
        self._handlers.get(tag, self.children)(el, ctx, flow)

    def inherit(self, el: Any, ctx: Ctx) -> Ctx:
        """Apply the colour, size, weight and alignment that classes and ``style`` give."""
        names = classes(el)
        css = style_map(el)
        if not names and not css:
            return ctx
        fmt, block = ctx.fmt, ctx.block
        for look in self.theme.looks(names) if names else ():  # the stylesheet's class rules
            fmt = replace(
                fmt,
                color=look.color or fmt.color,
                bold=fmt.bold if look.bold is None else look.bold,
                italic=fmt.italic if look.italic is None else look.italic,
                size=look.size or fmt.size,
            )
            if look.align is not None:
                block = replace(block, align=_ALIGNMENTS[look.align])
        text_colour = colour(css.get("color", ""))
        if text_colour:
            fmt = replace(fmt, color=text_colour)
        if css.get("font-weight", "") in _BOLD_WEIGHTS:
            fmt = replace(fmt, bold=True)
        if css.get("font-style", "") in {"italic", "oblique"}:
            fmt = replace(fmt, italic=True)
        align = _ALIGNMENTS.get(css.get("text-align", "").lower())
        if align is not None:
            block = replace(block, align=align)
        if css:
            fmt, block = _sizes_and_fonts(css, fmt, block)
        return replace(ctx, fmt=fmt, block=block)

    def render_block(self, el: Any, ctx: Ctx, bookmark: str | None = None) -> None:
        """The element's content as paragraph(s) of its own, with ``ctx``'s paragraph look."""
        flow = Flow(self.writer, ctx, bookmark)
        self.children(el, ctx, flow)
        flow.flush()

    def in_block(self, el: Any, ctx: Ctx, flow: Flow, bookmark: str | None = None) -> None:
        """End the open paragraph, then render the element's content as its own block(s)."""
        flow.flush()
        self.render_block(el, ctx, bookmark)

    # ----- block elements

    def _div(self, el: Any, ctx: Ctx, flow: Flow) -> None:
        names = classes(el)
        if "page-break" in names:
            flow.flush()
            self.writer.page_break(ctx.story)
        elif names & {"page-header", "page-footer"}:
            flow.flush()  # already rendered into the page margins
        elif "callout" in names:
            self._quote(el, ctx, flow)
        else:
            self.in_block(el, ctx, flow)

    def _section(self, el: Any, ctx: Ctx, flow: Flow) -> None:
        if "cover" in classes(el):
            self.in_block(el, replace(ctx, cover=True), flow)
            self.writer.page_break(ctx.story)
        elif "landscape" in classes(el):
            render_landscape(self, el, ctx, flow)
        else:
            self.in_block(el, ctx, flow)

    def _nav(self, el: Any, ctx: Ctx, flow: Flow) -> None:
        if "toc" in classes(el):
            flow.flush()
            render_toc(self, el, ctx)
        else:
            self.in_block(el, ctx, flow)

    def _picture_block(self, el: Any, ctx: Ctx, flow: Flow) -> None:
        """``p`` and ``figure``: a block whose only content, if a picture, is centred."""
        self.in_block(el, replace(ctx, block=replace(ctx.block, center_lone_picture=True)), flow)

    def _heading(self, el: Any, ctx: Ctx, flow: Flow) -> None:
        level = int(el.tag[1])
        style = f"Heading {level}"
        if level == 1 and ctx.cover and "title" in classes(el):
            style = "Title"
        block = Block(style=style, align=ctx.block.align, space_before_pt=ctx.block.space_before_pt)
        if self.official and ctx.fmt.color is None:
            # GB/T 9704 headings are black, in the Kai face, at the body size (not Word's blue)
            fmt = replace(ctx.fmt, color="000000", font=ctx.fmt.font or GBT_HEADING_FONT)
            ctx = replace(ctx, fmt=replace(fmt, size=fmt.size or GBT_BODY_PT))
        bookmark = self.bookmarks.get(el.get("id") or "")
        self.in_block(el, replace(ctx, block=block), flow, bookmark)

    def _quote(self, el: Any, ctx: Ctx, flow: Flow) -> None:
        """``blockquote`` and ``div.callout``: shaded as the stylesheet says, else Intense Quote."""
        fill, rule = self.theme.callouts.get("blockquote" if el.tag == "blockquote" else ".callout",
                                             (None, None))  # fmt: skip
        if fill is None and rule is None:
            block = replace(ctx.block, style="Intense Quote")
        else:
            block = replace(ctx.block, fill=fill, rule_color=rule)
        self.in_block(el, replace(ctx, block=block), flow)

    def caption(self, el: Any, ctx: Ctx, flow: Flow) -> None:
        """A figure or table caption: its own centred "Caption" paragraph."""
        block = Block(style="Caption", align=WD_ALIGN_PARAGRAPH.CENTER)
        self.in_block(el, replace(ctx, block=block), flow)

    def _term(self, el: Any, ctx: Ctx, flow: Flow) -> None:
        block = replace(ctx.block, keep_with_next=True)
        self.in_block(el, replace(ctx, block=block, fmt=replace(ctx.fmt, bold=True)), flow)

    def _definition(self, el: Any, ctx: Ctx, flow: Flow) -> None:
        block = replace(ctx.block, indent_cm=ctx.block.indent_cm + 1.0)
        self.in_block(el, replace(ctx, block=block), flow)

    # ----- inline elements

    def _formatted(self, el: Any, ctx: Ctx, flow: Flow, **changes: Any) -> None:
        """``strong``, ``em``, ``code`` and the like: the content with one format changed."""
        self.children(el, replace(ctx, fmt=replace(ctx.fmt, **changes)), flow)

    def _span(self, el: Any, ctx: Ctx, flow: Flow) -> None:
        names = classes(el)
        if "page-number" in names:
            flow.add(Field("PAGE", ctx.fmt))
        elif "page-count" in names:
            flow.add(Field("NUMPAGES", ctx.fmt))
        else:
            self.children(el, ctx, flow)

    def _anchor(self, el: Any, ctx: Ctx, flow: Flow) -> None:
        """Links: http(s) become hyperlinks, ``#id`` of a heading an internal link, else text."""
        href = clean(el.get("href") or "").strip()
        fmt = ctx.fmt
        if href.startswith("#") and href[1:] in self.bookmarks:
            fmt = replace(fmt, anchor=self.bookmarks[href[1:]], link=None)
        elif _HTTP_URL.match(href):
            # Percent-encode what a URI may not contain; Word rejects such relationships.
            safe = urllib.parse.quote(href, safe=":/?#[]@!$&'()*+,;=%~")
            fmt = replace(fmt, link=safe, anchor=None)
        self.children(el, replace(ctx, fmt=fmt), flow)

    def _break(self, el: Any, ctx: Ctx, flow: Flow) -> None:
        flow.add(Break())

    def _rule(self, el: Any, ctx: Ctx, flow: Flow) -> None:
        """``hr``: an empty paragraph with a bottom border in the element's colour."""
        flow.flush()
        paragraph = self.writer.new_paragraph(ctx.story, replace(ctx.block, line_pt=0.0))
        paragraph.paragraph_format.space_after = 0
        self.writer.bottom_border(paragraph, ctx.fmt.color or "000000")


def _sizes_and_fonts(css: dict[str, str], fmt: Fmt, block: Block) -> tuple[Fmt, Block]:
    """font-size and line-height in pt, the first font-family, text-indent and margins."""
    size = _POINTS.match(css.get("font-size", ""))
    if size:
        fmt = replace(fmt, size=float(size[1]))
        block = replace(block, font_pt=float(size[1]))
    family = css.get("font-family", "").split(",")[0].strip().strip("'\"")
    if family:
        fmt = replace(fmt, font=family)
    above = _POINTS.match(css.get("margin-top", ""))
    if above:
        block = replace(block, space_before_pt=float(above[1]))
    line = _POINTS.match(css.get("line-height", ""))
    if line:
        block = replace(block, line_pt=float(line[1]))
    indent = _EMS.match(css.get("text-indent", ""))
    if indent:
        block = replace(block, first_line_em=float(indent[1]))
    if "avoid" in (css.get("break-after", "") + css.get("page-break-after", "")):
        block = replace(block, keep_with_next=True)
    right = _EMS.match(css.get("margin-right", ""))
    if right:
        block = replace(block, right_indent_em=float(right[1]))
    left = length(css.get("margin-left", ""), 0)
    if left and "%" not in css.get("margin-left", ""):
        block = replace(block, indent_cm=left / _EMU_PER_CM)
    return fmt, block
