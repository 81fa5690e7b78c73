"""Where and how paragraphs are written: stories, block looks, inherited context, open flows.

A story is the body, a page header or footer, or a table cell. A block says how its paragraphs
look (style, alignment, indent, list item), the context is what an element inherits from its
ancestors, and a flow collects the inline content of one paragraph until something ends it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.table import Table
from docx.text.paragraph import Paragraph

from compliance.render.word.inline import Fmt, Item, Text, normalise_items
from compliance.render.word.markup import collapse

if TYPE_CHECKING:
    from compliance.render.word.writer import Writer


@dataclass
class ListItem:
    """One ``<li>``: its first paragraph carries the bullet or number, later ones continue."""

    style: str
    continue_style: str
    num_id: int | None
    used: bool = False


@dataclass(frozen=True)
class Block:
    """How the paragraphs of the current block look."""

    style: str = "Normal"
    align: Any = None
    indent_cm: float = 0.0
    keep_with_next: bool = False
    center_lone_picture: bool = False
    item: ListItem | None = None
    first_line_em: float = 0.0  # CSS text-indent in em (GB/T 9704 paragraphs: 2 characters)
    right_indent_em: float = 0.0  # CSS margin-right in em (room after a signature)
    line_pt: float = 0.0  # exact line spacing (GB/T 9704: 22 lines in the 225 mm text block)
    font_pt: float = 0.0  # the text size the em lengths refer to (0: the style's)
    space_before_pt: float = 0.0  # CSS margin-top in pt (room for a seal above a signature)
    fill: str | None = None  # background colour (a callout, from the stylesheet)
    rule_color: str | None = None  # colour of a rule on the left (a callout)


class Story:
    """Somewhere paragraphs and tables go: the body, a header or footer, or a table cell."""

    def __init__(self, container: Any, element: Any, *, width: int, body: bool = False) -> None:
        self.container = container
        self.element = element
        self.width = width  # EMU available for tables and pictures
        self.body = body
        # Body content goes before the section properties, which must stay last.
        self._sect_pr = element.find(qn("w:sectPr"))
        # A fresh header or footer already holds one empty paragraph: fill it first.
        existing = element.findall(qn("w:p"))
        empty = len(existing) == 1 and not existing[0].xpath("string()")
        self._spare = existing[0] if empty else None

    def _append(self, child: Any) -> None:
        if self._sect_pr is not None:
            self._sect_pr.addprevious(child)
        else:
            self.element.append(child)

    def add_paragraph(self) -> Any:
        """A new paragraph at the end of the story."""
        p = self._spare
        self._spare = None
        if p is None:
            p = OxmlElement("w:p")
            self._append(p)
        return Paragraph(p, self.container)

    def add_table(self, tbl: Any) -> Any:
        """Append a prepared ``w:tbl`` element; returns its python-docx Table."""
        if self._spare is not None:  # an unused empty paragraph would show above the table
            self.element.remove(self._spare)
            self._spare = None
        self._append(tbl)
        return Table(tbl, self.container)

    def finish(self) -> None:
        """End with a paragraph, as Word requires of cells, headers and footers.

        Word also adds one itself after a table that ends the body.
        """
        last = self._sect_pr.getprevious() if self._sect_pr is not None else None
        if self._sect_pr is None and len(self.element):
            last = self.element[-1]
        if last is None or last.tag != qn("w:p"):
            self._append(OxmlElement("w:p"))


@dataclass(frozen=True)
class Ctx:
    """What an element inherits from its ancestors."""

    story: Story
    block: Block
    fmt: Fmt
    cover: bool = False
    list_depth: int = 0
    depth: int = 0


class Flow:
    """Inline content collected for one paragraph (an anonymous block, as in a browser)."""

    def __init__(self, writer: Writer, ctx: Ctx, bookmark: str | None = None) -> None:
        self._writer = writer
        self._story = ctx.story
        self._block = ctx.block
        self._bookmark = bookmark
        self.items: list[Item] = []

    def text(self, text: str | None, fmt: Fmt) -> None:
        """Add text; white space is collapsed later, when the paragraph is complete."""
        if text:
            self.items.append(Text(collapse(text), fmt))

    def add(self, item: Item) -> None:
        """Add a break, tab, field or picture."""
        self.items.append(item)

    def flush(self) -> None:
        """Write the collected content as a paragraph (none if nothing is visible)."""
        items = normalise_items(self.items)
        self.items = []
        if items is None:
            return
        bookmark, self._bookmark = self._bookmark, None
        self._writer.write_paragraph(self._story, self._block, items, bookmark)
