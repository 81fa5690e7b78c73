"""Findings: one failed check at one place in one unit file, as a plain value object.

Every output format (text, JSON, JUnit, SARIF, CSV, reports) is made from these records.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from compliance.areas import severity_rank
from compliance.i18n import N_
from compliance.plain import Plain

if TYPE_CHECKING:  # the result types cost start-up time to build; only mypy needs them
    from compliance.result import (
        FindingRecord,
        FindingTexts,
        FindingWaiver,
        LocationRecord,
        Plan,
        UnitRecord,
        WaiverEntry,
    )

# The finding an expired waiver makes: not a rule of any pack (waivers.expired_finding)
WAIVER_EXPIRED = "WAIVER-EXPIRED"
EXPIRED_TEXTS = {
    "title": N_("Expired waiver"),
    "rationale": N_("A waiver past its expiry date no longer exempts the unit from the rule."),
    "remediation": N_("Close the gap, or have a new waiver approved with a new expiry date."),
}
EXPIRED_MESSAGE = N_(
    "waiver of %(rule)s expired on %(date)s (approved by %(by)s); the rule applies again"
)
EXPIRED_BASIS = N_("group policy")


class Location(NamedTuple):
    """Where a finding points: file, 1-based line and column, readable path."""

    file: str
    line: int
    column: int
    path: str
    sheet: str = ""  # a cell of a workbook: sheet and cell (``F12``); line is the row
    cell: str = ""


class Finding(Plain):
    """A failed check. ``texts`` holds title, message, basis... per language."""

    _fields = (
        "unit",
        "rule",
        "area",
        "severity",
        "location",
        "fingerprint",
        "texts",
        "item",
        "responsible",
        "waived",
        "waiver",
        "scored",
        "veto",
        "plan",
    )

    def __init__(
        self,
        unit: str,
        rule: str,
        area: str,
        severity: str,
        location: Location,
        fingerprint: str,
        texts: dict[str, dict[str, str]],
        item: str | None = None,
        responsible: str | None = None,
        waived: bool = False,
        waiver: FindingWaiver | None = None,
        scored: bool = True,
        veto: bool = False,
        # what a rectification plan needs: accountable manager, due date, stop-work, measures...
        plan: Plan | None = None,
    ) -> None:
        self.unit = unit
        self.rule = rule
        self.area = area
        self.severity = severity
        self.location = location
        self.fingerprint = fingerprint
        self.texts = texts
        self.item = item
        self.responsible = responsible
        self.waived = waived
        self.waiver = waiver
        self.scored = scored
        self.veto = veto
        self.plan = plan

    def text(self, name: str, lang: str = "en") -> str:
        """One text (``title``, ``message``, ``basis``, ``remediation``) in a language."""
        return self.texts.get(lang, self.texts["en"]).get(name, "")

    def sort_key(self) -> tuple[Any, ...]:
        """Order by file position, then severity and rule."""
        loc = self.location
        return (
            loc.file,
            loc.line,
            loc.column,
            severity_rank(self.severity),
            self.rule,
            self.fingerprint,
        )

    def record(self, lang: str = "en") -> FindingRecord:
        """The finding as the JSON contract's record."""
        rec: dict[str, Any] = {  # built in the order of the JSON output
            "unit": self.unit,
            "rule": self.rule,
            "area": self.area,
            "severity": self.severity,
            "title": self.text("title", lang),
            "message": self.text("message", lang),
            "basis": self.text("basis", lang),
            "remediation": self.text("remediation", lang),
            "location": location_record(self.location),
            "item": self.item,
            "responsible": self.responsible,
            "fingerprint": self.fingerprint,
            "waived": self.waived,
        }
        if self.waiver is not None:
            rec["waiver"] = self.waiver
        rec["veto"] = self.veto
        if self.plan is not None:
            rec["plan"] = self.plan
        rec["i18n"] = {lg: _record_texts(t) for lg, t in self.texts.items() if lg != lang}
        return cast("FindingRecord", rec)


def _record_texts(texts: dict[str, str]) -> FindingTexts:
    """The texts a finding record carries per language (not the rule's rationale)."""
    return {
        "title": texts.get("title", ""),
        "message": texts.get("message", ""),
        "basis": texts.get("basis", ""),
        "remediation": texts.get("remediation", ""),
    }


def localise(finding: FindingRecord, lang: str) -> FindingRecord:
    """``finding`` with its texts (title, message, basis, remediation) in ``lang``.

    A record holds them in the result's language and the other languages under ``i18n``;
    a text missing there stays in the result's language. The one place a finding record
    changes language: reports, meeting documents and comparisons all come here.
    """
    other = (finding.get("i18n") or {}).get(lang)
    if not other:
        return finding
    out = finding.copy()
    out["title"] = other.get("title") or finding["title"]
    out["message"] = other.get("message") or finding["message"]
    out["basis"] = other.get("basis") or finding["basis"]
    out["remediation"] = other.get("remediation") or finding["remediation"]
    return out


def location_record(loc: Location) -> LocationRecord:
    """The JSON ``location``: file, line, column, path, and sheet and cell for sheet data."""
    rec: LocationRecord = {
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "path": loc.path,
    }
    if loc.cell:
        rec["sheet"] = loc.sheet or None
        rec["cell"] = loc.cell
    return rec


def fingerprint(unit: str, rule: str, item: str | None) -> str:
    """Stable id of a finding across runs: unit id, rule id and item identity, hashed.

    Nothing about where the finding sits goes in (no file name, line, column or list
    position), so moving lines, editing comments, adding or removing other items and
    renaming the file keep it; changing the unit id, the rule or the item's key changes it.
    Unit-level findings have no item (``None`` and ``""`` are the same identity).
    """
    raw = f"{unit}\x1f{rule}\x1f{item or ''}".encode()
    return hashlib.sha256(raw).hexdigest()[:16]


def content_identity(item: Any) -> str:
    """Identity of a list item that has no key: a digest of its content.

    Its position would change whenever an item is added or removed before it; its content
    does not. Editing the item itself gives a new identity, which is what a changed key does.
    """
    text = json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)
    return "~" + hashlib.sha256(text.encode()).hexdigest()[:12]


class RuleOutcome(Plain):
    """How one rule fared on one unit: items passed and failed, or not applicable."""

    _fields = ("applicable", "passed", "failed", "waived", "missing")

    def __init__(
        self,
        applicable: bool = True,
        passed: int = 0,
        failed: int = 0,
        waived: int = 0,
        missing: tuple[str, ...] = (),  # needed data absent from the unit file
    ) -> None:
        self.applicable = applicable
        self.passed = passed
        self.failed = failed
        self.waived = waived
        self.missing = missing

    @property
    def status(self) -> str:
        """``pass``, ``fail``, ``waived``, ``n/a`` or ``not_assessed`` (no evidence to pass)."""
        if not self.applicable:
            return "n/a"
        if self.failed:
            return "fail"
        if self.waived:
            return "waived"
        if self.missing:
            return "not_assessed"
        return "pass"


class UnitResult(Plain):
    """Everything a check found about one unit."""

    _fields = (
        "id",
        "name",
        "parent",
        "kind",
        "file",
        "data",
        "findings",
        "outcomes",
        "score",
        "areas",
        "waivers",
        "record",
    )

    def __init__(
        self,
        id: str,
        name: str,
        parent: str | None,
        kind: str,
        file: str,
        data: dict[str, Any],
        findings: list[Finding] | None = None,
        outcomes: dict[str, RuleOutcome] | None = None,
        score: float = 100.0,
        areas: dict[str, dict[str, Any]] | None = None,
        # the waivers that apply to the pack checked, active or expired (compliance.waivers)
        waivers: list[WaiverEntry] | None = None,
        # the unit's JSON record, set by the runner once the unit is checked and scored
        record: UnitRecord | None = None,
    ) -> None:
        self.id = id
        self.name = name
        self.parent = parent
        self.kind = kind
        self.file = file
        self.data = data
        self.findings: list[Finding] = [] if findings is None else findings
        self.outcomes: dict[str, RuleOutcome] = {} if outcomes is None else outcomes
        self.score = score
        self.areas: dict[str, dict[str, Any]] = {} if areas is None else areas
        self.waivers: list[WaiverEntry] = [] if waivers is None else waivers
        self.record: UnitRecord = cast("UnitRecord", {}) if record is None else record
