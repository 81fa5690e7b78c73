"""Chinese meeting documents in GB/T 9704-2012 layout, read back from the PDF, the DOCX and
LibreOffice's rendering of the DOCX; the meeting-file features behind them."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from pypdf import PdfReader

from compliance.diagnostics import InputError
from compliance.meeting_file import load_meeting, proposals
from compliance.render.titles import break_title, minutes_title, units
from tests.conftest import SAMPLES, run_cli
from tests.test_reports import docx_text, flat, pdf_text

Write = Callable[[str, str], Path]
CONFERENCE = SAMPLES / "meetings" / "2026-q4-conference.meeting.yaml"
RED = "E60012"
MM = 72 / 25.4  # PDF points per millimetre
# Codes of the meeting schema and of findings that must never show in a Chinese document.
CODES = re.compile(
    r"\b(open|in_progress|done|present|apologies|absent|member|observer|finds|requires|"
    r"decides|proposed|critical|major|minor|work_safety_conference|safety_committee)\b"
)


@pytest.fixture(scope="module")
def zh(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The conference's three documents in Chinese, both formats (no --propose)."""
    out = tmp_path_factory.mktemp("gbt")
    result = run_cli(
        "meeting",
        "all",
        str(CONFERENCE),
        "--units",
        str(SAMPLES),
        "--as-of",
        "2026-11-28",
        "--lang",
        "zh",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.stderr
    return {p.name.split(".")[0].rsplit("-", 1)[1] + p.suffix: p for p in out.iterdir()}


def _pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def test_notice_pdf_reads_as_a_gbt_9704_notice(zh: dict[str, Path]) -> None:
    pages = _pages(zh["notice.pdf"])
    first, last = pages[0], pages[-1]
    lines = [line.strip() for line in first.splitlines() if line.strip()]
    # mark, number, then the title on three even lines broken between words, each short
    # enough that LibreOffice does not wrap it again in the DOCX
    assert lines[:5] == [
        "北源电力集团有限公司安全生产委员会文件",
        "北源安委〔2026〕9号",
        "关于召开2026年第四季度",
        "安全生产工作会议暨治本攻坚",
        "三年行动收官动员会的通知",
    ]
    assert lines[5] == "各所属单位、集团各部门："
    text = flat("".join(pages))
    for part in [
        "一、会议时间：2026年11月27日（星期五）09:00—11:30",
        "二、会议地点：集团总部三楼第一会议室",
        "三、参会人员：见附件1",
        "四、会议议程（一）通报前三季度集团安全生产和生态环保工作情况（关瑞卿汇报，30分钟）",
        "请各单位于2026年11月25日前将参会回执（附件2）报送会议联系人。",
        "附件：1.参会人员名单2.参会回执北源电力集团有限公司安全生产委员会2026年11月20日",
        "附件1参会人员名单",
        "附件2参会回执",
    ]:
        assert flat(part) in text, part
    # back matter at the foot of the last page, page numbers as — N —
    assert flat("抄送：集团领导班子成员。") in flat(last)
    assert last.rstrip().endswith(f"— {len(pages)} —")
    assert [p.strip().splitlines()[-1] for p in pages] == [
        f"— {n} —" for n in range(1, len(pages) + 1)
    ]
    assert not CODES.search(text)


def test_notice_pdf_geometry_colour_and_fonts(zh: dict[str, Path]) -> None:
    reader = PdfReader(zh["notice.pdf"])
    page = reader.pages[0]
    assert (round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM)) == (
        210,
        297,
    )
    xs: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        # the text position in page space: the text matrix through the current matrix
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        xs.append((x, y, text))

    page.extract_text(visitor_text=visit)
    left = min(x for x, _, t in xs if t.strip())
    top = max(y for _, y, t in xs if t.strip())
    assert 27 <= left / MM <= 31  # binding margin 28 mm on an odd page (reports: 18 mm)
    assert 297 - 37 - 13 <= top / MM <= 297 - 37  # first line (a 30 pt mark) under the 37 mm top
    # page numbers one character in from the outer edge: right on odd pages, left on even ones
    folios: list[float] = []
    for other in reader.pages[:2]:
        spots: list[float] = []

        def visit_folio(
            text: str, cm: list[float], tm: list[float], *_: Any, spots: list[float] = spots
        ) -> None:
            if re.fullmatch(r"— \d+ —\s*", text):
                spots.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4]) / MM)

        other.extract_text(visitor_text=visit_folio)
        folios.append(min(spots))
    assert folios[0] > 160 and folios[1] < 50, folios
    content = page.get_contents().get_data().decode("latin-1")
    red = re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|RG)", content)
    assert any(float(r) > 0.85 and float(g) < 0.05 and float(b) < 0.15 for r, g, b in red)
    fonts = {
        str(f.get_object()["/BaseFont"])
        for f in page["/Resources"]["/Font"].values()  # type: ignore[union-attr]
    }
    assert any("UKai" in f for f in fonts), fonts  # FangSong-style body face
    assert any("Noto-Serif-CJK-SC-Bold" in f for f in fonts), fonts  # Song-style title


def _paragraph(document: Any, text: str) -> Any:
    return next(p for p in document.paragraphs if p.text.startswith(text))


def test_notice_docx_keeps_the_red_head_fonts_and_alignment(zh: dict[str, Path]) -> None:
    document = docx.Document(str(zh["notice.docx"]))
    section = document.sections[0]
    assert (round(section.top_margin / Mm(1)), round(section.left_margin / Mm(1))) == (37, 28)
    assert round((section.page_width - section.left_margin - section.right_margin) / Mm(1)) == 156
    mark = _paragraph(document, "北源电力集团有限公司安全生产委员会文件")
    assert mark.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {str(r.font.color.rgb) for r in mark.runs} == {RED}
    texts = [p.text for p in document.paragraphs]
    rule = document.paragraphs[texts.index(mark.text) + 2]
    bottom = rule._p.pPr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}")
    assert bottom is not None and bottom.get(qn("w:color")) == RED
    title = _paragraph(document, "关于召开")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert (
        title.text == "关于召开2026年第四季度\n安全生产工作会议暨治本攻坚\n三年行动收官动员会的通知"
    )
    run = title.runs[0]
    assert (run.bold, run.font.size, run.font.color.rgb) == (
        True,
        Pt(22),
        docx.shared.RGBColor(0, 0, 0),
    )
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = _paragraph(document, "经研究")
    assert title.paragraph_format.space_before == Pt(29)  # a blank line under the red line
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert body.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert document.styles["Normal"].font.size == Pt(16)
    signature = _paragraph(document, "北源电力集团有限公司安全生产委员会\n2026年11月20日")
    assert signature.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # the date four characters in from the right edge, a line of room above for the seal
    assert signature.paragraph_format.right_indent == Pt(64)
    assert signature.paragraph_format.space_before == Pt(29)
    # page numbers: — PAGE — right on odd pages, left on even pages
    assert document.settings.odd_and_even_pages_header_footer
    assert document.settings.element.find(qn("w:mirrorMargins")) is not None  # binding inside
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert (odd.alignment, even.alignment) == (WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT)
    for footer in (odd, even):
        assert footer.text == "— 1 —"  # the PAGE field's cached result
        assert "PAGE" in "".join(footer._p.itertext())
    # the back matter floats to the foot of the page, ruled above and below
    back = document.tables[-1]
    assert back.cell(0, 0).text == "抄送：集团领导班子成员。"
    position = back._tbl.tblPr.find(qn("w:tblpPr"))
    assert position is not None and position.get(qn("w:tblpYSpec")) == "bottom"
    # fonts Word users have, with the faces Windows ships as alternates
    font_table = next(
        p for p in document.part.package.iter_parts() if p.partname.endswith("fontTable.xml")
    ).blob.decode()
    assert 'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in font_table
    assert not CODES.search(docx_text(zh["notice.docx"]))


def test_signin_sheets_one_per_venue_with_rows_to_sign_in(zh: dict[str, Path]) -> None:
    document = docx.Document(str(zh["signin.docx"]))
    assert len(document.tables) == 3  # main venue and two branch venues
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert header == ["序号", "姓名", "单位", "职务", "联系电话", "签到时间", "签名", "备注"]
    names = [[r.cells[1].text for r in t.rows[1:] if r.cells[1].text] for t in document.tables]
    assert names[1:] == [["郭建新"], ["刘晓峰"]]
    assert len(names[0]) == 8
    for table in document.tables:
        for row in table.rows[1:]:
            height = row._tr.trPr.find(qn("w:trHeight"))
            assert int(height.get(qn("w:val"))) >= 680  # 12 mm
            assert height.get(qn("w:hRule")) == "atLeast"
    text = flat(pdf_text(zh["signin.pdf"]))
    assert flat("分会场：河北新能源分会场（北源新能源（河北）有限公司视频会议室）") in text
    assert flat("主会场：集团总部三楼第一会议室") in text
    assert text.count("签到时间") == 3 and "请假" in text
    assert not CODES.search(text + docx_text(zh["signin.docx"]))


def test_minutes_have_their_own_number_groups_and_attendance(zh: dict[str, Path]) -> None:
    for path in (zh["minutes.pdf"], zh["minutes.docx"]):
        text = flat(pdf_text(path) if path.suffix == ".pdf" else docx_text(path))
        assert "北源安委纪〔2026〕4号" in text
        assert "北源安委〔2026〕9号" not in text  # never the notice's number
        assert "会议会议" not in text and "动员会纪要" in text
        assert (
            flat(
                "11月27日，杜远航（集团董事长、安委会主任）在集团总部三楼第一会议室（各单位设视频分会场）"
                "主持召开2026年第四季度安全生产工作会议暨治本攻坚三年行动收官动员会。现纪要如下："
            )
            in text
        )
        groups = [text.index(g) for g in ("（一）会议认为", "（二）会议要求", "（三）会议决定")]
        assert groups == sorted(groups)
        assert flat("（牵头单位：北源电力河西发电有限公司；完成时限：2026年12月15日）") in text
        assert "列席：赵静雯（集团安全监察部主任工程师）" in text
        assert "请假：王振华（北源白水峡水电有限公司总经理）" in text
        assert "缺席：刘晓峰" in text
        assert "办理中" in text and "未完成" in text  # action status labels, not codes
        assert "建议督办事项" not in text  # proposals only with --propose
        assert "对应问题QUAL-08卢海（北源电力河西发电有限公司）" in text  # adopted by rule + item
        # Finding messages quote the check result as it is (their codes are the check's
        # concern); everything the minutes themselves print is in Chinese.
        if path.suffix == ".pdf":
            own = text[: text.index("突出问题")] + text[text.index("未整改的重大隐患") :]
        else:
            document = docx.Document(str(path))
            own = "".join(p.text for p in document.paragraphs) + "".join(
                c.text
                for t in document.tables
                if t.rows[0].cells[0].text != "规则"
                for r in t.rows
                for c in r.cells
            )
        assert not CODES.search(own), CODES.search(own)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_renders_the_notice_docx(zh: dict[str, Path], tmp_path: Path) -> None:
    # One conversion (about 3 s warm): what a colleague without Word sees.
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(zh["notice.docx"]),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pages = _pages(tmp_path / zh["notice.docx"].with_suffix(".pdf").name)
    first = [line.strip() for line in pages[0].splitlines() if line.strip()]
    assert first[0] == "北源电力集团有限公司安全生产委员会文件"
    assert [flat(line) for line in first[2:5]] == [
        "关于召开2026年第四季度",
        "安全生产工作会议暨治本攻坚",
        "三年行动收官动员会的通知",
    ]
    text = flat("".join(pages))
    assert flat("附件：1.参会人员名单") in text and "抄送：集团领导班子成员。" in text
    assert [p.strip().splitlines()[-1].strip() for p in pages][:2] == ["— 1 —", "— 2 —"]


# --------------------------------------------------------------------------- meeting files


def test_titles_break_between_words_and_minutes_titles_do_not_double() -> None:
    assert units("2026年第四季度安全生产工作会议") == ["2026年", "第四季度", "安全生产", "工作会议"]
    assert break_title("关于召开2027年第一季度安全生产委员会会议的通知") == [
        "关于召开2027年第一季度",
        "安全生产委员会会议的通知",
    ]
    assert break_title("关于召开安全生产例会的通知") == ["关于召开安全生产例会的通知"]
    # too long for three lines: left whole to the renderer's wrapping, without trying every
    # cut (the search over a thousand characters' cuts ran for minutes, found by fuzzing)
    assert break_title("安全" * 500) == ["安全" * 500]
    assert (
        minutes_title("2027年第一季度安全生产委员会会议") == "2027年第一季度安全生产委员会会议纪要"
    )
    assert minutes_title("收官动员会") == "收官动员会纪要"
    assert minutes_title("安全生产委员会") == "安全生产委员会会议纪要"


PREVIOUS = """\
meeting: {issuing_body: 安委会, kind: safety_committee, title: 一季度会议, date: 2027-03-01}
actions:
  - {id: A1, title: 整改氨区隐患, owner: 冯晓燕, due: 2027-03-31}
"""


def test_carried_over_action_is_updated_by_id_once_with_a_warning_on_disagreement(
    write: Write,
) -> None:
    write("q1.meeting.yaml", PREVIOUS)
    path = write(
        "q2.meeting.yaml",
        """\
        meeting: {issuing_body: 安委会, kind: safety_committee, title: 二季度会议, date: 2027-06-01}
        previous: q1.meeting.yaml
        actions:
          - {id: A1, status: done, note: 已验收销号, due: 2027-04-30}
          - {id: B1, title: 新任务, owner: 李红梅, due: 2027-06-30}
        """,
    )
    meeting = load_meeting(path)
    assert [str(w).split(f"{path}:")[1] for w in meeting.warnings] == [
        "4:46: warning: actions[0].due: differs from item A1 of the previous minutes "
        "(2027-03-31); this file's value is used"
    ]
    from compliance.meeting_file import matters_arising, new_actions

    (arising,) = matters_arising(meeting)
    assert (arising["id"], arising["status"], arising["note"], arising["overdue"]) == (
        "A1",
        "done",
        "已验收销号",
        False,
    )
    assert [a["id"] for a in new_actions(meeting)] == ["B1"]  # A1 is not listed twice


def test_incomplete_action_venue_and_title_lines_are_errors(write: Write) -> None:
    path = write(
        "bad.meeting.yaml",
        """\
        meeting:
          issuing_body: 安委会
          kind: safety_committee
          title: 二季度会议
          title_lines: [二季度, 会]
          date: 2027-06-01
        participants:
          - {name: 李红梅, venue: 北京分会场}
        actions:
          - {id: C9, status: done}
        """,
    )
    with pytest.raises(InputError) as exc:
        load_meeting(path)
    assert [str(d).split(f"{path}:")[1] for d in exc.value.diagnostics] == [
        "5:16: error: meeting.title_lines: the lines do not join to the title; write the title's "
        "text cut into lines, nothing added or left out",
        "8:24: error: participants[0].venue: '北京分会场' is not one of the venues (none listed)",
        *(
            f"10:5: error: actions[0]: missing required key '{key}' here "
            "(no open item C9 of the previous minutes to update)"
            for key in ("due", "owner", "title")
        ),
    ]


def test_adoption_by_rule_and_item_removes_the_proposal(write: Write) -> None:
    path = write(
        "m.meeting.yaml",
        """\
        meeting: {issuing_body: 安委会, kind: safety_committee, title: 会议, date: 2027-03-01}
        actions:
          - {title: 整改, owner: 李, due: 2027-03-31, adopts: {rule: RISK-05, item: HX-1}}
        """,
    )
    findings = [
        {
            "unit": "u1",
            "rule": "RISK-05",
            "item": item,
            "severity": "critical",
            "waived": False,
            "fingerprint": fp,
            "message": f"gap {item}",
            "responsible": "王",
            "i18n": {},
        }
        for item, fp in (("HX-1", "a" * 16), ("HX-2", "b" * 16))
    ]
    result = {"units": [{"id": "u1", "name": "一厂", "score": 80.0}], "findings": findings}
    proposed, more = proposals(load_meeting(path), result, {"critical": 15}, "en")
    assert [(p["rule"], p["item"]) for p in proposed] == [("RISK-05", "HX-2")]
    assert more == 0
