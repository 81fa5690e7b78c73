"""Styling in one place: the stylesheet the PDF is laid out with gives the DOCX its colours."""

from __future__ import annotations

from pathlib import Path

import docx

from compliance.render.config import Branding
from compliance.render.documents import Options, stylesheet
from compliance.render.stylesheet import css_colour, parse_stylesheet, severity_colours
from compliance.render.word.theme import theme_from_css
from tests.conftest import SAMPLES, run_cli

OVERRIDE = """\
{% extends "builtin/report.css.j2" %}
{% block severity %}{{ super() }}
.sev-critical { color: rgb(18, 52, 86); }
{% endblock %}
{% block extra %}thead th { background: teal; }{% endblock %}
"""


def _run_colours(path: Path, text: str) -> set[str]:
    """The colours of the runs whose text is ``text`` anywhere in the document's tables."""
    document = docx.Document(str(path))
    found = set()
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        if run.text.strip() == text:
                            found.add(str(run.font.color.rgb))
    return found


def _report(tmp_path: Path, *templates: str) -> Path:
    r = run_cli("report", str(SAMPLES / "coal-01.yaml"), "--as-of", "2026-11-28", "--no-group",
                "--format", "docx", "--out", str(tmp_path), *templates)  # fmt: skip
    assert r.exit_code == 0, r.stderr
    return tmp_path / "unit-report-coal-01.docx"


def test_a_users_stylesheet_changes_the_docx_and_the_pdf(tmp_path: Path) -> None:
    built_in = _report(tmp_path / "built-in")
    assert "B00020" in _run_colours(built_in, "Critical")  # span.sev-critical
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "report.css.j2").write_text(OVERRIDE, encoding="utf-8")
    overridden = _report(tmp_path / "user", "--templates", str(folder))
    colours = _run_colours(overridden, "Critical")
    assert "123456" in colours and "B00020" not in colours
    headers = [t.rows[0]._tr.xml for t in docx.Document(str(overridden)).tables]
    headers = [xml for xml in headers if "<w:tblHeader/>" in xml]
    assert headers and all('w:fill="008080"' in xml for xml in headers)
    # the PDF is laid out with the same stylesheet
    pdf_css = parse_stylesheet(stylesheet(Options(out=tmp_path, templates=folder)))
    assert pdf_css.colour(".sev-critical") == "123456"
    assert pdf_css.colour("thead th", "background") == "008080"
    # and the progress chart's bars of critical findings
    assert severity_colours(stylesheet(Options(out=tmp_path, templates=folder)))["critical"] == (
        "#123456"
    )


def test_headings_take_the_primary_colour_of_the_config() -> None:
    theme = theme_from_css(stylesheet(Options(out=Path("."), branding=Branding(primary="#0A7B3E"))))
    assert theme.headings == {1: "0A7B3E", 2: "0A7B3E", 3: "0A7B3E", 4: "0A7B3E"}
    assert theme.classes["sev-critical"].color == "B00020"
    assert theme.classes["veto"].bold and theme.classes["small"].size == 8.5
    assert theme.header_fill == "E8EDF3"
    assert severity_colours(stylesheet(Options(out=Path(".")))) == {
        "critical": "#B00020",
        "major": "#C05600",
        "minor": "#1F5FA8",
        "info": "#555555",
    }


def test_css_colours_as_word_writes_them() -> None:
    assert css_colour("#abc") == "AABBCC"
    assert css_colour("2pt solid #1F3A5F") == "1F3A5F"
    assert css_colour("hsl(0, 100%, 50%)") == "FF0000"
    assert css_colour("none") is None and css_colour("transparent") is None
