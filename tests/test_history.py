"""Progress in the documents: --history adds the trend and "since the last check"."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import docx
import pytest

from compliance.render.progress_charts import severity_chart, trend_chart
from tests.conftest import run_cli
from tests.test_progress import results  # noqa: F401  (fixture)
from tests.test_reports import docx_text, flat, pdf_text


@pytest.fixture(scope="function")
def rendered(results: dict[str, Path], tmp_path: Path) -> dict[str, Any]:  # noqa: F811
    history = tmp_path / "history"
    history.mkdir()
    for q in ("q2", "q3", "q4"):  # the current result in the folder too: it is skipped
        shutil.copy(results[q], history / f"{q}.json")
    out = tmp_path / "reports"
    r = run_cli("report", "--from", str(results["q4"]), "--history", str(history),
                "--out", str(out), "--lang", "zh")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    return {"out": out, "history": history}


@pytest.mark.slow
def test_group_and_unit_reports_show_progress(rendered: dict[str, Any]) -> None:
    out = rendered["out"]
    for group in (pdf_text(out / "group-report.zh.pdf"), docx_text(out / "group-report.zh.docx")):
        t = flat(group)
        assert "与上次检查相比的进展" in t
        assert "与2026年9月30日的检查相比（共比较3次检查）" in t
        assert "三年行动" in t and "重大事故隐患动态清零" in t and "进步和退步的单位" in t
        assert "Progress" not in t and "Three-year" not in t
    for unit in (
        pdf_text(out / "unit-report-coal-01.zh.pdf"),
        docx_text(out / "unit-report-coal-01.zh.docx"),
    ):
        t = flat(unit)
        assert "与上次检查相比" in t and "新增问题" in t and "仍未整改的问题" in t
        assert "hazardHD-02openpastitsdeadline2026-06-01整改后复现" in t
    # the two progress charts are pictures in the DOCX as in the PDF (plus the ranking chart)
    assert len(docx.Document(str(out / "group-report.zh.docx")).inline_shapes) == 3


def test_without_history_nothing_changes(results: dict[str, Path], tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "plain"
    r = run_cli("report", "--from", str(results["q4"]), "--out", str(out), "--format", "docx")
    assert r.exit_code == 0
    t = flat(docx_text(out / "group-report.docx"))
    assert "Progress since the last check" not in t and "Since the last check" not in t


def test_bad_history_file_is_one_line(results: dict[str, Path], tmp_path: Path) -> None:  # noqa: F811
    history = tmp_path / "h"
    history.mkdir()
    (history / "broken.json").write_text('{"as_of": "2026-', encoding="utf-8")
    r = run_cli("report", "--from", str(results["q4"]), "--history", str(history), "--out",
                str(tmp_path / "o"), "--format", "docx")  # fmt: skip
    assert r.exit_code == 2
    assert r.stderr.startswith(f"{history / 'broken.json'}:1:") and r.stderr.count("\n") == 1
    assert not (tmp_path / "o").exists()


def test_chart_texts_are_not_mathtext() -> None:
    # "$\frac{1}{$" is broken mathtext: parsed, it would raise
    png = trend_chart(["2026-06-30", "2026-09-30"], {"$\\frac{1}{$ mean": [80.0, 90.0]})
    assert png.startswith(b"\x89PNG")
    assert trend_chart(["a", "b"], {"$\\frac{1}{$ mean": [80.0, 90.0]}) == trend_chart(
        ["a", "b"], {"$\\frac{1}{$ mean": [80.0, 90.0]}
    )
    bars = severity_chart(["a"], {"critical": [1], "major": [2]}, {"critical": "$x^{$"})
    assert bars.startswith(b"\x89PNG")


@pytest.mark.slow
def test_minutes_say_what_changed_since_the_previous_meeting(tmp_path: Path) -> None:
    from tests.conftest import SAMPLES

    history = tmp_path / "history"
    for day, target in (
        ("2026-08-31", history / "2026-q3.json"),
        ("2026-11-28", tmp_path / "now.json"),
    ):
        r = run_cli("check", str(SAMPLES), "--as-of", day, "--format", "json", "-o", str(target),
                    "--fail-on", "never")  # fmt: skip
        assert r.exit_code == 0
    meeting = SAMPLES / "meetings" / "2027-q1-committee.meeting.yaml"
    out = tmp_path / "m"
    r = run_cli("meeting", "minutes", str(meeting), "--results", str(tmp_path / "now.json"),
                "--history", str(history), "--out", str(out), "--format", "docx", "--lang", "zh")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    t = flat(docx_text(out / "2027-q1-committee-minutes.zh.docx"))
    assert "上次会议以来的变化" in t
    assert "与2026年8月31日的检查相比：平均得分91.8→94.8；新增问题30项，整改后复现1项" in t
    assert "进步最大：BeiyuanDahuangliangWindFarm(+6.4)、" in t
    assert "重大事故隐患：上期结转3项，新增0项，销号0项，仍未整改3项。" in t
    assert "上次会议以来新增的问题" in t and "RISK-05" in t
    r = run_cli("meeting", "minutes", str(meeting), "--history", str(history), "--out", str(out))
    assert r.exit_code == 2 and "--history needs --results or --units" in r.stderr
