"""Write the two ledgers of the sample unit wind-02 (run once; the .xlsx files are committed).

    PYTHONPATH=src python samples/ledgers/make_wind02.py

The workbooks are made the way ``compliance init`` makes blank ledgers (headers, drop-downs,
date formats from the schema), then filled with the rows below; the bytes are deterministic.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from compliance.ledger_book import build_workbook, ledgers_of
from compliance.schema import load_schema

D = dt.date
HERE = Path(__file__).resolve().parent / "wind-02"
STAMP = dt.datetime(2026, 11, 20)

HAZARDS = [
    ("KB-HD-001", "A07风机塔筒爬梯防坠器锈蚀卡滞", "A07风机", D(2026, 3, 12), "general", "宋志刚", D(2026, 4, 10), "closed", D(2026, 4, 2)),
    ("KB-HD-002", "升压站主变油枕渗油", "220 kV升压站", D(2026, 4, 3), "general", "孟凡", D(2026, 5, 3), "closed", D(2026, 4, 25)),
    ("KB-HD-003", "35 kV集电线路3号杆塔接地电阻超标", "集电线路", D(2026, 5, 14), "general", "杜鹏", D(2026, 6, 30), "closed", D(2026, 6, 21)),
    ("KB-HD-004", "B12风机机舱灭火装置压力不足", "B12风机", D(2026, 6, 8), "general", "宋志刚", D(2026, 6, 20), "closed", D(2026, 6, 18)),
    ("KB-HD-005", "检修车辆冬季防滑链缺失", "车库", D(2026, 9, 2), "general", "周晓燕", D(2026, 10, 15), "rectifying", None),
    ("KB-HD-006", "A区风机塔筒爬梯防坠器批量锈蚀（A01—A20）", "A区风机", D(2026, 7, 22), "major", "宋志刚", D(2026, 10, 31), "rectifying", None),
    ("KB-HD-007", "中控室消防通道堆放杂物", "中控楼", D(2026, 10, 9), "general", "周晓燕", D(2026, 10, 16), "closed", D(2026, 10, 12)),
    ("KB-HD-008", "箱变基础积水", "C05箱变", D(2026, 11, 3), "general", "杜鹏", D(2026, 12, 15), "open", None),
]
STAFF = [
    ("韩立新", "场长", "principal", D(2010, 7, 1)),
    ("宋志刚", "副场长（生产）", "leader", D(2012, 3, 1)),
    ("周晓燕", "安全专责", "safety_manager", D(2016, 8, 15)),
    ("孟凡", "值长", "staff", D(2014, 9, 1)),
    ("杜鹏", "值长", "staff", D(2015, 9, 1)),
    ("刘海涛", "风机检修工", "staff", D(2019, 6, 10)),
    ("许晨", "风机检修工", "new_employee", D(2026, 7, 1)),
]
TRAINING = {
    "韩立新": [
        (D(2024, 3, 19), "主要负责人安全生产知识和管理能力初次培训", "initial", None, 32, "pass"),
        (D(2026, 4, 16), "主要负责人安全生产知识和管理能力再培训", "refresher", None, 12, "pass"),
    ],
    "宋志刚": [(D(2026, 4, 16), "分管负责人年度安全培训", "refresher", None, 12, "pass")],
    "周晓燕": [
        (D(2016, 9, 20), "安全生产管理人员初次培训", "initial", None, 32, "pass"),
        (D(2026, 3, 24), "安全生产管理人员再培训", "refresher", None, 16, "pass"),
    ],
    "孟凡": [(D(2026, 2, 26), "年度安全规程考试", "refresher", None, 20, "pass")],
    "杜鹏": [(D(2026, 2, 26), "年度安全规程考试", "refresher", None, 20, "pass")],
    "刘海涛": [(D(2026, 2, 26), "年度安全规程考试", "refresher", None, 20, "pass")],
    "许晨": [
        (D(2026, 7, 2), "新员工厂级安全教育", "pre_job", "plant", 8, "pass"),
        (D(2026, 7, 6), "新员工车间级安全教育", "pre_job", "workshop", 8, "pass"),
        (D(2026, 7, 9), "新员工班组级安全教育", "pre_job", "team", 4, "pass"),
    ],
}


def main() -> None:
    """Write 隐患排查治理台账.xlsx and 人员培训台账.xlsx beside this script."""
    root = load_schema("unit")
    by_path = {led.path: led for led in ledgers_of(root)}
    keys = ("id", "description", "location", "found_on", "level", "owner", "deadline", "status", "closed_on")
    hazards = []
    for row in HAZARDS:
        item = {k: v for k, v in zip(keys, row, strict=True) if v is not None}
        if item["status"] == "closed":
            item |= {"verified_by": "周晓燕", "verified_on": item["closed_on"]}
        if item["level"] == "major":
            item |= {
                "measures": "分批更换防坠器，更换前停止攀爬该批风机",
                "funds_cny": 360000,
                "contingency_plan": "更换前使用临时生命线并双人监护",
                "reported_to_regulator_on": D(2026, 7, 24),
            }
        hazards.append(item)
    staff = []
    for name, post, role, hired in STAFF:
        person = {"name": name, "post": post, "role": role, "hired_on": hired}
        records = []
        for date, course, kind, level, hours, result in TRAINING.get(name, []):
            record = {"date": date, "course": course, "kind": kind, "hours": hours, "result": result}
            if level:
                record["level"] = level
            records.append(record)
        person["training"] = records
        staff.append(person)
    HERE.mkdir(parents=True, exist_ok=True)
    for path, rows, name in (
        (("risks", "hidden_dangers"), hazards, "隐患排查治理台账"),
        (("quality", "staff"), staff, "人员培训台账"),
    ):
        data = build_workbook(by_path[path], root, "zh", rows, STAMP)
        (HERE / f"{name}.xlsx").write_bytes(data)


if __name__ == "__main__":
    main()
