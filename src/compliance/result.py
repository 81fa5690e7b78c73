"""The JSON result contract, typed: what ``compliance check --format json`` writes.

Every output format, report and comparison is made from these records (the README, "The
JSON result"; ``compliance schema result`` for the JSON Schema). The runner builds them
(:meth:`compliance.runner.CheckResult.to_json`); a result read back from a file is the same
shape (:func:`loaded`). The key order of each record is the order its builder writes, which
is the order of the JSON output: these types name the keys, they do not order them.

Records that grow with the domain (hidden-danger statistics, three-year action figures, a
rule's penalty) are typed as plain mappings here and described in their own modules
(:mod:`compliance.dangerstats`, :mod:`compliance.rulepack`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NotRequired, TypedDict, cast

# The languages' texts of a rule (title, basis...): language code -> text.
Texts = dict[str, str]


class Tool(TypedDict):
    """The tool that wrote the result."""

    name: str
    version: str


class CatalogEntry(TypedDict):
    """One rule of the pack as the result lists it (in every language)."""

    id: str
    area: str
    severity: str
    title: Texts
    basis: Texts
    veto: bool
    penalty: dict[str, Any] | None
    effective_on: str | None
    until: str | None
    needs: list[str]
    stop_work: bool


class UpcomingRule(TypedDict):
    """A rule not yet in force on the as-of date (not checked)."""

    id: str
    area: str
    severity: str
    title: Texts
    effective_on: str | None


class RetiredRule(TypedDict):
    """A rule no longer in force on the as-of date (not checked)."""

    id: str
    until: str | None


class Schedule(TypedDict):
    """How many rules are in force on the as-of date; the upcoming and retired ones."""

    in_force: int
    upcoming: list[UpcomingRule]
    retired: list[RetiredRule]


class RulePackRecord(TypedDict):
    """The pack checked against: name, version, chain, catalogue and schedule."""

    name: str
    version: str
    title: str
    chain: list[str]
    rules: int
    catalog: list[CatalogEntry]
    in_force: int
    upcoming: list[UpcomingRule]
    retired: list[RetiredRule]


class AreaScore(TypedDict):
    """One area's score of a unit and how its rules fared."""

    score: float
    passed: int
    failed: int
    waived: int
    not_applicable: int
    not_assessed: int


class NotAssessed(TypedDict):
    """A rule that could not be assessed, and the data it lacks."""

    rule: str
    missing: list[str]


class ExposureRule(TypedDict):
    """One rule's fine range behind a unit's legal exposure."""

    rule: str
    basis: Any
    min_cny: float
    max_cny: float


class Exposure(TypedDict):
    """A unit's legal exposure: the summed fine range of the rules with open findings."""

    min_cny: float
    max_cny: float
    rules: list[ExposureRule]


class WaiverEntry(TypedDict):
    """One waiver of the unit's register that applies to the pack checked, with its status."""

    rule: str
    item: str | None
    reason: str | None
    approved_by: str | None
    approved_on: str | None
    expires: str | None
    status: str  # ``active`` or ``expired`` (compliance.waivers.waiver_status)


class OpenHiddenDanger(TypedDict):
    """An open hidden danger that is major or past its deadline at the as-of date."""

    id: Any
    description: Any
    level: Any
    owner: Any
    deadline: str | None
    status: Any
    found_on: str | None
    overdue: bool


class UnitRecord(TypedDict):
    """One checked unit: who it is, its scores, rule outcomes, waivers and open dangers."""

    id: str
    name: str
    parent: str | None
    kind: str
    file: str
    valid_on: str
    employees: int | None
    principal: str | None
    safety_contact: str | None
    score: float
    areas: dict[str, AreaScore]
    rules: dict[str, str]
    waivers: list[WaiverEntry]
    open_hidden_dangers: list[OpenHiddenDanger]
    not_assessed: list[NotAssessed]
    veto: bool
    vetoed_by: list[str]
    exposure: Exposure
    hidden_danger_stats: dict[str, Any]  # compliance.dangerstats.unit_stats
    three_year_action: dict[str, Any]  # compliance.dangerstats.action_stats


class LocationRecord(TypedDict):
    """Where a finding points; ``sheet`` and ``cell`` only for data read from a workbook."""

    file: str
    line: int
    column: int
    path: str
    sheet: NotRequired[str | None]
    cell: NotRequired[str]


class FindingTexts(TypedDict):
    """A finding's texts in one language."""

    title: str
    message: str
    basis: str
    remediation: str


class FindingWaiver(TypedDict):
    """The waiver that covers a finding, as the unit file states it (dates as text)."""

    rule: str
    reason: str
    approved_by: str
    expires: str
    item: NotRequired[str | None]
    pack: NotRequired[str | None]
    approved_on: NotRequired[str | None]


class Plan(TypedDict):
    """What a rectification plan needs about a finding (compliance.accountable)."""

    responsible: str | None
    post: str | None
    stop_work: bool
    due: str | None
    overdue: bool
    measures: NotRequired[Any]
    funds_cny: NotRequired[Any]
    contingency_plan: NotRequired[Any]


class FindingRecord(TypedDict):
    """One finding; its texts in the result's language, the others under ``i18n``."""

    unit: str
    rule: str
    area: str
    severity: str
    title: str
    message: str
    basis: str
    remediation: str
    location: LocationRecord
    item: str | None
    responsible: str | None
    fingerprint: str
    waived: bool
    waiver: NotRequired[FindingWaiver]
    veto: bool
    plan: NotRequired[Plan]
    i18n: dict[str, FindingTexts]


class Rollup(TypedDict):
    """A unit with units below it: the mean score and open findings of its subtree."""

    unit: str
    name: str
    units: list[str]
    score: float | None
    findings: dict[str, int]


class DiagnosticRecord(TypedDict):
    """A problem with the input; ``sheet`` and ``cell`` for data read from a workbook."""

    file: str
    line: int
    column: int
    level: str
    message: str
    sheet: NotRequired[str | None]
    cell: NotRequired[str]


class Summary(TypedDict):
    """Totals of the whole check."""

    units: int
    findings: int
    waived: int
    by_severity: dict[str, int]
    by_area: dict[str, int]
    score: float | None
    failed_files: list[str]
    skipped: list[str]
    vetoed: int
    not_assessed: int


class Result(TypedDict):
    """The whole result, as ``--format json`` writes it."""

    tool: Tool
    as_of: str
    lang: str
    rule_pack: RulePackRecord
    units: list[UnitRecord]
    findings: list[FindingRecord]
    rollups: list[Rollup]
    diagnostics: list[DiagnosticRecord]
    summary: Summary


class ResultParts(TypedDict):
    """The result with ``units`` and ``findings`` as iterators, for writing it as a stream."""

    tool: Tool
    as_of: str
    lang: str
    rule_pack: RulePackRecord
    units: Iterator[UnitRecord]
    findings: Iterator[FindingRecord]
    rollups: list[Rollup]
    diagnostics: list[DiagnosticRecord]
    summary: Summary


def loaded(data: Any) -> Result:
    """A result read back from a file (``--from result.json``), already checked to be one.

    The reader (:mod:`compliance.resultstream`) checks the parts it needs; this only names
    the type, so the documents made from a file and from a fresh check take the same path.
    """
    return cast(Result, data)
