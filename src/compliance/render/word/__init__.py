"""HTML -> DOCX: turn the HTML that a document template rendered into a Word file.

The PDF is made from the same HTML by WeasyPrint, so the two formats cannot disagree about
content. Only the small HTML subset that the templates use is mapped to Word constructs
(headings, paragraphs, lists, tables, pictures, a table of contents, page header and footer);
any other element is rendered as its text content. The conversion is linear in the size of the
input, never reads files or URLs itself (pictures come from the caller's ``load_image``), and is
deterministic: the same HTML always gives the same bytes.

The modules of this package, in the order the conversion uses them:

- ``subset``: the HTML the converter handles, as data (elements, attributes, inline styles,
  classes), and the strict check against it;
- ``markup``: parsing the HTML, classes, inline styles, CSS colours and lengths, text clean-up;
- ``theme``: what the converter reads from the document's stylesheet (class colours and sizes,
  header cells, headings);
- ``package``: core properties from ``<title>``/``<meta>``, the deterministic zip rewrite;
- ``styles``: the blank A4 document, explicit Latin/East Asian fonts, extra styles;
- ``official``: the GB/T 9704 page of Chinese notices and minutes (``body.gbt9704``);
- ``convert``: the tree walk and the handlers of block and inline elements;
- ``story``: stories, block looks, inherited context and the open paragraph's flow;
- ``inline``: inline items, white-space collapsing, link groups and runs;
- ``writer``: paragraphs with styles, numbering, page breaks, bookmarks, links and pictures;
- ``lists``, ``tables``, ``images``: those elements;
- ``fields``: complex fields, the table of contents, bookmark names, page header and footer.
"""

from __future__ import annotations

import io

from compliance.render.word.convert import Converter
from compliance.render.word.fields import bookmark_names, render_margins
from compliance.render.word.images import ImageLoader
from compliance.render.word.markup import classes, find, parse
from compliance.render.word.official import render_folios, use_gbt9704
from compliance.render.word.package import normalise_zip, read_meta, set_core_properties
from compliance.render.word.styles import heading_colours, new_document
from compliance.render.word.subset import UnsupportedMarkup, unsupported
from compliance.render.word.theme import theme_from_css

__all__ = ["UnsupportedMarkup", "html_to_docx"]


def html_to_docx(
    html: str,
    load_image: ImageLoader,
    *,
    lang: str = "en",
    pages: dict[str, int] | None = None,
    css: str = "",
    strict: bool = False,
) -> bytes:
    """Convert rendered template HTML into the bytes of a .docx file.

    ``load_image(src)`` supplies the PNG or JPEG bytes of an ``<img src>`` (or None, and the
    picture is replaced by its alt text in brackets); nothing else is read. ``lang`` "zh" (or
    an ``<html lang="zh...">``) makes Chinese the document's East Asian language. ``pages``
    (heading id -> page number, from the PDF's layout) gives the contents' page numbers as
    written, so that Word need not update fields on opening. ``css`` is the stylesheet the PDF
    is laid out with: the colours and sizes of classes, header cells and headings come from it
    (``theme.STYLESHEET_SELECTORS``). ``strict`` refuses, with :class:`UnsupportedMarkup`, HTML
    outside the subset the converter handles (``subset.py``; the tests of the built-in
    templates use it). The same input always gives byte-identical output.
    """
    root = parse(html)
    if strict:
        problems = unsupported(root)
        if problems:
            raise UnsupportedMarkup(problems)
    body = find(root, "body")
    if body is None:
        body = root
    meta = read_meta(root)
    zh = lang.lower().startswith("zh") or meta.lang.lower().startswith("zh")
    document = new_document(zh)
    theme = theme_from_css(css)
    heading_colours(document, theme.headings)
    official = "gbt9704" in classes(body)  # a Chinese notice or minutes in GB/T 9704 layout
    if official:
        use_gbt9704(document)
    set_core_properties(document, meta)
    converter = Converter(document, load_image, bookmark_names(body), pages or {}, official, theme)
    (render_folios if official else render_margins)(converter, body)
    converter.render_body(body)
    out = io.BytesIO()
    document.save(out)
    return normalise_zip(out.getvalue())
