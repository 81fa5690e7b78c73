"""The rows of a unit's rectification plan, notice and receipt, from its open findings.

One row per item: the findings on one hidden danger, one post, one contractor (a major hidden
danger that is overdue and unreported) make one row that lists them. Each row carries the
"five implementations" (五落实): responsible unit and person, measures, funds, time limit and
interim measures. The time limit is "immediately" when the item is already overdue or the
rule stops the work concerned (``stop_work`` in the pack); otherwise it is proposed from the
worst severity, counted from the as-of date.
"""

from __future__ import annotations

import re
from typing import Any

from compliance.areas import severity_rank

_ITEM = re.compile(r"^(.*?\[\d+\])")  # 'risks.hidden_dangers[0].deadline' -> the item


def _item_of(f: dict[str, Any]) -> str:
    match = _ITEM.match(f["location"]["path"])
    return match[1] if match else f"{f['rule']}:{f['location']['path']}"


def plan_rows(
    findings: list[dict[str, Any]], catalog: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The rectification plan: one row per item, worst first, with the five implementations."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        groups.setdefault(_item_of(f), []).append(f)
    rows = []
    for members in groups.values():
        members.sort(key=lambda f: (severity_rank(f["severity"]), f["rule"]))
        first = members[0]
        facts: dict[str, Any] = {}
        for f in members:  # the first finding that knows a fact gives it
            for key, value in (f.get("plan") or {}).items():
                if value not in (None, "", False) and key not in facts:
                    facts[key] = value
        stop_work = any(
            (f.get("plan") or {}).get("stop_work") or catalog.get(f["rule"], {}).get("stop_work")
            for f in members
        )
        overdue = any((f.get("plan") or {}).get("overdue") for f in members)
        remediations = list(dict.fromkeys(f["remediation"] for f in members))
        rows.append(
            {
                "findings": members,
                "rules": list(dict.fromkeys(f["rule"] for f in members)),
                "severity": first["severity"],
                "responsible": facts.get("responsible") or first.get("responsible"),
                "post": facts.get("post"),
                "measures": facts.get("measures"),
                "remediation": remediations,
                "funds": facts.get("funds_cny"),
                "contingency": facts.get("contingency_plan"),
                "stop_work": stop_work,
                "overdue": overdue,
                "immediate": stop_work or overdue,
                "deadline": min(f["deadline"] for f in members),
                "basis": list(dict.fromkeys(f["basis"] for f in members)),
                "titles": list(dict.fromkeys(f["title"] for f in members)),
            }
        )
    rows.sort(
        key=lambda r: (
            not r["immediate"],
            severity_rank(r["severity"]),
            r["rules"][0],
            r["findings"][0]["location"]["line"],
        )
    )
    return rows
