"""Progress between saved check results: which findings are new, persisting, resolved or back.

Pure data. A result is reduced, while it is read (:mod:`compliance.resultstream`), to a
:class:`Snapshot`: the open findings by fingerprint, the unit and area scores, the waivers and
the rule catalogue. :func:`compare` then matches findings by fingerprint (which survives
editing the unit files, see :func:`compliance.findings.fingerprint`) across two or more results,
ordered by their as-of dates. Formats are in :mod:`compliance.progress_formats`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from compliance.areas import SEVERITIES, severity_rank
from compliance.diagnostics import ERROR, Diagnostic, InputError
from compliance.findings import localise
from compliance.result import Result
from compliance.resultstream import read_result

STATUSES = ("new", "regressed", "persisting", "waived", "resolved")
REQUIRED = ("as_of", "rule_pack", "units", "findings")


class Seen(NamedTuple):
    """What a comparison keeps of one finding (waived findings are not kept: not open)."""

    unit: str
    rule: str
    area: str
    severity: str
    item: str | None
    title: str
    message: str
    file: str
    line: int


class UnitSeen(NamedTuple):
    """What a comparison keeps of one unit."""

    name: str
    score: float
    areas: dict[str, float]
    waivers: dict[tuple[str, str], dict[str, Any]]  # (rule, item) -> waiver record
    record: dict[str, Any]  # extra per-unit data (hidden-danger statistics, tasks)


@dataclass
class Snapshot:
    """One saved result, reduced to what progress needs."""

    file: str
    as_of: dt.date
    pack: tuple[str, str]
    catalog: dict[str, dict[str, Any]]
    units: dict[str, UnitSeen] = field(default_factory=dict)
    findings: dict[str, Seen] = field(default_factory=dict)  # open findings by fingerprint
    waived: set[str] = field(default_factory=set)  # fingerprints of waived findings
    # open major hidden dangers: (unit, id) -> description
    majors: dict[tuple[str, str], str] = field(default_factory=dict)
    group_score: float | None = None


_KEPT_UNIT_FIELDS = ("hidden_danger_stats", "three_year_action", "open_hidden_dangers")


def load_snapshot(path: Path, lang: str = "en", keep_details: bool = True) -> Snapshot:
    """Read a result file into a :class:`Snapshot` (``InputError`` when it is not one).

    ``keep_details=False`` keeps only fingerprints, units and scores: enough for the history
    before the last two results.
    """
    return reduce_result(str(path), read_result(path), lang, keep_details)


def snapshot_of(result: Result, file: str, lang: str = "en") -> Snapshot:
    """A :class:`Snapshot` of a result already in memory (the one a report is made from)."""

    def members() -> Iterator[tuple[str, Any, bool]]:
        for key, value in result.items():
            if key in ("units", "findings") and isinstance(value, list):
                if not value:
                    yield key, [], False
                for element in value:
                    yield key, element, True
            else:
                yield key, value, False

    return reduce_result(file, members(), lang, True)


def reduce_result(
    file: str, members: Iterable[tuple[str, Any, bool]], lang: str, keep_details: bool
) -> Snapshot:
    """Reduce the members of a result (see :func:`~compliance.resultstream.read_result`)."""
    head: dict[str, Any] = {}
    units: dict[str, UnitSeen] = {}
    findings: dict[str, Seen] = {}
    waived: set[str] = set()
    majors: dict[tuple[str, str], str] = {}
    titles: dict[tuple[str, str], str] = {}  # one string per rule title, not one per finding
    shared: dict[str, str] = {}
    try:
        for key, value, element in members:
            head.setdefault(key, None)
            if not element:
                head[key] = value
            elif key == "units":
                areas = {a: float(v["score"]) for a, v in (value.get("areas") or {}).items()}
                waivers = {
                    (str(w["rule"]), str(w.get("item") or "")): w
                    for w in value.get("waivers") or []
                }
                extra = {k: value[k] for k in _KEPT_UNIT_FIELDS if k in value and keep_details}
                uid = str(value["id"])
                units[uid] = UnitSeen(
                    str(value["name"]), float(value["score"]), areas, waivers, extra
                )
                for h in value.get("open_hidden_dangers") or []:
                    if h.get("level") == "major":
                        majors[(uid, str(h.get("id")))] = str(h.get("description") or "")
            elif value.get("waived"):
                waived.add(str(value["fingerprint"]))
            else:
                rule = str(value["rule"])
                texts: Mapping[str, Any] = localise(value, lang) if keep_details else {}
                title = str(texts.get("title") or "")
                title = titles.setdefault((rule, title), title)
                loc = value.get("location") or {}
                same = shared.setdefault  # one string object per unit, area... not per finding
                findings[str(value["fingerprint"])] = Seen(
                    same(str(value["unit"]), str(value["unit"])),
                    same(rule, rule),
                    same(str(value["area"]), str(value["area"])),
                    same(str(value["severity"]), str(value["severity"])),
                    value.get("item"),
                    title,
                    str(texts.get("message") or ""),
                    same(str(loc.get("file", "")), str(loc.get("file", ""))),
                    int(loc.get("line", 0)),
                )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _not_a_result(file, f"a record lacks or has a bad value ({exc})") from None
    missing = [k for k in REQUIRED if k not in head]
    if missing:
        raise _not_a_result(file, f"missing: {', '.join(missing)}")
    try:
        as_of = dt.date.fromisoformat(str(head["as_of"]))
        pack = head["rule_pack"]
        name, version = str(pack["name"]), str(pack["version"])
        catalog = {str(r["id"]): r for r in pack.get("catalog") or []}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _not_a_result(file, f"bad as_of or rule_pack ({exc})") from None
    score = (head.get("summary") or {}).get("score")
    snap = Snapshot(file, as_of, (name, version), catalog, units, findings, waived, majors)
    snap.group_score = float(score) if isinstance(score, int | float) else None
    return snap


def peek_as_of(path: Path) -> dt.date:
    """The as-of date of a result, read from its first lines (to order results cheaply)."""
    members = read_result(path)
    try:
        for key, value, element in members:
            if key == "as_of" and not element:
                return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise _not_a_result(str(path), f"bad as_of ({exc})") from None
    finally:
        members.close()  # type: ignore[attr-defined]
    raise _not_a_result(str(path), "missing: as_of")


def _not_a_result(file: str, why: str) -> InputError:
    message = f"not a result of 'compliance check --format json' ({why})"
    return InputError([Diagnostic(file, 1, 1, ERROR, message)])


class Change(NamedTuple):
    """One finding's fate between the last two results."""

    status: str  # new, regressed, persisting, waived (open before, waived now), resolved
    fingerprint: str
    finding: Seen
    first_seen: dt.date | None  # start of the current open run (persisting), else None
    days_open: int | None

    def record(self) -> dict[str, Any]:
        """The change as plain data: a finding of ``diff --format json`` and of the progress
        views of reports and minutes (dates in ISO form)."""
        f = self.finding
        return {
            "status": self.status,
            "fingerprint": self.fingerprint,
            "unit": f.unit,
            "rule": f.rule,
            "area": f.area,
            "severity": f.severity,
            "item": f.item,
            "title": f.title,
            "message": f.message,
            "location": {"file": f.file, "line": f.line},
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "days_open": self.days_open,
        }


class ScoreChange(NamedTuple):
    """A unit's score (and area scores) in the old and the new result."""

    unit: str
    name: str
    old: float | None
    new: float | None
    areas: dict[str, tuple[float | None, float | None]]

    @property
    def delta(self) -> float | None:
        """New less old score, rounded to one decimal (None when the unit is in one only)."""
        return None if self.old is None or self.new is None else round(self.new - self.old, 1)


class WaiverChange(NamedTuple):
    """A waiver added or expired since the old result."""

    status: str  # added, expired
    unit: str
    rule: str
    item: str
    record: dict[str, Any]


class RuleChange(NamedTuple):
    """A rule that differs between the packs of two results."""

    rule: str
    change: str  # added, removed, changed
    fields: tuple[tuple[str, Any, Any], ...]  # (severity|area|title|basis, old, new)


@dataclass
class Comparison:
    """Everything ``compliance diff`` reports."""

    results: list[tuple[str, dt.date]]  # every result compared, oldest first
    old: Snapshot
    new: Snapshot
    changes: list[Change]
    scores: list[ScoreChange]
    waivers: list[WaiverChange]
    rule_changes: list[RuleChange]
    units_added: list[str]
    units_removed: list[str]

    @property
    def pack_changed(self) -> bool:
        """True when the last two results were made with different rule packs or versions."""
        return self.old.pack != self.new.pack

    def counts(self) -> dict[str, dict[str, int]]:
        """Number of findings per status and severity."""
        out = {s: dict.fromkeys(SEVERITIES, 0) for s in STATUSES}
        for c in self.changes:
            out[c.status][c.finding.severity] += 1
        return out

    def reaches(self, fail_on: str) -> bool:
        """True when a new or regressed finding is at least as severe as ``fail_on``."""
        if fail_on == "never":
            return False
        limit = list(SEVERITIES).index(fail_on)
        return any(
            c.status in ("new", "regressed") and severity_rank(c.finding.severity) <= limit
            for c in self.changes
        )


def order(snapshots: Sequence[Snapshot]) -> list[Snapshot]:
    """Results oldest first by as-of date (ties keep the order given)."""
    return sorted(snapshots, key=lambda s: s.as_of)


def compare(snapshots: Sequence[Snapshot]) -> Comparison:
    """Compare the last two results (by as-of date), using the earlier ones for history."""
    snaps = order(snapshots)
    if len(snaps) < 2:
        raise ValueError("compare needs at least two results")
    old, new = snaps[-2], snaps[-1]
    changes: list[Change] = []
    for fp, f in new.findings.items():
        if fp in old.findings:
            first = old.as_of
            for s in reversed(snaps[:-2]):
                if fp not in s.findings:
                    break
                first = s.as_of
            changes.append(Change("persisting", fp, f, first, (new.as_of - first).days))
        elif fp in old.waived or any(fp in s.findings for s in snaps[:-2]):
            # known before: open in an earlier result, or waived in the previous one
            changes.append(Change("regressed", fp, f, None, None))
        else:
            changes.append(Change("new", fp, f, None, None))
    for fp, f in old.findings.items():
        # a unit missing from the new result was not checked: its findings are not resolved
        if fp not in new.findings and f.unit in new.units:
            status = "waived" if fp in new.waived else "resolved"
            changes.append(Change(status, fp, f, None, None))
    changes.sort(
        key=lambda c: (
            STATUSES.index(c.status),
            severity_rank(c.finding.severity),
            c.finding.unit,
            c.finding.rule,
            c.finding.item or "",
        )
    )
    return Comparison(
        results=[(s.file, s.as_of) for s in snaps],
        old=old,
        new=new,
        changes=changes,
        scores=_scores(old, new),
        waivers=_waivers(old, new),
        rule_changes=rule_changes(old.catalog, new.catalog) if old.pack != new.pack else [],
        units_added=sorted(set(new.units) - set(old.units)),
        units_removed=sorted(set(old.units) - set(new.units)),
    )


def _scores(old: Snapshot, new: Snapshot) -> list[ScoreChange]:
    out = []
    for uid in sorted(set(old.units) | set(new.units)):
        o, n = old.units.get(uid), new.units.get(uid)
        names = sorted(set(o.areas if o else ()) | set(n.areas if n else ()))
        areas = {a: (o.areas.get(a) if o else None, n.areas.get(a) if n else None) for a in names}
        either = n or o
        name = either.name if either else uid
        out.append(ScoreChange(uid, name, o.score if o else None, n.score if n else None, areas))
    return out


def _waivers(old: Snapshot, new: Snapshot) -> list[WaiverChange]:
    out = []
    for uid, unit in sorted(new.units.items()):
        before = old.units.get(uid)
        for (rule, item), w in sorted(unit.waivers.items()):
            was = before.waivers.get((rule, item)) if before else None
            if w.get("status") == "expired" and (was is None or was.get("status") != "expired"):
                out.append(WaiverChange("expired", uid, rule, item, w))
            elif w.get("status") != "expired" and was is None:
                out.append(WaiverChange("added", uid, rule, item, w))
    return out


def rule_changes(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> list[RuleChange]:
    """Rules added, removed or changed (severity, area, title, basis) between two catalogues."""
    out = [RuleChange(r, "added", ()) for r in sorted(set(new) - set(old))]
    out += [RuleChange(r, "removed", ()) for r in sorted(set(old) - set(new))]
    for rid in sorted(set(old) & set(new)):
        fields = tuple(
            (k, old[rid].get(k), new[rid].get(k))
            for k in ("severity", "area", "title", "basis")
            if old[rid].get(k) != new[rid].get(k)
        )
        if fields:
            out.append(RuleChange(rid, "changed", fields))
    return out
