"""Run a check over files and folders: load, validate, evaluate, score; collect every problem.

A broken file never stops the others: its diagnostics are kept, it is named in the
summary's ``failed_files``, and every other unit is still checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from compliance import __version__
from compliance.areas import AREAS, SEVERITIES
from compliance.dangerstats import action_stats, unit_stats
from compliance.diagnostics import ERROR, WARNING, Diagnostic, compact, display_path, path_text
from compliance.engine import check_unit
from compliance.findings import Finding, UnitResult
from compliance.ledgers import load_document
from compliance.output import name_key, safe_name
from compliance.rulemodel import Pack
from compliance.scoring import rollups, score_unit
from compliance.unitfiles import collect_files
from compliance.verdict import catalog_entry, exposure, not_assessed, schedule, vetoed_by

if TYPE_CHECKING:  # the result types cost start-up time to build; only mypy needs them
    from compliance.result import (
        AreaScore,
        DiagnosticRecord,
        OpenHiddenDanger,
        Result,
        ResultParts,
        UnitRecord,
    )


@dataclass
class CheckResult:
    """The outcome of one check run."""

    as_of: dt.date
    pack: Pack
    units: dict[str, UnitResult] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failed_files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # paths passed over (links, FIFOs...)

    @property
    def findings(self) -> list[Finding]:
        """All findings, unit by unit in file order."""
        return [f for u in self.units.values() for f in u.findings]

    @property
    def has_errors(self) -> bool:
        """True when some input was bad (exit status 2)."""
        return any(d.is_error for d in self.diagnostics)

    def to_json(self, lang: str = "en") -> Result:
        """The JSON contract (see the README, "The JSON result") as one dict."""
        parts = self.json_parts(lang)
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

    def json_parts(self, lang: str = "en") -> ResultParts:
        """The JSON contract with ``units`` and ``findings`` as iterators, for streaming."""
        findings = self.findings
        open_ = [f for f in findings if not f.waived]
        by_sev = {s: sum(1 for f in open_ if f.severity == s) for s in SEVERITIES}
        by_area = {a: sum(1 for f in open_ if f.area == a) for a in AREAS}
        scores = [u.score for u in self.units.values()]
        return {
            "tool": {"name": "compliance", "version": __version__},
            "as_of": self.as_of.isoformat(),
            "lang": lang,
            "rule_pack": {
                "name": self.pack.name,
                "version": self.pack.version,
                "title": self.pack.title[lang],
                "chain": self.pack.chain,
                "rules": len(self.pack.rules),
                "catalog": [catalog_entry(r) for r in self.pack.rules.values()],
                **schedule(self.pack, self.as_of),
            },
            "units": (u.record for u in self.units.values()),
            "findings": (f.record(lang) for f in findings),
            "rollups": rollups(self.units),
            "diagnostics": [_diagnostic_record(d) for d in self.diagnostics],
            "summary": {
                "units": len(self.units),
                "findings": len(open_),
                "waived": len(findings) - len(open_),
                "by_severity": by_sev,
                "by_area": by_area,
                "score": round(sum(scores) / len(scores), 1) if scores else None,
                "failed_files": self.failed_files,
                "skipped": self.skipped,
                "vetoed": sum(1 for u in self.units.values() if u.record["veto"]),
                "not_assessed": sum(len(u.record["not_assessed"]) for u in self.units.values()),
            },
        }


def _diagnostic_record(d: Diagnostic) -> DiagnosticRecord:
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


def _unit_record(u: UnitResult, as_of: dt.date, pack: Pack) -> UnitRecord:
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
        "areas": cast("dict[str, AreaScore]", u.areas),
        "rules": {rid: o.status for rid, o in u.outcomes.items()},
        "waivers": u.waivers,
        "open_hidden_dangers": _open_hidden_dangers(u, as_of),
        "not_assessed": not_assessed(u),
        "veto": bool(vetoes),
        "vetoed_by": vetoes,
        "exposure": exposure(u, pack),
        "hidden_danger_stats": unit_stats(u.data, as_of),
        "three_year_action": action_stats(u.data, as_of),
    }


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _open_hidden_dangers(u: UnitResult, as_of: dt.date) -> list[OpenHiddenDanger]:
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


@dataclass
class _Placed:
    """What the tree checks need of a unit once its file is no longer kept in memory."""

    id: str
    parent: str | None
    file: str
    id_line: int
    parent_mark: tuple[int, int]


def check_tree(units: list[_Placed]) -> list[Diagnostic]:
    """Unknown parents (warnings, when several units are checked) and cycles (errors).

    Units whose parent is themselves or part of a cycle lose the link, so roll-ups terminate.
    """
    problems: list[Diagnostic] = []
    by_id = {u.id: u for u in units}
    for u in units:
        line, col = u.parent_mark
        if u.parent is None:
            continue
        if u.parent == u.id:
            problems.append(
                Diagnostic(u.file, line, col, ERROR, "unit.parent: a unit cannot be its own parent")
            )
        elif u.parent not in by_id and len(units) > 1:
            problems.append(
                Diagnostic(
                    u.file,
                    line,
                    col,
                    WARNING,
                    f"unit.parent: '{u.parent}' is not among the checked units",
                )
            )
    in_cycle = set()
    for u in units:
        chain: list[str] = []
        cur: str | None = u.id
        while cur is not None and cur in by_id and cur not in chain:
            chain.append(cur)
            cur = by_id[cur].parent
        if cur == u.id and u.parent != u.id:
            line, col = u.parent_mark
            cycle = " -> ".join([*chain, u.id])
            problems.append(
                Diagnostic(u.file, line, col, ERROR, f"unit.parent: parents form a cycle: {cycle}")
            )
            in_cycle.add(u.id)
    for u in units:
        if u.id in in_cycle or u.parent == u.id:
            u.parent = None
    return problems


def run_check(paths: Iterable[str], pack: Pack, as_of: dt.date) -> CheckResult:
    """Check every unit file under ``paths`` against ``pack`` at ``as_of``.

    Files are processed one at a time: each is loaded, validated, checked, scored and reduced
    to its JSON record before the next is read, so memory grows with the findings, not with
    the size of the unit files (5,000 units fit in a few hundred MB).
    """
    result = CheckResult(as_of=as_of, pack=pack)
    files, problems = collect_files(paths, result.skipped)
    failed: list[str] = []
    placed: list[_Placed] = []
    seen: dict[str, _Placed] = {}
    names: dict[str, _Placed] = {}  # report file names (see compliance.output.name_key)
    for path in files:
        doc = load_document(path, display_path(path), "unit")
        problems += doc.diagnostics
        if doc.data is None:
            failed.append(doc.file)
            continue
        meta = doc.data["unit"]
        uid = meta["id"]
        if uid in seen:
            first = seen[uid]
            message = f"unit.id: '{uid}' is already the id of {first.file}:{first.id_line}"
            problems.append(doc.problem(("unit", "id"), message))
            failed.append(doc.file)
            continue
        other = names.get(name_key(uid))
        if other is not None:
            message = (
                f"unit.id: '{uid}' and '{other.id}' ({other.file}:{other.id_line}) would "
                f"write the same report file 'unit-report-{safe_name(uid)}': ids must differ "
                "in more than letter case"
            )
            problems.append(doc.problem(("unit", "id"), message))
            failed.append(doc.file)
            continue
        where = _Placed(
            uid,
            meta.get("parent"),
            doc.file,
            doc.mark(("unit", "id"))[0],
            doc.mark(("unit", "parent")),
        )
        seen[uid] = names[name_key(uid)] = where
        placed.append(where)
        unit, warnings = check_unit(doc, pack, as_of)
        problems += warnings
        score_unit(unit, pack)
        unit.record = _unit_record(unit, as_of, pack)
        unit.data, unit.outcomes = {}, {}  # the record keeps what reports need
        result.units[unit.id] = unit
    problems += check_tree(placed)
    for where in placed:  # parents dropped by the tree checks
        unit = result.units[where.id]
        unit.parent = unit.record["parent"] = where.parent
    result.diagnostics = sorted(problems)
    unit_files = {u.file for u in placed} | set(failed)
    result.failed_files = sorted(
        set(failed) | {d.file for d in problems if d.is_error and d.file in unit_files}
    )
    return result
