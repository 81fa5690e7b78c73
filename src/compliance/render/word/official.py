"""The GB/T 9704-2012 page of Chinese official documents (notices, minutes) in the DOCX.

A4 with a 37 mm top margin, a 28 mm binding margin (inside: margins are mirrored for printing on
both sides) and a 156 x 225 mm text block; body text in 仿宋_GB2312 at 16 pt, 22 lines a page;
page numbers in separate odd and even footers. The fonts are named as Word users have them, and
the font table gives the faces Windows ships as their alternates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Mm, Pt
from lxml import etree

from compliance.render.word.inline import Fmt
from compliance.render.word.markup import classes
from compliance.render.word.story import Block, Ctx, Flow, Story

if TYPE_CHECKING:
    from compliance.render.word.convert import Converter

GBT_BODY_FONT = "仿宋_GB2312"
GBT_BODY_PT = 16.0
GBT_LINE_PT = 28.95
GBT_LATIN_FONT = "Times New Roman"
GBT_HEADING_FONT = "楷体_GB2312"
GBT_TABLE_PT = 10.5  # 五号: tables in a GB/T document unless they say otherwise
_GBT_MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
_GBT_FOOTER_MM = 23  # the page number sits 7 mm under the text block
_GBT_FONTS = {  # the name Word users have -> the face Windows ships
    "仿宋_GB2312": "仿宋",
    "方正小标宋简体": "宋体",
    "黑体": "SimHei",
    "楷体_GB2312": "楷体",
    "宋体": "SimSun",
}

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


def text_width(document: Any) -> int:
    """The width of the first section's text block in EMU."""
    section = document.sections[0]
    return int(section.page_width - section.left_margin - section.right_margin)


def use_gbt9704(document: Any) -> None:
    """GB/T 9704 page and body text: margins, FangSong 16 pt, odd and even footers."""
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


def render_folios(conv: Converter, body: Any) -> None:
    """Page numbers ``— 2 —`` from ``div.page-footer``: one character in from the right edge
    on odd pages, from the left edge on even pages; no running header."""
    section = conv.writer.document.sections[0]
    width = text_width(conv.writer.document)
    el = next((d for d in body.iter("div") if "page-footer" in classes(d)), None)
    one_space = 14 * 0.0353  # cm: one character of the 14 pt page number
    for part, block in (
        (
            section.footer,
            Block(style="Footer", align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent_em=1, font_pt=14),
        ),
        (
            section.even_page_footer,
            Block(style="Footer", align=WD_ALIGN_PARAGRAPH.LEFT, indent_cm=one_space),
        ),
    ):
        part.is_linked_to_previous = False
        story = Story(part, part._element, width=width)
        if el is not None:
            ctx = Ctx(story, block, Fmt())
            flow = Flow(conv.writer, ctx)
            conv.children(el, ctx, flow)
            flow.flush()
        story.finish()
    for part in (section.header, section.even_page_header):
        part.is_linked_to_previous = False
        story = Story(part, part._element, width=width)
        story.finish()
