"""The benchmark code keeps working: the generator's units and every benchmark's code path.

Only that the code runs and yields sane numbers is asserted here; timing limits belong to the
benchmarks (``python -m benchmarks.run``), never to tests.
"""

from __future__ import annotations

import dataclasses
import math
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from benchmarks.generate import AS_OF, generate, write_findings_unit
from benchmarks.run import BENCHMARKS, QUICK, Row, main, run, run_benchmarks, table
from compliance.rulepack import load_pack
from compliance.runner import run_check

TINY = dataclasses.replace(
    QUICK,
    check_units=3,
    memory_units=3,
    group_small=3,
    group_large=5,
    parallel_units=2,
    docx_rows=(4, 8, 16),
    reps=1,
    startup_reps=1,
    report_formats="docx",  # the --jobs code path without the slow PDFs: the test stays short
    dangers=(3, 6),
    participants=(5, 10),
    text_bytes=(100, 300),
    diff_units=3,
    probe_reps=1,
    burn_loops=300_000,
    libreoffice_unit="ne-hebei",  # the sample with the shortest report (18 pages)
    libreoffice_group=("hq", "ne-hebei"),
)


def test_generated_units_are_valid_realistic_and_deterministic(tmp_path: Path) -> None:
    first = generate(5, 7, tmp_path / "a")
    again = generate(5, 7, tmp_path / "b")
    prefix = generate(3, 7, tmp_path / "c")
    assert [p.name for p in first] == [f"u000{i}.yaml" for i in range(1, 6)]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    assert [p.read_bytes() for p in prefix] == [p.read_bytes() for p in first[:3]]
    assert first[0].read_bytes() != generate(1, 8, tmp_path / "d")[0].read_bytes()

    result = run_check([str(tmp_path / "a")], load_pack("cn-work-safety"), AS_OF)
    assert result.diagnostics == []  # valid, and not even a warning
    assert len(result.units) == 5
    assert result.findings, "the generated units have gaps to find"
    parents = {u.id: u.parent for u in result.units.values()}
    assert parents["u0001"] is None
    assert all(parents[uid] in parents for uid in parents if uid != "u0001")

    for path in first[5:] + first[1:]:
        data = yaml.load(path.read_text("utf-8"), Loader=yaml.CSafeLoader)
        assert len(data["responsibility"]["posts"]) == 20
        assert len(data["risks"]["hidden_dangers"]) == 30
        assert sum(len(s["training"]) for s in data["quality"]["staff"]) == 50
        assert 250 <= path.read_text("utf-8").count("\n") <= 350


def test_findings_unit_has_one_finding_per_post(tmp_path: Path) -> None:
    path = write_findings_unit(12, 7, tmp_path / "unit.yaml")
    result = run_check([str(path)], load_pack("cn-work-safety"), AS_OF)
    assert result.diagnostics == []
    assert sum(1 for f in result.findings if f.rule == "RESP-03") == 12


@pytest.mark.slow
def test_every_benchmark_runs_and_gives_sane_numbers(tmp_path: Path) -> None:
    rows = run_benchmarks(TINY, tmp_path, log=lambda _message: None)
    names = " ".join(r.name for r in rows)
    for word in ("Start-up", "Check", "memory", "Parallel", "PDF", "DOCX", "group report", "Diff"):
        assert word in names
    # the calibration, 13 rows (two each of start-up, rendering, diff, sheets), LibreOffice's
    # two (when installed), three of scale
    assert len(rows) == 1 + 13 + (2 if shutil.which("soffice") else 0) + 3
    for row in rows:
        assert row.tool > 0 and row.baseline > 0, row
        assert math.isfinite(row.ratio) and row.ratio > 0, row
        assert row.runs, row
    memory = next(r for r in rows if r.unit == "MB")
    assert 10 < memory.tool < 2000
    check = next(r for r in rows if r.name.startswith("Check"))
    assert "0 diagnostics" in check.note
    text = table(rows)
    assert text.count("\n| ") == len(rows)  # the header row starts the text
    assert all(r.passed is None or f"| {r.limit_text()} |" in text for r in rows)


@pytest.mark.slow
def test_diff_benchmark_compares_two_results(tmp_path: Path) -> None:
    rows = run_benchmarks(TINY, tmp_path, only=["diff"], log=lambda _message: None)
    timing, memory = rows[1:]
    assert timing.name == "Diff: two results of 3 units, JSON report" and timing.limit == 2
    assert timing.tool > 0 and timing.baseline > 0
    assert "persisting" in timing.note and "MB of JSON" in timing.note
    assert memory.unit == "MB" and 10 < memory.tool < 500 and memory.absolute


def test_a_commands_own_peak_memory_is_not_its_parents() -> None:
    """wait4 gives a child forked from a large process that process's peak as a floor: the
    diff benchmark's memory row failed inside a test run whose worker had grown to 600 MB."""
    ballast = bytearray(400 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])  # touch every page: resident, not reserved
    command = [sys.executable, "-c", "pass"]
    assert run(command, own_peak=True).max_rss_mb < 100
    del ballast


def test_limits_are_judged_as_documented() -> None:
    slow = Row("x", tool=3.0, baseline=1.0, limit=2)
    fast = Row("y", tool=1.0, baseline=2.0, limit=1.6, inverse=True, at_least=True)
    memory = Row("z", tool=600.0, baseline=100.0, unit="MB", limit=500, absolute=True)
    assert (slow.passed, fast.passed, memory.passed) == (False, True, False)
    assert (slow.ratio, fast.ratio) == (3.0, 2.0)
    assert "FAIL" in table([slow]) and "smoke" in table([slow], smoke=True)


def test_command_line_rejects_unknown_benchmarks(capsys: object) -> None:
    try:
        main(["--only", "nonsense"])
    except SystemExit as exc:
        assert exc.code == 2
    else:  # pragma: no cover
        raise AssertionError("expected a usage error")
    assert set(BENCHMARKS) >= {"check", "startup", "render"}


@pytest.mark.slow
def test_sheets_benchmark_reads_a_generated_ledger_and_reports_two_rows(tmp_path: Path) -> None:
    rows = run_benchmarks(TINY, tmp_path, only=["sheets"], log=lambda _message: None)
    check, memory = rows[1:]
    assert check.name.startswith("Check of a unit with 50 hidden dangers from a workbook")
    assert check.tool > 0 and check.baseline > 0 and check.limit == 2
    assert memory.unit == "MB" and 10 < memory.tool < 2000 and memory.limit == 300
    result = run_check([str(tmp_path / "sheet-50" / "unit.yaml")], load_pack(None), AS_OF)
    assert not result.diagnostics
    assert len(result.units) == 1
