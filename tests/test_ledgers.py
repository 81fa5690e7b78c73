"""Lists from spreadsheets: headers by title, values as typed, every message names the cell."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from compliance import sheets
from compliance.ledgers import load_document
from tests.conftest import MINIMAL_UNIT, run_cli

AS_OF = "2026-11-28"
HEADER = [
    "隐患编号",
    "隐患描述",
    "隐患部位",
    "发现日期",
    "隐患等级",
    "整改责任人",
    "整改期限",
    "整改状态",
]


def book(path: Path, sheets_rows: dict[str, list[list[Any]]], hidden: tuple[str, ...] = ()) -> Path:
    """Write a workbook: one sheet per name, rows as given."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets_rows.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if name in hidden:
            ws.sheet_state = "hidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def unit(tmp_path: Path, lists: str, name: str = "unit.yaml") -> Path:
    path = tmp_path / name
    path.write_text(MINIMAL_UNIT + lists, encoding="utf-8")
    return path


HAZARDS = [
    ["某某风电场隐患排查治理台账"],  # a caption above the header, as ledgers have
    HEADER,
    [
        "H-01",
        "塔筒爬梯防坠器失效 ",
        "3号风机",
        dt.datetime(2026, 3, 5),
        "一般",
        "张三",
        "2026/4/5",
        "未整改",
    ],
    [None] * 8,
    [
        "H-02",
        "主变漏油",
        "升压站",
        "2026年3月6日",
        "重大",
        "李四",
        dt.datetime(2026, 5, 1),
        "整改中",
    ],
]


def test_a_hidden_danger_register_in_chinese_is_read_and_findings_name_the_cell(
    tmp_path: Path,
) -> None:
    book(tmp_path / "ledgers" / "隐患台账.xlsx", {"隐患台账": HAZARDS})
    path = unit(
        tmp_path, "risks:\n  hidden_dangers: {from: ledgers/隐患台账.xlsx, sheet: 隐患台账}\n"
    )
    doc = load_document(path, "unit.yaml", "unit")
    assert [str(d) for d in doc.diagnostics] == []
    h1, h2 = doc.data["risks"]["hidden_dangers"]
    assert h1["description"] == "塔筒爬梯防坠器失效"  # trailing space trimmed, blank row skipped
    assert (h1["level"], h1["status"], h1["deadline"]) == ("general", "open", dt.date(2026, 4, 5))
    assert (h2["level"], h2["found_on"]) == ("major", dt.date(2026, 3, 6))
    result = run_cli("check", str(path), "--as-of", AS_OF, "--format", "json", "--fail-on", "never")
    findings = json.loads(result.stdout)["findings"]
    overdue = next(f for f in findings if f["rule"] == "RISK-05")
    assert overdue["item"] == "H-02"
    loc = overdue["location"]
    assert (loc["sheet"], loc["cell"], loc["line"], loc["column"]) == ("隐患台账", "G5", 5, 7)
    assert loc["file"].endswith("隐患台账.xlsx")
    text = run_cli("check", str(path), "--as-of", AS_OF, "--fail-on", "never").stdout
    assert "隐患台账.xlsx:隐患台账!G5: critical RISK-05" in text


def test_english_titles_and_keys_match_headers_and_unknown_headers_get_a_did_you_mean(
    tmp_path: Path,
) -> None:
    rows = [["id", "Description", "隐患描叙", "Level"], ["H1", "x", "y", "major"]]
    book(tmp_path / "h.xlsx", {"Sheet1": rows})
    path = unit(tmp_path, "risks:\n  hidden_dangers: {from: h.xlsx}\n")
    doc = load_document(path, "unit.yaml", "unit")
    assert [str(d) for d in doc.diagnostics] == [
        "h.xlsx:Sheet1!C1: warning: unknown column '隐患描叙' is ignored; did you mean '隐患描述'?"
    ]
    assert doc.data["risks"]["hidden_dangers"] == [
        {"id": "H1", "description": "x", "level": "major"}
    ]


def test_a_missing_required_column_is_an_error_at_the_header(tmp_path: Path) -> None:
    book(tmp_path / "h.xlsx", {"台账": [["隐患编号", "隐患等级"], ["H1", "一般"]]})
    path = unit(tmp_path, "risks:\n  hidden_dangers: {from: h.xlsx}\n")
    result = run_cli("check", str(path), "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "h.xlsx:台账!A1: error: missing required column: 隐患描述 (description)" in result.stderr


def test_bad_cell_values_are_errors_naming_the_cell_and_what_to_write(tmp_path: Path) -> None:
    rows = [HEADER, ["H1", "x", "", "24/3/5", "较大", "", "", ""]]
    book(tmp_path / "h.xlsx", {"台账": rows})
    path = unit(tmp_path, "risks:\n  hidden_dangers: {from: h.xlsx}\n")
    errors = [str(d) for d in load_document(path, "unit.yaml", "unit").diagnostics]
    assert errors == [
        "h.xlsx:台账!D2: error: 发现日期: '24/3/5' is not a date: "
        "write it as YYYY-MM-DD, for example 2024-03-05",
        "h.xlsx:台账!E2: error: 隐患等级: '较大' is not one of: general, "
        "major (or 一般隐患、重大隐患)",
    ]


def test_merged_cells_hidden_sheets_and_cached_formulas_read_as_a_person_expects(
    tmp_path: Path,
) -> None:
    rows = [HEADER[:3], ["H1", "a", "升压站"], ["H2", "b", None], ["H3", "=1+1", "仓库"]]
    path = book(tmp_path / "h.xlsx", {"说明": [["填写说明"]], "台账": rows}, hidden=("说明",))
    wb = openpyxl.load_workbook(path)
    wb["台账"].merge_cells("C2:C3")  # one location for two hazards
    wb.save(path)
    # Excel saves a formula with its last value; openpyxl writes none, so add one as Excel would
    with zipfile.ZipFile(path) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    name = next(n for n in parts if n.startswith("xl/worksheets/sheet2"))
    xml = parts[name].decode()
    assert "<f>1+1</f><v></v>" in xml
    parts[name] = xml.replace("<f>1+1</f><v></v>", "<f>1+1</f><v>2</v>").encode()
    with zipfile.ZipFile(path, "w") as zout:
        for n, data in parts.items():
            zout.writestr(n, data)
    doc = load_document(unit(tmp_path, "risks:\n  hidden_dangers: {from: h.xlsx}\n"), "u", "unit")
    assert [str(d) for d in doc.diagnostics] == []  # the hidden sheet is skipped by default
    got = [(h["id"], h["description"], h["location"]) for h in doc.data["risks"]["hidden_dangers"]]
    assert got == [("H1", "a", "升压站"), ("H2", "b", "升压站"), ("H3", "2", "仓库")]


def test_a_formula_without_a_saved_value_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    book(tmp_path / "h.xlsx", {"台账": [HEADER[:2], ["H1", '=A2&"x"']]})
    path = unit(tmp_path, "risks:\n  hidden_dangers: {from: h.xlsx}\n")
    result = run_cli("check", str(path), "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"{tmp_path / 'h.xlsx'}:台账!B2: error: the formula in this cell has no saved value"
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_gb18030_is_read(tmp_path: Path, encoding: str) -> None:
    text = '隐患编号,隐患描述,隐患等级,整改资金（元）\nH1,护栏缺失,一般,"1,500,000"\n'
    (tmp_path / "h.csv").write_bytes(text.encode(encoding))
    doc = load_document(unit(tmp_path, "risks:\n  hidden_dangers: {from: h.csv}\n"), "u", "unit")
    assert [str(d) for d in doc.diagnostics] == []
    (h,) = doc.data["risks"]["hidden_dangers"]
    assert (h["description"], h["level"], h["funds_cny"]) == ("护栏缺失", "general", 1_500_000)


def test_training_records_come_from_a_second_sheet_joined_by_name(tmp_path: Path) -> None:
    staff = [
        ["姓名", "岗位", "人员类别"],
        ["张三", "值班员", "从业人员"],
        ["李四", "站长", "主要负责人"],
    ]
    training = [
        ["姓名", "培训日期", "学时", "培训类型"],
        ["张三", "2026-03-01", "32学时", "再培训"],
        ["李四", "2026-03-02", "8小时", "初训"],
        ["张三", "2026-04-01", 4, "岗前培训"],
    ]
    book(tmp_path / "p.xlsx", {"人员": staff, "培训记录": training})
    doc = load_document(
        unit(tmp_path, "quality:\n  staff: {from: p.xlsx, sheet: 人员}\n"), "u", "unit"
    )
    assert [str(d) for d in doc.diagnostics] == []
    zhang, li = doc.data["quality"]["staff"]
    assert [(t["date"], t["hours"], t["kind"]) for t in zhang["training"]] == [
        (dt.date(2026, 3, 1), 32, "refresher"),
        (dt.date(2026, 4, 1), 4, "pre_job"),
    ]
    assert li["role"] == "principal" and li["training"][0]["hours"] == 8
    assert doc.place(("quality", "staff", 0, "training", 1, "hours")).cell == "C4"


def test_a_nested_row_naming_no_parent_is_an_error_at_its_cell(tmp_path: Path) -> None:
    book(
        tmp_path / "p.xlsx",
        {
            "人员": [["姓名", "人员类别"], ["张三", "员工"]],
            "培训记录": [["姓名", "培训日期", "学时"], ["王五", "2026-03-01", 8]],
        },
    )
    doc = load_document(unit(tmp_path, "quality:\n  staff: {from: p.xlsx}\n"), "u", "unit")
    assert [str(d) for d in doc.diagnostics] == [
        "p.xlsx:培训记录!A2: error: no row of the parent sheet has name '王五'"
    ]


def test_meeting_participants_come_from_a_sheet(tmp_path: Path) -> None:
    rows = [
        ["姓名", "单位", "出席情况", "参会身份"],
        ["杜远航", "集团总部", "出席", "主持人"],
        ["关瑞卿", "总部", "请假", "委员"],
    ]
    book(tmp_path / "participants.xlsx", {"参会人员": rows})
    path = tmp_path / "m.meeting.yaml"
    path.write_text(
        "meeting: {title: 安委会, kind: 安委会, date: 2026-12-01, issuing_body: 集团}\n"
        "participants: {from: participants.xlsx}\n",
        encoding="utf-8",
    )
    doc = load_document(path, "m", "meeting")
    assert [str(d) for d in doc.diagnostics] == []
    assert [(p["attendance"], p["role"]) for p in doc.data["participants"]] == [
        ("present", "chair"),
        ("apologies", "member"),
    ]
    assert doc.data["meeting"]["kind"] == "safety_committee"


# --- bad workbooks: one clear line, exit 2, the other units still checked ---------------


def _encrypted(path: Path) -> None:
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 504
        + "EncryptionInfo".encode("utf-16-le")
        + b"\0" * 512
    )


def _bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))


@pytest.mark.parametrize(
    ("name", "make", "spec", "message"),
    [
        (
            "h.xlsx",
            lambda p: p.write_text("id,description\n"),
            "",
            "not an .xlsx workbook (it is not a zip file): save it as .xlsx",
        ),
        ("h.xlsx", _bomb, "", "the workbook unpacks to more than 1 MB"),
        ("h.xlsx", _encrypted, "", "the workbook is password-protected (encrypted)"),
        (
            "h.xls",
            lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600),
            "",
            ".xls files cannot be read: open it and save it as .xlsx",
        ),
        (
            "h.et",
            lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600),
            "",
            ".et files cannot be read: open it and save it as .xlsx",
        ),
        (
            "h.xlsx",
            lambda p: book(p, {"台账": [HEADER]}),
            ", sheet: 隐患",
            "no sheet named '隐患'; the workbook has: 台账",
        ),
        (
            "h.csv",
            lambda p: p.write_bytes("隐患编号\n".encode("utf-16")),
            "",
            "save it as 'CSV UTF-8'",
        ),
        (
            "h.csv",
            lambda p: p.write_bytes(b"\x81\x30\xff\xfe\x80\n"),
            "",
            "neither UTF-8 nor GB18030",
        ),
        ("/dev/zero", None, "", "write a path relative to this file"),
        ("sub", lambda p: p.mkdir(), "", "sub is not a regular file"),
        ("nothing.xlsx", None, "", "no file at nothing.xlsx"),
    ],
)
def test_bad_workbooks_give_one_line_and_exit_2_and_other_units_are_still_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, make: Any, spec: str, message: str
) -> None:
    monkeypatch.setattr(sheets, "MAX_UNCOMPRESSED", 1024 * 1024)
    monkeypatch.setattr(sheets, "MAX_PART", 1024 * 1024)
    if make is not None:
        make(tmp_path / name)
    unit(tmp_path, f"risks:\n  hidden_dangers: {{from: {name}{spec}}}\n", "a.yaml")
    (tmp_path / "b.yaml").write_text(MINIMAL_UNIT.replace("plant-a", "plant-b"), encoding="utf-8")
    result = run_cli(
        "check", str(tmp_path), "--as-of", AS_OF, "--format", "json", "--fail-on", "never"
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{tmp_path / 'a.yaml'}:4:") or lines[0].startswith(str(tmp_path))
    assert message in lines[0]
    assert [u["id"] for u in json.loads(result.stdout)["units"]] == ["plant-b"]


def test_a_sheet_past_the_row_limit_is_refused_naming_the_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 50)
    book(tmp_path / "h.xlsx", {"台账": [HEADER[:2], *[[f"H{i}", "x"] for i in range(60)]]})
    result = run_cli(
        "check", str(unit(tmp_path, "risks:\n  hidden_dangers: {from: h.xlsx}\n")), "--as-of", AS_OF
    )
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f"{tmp_path / 'h.xlsx'}:台账!A52: error: the sheet has more than 50 rows of data: split it"
    )


def test_the_printed_schema_lets_editors_accept_the_from_form() -> None:
    import jsonschema

    from compliance.schema import schema_json

    schema = json.loads(schema_json("unit"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    unit = {"unit": {"id": "u", "name": "U", "kind": "wind"}, "valid_on": "2026-06-01"}
    ok = unit | {"risks": {"hidden_dangers": {"from": "ledgers/h.xlsx", "sheet": "台账"}}}
    bad = unit | {"risks": {"hidden_dangers": {"sheet": "台账"}}}
    assert list(validator.iter_errors(ok)) == []
    assert list(validator.iter_errors(bad)) != []
