"""Progress over earlier results for the reports and the minutes (``--history DIR``).

:func:`load_progress` reads the earlier results of a folder (only those before the current
as-of date, oldest first) and compares them with the current result
(:func:`compliance.progress.compare`). The views below turn that into template context:
the group report's progress section, a unit report's "since the last check" and the
minutes' "since the previous meeting".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from compliance.areas import SEVERITIES
from compliance.diagnostics import InputError
from compliance.names import SERIOUS_SEVERITIES
from compliance.progress import (
    Comparison,
    Snapshot,
    compare,
    load_snapshot,
    peek_as_of,
    snapshot_of,
)
from compliance.result import Result

MAX_TREND_LINES = 10  # units drawn in the trend chart besides the group mean


@dataclass
class Progress:
    """The history (oldest first, current last) and its comparison."""

    snapshots: list[Snapshot]
    comparison: Comparison

    @property
    def previous(self) -> Snapshot:
        """The result just before the current one."""
        return self.snapshots[-2]


def load_progress(
    folder: Path, result: Result, lang: str, before: dt.date | None = None
) -> Progress | None:
    """The progress of ``result`` over the results in ``folder`` (None when none is earlier).

    With ``before`` (the previous meeting's date), results after it are left out when one is
    on or before it, so the comparison is with what the previous meeting saw. Unreadable or
    malformed files are an ``InputError`` naming each (one line each).
    """
    current = snapshot_of(result, "current", lang)
    problems = []
    earlier = []
    for path in sorted(folder.glob("*.json")):
        try:
            day = peek_as_of(path)
        except InputError as exc:
            problems += exc.diagnostics
            continue
        if day < current.as_of:
            earlier.append((day, path))
    if problems:
        raise InputError(problems)
    if before is not None and any(day <= before for day, _ in earlier):
        earlier = [(day, path) for day, path in earlier if day <= before]
    if not earlier:
        return None
    earlier.sort()
    snaps = []
    for i, (_, path) in enumerate(earlier):
        try:  # the previous result in full (its resolved findings are listed), others lean
            snaps.append(load_snapshot(path, lang, keep_details=i == len(earlier) - 1))
        except InputError as exc:
            problems += exc.diagnostics
    if problems:
        raise InputError(problems)
    snaps.append(current)
    return Progress(snaps, compare(snaps))


def counts(p: Progress) -> dict[str, int]:
    """Findings per status between the previous and the current result."""
    return {s: sum(n.values()) for s, n in p.comparison.counts().items()}


def clearing(p: Progress, unit: str | None = None) -> dict[str, Any]:
    """Major hidden dangers since the previous result: carried over, new, cleared, still open
    (the three-year action's dynamic clearing, 动态清零)."""
    prev, cur = p.previous.majors, p.snapshots[-1].majors
    checked = set(p.snapshots[-1].units)

    def mine(keys: Any) -> list[tuple[str, str]]:
        return sorted(k for k in keys if unit is None or k[0] == unit)

    new = mine(set(cur) - set(prev))
    cleared = mine(k for k in set(prev) - set(cur) if k[0] in checked)
    return {
        "carried_over": len(mine(set(prev) & set(cur))),
        "new": len(new),
        "cleared": len(cleared),
        "still_open": len(mine(cur)),
        "new_items": [{"unit": u, "id": i, "description": cur[(u, i)]} for u, i in new],
        "cleared_items": [{"unit": u, "id": i, "description": prev[(u, i)]} for u, i in cleared],
    }


def action_years(result: Result) -> list[dict[str, Any]]:
    """The three-year action's tasks of all units by the year they are due."""
    years: dict[str, dict[str, int]] = {}
    for u in result["units"]:
        for year, row in ((u.get("three_year_action") or {}).get("by_year") or {}).items():
            total = years.setdefault(year, dict.fromkeys(("due", "done", "on_time", "overdue"), 0))
            figures = cast("dict[str, int]", row)  # a result of an older version may lack one
            for k in total:
                total[k] += int(figures.get(k, 0))
    return [{"year": y, **v} for y, v in sorted(years.items()) if y != "none"]


def _score(s: Any) -> dict[str, Any]:
    return {"unit": s.unit, "name": s.name, "old": s.old, "new": s.new, "delta": s.delta}


def group_view(p: Progress, result: Result) -> dict[str, Any]:
    """Context of the group report's progress section (charts are added by the renderer)."""
    dates = [s.as_of.isoformat() for s in p.snapshots]
    moved = [s for s in p.comparison.scores if s.delta]
    return {
        "previous": p.previous.as_of,
        "results": dates,
        "counts": counts(p),
        "clearing": clearing(p),
        "action": action_years(result),
        "improving": [
            _score(s) for s in sorted(moved, key=lambda s: -(s.delta or 0)) if (s.delta or 0) > 0
        ],
        "declining": [
            _score(s) for s in sorted(moved, key=lambda s: s.delta or 0) if (s.delta or 0) < 0
        ],
        "new": [c.record() for c in p.comparison.changes if c.status in ("new", "regressed")],
    }


def trend_series(p: Progress, mean_label: str) -> tuple[list[str], dict[str, list[float | None]]]:
    """Dates and score lines: the group mean, then the units with the lowest current score."""
    dates = [s.as_of.isoformat() for s in p.snapshots]
    series: dict[str, list[float | None]] = {mean_label: [s.group_score for s in p.snapshots]}
    current = p.snapshots[-1].units
    lowest = sorted(current, key=lambda u: (current[u].score, u))[:MAX_TREND_LINES]
    for uid in lowest:
        series[current[uid].name] = [
            s.units[uid].score if uid in s.units else None for s in p.snapshots
        ]
    return dates, series


def severity_series(p: Progress) -> tuple[list[str], dict[str, list[int]]]:
    """Dates and open findings per severity in each result."""
    dates = [s.as_of.isoformat() for s in p.snapshots]
    out = {sev: [sum(1 for f in s.findings.values() if f.severity == sev) for s in p.snapshots]
           for sev in SEVERITIES}  # fmt: skip
    return dates, out


def unit_view(p: Progress, unit: str) -> dict[str, Any] | None:
    """A unit report's "since the last check" (None when the unit was not in it)."""
    if unit not in p.previous.units:
        return None
    changes = [c for c in p.comparison.changes if c.finding.unit == unit]
    score = next((s for s in p.comparison.scores if s.unit == unit), None)
    return {
        "previous": p.previous.as_of,
        "old_score": score.old if score else None,
        "new_score": score.new if score else None,
        "new": [c.record() for c in changes if c.status in ("new", "regressed")],
        "resolved": [c.record() for c in changes if c.status in ("resolved", "waived")],
        "persisting": [c.record() for c in changes if c.status == "persisting"],
        "clearing": clearing(p, unit),
    }


MINUTES_NEW = 10  # new or regressed critical/major findings listed in the minutes


def minutes_view(p: Progress) -> dict[str, Any]:
    """The minutes' "since the previous meeting": counts, the serious new findings, the units
    that moved most, the dynamic clearing of major hidden dangers."""
    serious = [
        c.record()
        for c in p.comparison.changes
        if c.status in ("new", "regressed") and c.finding.severity in SERIOUS_SEVERITIES
    ]
    names = {uid: u.name for uid, u in p.snapshots[-1].units.items()}
    for f in serious:
        f["unit_name"] = names.get(f["unit"], f["unit"])
    moved = [_score(s) for s in p.comparison.scores if s.delta]
    return {
        "previous": p.previous.as_of,
        "counts": counts(p),
        "group_old": p.previous.group_score,
        "group_new": p.snapshots[-1].group_score,
        "serious": serious[:MINUTES_NEW],
        "serious_more": max(0, len(serious) - MINUTES_NEW),
        "improving": sorted((m for m in moved if m["delta"] > 0), key=lambda m: -m["delta"])[:3],
        "declining": sorted((m for m in moved if m["delta"] < 0), key=lambda m: m["delta"])[:3],
        "clearing": clearing(p),
    }
