"""The JSON result's records, built from a check: the whole result, the pack, the summary,
a unit's record (with its open hidden dangers) and a diagnostic.

The types these return are the contract in :mod:`compliance.result`; the runner
(:mod:`compliance.runner`) only runs the check and calls these. The key order each builder
writes is the key order of the JSON output, so it is part of the contract too
(``tests/test_sample_hashes.py``). A finding's record is :meth:`compliance.findings.Finding.record`;
the catalogue, exposure and schedule are in :mod:`compliance.verdict`, the roll-ups in
:mod:`compliance.scoring`, the hidden-danger and three-year action figures in
:mod:`compliance.dangerstats`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from compliance import __version__
from compliance.areas import AREAS, SEVERITIES
from compliance.dangerstats import action_stats, unit_stats
from compliance.diagnostics import compact, path_text
from compliance.scoring import rollups
from compliance.verdict import catalog_entry, exposure, not_assessed, schedule, vetoed_by

if TYPE_CHECKING:  # annotations only: nothing more to import when ``check`` starts
    from compliance.diagnostics import Diagnostic
    from compliance.findings import Finding, UnitResult
    from compliance.result import (
        AreaScore,
        DiagnosticRecord,
        OpenHiddenDanger,
        Result,
        ResultParts,
        RulePackRecord,
        Summary,
        UnitRecord,
    )
    from compliance.rulemodel import Pack
    from compliance.runner import CheckResult


def result(check: CheckResult, lang: str = "en") -> Result:
    """The JSON contract (see the README, "The JSON result") as one dict."""
    parts = result_parts(check, lang)
    return {
        "tool": parts["tool"],
        "as_of": parts["as_of"],
        "lang": parts["lang"],
        "rule_pack": parts["rule_pack"],
        "units": list(parts["units"]),
        "findings": list(parts["findings"]),
        "rollups": parts["rollups"],
        "diagnostics": parts["diagnostics"],
        "summary": parts["summary"],
    }


def result_parts(check: CheckResult, lang: str = "en") -> ResultParts:
    """The JSON contract with ``units`` and ``findings`` as iterators, for streaming."""
    findings = check.findings
    return {
        "tool": {"name": "compliance", "version": __version__},
        "as_of": check.as_of.isoformat(),
        "lang": lang,
        "rule_pack": pack_record(check.pack, check.as_of, lang),
        "units": (u.record for u in check.units.values()),
        "findings": (f.record(lang) for f in findings),
        "rollups": rollups(check.units),
        "diagnostics": [diagnostic_record(d) for d in check.diagnostics],
        "summary": summary(check, findings),
    }


def pack_record(pack: Pack, as_of: dt.date, lang: str) -> RulePackRecord:
    """The pack checked against: name, version, chain, catalogue and schedule at ``as_of``."""
    return {
        "name": pack.name,
        "version": pack.version,
        "title": pack.title[lang],
        "chain": pack.chain,
        "rules": len(pack.rules),
        "catalog": [catalog_entry(r) for r in pack.rules.values()],
        **schedule(pack, as_of),
    }


def summary(check: CheckResult, findings: list[Finding]) -> Summary:
    """Totals of the whole check (``findings``: all of its findings, waived or not)."""
    open_ = [f for f in findings if not f.waived]
    scores = [u.score for u in check.units.values()]
    return {
        "units": len(check.units),
        "findings": len(open_),
        "waived": len(findings) - len(open_),
        "by_severity": {s: sum(1 for f in open_ if f.severity == s) for s in SEVERITIES},
        "by_area": {a: sum(1 for f in open_ if f.area == a) for a in AREAS},
        "score": round(sum(scores) / len(scores), 1) if scores else None,
        "failed_files": check.failed_files,
        "skipped": check.skipped,
        "vetoed": sum(1 for u in check.units.values() if u.record["veto"]),
        "not_assessed": sum(len(u.record["not_assessed"]) for u in check.units.values()),
    }


def diagnostic_record(d: Diagnostic) -> DiagnosticRecord:
    """A problem with the input; ``sheet`` and ``cell`` only when it is about a workbook cell."""
    rec: DiagnosticRecord = {
        "file": path_text(d.file),
        "line": d.line,
        "column": d.column,
        "level": d.level,
        "message": compact(d.message),
    }
    if d.cell:
        rec["sheet"] = d.sheet or None
        rec["cell"] = d.cell
    return rec


def unit_record(u: UnitResult, as_of: dt.date, pack: Pack) -> UnitRecord:
    """One checked and scored unit as the result keeps it once its data is let go."""
    meta = u.data["unit"]
    vetoes = vetoed_by(u, pack)
    principal = (meta.get("principal") or {}).get("name")
    contact = (meta.get("safety_contact") or {}).get("name")
    return {
        "id": u.id,
        "name": u.name,
        "parent": u.parent,
        "kind": u.kind,
        "file": u.file,
        "valid_on": u.data["valid_on"].isoformat(),
        "employees": meta.get("employees"),
        "principal": principal,
        "safety_contact": contact,
        "score": u.score,
        # a string, not the type: the TypedDicts are not imported at run time
        "areas": cast("dict[str, AreaScore]", u.areas),
        "rules": {rid: o.status for rid, o in u.outcomes.items()},
        "waivers": u.waivers,
        "open_hidden_dangers": open_hidden_dangers(u, as_of),
        "not_assessed": not_assessed(u),
        "veto": bool(vetoes),
        "vetoed_by": vetoes,
        "exposure": exposure(u, pack),
        "hidden_danger_stats": unit_stats(u.data, as_of),
        "three_year_action": action_stats(u.data, as_of),
    }


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def open_hidden_dangers(u: UnitResult, as_of: dt.date) -> list[OpenHiddenDanger]:
    """Open hidden dangers that are major or past their deadline at the as-of date.

    These are what the group report and meeting minutes list; general ones on time stay in
    the unit file (and in findings when a rule says so).
    """
    out: list[OpenHiddenDanger] = []
    for h in (u.data.get("risks") or {}).get("hidden_dangers") or []:
        deadline = h.get("deadline")
        overdue = bool(deadline and deadline < as_of)
        if h.get("status") == "closed" or not (overdue or h.get("level") == "major"):
            continue
        out.append(
            {
                "id": _iso(h.get("id")),
                "description": _iso(h.get("description")),
                "level": _iso(h.get("level")),
                "owner": _iso(h.get("owner")),
                "deadline": _iso(deadline),
                "status": _iso(h.get("status")),
                "found_on": _iso(h.get("found_on")),
                "overdue": overdue,
            }
        )
    return out
