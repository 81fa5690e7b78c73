"""Hidden-danger statistics as the regulator asks for them each quarter.

For a period (the quarter or the year of the as-of date, up to the as-of date) and each level
(general, major): hidden dangers **found** in the period, of those **rectified** (closed by the
as-of date), the rectification **rate**, the **funds** put into them; and, for the three-year
action's "dynamic clearing" (动态清零) of major ones, those **carried over** (found before the
period, still open at its start), **cleared** in the period (closed, whenever found) and still
**open** at the as-of date (of which **overdue**). Pure data: computed by the runner from the
unit file into the JSON result (``units[].hidden_danger_stats``), summed here for the group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # annotations only: the runner imports this module when ``check`` starts
    from compliance.result import ActionStats, HiddenDangerStats, LevelStats, YearTasks

LEVELS = ("general", "major")
PERIODS = ("quarter", "year")
COUNTS = ("found", "rectified", "carried_over", "cleared", "open", "overdue")


def period_start(as_of: dt.date, period: str) -> dt.date:
    """First day of the quarter or year of ``as_of``."""
    if period == "year":
        return dt.date(as_of.year, 1, 1)
    return dt.date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)


def _empty() -> LevelStats:
    # the keys in COUNTS order, then funds and rate: the JSON order of the result
    return {
        "found": 0,
        "rectified": 0,
        "carried_over": 0,
        "cleared": 0,
        "open": 0,
        "overdue": 0,
        "funds_cny": 0.0,
        "rate": None,
    }


def _closed_on(h: dict[str, Any]) -> dt.date | None:
    value = h.get("closed_on")
    return value if isinstance(value, dt.date) else None


def unit_stats(data: dict[str, Any], as_of: dt.date) -> HiddenDangerStats:
    """The statistics of one unit's ``risks.hidden_dangers`` for each period."""
    dangers = [h for h in (data.get("risks") or {}).get("hidden_dangers") or [] if h]
    out: HiddenDangerStats = {}
    for period in PERIODS:
        start = period_start(as_of, period)
        levels = {lv: _empty() for lv in LEVELS}
        for h in dangers:
            row = levels["major" if h.get("level") == "major" else "general"]
            found = h.get("found_on") if isinstance(h.get("found_on"), dt.date) else None
            closed = h.get("status") == "closed"
            closed_on = _closed_on(h)
            if found is not None and found > as_of:
                continue  # recorded ahead of the as-of date: not yet found
            if found is not None and found >= start:
                row["found"] += 1
                row["rectified"] += closed and (closed_on is None or closed_on <= as_of)
                row["funds_cny"] += float(h.get("funds_cny") or 0)
            elif not closed or (closed_on is not None and closed_on >= start):
                row["carried_over"] += 1
            if closed and (
                (closed_on is not None and start <= closed_on <= as_of)
                or (closed_on is None and found is not None and found >= start)
            ):
                row["cleared"] += 1
            if not closed:
                row["open"] += 1
                deadline = h.get("deadline")
                row["overdue"] += isinstance(deadline, dt.date) and deadline < as_of
        for row in levels.values():
            _finish(row)
        out[period] = {
            "from": start.isoformat(),
            "to": as_of.isoformat(),
            "general": levels["general"],
            "major": levels["major"],
        }
    return out


def _finish(row: LevelStats) -> None:
    row["funds_cny"] = round(row["funds_cny"], 2)
    row["rate"] = round(100 * row["rectified"] / row["found"], 1) if row["found"] else None


def group_stats(units: Iterable[dict[str, Any]], period: str) -> dict[str, Any]:
    """Per unit and for the group: the table of one period (units without data are left out).

    ``{"from", "to", "units": [{"id", "name", "general": {...}, "major": {...}}], "group": {...}}``
    """
    rows = []
    total = {lv: _empty() for lv in LEVELS}
    start = end = None
    for u in units:
        stats = (u.get("hidden_danger_stats") or {}).get(period)
        if not stats:
            continue
        start, end = stats["from"], stats["to"]
        rows.append({"id": u["id"], "name": u["name"], **{lv: stats[lv] for lv in LEVELS}})
        for lv in LEVELS:
            summed = cast(dict[str, Any], total[lv])  # keys named by COUNTS, not literals
            for k in (*COUNTS, "funds_cny"):
                summed[k] += stats[lv][k]
    for row in total.values():
        _finish(row)
    return {"period": period, "from": start, "to": end, "units": rows, "group": total}


def action_stats(data: dict[str, Any], as_of: dt.date) -> ActionStats:
    """The three-year action's tasks by the year they are due: due, done, on time, overdue.

    ``{"by_year": {"2024": {"due": 4, "done": 4, "on_time": 3, "overdue": 0}, ...}}``; tasks
    without a due date are counted under ``"none"``.
    """
    tasks = ((data.get("planning") or {}).get("three_year_action") or {}).get("tasks") or []
    by_year: dict[str, YearTasks] = {}
    for t in tasks:
        due = t.get("due") if isinstance(t.get("due"), dt.date) else None
        row = by_year.setdefault(
            str(due.year) if due else "none", {"due": 0, "done": 0, "on_time": 0, "overdue": 0}
        )
        row["due"] += 1
        completed = t.get("completed_on") if isinstance(t.get("completed_on"), dt.date) else None
        if t.get("status") == "done":
            row["done"] += 1
            row["on_time"] += due is not None and completed is not None and completed <= due
        elif due is not None and due < as_of:
            row["overdue"] += 1
    return {"by_year": dict(sorted(by_year.items()))}
