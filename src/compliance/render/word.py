"""HTML -> DOCX: turn the HTML that a document template rendered into a Word file.

The PDF is made from the same HTML by WeasyPrint, so the two formats cannot disagree about
content. Only the small HTML subset that the templates use is mapped to Word constructs
(headings, paragraphs, lists, tables, pictures, a table of contents, page header and footer);
any other element is rendered as its text content. The conversion is linear in the size of the
input, never reads files or URLs itself (pictures come from the caller's ``load_image``), and is
deterministic: the same HTML always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import urllib.parse
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, TypeAlias

import docx
import lxml.html
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

__all__ = ["html_to_docx"]

ImageLoader: TypeAlias = Callable[[str], bytes | None]

# A4 with 2 cm margins all round leaves 17 cm for text.
_PAGE_WIDTH = Cm(21)
_PAGE_HEIGHT = Cm(29.7)
_MARGIN = Cm(2)
_TEXT_WIDTH = int(_PAGE_WIDTH - 2 * _MARGIN)
_EMU_PER_TWIP = 635
_EMU_PER_PX = 9525  # CSS px: 1/96 in

_LATIN_FONT = "Arial"  # LibreOffice substitutes the metric-compatible Liberation Sans
_EAST_ASIAN_FONT = "Microsoft YaHei"
_MONO_FONT = "Courier New"
_THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_FONT_STYLES = (
    "Normal",
    "Title",
    "Subtitle",
    "Caption",
    "TOC Heading",
    "Header",
    "Footer",
    *(f"Heading {level}" for level in range(1, 10)),
)

_SEVERITY_COLOURS = {
    "sev-critical": "B00020",
    "sev-major": "C05600",
    "sev-minor": "1F5FA8",
    "sev-info": "555555",
}
_MUTED_COLOUR = "666666"
_SMALL_SIZE = 9.0
_LINK_COLOUR = "0563C1"
_HEADER_FILL = "E7E6E6"
_MARGIN_TEXT_SIZE = 9.0

_DEFAULT_CREATED = dt.datetime(2000, 1, 1)
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_TEXT_LIMIT = 255  # python-docx refuses longer core property strings
_MAX_DEPTH = 120  # deeper subtrees are flattened to text so recursion stays bounded
_MAX_COLSPAN = 63  # Word's column limit

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
# Characters that XML 1.0 cannot carry; lxml refuses them, so they are dropped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002fa1f]"
)
_HEX_COLOUR = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?![0-9a-fA-F])")
_RGB_COLOUR = re.compile(r"rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)", re.I)
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(cm|mm|in|px|pt|%)?\s*$", re.I)
_HTTP_URL = re.compile(r"https?://", re.I)

_SKIPPED_TAGS = frozenset(
    {"head", "title", "meta", "style", "script", "link", "template", "base", "noscript"}
)
_BLOCK_CONTAINERS = frozenset(
    {
        "div",
        "section",
        "nav",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "address",
        "pre",
        "form",
        "fieldset",
        "details",
        "summary",
        "hgroup",
        "center",
        "dl",
        "body",
        "html",
    }
)
_ALIGNMENTS = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
# w:updateFields must precede these settings children or Word reports a damaged file.
_SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)
_TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'


# --------------------------------------------------------------------------- public API


def html_to_docx(html: str, load_image: ImageLoader, *, lang: str = "en") -> bytes:
    """Convert rendered template HTML into the bytes of a .docx file.

    ``load_image(src)`` supplies the PNG or JPEG bytes of an ``<img src>`` (or None, and the
    picture is replaced by its alt text in brackets); nothing else is read. ``lang`` "zh" (or
    an ``<html lang="zh...">``) makes Chinese the document's East Asian language. The same
    input always gives byte-identical output.
    """
    root = _parse(html)
    body = _find(root, "body")
    if body is None:
        body = root
    meta = _read_meta(root)
    zh = lang.lower().startswith("zh") or meta.lang.lower().startswith("zh")
    document = _new_document(zh)
    _set_core_properties(document, meta)
    converter = _Converter(document, load_image, _bookmark_names(body))
    converter.render_margins(body)
    converter.render_body(body)
    out = io.BytesIO()
    document.save(out)
    return _normalise_zip(out.getvalue())


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class _Meta:
    """Document metadata read from ``<html lang>``, ``<title>`` and ``<meta>``."""

    title: str = ""
    author: str = ""
    subject: str = ""
    keywords: str = ""
    description: str = ""
    created: dt.datetime = _DEFAULT_CREATED
    lang: str = ""


def _parse(html: str) -> Any:
    """Parse HTML leniently; an empty or unparsable document becomes an empty body."""
    # Lone surrogates cannot be encoded; "replace" keeps the rest of the text.
    data = html.encode("utf-8", "replace")
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        return lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        return lxml.html.document_fromstring(b"<html><body></body></html>", parser=parser)


def _find(root: Any, tag: str) -> Any:
    """The first descendant element ``tag`` (or None)."""
    return next(iter(root.iter(tag)), None)


def _read_meta(root: Any) -> _Meta:
    """Collect the metadata that becomes the DOCX core properties."""
    head = _find(root, "head")
    title_el = _find(head, "title") if head is not None else None  # not an SVG <title>
    names: dict[str, str] = {}
    for meta in root.iter("meta"):
        name = (meta.get("name") or "").strip().lower()
        if name and name not in names:
            names[name] = _collapse(meta.get("content") or "").strip()
    return _Meta(
        title=_collapse(title_el.text_content()).strip() if title_el is not None else "",
        author=names.get("author", ""),
        subject=names.get("subject", ""),
        keywords=names.get("keywords", ""),
        description=names.get("description", ""),
        created=_parse_created(names.get("dcterms.created", "")),
        lang=(root.get("lang") or "").strip(),
    )


def _parse_created(text: str) -> dt.datetime:
    """An ISO date or datetime as a naive UTC datetime; the fixed default when unusable."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return _DEFAULT_CREATED
    # W3CDTF as python-docx writes it needs a four-digit year.
    if not 1900 <= value.year <= 9999:
        return _DEFAULT_CREATED
    return value.replace(microsecond=0)


def _classes(el: Any) -> set[str]:
    """The element's class names."""
    return set((el.get("class") or "").split())


def _style_map(el: Any) -> dict[str, str]:
    """The element's inline ``style`` declarations, property names lower-cased."""
    result: dict[str, str] = {}
    for declaration in (el.get("style") or "").split(";"):
        name, sep, value = declaration.partition(":")
        if sep:
            result[name.strip().lower()] = value.strip()
    return result


def _colour(value: str) -> str | None:
    """``#rgb``, ``#rrggbb`` or ``rgb(r, g, b)`` as ``RRGGBB``; None otherwise."""
    match = _HEX_COLOUR.search(value)
    if match:
        digits = match[1]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return digits.upper()
    match = _RGB_COLOUR.search(value)
    if match:
        return "".join(f"{min(int(part), 255):02X}" for part in match.groups())
    return None


def _length(value: str, reference: int) -> int | None:
    """A CSS length (cm, mm, in, pt, px, %; a bare number is px) in EMU; None if unusable."""
    match = _LENGTH.match(value)
    if not match:
        return None
    number = float(match[1])
    unit = (match[2] or "px").lower()
    factors = {"cm": 360000.0, "mm": 36000.0, "in": 914400.0, "pt": 12700.0, "px": 9525.0}
    emu = reference * number / 100 if unit == "%" else number * factors[unit]
    return int(emu) if emu >= 1 else None


def _collapse(text: str) -> str:
    """Runs of HTML white space as one space, XML-invalid characters dropped."""
    return _HTML_SPACE.sub(" ", _XML_INVALID.sub("", text))


def _clean(text: str) -> str:
    """Text made safe for XML without touching its white space."""
    return _XML_INVALID.sub("", text)


def _bookmark_names(body: Any) -> dict[str, str]:
    """Map heading ids to unique Word bookmark names (letter first, ``[A-Za-z0-9_]``, <= 40)."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for el in body.iter("h1", "h2", "h3", "h4", "h5", "h6"):
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


# --------------------------------------------------------------------------- document setup


def _new_document(zh: bool) -> Any:
    """A blank A4 document whose styles use explicit Latin and East Asian fonts."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = _PAGE_WIDTH, _PAGE_HEIGHT
    section.left_margin = section.right_margin = _MARGIN
    section.top_margin = section.bottom_margin = _MARGIN
    section.header_distance = section.footer_distance = Cm(1)
    _set_style_fonts(document)
    _set_languages(document, zh)
    _set_margin_styles(document)
    _add_toc_styles(document)
    _enable_update_fields(document)
    return document


def _set_fonts(rfonts: Any) -> None:
    """Give an ``rFonts`` element explicit fonts and drop the theme fonts that would win."""
    for attribute in _THEME_FONT_ATTRIBUTES:
        rfonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attribute), _LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), _EAST_ASIAN_FONT)


def _set_style_fonts(document: Any) -> None:
    """Explicit fonts on the defaults, the main styles and every style naming a theme font."""
    styles = document.styles
    for name in _FONT_STYLES:
        if name in styles:
            styles[name].element.get_or_add_rPr().get_or_add_rFonts()
    # The document defaults hold theme fonts too; every rFonts in styles.xml is made explicit.
    for rfonts in styles.element.iter(qn("w:rFonts")):
        _set_fonts(rfonts)


def _set_languages(document: Any, zh: bool) -> None:
    """Make Chinese the East Asian default language of a Chinese document."""
    if not zh:
        return
    lang = document.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _set_margin_styles(document: Any) -> None:
    """Header and footer styles: small text, centre and right tab stops for A4 text width."""
    for name in ("Header", "Footer"):
        style = document.styles[name]
        style.font.size = Pt(_MARGIN_TEXT_SIZE)
        tab_stops = style.paragraph_format.tab_stops
        tab_stops.clear_all()
        tab_stops.add_tab_stop(Emu(_TEXT_WIDTH // 2), WD_TAB_ALIGNMENT.CENTER)
        tab_stops.add_tab_stop(Emu(_TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT)


def _add_toc_styles(document: Any) -> None:
    """Word's built-in "toc 1" and "toc 2" styles, which the default template lacks."""
    for level in (1, 2):
        style = document.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        # As Word writes its built-in style, so that updating the TOC reuses it.
        style.element.attrib.pop(qn("w:customStyle"), None)
        style.style_id = f"TOC{level}"
        style.base_style = document.styles["Normal"]
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.left_indent = Cm(0.5 * (level - 1))


def _enable_update_fields(document: Any) -> None:
    """Ask Word to refresh fields (the table of contents) when it opens the file."""
    settings = document.settings.element
    element = OxmlElement("w:updateFields", {qn("w:val"): "true"})
    settings.insert_element_before(element, *_SETTINGS_AFTER_UPDATE_FIELDS)


def _clip(text: str) -> str:
    """A core property value within python-docx's length limit."""
    return _clean(text)[:_CORE_TEXT_LIMIT]


def _set_core_properties(document: Any, meta: _Meta) -> None:
    """Fixed, input-derived core properties: no save time, no "python-docx" author."""
    props = document.core_properties
    props.title = _clip(meta.title)
    props.author = _clip(meta.author)
    props.last_modified_by = _clip(meta.author)
    props.subject = _clip(meta.subject)
    props.keywords = _clip(meta.keywords)
    props.comments = _clip(meta.description)
    props.category = ""
    props.created = props.modified = props.last_printed = meta.created
    props.revision = 1
    if meta.lang:
        props.language = _clip(meta.lang)


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed timestamps and attributes so equal input gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # otherwise it depends on the platform
            entry.external_attr = 0
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- inline model


@dataclass(frozen=True)
class _Fmt:
    """Character formatting inherited down the element tree."""

    bold: bool = False
    italic: bool = False
    mono: bool = False
    color: str | None = None
    size: float | None = None
    link: str | None = None  # external http(s) URL
    anchor: str | None = None  # bookmark name inside the document
    decorate_link: bool = True  # blue and underlined; not for table-of-contents entries


@dataclass(frozen=True)
class _Text:
    text: str
    fmt: _Fmt


@dataclass(frozen=True)
class _Break:
    pass


@dataclass(frozen=True)
class _Tab:
    pass


@dataclass(frozen=True)
class _Field:
    code: str
    fmt: _Fmt


@dataclass(frozen=True)
class _Picture:
    blob: bytes
    width: int
    height: int
    alt: str


_Item: TypeAlias = _Text | _Break | _Tab | _Field | _Picture


def _normalise_items(items: list[_Item]) -> list[_Item] | None:
    """Collapse white space as a browser does; None when the paragraph shows nothing.

    Spaces at the start and end of a line vanish, runs of spaces become one (kept with the
    text before it, so a link does not start with an underlined space), and a trailing
    ``<br>`` adds no empty line.
    """
    out: list[_Item] = []
    line_start = True
    space: _Fmt | None = None  # format of a collapsed space waiting for following content
    for item in items:
        if isinstance(item, _Text):
            text = item.text
            if text.startswith(" "):
                if not line_start and space is None:
                    space = item.fmt
                text = text[1:]
            if not text:
                continue
            if space is not None:
                out.append(_Text(" ", space))
            space = item.fmt if text.endswith(" ") else None
            out.append(_Text(text.rstrip(" "), item.fmt))
            line_start = False
        elif isinstance(item, _Break | _Tab):
            space = None
            out.append(item)
            line_start = True
        else:
            if space is not None:
                out.append(_Text(" ", space))
                space = None
            out.append(item)
            line_start = False
    if not out:
        return None
    if isinstance(out[-1], _Break):
        out.pop()
    return _merge_texts(out)


def _merge_texts(items: list[_Item]) -> list[_Item]:
    """Join neighbouring texts of equal format so each becomes one run."""
    merged: list[_Item] = []
    for item in items:
        last = merged[-1] if merged else None
        if isinstance(item, _Text) and isinstance(last, _Text) and last.fmt == item.fmt:
            merged[-1] = _Text(last.text + item.text, item.fmt)
        else:
            merged.append(item)
    return merged


def _target(item: _Item) -> tuple[str | None, str | None]:
    """The (URL, bookmark) an inline item links to."""
    if isinstance(item, _Text | _Field):
        return item.fmt.link, item.fmt.anchor
    return None, None


def _link_groups(items: list[_Item]) -> Iterator[tuple[tuple[str | None, str | None], list[_Item]]]:
    """Split a paragraph's items into consecutive groups that share a link target."""
    group: list[_Item] = []
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


# --------------------------------------------------------------------------- block model


@dataclass
class _ListItem:
    """One ``<li>``: its first paragraph carries the bullet or number, later ones continue."""

    style: str
    continue_style: str
    num_id: int | None
    used: bool = False


@dataclass(frozen=True)
class _Block:
    """How the paragraphs of the current block look."""

    style: str = "Normal"
    align: Any = None
    indent_cm: float = 0.0
    keep_with_next: bool = False
    center_lone_picture: bool = False
    item: _ListItem | None = None


class _Story:
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
class _Ctx:
    """What an element inherits from its ancestors."""

    story: _Story
    block: _Block
    fmt: _Fmt
    cover: bool = False
    list_depth: int = 0
    depth: int = 0


class _Flow:
    """Inline content collected for one paragraph (an anonymous block, as in a browser)."""

    def __init__(self, converter: _Converter, ctx: _Ctx, bookmark: str | None = None) -> None:
        self._converter = converter
        self._story = ctx.story
        self._block = ctx.block
        self._bookmark = bookmark
        self.items: list[_Item] = []

    def text(self, text: str | None, fmt: _Fmt) -> None:
        """Add text; white space is collapsed later, when the paragraph is complete."""
        if text:
            self.items.append(_Text(_collapse(text), fmt))

    def add(self, item: _Item) -> None:
        """Add a break, tab, field or picture."""
        self.items.append(item)

    def flush(self) -> None:
        """Write the collected content as a paragraph (none if nothing is visible)."""
        items = _normalise_items(self.items)
        self.items = []
        if items is None:
            return
        bookmark, self._bookmark = self._bookmark, None
        self._converter.write_paragraph(self._story, self._block, items, bookmark)


# --------------------------------------------------------------------------- converter


Handler: TypeAlias = Callable[[Any, _Ctx, _Flow], None]


class _Converter:
    """Walks the parsed HTML and writes the matching Word structure."""

    def __init__(self, document: Any, load_image: ImageLoader, bookmarks: dict[str, str]) -> None:
        self.document = document
        self._load_image = load_image
        self._images: dict[str, bytes | None] = {}
        self._bookmarks = bookmarks
        self._bookmark_id = 0
        self._picture_id = 0
        self._styles: dict[str, Any] = {}
        self._pending_break = False
        self._body_started = False
        self._handlers = self._make_handlers()

    # ----- entry points

    def render_margins(self, body: Any) -> None:
        """Page header and footer from the first ``div.page-header`` / ``div.page-footer``."""
        section = self.document.sections[0]
        for css_class, part, style in (
            ("page-header", section.header, "Header"),
            ("page-footer", section.footer, "Footer"),
        ):
            el = next((d for d in body.iter("div") if css_class in _classes(d)), None)
            if el is not None:
                part.is_linked_to_previous = False
                story = _Story(part, part._element, width=_TEXT_WIDTH)
                self._render_margin(el, _Ctx(story, _Block(style=style), _Fmt()))
                story.finish()

    def render_body(self, body: Any) -> None:
        """The document body; an empty body still gets the paragraph Word needs."""
        story = _Story(self.document, self.document.element.body, width=_TEXT_WIDTH, body=True)
        ctx = _Ctx(story, _Block(), _Fmt())
        flow = _Flow(self, ctx)
        self._children(body, ctx, flow)
        flow.flush()
        story.finish()

    # ----- tree walking

    def _make_handlers(self) -> dict[str, Handler]:
        handlers: dict[str, Handler] = {tag: self._container for tag in _BLOCK_CONTAINERS}
        handlers.update(
            {
                "div": self._div,
                "section": self._section,
                "nav": self._nav,
                "p": self._paragraph,
                "ul": self._list,
                "ol": self._list,
                "li": self._stray_item,
                "table": self._table,
                "blockquote": self._quote,
                "figure": self._figure,
                "figcaption": self._caption,
                "dt": self._term,
                "dd": self._definition,
                "strong": self._bold,
                "b": self._bold,
                "em": self._italic,
                "i": self._italic,
                "code": self._code,
                "kbd": self._code,
                "samp": self._code,
                "span": self._span,
                "a": self._anchor,
                "br": self._break,
                "img": self._image,
            }
        )
        for level in range(1, 7):
            handlers[f"h{level}"] = self._heading
        return handlers

    def _children(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        """Walk the element's text, child elements and their tails."""
        flow.text(el.text, ctx.fmt)
        for child in el:
            self._walk(child, ctx, flow)
            flow.text(child.tail, ctx.fmt)

    def _walk(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        """Render one element; unknown elements pass their content through."""
        if not isinstance(el.tag, str):  # comments and processing instructions
            return
        tag = el.tag.lower()
        if tag in _SKIPPED_TAGS:
            return
        if ctx.depth >= _MAX_DEPTH:
            flow.text(el.text_content(), ctx.fmt)
            return
        ctx = self._inherit(el, replace(ctx, depth=ctx.depth + 1))
        self._handlers.get(tag, self._children)(el, ctx, flow)

    def _inherit(self, el: Any, ctx: _Ctx) -> _Ctx:
        """Apply the colour, size, weight and alignment that classes and ``style`` give."""
        classes = _classes(el)
        css = _style_map(el) if el.get("style") else {}
        if not classes and not css:
            return ctx
        fmt = ctx.fmt
        for css_class, severity_colour in _SEVERITY_COLOURS.items():
            if css_class in classes:
                fmt = replace(fmt, color=severity_colour)
        if "muted" in classes:
            fmt = replace(fmt, color=_MUTED_COLOUR)
        if "small" in classes:
            fmt = replace(fmt, size=_SMALL_SIZE)
        colour = _colour(css.get("color", ""))
        if colour:
            fmt = replace(fmt, color=colour)
        if css.get("font-weight", "") in {"bold", "bolder", "600", "700", "800", "900"}:
            fmt = replace(fmt, bold=True)
        if css.get("font-style", "") in {"italic", "oblique"}:
            fmt = replace(fmt, italic=True)
        block = ctx.block
        align = _ALIGNMENTS.get(css.get("text-align", "").lower())
        if align is not None:
            block = replace(block, align=align)
        return replace(ctx, fmt=fmt, block=block)

    def _flow(self, ctx: _Ctx, bookmark: str | None = None) -> _Flow:
        return _Flow(self, ctx, bookmark)

    def _in_block(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        """Render the element's content as its own block(s) with ``ctx``'s paragraph look."""
        flow.flush()
        inner = self._flow(ctx)
        self._children(el, ctx, inner)
        inner.flush()

    # ----- block elements

    def _container(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        """``div``, ``section`` and the like: transparent, but they end the open paragraph."""
        self._in_block(el, ctx, flow)

    def _div(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        classes = _classes(el)
        if "page-break" in classes:
            flow.flush()
            self._page_break(ctx)
        elif classes & {"page-header", "page-footer"}:
            flow.flush()  # already rendered into the page margins
        elif "callout" in classes:
            self._quote(el, ctx, flow)
        else:
            self._in_block(el, ctx, flow)

    def _section(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        if "cover" in _classes(el):
            self._in_block(el, replace(ctx, cover=True), flow)
            self._page_break(ctx)
        else:
            self._in_block(el, ctx, flow)

    def _nav(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        if "toc" in _classes(el):
            flow.flush()
            self._toc(el, ctx)
        else:
            self._in_block(el, ctx, flow)

    def _paragraph(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        self._in_block(el, replace(ctx, block=replace(ctx.block, center_lone_picture=True)), flow)

    def _heading(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        flow.flush()
        level = int(el.tag[1])
        style = f"Heading {level}"
        if level == 1 and ctx.cover and "title" in _classes(el):
            style = "Title"
        block = _Block(style=style, align=ctx.block.align)
        inner_ctx = replace(ctx, block=block)
        inner = self._flow(inner_ctx, self._bookmarks.get(el.get("id") or ""))
        self._children(el, inner_ctx, inner)
        inner.flush()

    def _quote(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        self._in_block(el, replace(ctx, block=replace(ctx.block, style="Intense Quote")), flow)

    def _figure(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        self._in_block(el, replace(ctx, block=replace(ctx.block, center_lone_picture=True)), flow)

    def _caption(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        block = _Block(style="Caption", align=WD_ALIGN_PARAGRAPH.CENTER)
        self._in_block(el, replace(ctx, block=block), flow)

    def _term(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        block = replace(ctx.block, keep_with_next=True)
        self._in_block(el, replace(ctx, block=block, fmt=replace(ctx.fmt, bold=True)), flow)

    def _definition(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        block = replace(ctx.block, indent_cm=ctx.block.indent_cm + 1.0)
        self._in_block(el, replace(ctx, block=block), flow)

    def _page_break(self, ctx: _Ctx) -> None:
        """Start the next body block on a new page; a break before any content is dropped."""
        if ctx.story.body and self._body_started:
            self._pending_break = True

    # ----- lists

    def _list(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        """``ul``/``ol``: "List Bullet"/"List Number" paragraphs, a new count for each ``ol``."""
        flow.flush()
        level = min(ctx.list_depth + 1, 3)
        suffix = "" if level == 1 else f" {level}"
        style = ("List Number" if el.tag == "ol" else "List Bullet") + suffix
        num_id = self._restart_numbering(style, el.get("start")) if el.tag == "ol" else None
        list_ctx = replace(ctx, list_depth=ctx.list_depth + 1)
        stray = self._flow(ctx)  # text or elements directly inside the list
        stray.text(el.text, ctx.fmt)
        for child in el:
            if isinstance(child.tag, str) and child.tag == "li":
                stray.flush()
                item = _ListItem(style, f"List Continue{suffix}", num_id)
                self._item(child, self._inherit(child, list_ctx), item)
            else:
                self._walk(child, ctx, stray)
            stray.text(child.tail, ctx.fmt)
        stray.flush()

    def _item(self, el: Any, ctx: _Ctx, item: _ListItem) -> None:
        block = _Block(style=item.style, align=ctx.block.align, item=item)
        item_ctx = replace(ctx, block=block)
        inner = self._flow(item_ctx)
        self._children(el, item_ctx, inner)
        inner.flush()
        if not item.used:  # an empty item still shows its bullet and takes its number
            self.write_paragraph(ctx.story, block, [], None)

    def _stray_item(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        """An ``li`` outside any list is shown as a bullet."""
        flow.flush()
        self._item(el, ctx, _ListItem("List Bullet", "List Continue", None))

    def _restart_numbering(self, style_name: str, start: str | None) -> int | None:
        """A new numbering instance so that each ``ol`` counts from its own start."""
        style = self._style(style_name)
        num_pr = style.element.xpath("w:pPr/w:numPr/w:numId/@w:val") if style is not None else []
        if not num_pr:
            return None
        numbering = self.document.part.numbering_part.element
        try:
            base = numbering.num_having_numId(int(num_pr[0]))
        except KeyError:
            return None
        num = numbering.add_num(base.abstractNumId.val)
        first = int(start) if start and start.strip().isdigit() else 1
        num.add_lvlOverride(ilvl=0).add_startOverride(min(first, 32767))
        return int(num.numId)

    # ----- inline elements

    def _bold(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        self._children(el, replace(ctx, fmt=replace(ctx.fmt, bold=True)), flow)

    def _italic(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        self._children(el, replace(ctx, fmt=replace(ctx.fmt, italic=True)), flow)

    def _code(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        self._children(el, replace(ctx, fmt=replace(ctx.fmt, mono=True)), flow)

    def _span(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        classes = _classes(el)
        if "page-number" in classes:
            flow.add(_Field("PAGE", ctx.fmt))
        elif "page-count" in classes:
            flow.add(_Field("NUMPAGES", ctx.fmt))
        else:
            self._children(el, ctx, flow)

    def _anchor(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        """Links: http(s) become hyperlinks, ``#id`` of a heading an internal link, else text."""
        href = _clean(el.get("href") or "").strip()
        fmt = ctx.fmt
        if href.startswith("#") and href[1:] in self._bookmarks:
            fmt = replace(fmt, anchor=self._bookmarks[href[1:]], link=None)
        elif _HTTP_URL.match(href):
            # Percent-encode what a URI may not contain; Word rejects such relationships.
            safe = urllib.parse.quote(href, safe=":/?#[]@!$&'()*+,;=%~")
            fmt = replace(fmt, link=safe, anchor=None)
        self._children(el, replace(ctx, fmt=fmt), flow)

    def _break(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        flow.add(_Break())

    def _image(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        """A picture from ``load_image``, or ``[alt]`` when there is none."""
        src = (el.get("src") or "").strip()
        alt = _collapse(el.get("alt") or "").strip()
        blob = self._image_bytes(src)
        picture = _picture(blob, alt, el, ctx.story.width) if blob else None
        if picture is not None:
            flow.add(picture)
        elif alt:
            flow.add(_Text(f"[{alt}]", ctx.fmt))

    def _image_bytes(self, src: str) -> bytes | None:
        """The caller's bytes for ``src``, asked once per distinct source."""
        if not src:
            return None
        if src not in self._images:
            self._images[src] = self._load_image(src)
        return self._images[src]

    # ----- header, footer, table of contents

    def _render_margin(self, el: Any, ctx: _Ctx) -> None:
        """Header/footer text; ``span.left|center|right`` parts are joined by tab stops."""
        parts: dict[str, Any] = {}
        for span in el.iter("span"):
            for name in _classes(span) & {"left", "center", "right"}:
                parts.setdefault(name, span)
        flow = self._flow(ctx)
        if not parts:
            self._children(el, ctx, flow)
        else:
            order = ["left", "center", "right"]
            last = max(order.index(name) for name in parts)
            for index, name in enumerate(order[: last + 1]):
                if index:
                    flow.add(_Tab())
                if name in parts:
                    self._children(parts[name], self._inherit(parts[name], ctx), flow)
        flow.flush()

    def _toc(self, el: Any, ctx: _Ctx) -> None:
        """A heading, then a TOC field whose cached result lists the ``li`` texts."""
        title = next((h for h in el.iter("h1", "h2", "h3", "h4", "h5", "h6") if h is not el), None)
        if title is not None:
            title_ctx = replace(ctx, block=_Block(style="TOC Heading"))
            flow = self._flow(title_ctx)
            self._children(title, title_ctx, flow)
            flow.flush()
        entries = list(_toc_entries(el, 1))
        story = ctx.story
        if not entries:
            paragraph = self._new_paragraph(story, _Block(style="toc 1"))
            self._field_start(paragraph._p, paragraph, _TOC_INSTRUCTION)
            self._field_end(paragraph._p, paragraph)
            return
        for index, (level, text, href) in enumerate(entries):
            paragraph = self._new_paragraph(story, _Block(style=f"toc {level}"))
            if index == 0:
                self._field_start(paragraph._p, paragraph, _TOC_INSTRUCTION)
            anchor = self._bookmarks.get(href[1:]) if href.startswith("#") else None
            items: list[_Item] = [_Text(text, _Fmt(anchor=anchor, decorate_link=False))]
            self._write_items(paragraph, items)
            if index == len(entries) - 1:
                self._field_end(paragraph._p, paragraph)

    # ----- tables

    def _table(self, el: Any, ctx: _Ctx, flow: _Flow) -> None:
        """A fixed-layout table built row by row (linear time), header rows repeated."""
        flow.flush()
        caption = next((c for c in el if isinstance(c.tag, str) and c.tag == "caption"), None)
        if caption is not None:
            self._caption(caption, ctx, flow)
        rows = list(_table_rows(el))
        if rows and not rows[0][0] and all(cell.tag == "th" for cell in rows[0][1]):
            rows[0] = (True, rows[0][1])  # no <thead>, but a row of <th> still heads the table
        grid = max((sum(_colspan(cell) for cell in cells) for _, cells in rows), default=0)
        grid = min(grid, _MAX_COLSPAN)
        if grid == 0:
            return
        widths = _column_widths(el, grid, ctx.story.width // _EMU_PER_TWIP)
        tbl = _table_element(widths, self._style("Table Grid"))
        if ctx.story.body and self._pending_break:
            # Word ignores a page break inside a table: an empty paragraph carries it.
            self._new_paragraph(ctx.story, _Block())
        table = ctx.story.add_table(tbl)
        if ctx.story.body:
            self._body_started = True
        for header, cells in rows:
            self._table_row(tbl, table, header, cells, widths, ctx)

    def _table_row(
        self,
        tbl: Any,
        table: Any,
        header: bool,
        cells: list[Any],
        widths: list[int],
        ctx: _Ctx,
    ) -> None:
        """One ``w:tr`` appended directly: no python-docx row or cell lookups."""
        tr = etree.SubElement(tbl, qn("w:tr"))
        tr_pr = etree.SubElement(tr, qn("w:trPr"))
        etree.SubElement(tr_pr, qn("w:cantSplit"))
        if header:
            etree.SubElement(tr_pr, qn("w:tblHeader"))
        column = 0
        for cell in cells:
            if column >= len(widths):
                break
            span = min(_colspan(cell), len(widths) - column)
            self._table_cell(tr, table, cell, header, widths[column : column + span], ctx)
            column += span
        while column < len(widths):  # short rows are padded so the grid stays rectangular
            tc = _cell_element(tr, [widths[column]], None)
            tc.append(OxmlElement("w:p"))
            column += 1

    def _table_cell(
        self, tr: Any, table: Any, cell: Any, header: bool, widths: list[int], ctx: _Ctx
    ) -> None:
        css = _style_map(cell) if cell.get("style") else {}
        fill = _colour(css.get("background-color", "") or css.get("background", ""))
        if fill is None and header:
            fill = _HEADER_FILL
        tc = _cell_element(tr, widths, fill)
        story = _Story(_Cell(tc, table), tc, width=sum(widths) * _EMU_PER_TWIP)
        align = WD_ALIGN_PARAGRAPH.RIGHT if "num" in _classes(cell) else None
        fmt = replace(ctx.fmt, bold=True) if header or cell.tag == "th" else ctx.fmt
        cell_ctx = _Ctx(story, _Block(align=align), fmt, cover=ctx.cover, depth=ctx.depth)
        cell_ctx = self._inherit(cell, cell_ctx)
        inner = self._flow(cell_ctx)
        self._children(cell, cell_ctx, inner)
        inner.flush()
        story.finish()

    # ----- paragraph output

    def _style(self, name: str) -> Any:
        """A paragraph or table style by name, looked up once (the lookup scans all styles)."""
        if name not in self._styles:
            try:
                self._styles[name] = self.document.styles[name]
            except KeyError:
                self._styles[name] = None
        return self._styles[name]

    def _new_paragraph(self, story: _Story, block: _Block) -> Any:
        """An empty paragraph with the block's style, list numbering and page break."""
        paragraph = story.add_paragraph()
        style_name = block.style
        item = block.item
        if item is not None:
            style_name = item.continue_style if item.used else item.style
        style = self._style(style_name)
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
        if story.body:
            if self._pending_break:
                fmt.page_break_before = True
                self._pending_break = False
            self._body_started = True
        return paragraph

    def write_paragraph(
        self, story: _Story, block: _Block, items: list[_Item], bookmark: str | None
    ) -> None:
        """A paragraph holding ``items``, wrapped in a bookmark when one is given."""
        if (
            block.center_lone_picture
            and len(items) == 1
            and isinstance(items[0], _Picture)
            and block.item is None
        ):
            block = replace(block, align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph = self._new_paragraph(story, block)
        p = paragraph._p
        if bookmark is not None:
            self._bookmark_id += 1
            ident = str(self._bookmark_id)
            p.append(OxmlElement("w:bookmarkStart", {qn("w:id"): ident, qn("w:name"): bookmark}))
        self._write_items(paragraph, items)
        if bookmark is not None:
            p.append(OxmlElement("w:bookmarkEnd", {qn("w:id"): ident}))

    def _write_items(self, paragraph: Any, items: list[_Item]) -> None:
        """Runs for the items; linked stretches inside ``w:hyperlink`` elements."""
        for (url, anchor), group in _link_groups(items):
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

    def _write_item(self, parent: Any, paragraph: Any, item: _Item) -> None:
        if isinstance(item, _Text):
            run = _text_run(parent, paragraph, item.text)
            _format_run(run, item.fmt, item.text)
        elif isinstance(item, _Break):
            _new_run(parent, paragraph).add_break()
        elif isinstance(item, _Tab):
            _new_run(parent, paragraph).add_tab()
        elif isinstance(item, _Field):
            self._field_start(parent, paragraph, item.code, item.fmt)
            result = _text_run(parent, paragraph, "1")  # shown until the field is computed
            _format_run(result, item.fmt, "")
            self._field_end(parent, paragraph, item.fmt)
        else:
            run = _new_run(parent, paragraph)
            run.add_picture(io.BytesIO(item.blob), width=Emu(item.width), height=Emu(item.height))
            for doc_pr in run._r.iter(qn("wp:docPr")):
                # python-docx numbers pictures per part, so header and body ids could clash.
                self._picture_id += 1
                doc_pr.set("id", str(self._picture_id))
                doc_pr.set("name", f"Picture {self._picture_id}")
                doc_pr.set("descr", _clean(item.alt))  # alt text for screen readers

    def _field_start(
        self, parent: Any, paragraph: Any, instruction: str, fmt: _Fmt | None = None
    ) -> None:
        """The ``begin``, instruction and ``separate`` parts of a complex field."""
        _fld_char(parent, paragraph, "begin", fmt)
        run = _new_run(parent, paragraph)
        instr = OxmlElement("w:instrText")
        instr.set(_XML_SPACE, "preserve")
        instr.text = f" {instruction} "
        run._r.append(instr)
        _fld_char(parent, paragraph, "separate", fmt)

    def _field_end(self, parent: Any, paragraph: Any, fmt: _Fmt | None = None) -> None:
        _fld_char(parent, paragraph, "end", fmt)


# --------------------------------------------------------------------------- helpers


def _toc_entries(el: Any, level: int) -> Iterator[tuple[int, str, str]]:
    """(level, text, href) for each ``li`` of the TOC's lists, nested lists one level down."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag in {"ul", "ol"}:
            for li in child:
                if isinstance(li.tag, str) and li.tag == "li":
                    yield from _toc_entry(li, level)
        elif child.tag not in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            yield from _toc_entries(child, level)


def _toc_entry(li: Any, level: int) -> Iterator[tuple[int, str, str]]:
    # The item's own link, not one of a nested list's items.
    link = next((a for a in li.iter("a") if next(a.iterancestors("li"), None) is li), None)
    source = link if link is not None else li
    text = _collapse(_own_text(source)).strip()
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
    value = (cell.get("colspan") or "1").strip()
    return max(1, min(int(value), _MAX_COLSPAN)) if value.isdigit() else 1


def _column_widths(el: Any, grid: int, total: int) -> list[int]:
    """Column widths in twips from ``col`` styles; unspecified columns share the rest."""
    specified: list[int | None] = []
    for col in _table_cols(el):
        value = _style_map(col).get("width") or col.get("width") or ""
        width = _length(value, total * _EMU_PER_TWIP)
        span = int(col.get("span")) if (col.get("span") or "").isdigit() else 1
        specified.extend([width // _EMU_PER_TWIP if width else None] * max(1, min(span, grid)))
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
    tbl_w = etree.SubElement(tbl_pr, qn("w:tblW"))
    tbl_w.set(qn("w:w"), str(sum(widths)))
    tbl_w.set(qn("w:type"), "dxa")
    etree.SubElement(tbl_pr, qn("w:tblLayout")).set(qn("w:type"), "fixed")
    look = etree.SubElement(tbl_pr, qn("w:tblLook"))
    for name, value in (("val", "04A0"), ("firstRow", "1"), ("noVBand", "1")):
        look.set(qn(f"w:{name}"), value)
    grid = etree.SubElement(tbl, qn("w:tblGrid"))
    for width in widths:
        etree.SubElement(grid, qn("w:gridCol")).set(qn("w:w"), str(width))
    return tbl


def _cell_element(tr: Any, widths: list[int], fill: str | None) -> Any:
    """A ``w:tc`` with width, column span and shading (in schema order)."""
    tc = etree.SubElement(tr, qn("w:tc"))
    tc_pr = etree.SubElement(tc, qn("w:tcPr"))
    tc_w = etree.SubElement(tc_pr, qn("w:tcW"))
    tc_w.set(qn("w:w"), str(sum(widths)))
    tc_w.set(qn("w:type"), "dxa")
    if len(widths) > 1:
        etree.SubElement(tc_pr, qn("w:gridSpan")).set(qn("w:val"), str(len(widths)))
    if fill is not None:
        shd = etree.SubElement(tc_pr, qn("w:shd"))
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill)
    return tc


def _picture(blob: bytes, alt: str, el: Any, max_width: int) -> _Picture | None:
    """Size a picture from CSS width/height (aspect kept), at most the available width."""
    try:
        image = Image.from_blob(blob)
        px_width, px_height = int(image.px_width), int(image.px_height)
    except Exception:  # python-docx raises many kinds of errors on damaged image data
        return None
    if px_width <= 0 or px_height <= 0:
        return None
    css = _style_map(el)
    width = _length(css.get("width") or el.get("width") or "", max_width)
    height = _length(css.get("height") or el.get("height") or "", max_width)
    if width is None and height is None:
        width = px_width * _EMU_PER_PX
    if width is None:
        width = (height or 0) * px_width // px_height
    if height is None:
        height = width * px_height // px_width
    if width > max_width:
        width, height = max_width, height * max_width // width
    return _Picture(blob, max(width, 1), max(height, 1), alt)


def _new_run(parent: Any, paragraph: Any) -> Any:
    """A run appended to a paragraph or to a hyperlink inside it."""
    return Run(etree.SubElement(parent, qn("w:r")), paragraph)


def _text_run(parent: Any, paragraph: Any, text: str) -> Any:
    """A run holding collapsed text (no tabs or newlines), written without per-character work."""
    run = _new_run(parent, paragraph)
    t = etree.SubElement(run._r, qn("w:t"))
    t.text = text
    if text != text.strip(" "):
        t.set(_XML_SPACE, "preserve")
    return run


def _fld_char(parent: Any, paragraph: Any, kind: str, fmt: _Fmt | None) -> None:
    run = _new_run(parent, paragraph)
    if fmt is not None:
        _format_run(run, fmt, "")
    run._r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))


def _format_run(run: Any, fmt: _Fmt, text: str) -> None:
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
    if _CJK.search(text):
        rfonts = run._r.get_or_add_rPr().get_or_add_rFonts()
        rfonts.set(qn("w:eastAsia"), _EAST_ASIAN_FONT)
        rfonts.set(qn("w:hint"), "eastAsia")
