"""Issue 13 in the documents, read back from the files: the verdict of an open veto item on
the cover, the legal exposure and its sum, the page of rules not assessed and data warnings,
the rules not yet in force (PDF with pypdf, DOCX with python-docx); vetoed units rank last."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from compliance.render.config import load_branding
from compliance.render.report_context import group_context
from compliance.render.reports import rules_of
from tests.conftest import MINIMAL_UNIT, run_cli
from tests.test_evidence import AS_OF, PACK, WORKERS
from tests.test_reports import docx_text, flat


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One unit report in PDF and DOCX: a veto finding, a misspelt list, an upcoming rule."""
    base = tmp_path_factory.mktemp("evidence")
    pack = base / "pack.yaml"
    pack.write_text(PACK, "utf-8")
    unit = base / "unit.yaml"
    unit.write_text(MINIMAL_UNIT + WORKERS.replace("  hidden_dangers", "  hiden_dangers"), "utf-8")
    out = base / "out"
    result = run_cli(
        "report",
        str(unit),
        "--rules",
        str(pack),
        "--as-of",
        AS_OF,
        "--out",
        str(out),
        "--no-group",
    )
    assert result.exit_code == 0, result.stderr
    pages = [p.extract_text() or "" for p in PdfReader(out / "unit-report-plant-a.pdf").pages]
    return {"pages": pages, "docx": docx_text(out / "unit-report-plant-a.docx")}


def test_cover_says_failed_by_veto(report: dict[str, Any]) -> None:
    cover = flat(report["pages"][0])
    assert flat("Failed: open veto item (one-vote veto) QUAL-01, whatever the score") in cover
    assert flat("Failed: open veto item (one-vote veto) QUAL-01") in flat(report["docx"])


def test_exposure_section_sums_the_open_findings(report: dict[str, Any]) -> None:
    (page,) = [p for p in report["pages"] if p.lstrip().startswith("Legal exposure")]
    assert flat("CNY 0 to 100,000 in all") in flat(page)
    assert flat("Work Safety Law Art. 97(7) 0 – 100,000") in flat(page)
    assert "Art. 102" not in page  # RISK-01 was not assessed: no finding, no exposure
    assert flat("CNY 0 to 100,000 in all") in flat(report["docx"])


def test_not_assessed_and_warnings_on_a_page_of_their_own(report: dict[str, Any]) -> None:
    (page,) = [
        p for p in report["pages"] if p.lstrip().startswith("Rules not assessed and data warnings")
    ]
    text = flat(page)
    assert (
        flat("RISK-01 Major Hidden dangers closed by their deadline risks.hidden_dangers") in text
    )
    assert flat("unknown key 'hiden_dangers' is ignored; did you mean 'hidden_dangers'?") in text
    assert "Legal exposure" not in page and "Checks passed" not in page
    assert flat("risks.hidden_dangers") in flat(report["docx"])
    assert "hiden_dangers" in report["docx"]


def test_upcoming_rules_listed(report: dict[str, Any]) -> None:
    (page,) = [p for p in report["pages"] if p.lstrip().startswith("Rules not yet in force")]
    assert flat("RISK-02 Minor A rule of next year 1 January 2027") in flat(page)
    assert flat("A rule of next year") in flat(report["docx"])


def test_vetoed_unit_ranks_last(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK, "utf-8")
    units = tmp_path / "units"
    units.mkdir()
    # plant-a: one veto finding, high score; plant-b: no veto, a lower score
    (units / "a.yaml").write_text(
        MINIMAL_UNIT
        + "quality:\n  special_operations:\n    - {name: Qian Lei, operation: Welding}\n"
        "    - {name: A, operation: W, certificate_no: '1'}\n    - {name: B, operation: W, certificate_no: '2'}\n"
        "    - {name: C, operation: W, certificate_no: '3'}\nrisks:\n  hidden_dangers: []\n",
        "utf-8",
    )
    (units / "b.yaml").write_text(
        MINIMAL_UNIT.replace("plant-a", "plant-b").replace("Plant A", "Plant B")
        + textwrap.dedent(WORKERS).replace("Welding}", "Welding, certificate_no: T9}"),
        "utf-8",
    )
    result = run_cli(
        "check", str(units), "--rules", str(pack), "--as-of", AS_OF, "--format", "json"
    )
    data = json.loads(result.stdout)
    scores = {u["id"]: (u["score"], u["veto"]) for u in data["units"]}
    assert scores["plant-a"][0] > scores["plant-b"][0] and scores["plant-a"][1]
    ctx = group_context(data, rules_of(data, "en"), load_branding(None), "en")
    assert [u["id"] for u in ctx["ranking"]] == ["plant-b", "plant-a"]


def test_result_saved_before_issue_13_still_renders(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK, "utf-8")
    unit = tmp_path / "unit.yaml"
    unit.write_text(MINIMAL_UNIT + WORKERS, "utf-8")
    checked = run_cli(
        "check", str(unit), "--rules", str(pack), "--as-of", AS_OF, "--format", "json"
    )
    data = json.loads(checked.stdout)
    for u in data["units"]:  # an older result has none of the fields issue 13 added
        for key in ("veto", "vetoed_by", "exposure", "not_assessed"):
            del u[key]
    for key in ("upcoming", "retired", "in_force"):
        del data["rule_pack"][key]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), "utf-8")
    out = tmp_path / "out"
    result = run_cli("report", "--from", str(old), "--format", "docx", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert "Plant A" in docx_text(out / "group-report.docx")
    assert "Rules not assessed" in docx_text(out / "unit-report-plant-a.docx")
