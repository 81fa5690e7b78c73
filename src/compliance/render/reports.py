"""Gap reports: one per unit and one for the group, from a check result (JSON contract).

Units render in parallel with ``--jobs N`` (processes; each worker receives the result once).
"""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from compliance import progress
from compliance.areas import SEVERITIES
from compliance.diagnostics import ERROR, Diagnostic, InputError
from compliance.render.context import group_context, unit_context
from compliance.render.documents import (
    Options,
    RenderError,
    area_chart,
    new_assets,
    prepare,
    ranking_chart,
    write_formats,
)

REQUIRED_KEYS = ("as_of", "lang", "rule_pack", "units", "findings", "summary", "tool")


def load_result(path: Path) -> dict[str, Any]:
    """Read a saved ``check --format json`` result; a clear error if it is not one."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            [Diagnostic(str(path), 0, 0, ERROR, f"cannot read result: {exc}")]
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            [Diagnostic(str(path), exc.lineno, exc.colno, ERROR, f"not JSON: {exc.msg}")]
        ) from None
    missing = [k for k in REQUIRED_KEYS if not isinstance(data, dict) or k not in data]
    if missing:
        raise InputError(
            [
                Diagnostic(
                    str(path),
                    1,
                    1,
                    ERROR,
                    f"not a result of 'compliance check --format json' (missing: {', '.join(missing)})",
                )
            ]
        )
    result: dict[str, Any] = data
    return result


def rules_of(result: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The rule catalogue stored in a result, in ``lang``."""
    out = []
    for r in result["rule_pack"].get("catalog", []):
        out.append(
            {
                **r,
                "title": r["title"].get(lang, r["title"]["en"]),
                "basis": r["basis"].get(lang, r["basis"]["en"]),
            }
        )
    return out


def render_unit(result: dict[str, Any], unit_id: str, opts: Options) -> list[Path]:
    """Render one unit's report in every requested format."""
    unit = next(u for u in result["units"] if u["id"] == unit_id)
    assets = new_assets(opts)
    ctx = unit_context(result, unit, rules_of(result, opts.lang), opts.branding, opts.lang)
    ctx["charts"] = {"areas": assets.add("areas.png", area_chart(unit, opts.lang))}
    if opts.branding.logo is not None:
        ctx["org"]["logo"] = assets.file_src(opts.branding.logo)
    doc = prepare("unit_report.html.j2", ctx, opts, assets)
    return write_formats(doc, f"unit-report-{unit_id}", opts)


def render_group(result: dict[str, Any], opts: Options) -> list[Path]:
    """Render the group report in every requested format."""
    assets = new_assets(opts)
    ctx = group_context(result, rules_of(result, opts.lang), opts.branding, opts.lang)
    ctx["charts"] = {
        "ranking": assets.add("ranking.png", ranking_chart(result["units"], opts.lang))
    }
    counts: dict[str, dict[str, int]] = {
        u["id"]: dict.fromkeys(SEVERITIES, 0) for u in result["units"]
    }
    for f in result["findings"]:
        if not f["waived"] and f["unit"] in counts:
            counts[f["unit"]][f["severity"]] += 1
    ctx["counts"] = counts
    if opts.branding.logo is not None:
        ctx["org"]["logo"] = assets.file_src(opts.branding.logo)
    doc = prepare("group_report.html.j2", ctx, opts, assets)
    return write_formats(doc, "group-report", opts)


_WORKER: dict[str, Any] = {}


def _init(result: dict[str, Any], opts: Options) -> None:
    _WORKER["result"], _WORKER["opts"] = result, opts
    progress._HOOK.clear()  # a forked worker must not draw on the parent's status line


def _job(task: str) -> tuple[list[Path], list[str]]:
    """Render one task; problems come back as lines (exceptions do not cross processes well)."""
    result, opts = _WORKER["result"], _WORKER["opts"]
    try:
        paths = render_group(result, opts) if task == "" else render_unit(result, task, opts)
    except InputError as exc:
        return [], [str(d) for d in exc.diagnostics]
    except RenderError as exc:
        return [], [f"compliance: error: {task or 'group report'}: {exc}"]
    except OSError as exc:
        return [], [f"compliance: error: cannot write {exc.filename or ''}: {exc.strerror or exc}"]
    return paths, []


def render_all(
    result: dict[str, Any],
    opts: Options,
    jobs: int = 1,
    group: bool = True,
    started: Callable[[str], None] | None = None,
    units: bool = True,
) -> Iterator[tuple[str, list[Path], list[str]]]:
    """Render every unit report (and the group report); yields (task, paths, problems).

    The task is the unit id, or ``""`` for the group report. A failing document does not
    stop the others. ``started(task)`` is called as each document starts (with ``jobs`` > 1:
    as it is handed to a worker).
    """
    tasks = ([u["id"] for u in result["units"]] if units else []) + ([""] if group else [])
    if jobs <= 1 or len(tasks) <= 1:
        _WORKER["result"], _WORKER["opts"] = result, opts
        for task in tasks:
            if started is not None:
                started(task)
            yield (task, *_job(task))
        return
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(processes=jobs, initializer=_init, initargs=(result, opts)) as pool:
        for task, (paths, problems) in zip(tasks, pool.imap(_job, tasks), strict=True):
            yield task, paths, problems
