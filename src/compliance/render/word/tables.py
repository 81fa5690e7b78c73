"""Tables: fixed-layout ``w:tbl`` built row by row in linear time, widths from ``col`` styles.

Rows are appended as raw ``w:tr``/``w:tc`` elements instead of through python-docx's row and cell
lookups, which are quadratic in the table size. Header rows (``thead``, or a leading row of
``th``) repeat on each page, no row splits across pages, and cells keep their background colour.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.table import _Cell
from lxml import etree

from compliance.render.word.markup import classes, colour, length, style_map
from compliance.render.word.official import GBT_TABLE_PT
from compliance.render.word.story import Block, Ctx, Flow, Story
from compliance.render.word.styles import EMU_PER_TWIP

if TYPE_CHECKING:
    from compliance.render.word.convert import Converter

_MAX_COLSPAN = 63  # Word's column limit


def render_table(conv: Converter, el: Any, ctx: Ctx, flow: Flow) -> None:
    """A fixed-layout table built row by row (linear time), header rows repeated."""
    flow.flush()
    if conv.official and ctx.fmt.size is None:  # not the 16 pt of GB/T body text
        ctx = replace(ctx, fmt=replace(ctx.fmt, size=GBT_TABLE_PT))
    caption = next((c for c in el if isinstance(c.tag, str) and c.tag == "caption"), None)
    if caption is not None:
        conv.caption(caption, ctx, flow)
    rows = list(_table_rows(el))
    if rows and not rows[0][0] and all(cell.tag == "th" for cell in rows[0][1]):
        rows[0] = (True, rows[0][1])  # no <thead>, but a row of <th> still heads the table
    grid = max((sum(_colspan(cell) for cell in cells) for _, cells in rows), default=0)
    grid = min(grid, _MAX_COLSPAN)
    if grid == 0:
        return
    widths = _column_widths(el, grid, ctx.story.width // EMU_PER_TWIP)
    tbl = _table_element(widths, conv.writer.style("Table Grid"))
    names = classes(el)
    if "rules" in names:
        _horizontal_rules(tbl)
    parent = el.getparent()
    if parent is not None and "page-foot" in classes(parent):
        _anchor_to_page_foot(tbl)
    table = conv.writer.add_table(ctx.story, tbl)
    # A header row keeps with the first body row (no orphaned header at a page foot); a table
    # marked keep-with-next (a rule's summary) keeps with what follows (its findings table).
    keep_all = "keep-with-next" in classes(el)
    for header, cells in rows:
        _table_row(conv, tbl, table, header, cells, widths, ctx, header or keep_all)


def _table_row(
    conv: Converter,
    tbl: Any,
    table: Any,
    header: bool,
    cells: list[Any],
    widths: list[int],
    ctx: Ctx,
    keep: bool = False,
) -> None:
    """One ``w:tr`` appended directly: no python-docx row or cell lookups."""
    tr = etree.SubElement(tbl, qn("w:tr"))
    tr_pr = etree.SubElement(tr, qn("w:trPr"))
    etree.SubElement(tr_pr, qn("w:cantSplit"))
    row = cells[0].getparent() if cells else None
    height = length(style_map(row).get("height", ""), 0) if row is not None else None
    if height:  # rows to sign in: at least this tall (Word collapses rows without it)
        etree.SubElement(tr_pr, qn("w:trHeight")).attrib.update(
            {qn("w:val"): str(height // EMU_PER_TWIP), qn("w:hRule"): "atLeast"}
        )
    if header:
        etree.SubElement(tr_pr, qn("w:tblHeader"))
    column = 0
    for cell in cells:
        if column >= len(widths):
            break
        span = min(_colspan(cell), len(widths) - column)
        _table_cell(conv, tr, table, cell, header, widths[column : column + span], ctx, keep)
        column += span
    while column < len(widths):  # short rows are padded so the grid stays rectangular
        tc = _cell_element(tr, [widths[column]], None)
        tc.append(OxmlElement("w:p"))
        column += 1


def _table_cell(
    conv: Converter,
    tr: Any,
    table: Any,
    cell: Any,
    header: bool,
    widths: list[int],
    ctx: Ctx,
    keep: bool = False,
) -> None:
    """One ``w:tc`` whose content is rendered like a small story of its own."""
    css = style_map(cell)
    fill = colour(css.get("background-color", "") or css.get("background", ""))
    header_fill, header_colour = conv.theme.header_fill, conv.theme.header_colour
    if conv.official and conv.theme.official_header is not None:
        header_fill, header_colour = conv.theme.official_header
    if fill is None and header:
        fill = header_fill  # the stylesheet's ``thead th`` background
    tc = _cell_element(tr, widths, fill)
    story = Story(_Cell(tc, table), tc, width=sum(widths) * EMU_PER_TWIP)
    align = WD_ALIGN_PARAGRAPH.RIGHT if "num" in classes(cell) else None
    fmt = replace(ctx.fmt, bold=True) if header or cell.tag == "th" else ctx.fmt
    if header and header_colour:
        fmt = replace(fmt, color=header_colour)
    block = Block(align=align, keep_with_next=keep)
    cell_ctx = Ctx(story, block, fmt, cover=ctx.cover, depth=ctx.depth)
    conv.render_block(cell, conv.inherit(cell, cell_ctx))
    story.finish()


def _table_rows(el: Any) -> Iterator[tuple[bool, list[Any]]]:
    """(is_header, cells) for each row; header rows count only before the first body row."""
    body_seen = False

    def cells(tr: Any) -> list[Any]:
        return [c for c in tr if isinstance(c.tag, str) and c.tag in {"td", "th"}]

    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag in {"thead", "tbody", "tfoot"}:
            for tr in child:
                if isinstance(tr.tag, str) and tr.tag == "tr" and cells(tr):
                    header = child.tag == "thead" and not body_seen
                    body_seen = body_seen or not header
                    yield header, cells(tr)
        elif child.tag == "tr" and cells(child):
            body_seen = True
            yield False, cells(child)


def _colspan(cell: Any) -> int:
    """The cell's ``colspan``, 1 when missing or unusable, at most Word's column limit."""
    value = (cell.get("colspan") or "1").strip()
    return max(1, min(int(value), _MAX_COLSPAN)) if value.isdigit() else 1


def _column_widths(el: Any, grid: int, total: int) -> list[int]:
    """Column widths in twips from ``col`` styles; unspecified columns share the rest."""
    specified: list[int | None] = []
    for col in _table_cols(el):
        value = style_map(col).get("width") or col.get("width") or ""
        width = length(value, total * EMU_PER_TWIP)
        span = int(col.get("span")) if (col.get("span") or "").isdigit() else 1
        specified.extend([width // EMU_PER_TWIP if width else None] * max(1, min(span, grid)))
    specified = (specified + [None] * grid)[:grid]
    fixed = sum(w for w in specified if w)
    if fixed > total:  # too wide: scale the given widths down to the text width
        specified = [w * total // fixed if w else None for w in specified]
        fixed = sum(w for w in specified if w)
    free = [w for w in specified if not w]
    share = max((total - fixed) // len(free), 200) if free else 0
    return [max(w or share, 100) for w in specified]


def _table_cols(el: Any) -> Iterator[Any]:
    """The table's own ``col`` elements (not those of nested tables)."""
    for child in el:
        if child.tag == "col":
            yield child
        elif child.tag == "colgroup":
            yield from (col for col in child if col.tag == "col")


def _table_element(widths: list[int], style: Any) -> Any:
    """An empty fixed-layout ``w:tbl`` with its grid."""
    tbl = OxmlElement("w:tbl")
    tbl_pr = etree.SubElement(tbl, qn("w:tblPr"))
    if style is not None:
        etree.SubElement(tbl_pr, qn("w:tblStyle")).set(qn("w:val"), style.style_id)
    _width_element(tbl_pr, "w:tblW", sum(widths))
    etree.SubElement(tbl_pr, qn("w:tblLayout")).set(qn("w:type"), "fixed")
    look = etree.SubElement(tbl_pr, qn("w:tblLook"))
    for name, value in (("val", "04A0"), ("firstRow", "1"), ("noVBand", "1")):
        look.set(qn(f"w:{name}"), value)
    grid = etree.SubElement(tbl, qn("w:tblGrid"))
    for width in widths:
        etree.SubElement(grid, qn("w:gridCol")).set(qn("w:w"), str(width))
    return tbl


def _horizontal_rules(tbl: Any) -> None:
    """Rules above, between and below the rows only (the back matter of GB/T 9704)."""
    tbl_pr = tbl.find(qn("w:tblPr"))
    borders = OxmlElement("w:tblBorders")
    for side, size in (("top", "8"), ("left", None), ("bottom", "8"), ("right", None)):
        borders.append(_border(side, size))
    borders.append(_border("insideH", "4"))
    borders.append(_border("insideV", None))
    # tblBorders follows tblW (and jc/tblInd) and precedes tblLayout.
    tbl_pr.find(qn("w:tblLayout")).addprevious(borders)


def _border(side: str, size: str | None) -> Any:
    if size is None:
        return OxmlElement(f"w:{side}", {qn("w:val"): "nil"})
    return OxmlElement(
        f"w:{side}",
        {qn("w:val"): "single", qn("w:sz"): size, qn("w:space"): "0", qn("w:color"): "000000"},
    )


def _anchor_to_page_foot(tbl: Any) -> None:
    """Float the table to the foot of the text block of its page (where the last page ends)."""
    tbl_pr = tbl.find(qn("w:tblPr"))
    position = OxmlElement(
        "w:tblpPr",
        {
            qn("w:vertAnchor"): "margin",
            qn("w:horzAnchor"): "margin",
            qn("w:tblpYSpec"): "bottom",
            qn("w:tblpXSpec"): "center",
        },
    )
    # tblpPr comes right after tblStyle.
    style = tbl_pr.find(qn("w:tblStyle"))
    if style is not None:
        style.addnext(position)
    else:
        tbl_pr.insert(0, position)


def _cell_element(tr: Any, widths: list[int], fill: str | None) -> Any:
    """A ``w:tc`` with width, column span and shading (in schema order)."""
    tc = etree.SubElement(tr, qn("w:tc"))
    tc_pr = etree.SubElement(tc, qn("w:tcPr"))
    _width_element(tc_pr, "w:tcW", sum(widths))
    if len(widths) > 1:
        etree.SubElement(tc_pr, qn("w:gridSpan")).set(qn("w:val"), str(len(widths)))
    if fill is not None:
        shd = etree.SubElement(tc_pr, qn("w:shd"))
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill)
    return tc


def _width_element(parent: Any, tag: str, twips: int) -> None:
    """A ``w:tblW``/``w:tcW`` child giving a fixed width in twips (``dxa``)."""
    width = etree.SubElement(parent, qn(tag))
    width.set(qn("w:w"), str(twips))
    width.set(qn("w:type"), "dxa")
