"""Run a check over files and folders: load, validate, evaluate, score; collect every problem.

A broken file never stops the others: its diagnostics are kept, it is named in the
summary's ``failed_files``, and every other unit is still checked.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance import __version__
from compliance.areas import AREAS, SEVERITIES
from compliance.dangerstats import action_stats, unit_stats
from compliance.diagnostics import ERROR, WARNING, Diagnostic, compact, display_path, path_text
from compliance.engine import check_unit, waiver_status
from compliance.findings import Finding, UnitResult
from compliance.inputs import kind_of
from compliance.ledgers import load_document
from compliance.output import name_key, safe_name
from compliance.rulemodel import Pack
from compliance.scoring import rollups, score_unit
from compliance.verdict import catalog_entry, exposure, not_assessed, schedule, vetoed_by

UNIT_SUFFIXES = (".yaml", ".yml")
MEETING_SUFFIX = ".meeting.yaml"  # meeting files live beside units (see compliance.meetings)
NOT_UNITS = frozenset({"compliance.yaml", "compliance.yml"})  # the project configuration


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

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        """The JSON contract (see the README, "The JSON result") as one dict."""
        parts = self.json_parts(lang)
        return {k: list(v) if k in ("units", "findings") else v for k, v in parts.items()}

    def json_parts(self, lang: str = "en") -> dict[str, Any]:
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
                "catalog": [
                    {
                        "id": r.id,
                        "area": r.area,
                        "severity": r.severity,
                        "title": r.title,
                        "basis": r.basis,
                        **catalog_entry(r),
                        "stop_work": r.stop_work,
                    }
                    for r in self.pack.rules.values()
                ],
                **schedule(self.pack, self.as_of),
            },
            "units": (u.record for u in self.units.values()),
            "findings": (f.record(lang) for f in findings),
            "rollups": rollups(self.units),
            "diagnostics": [
                {
                    "file": path_text(d.file),
                    "line": d.line,
                    "column": d.column,
                    "level": d.level,
                    "message": compact(d.message),
                    **({"sheet": d.sheet or None, "cell": d.cell} if d.cell else {}),
                }
                for d in self.diagnostics
            ],
            "summary": {
                "units": len(self.units),
                "findings": len(open_),
                "waived": len(findings) - len(open_),
                "by_severity": by_sev,
                "by_area": by_area,
                "score": round(sum(scores) / len(scores), 1) if scores else None,
                "failed_files": self.failed_files,
                "skipped": self.skipped,
                "vetoed": sum(1 for u in self.units.values() if u.record.get("veto")),
                "not_assessed": sum(
                    len(u.record.get("not_assessed", [])) for u in self.units.values()
                ),
            },
        }


def _unit_record(u: UnitResult, as_of: dt.date, pack: Pack) -> dict[str, Any]:
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
        "areas": u.areas,
        "rules": {rid: o.status for rid, o in u.outcomes.items()},
        "waivers": _waivers(u, as_of),
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


def _waivers(u: UnitResult, as_of: dt.date) -> list[dict[str, Any]]:
    """The unit's waiver register, each marked active or expired at the as-of date."""
    out = []
    for w in u.data.get("waivers") or []:
        rec = {
            k: _iso(w.get(k))
            for k in ("rule", "item", "reason", "approved_by", "approved_on", "expires")
        }
        rec["status"] = waiver_status(w, as_of)
        out.append(rec)
    return out


def _open_hidden_dangers(u: UnitResult, as_of: dt.date) -> list[dict[str, Any]]:
    """Open hidden dangers that are major or past their deadline at the as-of date.

    These are what the group report and meeting minutes list; general ones on time stay in
    the unit file (and in findings when a rule says so).
    """
    out = []
    for h in (u.data.get("risks") or {}).get("hidden_dangers") or []:
        deadline = h.get("deadline")
        overdue = bool(deadline and deadline < as_of)
        if h.get("status") == "closed" or not (overdue or h.get("level") == "major"):
            continue
        rec = {
            k: _iso(h.get(k))
            for k in ("id", "description", "level", "owner", "deadline", "status", "found_on")
        }
        rec["overdue"] = overdue
        out.append(rec)
    return out


def collect_files(
    paths: Iterable[str], skipped: list[str] | None = None
) -> tuple[list[Path], list[Diagnostic]]:
    """Unit files named or found (recursively, sorted) in folders; missing paths diagnosed.

    Nothing is passed over in silence: a folder that cannot be read, a symbolic link that
    leads nowhere or in a loop, a link to a folder (not followed), a FIFO or device is a
    warning naming it (an error when named on the command line), and its path is added to
    ``skipped``. Hidden files and folders (``.git``...) are passed over on purpose.
    """
    files: list[Path] = []
    problems: list[Diagnostic] = []
    skipped = skipped if skipped is not None else []
    for name in paths:
        p = Path(name)
        if p.is_dir():
            found: list[Path] = []
            passed_over = len(skipped)
            _scan(p, found, problems, skipped)
            if not found and len(skipped) == passed_over:
                problems.append(Diagnostic(name, 0, 0, WARNING, "folder holds no .yaml unit files"))
            files += found
        elif p.is_file():
            files.append(p)
        elif os.path.lexists(name):
            problems.append(Diagnostic(name, 0, 0, ERROR, _not_file(p)))
            skipped.append(name)
        else:
            problems.append(Diagnostic(name, 0, 0, ERROR, "no such file or folder"))
    unique: dict[Path, Path] = {}
    for f in files:
        unique.setdefault(f.resolve(), f)
    return list(unique.values()), problems


def _not_file(path: Path) -> str:
    """Why an entry that is neither a regular file nor a folder is not checked."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "symbolic link leads nowhere (its target is missing): not checked"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic links form a loop: not checked"
        return f"cannot be read ({exc.strerror}): not checked"
    return f"is {kind_of(info.st_mode)}, not a regular file: not checked"


def _scan(folder: Path, found: list[Path], problems: list[Diagnostic], skipped: list[str]) -> None:
    """Unit files below ``folder`` (sorted, depth first), with every entry passed over named."""

    def skip(path: Path, message: str) -> None:
        shown = str(Path(display_path(path.parent)) / path.name)  # the link, not its target
        problems.append(Diagnostic(shown, 0, 0, WARNING, message))
        skipped.append(shown)

    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        skip(folder, f"folder cannot be read ({exc.strerror}): the files in it are not checked")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()  # follows links: False for a dangling or looping one
            is_file = entry.is_file()
            is_link = entry.is_symlink()
        except OSError:
            is_dir = is_file = False
            is_link = True
        if is_dir and is_link:
            skip(path, "symbolic link to a folder: not followed, the files in it are not checked")
        elif is_dir:
            _scan(path, found, problems, skipped)
        elif is_file:
            if (
                entry.name.endswith(UNIT_SUFFIXES)
                and entry.name not in NOT_UNITS
                and not entry.name.endswith(MEETING_SUFFIX)
            ):
                found.append(path)
        else:
            skip(path, _not_file(path))


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
