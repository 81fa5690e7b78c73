"""Run every benchmark of ``compliance`` against its baseline, side by side, and print a table.

Usage (from the repository root)::

    .venv/bin/python -m benchmarks.run            # full run: ~14 min idle, longer when busy
    .venv/bin/python -m benchmarks.run --quick    # smoke run on a few units, well under a minute
    .venv/bin/python -m benchmarks.run --only check,startup --json out.json

Each benchmark times the tool and its baseline in the same run, alternating them (the order
rotates every repetition, so drift in the machine's speed hits both alike), and reports the
ratio of the medians. Command-line measurements run the installed ``compliance`` script in a
subprocess; rendering measurements call the library in this process after a warm-up render.

The inputs are synthetic groups from :mod:`benchmarks.generate` (fixed seed), written to a
temporary folder that is removed afterwards (``--workdir DIR --keep`` keeps them).

Timing belongs here, never in the test suite: ``tests/test_benchmarks.py`` only runs these code
paths on a few units to keep them working.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

from benchmarks.generate import (
    AS_OF,
    generate,
    write_dangers_unit,
    write_findings_unit,
    write_long_text_unit,
    write_signin_meeting,
)
from benchmarks.sheets import bench_sheets

SEED = 20261128
ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = (
    "startup",
    "check",
    "memory",
    "parallel",
    "render",
    "docx",
    "group",
    "diff",
    "sheets",
    "libreoffice",
    "big",
)

_LOAD_ALL = """\
import pathlib, sys, yaml
for p in sorted(pathlib.Path(sys.argv[1]).glob("*.yaml")):
    yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)
"""
_LOAD_AND_KEEP = """\
import pathlib, sys, yaml
kept = [yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)
        for p in sorted(pathlib.Path(sys.argv[1]).glob("*.yaml"))]
"""
_LOAD_JSON = """\
import json, sys
kept = [json.load(open(p, encoding="utf-8")) for p in sys.argv[1:]]
"""
_BURN = "x = 0\nfor i in range({loops}):\n    x += i\n"


@dataclass(frozen=True)
class Config:
    """Sizes and repetitions of one run."""

    quick: bool = False
    check_units: int = 1000
    memory_units: int = 5000
    group_small: int = 100
    group_large: int = 1000
    parallel_units: int = 50
    docx_rows: tuple[int, int, int] = (500, 1000, 2000)
    reps: int = 5
    startup_reps: int = 10
    long_reps: int = 3  # the group report of 1,000 units and the 50 reports take minutes
    memory_reps: int = 1
    warmup: bool = True
    report_formats: str = "pdf,docx"  # of the parallel benchmark's unit reports
    dangers: tuple[int, int] = (450, 4500)  # hidden dangers of one unit, small and large
    participants: tuple[int, int] = (1000, 10000)  # of a sign-in sheet, small and large
    text_bytes: tuple[int, int] = (2500, 25000)  # a unit name and a hidden danger's text
    big_reps: int = 3
    # a run of the large input killed after this long: the row fails. Above 12x the small input
    # (the limit), so that a run that is merely slow on a busy machine is measured, not killed
    big_timeout: float = 600.0
    diff_units: int = 5000
    sheet_rows: int = 10_000  # hidden dangers read from a workbook (benchmarks.sheets)
    sheet_memory_rows: int = 100_000
    probe_reps: int = 3  # the cores probe before and after the parallel benchmark
    burn_loops: int = 6_000_000  # the CPU-bound process of the cores probe (about 0.4 s)
    # the unit of the LibreOffice unit-report row (a file of samples/; None: the largest) and
    # the units of its group-report row (None: all the samples)
    libreoffice_unit: str | None = None
    libreoffice_group: tuple[str, ...] | None = None


FULL = Config()
QUICK = Config(
    quick=True,
    check_units=5,
    memory_units=10,
    group_small=3,
    group_large=6,
    parallel_units=4,
    docx_rows=(20, 40, 80),
    reps=2,
    startup_reps=2,
    long_reps=1,
    memory_reps=1,
    warmup=False,
    dangers=(20, 200),
    participants=(50, 500),
    text_bytes=(250, 2500),
    big_reps=1,
    diff_units=10,
    sheet_rows=50,
    sheet_memory_rows=200,
)


@dataclass
class Row:
    """One line of the results table.

    ``ratio`` is ``tool / baseline`` unless ``inverse`` (then ``baseline / tool``: a speed-up).
    ``limit`` is compared with the ratio, or with the tool's figure itself when ``absolute``.
    """

    name: str
    tool: float
    baseline: float
    unit: str = "s"
    limit: float | None = None
    inverse: bool = False
    absolute: bool = False
    at_least: bool = False
    runs: str = ""
    note: str = ""
    tool_label: str = ""
    baseline_label: str = ""

    @property
    def ratio(self) -> float:
        """The measured ratio."""
        if self.inverse:
            return self.baseline / self.tool if self.tool else float("inf")
        return self.tool / self.baseline if self.baseline else float("inf")

    @property
    def passed(self) -> bool | None:
        """Whether the limit holds (None when there is no limit)."""
        if self.limit is None:
            return None
        value = self.tool if self.absolute else self.ratio
        return value >= self.limit if self.at_least else value <= self.limit

    def limit_text(self) -> str:
        """The limit as printed in the table."""
        if self.limit is None:
            return "—"
        op = "≥" if self.at_least else ("<" if self.absolute else "≤")
        return f"{op} {self.limit:g} {self.unit}" if self.absolute else f"{op} {self.limit:g}x"


def ratio_row(
    name: str,
    base: list[float],
    tool: list[float],
    limit: float,
    note: str,
    baseline_label: str,
) -> Row:
    """The row of a timed comparison: the medians of the tool's and the baseline's times."""
    return Row(
        name,
        median(tool),
        median(base),
        limit=limit,
        runs=runs_text([base, tool]),
        note=note,
        baseline_label=baseline_label,
    )


@dataclass
class Context:
    """Where things are during a run."""

    work: Path
    cfg: Config
    python: str = sys.executable
    cli: list[str] = field(default_factory=list)
    config_file: Path | None = None
    log: Callable[[str], None] = print
    groups: dict[int, Path] = field(default_factory=dict)
    results: dict[int, Path] = field(default_factory=dict)

    def group(self, n: int) -> Path:
        """The folder of the synthetic group of ``n`` units (generated on first use)."""
        if n not in self.groups:
            folder = self.work / f"units-{n}"
            generate(n, SEED, folder)
            self.groups[n] = folder
        return self.groups[n]

    def result(self, n: int) -> Path:
        """The JSON result of checking the group of ``n`` units (made on first use)."""
        if n not in self.results:
            out = self.work / f"result-{n}.json"
            run(self.check_cmd(self.group(n), out))
            self.results[n] = out
        return self.results[n]

    def check_cmd(self, folder: Path, out: Path | None = None) -> list[str]:
        """``compliance check`` with the full pack, JSON output (line numbers, fingerprints)."""
        cmd = [*self.cli, "check", str(folder), "--rules", "cn-work-safety"]
        cmd += ["--as-of", AS_OF.isoformat(), "--format", "json", "--fail-on", "never"]
        return cmd + (["--output", str(out)] if out is not None else [])


# ------------------------------------------------------------------------------ measuring


@dataclass
class Run:
    """One subprocess run: wall time, CPU time (its own and its children's) and peak RSS."""

    wall: float
    cpu: float
    max_rss_mb: float


def run(
    cmd: list[str], cwd: Path | None = None, timeout: float | None = None, own_peak: bool = False
) -> Run:
    """Run ``cmd`` to completion, discarding its output; raise if it fails.

    With ``timeout``, a run that takes longer is killed and :class:`TimeoutError` raised. With
    ``own_peak``, the peak RSS is the command's own, measured by GNU time: a child forked from
    this process (large after other benchmarks, or inside a test run) inherits its peak RSS as
    a floor in wait4's figure.
    """
    if own_peak:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "rss"
            measured = run([*_gnu_time(out), *cmd], cwd, timeout)
            return Run(measured.wall, measured.cpu, _peak_mb(out, measured.max_rss_mb))
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=cwd)
        timer = threading.Timer(timeout, proc.kill) if timeout else None
        if timer is not None:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if timer is not None:
            timer.cancel()
            if timeout is not None and wall >= timeout:
                raise TimeoutError(f"{' '.join(cmd)}: killed after {timeout:g} s")
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{tail}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def wall(cmd: list[str]) -> Callable[[], float]:
    """A measurement of ``cmd``'s wall time as a subprocess."""
    return lambda: run(cmd).wall


def timed(fn: Callable[[], object]) -> Callable[[], float]:
    """A measurement of ``fn``'s wall time."""

    def measure() -> float:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    return measure


def alternate(
    measures: list[Callable[[], float]],
    reps: int,
    warmup: bool,
    label: str,
    log: Callable[[str], None],
) -> list[list[float]]:
    """Run the measurements in turn ``reps`` times, rotating their order every repetition.

    With a warm-up, each runs once first, untimed. Returns one list of times per measurement.
    """
    if warmup:
        for m in measures:
            m()
    times: list[list[float]] = [[] for _ in measures]
    for rep in range(reps):
        order = list(range(len(measures)))
        shift = rep % len(measures)
        order = order[shift:] + order[:shift]
        for i in order:
            times[i].append(measures[i]())
        log(f"  {label} {rep + 1}/{reps}: " + ", ".join(f"{fmt_time(t[-1])}" for t in times))
    return times


def median(values: list[float]) -> float:
    """The median."""
    return statistics.median(values)


def fmt_time(seconds: float) -> str:
    """``0.0123`` -> ``12.3 ms``; ``12.3`` -> ``12.3 s``."""
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def fmt_value(value: float, unit: str) -> str:
    """A figure with its unit."""
    return fmt_time(value) if unit == "s" else f"{value:.0f} {unit}"


def runs_text(times: list[list[float]]) -> str:
    """``5 runs`` (or ``5/5 runs`` when the lists differ)."""
    counts = sorted({len(t) for t in times})
    text = "/".join(map(str, counts))
    return text + (" run" if counts == [1] else " runs")


def load_average() -> str:
    """The 1-minute load average, which shows other work on the machine."""
    return f"{os.getloadavg()[0]:.2f}"


# ------------------------------------------------------------------------------ benchmarks


def probe(ctx: Context, reps: int) -> tuple[list[float], list[float]]:
    """Times of one CPU-bound process alone and of two at once (equal on two free cores)."""
    cmd = [ctx.python, "-c", _BURN.format(loops=ctx.cfg.burn_loops)]

    def two() -> float:
        start = time.perf_counter()
        procs = [subprocess.Popen(cmd) for _ in range(2)]
        for p in procs:
            p.wait()
        return time.perf_counter() - start

    one, pair = alternate([wall(cmd), two], reps, False, "cores probe", ctx.log)
    return one, pair


def bench_calibration(ctx: Context) -> list[Row]:
    """How much parallel CPU the machine has right now: one CPU-bound process against two."""
    one, pair = probe(ctx, ctx.cfg.reps)
    return [
        Row(
            "Machine: 2 CPU-bound processes vs 1 (2 free cores: about 1.0x)",
            median(pair),
            median(one),
            runs=runs_text([one, pair]),
            note="calibration only, no limit: shows whether both cores were free during the run",
            tool_label="2 at once",
            baseline_label="1 alone",
        )
    ]


def bench_startup(ctx: Context) -> list[Row]:
    """``compliance --version`` and ``compliance check UNIT`` against importing the libraries."""
    unit = ctx.group(max(ctx.cfg.check_units, 6)) / "u0006.yaml"
    baseline = [ctx.python, "-c", "import click, yaml, jinja2"]
    version = [*ctx.cli, "--version"]
    check = [*ctx.cli, "check", str(unit), "--as-of", AS_OF.isoformat(), "--fail-on", "never"]
    # Byte-compile the package first, as 'pip install .' does: the libraries of the baseline
    # are compiled, and with PYTHONDONTWRITEBYTECODE=1 an editable install would otherwise
    # compile every module of the tool from source on every run (about 100 ms here).
    subprocess.run([ctx.python, "-m", "compileall", "-q", _package_folder()], check=True)
    base, ver, chk = alternate(
        [wall(baseline), wall(version), wall(check)],
        ctx.cfg.startup_reps,
        ctx.cfg.warmup,
        "start-up",
        ctx.log,
    )
    runs = runs_text([base, ver, chk])
    label = "python -c 'import click, yaml, jinja2'"
    return [
        Row(
            "Start-up: compliance --version",
            median(ver),
            median(base),
            limit=1.5,
            runs=runs,
            baseline_label=label,
        ),
        Row(
            "Start-up: compliance check of one unit",
            median(chk),
            median(base),
            limit=1.5,
            runs=runs,
            note=f"{unit.name}: one synthetic unit, text output; modules byte-compiled",
            baseline_label=label,
        ),
    ]


def bench_check(ctx: Context) -> list[Row]:
    """``compliance check`` (full pack, JSON) over N units against CSafeLoader of the files."""
    n = ctx.cfg.check_units
    folder = ctx.group(n)
    out = ctx.work / f"result-{n}.json"
    tool_cmd = ctx.check_cmd(folder, out)
    base_cmd = [ctx.python, "-c", _LOAD_ALL, str(folder)]
    rss: list[float] = []

    def tool() -> float:
        r = run(tool_cmd, own_peak=True)
        rss.append(r.max_rss_mb)
        return r.wall

    # no warm-up: the files were just written (page cache) and the start-up benchmark has
    # already compiled the modules; a warm-up of 1,000 units would cost half a minute
    base, tl = alternate([wall(base_cmd), tool], ctx.cfg.reps, False, f"check {n}", ctx.log)
    ctx.results[n] = out
    data = json.loads(out.read_text("utf-8"))
    summary = data["summary"]
    lines = sum(p.read_text("utf-8").count("\n") for p in folder.glob("*.yaml"))
    note = (
        f"{n} units, {lines // n} lines each on average; {summary['findings']} findings, "
        f"{len(data['diagnostics'])} diagnostics; {median(tl) / n * 1000:.1f} ms a unit; "
        f"peak RSS {max(rss):.0f} MB"
    )
    return [
        ratio_row(
            f"Check throughput: {n} units, full pack, JSON",
            base,
            tl,
            limit=2,
            note=note,
            baseline_label="yaml.load(CSafeLoader) of the same files",
        ),
    ]


def bench_memory(ctx: Context) -> list[Row]:
    """Peak RSS of ``compliance check`` over N units (one subprocess, its own peak RSS)."""
    n = ctx.cfg.memory_units
    folder = ctx.group(n)
    tool_cmd = ctx.check_cmd(folder, ctx.work / f"result-{n}.json")
    base_cmd = [ctx.python, "-c", _LOAD_AND_KEEP, str(folder)]
    tool_runs: list[Run] = []
    base_runs: list[Run] = []
    for rep in range(ctx.cfg.memory_reps):
        tool_runs.append(run(tool_cmd, own_peak=True))
        base_runs.append(run(base_cmd, own_peak=True))
        ctx.log(
            f"  memory {n} {rep + 1}/{ctx.cfg.memory_reps}: tool {tool_runs[-1].max_rss_mb:.0f} MB "
            f"in {fmt_time(tool_runs[-1].wall)}, baseline {base_runs[-1].max_rss_mb:.0f} MB"
        )
    peak = median([r.max_rss_mb for r in tool_runs])
    note = (
        "measured once: the peak is deterministic (the same to the MB in repeated runs) and "
        f"the check with its baseline takes minutes at full size; {n} units; the check took "
        f"{fmt_time(median([r.wall for r in tool_runs]))} "
        f"({median([r.wall for r in tool_runs]) / n * 1000:.1f} ms a unit); baseline: "
        "every file loaded with CSafeLoader and kept in a list"
    )
    return [
        Row(
            f"Peak memory: check over {n} units",
            peak,
            median([r.max_rss_mb for r in base_runs]),
            unit="MB",
            limit=500,
            absolute=True,
            runs=f"{len(tool_runs)} run" + ("s" if len(tool_runs) > 1 else ""),
            note=note,
            baseline_label="CSafeLoader, all data kept",
        ),
    ]


def bench_parallel(ctx: Context) -> list[Row]:
    """``compliance report --from RESULT --no-group`` of N units with ``--jobs 2`` vs ``1``."""
    n = ctx.cfg.parallel_units
    result = ctx.result(n)
    cpu: dict[int, list[float]] = {1: [], 2: []}

    def report(jobs: int) -> Callable[[], float]:
        out = ctx.work / f"reports-jobs{jobs}"
        cmd = [*ctx.cli, "report", "--from", str(result), "--no-group", "--out", str(out)]
        cmd += ["--jobs", str(jobs), "--format", ctx.cfg.report_formats]
        if ctx.config_file is not None:
            cmd += ["--config", str(ctx.config_file)]

        def measure() -> float:
            r = run(cmd, cwd=ctx.work)
            cpu[jobs].append(r.cpu)
            return r.wall

        return measure

    before = probe(ctx, ctx.cfg.probe_reps)
    one, two = alternate(
        [report(1), report(2)], ctx.cfg.long_reps, False, f"report {n} units, jobs 1|2", ctx.log
    )
    after = probe(ctx, ctx.cfg.probe_reps)
    cores = [median(before[1]) / median(before[0]), median(after[1]) / median(after[0])]
    note = (
        f"{n} unit reports ({ctx.cfg.report_formats}) from a saved result; CPU time (all processes) "
        f"{median(cpu[1]):.0f} s with --jobs 1, {median(cpu[2]):.0f} s with --jobs 2; "
        f"two CPU-bound processes took {cores[0]:.2f}x / {cores[1]:.2f}x the time of one "
        "just before / after (1.0x: both cores free)"
    )
    return [
        Row(
            f"Parallel: {n} unit reports, --jobs 2 vs --jobs 1",
            median(two),
            median(one),
            limit=1.6,
            inverse=True,
            at_least=True,
            runs=runs_text([one, two]),
            note=note,
            tool_label="--jobs 2",
            baseline_label="--jobs 1",
        ),
    ]


@contextmanager
def _capture_documents(write: bool = True) -> Iterator[list[Any]]:
    """Record every prepared document that ``render_unit``/``render_group`` write.

    Without ``write`` the documents are only prepared (context, chart, HTML), not laid out or
    written: a benchmark that times its own steps on the captured HTML needs nothing more.
    """
    from compliance.render import documents, reports

    captured: list[Any] = []
    original = documents.write_formats

    def spy(doc: Any, stem: str, opts: Any) -> list[Path]:
        captured.append(doc)
        return original(doc, stem, opts) if write else []

    with mock.patch.object(reports, "write_formats", spy):
        yield captured


def _options(ctx: Context, formats: tuple[str, ...], out: str) -> Any:
    from compliance.render.config import load_branding
    from compliance.render.documents import Options

    branding = load_branding(ctx.config_file)
    return Options(out=ctx.work / out, formats=formats, lang="en", branding=branding)


def _median_unit(result: Mapping[str, Any]) -> tuple[str, int]:
    """The unit with the median number of open findings (ties: the lowest id)."""
    counts = {u["id"]: 0 for u in result["units"]}
    for f in result["findings"]:
        if not f["waived"]:
            counts[f["unit"]] += 1
    ranked = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return ranked[len(ranked) // 2]


def bench_render(ctx: Context) -> list[Row]:
    """One unit's PDF (context, chart, HTML, PDF) against WeasyPrint alone on its final HTML."""
    from weasyprint import CSS, HTML

    from compliance.render.assets import make_fetcher
    from compliance.render.reports import load_result, render_unit

    result = load_result(ctx.result(ctx.cfg.parallel_units))
    uid, count = _median_unit(result)
    pdf_opts = _options(ctx, ("pdf",), "render-pdf")
    docx_opts = _options(ctx, ("docx",), "render-docx")
    with _capture_documents(write=False) as docs:
        render_unit(result, uid, pdf_opts)
    doc = docs[-1]

    def weasyprint_alone() -> None:
        fetcher = make_fetcher(doc.assets)
        html = HTML(string=doc.html, base_url="generated:/", url_fetcher=fetcher)
        html.write_pdf(stylesheets=[CSS(string=doc.css, url_fetcher=fetcher)])

    base, pdf, docx = alternate(
        [
            timed(weasyprint_alone),
            timed(lambda: render_unit(result, uid, pdf_opts)),
            timed(lambda: render_unit(result, uid, docx_opts)),
        ],
        ctx.cfg.reps,
        ctx.cfg.warmup,
        f"unit report {uid}: weasyprint|pdf|docx",
        ctx.log,
    )
    runs = runs_text([base, pdf, docx])
    note = f"unit {uid} ({count} open findings, the median unit of {len(result['units'])})"
    return [
        Row(
            "Rendering: one unit's PDF report vs WeasyPrint alone",
            median(pdf),
            median(base),
            limit=1.3,
            runs=runs,
            note=note + "; tool = context, chart, HTML and PDF",
            tool_label="render_unit(pdf)",
            baseline_label="HTML(string=final).write_pdf",
        ),
        Row(
            "Rendering: the same report's DOCX vs its PDF",
            median(docx),
            median(pdf),
            limit=1.0,
            runs=runs,
            note=note,
            tool_label="render_unit(docx)",
            baseline_label="render_unit(pdf)",
        ),
    ]


def bench_docx(ctx: Context) -> list[Row]:
    """``html_to_docx`` of unit reports with N findings: time grows linearly with N."""
    from compliance.render import limits, report_context
    from compliance.render.reports import render_unit
    from compliance.render.word import html_to_docx
    from compliance.rulepack import load_pack
    from compliance.runner import run_check

    pack = load_pack("cn-work-safety")
    html: dict[int, Any] = {}
    rows: dict[int, int] = {}
    for n in ctx.cfg.docx_rows:
        path = write_findings_unit(n, SEED, ctx.work / f"findings-{n}" / "unit.yaml")
        result = run_check([str(path)], pack, AS_OF).to_json("en")
        rows[n] = sum(1 for f in result["findings"] if f["rule"] == "RESP-03")
        # documents list 50 findings of a rule; this measures the converter on long tables
        with (
            _capture_documents(write=False) as docs,
            mock.patch.object(report_context, "ROWS_PER_RULE", n + 50),
            mock.patch.object(limits, "ROWS_PER_RULE", n + 50),
        ):
            render_unit(result, result["units"][0]["id"], _options(ctx, ("docx",), "docx-rows"))
        html[n] = docs[-1]

    def convert(n: int) -> Callable[[], float]:
        doc = html[n]
        return timed(lambda: html_to_docx(doc.html, doc.assets.load, lang="en", css=doc.css))

    small, middle, large = ctx.cfg.docx_rows
    times = alternate(
        [convert(n) for n in ctx.cfg.docx_rows],
        ctx.cfg.reps,
        ctx.cfg.warmup,
        "docx " + "|".join(map(str, ctx.cfg.docx_rows)) + " rows",
        ctx.log,
    )
    t_small, t_middle, t_large = (median(t) for t in times)
    scale = large / small
    note = (
        f"unit report whose findings table and rectification plan have {rows[large]}, "
        f"{rows[middle]}, {rows[small]} rows; {fmt_time(t_small)} / {fmt_time(t_middle)} / "
        f"{fmt_time(t_large)}; linear = {scale:g}x, quadratic = {scale**2:g}x"
    )
    return [
        Row(
            f"DOCX table: {large} rows vs {small} rows (linear time)",
            t_large,
            t_small,
            limit=scale * 1.25,
            runs=runs_text(times),
            note=note,
            tool_label=f"{large} rows",
            baseline_label=f"{small} rows",
        ),
    ]


def bench_group(ctx: Context) -> list[Row]:
    """The group report (PDF and DOCX) of the large group against the small one."""
    from compliance.render.reports import load_result, render_group

    small, large = ctx.cfg.group_small, ctx.cfg.group_large
    paths = {n: ctx.result(n) for n in (small, large)}
    opts = _options(ctx, ("pdf", "docx"), "group")

    def group(n: int) -> Callable[[], float]:
        return timed(lambda: render_group(load_result(paths[n]), opts))

    if ctx.cfg.warmup:
        group(small)()
    t_small, t_large = alternate(
        [group(small), group(large)], ctx.cfg.long_reps, False, f"group {small}|{large}", ctx.log
    )
    note = (
        f"`report --from RESULT.json` for the group report only (load_result + render_group, "
        f"PDF and DOCX); {large / small:g}x the units"
    )
    return [
        Row(
            f"Scale: group report of {large} units vs {small} units",
            median(t_large),
            median(t_small),
            limit=12,
            runs=runs_text([t_small, t_large]),
            note=note,
            tool_label=f"{large} units",
            baseline_label=f"{small} units",
        ),
    ]


def bench_diff(ctx: Context) -> list[Row]:
    """``compliance diff`` of two N-unit results (a quarter apart) against ``json.load`` of both.

    The old result is the group checked at the benchmarks' as-of date, the new one the same
    group a quarter later (deadlines pass, certificates expire: new findings, some resolved).
    Time and peak RSS come from the same runs; the diff writes its JSON report.
    """
    n = ctx.cfg.diff_units
    old = ctx.result(n)
    new = ctx.work / f"result-{n}-later.json"
    later = (AS_OF + dt.timedelta(days=91)).isoformat()
    cmd = ctx.check_cmd(ctx.group(n), new)
    cmd[cmd.index("--as-of") + 1] = later
    run(cmd)
    tool_cmd = [*ctx.cli, "diff", str(old), str(new), "--format", "json", "--fail-on", "never"]
    tool_cmd += ["--output", str(ctx.work / "diff.json")]
    base_cmd = [ctx.python, "-c", _LOAD_JSON, str(old), str(new)]
    tool_runs: list[Run] = []
    base_runs: list[Run] = []

    def measure(cmd: list[str], into: list[Run]) -> Callable[[], float]:
        def go() -> float:
            into.append(run(cmd, own_peak=True))
            return into[-1].wall

        return go

    base, tool = alternate(
        [measure(base_cmd, base_runs), measure(tool_cmd, tool_runs)],
        ctx.cfg.reps,
        False,  # both files were just written: the page cache is warm
        f"diff {n}",
        ctx.log,
    )
    size = (old.stat().st_size + new.stat().st_size) / 1e6
    report = json.loads((ctx.work / "diff.json").read_text("utf-8"))["summary"]["by_status"]
    note = (
        f"{n} units, results of {AS_OF.isoformat()} and {later}, {size:.0f} MB of JSON; "
        + ", ".join(f"{v} {k}" for k, v in report.items())
    )
    peak = max(r.max_rss_mb for r in tool_runs)
    return [
        ratio_row(
            f"Diff: two results of {n} units, JSON report",
            base,
            tool,
            limit=2,
            note=note,
            baseline_label="json.load of both files",
        ),
        Row(
            f"Peak memory: diff of two {n}-unit results",
            peak,
            max(r.max_rss_mb for r in base_runs),
            unit="MB",
            limit=500,
            absolute=True,
            runs=runs_text([base, tool]),
            note="highest peak RSS of the timed runs; baseline: both files loaded with json.load",
            baseline_label="json.load, both kept",
        ),
    ]


SOFFICE = ("soffice", "libreoffice")


def _soffice() -> str | None:
    """The LibreOffice program, if installed."""
    for name in SOFFICE:
        path = shutil.which(name)
        if path:
            return path
    return None


def bench_libreoffice(ctx: Context) -> list[Row]:
    """The tool's PDF (whole process) against LibreOffice converting the tool's own DOCX.

    The user's alternative to the tool's PDF is to convert its DOCX with LibreOffice; the tool
    should be at least as fast. Unit report: the largest sample unit; group report: the samples
    (``Config.libreoffice_unit`` and ``libreoffice_group`` choose smaller ones).
    """
    soffice = _soffice()
    if soffice is None:
        ctx.log(
            "libreoffice: SKIPPED, LibreOffice is not installed "
            "(apt-get install -y libreoffice-writer-nogui); no row in the table"
        )
        return []
    samples = ROOT / "samples"
    if ctx.cfg.libreoffice_unit is None:
        unit = max(
            (p for p in samples.glob("*.yaml") if p.name != "compliance.yaml"),
            key=lambda p: (p.stat().st_size, p.name),
        )
        unit_label = f"the largest sample unit ({unit.stem})"
    else:
        unit = samples / f"{ctx.cfg.libreoffice_unit}.yaml"
        unit_label = f"the sample unit {unit.stem}"
    group, group_label = samples, "the samples"
    if ctx.cfg.libreoffice_group is not None:
        group = ctx.work / "lo-samples"
        group.mkdir(exist_ok=True)
        for name in ctx.cfg.libreoffice_group:
            shutil.copyfile(samples / f"{name}.yaml", group / f"{name}.yaml")
        group_label = "the sample units " + ", ".join(ctx.cfg.libreoffice_group)
    as_of = ["--as-of", AS_OF.isoformat(), "--config", str(samples / "compliance.yaml")]
    cases = [
        (f"unit report of {unit_label}", [str(unit), "--no-group"], f"unit-report-{unit.stem}"),
        (f"group report of {group_label}", [str(group), "--no-unit-reports"], "group-report"),
    ]
    profile = ctx.work / "lo-profile"  # its own profile: no first-start wizard, no lock clash
    rows = []
    for label, args, stem in cases:
        out = ctx.work / f"lo-{stem}"
        tool_cmd = [*ctx.cli, "report", *args, *as_of, "--format", "pdf", "--out", str(out / "t")]
        run([*ctx.cli, "report", *args, *as_of, "--format", "docx", "--out", str(out / "d")])
        docx = out / "d" / f"{stem}.docx"
        lo_cmd = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out / "lo"),
            str(docx),
        ]
        if not ctx.cfg.warmup and not profile.exists():
            # LibreOffice's first start in a new profile takes several seconds: never timed
            run(lo_cmd)
        tool, lo = alternate(
            [wall(tool_cmd), wall(lo_cmd)],
            ctx.cfg.reps,
            ctx.cfg.warmup,
            f"libreoffice {stem}",
            ctx.log,
        )
        pages = _pages(out / "t" / f"{stem}.pdf"), _pages(out / "lo" / f"{stem}.pdf")
        rows.append(
            Row(
                f"Tool vs LibreOffice: {label}, PDF",
                median(tool),
                median(lo),
                limit=1.0,
                runs=runs_text([tool, lo]),
                note=f"whole process: `compliance report ... --format pdf` (check and PDF, "
                f"{pages[0]} pages) against `soffice --headless --convert-to pdf` of the tool's "
                f"DOCX of the same report ({pages[1]} pages)",
                tool_label="compliance report",
                baseline_label="soffice --convert-to pdf",
            )
        )
    return rows


def _gnu_time(out: Path) -> list[str]:
    """``/usr/bin/time`` writing the peak RSS (KB) to ``out``, when installed."""
    return ["/usr/bin/time", "-f", "%M", "-o", str(out)] if Path("/usr/bin/time").exists() else []


def _peak_mb(out: Path, fallback: float) -> float:
    """The peak RSS that ``_gnu_time`` wrote, in MB (``fallback`` without it)."""
    try:
        return int(out.read_text().split()[-1]) / 1024
    except (OSError, ValueError, IndexError):
        return fallback


def _pages(pdf: Path) -> str:
    """Number of pages of a PDF ('?' if it cannot be read)."""
    try:
        from pypdf import PdfReader  # a dev dependency, like the benchmarks themselves

        return str(len(PdfReader(pdf).pages))
    except Exception:
        return "?"


def bench_big(ctx: Context) -> list[Row]:
    """Ten times the input takes at most ~12 times the time (and the sign-in sheet < 500 MB)."""
    small, large = ctx.cfg.dangers
    rows = [
        _report_scale_row(
            ctx,
            (small, large),
            lambda n, path: write_dangers_unit(n, SEED, path),
            "dangers",
            f"Scale: unit report (PDF and DOCX) with {large} hidden dangers vs {small}",
            "every hidden danger overdue (one finding each); documents list the first 50 "
            "findings of a rule and say how many more there are",
        )
    ]
    small, large = ctx.cfg.text_bytes
    rows.append(
        _report_scale_row(
            ctx,
            (small, large),
            lambda n, path: write_long_text_unit(n, SEED, path),
            "long",
            f"Scale: unit report (PDF and DOCX) with a {large // 1000} KB unit name vs "
            f"{small / 1000:g} KB",
            "the name (half words, half one unbroken run) and a hidden danger's description "
            "that long; documents shorten names and messages for display",
        )
    )
    from compliance.render.signin_parts import PART_ROWS

    small, large = ctx.cfg.participants
    meetings = {
        n: write_signin_meeting(n, ctx.work / f"signin-{n}" / f"m{n}.meeting.yaml")
        for n in (small, large)
    }
    rows.append(
        _scale_row(
            ctx,
            f"Scale: sign-in sheet (PDF and DOCX) of {large} participants vs {small}",
            {n: [*ctx.cli, "meeting", "signin", str(meetings[n])] for n in meetings},
            "signin",
            "every participant listed with a signature cell; the PDF laid out in parts of "
            f"{PART_ROWS} rows",
            memory_limit=500,
        )
    )
    return rows


def _report_scale_row(
    ctx: Context,
    sizes: tuple[int, int],
    write_unit: Callable[[int, Path], Path],
    stem: str,
    name: str,
    note: str,
) -> Row:
    """Check a unit of each size (``write_unit(size, path)``), then time its unit report."""
    results = {}
    for n in sizes:
        unit = write_unit(n, ctx.work / f"{stem}-{n}" / "unit.yaml")
        results[n] = ctx.work / f"{stem}-{n}.json"
        run(ctx.check_cmd(unit.parent, results[n]))
    cmds = {
        n: [*ctx.cli, "report", "--from", str(path), "--no-group"] for n, path in results.items()
    }
    return _scale_row(ctx, name, cmds, stem, note)


def _scale_row(
    ctx: Context,
    name: str,
    cmds: dict[int, list[str]],
    stem: str,
    note: str,
    memory_limit: float | None = None,
) -> Row:
    """Time the small and the large input's command; the ratio of the medians is the row."""
    small, large = sorted(cmds)
    rss: dict[int, list[float]] = {small: [], large: []}
    killed: list[int] = []
    timeout = ctx.cfg.big_timeout

    def measure(n: int) -> Callable[[], float]:
        cmd = [*cmds[n], "--out", str(ctx.work / f"{stem}-out-{n}")]

        def go() -> float:
            if n in killed:  # one run of this input past the time limit is enough to know
                return timeout
            peak = ctx.work / f"{stem}-{n}.rss"
            try:
                # GNU time reports the command's own peak: a child forked from this (large)
                # process would inherit its peak RSS as a floor in wait4's figure
                r = run([*_gnu_time(peak), *cmd], timeout=timeout)
            except TimeoutError:
                killed.append(n)
                return timeout
            rss[n].append(_peak_mb(peak, r.max_rss_mb))
            return r.wall

        return go

    t_small, t_large = alternate(
        [measure(small), measure(large)],
        ctx.cfg.big_reps,
        False,
        f"{stem} {small}|{large}",
        ctx.log,
    )
    peak = max(rss[large], default=0.0)
    extra = f"; peak RSS {max(rss[small], default=0.0):.0f} MB / {peak:.0f} MB" + (
        f" (limit {memory_limit:g} MB: {'pass' if peak < memory_limit else 'FAIL'})"
        if memory_limit
        else ""
    )
    if killed:
        extra += f"; the {max(killed)} run was killed after {timeout:g} s (did not finish)"
    scale = large / small
    over = killed or (memory_limit is not None and peak >= memory_limit)
    limit = 0.0 if over else 12.0  # killed or over the memory limit: the row fails
    return Row(
        name,
        median(t_large),
        median(t_small),
        limit=limit * scale / 10,
        runs=runs_text([t_small, t_large]),
        note=(note + "; " if note else "") + f"whole process from the command line, "
        f"{scale:g}x the input{extra}",
        tool_label=f"{large}",
        baseline_label=f"{small}",
    )


RUNNERS: dict[str, Callable[[Context], list[Row]]] = {
    "startup": bench_startup,
    "check": bench_check,
    "memory": bench_memory,
    "parallel": bench_parallel,
    "render": bench_render,
    "docx": bench_docx,
    "group": bench_group,
    "diff": bench_diff,
    "sheets": bench_sheets,
    "libreoffice": bench_libreoffice,
    "big": bench_big,
}


# ------------------------------------------------------------------------------ output


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = match.group(1).strip() if match else cpu
    except OSError:
        pass
    memory = "unknown"
    try:
        match = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        memory = f"{int(match.group(1)) / 1024**2:.1f} GiB" if match else memory
    except OSError:
        pass
    import weasyprint
    import yaml

    return {
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "os": platform.platform(),
        "libraries": f"PyYAML {yaml.__version__} (libyaml {'yes' if yaml.__with_libyaml__ else 'no'}), "
        f"WeasyPrint {weasyprint.__version__}",
    }


def table(rows: list[Row], smoke: bool = False) -> str:
    """The Markdown table of results, with numbered notes below it.

    In a smoke run (``--quick``) the result column says ``smoke``: the sizes are too small for
    the limits to mean anything.
    """
    out = [
        "| benchmark | tool | baseline | ratio | limit | result |",
        "|---|---:|---:|---:|---:|---|",
    ]
    notes = []
    for i, r in enumerate(rows, 1):
        verdict = {None: "info", True: "pass", False: "**FAIL**"}[r.passed]
        if smoke and r.passed is not None:
            verdict = "smoke"
        tool = fmt_value(r.tool, r.unit) + (f" ({r.tool_label})" if r.tool_label else "")
        base = fmt_value(r.baseline, r.unit) + (
            f" ({r.baseline_label})" if r.baseline_label else ""
        )
        ratio = f"{r.ratio:.2f}x"
        out.append(f"| {r.name} [{i}] | {tool} | {base} | {ratio} | {r.limit_text()} | {verdict} |")
        runs = r.runs if r.runs.startswith("1 ") else f"{r.runs}, medians"
        notes.append(f"{i}. {runs}. {r.note}".rstrip(". ") + ".")
    return "\n".join(out) + "\n\n" + "\n".join(notes) + "\n"


def _package_folder() -> str:
    """The folder of the ``compliance`` package that the command runs (same path as ours)."""
    spec = importlib.util.find_spec("compliance")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the compliance package is not importable")
    return str(spec.submodule_search_locations[0])


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("compliance")
    return [str(script)] if script.exists() else [sys.executable, "-m", "compliance"]


def _write_config(work: Path) -> Path:
    """A branding configuration like a real deployment's (with the samples' logo if present)."""
    text = (
        "organisation:\n  name: Beiyuan Power Group Co., Ltd.\n  name_zh: 北源电力集团有限公司\n"
        '  code: BYPG\ncolours:\n  primary: "#1F3A5F"\n  accent: "#C8102E"\n'
    )
    logo = ROOT / "samples" / "logo.png"
    if logo.is_file():
        shutil.copyfile(logo, work / "logo.png")
        text += "logo: logo.png\n"
    path = work / "compliance.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run_benchmarks(
    cfg: Config, work: Path, only: list[str] | None = None, log: Callable[[str], None] = print
) -> list[Row]:
    """Run the selected benchmarks (all by default) in ``work``; returns the table's rows."""
    work.mkdir(parents=True, exist_ok=True)
    ctx = Context(work=work, cfg=cfg, cli=_cli(), log=log)
    ctx.config_file = _write_config(work)
    rows = bench_calibration(ctx)
    for name in only or list(BENCHMARKS):
        started = time.perf_counter()
        log(f"{name}: started (load average {load_average()})")
        rows += RUNNERS[name](ctx)
        log(f"{name}: done in {fmt_time(time.perf_counter() - started)}")
    return rows


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: a few units, 1-2 repetitions"
    )
    parser.add_argument("--only", help="comma-separated subset of: " + ", ".join(BENCHMARKS))
    parser.add_argument(
        "--workdir", type=Path, help="folder for inputs and outputs (default: a temporary one)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--json", type=Path, help="also write the rows and the machine as JSON")
    args = parser.parse_args(argv)
    only = [s.strip() for s in args.only.split(",")] if args.only else None
    unknown = sorted(set(only or []) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmarks: {', '.join(unknown)}")
    cfg = QUICK if args.quick else FULL
    work = args.workdir or Path(tempfile.mkdtemp(prefix="compliance-bench-"))

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    try:
        rows = run_benchmarks(cfg, work, only, log)
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    info = machine()
    elapsed = time.perf_counter() - started
    mode = "quick (smoke: sizes reduced, limits not meaningful)" if cfg.quick else "full"
    print(f"compliance benchmarks, {mode}, {dt.date.today().isoformat()}, {fmt_time(elapsed)}\n")
    print(table(rows, smoke=cfg.quick))
    print(
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory']}, "
        f"Python {info['python']}, {info['os']}; {info['libraries']}."
    )
    if args.json:
        payload = {
            "mode": mode,
            "machine": info,
            "rows": [dataclasses.asdict(r) | {"ratio": r.ratio, "passed": r.passed} for r in rows],
        }
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
