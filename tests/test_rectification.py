"""Rectification paperwork of the gap reports, and the group report's counts and levels.

The plan has one row per item with the five implementations; the responsible person is the
accountable manager from the unit's organisation; the time limit is "immediately" for
overdue and stop-work items. Read back from the check result, the report context and the
DOCX files.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import docx
import pytest

from compliance.render.config import Branding
from compliance.render.report_context import group_context, unit_context
from compliance.render.reports import rules_of
from compliance.rulepack import load_pack
from tests.conftest import SAMPLES, run_cli
from tests.test_reports import docx_text

AS_OF = "2026-11-28"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("rect") / "result.json"
    run = run_cli("check", str(SAMPLES), "--as-of", AS_OF, "--format", "json", "-o", str(out))
    assert run.exit_code == 1, run.stderr
    data: dict[str, Any] = json.loads(out.read_text("utf-8"))
    return data


def _rows(result: dict[str, Any], unit_id: str, lang: str = "zh") -> list[dict[str, Any]]:
    unit = next(u for u in result["units"] if u["id"] == unit_id)
    ctx = unit_context(result, unit, rules_of(result, lang), Branding(), lang)
    rows: list[dict[str, Any]] = ctx["plan_rows"]
    return rows


def _row(rows: list[dict[str, Any]], rule: str, item: str) -> dict[str, Any]:
    return next(
        r for r in rows if any(f["rule"] == rule and f["item"] == item for f in r["findings"])
    )


def test_one_row_per_item_lists_all_its_findings(result: dict[str, Any]) -> None:
    rows = _rows(result, "coal-01")
    danger = _row(rows, "RISK-05", "HX-YH-2026-006")
    assert danger["rules"] == ["RISK-05", "RISK-07"]  # overdue and unreported: one row
    assert sum(1 for r in rows for f in r["findings"] if f["item"] == "HX-YH-2026-006") == 2
    post = _row(rows, "RESP-03", "输煤运行值班员")
    assert sorted(post["rules"]) == ["RESP-03", "STD-03"]


def test_five_implementations_from_the_unit_file(result: dict[str, Any]) -> None:
    danger = _row(_rows(result, "coal-01"), "RISK-05", "HX-YH-2026-006")
    assert (danger["post"], danger["responsible"]) == ("化学环保部主任", "冯晓燕")
    assert danger["measures"].startswith("2 号储罐退出运行")
    assert danger["funds"] == 1860000
    assert "HX-YA-02" in danger["contingency"]
    assert danger["immediate"] and danger["overdue"] and not danger["stop_work"]


def test_responsible_is_the_manager_not_the_worker_or_contractor(result: dict[str, Any]) -> None:
    rows = _rows(result, "coal-01")
    welder = _row(rows, "QUAL-08", "卢海")
    assert welder["responsible"] == "李红梅" and welder["post"] == "安全监察部主任"
    contractor = _row(rows, "LAW-07", "吕梁鑫达保温防腐有限公司")
    assert contractor["responsible"] == "钱海波" and contractor["post"] == "设备维护部主任"
    for row in rows:
        assert row["responsible"] not in ("卢海", "潘永胜", "吕梁鑫达保温防腐有限公司", "韦志刚")


def test_immediately_for_stop_work_and_overdue_else_by_severity(result: dict[str, Any]) -> None:
    rows = _rows(result, "coal-01")
    assert _row(rows, "QUAL-13", "潘永胜")["stop_work"]  # crane driver: special-equipment operator
    assert _row(rows, "LAW-07", "吕梁鑫达保温防腐有限公司")["immediate"]
    assert _row(rows, "PLAN-04", "HX-SN-03")["overdue"]  # past its due date, not done
    closed = _row(rows, "RISK-08", "HX-YH-2026-021")  # closed in time, only unverified
    assert not closed["immediate"]
    signed = _row(rows, "RESP-03", "燃料管理部主任")
    assert not signed["immediate"]
    assert signed["deadline"] == dt.date(2026, 11, 28) + dt.timedelta(days=30)  # major: 30 days
    immediate = [r["immediate"] for r in rows]
    assert immediate == sorted(immediate, reverse=True)  # the immediate rows come first


def test_stop_work_is_pack_data() -> None:
    pack = load_pack("cn-work-safety")
    assert {r for r, rule in pack.rules.items() if rule.stop_work} == {
        "QUAL-07",
        "QUAL-08",
        "QUAL-12",
        "QUAL-13",
        "LAW-07",
        "LAW-08",
        "STD-13",
    }
    iso = load_pack("iso45001")
    assert {r for r, rule in iso.rules.items() if rule.stop_work} == {"ISO-QUAL-01", "ISO-LAW-04"}


def test_stop_work_in_a_group_policy_pack(tmp_path: Path, result: dict[str, Any]) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        """pack: {name: policy, version: "1", extends: cn-work-safety}
rules:
  - id: LAW-90
    area: rule_of_law
    severity: minor
    stop_work: true
    title: Violations closed within a week
    basis: group policy
    rationale: Open violations mean the unsafe practice goes on.
    remediation: Close the violation.
    message: "violation {item.id} is open"
    for_each: rule_of_law.violations
    require: {field: status, eq: closed}
""",
        "utf-8",
    )
    out = tmp_path / "r.json"
    run = run_cli(
        "check", str(SAMPLES / "coal-01.yaml"), "--rules", str(policy), "--as-of", AS_OF,
        "--format", "json", "-o", str(out),
    )  # fmt: skip
    assert run.exit_code == 1, run.stderr
    data = json.loads(out.read_text("utf-8"))
    found = [f for f in data["findings"] if f["rule"] == "LAW-90"]
    assert found and all(f["plan"]["stop_work"] for f in found)
    assert next(r for r in data["rule_pack"]["catalog"] if r["id"] == "LAW-90")["stop_work"]


def test_group_severity_table_sums_to_the_total(result: dict[str, Any]) -> None:
    ctx = group_context(result, rules_of(result, "zh"), Branding(), "zh")
    assert sum(s["count"] for s in ctx["by_severity"]) == result["summary"]["findings"]
    assert any(f["rule"] == "WAIVER-EXPIRED" for f in result["findings"])  # the case that differed
    assert all(r["rule"] != "WAIVER-EXPIRED" for r in ctx["recurring"])


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    run = run_cli(
        "report", str(SAMPLES / "coal-01.yaml"), str(SAMPLES / "hq.yaml"), "--as-of", AS_OF,
        "--lang", "zh", "--format", "docx", "--out", str(out),
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    return out


@pytest.mark.slow
def test_group_report_major_hidden_danger_is_zhongda(documents: Path) -> None:
    document = docx.Document(str(documents / "group-report.zh.docx"))
    table = next(
        t for t in document.tables if t.rows[0].cells[0].text == "单位" and len(t.columns) == 6
    )
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    danger = next(r for r in rows if r[1] == "HX-YH-2026-006")
    assert danger[3].startswith("重大") and "重要" not in danger[3]


@pytest.mark.slow
def test_notice_and_receipt_in_the_unit_report(documents: Path) -> None:
    text = docx_text(documents / "unit-report-coal-01.zh.docx")
    for heading in ("整改计划", "整改通知书", "整改回执"):
        assert heading in text
    for field in (
        "通知书编号",
        "被检查单位",
        "检查依据",
        "检查日期",
        "违反条款",
        "签收（被检查单位）",
    ):
        assert field in text
    for column in ("已采取的整改措施", "完成日期", "验收人", "验收日期", "销号"):
        assert column in text
    for column in ("责任单位", "责任人", "整改措施", "资金", "整改时限", "临时措施", "验收"):
        assert column in text
    assert "立即" in text and "《安全生产法》第三十条" in text
