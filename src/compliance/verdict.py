"""What a unit's result means beyond its score: veto items, legal exposure, missing evidence,
and which rules of the pack are in force on the as-of date.

- **Veto** (一票否决): an open (not waived) finding of a rule marked ``veto: true`` fails the
  unit whatever its score.
- **Legal exposure**: the fines the open findings expose the unit to, from the rules'
  ``penalty`` ranges. A rule counts once however many of its items fail, because the law
  fines the unit per kind of breach ("有下列行为之一的……处……罚款"), not per record.
- **Not assessed**: rules that apply but whose needed data is not in the unit file.
- **Schedule**: rules not yet in force (``effective_on`` after the as-of date) are upcoming,
  rules past their ``until`` are retired; neither is checked.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from compliance.findings import UnitResult
from compliance.rulemodel import Pack, Rule

if TYPE_CHECKING:  # the result types cost start-up time to build; only mypy needs them
    from compliance.result import CatalogEntry, Exposure, ExposureRule, NotAssessed, Schedule


def vetoed_by(unit: UnitResult, pack: Pack) -> list[str]:
    """Ids of the veto rules with an open finding on ``unit``, in pack order."""
    open_rules = {f.rule for f in unit.findings if not f.waived and f.scored}
    return [rid for rid, r in pack.rules.items() if r.veto and rid in open_rules]


def exposure(unit: UnitResult, pack: Pack) -> Exposure:
    """The unit's legal exposure: the summed fine range of the rules with open findings."""
    open_rules = {f.rule for f in unit.findings if not f.waived and f.scored}
    items: list[ExposureRule] = []
    for rid, rule in pack.rules.items():
        if rid in open_rules and rule.penalty is not None:
            items.append(
                {
                    "rule": rid,
                    "basis": rule.penalty.basis,
                    "min_cny": rule.penalty.min_cny,
                    "max_cny": rule.penalty.max_cny,
                }
            )
    return {
        "min_cny": sum(i["min_cny"] for i in items),
        "max_cny": sum(i["max_cny"] for i in items),
        "rules": items,
    }


def not_assessed(unit: UnitResult) -> list[NotAssessed]:
    """The rules not assessed on ``unit`` and the data each one lacks."""
    return [
        {"rule": rid, "missing": list(o.missing)}
        for rid, o in unit.outcomes.items()
        if o.status == "not_assessed"
    ]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def catalog_entry(rule: Rule) -> CatalogEntry:
    """A rule's entry in the result's catalogue, in every language."""
    return {
        "id": rule.id,
        "area": rule.area,
        "severity": rule.severity,
        "title": rule.title,
        "basis": rule.basis,
        "veto": rule.veto,
        "penalty": rule.penalty.record() if rule.penalty else None,
        "effective_on": _iso(rule.effective_on),
        "until": _iso(rule.until),
        "needs": rule.needs_text(),
        "stop_work": rule.stop_work,
    }


def schedule(pack: Pack, as_of: dt.date) -> Schedule:
    """Rules in force on ``as_of``, and the upcoming and retired ones (not checked)."""
    upcoming = [r for r in pack.rules.values() if r.in_force(as_of) == "upcoming"]
    retired = [r for r in pack.rules.values() if r.in_force(as_of) == "retired"]
    return {
        "in_force": len(pack.rules) - len(upcoming) - len(retired),
        "upcoming": [
            {
                "id": r.id,
                "area": r.area,
                "severity": r.severity,
                "title": r.title,
                "effective_on": _iso(r.effective_on),
            }
            for r in sorted(upcoming, key=lambda r: (r.effective_on or as_of, r.id))
        ],
        "retired": [{"id": r.id, "until": _iso(r.until)} for r in retired],
    }
