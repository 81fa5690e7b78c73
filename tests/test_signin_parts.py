"""A long sign-in sheet's PDF is laid out in parts: every participant listed once, in order,
with the same pages as one layout and "page x of y" over the whole file."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from compliance.builtin import builtin_folder
from compliance.render import signin_parts
from tests.conftest import run_cli
from tests.test_reports import flat

VENUES = ("North branch", "South branch")


def write_meeting(path: Path, people: int, long_unit_every: int = 0) -> Path:
    """A meeting of ``people`` participants over the main venue and two branch venues."""
    lines = [
        "meeting:",
        "  issuing_body: Safety Committee",
        "  kind: work_safety_conference",
        "  title: Mobilisation meeting",
        "  date: 2027-03-01",
        "  place: Hall 1",
        "  venues:",
        *(f"    - {{name: {v}, place: Plant {i}}}" for i, v in enumerate(VENUES, 1)),
        "participants:",
    ]
    for k in range(people):
        venue = ("", *VENUES)[k * 3 // people]  # a third at each venue, in file order
        # now and then a unit name long enough to wrap over several lines: taller rows
        unit = (
            "Maintenance and overhaul company " * 4
            if long_unit_every and k % long_unit_every == 0
            else "Unit"
        )
        lines.append(
            f"  - {{name: P{k + 1:05d}x, unit: {unit.strip()}"
            + (f", venue: {venue}}}" if venue else "}")
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def render(meeting: Path, out: Path, *extra: str) -> dict[str, Path]:
    result = run_cli("meeting", "signin", str(meeting), "--out", str(out), *extra)
    assert result.exit_code == 0, result.output
    stem = meeting.name.removesuffix(".meeting.yaml")
    return {fmt: out / f"{stem}-signin.{fmt}" for fmt in ("pdf", "docx")}


def page_rows(pdf: Path) -> list[list[str]]:
    """The participants on each page of the PDF, as their text reads back."""
    return [re.findall(r"P\d{5}x", flat(p.extract_text() or "")) for p in PdfReader(pdf).pages]


def expected_names(people: int) -> list[str]:
    return [f"P{k + 1:05d}x" for k in range(people)]


def check_pdf(pdf: Path, people: int) -> list[list[str]]:
    """Every participant once and in order; every page after the first says page x of y."""
    rows = page_rows(pdf)
    assert [name for page in rows for name in page] == expected_names(people)
    pages = PdfReader(pdf).pages
    for number, page in enumerate(pages, start=1):
        footer = flat(f"Page {number} of {len(pages)}")
        assert (footer in flat(page.extract_text() or "")) == (number > 1)  # none on the cover
    text = flat("\n".join(p.extract_text() or "" for p in pages))
    for venue in VENUES:  # each branch venue's sheet starts once, with its title
        assert text.count(flat(f"Branch venue: {venue}")) == 1
    return rows


def check_docx(path: Path, people: int) -> None:
    """The DOCX lists everyone once, in order, numbered from 1 on each venue's sheet."""
    names, numbers = [], []
    for table in docx.Document(str(path)).tables:
        for row in list(table.rows)[1:]:
            cells = row.cells
            numbers.append(int(cells[0].text))
            if cells[1].text:
                names.append(cells[1].text)
    assert names == expected_names(people)
    assert numbers.count(1) == 3  # three sheets


def test_parts_make_the_same_pages_as_one_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = 150
    meeting = write_meeting(tmp_path / "m.meeting.yaml", people, long_unit_every=7)
    whole = render(meeting, tmp_path / "whole", "--format", "pdf")
    monkeypatch.setattr(signin_parts, "PART_ROWS", 23)  # parts that stop inside pages and sheets
    parts = render(meeting, tmp_path / "parts")
    assert check_pdf(parts["pdf"], people) == check_pdf(whole["pdf"], people)
    check_docx(parts["docx"], people)


def test_a_template_without_parts_is_laid_out_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a custom sign-in template of the kind written before parts: no row slices, no row ids
    template = (builtin_folder("templates") / "meeting_signin.html.j2").read_text(encoding="utf-8")
    old = re.sub(r"\{% if sheet\.anchors %\}.*?\{% endif %\}", "", template)
    old = old.replace("{% for i in range(sheet.spare) %}", "{% for i in range(5) %}")
    old = old.replace("sheet.first + loop.index0", "loop.index")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "meeting_signin.html.j2").write_text(old, encoding="utf-8")
    monkeypatch.setattr(signin_parts, "PART_ROWS", 20)
    people = 60
    meeting = write_meeting(tmp_path / "m.meeting.yaml", people)
    out = render(meeting, tmp_path / "out", "--templates", str(tmp_path / "templates"))
    check_pdf(out["pdf"], people)


@pytest.mark.slow
def test_a_long_sheet_is_laid_out_in_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the part size lowered from 400 rows: the same four parts and more on a quarter of the
    # participants (parts that end inside venues' sheets), in a quarter of the time
    monkeypatch.setattr(signin_parts, "PART_ROWS", 80)
    people = 330
    assert people > 4 * signin_parts.PART_ROWS  # several parts, the last one short
    meeting = write_meeting(tmp_path / "m.meeting.yaml", people)
    out = render(meeting, tmp_path / "out")
    check_pdf(out["pdf"], people)
    check_docx(out["docx"], people)


def test_chinese_parts_number_pages_over_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(signin_parts, "PART_ROWS", 20)
    people = 60
    meeting = write_meeting(tmp_path / "m.meeting.yaml", people)
    out = run_cli("meeting", "signin", str(meeting), "--lang", "zh", "--format", "pdf",
                  "--out", str(tmp_path / "out"))  # fmt: skip
    assert out.exit_code == 0, out.output
    pages = PdfReader(tmp_path / "out" / "m-signin.zh.pdf").pages
    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        text = flat(page.extract_text() or "")
        assert (f"第{number}页，共{len(pages)}页" in text) == (number > 1)
        assert "Page" not in text
    names = [n for p in pages for n in re.findall(r"P\d{5}x", flat(p.extract_text() or ""))]
    assert names == expected_names(people)
