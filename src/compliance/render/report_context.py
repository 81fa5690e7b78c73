"""Turn a check result (the JSON contract) into the context of a report template.

Reports are made from the JSON result only, so ``compliance report --from result.json``
and a report made straight after a check are the same document.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from compliance.areas import AREAS, SEVERITIES, severity_rank
from compliance.dangerstats import PERIODS, group_stats
from compliance.findings import WAIVER_EXPIRED, localise
from compliance.render.config import Branding
from compliance.render.evidence import ranking_key, unit_extras
from compliance.render.limits import (
    DANGER_ROWS,
    NAME_CHARS,
    ROWS_PER_RULE,
    TEXT_CHARS,
    clip,
    first_per_rule,
)
from compliance.render.rectification import plan_rows
from compliance.result import FindingRecord, Result

LONG_REPORT = 12  # findings from which a unit report gets a table of contents


def finding_view(
    f: FindingRecord, lang: str, deadlines: dict[str, int], as_of: dt.date
) -> dict[str, Any]:
    """One finding as templates use it."""
    texts = localise(f, lang)
    return {
        "unit": f["unit"],
        "rule": f["rule"],
        "area": f["area"],
        "severity": f["severity"],
        "title": texts["title"],
        "message": clip(texts["message"], TEXT_CHARS),
        "basis": texts["basis"],
        "remediation": texts["remediation"],
        "location": f["location"],
        "item": f.get("item"),
        "responsible": f.get("responsible"),
        "plan": f.get("plan") or {},
        "fingerprint": f["fingerprint"],
        "waived": f["waived"],
        "waiver": f.get("waiver"),
        "deadline": as_of + dt.timedelta(days=deadlines.get(f["severity"], 90)),
    }


def _by_severity(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"key": s, "count": sum(1 for f in findings if f["severity"] == s)} for s in SEVERITIES]


def _sort(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        findings, key=lambda f: (severity_rank(f["severity"]), f["rule"], f["location"]["line"])
    )


def _by_rule(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings grouped by rule, keeping the order of the (sorted) findings."""
    groups: dict[str, dict[str, Any]] = {}
    for f in findings:
        group = groups.setdefault(
            f["rule"],
            {k: f[k] for k in ("rule", "title", "severity", "basis", "remediation")}
            | {"items": []},
        )
        group["items"].append(f)
    for group in groups.values():  # a document lists the first N of a rule and counts the rest
        group["more"] = max(0, len(group["items"]) - ROWS_PER_RULE)
        del group["items"][ROWS_PER_RULE:]
    return list(groups.values())


def common(result: Result, branding: Branding, lang: str) -> dict[str, Any]:
    """Context shared by every report of one result."""
    as_of = dt.date.fromisoformat(result["as_of"])
    return {
        "as_of": as_of,
        "created": f"{result['as_of']}T00:00:00Z",
        "org": {
            "name": branding.org_name(lang),
            "logo": None,
            "primary": branding.primary,
            "accent": branding.accent,
        },
        "confidentiality": branding.confidentiality.get(lang, ""),
        "pack": result["rule_pack"],
        "tool_version": result["tool"]["version"],
        "areas": list(AREAS),
        "severities": list(SEVERITIES),
    }


def unit_context(
    result: Result,
    unit: Mapping[str, Any],
    rules: list[dict[str, Any]],
    branding: Branding,
    lang: str,
) -> dict[str, Any]:
    """Context of one unit's gap report."""
    ctx = common(result, branding, lang)
    as_of: dt.date = ctx["as_of"]
    unit = {**unit, "name": clip(unit["name"], NAME_CHARS)}
    views = [
        finding_view(f, lang, branding.deadlines, as_of)
        for f in result["findings"]
        if f["unit"] == unit["id"]
    ]
    open_ = [f for f in views if not f["waived"]]
    by_area = []
    for area in AREAS:
        items = _sort([f for f in open_ if f["area"] == area])
        by_area.append(
            {"key": area, **unit["areas"][area], "findings": items, "rules": _by_rule(items)}
        )
    rule_titles = {r["id"]: r for r in rules}
    passed = [
        rule_titles[rid]
        for rid, status in unit["rules"].items()
        if status == "pass" and rid in rule_titles
    ]
    plan, plan_more = first_per_rule(_sort(open_))
    catalog = {r["id"]: r for r in rules}
    ctx.update(
        kind="unit",
        unit=unit,
        number=branding.document_number(
            kind="GAP", year=str(as_of.year), date=as_of.strftime("%Y%m%d"), unit=unit["id"]
        ),
        findings=open_,
        waived=[f for f in views if f["waived"]],
        plan_more=plan_more,
        rows_per_rule=ROWS_PER_RULE,
        by_area=by_area,
        by_severity=_by_severity(open_),
        plan=plan,
        plan_rows=plan_rows(plan, catalog),
        notice_number=branding.document_number(
            kind="RECT", year=str(as_of.year), date=as_of.strftime("%Y%m%d"), unit=unit["id"]
        ),
        waivers=unit.get("waivers", []),
        passed=passed,
        not_applicable=[
            rule_titles[r] for r, s in unit["rules"].items() if s == "n/a" and r in rule_titles
        ],
        rules=rules,
        long=len(open_) >= LONG_REPORT,
        hidden_dangers=unit.get("open_hidden_dangers", []),
    )
    ctx.update(unit_extras(result, unit, rules, lang))
    return ctx


def group_context(
    result: Result, rules: list[dict[str, Any]], branding: Branding, lang: str
) -> dict[str, Any]:
    """Context of the group report: ranking, heat map, recurring gaps, hidden dangers, roll-ups."""
    ctx = common(result, branding, lang)
    as_of: dt.date = ctx["as_of"]
    units = [{**u, "name": clip(u["name"], NAME_CHARS)} for u in result["units"]]
    names = {u["id"]: u["name"] for u in units}
    ranking = sorted(({**u, "veto": bool(u.get("veto"))} for u in units), key=ranking_key)
    views = [finding_view(f, lang, branding.deadlines, as_of) for f in result["findings"]]
    # An expired waiver is an open (minor) finding like any other: it counts in every total,
    # as in the check result's summary, but not in scores and not as a recurring gap.
    open_ = [f for f in views if not f["waived"]]
    recurring: dict[str, set[str]] = defaultdict(set)
    sample: dict[str, dict[str, Any]] = {}
    for f in open_:
        if f["rule"] == WAIVER_EXPIRED:
            continue
        recurring[f["rule"]].add(f["unit"])
        sample.setdefault(f["rule"], f)
    recur = sorted(
        (
            {
                "rule": rid,
                "title": sample[rid]["title"],
                "severity": sample[rid]["severity"],
                "area": sample[rid]["area"],
                "units": sorted(ids),
            }
            for rid, ids in recurring.items()
            if len(ids) >= 2
        ),
        key=lambda r: (-len(r["units"]), severity_rank(r["severity"]), r["rule"]),
    )
    dangers = []
    for u in units:
        for h in u.get("open_hidden_dangers", []):
            if h.get("level") == "major" or h.get("overdue"):
                dangers.append({**h, "unit": u["id"], "unit_name": u["name"]})
    dangers.sort(
        key=lambda h: (
            not h.get("overdue"),
            h.get("level") != "major",
            h.get("deadline") or "",
            h["unit"],
        )
    )
    area_summary = []
    for area in AREAS:
        scores = [u["areas"][area]["score"] for u in units]
        area_summary.append(
            {
                "key": area,
                "mean": round(sum(scores) / len(scores), 1) if scores else None,
                "min": min(scores) if scores else None,
                "findings": sum(1 for f in open_ if f["area"] == area),
                "worst": min(units, key=lambda u: u["areas"][area]["score"])["id"]
                if units
                else None,
            }
        )
    ctx.update(
        kind="group",
        number=branding.document_number(
            kind="GRP", year=str(as_of.year), date=as_of.strftime("%Y%m%d"), unit="GROUP"
        ),
        units=units,
        ranking=ranking,
        recurring=recur,
        dangers=dangers[:DANGER_ROWS],
        dangers_more=max(0, len(dangers) - DANGER_ROWS),
        area_summary=area_summary,
        rollups=result.get("rollups", []),
        summary=result["summary"],
        # every file the result did not cover is named in the report, never just missing
        not_checked=[
            {"file": f, "why": "errors"} for f in result["summary"].get("failed_files", [])
        ]
        + [{"file": f, "why": "skipped"} for f in result["summary"].get("skipped", [])],
        by_severity=_by_severity(open_),
        names=names,
        rules=rules,
        danger_stats={p: group_stats(units, p) for p in PERIODS},
    )
    return ctx
