"""Gap reports read back from the files: PDF (pypdf) and DOCX (python-docx) carry the same
sections, rule ids and scores; Chinese, escaping, templates, safety and repeatability."""

from __future__ import annotations

import http.server
import json
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import docx
import pytest
from pypdf import PdfReader

from compliance.render.documents import output_path
from tests.conftest import SAMPLES, run_cli

AS_OF = "2026-11-28"
CONFIG = str(SAMPLES / "compliance.yaml")


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def flat(text: str) -> str:
    """Text without white space, so line breaks in extracted PDF text do not matter."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("reports")
    result_json = out / "result.json"
    run_cli("check", str(SAMPLES), "--as-of", AS_OF, "--format", "json", "-o", str(result_json))
    en = run_cli(
        "report",
        str(SAMPLES),
        "--as-of",
        AS_OF,
        "--config",
        CONFIG,
        "--out",
        str(out / "en"),
        "--jobs",
        "2",
    )
    # In Chinese, the two documents the tests read: the group report of the samples and one
    # unit report (all nine documents cost seconds each, and the English run has them all)
    zh_group = run_cli(
        "report", str(SAMPLES), "--as-of", AS_OF, "--config", CONFIG,
        "--out", str(out / "zh"), "--lang", "zh", "--no-unit-reports",
    )  # fmt: skip
    zh_unit = run_cli(
        "report", str(SAMPLES / "coal-01.yaml"), "--as-of", AS_OF, "--config", CONFIG,
        "--out", str(out / "zh"), "--lang", "zh", "--no-group",
    )  # fmt: skip
    return {
        "out": out,
        "en": en,
        "zh": [zh_group, zh_unit],
        "result": json.loads(result_json.read_text("utf-8")),
    }


def test_one_report_per_unit_and_one_for_the_group(rendered: dict[str, Any]) -> None:
    result = rendered["en"]
    assert result.exit_code == 0, result.stderr
    ids = [u["id"] for u in rendered["result"]["units"]]
    assert len(ids) >= 6
    expected = {f"unit-report-{i}.{fmt}" for i in ids for fmt in ("pdf", "docx")}
    expected |= {"group-report.pdf", "group-report.docx"}
    assert {p.name for p in (rendered["out"] / "en").iterdir()} == expected
    wrote = [line.split("wrote ")[1] for line in result.stdout.splitlines()]
    assert sorted(Path(w).name for w in wrote) == sorted(expected)


def test_unit_report_pdf_and_docx_agree(rendered: dict[str, Any]) -> None:
    unit = next(u for u in rendered["result"]["units"] if u["id"] == "coal-01")
    open_rules = {
        f["rule"]
        for f in rendered["result"]["findings"]
        if f["unit"] == "coal-01" and not f["waived"]
    }
    pdf = flat(pdf_text(rendered["out"] / "en" / "unit-report-coal-01.pdf"))
    word = flat(docx_text(rendered["out"] / "en" / "unit-report-coal-01.docx"))
    sections = [
        "Executive summary",
        "Findings by area",
        "Rectification plan",
        "Waiver register",
        "Checks passed",
        "Appendix: rule pack",
    ]
    for text in (pdf, word):
        for title in sections:
            assert flat(title) in text
        assert f"Overallscore:{unit['score']:.1f}/100" in text
        for area, stats in unit["areas"].items():
            assert flat(f"— {stats['score']:.1f}") in text, area
        for rule in open_rules:
            assert f"{rule}·" in text, rule
    # the findings-by-severity table: the same counts in both, and the ones of the check
    counts = [
        sum(
            1
            for f in rendered["result"]["findings"]
            if f["unit"] == "coal-01" and not f["waived"] and f["severity"] == sev
        )
        for sev in ("critical", "major", "minor", "info")
    ]
    row = "CriticalMajorMinorInfoTotal" + "".join(str(c) for c in counts) + str(sum(counts))
    assert row in pdf and row in word
    rule_ids = re.compile(r"[A-Z]{3,4}-\d{2}·")
    assert sorted(set(rule_ids.findall(pdf))) == sorted(set(rule_ids.findall(word)))
    assert {r.rstrip("·") for r in rule_ids.findall(word)} == open_rules


def test_docx_structure(rendered: dict[str, Any]) -> None:
    document = docx.Document(str(rendered["out"] / "en" / "unit-report-coal-01.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["Executive summary", "Findings by area", "Rectification plan"]
    plan = next(
        t for t in document.tables if t.rows[0].cells[0].text == "No." and len(t.columns) == 9
    )
    header = plan.rows[0]._tr
    assert header.xpath("./w:trPr/w:tblHeader"), "the plan's header row repeats on each page"
    assert [c.text for c in plan.rows[0].cells] == [
        "No.",
        "Problem",
        "Resp. unit",
        "Person",
        "Measures",
        "Funds",
        "Time limit",
        "Interim measures",
        "Accepted",
    ]
    # the header row keeps with the first body row: no orphaned header at a page foot
    assert all(p.paragraph_format.keep_with_next for p in plan.rows[0].cells[0].paragraphs)
    assert document.inline_shapes, "the area chart is a real picture"
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert str(document.core_properties.created.date()) == AS_OF


def test_group_report_sections(rendered: dict[str, Any]) -> None:
    pdf = flat(pdf_text(rendered["out"] / "en" / "group-report.pdf"))
    word = flat(docx_text(rendered["out"] / "en" / "group-report.docx"))
    for title in [
        "Ranking of units",
        "Heat map of units and areas",
        "Gaps that recur across units",
        "Open major and overdue hidden dangers",
        "Summary by area",
        "Roll-up by parent unit",
    ]:
        assert flat(title) in pdf and flat(title) in word
    for unit in rendered["result"]["units"]:
        assert flat(unit["name"]) in word
    best = max(rendered["result"]["units"], key=lambda u: u["score"])
    assert f"{best['score']:.1f}" in pdf and f"{best['score']:.1f}" in word


def test_chinese_reports(rendered: dict[str, Any]) -> None:
    for run in rendered["zh"]:
        assert run.exit_code == 0, run.stderr
    folder = rendered["out"] / "zh"
    for stem, titles in [
        ("group-report.zh", ["集团安全生产差距分析报告", "单位排名", "分领域汇总"]),
        ("unit-report-coal-01.zh", ["安全生产差距分析报告", "整改计划", "豁免登记"]),
    ]:
        pdf = flat(pdf_text(folder / f"{stem}.pdf"))
        word = flat(docx_text(folder / f"{stem}.docx"))
        for title in titles:
            assert title in pdf and title in word, (stem, title)
    word_doc = docx.Document(str(folder / "unit-report-coal-01.zh.docx"))
    rfonts = word_doc.styles["Normal"].element.xpath("./w:rPr/w:rFonts")[0]
    assert rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    assert "2026年11月28日" in pdf_text(folder / "unit-report-coal-01.zh.pdf")


Write = Callable[[str, str], Path]

HOSTILE_UNIT = """\
unit:
  id: evil-01
  name: "<b>&{{ 7*7 }}"
  kind: wind
  employees: 20
valid_on: 2026-11-01
concepts:
  safety_policy: {title: "<img src=http://127.0.0.1:9/x.png>", approved_on: 2026-01-01}
"""


def test_user_data_is_escaped(write: Write, tmp_path: Path) -> None:
    unit = write("u/evil.yaml", HOSTILE_UNIT)
    result = run_cli(
        "report", str(unit), "--as-of", AS_OF, "--out", str(tmp_path / "out"), "--no-group"
    )
    assert result.exit_code == 0, result.stderr
    for fmt, read in (("pdf", pdf_text), ("docx", docx_text)):
        text = read(tmp_path / "out" / f"unit-report-evil-01.{fmt}")
        assert "<b>&{{ 7*7 }}" in text, fmt
        assert "&amp;" not in text and "49" not in text.split("evil-01")[0]


def test_same_inputs_give_identical_bytes(write: Write, tmp_path: Path) -> None:
    outs = []
    for name in ("a", "b"):
        run_cli(
            "report",
            str(SAMPLES / "wind-01.yaml"),
            "--as-of",
            AS_OF,
            "--out",
            str(tmp_path / name),
            "--no-group",
        )
        outs.append({p.name: p.read_bytes() for p in (tmp_path / name).iterdir()})
    assert outs[0] == outs[1]
    assert set(outs[0]) == {"unit-report-wind-01.pdf", "unit-report-wind-01.docx"}


def test_from_saved_result_is_the_same_document(rendered: dict[str, Any], tmp_path: Path) -> None:
    saved = tmp_path / "result.json"
    saved.write_text(json.dumps(rendered["result"]), "utf-8")
    result = run_cli(
        "report",
        "--from",
        str(saved),
        "--config",
        CONFIG,
        "--out",
        str(tmp_path / "o"),
        "--format",
        "docx",
        "--no-group",
    )
    assert result.exit_code == 0, result.stderr
    # every unit report, byte for byte
    direct = sorted((rendered["out"] / "en").glob("unit-report-*.docx"))
    assert len(direct) == len(rendered["result"]["units"])
    for path in direct:
        assert (tmp_path / "o" / path.name).read_bytes() == path.read_bytes(), path.name


def test_template_block_override(write: Write, tmp_path: Path) -> None:
    write(
        "tpl/unit_report.html.j2",
        '{% extends "builtin/unit_report.html.j2" %}\n'
        '{% block cover %}<section class="cover"><h1 class="title">Q4 audit pack: {{ unit.name }}</h1></section>{% endblock %}\n',
    )
    out = tmp_path / "out"
    result = run_cli(
        "report",
        str(SAMPLES / "wind-01.yaml"),
        "--as-of",
        AS_OF,
        "--out",
        str(out),
        "--templates",
        str(tmp_path / "tpl"),
        "--no-group",
    )
    assert result.exit_code == 0, result.stderr
    for fmt, read in (("pdf", pdf_text), ("docx", docx_text)):
        text = flat(read(out / f"unit-report-wind-01.{fmt}"))
        assert "Q4auditpack:" in text
        assert "Rectificationplan" in text  # the rest of the built-in template is kept


def test_hostile_template_is_a_clean_error(write: Write, tmp_path: Path) -> None:
    tpl = write(
        "tpl/unit_report.html.j2",
        "<p>ok</p>\n<p>{{ ''.__class__.__mro__[1].__subclasses__() }}</p>\n",
    )
    out = tmp_path / "out"
    result = run_cli(
        "report",
        str(SAMPLES / "wind-01.yaml"),
        "--as-of",
        AS_OF,
        "--out",
        str(out),
        "--templates",
        str(tpl.parent),
        "--no-group",
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{tpl}:2:1: error: template error:")
    assert not out.exists() or not list(out.iterdir())


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_rendering_fetches_nothing(write: Write, tmp_path: Path, server: str) -> None:
    _Recorder.hits = []
    write(
        "tpl/unit_report.html.j2",
        '{% extends "builtin/unit_report.html.j2" %}{% block cover %}'
        f'<p><img src="{server}/logo.png" alt="remote"></p>'
        '<p><img src="file:///etc/passwd" alt="passwd"></p>'
        '<p><img src="../../../../etc/hostname" alt="relative"></p>{% endblock %}',
    )
    out = tmp_path / "out"
    result = run_cli(
        "report",
        str(SAMPLES / "wind-01.yaml"),
        "--as-of",
        AS_OF,
        "--out",
        str(out),
        "--templates",
        str(tmp_path / "tpl"),
        "--no-group",
    )
    assert result.exit_code == 0, result.stderr
    assert _Recorder.hits == []
    pdf = (out / "unit-report-wind-01.pdf").read_bytes()
    assert b"root:x:0" not in pdf
    text = docx_text(out / "unit-report-wind-01.docx")
    assert "[remote]" in text and "[passwd]" in text


def test_output_names_cannot_leave_the_folder(tmp_path: Path) -> None:
    path = output_path(tmp_path, "unit-report-../../etc/x", "pdf", "en")
    assert path.parent == tmp_path


def test_bad_saved_result(write: Write) -> None:
    bad = write("r.json", '{"as_of": "2026-01-01"}')
    result = run_cli("report", "--from", str(bad))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"{bad}:1:1: error: not a result of 'compliance check --format json' "
        "(missing: lang, rule_pack, units, findings, summary, tool)"
    )


def test_pdf_and_docx_dates_are_the_as_of_date(rendered: dict[str, Any]) -> None:
    reader = PdfReader(rendered["out"] / "en" / "group-report.pdf")
    assert reader.metadata is not None
    assert reader.metadata["/CreationDate"] == "D:20261128000000Z"
    document = docx.Document(str(rendered["out"] / "en" / "group-report.docx"))
    assert document.core_properties.created.isoformat() == "2026-11-28T00:00:00+00:00"
