"""Meeting documents: the file format's errors, matters arising, proposals, and both formats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest

from compliance.diagnostics import InputError
from compliance.meeting_file import load_meeting, matters_arising, proposals
from tests.conftest import SAMPLES, run_cli
from tests.test_reports import docx_text, flat, pdf_text

Write = Callable[[str, str], Path]
MEETINGS = SAMPLES / "meetings"
CONFERENCE = MEETINGS / "2026-q4-conference.meeting.yaml"
COMMITTEE = MEETINGS / "2027-q1-committee.meeting.yaml"

MINIMAL = """\
meeting:
  issuing_body: Safety Committee
  kind: safety_committee
  title: Test meeting
  date: 2027-03-01
  start: 09:30
"""


def errors(path: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_meeting(path)
    return [str(d) for d in exc.value.diagnostics]


def test_times_stay_times_and_errors_are_precise(write: Write) -> None:
    ok = load_meeting(write("m.meeting.yaml", MINIMAL))
    assert ok.data["meeting"]["start"] == "09:30"  # not the sexagesimal 570
    bad = write(
        "bad.meeting.yaml",
        MINIMAL.replace("start: 09:30", "start: 25:00\n  end: 11:30")
        + "participants:\n  - {name: Li, attendance: maybe}\nactions:\n  - {title: x, owner: y, due: 2027-02-30}\n",
    )
    assert [e.split(f"{bad}:")[1] for e in errors(bad)] == [
        "6:10: error: meeting.start: '25:00' is not a time: write it as HH:MM, for example 09:30",
        "9:28: error: participants[0].attendance: 'maybe' is not one of: present, apologies, absent (or 出席、请假、缺席)",
        "11:31: error: actions[0].due: '2027-02-30' is not a real date (day is out of range for month)",
    ]


def test_previous_must_exist_and_be_earlier(write: Write) -> None:
    missing = write("a.meeting.yaml", MINIMAL + "previous: nowhere.meeting.yaml\n")
    assert errors(missing) == [f"{missing}:7:11: error: previous: no file at nowhere.meeting.yaml"]
    write("later.meeting.yaml", MINIMAL.replace("2027-03-01", "2027-06-01"))
    early = write("b.meeting.yaml", MINIMAL + "previous: later.meeting.yaml\n")
    assert errors(early) == [
        f"{early}:7:11: error: previous: that meeting (2027-06-01) is not before this one (2027-03-01)"
    ]


def test_matters_arising_carry_open_items_and_flag_overdue() -> None:
    committee = load_meeting(COMMITTEE)
    arising = matters_arising(committee)
    assert [(a["id"], a["status"], a["overdue"], a["updated"]) for a in arising] == [
        ("A1", "in_progress", True, True),
        ("A2", "done", False, True),  # the committee's file closes it
        ("A3", "open", True, False),
        ("A4", "open", True, False),
    ]  # A5 was done; every due date lies before 2027-01-15
    assert arising[1]["note"].startswith("All three operators passed")
    assert arising[1]["title"].startswith("组织过期特种作业操作证人员复审")  # kept from the Q4 file


def _result(fingerprints: list[tuple[str, str]]) -> dict[str, Any]:
    findings = [
        {
            "unit": "u1",
            "rule": f"RISK-0{i}",
            "severity": sev,
            "waived": False,
            "fingerprint": fp,
            "message": f"gap {i}",
            "responsible": "Wang",
            "i18n": {},
        }
        for i, (fp, sev) in enumerate(fingerprints)
    ]
    return {"units": [{"id": "u1", "name": "Unit 1", "score": 80.0}], "findings": findings}


def test_proposals_skip_adopted_and_minor(write: Write) -> None:
    path = write(
        "m.meeting.yaml",
        MINIMAL
        + "actions:\n  - {title: fix, owner: Li, due: 2027-03-31, finding: aaaaaaaaaaaaaaaa}\n",
    )
    meeting = load_meeting(path)
    result = _result(
        [
            ("aaaaaaaaaaaaaaaa", "critical"),
            ("bbbbbbbbbbbbbbbb", "major"),
            ("cccccccccccccccc", "minor"),
        ]
    )
    proposed, more = proposals(meeting, result, {"critical": 15, "major": 30}, "en", limit=20)
    assert [(p["finding"], p["owner"], p["due"], p["status"]) for p in proposed] == [
        ("bbbbbbbbbbbbbbbb", "Wang", dt.date(2027, 3, 31), "proposed")
    ]
    assert more == 0


@pytest.fixture(scope="module")
def minutes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("meetings")
    en = run_cli(
        "meeting",
        "all",
        str(COMMITTEE),
        "--units",
        str(SAMPLES),
        "--as-of",
        "2026-11-28",
        "--out",
        str(out),
        "--config",
        str(SAMPLES / "compliance.yaml"),
        "--propose",
    )
    assert en.exit_code == 0, en.stderr
    zh = run_cli(
        "meeting",
        "minutes",
        str(CONFERENCE),
        "--units",
        str(SAMPLES),
        "--as-of",
        "2026-11-28",
        "--out",
        str(out),
        "--lang",
        "zh",
        "--format",
        "pdf,docx",
    )
    assert zh.exit_code == 0, zh.stderr
    return {p.name: p for p in out.iterdir()}


def test_all_documents_written(minutes: dict[str, Path]) -> None:
    assert sorted(minutes) == sorted(
        [
            f"2027-q1-committee-{d}.{f}"
            for d in ("notice", "signin", "minutes")
            for f in ("pdf", "docx")
        ]
        + ["2026-q4-conference-minutes.zh.pdf", "2026-q4-conference-minutes.zh.docx"]
    )


def test_minutes_pdf_and_docx_agree(minutes: dict[str, Path]) -> None:
    pdf = flat(pdf_text(minutes["2027-q1-committee-minutes.pdf"]))
    word = flat(docx_text(minutes["2027-q1-committee-minutes.docx"]))
    for text in (pdf, word):
        for title in [
            "Attendance",
            "Previous minutes and matters arising",
            "Agenda items",
            "Current safety situation",
            "Worst gaps",
            "Decisions",
            "Action items",
            "Any other business",
            "Next meeting",
            "Distribution",
            "Approval",
        ]:
            assert flat(title) in text, title
        # matters arising from the Q4 conference, flagged overdue at the meeting date
        assert "A1" in text and text.count("overdue") >= 3
        # the adopted action names the finding by rule and item
        assert flat("Adopts RISK-05 HX-YH-2026-006 (北源电力河西发电有限公司)") in text
        # decisions in their exact wording, grouped
        assert flat("The 2027 safety work priorities are adopted as amended") in text
        assert flat("The meeting found") in text and flat("The meeting decided") in text
        # --propose: the proposals are an annex after the approval, not action items
        annex = text.index(flat("Annex: Proposed action items"))
        assert text.index("P1") > annex > text.index("Approval")


def test_signin_sheet_rows(minutes: dict[str, Path]) -> None:
    document = docx.Document(str(minutes["2027-q1-committee-signin.docx"]))
    (table,) = document.tables  # no branch venues: one sheet
    assert [c.text for c in table.rows[0].cells] == [
        "No.",
        "Name",
        "Unit",
        "Post",
        "Telephone",
        "Time signed in",
        "Signature",
        "Remarks",
    ]
    assert [r.cells[1].text for r in table.rows[1:7]] == [
        "Du Yuanhang",
        "Guan Ruiqing",
        "Zhao Jingwen",
        "Zhou Lijun",
        "Meng Xiaohui",
        "Guo Jianxin",
    ]
    assert len(table.rows) == 1 + 6 + 5  # header, participants, five spare rows
    assert all(r.cells[5].text == r.cells[6].text == "" for r in table.rows[1:])


def test_notice_has_agenda_and_contact(minutes: dict[str, Path]) -> None:
    text = flat(pdf_text(minutes["2027-q1-committee-notice.pdf"]))
    for part in [
        "Noticeofthe",
        "Timeandplace",
        "Participants",
        "Agenda",
        "Requirements",
        "Contact",
        "BYPG-SC-2027-01",
        "ZhaoJingwen",
        "14:30",
    ]:
        assert part in text, part


def test_chinese_minutes(minutes: dict[str, Path]) -> None:
    for name in ("2026-q4-conference-minutes.zh.pdf", "2026-q4-conference-minutes.zh.docx"):
        read = pdf_text if name.endswith(".pdf") else docx_text
        text = flat(read(minutes[name]))
        for part in [
            "动员会纪要",
            "出席：",
            "当前安全生产形势",
            "会议决定",
            "工作任务",
            "安全生产委员会",
        ]:
            assert part in text, (name, part)
        assert flat("河西发电公司氨区重大隐患HX-YH-2026-006整改完毕") in text


def test_meeting_escaping_and_identical_bytes(write: Write, tmp_path: Path) -> None:
    path = write(
        "x.meeting.yaml",
        MINIMAL.replace("title: Test meeting", 'title: "<b>&{{ 7*7 }}"')
        + 'decisions:\n  - "{% raw %}<script>alert(1)</script>"\n',
    )
    outs = []
    for name in ("a", "b"):
        result = run_cli("meeting", "minutes", str(path), "--out", str(tmp_path / name))
        assert result.exit_code == 0, result.stderr
        outs.append({p.name: p.read_bytes() for p in (tmp_path / name).iterdir()})
    assert outs[0] == outs[1]
    for fmt, read in (("pdf", pdf_text), ("docx", docx_text)):
        text = read(tmp_path / "a" / f"x-minutes.{fmt}")
        assert "<b>&{{ 7*7 }}" in text, fmt
        assert "{% raw %}<script>alert(1)</script>" in text, fmt
