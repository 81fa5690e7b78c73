"""Gap reports: one per unit and one for the group, from a check result (JSON contract).

Units render in parallel with ``--jobs N`` (processes; each worker receives the result once).
"""

from __future__ import annotations

import json
import multiprocessing
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from compliance import statusline
from compliance.areas import SEVERITIES
from compliance.diagnostics import ERROR, Diagnostic, InputError
from compliance.inputs import RESULT_LIMIT, read_text
from compliance.output import exit_on_signal, name_key, safe_name
from compliance.render import charts
from compliance.render.documents import (
    Options,
    RenderError,
    area_chart_src,
    new_assets,
    prepare,
    ranking_chart,
    stylesheet,
    write_formats,
)
from compliance.render.history import group_view, severity_series, trend_series, unit_view
from compliance.render.report_context import group_context, unit_context
from compliance.render.stylesheet import severity_colours
from compliance.result import Result, loaded

REQUIRED_KEYS = ("as_of", "lang", "rule_pack", "units", "findings", "summary", "tool")


def load_result(path: Path) -> Result:
    """Read a saved ``check --format json`` result; a clear error if it is not one."""
    try:
        data = json.loads(read_text(path, RESULT_LIMIT))
    except OSError as exc:
        message = f"cannot read result: {exc.strerror or exc}"
        raise InputError([Diagnostic(str(path), 0, 0, ERROR, message)]) from None
    except UnicodeDecodeError as exc:
        message = f"cannot read result: not UTF-8 (byte {exc.start})"
        raise InputError([Diagnostic(str(path), 0, 0, ERROR, message)]) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            [Diagnostic(str(path), exc.lineno, exc.colno, ERROR, f"not JSON: {exc.msg}")]
        ) from None
    except RecursionError:  # '[[[[...' nested deeper than the parser can follow
        message = "not a result of 'compliance check --format json' (nested too deeply)"
        raise InputError([Diagnostic(str(path), 1, 1, ERROR, message)]) from None
    missing = [k for k in REQUIRED_KEYS if not isinstance(data, dict) or k not in data]
    what = "missing"
    if not missing:
        what, missing = "malformed", _malformed(data)
    if missing:
        raise InputError(
            [
                Diagnostic(
                    str(path),
                    1,
                    1,
                    ERROR,
                    f"not a result of 'compliance check --format json' ({what}: {', '.join(missing)})",
                )
            ]
        )
    return loaded(data)


def rules_of(result: Result, lang: str) -> list[dict[str, Any]]:
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


def progress_charts(
    progress: Any, lang: str, colours: dict[str, str] | None = None
) -> dict[str, tuple[Callable[..., bytes], Any]]:
    """The trend charts of the progress section, as ``charts.draw_later`` jobs.

    ``colours``: the severity colours of the document's stylesheet, for the stacked bars.
    """
    from compliance.i18n import SEVERITY_LABELS, label, translations
    from compliance.render.progress_charts import severity_chart, trend_chart

    mean = translations(lang).gettext("Group mean score")
    dates, series = trend_series(progress, mean)
    _, by_sev = severity_series(progress)
    labels = {s: label(SEVERITY_LABELS, s, lang) for s in by_sev}
    return {
        "trend.png": (trend_chart, (dates, series)),
        "open-by-severity.png": (severity_chart, (dates, by_sev, labels, colours)),
    }


def render_unit(result: Result, unit_id: str, opts: Options) -> list[Path]:
    """Render one unit's report in every requested format."""
    unit = next(u for u in result["units"] if u["id"] == unit_id)
    assets = new_assets(opts)
    ctx = unit_context(result, unit, rules_of(result, opts.lang), opts.branding, opts.lang)
    ctx["charts"] = {"areas": area_chart_src(assets, unit, opts.lang)}
    ctx["since_last"] = unit_view(opts.progress, unit_id) if opts.progress else None
    if opts.branding.logo is not None:
        ctx["org"]["logo"] = assets.file_src(opts.branding.logo)
    doc = prepare("unit_report.html.j2", ctx, opts, assets)
    return write_formats(doc, f"unit-report-{unit_id}", opts)


def render_group(result: Result, opts: Options) -> list[Path]:
    """Render the group report in every requested format."""
    assets = new_assets(opts)
    ctx = group_context(result, rules_of(result, opts.lang), opts.branding, opts.lang)
    jobs = {"ranking.png": (ranking_chart, (result["units"], opts.lang))}
    if opts.progress is not None:
        # the bars match the tables' severity labels: colours from the document's stylesheet
        colours = severity_colours(stylesheet(opts))
        jobs.update(progress_charts(opts.progress, opts.lang, colours))
    # drawn beside the layout; the names are the pictures' keys in the template
    drawn = {name: assets.add(name, get) for name, get in charts.draw_later(jobs).items()}
    ctx["charts"] = {
        "ranking": drawn["ranking.png"],
        "trend": drawn.get("trend.png"),
        "open_by_severity": drawn.get("open-by-severity.png"),
    }
    counts: dict[str, dict[str, int]] = {
        u["id"]: dict.fromkeys(SEVERITIES, 0) for u in result["units"]
    }
    for f in result["findings"]:
        if not f["waived"] and f["unit"] in counts:
            counts[f["unit"]][f["severity"]] += 1
    ctx["counts"] = counts
    ctx["progress"] = None
    if opts.progress is not None:
        ctx["progress"] = group_view(opts.progress, result)
    if opts.branding.logo is not None:
        ctx["org"]["logo"] = assets.file_src(opts.branding.logo)
    doc = prepare("group_report.html.j2", ctx, opts, assets)
    return write_formats(doc, "group-report", opts)


def _distinct_names(ids: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Unit ids whose reports get their own file, and an error for each that would not.

    A saved result may come from elsewhere: two ids that give one file name (``plant`` and
    ``Plant``, ``plant.``) would make one report silently replace the other, so neither is
    written and both are named.
    """
    by_name: dict[str, list[str]] = {}
    for uid in ids:
        by_name.setdefault(name_key(uid), []).append(uid)
    keep, clashes = [], []
    for uid in ids:
        same = by_name[name_key(uid)]
        if len(same) == 1:
            keep.append(uid)
            continue
        others = ", ".join(repr(o) for o in same if o != uid)
        clashes.append(
            (
                uid,
                f"compliance: error: unit {uid!r}: its report would have the same file name as "
                f"that of unit {others} (unit-report-{safe_name(uid)}); not written",
            )
        )
    return keep, clashes


_WORKER: dict[str, Any] = {}


def _init(result: Result, opts: Options) -> None:
    _WORKER["result"], _WORKER["opts"] = result, opts
    statusline.detach()  # a forked worker must not draw on the parent's status line


def _init_worker(result: Result, opts: Options) -> None:
    """A worker process: Ctrl-C is the parent's to handle (the terminal sends it to every
    process of the group, and workers would each print a traceback); the parent's SIGTERM on
    shutdown unwinds the worker quietly, removing its temporary file."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, exit_on_signal)
    _init(result, opts)


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
    result: Result,
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
    tasks, clashes = _distinct_names([u["id"] for u in result["units"]] if units else [])
    for task, problem in clashes:
        yield task, [], [problem]
    tasks += [""] if group else []
    if jobs <= 1 or len(tasks) <= 1:
        _WORKER["result"], _WORKER["opts"] = result, opts
        for task in tasks:
            if started is not None:
                started(task)
            yield (task, *_job(task))
        return
    ctx = multiprocessing.get_context("fork")
    # ignore SIGINT while forking, so no worker can catch a Ctrl-C before its initializer runs
    old_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pool = ctx.Pool(processes=jobs, initializer=_init_worker, initargs=(result, opts))
    finally:
        signal.signal(signal.SIGINT, old_int)
    with pool:  # on an error or an early stop, leaving the block terminates the workers
        for task, (paths, problems) in zip(tasks, pool.imap(_job, tasks), strict=True):
            yield task, paths, problems
        # all done: let the workers take their end marks and leave by themselves. Terminating
        # them (what leaving the block does) sends SIGTERM, whose SystemExit an idle worker can
        # lose inside a finaliser; that worker then waited for work forever, and so did we.
        pool.close()
        pool.join()


Kinds = tuple[type, ...]
_TEXT: Kinds = (str,)
_NUMBER: Kinds = (int, float)
_MAP: Kinds = (dict,)
_LIST: Kinds = (list,)
_UNIT_KEYS: dict[str, Kinds] = {
    "id": _TEXT,
    "name": _TEXT,
    "score": _NUMBER,
    "areas": _MAP,
    "rules": _MAP,
}
_PLACE: dict[str, Kinds] = {"file": _TEXT, "line": (int,), "column": (int,)}
_FINDING_KEYS: dict[str, Kinds] = {
    "unit": _TEXT,
    "rule": _TEXT,
    "area": _TEXT,
    "severity": _TEXT,
    "title": _TEXT,
    "message": _TEXT,
    "basis": _TEXT,
    "remediation": _TEXT,
    "location": _MAP,
    "fingerprint": _TEXT,
    "waived": (bool,),
}


def _malformed(data: dict[str, Any]) -> list[str]:
    """What in a result the documents rely on is missing or of the wrong kind (one entry, the
    first found: a hand-edited or truncated file gets one line, not a traceback)."""
    from compliance.areas import AREAS

    def bad(value: Any, kinds: tuple[type, ...]) -> bool:
        return not isinstance(value, kinds) or (kinds == _NUMBER and isinstance(value, bool))

    if bad(data["as_of"], _TEXT) or not _is_date(data["as_of"]):
        return ["as_of (a YYYY-MM-DD date)"]
    tops: list[tuple[str, Kinds]] = [("units", _LIST), ("findings", _LIST), ("summary", _MAP)]
    for key, kinds in tops:
        if bad(data[key], kinds):
            return [f"{key} ({'a list' if kinds == _LIST else 'a mapping'})"]
    if bad(data["rule_pack"], _MAP) or not isinstance(data["rule_pack"].get("catalog", []), list):
        return ["rule_pack (a mapping with a catalog list)"]
    for i, r in enumerate(data["rule_pack"].get("catalog", [])):
        for key in ("title", "basis"):
            texts = r.get(key) if isinstance(r, dict) else None
            if not isinstance(texts, dict) or not isinstance(texts.get("en"), str):
                return [f"rule_pack.catalog[{i}].{key}.en"]
    for i, unit in enumerate(data["units"]):
        for key, kinds in _UNIT_KEYS.items():
            if not isinstance(unit, dict) or bad(unit.get(key), kinds):
                return [f"units[{i}].{key}"]
        for area in AREAS:
            scores = unit["areas"].get(area)
            if not isinstance(scores, dict) or bad(scores.get("score"), _NUMBER):
                return [f"units[{i}].areas.{area}.score"]
    for i, f in enumerate(data["findings"]):
        for key, kinds in _FINDING_KEYS.items():
            if not isinstance(f, dict) or bad(f.get(key), kinds):
                return [f"findings[{i}].{key}"]
        if f["severity"] not in SEVERITIES or f["area"] not in AREAS:
            return [f"findings[{i}].severity or area (unknown value)"]
        if not all(isinstance(f["location"].get(k), kinds) for k, kinds in _PLACE.items()):
            return [f"findings[{i}].location (file, line, column)"]
    return []


def _is_date(text: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
