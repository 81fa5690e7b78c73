"""Hidden-danger statistics: the regulator's quarterly table, in the result, CLI and report."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from compliance.dangerstats import group_stats, unit_stats
from tests.conftest import run_cli
from tests.test_engine import PACK, UNIT
from tests.test_reports import docx_text, flat, pdf_text

AS_OF = dt.date(2026, 11, 28)
D = dt.date


def danger(**kw: object) -> dict[str, object]:
    return {"id": "x", "description": "d", **kw}


DANGERS = [
    # general, found this quarter, closed: found, rectified, cleared
    danger(
        level="general",
        found_on=D(2026, 10, 5),
        status="closed",
        closed_on=D(2026, 10, 20),
        funds_cny=20000,
    ),
    # general, found this quarter, open past its deadline
    danger(
        level="general",
        found_on=D(2026, 11, 1),
        status="open",
        deadline=D(2026, 11, 20),
        funds_cny=5000,
    ),
    # no level given: general; found in the spring, closed in the spring
    danger(found_on=D(2026, 4, 1), status="closed", closed_on=D(2026, 5, 1)),
    # major, found last year, cleared this quarter: carried over and cleared
    danger(
        level="major",
        found_on=D(2025, 12, 1),
        status="closed",
        closed_on=D(2026, 11, 2),
        funds_cny=900000,
    ),
    # major, found this year (before the quarter), still open: carried over into the quarter
    danger(level="major", found_on=D(2026, 8, 1), status="rectifying", deadline=D(2026, 12, 31)),
    # major, found this quarter, open
    danger(level="major", found_on=D(2026, 11, 10), status="open", funds_cny=100000),
    # found after the as-of date: not counted anywhere
    danger(level="major", found_on=D(2026, 12, 3), status="open"),
]


def test_quarter_and_year_figures() -> None:
    stats = unit_stats({"risks": {"hidden_dangers": DANGERS}}, AS_OF)
    q, y = stats["quarter"], stats["year"]
    assert (q["from"], q["to"], y["from"]) == ("2026-10-01", "2026-11-28", "2026-01-01")
    assert q["general"] == {
        "found": 2,
        "rectified": 1,
        "carried_over": 0,
        "cleared": 1,
        "open": 1,
        "overdue": 1,
        "funds_cny": 25000.0,
        "rate": 50.0,
    }
    assert q["major"] == {
        "found": 1,
        "rectified": 0,
        "carried_over": 2,
        "cleared": 1,
        "open": 2,
        "overdue": 0,
        "funds_cny": 100000.0,
        "rate": 0.0,
    }
    assert (y["general"]["found"], y["general"]["rectified"], y["general"]["rate"]) == (3, 2, 66.7)
    assert (y["major"]["found"], y["major"]["carried_over"], y["major"]["cleared"]) == (2, 1, 1)


def test_group_total_sums_units_and_recomputes_the_rate() -> None:
    a = {
        "id": "a",
        "name": "A",
        "hidden_danger_stats": unit_stats({"risks": {"hidden_dangers": DANGERS}}, AS_OF),
    }
    b = {
        "id": "b",
        "name": "B",
        "hidden_danger_stats": unit_stats({"risks": {"hidden_dangers": DANGERS[:1]}}, AS_OF),
    }
    old = {"id": "c", "name": "C"}  # a result of an older version: left out
    table = group_stats([a, b, old], "quarter")
    assert [u["id"] for u in table["units"]] == ["a", "b"]
    g = table["group"]["general"]
    assert (g["found"], g["rectified"], g["rate"], g["funds_cny"]) == (3, 2, 66.7, 45000.0)


@pytest.fixture
def result(write: Callable[[str, str], Path]) -> Path:
    pack = write("pack.yaml", PACK)
    text = UNIT.replace(
        "{id: HD-02, description: Missing guard, status: open, deadline: 2026-10-01}",
        "{id: HD-02, description: Missing guard, status: open, deadline: 2026-10-01, level: major, found_on: 2026-10-02, funds_cny: 30000}",
    )
    unit = write("units/coal-01.yaml", text)
    out = unit.parent / "result.json"
    r = run_cli(
        "check",
        str(unit),
        "--rules",
        str(pack),
        "--as-of",
        "2026-11-28",
        "--format",
        "json",
        "-o",
        str(out),
        "--fail-on",
        "never",
    )
    assert r.exit_code == 0, r.stderr
    return out


def test_result_carries_the_statistics(result: Path) -> None:
    (unit,) = json.loads(result.read_text("utf-8"))["units"]
    major = unit["hidden_danger_stats"]["quarter"]["major"]
    assert (major["found"], major["open"], major["overdue"], major["funds_cny"]) == (
        1,
        1,
        1,
        30000.0,
    )


def test_stats_command(result: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    zh = run_cli("stats", str(result), "--lang", "zh")
    assert zh.exit_code == 0
    assert "隐患排查治理统计 — 本季度 2026-10-01 – 2026-11-28" in zh.stdout
    assert "重大事故隐患：排查发现 1  已整改 0  整改率（%） 0.0  治理资金（万元） 3.0" in zh.stdout
    assert "Found" not in zh.stdout and "general" not in zh.stdout
    data = json.loads(run_cli("stats", str(result), "--format", "json", "--period", "year").stdout)
    assert data["period"] == "year" and data["group"]["major"]["found"] == 1
    book = tmp_path / "s.xlsx"
    assert run_cli("stats", str(result), "--format", "xlsx", "-o", str(book)).exit_code == 0
    ws = load_workbook(book)["Hidden-danger statistics"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    assert cells[0][:3] == ["Unit", "Unit name", "General hidden dangers: Found"]
    assert cells[1][:2] == ["coal-01", "Beiyuan Coal Plant"]
    assert cells[-1][1] == "Group total" and cells[-1][6] == 1  # major found
    bad = tmp_path / "bad.json"
    bad.write_text('{"as_of": "2026-11-28", "units": [{"id": "a", "name": "A"}]}')
    r = run_cli("stats", str(bad))
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and ":1:1: error: " in r.stderr


def test_group_report_has_the_table_in_pdf_and_docx(result: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    r = run_cli("report", "--from", str(result), "--out", str(out), "--lang", "zh")
    assert r.exit_code == 0, r.stderr
    for text in (pdf_text(out / "group-report.zh.pdf"), docx_text(out / "group-report.zh.docx")):
        t = flat(text)
        assert "隐患排查治理统计" in t and "重大事故隐患动态清零" in t
        assert "集团合计" in t and "本季度" in t and "本年度" in t
