"""Scores per area and per unit, and roll-ups over the group tree.

A rule's weight is its severity's (critical 10, major 5, minor 2, info 0). A rule that
applies to a unit passes a fraction ``f`` of its checks: 1 or 0 for a unit-level rule, the
share of items passing for a ``for_each`` rule (1 when there are no items). Waived items
are left out of that share; a rule waived entirely, or not applicable, is left out. A rule
not assessed (it applies, but the data it needs is not in the unit file) counts with
``f = 0``: what is not recorded is not credited, so leaving data out never raises a score.

    score = 100 * sum(weight * f) / sum(weight)    (100 when the sum of weights is 0)

The area score uses the rules of that area, the unit score all rules. A parent unit's
roll-up is the mean of the unit scores of its subtree (itself included).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from compliance.areas import AREAS, SEVERITIES
from compliance.findings import UnitResult
from compliance.rulemodel import Pack

if TYPE_CHECKING:  # the result types cost start-up time to build; only mypy needs them
    from compliance.result import Rollup

_COUNTS = {
    "pass": "passed",
    "fail": "failed",
    "waived": "waived",
    "n/a": "not_applicable",
    "not_assessed": "not_assessed",
}


def _fraction(passed: int, failed: int) -> float:
    total = passed + failed
    return 1.0 if total == 0 else passed / total


def score_unit(result: UnitResult, pack: Pack) -> None:
    """Fill ``result.score`` and ``result.areas``."""
    weights: dict[str, float] = defaultdict(float)
    earned: dict[str, float] = defaultdict(float)
    areas: dict[str, dict[str, Any]] = {
        a: {
            "score": 100.0,
            "passed": 0,
            "failed": 0,
            "waived": 0,
            "not_applicable": 0,
            "not_assessed": 0,
        }
        for a in AREAS
    }
    for rid, outcome in result.outcomes.items():
        rule = pack.rules[rid]
        stats = areas[rule.area]
        status = outcome.status
        stats[_COUNTS[status]] += 1
        if status in ("n/a",) or (outcome.passed + outcome.failed == 0 and outcome.waived):
            continue
        w = SEVERITIES[rule.severity]
        f = 0.0 if status == "not_assessed" else _fraction(outcome.passed, outcome.failed)
        for bucket in (rule.area, "*"):
            weights[bucket] += w
            earned[bucket] += w * f
    for area, stats in areas.items():
        stats["score"] = _pct(earned[area], weights[area])
    result.areas = areas
    result.score = _pct(earned["*"], weights["*"])


def _pct(earned: float, weight: float) -> float:
    return 100.0 if weight == 0 else round(100.0 * earned / weight, 1)


def subtree(units: dict[str, UnitResult], root: str) -> list[str]:
    """Ids of ``root`` and every unit below it (the tree is cycle-free by now)."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for u in units.values():
        children[u.parent].append(u.id)
    out, stack = [], [root]
    while stack:
        uid = stack.pop()
        out.append(uid)
        stack.extend(sorted(children.get(uid, []), reverse=True))
    return out


def rollups(units: dict[str, UnitResult]) -> list[Rollup]:
    """One record per unit that has children: the mean score and open findings of its subtree."""
    parents = sorted({u.parent for u in units.values() if u.parent in units})
    out: list[Rollup] = []
    for pid in parents:
        ids = subtree(units, pid)
        members = [units[i] for i in ids]
        by_sev = {s: 0 for s in SEVERITIES}
        for m in members:
            for f in m.findings:
                if not f.waived:
                    by_sev[f.severity] += 1
        out.append(
            {
                "unit": pid,
                "name": units[pid].name,
                "units": ids,
                "score": round(sum(m.score for m in members) / len(members), 1),
                "findings": by_sev,
            }
        )
    return out
