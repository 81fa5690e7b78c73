"""Benchmark of a unit whose hidden dangers come from a workbook (issue 11, point 7).

Two rows for :mod:`benchmarks.run`:

* ``compliance check`` of a unit whose N hidden dangers are read from an ``.xlsx`` ledger,
  against openpyxl alone reading that workbook in read-only mode (each in a fresh process,
  so both pay the interpreter's start and their imports); the limit is 2x.
* peak RSS of that check with a 100,000-row ledger; the limit is 300 MB.

The ledger is written once per size with a fixed seed by
:func:`benchmarks.generate.write_sheet_unit`, from the generator's texts and people.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from benchmarks.generate import SHEET_HEADER, write_sheet_unit

if TYPE_CHECKING:  # the runner imports this module; avoid a cycle at run time
    from benchmarks.run import Context, Row

_READ_ONLY = """\
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
for row in wb.worksheets[0].iter_rows(values_only=True):
    pass
"""


def bench_sheets(ctx: Context) -> list[Row]:
    """Check of a unit with N hidden dangers from a workbook vs openpyxl read-only alone."""
    from benchmarks.run import SEED, Row, alternate, fmt_time, ratio_row, run, wall

    n, big = ctx.cfg.sheet_rows, ctx.cfg.sheet_memory_rows
    unit = write_sheet_unit(n, ctx.work / f"sheet-{n}", SEED)
    book = unit.parent / "ledgers" / "隐患台账.xlsx"
    tool_cmd = ctx.check_cmd(unit, ctx.work / f"sheet-{n}.json")
    base_cmd = [ctx.python, "-c", _READ_ONLY, str(book)]
    base, tool = alternate(
        [wall(base_cmd), wall(tool_cmd)],
        ctx.cfg.reps,
        ctx.cfg.warmup,
        f"sheet {n}",
        ctx.log,
    )
    large = write_sheet_unit(big, ctx.work / f"sheet-{big}", SEED)
    peak = run(ctx.check_cmd(large, ctx.work / f"sheet-{big}.json"), own_peak=True)
    alone = run(
        [ctx.python, "-c", _READ_ONLY, str(large.parent / "ledgers" / "隐患台账.xlsx")],
        own_peak=True,
    )
    ctx.log(
        f"  sheet memory {big}: {peak.max_rss_mb:.0f} MB (openpyxl alone {alone.max_rss_mb:.0f} MB)"
    )
    size = book.stat().st_size // 1024
    return [
        ratio_row(
            f"Check of a unit with {n} hidden dangers from a workbook",
            base,
            tool,
            limit=2,
            note=f"ledger of {n} rows x {len(SHEET_HEADER)} columns, {size} KB; full pack, JSON",
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
