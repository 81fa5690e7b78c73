"""The blank document: A4 page setup, explicit Latin and East Asian fonts, extra styles.

Word's default template names theme fonts, which would override the explicit ones and differ
between Word and LibreOffice; every style is given fixed fonts instead, and a Chinese document
gets Chinese as its East Asian language. The header and footer styles get tab stops for the
left/centre/right parts, the "toc 1"/"toc 2" styles are added, and Word is asked to refresh
fields when it opens the file.
"""

from __future__ import annotations

from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

# A4 with 2 cm margins all round leaves 17 cm for text.
_PAGE_WIDTH = Cm(21)
_PAGE_HEIGHT = Cm(29.7)
_MARGIN = Cm(2)
TEXT_WIDTH = int(_PAGE_WIDTH - 2 * _MARGIN)  # EMU
EMU_PER_TWIP = 635

_LATIN_FONT = "Arial"  # LibreOffice substitutes the metric-compatible Liberation Sans
EAST_ASIAN_FONT = "Microsoft YaHei"
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
_MARGIN_TEXT_SIZE = 9.0


def new_document(zh: bool) -> Any:
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
    return document


def _set_fonts(rfonts: Any) -> None:
    """Give an ``rFonts`` element explicit fonts and drop the theme fonts that would win."""
    for attribute in _THEME_FONT_ATTRIBUTES:
        rfonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attribute), _LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)


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
        tab_stops.add_tab_stop(Emu(TEXT_WIDTH // 2), WD_TAB_ALIGNMENT.CENTER)
        tab_stops.add_tab_stop(Emu(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT)


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
        # page numbers flush right after a dotted leader, as Word's own contents show them
        style.paragraph_format.tab_stops.add_tab_stop(
            Emu(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )


def heading_colours(document: Any, colours: dict[int, str]) -> None:
    """Give the Heading styles the stylesheet's colours (``h1``...: ``RRGGBB`` by level)."""
    for level, colour in sorted(colours.items()):
        document.styles[f"Heading {level}"].font.color.rgb = RGBColor.from_string(colour)
