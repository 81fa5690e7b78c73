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
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Cm, Emu, Pt

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

# GB/T 9704-2012: A4, top 37 mm, binding (left) 28 mm, text block 156 x 225 mm; body text in
# 仿宋_GB2312 三号 (16 pt), 22 lines a page. The fonts are named as Word users have them, with
# the faces Windows ships as alternates (w:altName) for machines without the GB fonts.
GBT_BODY_FONT = "仿宋_GB2312"
GBT_BODY_PT = 16.0
GBT_LINE_PT = 28.95
GBT_LATIN_FONT = "Times New Roman"
GBT_HEADING_FONT = "楷体_GB2312"
GBT_TABLE_PT = 10.5  # 五号: tables in a GB/T document unless they say otherwise
_GBT_MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
_GBT_FOOTER_MM = 23  # the page number sits 7 mm under the text block
_GBT_FONTS = {  # name -> (alternate, pitch)
    "仿宋_GB2312": "仿宋",
    "方正小标宋简体": "宋体",
    "黑体": "SimHei",
    "楷体_GB2312": "楷体",
    "宋体": "SimSun",
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


# Settings children that follow w:mirrorMargins in the schema's order.
_SETTINGS_AFTER_MIRROR_MARGINS = (
    "w:alignBordersAndEdges",
    "w:bordersDoNotSurroundHeader",
    "w:bordersDoNotSurroundFooter",
    "w:gutterAtTop",
    "w:hideSpellingErrors",
    "w:hideGrammaticalErrors",
    "w:activeWritingStyle",
    "w:proofState",
    "w:formsDesign",
    "w:attachedTemplate",
    "w:linkStyles",
    "w:stylePaneFormatFilter",
    "w:stylePaneSortMethod",
    "w:documentType",
    "w:mailMerge",
    "w:revisionView",
    "w:trackRevisions",
    "w:doNotTrackMoves",
    "w:doNotTrackFormatting",
    "w:documentProtection",
    "w:autoFormatOverride",
    "w:styleLockTheme",
    "w:styleLockQFSet",
    "w:defaultTabStop",
    "w:autoHyphenation",
    "w:consecutiveHyphenLimit",
    "w:hyphenationZone",
    "w:doNotHyphenateCaps",
    "w:showEnvelope",
    "w:summaryLength",
    "w:clickAndTypeStyle",
    "w:defaultTableStyle",
    "w:evenAndOddHeaders",
    "w:bookFoldRevPrinting",
    "w:bookFoldPrinting",
    "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing",
    "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin",
    "w:drawingGridVerticalOrigin",
    "w:doNotShadeFormData",
    "w:noPunctuationKerning",
    "w:characterSpacingControl",
    "w:printTwoOnOne",
    "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter",
    "w:noLineBreaksBefore",
    "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema",
    "w:saveInvalidXml",
    "w:ignoreMixedContent",
    "w:alwaysShowPlaceholderText",
    "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving",
    "w:saveThroughXslt",
    "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace",
    "w:updateFields",
    *_SETTINGS_AFTER_UPDATE_FIELDS,
)


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
    _enable_update_fields(document)
    return document


def text_width(document: Any) -> int:
    """The width of the first section's text block in EMU."""
    section = document.sections[0]
    return int(section.page_width - section.left_margin - section.right_margin)


def use_gbt9704(document: Any) -> None:
    """GB/T 9704 page and body text: margins, FangSong 16 pt, odd and even footers."""
    from docx.shared import Mm

    section = document.sections[0]
    section.top_margin = Mm(_GBT_MARGINS_MM["top"])
    section.bottom_margin = Mm(_GBT_MARGINS_MM["bottom"])
    section.left_margin = Mm(_GBT_MARGINS_MM["left"])
    section.right_margin = Mm(_GBT_MARGINS_MM["right"])
    section.footer_distance = Mm(_GBT_FOOTER_MM)
    normal = document.styles["Normal"]
    normal.font.size = Pt(GBT_BODY_PT)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attribute), GBT_LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), GBT_BODY_FONT)
    for name in ("Header", "Footer"):  # the page number: 宋体 4号 (14 pt)
        style = document.styles[name]
        style.font.size = Pt(14)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    document.settings.odd_and_even_pages_header_footer = True
    # Printed on both sides: the 28 mm binding margin is on the inside of every page.
    document.settings.element.insert_element_before(
        OxmlElement("w:mirrorMargins"), *_SETTINGS_AFTER_MIRROR_MARGINS
    )
    _add_font_alternates(document)


def _add_font_alternates(document: Any) -> None:
    """Declare the GB fonts in fontTable.xml with the Windows faces as alternates."""
    from lxml import etree

    part = next(
        (p for p in document.part.package.iter_parts() if p.partname.endswith("/fontTable.xml")),
        None,
    )
    if part is None:
        return
    root = etree.fromstring(part.blob)
    known = {f.get(qn("w:name")) for f in root.iter(qn("w:font"))}
    for name, alternate in _GBT_FONTS.items():
        if name in known:
            continue
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alternate})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
        etree.SubElement(font, qn("w:family"), {qn("w:val"): "modern"})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


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


def _enable_update_fields(document: Any) -> None:
    """Ask Word to refresh fields (the table of contents) when it opens the file."""
    settings = document.settings.element
    element = OxmlElement("w:updateFields", {qn("w:val"): "true"})
    settings.insert_element_before(element, *_SETTINGS_AFTER_UPDATE_FIELDS)
