"""Compare two rule packs: rules added, removed and changed (which fields), and, given unit
files, which units the new pack newly fails (``compliance rules diff OLD NEW [UNITS]``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from compliance.diagnostics import Diagnostic
from compliance.rulemodel import Pack, Rule

# the fields compared, in the order they are listed
FIELDS = (
    "area",
    "severity",
    "title",
    "basis",
    "rationale",
    "remediation",
    "message",
    "logic",
    "needs",
    "veto",
    "penalty",
    "effective_on",
    "until",
)
_LOGIC = ("when", "for_each", "where", "key", "locate", "require")


def rule_view(rule: Rule) -> dict[str, Any]:
    """What a rule says, field by field, in comparable form."""
    return {
        "area": rule.area,
        "severity": rule.severity,
        "title": rule.title,
        "basis": rule.basis,
        "rationale": rule.rationale,
        "remediation": rule.remediation,
        "message": rule.message.texts,
        "logic": {k: rule.source[k] for k in _LOGIC if k in rule.source},
        "needs": rule.needs_text(),
        "veto": rule.veto,
        "penalty": rule.penalty.record() if rule.penalty else None,
        "effective_on": rule.effective_on,
        "until": rule.until,
    }


def diff_packs(old: Pack, new: Pack) -> dict[str, Any]:
    """Rules added, removed and changed (with the names of the fields that differ)."""
    changed = []
    for rid in old.rules.keys() & new.rules.keys():
        a, b = rule_view(old.rules[rid]), rule_view(new.rules[rid])
        fields = [f for f in FIELDS if a[f] != b[f]]
        if fields:
            changed.append({"rule": rid, "fields": fields})
    return {
        "old": {"name": old.name, "version": old.version},
        "new": {"name": new.name, "version": new.version},
        "added": sorted(new.rules.keys() - old.rules.keys()),
        "removed": sorted(old.rules.keys() - new.rules.keys()),
        "changed": sorted(changed, key=lambda c: c["rule"]),
    }


def newly_failing(
    paths: Iterable[str], old: Pack, new: Pack, as_of: dt.date, changes: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[Diagnostic]]:
    """Units that fail a rule under ``new`` they did not fail under ``old`` (or become vetoed)."""
    from compliance.runner import run_check

    paths = list(paths)
    before = run_check(paths, old, as_of)
    after = run_check(paths, new, as_of)
    kind = {rid: "added" for rid in changes["added"]}
    kind.update({c["rule"]: "changed" for c in changes["changed"]})
    out = []
    for uid, unit in after.units.items():
        was = before.units.get(uid)
        old_rules = was.record["rules"] if was else {}
        rules = [
            {
                "rule": rid,
                "change": kind.get(rid, "unchanged"),
                "before": old_rules.get(rid, "absent"),
                "after": status,
            }
            for rid, status in unit.record["rules"].items()
            if status == "fail" and old_rules.get(rid) != "fail"
        ]
        newly_vetoed = bool(unit.record["veto"] and not (was and was.record["veto"]))
        if rules or newly_vetoed:
            out.append(
                {
                    "unit": uid,
                    "name": unit.name,
                    "rules": rules,
                    "veto": newly_vetoed,
                    "score_before": was.score if was else None,
                    "score_after": unit.score,
                }
            )
    return out, after.diagnostics


def diff_text(changes: dict[str, Any], units: list[dict[str, Any]] | None, as_of: dt.date) -> str:
    """The diff as a person reads it."""
    o, n = changes["old"], changes["new"]
    lines = [f"rules diff: {o['name']} {o['version']} -> {n['name']} {n['version']}"]
    for key in ("added", "removed"):
        ids = changes[key]
        lines.append(f"{key} ({len(ids)}): {', '.join(ids) if ids else '-'}")
    lines.append(f"changed ({len(changes['changed'])}):" + ("" if changes["changed"] else " -"))
    lines += [f"  {c['rule']}: {', '.join(c['fields'])}" for c in changes["changed"]]
    if units is not None:
        lines.append(f"units newly failing as of {as_of.isoformat()} ({len(units)}):")
        for u in units:
            rules = ", ".join(f"{r['rule']} ({r['change']})" for r in u["rules"])
            veto = " [now vetoed]" if u["veto"] else ""
            score = f"score {u['score_before']} -> {u['score_after']}"
            lines.append(f"  {u['unit']}: {rules or '-'}{veto}; {score}")
    return "\n".join(lines) + "\n"


def diff_json(changes: dict[str, Any], units: list[dict[str, Any]] | None, as_of: dt.date) -> str:
    """The diff as a JSON document (``units`` only when units were checked)."""
    doc = {"as_of": as_of.isoformat(), **changes}
    if units is not None:
        doc["units"] = units
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
