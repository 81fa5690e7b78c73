"""Huge inputs give readable documents: lists cut per rule with a count, long texts shortened."""

from __future__ import annotations

from pathlib import Path

import docx

from benchmarks.generate import AS_OF, write_dangers_unit, write_long_text_unit
from compliance.render.documents import Options
from compliance.render.limits import (
    NAME_CHARS,
    ROWS_PER_RULE,
    WORD_CHARS,
    breakable,
    clip,
    first_per_rule,
)
from compliance.render.reports import render_unit
from compliance.rulepack import load_pack
from compliance.runner import run_check


def test_clip_shortens_and_makes_long_runs_breakable() -> None:
    assert clip("short name", NAME_CHARS) == "short name"
    assert clip(None, 5) is None
    long = clip("x" * 10_000, NAME_CHARS)
    assert long.replace("\u200b", "") == "x" * NAME_CHARS + "…"
    assert max(len(run) for run in long.split("\u200b")) <= WORD_CHARS + 1
    chinese = "安全生产" * 100  # breaks anywhere already: left alone
    assert breakable(chinese) == chinese
    assert breakable("a" * (WORD_CHARS + 1)).count("\u200b") == 1


def test_first_per_rule_keeps_order_and_counts_the_rest() -> None:
    findings = [{"rule": "A", "n": i} for i in range(ROWS_PER_RULE + 7)] + [{"rule": "B", "n": 0}]
    kept, more = first_per_rule(findings)
    assert more == 7
    assert kept == findings[:ROWS_PER_RULE] + findings[-1:]


def _report_text(path: Path, tmp_path: Path) -> str:
    result = run_check([str(path)], load_pack("cn-work-safety"), AS_OF).to_json("en")
    (written,) = render_unit(
        result, result["units"][0]["id"], Options(out=tmp_path / "out", formats=("docx",))
    )
    document = docx.Document(str(written))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_unit_with_many_overdue_dangers_lists_the_first_of_each_rule(tmp_path: Path) -> None:
    dangers = ROWS_PER_RULE + 12
    text = _report_text(write_dangers_unit(dangers, 7, tmp_path / "unit.yaml"), tmp_path)
    assert "HD-00001" in text and f"HD-{ROWS_PER_RULE:05d}" in text
    assert f"HD-{dangers:05d}" not in text  # past the first 50 of the rule
    # the findings table and the rectification plan each say how many more there are
    assert text.count("… and 12 more findings: the document lists the first 50 of each rule") == 2


def test_a_huge_unit_name_is_shortened_in_the_report(tmp_path: Path) -> None:
    text = _report_text(write_long_text_unit(25_000, 7, tmp_path / "unit.yaml"), tmp_path)
    assert "Beiyuan power generation company" in text
    assert "安全生产" * 100 not in text.replace("\u200b", "")  # the 25 KB name is not printed whole
    # the 25,000-character name is shown shortened everywhere (messages: at most 1,500 characters)
    shown = [line for line in text.splitlines() if "Beiyuan power generation company" in line]
    assert shown and max(len(line) for line in shown) < 2_000
