"""The DOCX as its readers see it: one unit report converted to PDF by LibreOffice.

Colleagues open the DOCX in Word, WPS or LibreOffice; LibreOffice is the one a test can run.
One conversion for the module (a few seconds): the cover has no running header or page
number, the contents show the page numbers where the sections really are (PAGEREF fields,
no "update fields" request), every other page has its header and footer, the plan's column
headers are whole words, and no page is left nearly empty.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import SAMPLES, run_cli

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        SOFFICE is None,
        reason="LibreOffice (soffice) is not installed; .ci/setup installs libreoffice-writer-nogui",
    ),
]
SECTIONS = (
    "Executive summary",
    "Findings by area",
    "Rectification plan",
    "Rectification notice",
    "Rectification receipt",
    "Waiver register",
    "Checks passed",
    "Appendix: rule pack",
)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("lo")
    run = run_cli(
        "report", str(SAMPLES / "coal-01.yaml"), "--as-of", "2026-11-28",
        "--config", str(SAMPLES / "compliance.yaml"), "--format", "docx", "--no-group",
        "--out", str(out),
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    assert SOFFICE is not None
    profile = out / "profile"  # a private profile: no clash with another LibreOffice running
    subprocess.run(
        [
            SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
            "--convert-to", "pdf", "--outdir", str(out / "pdf"), str(out / "unit-report-coal-01.docx"),
        ],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    reader = PdfReader(Path(out / "pdf" / "unit-report-coal-01.pdf"))
    return [page.extract_text() or "" for page in reader.pages]


def test_cover_has_no_running_header_or_page_number(pages: list[str]) -> None:
    assert "Work-safety gap report" in pages[0]
    assert "Page" not in pages[0]
    assert "Work-safety gap report — " not in pages[0]  # the running header's title


def test_every_other_page_has_header_and_footer(pages: list[str]) -> None:
    for number, text in enumerate(pages[1:], start=2):
        assert "BYPG-AQ-GAP-2026-coal-01" in text, number
        assert f"Page {number} of {len(pages)}" in text, number


def test_contents_show_the_pages_the_sections_are_on(pages: list[str]) -> None:
    contents = pages[1]
    assert "Contents" in contents
    for title in SECTIONS:
        match = re.search(re.escape(title) + r"\s*\.{3,}\s*(\d+)", contents)
        assert match, f"no page number for {title!r} in the contents"
        shown = int(match[1])
        on = [i + 1 for i, text in enumerate(pages) if i > 1 and title in text]
        assert on and shown == on[0], (title, shown, on)


def test_plan_headers_are_whole_words(pages: list[str]) -> None:
    plan = next(text for text in pages[2:] if "Rectification plan" in text and "Interim" in text)
    words = re.findall(r"[A-Za-z]+", plan)
    for header in ("Problem", "Resp", "unit", "Person", "Measures", "Funds", "Time", "Interim"):
        assert header in words, header
    assert "Accepted" in words and "Immediately" in words
    receipt = next(
        text for text in pages[2:] if "Rectification receipt" in text and "Closed" in text
    )
    words = re.findall(r"[A-Za-z]+", receipt)
    for header in ("Problem", "Measures", "taken", "Completed", "Accepted", "Closed"):
        assert header in words, header


def test_no_nearly_empty_page(pages: list[str]) -> None:
    header_lines = 3  # running header and footer
    for number, text in enumerate(pages[1:-1], start=2):
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) > header_lines + 5, (number, lines)
