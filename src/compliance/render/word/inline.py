"""Inline content: the items a paragraph is made of, white-space collapsing, and their runs.

Text, line breaks, tabs, fields and pictures are collected as items with the character
formatting inherited down the HTML tree; once a paragraph is complete its white space is
collapsed as a browser would, neighbouring texts are merged, and consecutive items with the same
link target are grouped so each group becomes one ``w:hyperlink``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeAlias

from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.run import Run
from lxml import etree

from compliance.render.word.styles import EAST_ASIAN_FONT

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_MONO_FONT = "Courier New"
_LINK_COLOUR = "0563C1"
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002fa1f]"
)

# --------------------------------------------------------------------------- item model


@dataclass(frozen=True)
class Fmt:
    """Character formatting inherited down the element tree."""

    bold: bool = False
    italic: bool = False
    mono: bool = False
    color: str | None = None
    size: float | None = None
    link: str | None = None  # external http(s) URL
    anchor: str | None = None  # bookmark name inside the document
    decorate_link: bool = True  # blue and underlined; not for table-of-contents entries
    font: str | None = None  # East Asian font named by a CSS font-family (GB/T 9704 faces)


@dataclass(frozen=True)
class Text:
    """Text with its formatting (white space collapsed, not yet trimmed)."""

    text: str
    fmt: Fmt


@dataclass(frozen=True)
class Break:
    """A line break (``<br>``)."""


@dataclass(frozen=True)
class Tab:
    """A tab, between the parts of a header or footer."""


@dataclass(frozen=True)
class Field:
    """A field computed by Word, such as ``PAGE`` or ``NUMPAGES``."""

    code: str
    fmt: Fmt
    result: str = "1"  # shown until Word computes the field (a page number from the PDF)


@dataclass(frozen=True)
class Picture:
    """An inline picture, sized in EMU."""

    blob: bytes
    width: int
    height: int
    alt: str


Item: TypeAlias = Text | Break | Tab | Field | Picture


# --------------------------------------------------------------------------- white space, links


def normalise_items(items: list[Item]) -> list[Item] | None:
    """Collapse white space as a browser does; None when the paragraph shows nothing.

    Spaces at the start and end of a line vanish, runs of spaces become one (kept with the
    text before it, so a link does not start with an underlined space), and a trailing
    ``<br>`` adds no empty line.
    """
    out: list[Item] = []
    line_start = True
    space: Fmt | None = None  # format of a collapsed space waiting for following content
    for item in items:
        if isinstance(item, Text):
            text = item.text
            if text.startswith(" "):
                if not line_start and space is None:
                    space = item.fmt
                text = text[1:]
            if not text:
                continue
            if space is not None:
                out.append(Text(" ", space))
            space = item.fmt if text.endswith(" ") else None
            out.append(Text(text.rstrip(" "), item.fmt))
            line_start = False
        elif isinstance(item, Break | Tab):
            space = None
            out.append(item)
            line_start = True
        else:
            if space is not None:
                out.append(Text(" ", space))
                space = None
            out.append(item)
            line_start = False
    if not out:
        return None
    if isinstance(out[-1], Break):
        out.pop()
    return _merge_texts(out)


def _merge_texts(items: list[Item]) -> list[Item]:
    """Join neighbouring texts of equal format so each becomes one run."""
    merged: list[Item] = []
    for item in items:
        last = merged[-1] if merged else None
        if isinstance(item, Text) and isinstance(last, Text) and last.fmt == item.fmt:
            merged[-1] = Text(last.text + item.text, item.fmt)
        else:
            merged.append(item)
    return merged


def _target(item: Item) -> tuple[str | None, str | None]:
    """The (URL, bookmark) an inline item links to."""
    if isinstance(item, Text | Field):
        return item.fmt.link, item.fmt.anchor
    return None, None


def link_groups(items: list[Item]) -> Iterator[tuple[tuple[str | None, str | None], list[Item]]]:
    """Split a paragraph's items into consecutive groups that share a link target."""
    group: list[Item] = []
    current: tuple[str | None, str | None] = (None, None)
    for item in items:
        target = _target(item)
        if group and target != current:
            yield current, group
            group = []
        current = target
        group.append(item)
    if group:
        yield current, group


# --------------------------------------------------------------------------- runs


def new_run(parent: Any, paragraph: Any) -> Any:
    """A run appended to a paragraph or to a hyperlink inside it."""
    return Run(etree.SubElement(parent, qn("w:r")), paragraph)


def text_run(parent: Any, paragraph: Any, text: str) -> Any:
    """A run holding collapsed text (no tabs or newlines), written without per-character work."""
    run = new_run(parent, paragraph)
    t = etree.SubElement(run._r, qn("w:t"))
    t.text = text
    if text != text.strip(" "):
        t.set(XML_SPACE, "preserve")
    return run


def format_run(run: Any, fmt: Fmt, text: str) -> None:
    """Direct character formatting; East Asian font on runs that contain CJK text."""
    if fmt.bold:
        run.bold = True
    if fmt.italic:
        run.italic = True
    if fmt.mono:
        run.font.name = _MONO_FONT
    if fmt.size is not None:
        run.font.size = Pt(fmt.size)
    color = fmt.color
    if fmt.decorate_link and (fmt.link is not None or fmt.anchor is not None):
        run.font.underline = True
        color = color or _LINK_COLOUR
    if color is not None:
        run.font.color.rgb = RGBColor.from_string(color)
    if fmt.font is not None:
        # The named face for Chinese text; Latin letters and digits keep the style's font.
        rfonts = run._r.get_or_add_rPr().get_or_add_rFonts()
        rfonts.set(qn("w:eastAsia"), fmt.font)
        if _CJK.search(text):
            rfonts.set(qn("w:hint"), "eastAsia")
    elif _CJK.search(text):
        rfonts = run._r.get_or_add_rPr().get_or_add_rFonts()
        rfonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
        rfonts.set(qn("w:hint"), "eastAsia")
