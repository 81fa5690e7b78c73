"""HTML -> DOCX: structure, formatting, metadata and determinism, read back with python-docx."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Cm
from PIL import Image

from compliance.render.documents import Options, stylesheet
from compliance.render.word import html_to_docx
from compliance.render.word.styles import TEXT_WIDTH

# The built-in stylesheet with the default branding: the DOCX takes its colours from it.
CSS = stylesheet(Options(out=Path(".")))

REPORT = """\
<!DOCTYPE html>
<html lang="en">
<head>
  <title>Gap report — Plant A</title>
  <meta name="author" content="Auditor One">
  <meta name="subject" content="Work safety">
  <meta name="keywords" content="gap, report">
  <meta name="description" content="Findings for Plant A">
  <meta name="dcterms.created" content="2026-06-01">
  <style>body { font-family: sans-serif; }</style>
  <script>document.write("no")</script>
</head>
<body>
  <div class="page-header"><span class="left">Gap report</span>
    <span class="right">Plant A</span></div>
  <div class="page-footer"><span class="center">Page <span class="page-number"></span>
    of <span class="page-count"></span></span></div>
  <section class="cover">
    <h1 class="title">Gap   report</h1>
    <p class="muted">Prepared for <strong>Plant A</strong></p>
  </section>
  <nav class="toc">
    <h2>Contents</h2>
    <ul>
      <li><a href="#summary">1 Summary</a></li>
      <li><a href="#findings">2 Findings</a>
        <ul><li><a href="#detail">2.1 Detail</a></li></ul></li>
    </ul>
  </nav>
  <div class="page-break"></div>
  <h1 id="summary">Summary</h1>
  <p>
    Three   findings,
    <span class="sev-critical">one critical</span> and
    <span style="color:#00aa00">two fixed</span>; see <code>RESP-03</code>.<br>
    Second line.
  </p>
  <ol><li>first</li><li>second</li></ol>
  <ol><li>again one</li></ol>
  <ul><li>bullet<ul><li>nested</li></ul></li></ul>
  <h2 id="findings">Findings</h2>
  <table>
    <colgroup><col style="width: 25%"><col><col style="width: 15%"></colgroup>
    <thead><tr><th>Rule</th><th>Finding</th><th class="num">Score</th></tr></thead>
    <tbody>
      <tr><td>RESP-03</td><td>Posts <em>not</em> signed</td>
        <td class="num" style="background:#ffe0e0">3</td></tr>
      <tr><td colspan="2"><p>Spanning</p><p>two paragraphs</p></td><td>1</td></tr>
    </tbody>
  </table>
  <figure><img src="chart.png" alt="Score chart" style="width: 8cm">
    <figcaption>Figure 1: scores</figcaption></figure>
  <p><img src="missing.png" alt="Missing chart"></p>
  <blockquote>Quoted text</blockquote>
  <div class="callout"><p>Call-out text</p></div>
  <dl><dt>Term</dt><dd>Its definition</dd></dl>
  <h3 id="detail">Detail</h3>
  <custom-tag>Unknown <b>tag</b> content</custom-tag>
</body>
</html>
"""


def _png(width: int = 20, height: int = 10) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def _loader(images: dict[str, bytes]) -> Callable[[str], bytes | None]:
    return images.get


def _open(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def _convert(
    html: str, *, lang: str = "en", images: dict[str, bytes] | None = None, css: str = CSS
) -> Any:
    return _open(html_to_docx(html, _loader(images or {}), lang=lang, css=css))


def _texts(document: Any) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs]


def _paragraph(document: Any, text: str) -> Any:
    return next(p for p in document.paragraphs if p.text == text)


def _xml(element: Any) -> str:
    return str(element.xml)


@pytest.fixture(scope="module")
def report_bytes() -> bytes:
    return html_to_docx(REPORT, _loader({"chart.png": _png()}), css=CSS)


@pytest.fixture(scope="module")
def report(report_bytes: bytes) -> Any:
    return _open(report_bytes)


# --------------------------------------------------------------------------- structure


def test_headings_use_heading_styles_and_carry_bookmarks(report: Any) -> None:
    texts = _texts(report)
    assert ("Title", "Gap report") in texts
    assert ("Heading 1", "Summary") in texts
    assert ("Heading 2", "Findings") in texts
    assert ("Heading 3", "Detail") in texts
    heading = _paragraph(report, "Summary")
    names = [b.get(qn("w:name")) for b in heading._p.iter(qn("w:bookmarkStart"))]
    assert names == ["summary"]


def test_white_space_collapses_and_br_breaks_the_line(report: Any) -> None:
    paragraph = next(p for p in report.paragraphs if p.text.startswith("Three"))
    assert paragraph.text == (
        "Three findings, one critical and two fixed; see RESP-03.\nSecond line."
    )


def test_inline_bold_colour_and_code_runs(report: Any) -> None:
    cover = _paragraph(report, "Prepared for Plant A")
    bold = [r.text for r in cover.runs if r.bold]
    assert bold == ["Plant A"]
    assert all(str(r.font.color.rgb) == "666666" for r in cover.runs)  # class="muted"
    paragraph = next(p for p in report.paragraphs if p.text.startswith("Three"))
    runs = {r.text: r for r in paragraph.runs}
    assert str(runs["one critical"].font.color.rgb) == "B00020"
    assert str(runs["two fixed"].font.color.rgb) == "00AA00"
    assert runs["RESP-03"].font.name == "Courier New"


def test_lists_use_list_styles_and_each_ol_restarts(report: Any) -> None:
    texts = _texts(report)
    assert ("List Number", "first") in texts
    assert ("List Number", "second") in texts
    assert ("List Bullet", "bullet") in texts
    assert ("List Bullet 2", "nested") in texts
    num_ids = {
        p.text: p._p.pPr.numPr.numId.val for p in report.paragraphs if p.style.name == "List Number"
    }
    assert num_ids["first"] == num_ids["second"] != num_ids["again one"]


def test_quotes_definitions_captions_and_unknown_tags(report: Any) -> None:
    texts = _texts(report)
    for text in ("Quoted text", "Call-out text"):  # shaded with a rule, as report.css.j2 says
        xml = _xml(_paragraph(report, text)._p)
        assert 'w:fill="F4F6F9"' in xml and 'w:left w:val="single"' in xml
        assert 'w:color="1F3A5F"' in xml  # the primary colour
    plain = _convert("<blockquote>Quoted text</blockquote>", css="")
    assert _texts(plain) == [("Intense Quote", "Quoted text")]  # a stylesheet without callouts
    assert ("Caption", "Figure 1: scores") in texts
    assert ("Normal", "Unknown tag content") in texts
    term = _paragraph(report, "Term")
    assert term.runs[0].bold
    indent = _paragraph(report, "Its definition").paragraph_format.left_indent
    assert indent.cm == pytest.approx(1.0, abs=0.01)
    joined = "\n".join(p.text for p in report.paragraphs)
    assert "document.write" not in joined
    assert "font-family" not in joined


# --------------------------------------------------------------------------- tables


def test_table_cells_header_repeat_and_no_row_splitting(report: Any) -> None:
    (table,) = report.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [
        ["Rule", "Finding", "Score"],
        ["RESP-03", "Posts not signed", "3"],
        ["Spanning\ntwo paragraphs", "Spanning\ntwo paragraphs", "1"],
    ]
    trs = table._tbl.tr_lst
    assert trs[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(tr.trPr.find(qn("w:tblHeader")) is None for tr in trs[1:])
    assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in trs)


def test_table_header_bold_shaded_and_cell_attributes(report: Any) -> None:
    (table,) = report.tables
    header, first, _ = table.rows
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert 'w:fill="E8EDF3"' in _xml(header.cells[0]._tc)  # report.css.j2: thead th
    assert 'w:fill="FFE0E0"' in _xml(first.cells[2]._tc)
    assert first.cells[2].paragraphs[0].alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT
    widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert widths[0] == pytest.approx(sum(widths) * 0.25, abs=2)
    assert widths[2] == pytest.approx(sum(widths) * 0.15, abs=2)


def test_two_thousand_row_table_converts() -> None:
    rows = "".join(
        f"<tr><td>U-{i}</td><td class='num'>{i}</td><td><b>major</b></td>"
        f"<td>rule {i}</td><td>2026-01-01</td><td>finding {i}</td></tr>"
        for i in range(2000)
    )
    html = f"<table><thead><tr>{'<th>h</th>' * 6}</tr></thead><tbody>{rows}</tbody></table>"
    (table,) = _convert(html).tables
    trs = table._tbl.tr_lst
    assert len(trs) == 2001
    last = ["".join(t.text for t in tc.iter(qn("w:t"))) for tc in trs[-1].tc_lst]
    assert last == ["U-1999", "1999", "major", "rule 1999", "2026-01-01", "finding 1999"]
    assert len(table._tbl.tblGrid.gridCol_lst) == 6


# --------------------------------------------------------------------------- pictures


def test_picture_is_embedded_centred_with_css_width(report: Any) -> None:
    (shape,) = report.inline_shapes
    assert shape.width == Cm(8)
    assert shape.height == Cm(4)  # aspect ratio of the 20 x 10 px image
    paragraph = next(p for p in report.paragraphs if p._p.xpath(".//w:drawing"))
    assert paragraph.alignment == 1  # WD_ALIGN_PARAGRAPH.CENTER
    assert "[Missing chart]" in [p.text for p in report.paragraphs]


def test_unusable_picture_falls_back_to_alt_text() -> None:
    document = _convert('<p><img src="x" alt="Plan"></p>', images={"x": b"not an image"})
    assert [p.text for p in document.paragraphs] == ["[Plan]"]
    assert len(document.inline_shapes) == 0


def test_wide_picture_is_limited_to_the_text_width() -> None:
    document = _convert('<p><img src="x" alt="wide"></p>', images={"x": _png(2000, 100)})
    (shape,) = document.inline_shapes
    assert shape.width == Cm(17)


# --------------------------------------------------------------------------- page furniture


def test_header_and_footer_with_page_fields(report: Any) -> None:
    section = report.sections[0]
    # left and right only: one tab to the right edge, the centre stop cleared on this line,
    # so a long left part cannot push the right one onto a line of its own
    header = section.header.paragraphs[0]
    assert header.text == "Gap report\tPlant A"
    stops = [(s.position, s.alignment) for s in header.paragraph_format.tab_stops]
    # (Word stores twips: positions come back rounded)
    assert [a for p, a in stops if abs(p - TEXT_WIDTH // 2) < 1000] == [WD_TAB_ALIGNMENT.CLEAR]
    assert not [a for p, a in stops if abs(p - TEXT_WIDTH) < 1000]  # the style's right stop
    footer = section.footer.paragraphs[0]
    instructions = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text == "\tPage 1 of 1"


def test_page_is_a4_with_two_centimetre_margins(report: Any) -> None:
    section = report.sections[0]
    # Word stores twentieths of a point, so centimetres come back rounded.
    assert section.page_width.cm == pytest.approx(21.0, abs=0.01)
    assert section.page_height.cm == pytest.approx(29.7, abs=0.01)
    for margin in (section.left_margin, section.right_margin, section.top_margin):
        assert margin.cm == pytest.approx(2.0, abs=0.01)
    assert section.bottom_margin.cm == pytest.approx(2.0, abs=0.01)


def test_toc_entries_with_page_references_and_no_update_on_open(report: Any) -> None:
    assert ("TOC Heading", "Contents") in _texts(report)
    entries = [(p.style.name, p.text) for p in report.paragraphs if p.style.name.startswith("toc")]
    # text, a tab to the right-aligned page number (a PAGEREF field; no page layout given)
    assert entries == [
        ("toc 1", "1 Summary\t"),
        ("toc 1", "2 Findings\t"),
        ("toc 2", "2.1 Detail\t"),
    ]
    body = report.element.body
    instructions = [t.text.strip() for t in body.iter(qn("w:instrText"))]
    assert all(i.startswith("PAGEREF ") and i.endswith(" \\h") for i in instructions)
    assert len(instructions) == 3
    # no TOC field and no "update fields" request: Word opens the file without asking
    assert report.settings.element.find(qn("w:updateFields")) is None
    assert not [c for c in body.iter(qn("w:fldChar")) if c.get(qn("w:dirty"))]


def test_toc_page_numbers_from_the_given_layout() -> None:
    html = (
        '<nav class="toc"><h2>Contents</h2><ul><li><a href="#a">A</a></li></ul></nav>'
        '<h1 id="a">A</h1><p>x</p>'
    )
    doc = _open(html_to_docx(html, _loader({}), pages={"a": 7}))
    entries = [p.text for p in doc.paragraphs if p.style.name.startswith("toc")]
    assert entries == ["A\t7"]


def test_page_breaks_after_cover_and_at_page_break_div(report: Any) -> None:
    assert _paragraph(report, "Contents").paragraph_format.page_break_before
    assert _paragraph(report, "Summary").paragraph_format.page_break_before
    assert not _paragraph(report, "Findings").paragraph_format.page_break_before


def test_page_break_before_a_table_and_none_before_any_content() -> None:
    html = (
        '<div class="page-break"></div><p>one</p>'
        '<div class="page-break"></div><table><tr><td>x</td></tr></table>'
    )
    document = _convert(html)
    first, carrier = document.paragraphs[:2]
    assert first.text == "one" and not first.paragraph_format.page_break_before
    assert carrier.text == "" and carrier.paragraph_format.page_break_before


# --------------------------------------------------------------------------- metadata


def test_core_properties_from_head(report: Any) -> None:
    props = report.core_properties
    assert props.title == "Gap report — Plant A"
    assert props.author == props.last_modified_by == "Auditor One"
    assert props.subject == "Work safety"
    assert props.keywords == "gap, report"
    assert props.comments == "Findings for Plant A"
    created = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    assert props.created == props.modified == props.last_printed == created
    assert props.revision == 1


def test_core_properties_default_date() -> None:
    props = _convert("<p>x</p>").core_properties
    assert props.created == props.modified == dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    assert props.author == "" and props.title == ""


# --------------------------------------------------------------------------- Chinese


def test_chinese_text_and_east_asian_fonts() -> None:
    html = '<html lang="zh-CN"><body><h1>安全生产</h1><p>岗位“值班长”未签字</p></body></html>'
    document = _convert(html, lang="zh")
    assert ("Heading 1", "安全生产") in _texts(document)
    run = _paragraph(document, "岗位“值班长”未签字").runs[0]
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "Microsoft YaHei"
    for name in ("Normal", "Heading 1", "Heading 2", "Title", "Caption"):
        rfonts = document.styles[name].element.rPr.rFonts
        assert rfonts.get(qn("w:eastAsia")) == "Microsoft YaHei", name
        assert not any(key.endswith("Theme") or key.endswith("theme") for key in rfonts.attrib)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


# --------------------------------------------------------------------------- safety, determinism


def test_escaped_markup_stays_literal_text() -> None:
    name = "&lt;b&gt;&amp;{{ 7*7 }}"
    html = f"<h2>{name}</h2><table><tr><td>{name}</td></tr></table>"
    document = _convert(html)
    assert document.paragraphs[0].text == "<b>&{{ 7*7 }}"
    assert not document.paragraphs[0].runs[0].bold
    assert document.tables[0].rows[0].cells[0].text == "<b>&{{ 7*7 }}"


def test_same_html_gives_identical_bytes(report_bytes: bytes) -> None:
    again = html_to_docx(REPORT, _loader({"chart.png": _png()}), css=CSS)
    assert again == report_bytes
    with zipfile.ZipFile(io.BytesIO(report_bytes)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_links_become_hyperlinks(report: Any) -> None:
    document = _convert(
        '<h2 id="a-b">Target</h2><p><a href="https://example.org/x">web</a>'
        ' <a href="#a-b">inside</a> <a href="ftp://x">plain</a></p>'
    )
    paragraph = document.paragraphs[1]
    assert paragraph.text == "web inside plain"
    links = list(paragraph._p.iter(qn("w:hyperlink")))
    assert [link.get(qn("w:anchor")) for link in links] == [None, "a_b"]
    rel = document.part.rels[links[0].get(qn("r:id"))]
    assert rel.target_ref == "https://example.org/x"


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<!-- only a comment -->",
        "plain text",
        "<table></table><table><tr></tr></table>",
        "<td>cell without table</td>",
        "<p>\x00\x01\x0b control characters</p>",
        "<ol start='x'><li></li></ol><li>stray</li>",
        "<div>" * 400 + "deep" + "</div>" * 400,
        "<span>" * 400 + "deep" + "</span>" * 400,
        "<table><tr><td colspan='0'>a</td><td colspan='99999999999'>b</td></tr></table>",
        "<nav class='toc'></nav><section class='cover'></section>",
        "<meta name='dcterms.created' content='not a date'><title>" + "t" * 400 + "</title>",
        "<img src='x'><img><a href='https://bad url/ü'>x</a><h1 id='1 2'>a</h1><h1 id='1_2'>b</h1>",
    ],
)
def test_odd_input_never_crashes(html: str) -> None:
    data = html_to_docx(html, lambda src: b"\x89PNG broken")
    document = _open(data)
    assert document.element.body is not None
    assert data == html_to_docx(html, lambda src: b"\x89PNG broken")


def test_landscape_section_between_portrait_pages() -> None:
    html = (
        '<section class="cover"><h1 class="title">T</h1></section>'
        '<p>before</p><section class="landscape"><table><colgroup><col style="width: 100%">'
        "</colgroup><tr><td>wide</td></tr></table></section><p>after</p>"
    )
    doc = _convert(html)
    orientations = [s.orientation for s in doc.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert doc.sections[1].page_width > doc.sections[1].page_height
    # the cover's section has no header on its first page; the later ones do
    assert [s.different_first_page_header_footer for s in doc.sections] == [True, False, False]
    # the table spans the turned page's text width
    width = doc.tables[0]._tbl.find(qn("w:tblPr")).find(qn("w:tblW"))
    assert int(width.get(qn("w:w"))) > 14000
