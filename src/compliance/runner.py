"""Run a check over files and folders: load, validate, evaluate, score; collect every problem.

A broken file never stops the others: its diagnostics are kept, it is named in the
summary's ``failed_files``, and every other unit is still checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from compliance import records
from compliance.diagnostics import ERROR, WARNING, Diagnostic, display_path
from compliance.engine import check_unit
from compliance.findings import Finding, UnitResult
from compliance.ledgers import load_document
from compliance.output import name_key, safe_name
from compliance.plain import Plain
from compliance.rulemodel import Pack
from compliance.scoring import score_unit
from compliance.unitfiles import collect_files

if TYPE_CHECKING:
    from compliance.result import Result, ResultParts


class CheckResult(Plain):
    """The outcome of one check run."""

    _fields = ("as_of", "pack", "units", "diagnostics", "failed_files", "skipped")

    def __init__(
        self,
        as_of: dt.date,
        pack: Pack,
        units: dict[str, UnitResult] | None = None,
        diagnostics: list[Diagnostic] | None = None,
        failed_files: list[str] | None = None,
        skipped: list[str] | None = None,  # paths passed over (links, FIFOs...)
    ) -> None:
        self.as_of = as_of
        self.pack = pack
        self.units: dict[str, UnitResult] = {} if units is None else units
        self.diagnostics: list[Diagnostic] = [] if diagnostics is None else diagnostics
        self.failed_files: list[str] = [] if failed_files is None else failed_files
        self.skipped: list[str] = [] if skipped is None else skipped

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
        return records.result(self, lang)

    def json_parts(self, lang: str = "en") -> ResultParts:
        """The JSON contract with ``units`` and ``findings`` as iterators, for streaming."""
        return records.result_parts(self, lang)


class _Placed:
    """What the tree checks need of a unit once its file is no longer kept in memory."""

    __slots__ = ("file", "id", "id_line", "parent", "parent_mark")

    def __init__(
        self, id: str, parent: str | None, file: str, id_line: int, parent_mark: tuple[int, int]
    ) -> None:
        self.id = id
        self.parent = parent
        self.file = file
        self.id_line = id_line
        self.parent_mark = parent_mark


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
        unit.record = records.unit_record(unit, as_of, pack)
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
