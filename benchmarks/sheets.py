"""Benchmark of a unit whose hidden dangers come from a workbook (issue 11, point 7).

Two rows for :mod:`benchmarks.run`:

* ``compliance check`` of a unit whose N hidden dangers are read from an ``.xlsx`` ledger,
  against openpyxl alone reading that workbook in read-only mode (each in a fresh process,
  so both pay the interpreter's start and their imports); the limit is 2x.
* peak RSS of that check with a 100,000-row ledger; the limit is 300 MB.

The ledger is written once per size with a fixed seed: Chinese headers and values as a safety
department types them (一般/重大, 已整改, 2026/3/5 text next to real date cells), most hazards
closed on time, a few open, so findings stay realistic rather than one per row.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.generate import AS_OF

if TYPE_CHECKING:  # the runner imports this module; avoid a cycle at run time
    from benchmarks.run import Context, Row

HEADER = [
    "隐患编号",
    "隐患描述",
    "隐患部位",
    "发现日期",
    "隐患等级",
    "整改责任人",
    "整改期限",
    "整改状态",
    "整改完成日期",
    "验收人",
    "验收日期",
    "整改措施",
    "整改资金（元）",
]
_PLACES = ("1号机组", "升压站", "输煤栈桥", "化学水处理车间", "3号风机", "主控楼", "油库")
_WHAT = ("护栏缺失", "防坠器失效", "消防通道堵塞", "接地线锈蚀", "警示标识缺失", "电缆沟积水")
_PEOPLE = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏")
_READ_ONLY = """\
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
for row in wb.worksheets[0].iter_rows(values_only=True):
    pass
"""


def write_sheet_unit(rows: int, folder: Path, seed: int = 20261128) -> Path:
    """A unit file and ``ledgers/隐患台账.xlsx`` with ``rows`` hidden dangers; returns the unit."""
    import openpyxl

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ledgers").mkdir(exist_ok=True)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("隐患台账")
    ws.append(HEADER)
    for k in range(rows):
        found = AS_OF - dt.timedelta(days=rng.randint(20, 330))
        deadline = found + dt.timedelta(days=rng.randint(7, 60))
        major = rng.random() < 0.01
        closed = deadline < AS_OF or rng.random() < 0.5
        closed_on = min(found + dt.timedelta(days=rng.randint(2, 6)), AS_OF) if closed else None
        ws.append(
            [
                f"HD-{k + 1:06d}",
                f"{rng.choice(_PLACES)}{rng.choice(_WHAT)}",
                rng.choice(_PLACES),
                found if k % 2 else f"{found.year}/{found.month}/{found.day}",
                "重大" if major else "一般",
                rng.choice(_PEOPLE),
                deadline,
                "已整改" if closed else "整改中",
                closed_on,
                rng.choice(_PEOPLE) if closed else None,
                closed_on,
                "立即整改并加强巡检",
                f"{rng.randint(1, 50) * 1000:,}",
            ]
        )
    book = folder / "ledgers" / "隐患台账.xlsx"
    wb.save(book)
    unit = folder / "unit.yaml"
    unit.write_text(
        "unit: {id: sheet-bench, name: 表格基准单位, kind: 燃煤发电, employees: 620人}\n"
        f"valid_on: {AS_OF.isoformat()}\n"
        "risks:\n  hidden_dangers: {from: ledgers/隐患台账.xlsx, sheet: 隐患台账}\n",
        encoding="utf-8",
    )
    return unit


def bench_sheets(ctx: Context) -> list[Row]:
    """Check of a unit with N hidden dangers from a workbook vs openpyxl read-only alone."""
    from benchmarks.run import Row, alternate, fmt_time, median, run, runs_text

    n, big = ctx.cfg.sheet_rows, ctx.cfg.sheet_memory_rows
    unit = write_sheet_unit(n, ctx.work / f"sheet-{n}")
    book = unit.parent / "ledgers" / "隐患台账.xlsx"
    tool_cmd = ctx.check_cmd(unit, ctx.work / f"sheet-{n}.json")
    base_cmd = [ctx.python, "-c", _READ_ONLY, str(book)]
    base, tool = alternate(
        [lambda: run(base_cmd).wall, lambda: run(tool_cmd).wall],
        ctx.cfg.reps,
        ctx.cfg.warmup,
        f"sheet {n}",
        ctx.log,
    )
    large = write_sheet_unit(big, ctx.work / f"sheet-{big}")
    peak = run(ctx.check_cmd(large, ctx.work / f"sheet-{big}.json"))
    alone = run([ctx.python, "-c", _READ_ONLY, str(large.parent / "ledgers" / "隐患台账.xlsx")])
    ctx.log(
        f"  sheet memory {big}: {peak.max_rss_mb:.0f} MB (openpyxl alone {alone.max_rss_mb:.0f} MB)"
    )
    size = book.stat().st_size // 1024
    return [
        Row(
            f"Check of a unit with {n} hidden dangers from a workbook",
            median(tool),
            median(base),
            limit=2,
            runs=runs_text([base, tool]),
            note=f"ledger of {n} rows x {len(HEADER)} columns, {size} KB; full pack, JSON",
            baseline_label="openpyxl read-only of the same workbook",
        ),
        Row(
            f"Peak memory: check of a {big}-row ledger",
            peak.max_rss_mb,
            alone.max_rss_mb,
            unit="MB",
            limit=300,
            absolute=True,
            runs="1 run",
            note=f"the check took {fmt_time(peak.wall)} ({fmt_time(alone.wall)} for openpyxl alone)",
            baseline_label="openpyxl read-only, rows discarded",
        ),
    ]
