"""Lists: ``ul``/``ol`` as Word's list styles, with a fresh numbering instance for each ``ol``.

Nesting picks the "List Bullet 2"/"List Number 3" style of its depth (at most three levels); the
first paragraph of an item carries the bullet or number and later ones use "List Continue".
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from compliance.render.word.story import Block, Ctx, Flow, ListItem

if TYPE_CHECKING:
    from compliance.render.word.convert import Converter
    from compliance.render.word.writer import Writer


def render_list(conv: Converter, el: Any, ctx: Ctx, flow: Flow) -> None:
    """``ul``/``ol``: "List Bullet"/"List Number" paragraphs, a new count for each ``ol``."""
    flow.flush()
    level = min(ctx.list_depth + 1, 3)
    suffix = "" if level == 1 else f" {level}"
    style = ("List Number" if el.tag == "ol" else "List Bullet") + suffix
    num_id = _restart_numbering(conv.writer, style, el.get("start")) if el.tag == "ol" else None
    list_ctx = replace(ctx, list_depth=ctx.list_depth + 1)
    stray = Flow(conv.writer, ctx)  # text or elements directly inside the list
    stray.text(el.text, ctx.fmt)
    for child in el:
        if isinstance(child.tag, str) and child.tag == "li":
            stray.flush()
            item = ListItem(style, f"List Continue{suffix}", num_id)
            _render_item(conv, child, conv.inherit(child, list_ctx), item)
        else:
            conv.walk(child, ctx, stray)
        stray.text(child.tail, ctx.fmt)
    stray.flush()


def render_stray_item(conv: Converter, el: Any, ctx: Ctx, flow: Flow) -> None:
    """An ``li`` outside any list is shown as a bullet."""
    flow.flush()
    _render_item(conv, el, ctx, ListItem("List Bullet", "List Continue", None))


def _render_item(conv: Converter, el: Any, ctx: Ctx, item: ListItem) -> None:
    """The paragraphs of one ``li``; the first carries its bullet or number."""
    block = Block(style=item.style, align=ctx.block.align, item=item)
    conv.render_block(el, replace(ctx, block=block))
    if not item.used:  # an empty item still shows its bullet and takes its number
        conv.writer.write_paragraph(ctx.story, block, [], None)


def _restart_numbering(writer: Writer, style_name: str, start: str | None) -> int | None:
    """A new numbering instance so that each ``ol`` counts from its own start."""
    style = writer.style(style_name)
    num_pr = style.element.xpath("w:pPr/w:numPr/w:numId/@w:val") if style is not None else []
    if not num_pr:
        return None
    numbering = writer.document.part.numbering_part.element
    try:
        base = numbering.num_having_numId(int(num_pr[0]))
    except KeyError:
        return None
    num = numbering.add_num(base.abstractNumId.val)
    first = int(start) if start and start.strip().isdigit() else 1
    num.add_lvlOverride(ilvl=0).add_startOverride(min(first, 32767))
    return int(num.numId)
