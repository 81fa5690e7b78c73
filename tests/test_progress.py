"""compliance diff: findings new, persisting, resolved and regressed across saved results."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.test_engine import PACK, UNIT

Write = Callable[[str, str], Path]

OVERDUE = "{id: HD-02, description: Missing guard, status: open, deadline: 2026-06-01}"
CLOSED = "{id: HD-02, description: Missing guard, status: closed, deadline: 2026-06-01}"
WELDER = "    - post: Welder\n      signed_on: 2020-01-01\n"
WAIVER = """\
waivers:
  - rule: QUAL-02
    item: Wang Qiang
    reason: On long-term sick leave
    approved_by: Liu Yang
    expires: 2026-10-31
"""


def _unit(hd02: str, welder: bool = False, waiver: bool = False) -> str:
    text = re.sub(r"\{id: HD-02,[^}]*\}", hd02, UNIT)
    if welder:
        text = text.replace("  posts:\n", "  posts:\n" + WELDER)
    return text + (WAIVER if waiver else "")


@pytest.fixture
def results(write: Write) -> dict[str, Path]:
    """Three quarters of one plant: HD-02 overdue, then closed, then open again."""
    pack = str(write("pack.yaml", PACK))
    quarters = {
        "q2": ("2026-06-30", _unit(OVERDUE)),
        "q3": ("2026-09-30", _unit(CLOSED, welder=True, waiver=True)),
        "q4": ("2026-11-28", _unit(OVERDUE, welder=True, waiver=True)),
    }
    out = {}
    for name, (day, text) in quarters.items():
        unit = write(f"{name}/coal-01.yaml", text)
        out[name] = unit.parent / "result.json"
        r = run_cli(
            "check",
            str(unit),
            "--rules",
            pack,
            "--as-of",
            day,
            "--format",
            "json",
            "-o",
            str(out[name]),
            "--fail-on",
            "never",
        )
        assert r.exit_code == 0, r.stderr
    return out


def diff_json(*args: str) -> tuple[int, dict[str, object]]:
    r = run_cli("diff", *args, "--format", "json")
    return r.exit_code, json.loads(r.stdout)


def _by_status(data: dict[str, object]) -> dict[str, set[tuple[str, str | None]]]:
    out: dict[str, set[tuple[str, str | None]]] = {}
    for f in data["findings"]:  # type: ignore[attr-defined]
        out.setdefault(f["status"], set()).add((f["rule"], f["item"]))
    return out


def test_two_results_new_persisting_resolved(results: dict[str, Path]) -> None:
    code, data = diff_json(str(results["q2"]), str(results["q3"]))
    got = _by_status(data)
    assert got["new"] == {("RESP-03", "Welder")}
    assert got["resolved"] == {("RISK-04", "HD-02")}
    assert got["waived"] == {("QUAL-02", "Wang Qiang")}  # not resolved: waived
    assert ("RESP-07", None) in got["persisting"]
    assert "regressed" not in got
    resp07 = next(f for f in data["findings"] if f["rule"] == "RESP-07")  # type: ignore[attr-defined]
    assert (resp07["first_seen"], resp07["days_open"]) == ("2026-06-30", 92)
    assert code == 1  # a new major finding reaches the default --fail-on minor


def test_history_finds_regressions_and_how_long_findings_are_open(
    results: dict[str, Path],
) -> None:
    # given out of order: results are ordered by their as-of dates
    code, data = diff_json(str(results["q4"]), str(results["q2"]), str(results["q3"]))
    got = _by_status(data)
    # HD-02 was closed, then open again; Wang Qiang's gap came back when the waiver expired
    assert got["regressed"] == {("RISK-04", "HD-02"), ("QUAL-02", "Wang Qiang")}
    assert got["new"] == {("WAIVER-EXPIRED", "QUAL-02")}
    assert "resolved" not in got
    days = {(f["rule"], f["item"]): (f["first_seen"], f["days_open"]) for f in data["findings"]}  # type: ignore[attr-defined]
    assert days[("RESP-07", None)] == ("2026-06-30", 151)  # open in all three
    assert days[("RESP-03", "Welder")] == ("2026-09-30", 59)  # since it appeared
    assert [r["as_of"] for r in data["results"]] == ["2026-06-30", "2026-09-30", "2026-11-28"]  # type: ignore[attr-defined]
    assert code == 1
    # without the first result the same finding is simply new
    _, two = diff_json(str(results["q3"]), str(results["q4"]))
    assert ("RISK-04", "HD-02") in _by_status(two)["new"]
    # a gap whose waiver expired is known: back again, not new
    assert _by_status(two)["regressed"] == {("QUAL-02", "Wang Qiang")}


def test_fail_on_gates_on_new_and_regressed_only(results: dict[str, Path]) -> None:
    q2, q3, q4 = (str(results[k]) for k in ("q2", "q3", "q4"))
    assert run_cli("diff", q2, q3, "--fail-on", "critical").exit_code == 0  # new is major
    assert run_cli("diff", q2, q3, "--fail-on", "major").exit_code == 1
    assert run_cli("diff", q3, q4, "--fail-on", "critical").exit_code == 1  # RISK-04 is back
    assert run_cli("diff", q2, q3, q4, "--fail-on", "never").exit_code == 0
    # persisting findings alone never fail the gate
    assert run_cli("diff", q3, q3.replace("q3", "q3"), "--fail-on", "info").exit_code == 0


def test_scores_and_waivers(results: dict[str, Path]) -> None:
    _, data = diff_json(str(results["q2"]), str(results["q3"]))
    (unit,) = data["units"]  # type: ignore[misc]
    assert unit["id"] == "coal-01" and unit["delta"] == round(unit["new"] - unit["old"], 1)
    assert unit["areas"]["risks"]["old"] < unit["areas"]["risks"]["new"] == 100.0
    assert [(w["status"], w["rule"], w["item"]) for w in data["waivers"]] == [  # type: ignore[attr-defined]
        ("added", "QUAL-02", "Wang Qiang")
    ]
    _, later = diff_json(str(results["q3"]), str(results["q4"]))
    assert [(w["status"], w["rule"]) for w in later["waivers"]] == [("expired", "QUAL-02")]  # type: ignore[attr-defined]


def test_text_in_chinese_shows_no_english_labels(results: dict[str, Path]) -> None:
    r = run_cli("diff", *(str(results[k]) for k in ("q2", "q3", "q4")), "--lang", "zh")
    out = r.stdout
    assert "反弹" in out and "持续" in out and "严重" in out
    for english in (
        "New",
        "Regressed",
        "Persisting",
        "Resolved",
        "open since",
        "Critical",
        "Scores",
    ):
        assert english not in out, english
    en = run_cli("diff", *(str(results[k]) for k in ("q2", "q3", "q4"))).stdout
    assert "Regressed (2)" in en and "(open since 2026-06-30, 151 days)" in en


def test_rule_pack_change_is_a_warning_naming_the_rules(
    results: dict[str, Path], write: Write
) -> None:
    pack2 = write(
        "pack2.yaml",
        PACK.replace('version: "1"', 'version: "2"').replace(
            "severity: critical\n    basis: Hidden Danger",
            "severity: major\n    basis: Hidden Danger",
        ),
    )
    unit = write("q5/coal-01.yaml", _unit(OVERDUE, welder=True, waiver=True))
    out = unit.parent / "result.json"
    run_cli(
        "check",
        str(unit),
        "--rules",
        str(pack2),
        "--as-of",
        "2026-12-31",
        "--format",
        "json",
        "-o",
        str(out),
        "--fail-on",
        "never",
    )
    r = run_cli("diff", str(results["q4"]), str(out))
    (warning,) = [line for line in r.stderr.splitlines() if "warning" in line]
    assert warning.startswith("compliance: warning: rule pack differs: t 1 → t 2")
    assert "RISK-04 (Changed: Severity Critical → Major)" in warning
    _, data = diff_json(str(results["q4"]), str(out))
    assert data["rule_changes"] == [  # type: ignore[comparison-overlap]
        {
            "rule": "RISK-04",
            "change": "changed",
            "fields": [{"field": "severity", "old": "critical", "new": "major"}],
        }
    ]


def test_malformed_results_are_one_line_errors(results: dict[str, Path], write: Write) -> None:
    text = results["q2"].read_text("utf-8")
    cut = write("cut.json", text[: len(text) // 2])
    other = write("other.json", '{"hello": "world"}\n')
    r = run_cli("diff", str(cut), str(results["q3"]))
    assert r.exit_code == 2
    (line,) = r.stderr.splitlines()
    assert re.fullmatch(rf"{re.escape(str(cut))}:\d+:\d+: error: not JSON: .+", line), line
    r = run_cli("diff", str(other), str(results["q3"]))
    assert r.exit_code == 2
    assert r.stderr == (
        f"{other}:1:1: error: not a result of 'compliance check --format json' (missing: as_of)\n"
    )
    assert run_cli("diff", str(results["q3"])).exit_code == 2
    assert r.stdout == ""


def test_csv_and_xlsx(results: dict[str, Path], tmp_path: Path) -> None:
    import csv

    from openpyxl import load_workbook

    q2, q3 = str(results["q2"]), str(results["q3"])
    rows = list(
        csv.reader(io.StringIO(run_cli("diff", q2, q3, "--format", "csv").stdout.lstrip("\ufeff")))
    )
    assert rows[0][:4] == ["Status", "Severity", "Unit", "Rule"]
    assert ["New", "Major", "coal-01", "RESP-03"] in [r[:4] for r in rows]
    book = tmp_path / "progress.zh.xlsx"
    r = run_cli("diff", q2, q3, "--format", "xlsx", "--lang", "zh", "-o", str(book))
    assert r.exit_code == 1
    first = book.read_bytes()
    wb = load_workbook(book)
    assert wb.sheetnames == ["汇总", "问题变化", "得分", "豁免", "隐患排查治理统计"]
    findings = [[c.value for c in row] for row in wb["问题变化"].iter_rows()]
    assert findings[0][:4] == ["状态", "严重程度", "单位", "规则"]
    assert ["新增", "重要", "coal-01", "RESP-03"] in [row[:4] for row in findings]
    summary = [[c.value for c in row] for row in wb["汇总"].iter_rows()]
    assert ["新增", 0, 1, 0, 0, 1] in summary
    run_cli("diff", q2, q3, "--format", "xlsx", "--lang", "zh", "-o", str(book))
    assert book.read_bytes() == first  # same inputs, same bytes
    import zipfile

    with zipfile.ZipFile(book) as z:  # dated by the new result, not by the clock
        core = z.read("docProps/core.xml").decode()
        assert all(i.date_time == (2026, 9, 30, 0, 0, 0) for i in z.infolist())
    assert core.count("2026-09-30T00:00:00Z") == 2


def test_output_dash_is_standard_output_and_a_file_is_written_whole(
    results: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    q2, q3 = str(results["q2"]), str(results["q3"])
    monkeypatch.chdir(tmp_path)
    shown = run_cli("diff", q2, q3, "--format", "json", "-o", "-", "--fail-on", "never")
    assert shown.exit_code == 0
    assert not (tmp_path / "-").exists()  # '-' is the terminal, as for check
    assert json.loads(shown.stdout)["summary"]["by_status"]["new"] == 1
    saved = run_cli("diff", q2, q3, "--format", "json", "-o", "progress.json")
    assert saved.exit_code == 1  # --fail-on minor (the default) is reached by the new finding
    assert saved.stderr == "wrote progress.json\n"
    assert (tmp_path / "progress.json").read_text("utf-8") == shown.stdout


def test_xlsx_needs_an_output_file_as_for_check(results: dict[str, Path]) -> None:
    q2, q3 = str(results["q2"]), str(results["q3"])
    for args in ((), ("-o", "-")):
        r = run_cli("diff", q2, q3, "--format", "xlsx", *args)
        assert r.exit_code == 2
        assert r.stderr == (
            "compliance: error: --format xlsx writes a workbook: name it with --output FILE.xlsx\n"
        )
        assert r.stdout == ""
