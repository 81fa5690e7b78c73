"""Every built-in template stays inside the HTML subset the DOCX converter handles.

The unit and group reports (with the progress sections of ``--history``) and the meeting
notice, sign-in sheet and minutes (GB/T 9704 and English layout) are rendered in English and
Chinese from the samples, and each HTML is converted in strict mode: an element, attribute or
inline style the converter would lose fails the test, naming it. Only HTML -> DOCX runs (no PDF).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from compliance.render import meetings, reports
from compliance.render.word import html_to_docx
from compliance.render.word.convert import Converter
from compliance.render.word.markup import parse
from compliance.render.word.subset import ELEMENTS, SKIPPED, STYLES, unsupported
from tests.conftest import SAMPLES, run_cli

AS_OF = "2026-11-28"
COMMITTEE = SAMPLES / "meetings" / "2027-q1-committee.meeting.yaml"
CONFERENCE = SAMPLES / "meetings" / "2026-q4-conference.meeting.yaml"
ARCHITECTURE = Path(__file__).parent.parent / "ARCHITECTURE.md"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The samples checked now and a quarter earlier (the history of the progress sections)."""
    folder = tmp_path_factory.mktemp("results")
    history = folder / "history"
    out = {"now": folder / "now.json", "history": history}
    for day, target in (("2026-08-31", history / "q3.json"), (AS_OF, out["now"])):
        r = run_cli("check", str(SAMPLES), "--as-of", day, "--format", "json", "-o", str(target),
                    "--fail-on", "never")  # fmt: skip
        assert r.exit_code == 0, r.stderr
    return out


def _strict(converted: list[str]) -> Any:
    """A stand-in for ``write_formats`` that converts the HTML strictly and writes nothing."""

    def convert(doc: Any, stem: str, opts: Any, pdf: Any = None) -> list[Path]:
        html_to_docx(doc.html, doc.assets.load, lang=opts.lang, css=doc.css, strict=True)
        converted.append(f"{doc.name} {opts.lang}")
        return []

    return convert


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_template_converts_strictly(
    results: dict[str, Path], tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    converted: list[str] = []
    monkeypatch.setattr(reports, "write_formats", _strict(converted))
    monkeypatch.setattr(meetings, "write_formats", _strict(converted))
    common = ("--lang", lang, "--format", "docx", "--out", str(tmp_path))
    config = ("--config", str(SAMPLES / "compliance.yaml"))
    r = run_cli("report", "--from", str(results["now"]), "--history", str(results["history"]),
                *config, *common)  # fmt: skip
    assert r.exit_code == 0, r.stderr
    for meeting in (COMMITTEE, CONFERENCE):
        r = run_cli("meeting", "all", str(meeting), "--results", str(results["now"]),
                    "--history", str(results["history"]), "--propose", *config, *common)  # fmt: skip
        assert r.exit_code == 0, r.stderr
    kinds = {name.split()[0] for name in converted}
    assert kinds == {
        "unit_report.html.j2",
        "group_report.html.j2",
        "meeting_notice.html.j2",
        "meeting_signin.html.j2",
        "meeting_minutes.html.j2",
    }


def test_strict_conversion_names_what_it_does_not_handle() -> None:
    html = (
        '<html><body><p>a <sup title="x">2</sup></p><div style="width: 50%; color: #123">'
        '<span style="font-size: 1.2em">b</span></div></body></html>'
    )
    assert unsupported(parse(html)) == [
        "element <sup>",
        "style width on <div>",
        "style font-size: 1.2em on <span> (understood: pt)",
    ]
    with pytest.raises(ValueError, match="element <sup>"):
        html_to_docx(html, lambda src: None, strict=True)
    assert html_to_docx(html, lambda src: None)  # lenient by default: the text passes through


def test_the_subset_table_is_the_converters_dispatch() -> None:
    converter = Converter(_blank(), lambda src: None, {})
    table_parts = {"caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"}
    assert set(ELEMENTS) == set(converter._handlers) | SKIPPED | table_parts


def test_architecture_lists_the_subset() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text.split("## The HTML the DOCX converter handles", 1)[1].split("\n## ", 1)[0]
    for tag in ELEMENTS:
        assert f"`{tag}`" in section, tag
    for prop in STYLES:
        assert f"`{prop}`" in section, prop


def _blank() -> Any:
    from compliance.render.word.styles import new_document

    return new_document(False)
