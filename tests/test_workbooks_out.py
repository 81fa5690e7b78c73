"""Workbooks out: xlsx findings and 整改台账, localised CSV, the starter, and the ledger round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest

from compliance.cli_ledger import export_unit
from compliance.meeting_file import load_meeting
from compliance.rulepack import load_pack
from compliance.runner import run_check
from tests.conftest import MINIMAL_UNIT, SAMPLES, run_cli

AS_OF = "2026-11-28"
SAMPLE_UNITS = sorted(p for p in SAMPLES.glob("*.yaml") if p.name != "compliance.yaml")


@pytest.fixture(scope="module")
def findings_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    folder = tmp_path_factory.mktemp("xlsx")
    unit = folder / "u.yaml"
    unit.write_text(
        MINIMAL_UNIT + "risks:\n  hidden_dangers:\n"
        "    - {id: '=1+1', description: '=HYPERLINK(\"x\")', level: 一般, status: 未整改,"
        " deadline: 2026-01-01, owner: 张三}\n",
        encoding="utf-8",
    )
    out = folder / "findings.xlsx"
    args = ("check", str(unit), "--as-of", AS_OF, "--format", "xlsx", "--lang", "zh")
    result = run_cli(*args, "--output", str(out), "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    first = out.read_bytes()
    run_cli(*args, "--output", str(out), "--fail-on", "never")
    assert out.read_bytes() == first  # the same bytes for the same inputs
    return out, first


def test_xlsx_findings_sheet_is_localised_filtered_frozen_and_coloured(
    findings_book: tuple[Path, bytes],
) -> None:
    wb = openpyxl.load_workbook(findings_book[0])
    assert wb.sheetnames == ["问题清单", "整改台账", "单位及领域得分"]
    ws = wb["问题清单"]
    head = [c.value for c in ws[1]]
    assert head[:6] == ["单位", "规则", "领域", "严重程度", "规则名称", "存在问题"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    rows = [dict(zip(head, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    overdue = next(r for r in rows if r["规则"] == "RISK-04")
    assert overdue["严重程度"] == "重要" and overdue["领域"] == "风险与隐患（双重预防）"
    assert overdue["对象"] == "=1+1"  # data, not a formula
    assert overdue["数据位置"].startswith("双重预防机制 › 隐患排查治理台账 第1条")
    assert overdue["已豁免"] == "否"
    sev = head.index("严重程度") + 1
    row = next(i for i, r in enumerate(rows, start=2) if r["规则"] == "RISK-04")
    assert ws.cell(row=row, column=sev).fill.fgColor.rgb.endswith("FFE699")
    for r in ws.iter_rows(min_row=2):
        for c in r:
            assert c.data_type != "f"


def test_xlsx_rectification_register_has_the_five_implementations_left_to_fill(
    findings_book: tuple[Path, bytes],
) -> None:
    ws = openpyxl.load_workbook(findings_book[0])["整改台账"]
    head = [c.value for c in ws[1]]
    for column in (
        "整改责任部门",
        "整改责任人",
        "整改措施",
        "整改资金（元）",
        "整改期限",
        "临时防范及应急措施",
        "整改状态",
        "验收人",
        "验收日期",
    ):
        assert column in head
    rows = [dict(zip(head, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    risk = next(r for r in rows if r["规则"] == "RISK-04")
    assert risk["整改责任人"] == "张三" and risk["对象"] == "=1+1"
    assert risk["整改状态"] is None and risk["验收人"] is None and risk["整改期限"] is None
    assert rows[0]["序号"] == 1 and rows[0]["严重程度"] == "严重"  # most severe first
    statuses = [dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert statuses == ['"未整改,整改中,已整改"']
    scores = openpyxl.load_workbook(findings_book[0])["单位及领域得分"]
    assert [c.value for c in scores[2]][:2] == ["plant-a", "Plant A"]
    assert isinstance(scores.cell(row=2, column=4).value, float)


def test_xlsx_needs_an_output_file() -> None:
    result = run_cli("check", str(SAMPLES / "wind-01.yaml"), "--format", "xlsx")
    assert result.exit_code == 2
    assert "--format xlsx writes a workbook: name it with --output FILE.xlsx" in result.stderr


def test_csv_has_chinese_headers_and_values_under_lang_zh() -> None:
    args = ("check", str(SAMPLES / "coal-01.yaml"), "--as-of", AS_OF, "--format", "csv")
    zh = list(csv.reader(io.StringIO(run_cli(*args, "--lang", "zh").stdout.lstrip("\ufeff"))))
    en = list(csv.reader(io.StringIO(run_cli(*args).stdout.lstrip("\ufeff"))))
    assert en[0][:4] == ["unit", "rule", "area", "severity"]  # unchanged for scripts
    assert zh[0][:6] == ["单位", "规则", "领域", "严重程度", "规则名称", "存在问题"]
    assert len(zh) == len(en) > 1
    assert zh[1][2] in {
        "安全理念",
        "安全责任",
        "安全规划",
        "安全法治",
        "安全标准",
        "安全素质",
        "风险与隐患（双重预防）",
    }
    assert all(r[12] in ("是", "否") for r in zh[1:])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_fresh_starter_checks_with_findings_and_no_error(tmp_path: Path, lang: str) -> None:
    folder = tmp_path / "wind-farm-01"
    result = run_cli("init", str(folder), "--lang", lang, "--kind", "wind")
    assert result.exit_code == 0, result.stderr
    text = (folder / "unit.yaml").read_text("utf-8")
    assert "id: wind-farm-01" in text
    name = "隐患排查治理台账" if lang == "zh" else "hidden_dangers"
    assert f"hidden_dangers: {{from: ledgers/{name}.xlsx}}" in text
    if lang == "zh":
        assert "依据《安全生产法》第四十一条" in text and "kind: 风力发电" in text
    checked = run_cli(
        "check", str(folder), "--as-of", AS_OF, "--format", "json", "--fail-on", "never"
    )
    assert checked.exit_code == 0, checked.stderr
    assert checked.stderr == ""
    data = json.loads(checked.stdout)
    assert data["summary"]["units"] == 1 and data["summary"]["findings"] > 5
    again = run_cli("init", str(folder))
    assert again.exit_code == 2 and "already holds a unit" in again.stderr


def test_starter_ledgers_have_titles_drop_downs_date_formats_and_instructions(
    tmp_path: Path,
) -> None:
    run_cli("init", str(tmp_path / "u"), "--lang", "zh")
    wb = openpyxl.load_workbook(tmp_path / "u" / "ledgers" / "隐患排查治理台账.xlsx")
    assert wb.sheetnames == ["隐患排查治理台账", "填写说明"]
    ws = wb["隐患排查治理台账"]
    head = [c.value for c in ws[1]]
    assert head[:5] == ["隐患编号*", "隐患描述*", "隐患部位", "发现日期", "隐患等级"]
    assert ws.freeze_panes == "A2"
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert '"一般隐患,重大隐患"' in lists and '"未整改,整改中,已整改"' in lists
    assert ws.column_dimensions["D"].number_format == "yyyy-mm-dd"
    staff = openpyxl.load_workbook(tmp_path / "u" / "ledgers" / "人员培训台账.xlsx")
    assert staff.sheetnames == ["人员培训台账", "培训记录", "填写说明"]
    assert staff["培训记录"]["A1"].value == "姓名*"


def test_a_starter_meeting_file_loads_with_its_participants_workbook(tmp_path: Path) -> None:
    path = tmp_path / "q1.meeting.yaml"
    assert run_cli("init", "--meeting", str(path), "--lang", "zh").exit_code == 0
    book = tmp_path / "参会人员.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb.active
    ws.append(["杜远航", "集团总部", "董事长", "出席", "主持人"])
    wb.save(book)
    meeting = load_meeting(path)
    assert meeting.data["meeting"]["kind"] == "safety_committee"
    assert meeting.data["participants"][0]["attendance"] == "present"


def _findings(path: Path) -> list[tuple[str, str, str, str, str]]:
    result = run_check([str(path)], load_pack(None), dt.date.fromisoformat(AS_OF))
    assert not result.has_errors, result.diagnostics
    return sorted(
        (f.rule, f.item or "", f.text("message"), f.severity, f.fingerprint)
        for f in result.findings
    )


@pytest.mark.parametrize("sample", SAMPLE_UNITS, ids=lambda p: p.stem)
def test_exported_ledgers_give_the_same_findings_as_the_unit_file(
    tmp_path: Path, sample: Path
) -> None:
    written = export_unit(sample, tmp_path, "zh")
    exported = written[0]
    assert exported.suffix == ".yaml" and any(p.suffix == ".xlsx" for p in written)
    assert _findings(exported) == _findings(sample)


def test_export_is_deterministic(tmp_path: Path) -> None:
    first = export_unit(SAMPLES / "wind-01.yaml", tmp_path / "a", "zh")
    again = export_unit(SAMPLES / "wind-01.yaml", tmp_path / "b", "zh")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in first]


def test_exported_findings_point_at_cells(tmp_path: Path) -> None:
    export_unit(SAMPLES / "coal-01.yaml", tmp_path, "en")
    result = run_check(
        [str(tmp_path / "coal-01.yaml")], load_pack(None), dt.date.fromisoformat(AS_OF)
    )
    cells = [f.location for f in result.findings if f.location.cell]
    assert cells and all(loc.file.endswith(".xlsx") and loc.sheet for loc in cells)
