"""The JSON result contract, typed: what ``compliance check --format json`` writes.

Every output format, report and comparison is made from these records (the README, "The
JSON result"; ``compliance schema result`` for the JSON Schema, which
``tests/test_result_types.py`` keeps in step with these types key by key). The builders are in
:mod:`compliance.records` (and the modules it names); a result read back from a file is the
same shape (:func:`loaded`). The key order of each record is the order its builder writes,
which is the order of the JSON output: these types name the keys, they do not order them.

A mapping whose keys are data (rule ids, areas, severities, languages, periods, years) is a
``dict``; a record with fixed keys is a ``TypedDict``.
"""

# No ``from __future__ import annotations`` here: with it, Python 3.11 reads every key as
# required (``__required_keys__`` ignores a ``NotRequired`` written as text).
from collections.abc import Iterator
from typing import Any, NotRequired, TypedDict, cast

# The languages' texts of a rule (title, basis...): language code -> text.
Texts = dict[str, str]


class Tool(TypedDict):
    """The tool that wrote the result."""

    name: str
    version: str


class PenaltyRecord(TypedDict):
    """The fine the law sets for a breach of a rule (compliance.rulekeys.Penalty)."""

    basis: Texts
    min_cny: float
    max_cny: float


class CatalogEntry(TypedDict):
    """One rule of the pack as the result lists it (in every language)."""

    id: str
    area: str
    severity: str
    title: Texts
    basis: Texts
    veto: bool
    penalty: PenaltyRecord | None
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
    basis: Texts
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

    id: str | None
    description: str | None
    level: str | None
    owner: str | None
    deadline: str | None
    status: str | None
    found_on: str | None
    overdue: bool


class LevelStats(TypedDict):
    """One level's hidden dangers in a period (compliance.dangerstats)."""

    found: int
    rectified: int
    carried_over: int
    cleared: int
    open: int
    overdue: int
    funds_cny: float
    rate: float | None  # rectified per found, in per cent; None when none was found


# One period's figures: its first and last day and each level's. The class syntax cannot
# name the key ``from`` (a keyword), hence the call.
PeriodStats = TypedDict(
    "PeriodStats", {"from": str, "to": str, "general": LevelStats, "major": LevelStats}
)

# Hidden-danger statistics: period (compliance.dangerstats.PERIODS) -> its figures.
HiddenDangerStats = dict[str, PeriodStats]


class YearTasks(TypedDict):
    """The three-year action's tasks due in one year, and how they went."""

    due: int
    done: int
    on_time: int
    overdue: int


class ActionStats(TypedDict):
    """The three-year action's figures: year (or ``none``, no due date) -> its tasks."""

    by_year: dict[str, YearTasks]


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
    hidden_danger_stats: HiddenDangerStats
    three_year_action: ActionStats


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
    measures: NotRequired[str | None]
    funds_cny: NotRequired[float | None]
    contingency_plan: NotRequired[str | None]


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
