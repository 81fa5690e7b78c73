"""The PDF of a long sign-in sheet, laid out in parts so that time and memory stay linear.

WeasyPrint lays out one HTML document in memory at once, and its laid-out pages keep about
0.2 MB per row of a sign-in sheet: 10,000 participants would need about 2 GB and several
minutes. Every participant must still be listed with a signature cell, so the sheet is not
shortened; instead its rows are laid out :data:`PART_ROWS` at a time:

- a part is a slice of the sheets (``first`` row number, ``spare`` rows, ``continued`` when
  it starts inside a sheet), rendered by the same template with row ids;
- a part that stops inside a sheet drops its last, partly filled page, and the next part
  starts with the first row of that page: the pages come out as one layout would make them;
- each part is written to PDF bytes at once and its layout freed; the parts carry no running
  header or footer, because "page x of y" needs the total;
- once the total is known, one more document of that many empty pages carries only the
  running header and footer, and each of its pages is stamped onto the page of the parts
  (pypdf), which are joined into one file.

The DOCX needs none of this: it is written straight from the whole sheet's HTML.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from compliance.render.documents import Prepared, laid_out
from compliance.statusline import stage

PART_ROWS = 400  # rows of a sign-in sheet laid out at once (about 27 pages)

# the parts' pages have no running header and footer: the frames document adds them
_NO_MARGIN_BOXES = """
@page { @top-center { content: none; } @bottom-center { content: none; } }
"""
# a later part starts as a page of the whole layout would: after a break, so without the top
# margins of the body and of a table that goes on from the page before
_FOLLOWS_ON = """
body { margin-top: 0; }
table.signin.continued { margin-top: 0; }
"""
_ROW_ID = re.compile(r"row-(\d+)-(\d+)")

Sheet = dict[str, Any]


class NoParts(Exception):
    """The sign-in template ignores the parts' row slices: lay the sheet out at once."""


PrepareFn = Callable[[dict[str, Any]], Prepared]


def rows(sheet: Sheet) -> int:
    """Rows of a sheet: one per expected participant, then the spare rows."""
    return len(sheet["people"]) + int(sheet["spare"])


def is_long(sheets: list[Sheet]) -> bool:
    """Whether the sheets have more rows than one layout should hold."""
    return sum(rows(s) for s in sheets) > PART_ROWS


def piece(sheet: Sheet, start: int, stop: int) -> Sheet:
    """Rows ``start`` to ``stop`` (0-based, spare rows after the people) of a sheet."""
    people = sheet["people"]
    count = len(people)
    return {
        **sheet,
        "people": people[start:stop],
        "first": sheet["first"] + start,
        "spare": max(0, min(stop, rows(sheet)) - max(start, count)),
        "continued": start > 0,
        "anchors": True,
    }


def _next_part(sheets: list[Sheet], at: tuple[int, int]) -> tuple[list[Sheet], tuple[int, int]]:
    """The pieces of the next part from position ``at`` (sheet, row), and the position after."""
    index, row = at
    budget = PART_ROWS
    pieces = []
    while index < len(sheets) and budget > 0:
        total = rows(sheets[index])
        take = min(total - row, budget)
        pieces.append(piece(sheets[index], row, row + take))
        budget -= take
        index, row = (index + 1, 0) if row + take == total else (index, row + take)
    return pieces, (index, row)


def _restart(page: Any, sheet: Sheet) -> int | None:
    """The row (0-based) of ``sheet`` that starts ``page``, if the page is all that sheet's.

    From the row ids on the page; row 0 only with the sheet's title (its ``signin-N`` id) on
    the page too, since a title may end the page before.
    """
    number = sheet["number"]
    found = [
        int(m[2]) - sheet["first"]
        for anchor in page.anchors
        if (m := _ROW_ID.fullmatch(anchor)) and int(m[1]) == number
    ]
    if not found:
        return None
    row = min(found)
    return row if row > 0 or f"signin-{number}" in page.anchors else None


def pdf(sheets: list[Sheet], prepare: PrepareFn) -> bytes:
    """The whole PDF of ``sheets``; ``prepare(context changes)`` renders the template's HTML.

    Raises :class:`NoParts` when the template ignores the parts' row slices (no row ids): a
    custom sign-in template that does not know of parts is then laid out at once by the caller.
    """
    parts: list[bytes] = []
    pages = 0
    at = (0, 0)
    while at[0] < len(sheets):
        pieces, after = _next_part(sheets, at)
        doc = prepare({"sheets": pieces})
        doc = replace(doc, css=doc.css + _NO_MARGIN_BOXES + (_FOLLOWS_ON if pages else ""))
        where = f"layout (sheet {pieces[0]['number']}, rows from {pieces[0]['first']})"
        with laid_out(doc, where) as rendered:
            kept = rendered.pages
            if not any(_ROW_ID.fullmatch(a) for p in kept for a in p.anchors):
                raise NoParts("the sign-in template does not mark its rows (row-SHEET-ROW ids)")
            if after[1] > 0 and len(kept) > 1:
                # the part stopped inside a sheet: its last page is made again, full, by the
                # next part (rows never break across pages, so a page starts with a row)
                row = _restart(kept[-1], sheets[after[0]])
                if row is not None and (after[0], row) > at:  # always some progress
                    kept, after = kept[:-1], (after[0], row)
            for page in kept:  # the row ids were for finding the rows, not for the reader
                page.anchors = {k: v for k, v in page.anchors.items() if not _ROW_ID.fullmatch(k)}
            stage(f"writing (pages {pages + 1} to {pages + len(kept)})")
            parts.append(rendered.copy(kept).write_pdf())
            pages += len(kept)
        at = after
    frame_doc = prepare({"sheets": [], "frames": pages})
    with laid_out(frame_doc, f"page headers and footers ({pages} pages)") as rendered:
        frames = rendered.write_pdf()
    return _join(parts, frames)


def _join(parts: list[bytes], frames: bytes) -> bytes:
    """One PDF of the parts' pages, each stamped with the same page of ``frames``."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    writer = PdfWriter()
    first = PdfReader(io.BytesIO(parts[0]))
    for data in parts:
        writer.append(PdfReader(io.BytesIO(data)))
    for page, frame in zip(writer.pages, PdfReader(io.BytesIO(frames)).pages, strict=True):
        page.merge_page(frame)
        page.compress_content_streams()  # pypdf leaves the merged content uncompressed
    if first.metadata:  # title, author, subject, dates as WeasyPrint wrote them
        writer.add_metadata({k: v for k, v in first.metadata.items()})
    root = first.trailer["/Root"].get_object()
    if isinstance(root, DictionaryObject) and "/Lang" in root:  # for screen readers
        writer.root_object[NameObject("/Lang")] = root["/Lang"]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
